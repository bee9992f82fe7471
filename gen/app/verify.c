/*
 * verify.c — `zhibu verify` (see verify.h and doc/audit.md).
 *
 *   1. read the stamp of FILE: the fingerprint and what rebuilds the
 *      document (run, options, which document) from a PDF's Info
 *      dictionary or a workbook's custom properties, or the whole record
 *      from a manifest.txt;
 *   2. recompute the record from the given inputs, rules and templates
 *      (run_audit_collect, as the run did) and compare fingerprints; when
 *      they differ, name the files that changed against the manifest
 *      beside FILE;
 *   3. rebuild the document — one branch's PDF is built and rendered
 *      alone — into a private temporary directory with the ordinary run
 *      (run() with only_document) and compare its bytes with FILE.
 */
#include "app/verify.h"
#include "base/remove_tree.h"
#include "base/sys_error.h"
#include "app/run.h"
#include "app/run_audit.h"
#include "app/version.h"
#include "audit/meta_read.h"
#include "base/arena.h"
#include "model/report.h"
#include <errno.h>
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* What a file says about itself. */
typedef struct {
    docfile_kind kind;
    char *fp, *version, *run, *options, *document;
    audit_record manifest; /* kind == DOCFILE_MANIFEST */
} stamp;

static void stamp_free(stamp *s)
{
    free(s->fp);
    free(s->version);
    free(s->run);
    free(s->options);
    free(s->document);
    if (s->kind == DOCFILE_MANIFEST) audit_free(&s->manifest);
    memset(s, 0, sizeof *s);
}

/* 0 ok; 2 with a message on stderr (no fingerprint, unreadable). */
static int stamp_read(const char *path, stamp *s)
{
    char err[1024];
    memset(s, 0, sizeof *s);
    if (docfile_kind_of(path, &s->kind, err, sizeof err)) {
        fprintf(stderr, "zhibu: %s\n", err);
        return 2;
    }
    static const char *const keys[] = {RAUDIT_KEY_FINGERPRINT, RAUDIT_KEY_VERSION, RAUDIT_KEY_RUN,
                                       RAUDIT_KEY_OPTIONS, RAUDIT_KEY_DOCUMENT};
    char *vals[5] = {0};
    if (s->kind == DOCFILE_PDF) {
        size_t n;
        char *buf = file_slurp(path, (size_t)1 << 30, &n, err, sizeof err);
        if (!buf) {
            fprintf(stderr, "zhibu: %s\n", err);
            return 2;
        }
        for (int i = 0; i < 5; i++) vals[i] = pdf_info_get(buf, n, keys[i]);
        free(buf);
    } else if (s->kind == DOCFILE_XLSX) {
        if (xlsx_custom_get(path, keys, vals, 5, err, sizeof err)) {
            fprintf(stderr, "zhibu: %s\n", err);
            return 2;
        }
    } else if (s->kind == DOCFILE_MANIFEST) {
        if (audit_manifest_read(path, &s->manifest, err, sizeof err)) {
            s->kind = DOCFILE_OTHER;
            fprintf(stderr, "zhibu: %s: %s\n", path, err);
            return 2;
        }
        vals[0] = xstrdup(s->manifest.fingerprint);
        vals[1] = xstrdup(s->manifest.version);
        vals[2] = xstrdup(s->manifest.run);
        vals[3] = xstrdup(s->manifest.options);
    } else {
        fprintf(stderr, "zhibu: %s: 不是 zhibu 生成的 PDF、工作簿或 manifest.txt，没有数据指纹\n", path);
        return 2;
    }
    s->fp = vals[0];
    s->version = vals[1];
    s->run = vals[2];
    s->options = vals[3];
    s->document = vals[4];
    int hex = s->fp && strlen(s->fp) == 64;
    for (int i = 0; hex && i < 64; i++) hex = strchr("0123456789abcdef", s->fp[i]) != NULL;
    if (!hex) {
        fprintf(stderr, "zhibu: %s: 没有数据指纹（不是 zhibu 生成的文件，或元数据已被去掉）\n", path);
        return 2;
    }
    return 0;
}

static const char *kind_label(audit_kind k)
{
    return k == AUDIT_INPUT ? "输入文件" : k == AUDIT_RULES ? "规则文件" : k == AUDIT_TEMPLATE ? "模板" : "输出文件";
}

/* Where verify read an entry of the record from. */
static void entry_path(const audit_file *f, const run_options *o, const char *tdir, const char *rules, char *buf,
                       size_t n)
{
    if (f->kind == AUDIT_RULES) snprintf(buf, n, "%s", rules);
    else if (f->kind == AUDIT_INPUT && o->ledger_file && !strncmp(f->name, "ledger.", 7)) snprintf(buf, n, "%s", o->ledger_file);
    else snprintf(buf, n, "%s/%s", f->kind == AUDIT_INPUT ? o->input_dir : tdir, f->name);
}

/* Name every input, rules or template file whose hash differs between the
   run's record (ref) and the one recomputed now; returns how many. */
static int name_changes(const audit_record *ref, const audit_record *now, const run_options *o, const char *tdir,
                        const char *rules)
{
    int n = 0;
    char path[4200];
    for (size_t i = 0; i < ref->nfiles; i++) {
        const audit_file *a = &ref->files[i];
        if (a->kind == AUDIT_OUTPUT) continue;
        const audit_file *b = audit_find(now, a->kind, a->name);
        entry_path(a, o, tdir, rules, path, sizeof path);
        if (!b) {
            printf("  %s不见了：%s（生成时有）\n", kind_label(a->kind), path);
            n++;
        } else if (strcmp(a->sha, b->sha)) {
            printf("  %s已改动：%s\n", kind_label(a->kind), path);
            n++;
        }
    }
    for (size_t i = 0; i < now->nfiles; i++) {
        const audit_file *b = &now->files[i];
        if (b->kind == AUDIT_OUTPUT || audit_find(ref, b->kind, b->name)) continue;
        entry_path(b, o, tdir, rules, path, sizeof path);
        printf("  多出%s：%s（生成时没有）\n", kind_label(b->kind), path);
        n++;
    }
    return n;
}

/* Rebuild (everything, or o->only_document) into a fresh temporary
   directory; its manifest into *rebuilt.  0 ok; 2 with a message. */
static int rebuild(run_options *o, char *tmpdir, size_t tn, audit_record *rebuilt)
{
    const char *t = getenv("TMPDIR");
    snprintf(tmpdir, tn, "%s/zhibu-verify-XXXXXX", t && *t ? t : "/tmp");
    if (!mkdtemp(tmpdir)) {
        char eb[64];
        fprintf(stderr, "zhibu: 无法创建临时目录：%s\n", sys_error_text(errno, eb, sizeof eb));
        tmpdir[0] = 0;
        return 2;
    }
    o->output_dir = tmpdir;
    o->quiet = 1;
    o->verifying = 1;
    int rc = run(o);
    if (rc) {
        fprintf(stderr, "zhibu: 无法重新生成（状态 %d，原因见上）\n", rc);
        return 2;
    }
    char path[4200], err[1024];
    snprintf(path, sizeof path, "%s/%s/%s", tmpdir, o->period.label, OUTPUT_MANIFEST);
    if (audit_manifest_read(path, rebuilt, err, sizeof err)) {
        fprintf(stderr, "zhibu: %s\n", err);
        return 2;
    }
    return 0;
}

/* A PDF or a workbook: its bytes against the rebuilt document's. */
static int verify_document(const char *file, const stamp *s, run_options *o, char *tmpdir, size_t tn)
{
    if (!s->document || !*s->document) {
        fprintf(stderr, "zhibu: %s: 元数据里没有说明这是哪一份文件（%s），无法重新生成\n", file, RAUDIT_KEY_DOCUMENT);
        return 2;
    }
    o->only_document = s->document;
    audit_record rebuilt;
    int rc = rebuild(o, tmpdir, tn, &rebuilt);
    if (rc) return rc;
    const audit_file *doc = NULL;
    for (size_t i = 0; i < rebuilt.nfiles; i++)
        if (rebuilt.files[i].kind == AUDIT_OUTPUT) doc = &rebuilt.files[i];
    char sha[SHA256_HEX];
    long long size;
    if (!doc || sha256_file(file, sha, &size)) {
        char eb[64];
        fprintf(stderr, "zhibu: %s: 无法比较：%s\n", file, doc ? sys_error_text(errno, eb, sizeof eb) : "没有重新生成出文件");
        audit_free(&rebuilt);
        return 2;
    }
    if (!strcmp(sha, doc->sha) && size == doc->size) {
        printf("一致：%s\n  数据指纹 %s\n  用同样的输入、规则和模板重新生成，逐字节相同\n", file, s->fp);
        rc = 0;
    } else {
        printf("不一致：%s\n  数据相同（数据指纹 %.16s… 一致），但文件内容与重新生成的不同：\n"
               "  文件在生成后被改动过，或者生成时的字体、zhibu 版本与现在不同\n",
               file, s->fp);
        rc = 1;
    }
    audit_free(&rebuilt);
    return rc;
}

/* A manifest: every output it lists, rebuilt and beside it. */
static int verify_manifest(const char *file, const stamp *s, run_options *o, char *tmpdir, size_t tn)
{
    const audit_record *m = &s->manifest;
    int has_pdf = 0, has_xlsx = 0, nout = 0;
    for (size_t i = 0; i < m->nfiles; i++) {
        if (m->files[i].kind != AUDIT_OUTPUT) continue;
        nout++;
        const char *dot = strrchr(m->files[i].name, '.');
        if (dot && !strcmp(dot, ".pdf")) has_pdf = 1;
        if (dot && !strcmp(dot, ".xlsx")) has_xlsx = 1;
    }
    o->no_pdf = !has_pdf;
    o->no_xlsx = !has_xlsx;
    audit_record rebuilt;
    int rc = rebuild(o, tmpdir, tn, &rebuilt);
    if (rc) return rc;
    char *dcopy = xstrdup(file);
    const char *dir = dirname(dcopy);
    int bad = 0;
    for (size_t i = 0; i < m->nfiles; i++) {
        const audit_file *f = &m->files[i];
        if (f->kind != AUDIT_OUTPUT) continue;
        const audit_file *r = audit_find(&rebuilt, AUDIT_OUTPUT, f->name);
        if (!r || strcmp(r->sha, f->sha)) {
            if (!bad++) printf("不一致：%s\n", file);
            printf("  %s：重新生成的文件与清单记录的不同（字体或 zhibu 版本不同？）\n", f->name);
        }
        char path[4200], sha[SHA256_HEX];
        snprintf(path, sizeof path, "%s/%s", dir, f->name);
        if (sha256_file(path, sha, NULL)) {
            if (!bad++) printf("不一致：%s\n", file);
            printf("  %s：清单里有，目录里没有\n", f->name);
        } else if (strcmp(sha, f->sha)) {
            if (!bad++) printf("不一致：%s\n", file);
            printf("  %s：文件在生成后被改动过\n", f->name);
        }
    }
    free(dcopy);
    audit_free(&rebuilt);
    if (bad) return 1;
    printf("一致：%s\n  数据指纹 %s\n  清单列出的 %d 个文件都与重新生成的逐字节相同\n", file, s->fp, nout);
    return 0;
}

static void verify_usage(FILE *f)
{
    fputs("用法 / usage: zhibu verify FILE [-i DIR] [-c RULES] [-t DIR] [--ledger FILE]\n"
          "  FILE 是 zhibu 生成的 PDF、XLSX 工作簿或 manifest.txt；用 -i、-c、-t（和 --ledger）给出的输入、\n"
          "  规则和模板重新计算数据指纹，再重新生成这份文件逐字节比较。选项要与生成时一样。\n"
          "退出状态 / exit status: 0 一致；1 不一致（说明哪里不同）；2 用法错误、文件没有数据指纹或无法重新生成\n",
          f);
}

int verify_main(int argc, char **argv)
{
    static const struct option longopts[] = {
        {"input", required_argument, 0, 'i'}, {"rules", required_argument, 0, 'c'},
        {"templates", required_argument, 0, 't'}, {"ledger", required_argument, 0, 'L'},
        {"help", no_argument, 0, 'h'}, {0, 0, 0, 0},
    };
    run_options o = {.input_dir = "input"};
    int c;
    optind = 1;
    while ((c = getopt_long(argc, argv, "i:c:t:h", longopts, NULL)) != -1) {
        switch (c) {
        case 'i': o.input_dir = optarg; break;
        case 'c': o.rules_file = optarg; break;
        case 't': o.templates_dir = optarg; break;
        case 'L': o.ledger_file = optarg; break;
        case 'h': verify_usage(stdout); return 0;
        default: verify_usage(stderr); return 2;
        }
    }
    if (argc - optind != 1) {
        verify_usage(stderr);
        return 2;
    }
    const char *file = argv[optind];
    stamp s;
    int rc = stamp_read(file, &s);
    if (rc) {
        stamp_free(&s);
        return rc;
    }
    if (run_audit_parse(s.run, s.options, &o)) {
        fprintf(stderr, "zhibu: %s: 元数据里的运行说明不完整（%s“%s”，%s“%s”）\n", file, RAUDIT_KEY_RUN,
                s.run ? s.run : "", RAUDIT_KEY_OPTIONS, s.options ? s.options : "");
        stamp_free(&s);
        return 2;
    }
    const char *tdir = templates_dir_find(o.templates_dir);
    o.templates_dir = tdir;
    char rules_buf[4096], err[1024];
    const char *rules = run_rules_path(&o, tdir, rules_buf, sizeof rules_buf);
    audit_record now;
    if (run_audit_collect(&o, tdir, rules, &now, err, sizeof err)) {
        fprintf(stderr, "zhibu: %s\n", err);
        stamp_free(&s);
        return 2;
    }

    /* the run's record: the manifest itself, or the one beside FILE from the same run */
    audit_record beside, *ref = NULL;
    if (s.kind == DOCFILE_MANIFEST) {
        ref = &s.manifest;
    } else {
        char *dcopy = xstrdup(file), path[4200];
        snprintf(path, sizeof path, "%s/%s", dirname(dcopy), OUTPUT_MANIFEST);
        free(dcopy);
        if (audit_manifest_read(path, &beside, err, sizeof err) == 0) {
            if (!strcmp(beside.fingerprint, s.fp)) ref = &beside;
            else audit_free(&beside);
        }
    }

    char tmpdir[4200] = "";
    if (strcmp(now.fingerprint, s.fp)) {
        printf("不一致：%s\n  数据指纹不同：生成时 %.16s…，按现在的输入、规则和模板是 %.16s…\n", file, s.fp, now.fingerprint);
        if (s.version && strcmp(s.version, ZHIBU_VERSION))
            printf("  zhibu 版本不同：文件由 zhibu %s 生成，现在是 %s\n", s.version, ZHIBU_VERSION);
        if (ref) {
            if (!name_changes(ref, &now, &o, tdir, rules) && !(s.version && strcmp(s.version, ZHIBU_VERSION)))
                printf("  manifest.txt 的文件列表与现在的文件相同，但指纹不符：manifest.txt 被改动过\n");
        } else {
            printf("  无法指出是哪个文件：%s 旁边没有这次运行的 manifest.txt；输入文件、规则或模板至少有一个与生成时不同\n",
                   file);
        }
        rc = 1;
    } else if (s.kind == DOCFILE_MANIFEST) {
        audit_record sealed = s.manifest; /* shallow: audit_seal only reorders and hashes */
        audit_seal(&sealed);
        if (strcmp(sealed.fingerprint, s.fp)) {
            printf("不一致：%s\n  manifest.txt 被改动过：它列出的文件与它的数据指纹不符\n", file);
            name_changes(&s.manifest, &now, &o, tdir, rules);
            rc = 1;
        } else {
            rc = verify_manifest(file, &s, &o, tmpdir, sizeof tmpdir);
        }
    } else {
        rc = verify_document(file, &s, &o, tmpdir, sizeof tmpdir);
    }
    if (tmpdir[0]) remove_tree(tmpdir);
    if (ref == &beside) audit_free(&beside);
    audit_free(&now);
    stamp_free(&s);
    return rc;
}
