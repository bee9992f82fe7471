/* run_audit.c — see run_audit.h. */
#include "app/run_audit.h"
#include "base/sys_error.h"
#include "app/version.h"
#include "audit/meta_read.h"
#include "input/columns.h"
#include "input/parse.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

const char *run_rules_path(const run_options *o, const char *tdir, char *buf, size_t n)
{
    if (o->rules_file) return o->rules_file;
    snprintf(buf, n, "%s/rules.ini", o->input_dir);
    if (access(buf, F_OK) != 0) snprintf(buf, n, "%s/rules.ini", tdir);
    return buf;
}

/* The templates each kind of run reads for its documents (whatever -f
   asks: the record does not depend on the formats written). */
static const char *const *run_templates(run_kind k)
{
    static const char *const monthly[] = {"monthly.ini", "wording.ini", "workbook.ini", NULL};
    static const char *const halfyear[] = {"halfyear.ini", "wording.ini", "workbook.ini", NULL};
    static const char *const annual[] = {"annual.ini", "unit-annual.ini", "wording.ini", "workbook.ini", NULL};
    static const char *const none[] = {NULL};
    return k == RUN_MONTHLY ? monthly : k == RUN_HALFYEAR ? halfyear : k == RUN_ANNUAL ? annual : none;
}


static const char *kind_word(run_kind k)
{
    return k == RUN_MONTHLY ? "monthly" : k == RUN_HALFYEAR ? "halfyear" : k == RUN_ANNUAL ? "annual" : "check";
}

void run_audit_words(const run_options *o, char *run, size_t rn, char *opts, size_t on)
{
    snprintf(run, rn, "%s %s", kind_word(o->kind), o->period.label);
    snprintf(opts, on, "keep-going=%s", o->keep_going ? "yes" : "no");
}

int run_audit_parse(const char *run, const char *opts, run_options *o)
{
    char kind[16], label[16], tail;
    if (!run || !opts || sscanf(run, "%15s %15s %c", kind, label, &tail) != 2) return -1;
    if (!strcmp(opts, "keep-going=yes")) o->keep_going = 1;
    else if (!strcmp(opts, "keep-going=no")) o->keep_going = 0;
    else return -1;
    int y, h, ym;
    if (!strcmp(kind, "monthly") && !parse_month(label, &ym)) {
        o->kind = RUN_MONTHLY;
        period_monthly(&o->period, ym);
    } else if (!strcmp(kind, "halfyear") && sscanf(label, "%4d-H%d%c", &y, &h, &tail) == 2 && y >= 1900 &&
               y <= 2999 && (h == 1 || h == 2)) {
        o->kind = RUN_HALFYEAR;
        period_halfyear(&o->period, y, h);
    } else if (!strcmp(kind, "annual") && sscanf(label, "%4d%c", &y, &tail) == 1 && y >= 1900 && y <= 2999) {
        o->kind = RUN_ANNUAL;
        period_annual(&o->period, y);
    } else {
        return -1;
    }
    /* the label must come back exactly as the run wrote it */
    return strcmp(o->period.label, label) ? -1 : 0;
}

static int add(audit_record *r, audit_kind k, const char *name, const char *dir, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return audit_add_path(r, k, name, path, err, errlen) < 0 ? -1 : 0;
}

/* The rectification ledger (SPEC 整改): --ledger FILE, else ledger.xlsx and
   ledger.csv of the input directory when present.  A --ledger file is named
   by its role and format, ledger.xlsx (a zip) or ledger.csv, so the same
   bytes give the same fingerprint wherever the file lies. */
static int add_ledger(audit_record *r, const run_options *o, char *err, size_t errlen)
{
    if (!o->ledger_file)
        return add(r, AUDIT_INPUT, "ledger.xlsx", o->input_dir, err, errlen) ||
               add(r, AUDIT_INPUT, "ledger.csv", o->input_dir, err, errlen) ? -1 : 0;
    docfile_kind k = DOCFILE_OTHER;
    char ignored[256];
    docfile_kind_of(o->ledger_file, &k, ignored, sizeof ignored);
    const char *name = k == DOCFILE_XLSX ? "ledger.xlsx" : "ledger.csv";
    /* a --ledger file that does not exist has no line: the run stops on it */
    return audit_add_path(r, AUDIT_INPUT, name, o->ledger_file, err, errlen) < 0 ? -1 : 0;
}

int run_audit_collect(const run_options *o, const char *tdir, const char *rules_path, audit_record *r, char *err,
                      size_t errlen)
{
    char run[64], opts[64];
    run_audit_words(o, run, sizeof run, opts, sizeof opts);
    audit_init(r, ZHIBU_VERSION, run, opts);
    int rc = 0;
    for (int f = 0; f < F_COUNT && !rc; f++) rc = add(r, AUDIT_INPUT, input_files[f].file, o->input_dir, err, errlen);
    if (!rc) rc = add_ledger(r, o, err, errlen);
    /* the rules by their role, whatever the file is called */
    if (!rc && audit_add_path(r, AUDIT_RULES, "rules.ini", rules_path, err, errlen) < 0) rc = -1;
    for (const char *const *t = run_templates(o->kind); *t && !rc; t++) rc = add(r, AUDIT_TEMPLATE, *t, tdir, err, errlen);
    if (rc) {
        audit_free(r);
        return -1;
    }
    audit_seal(r);
    return 0;
}

int run_manifest_write(output_set *out, audit_record *r, char *err, size_t errlen)
{
    /* reserved early by the run (a symbolic link there stops it before anything is written) */
    int m = strmap_get(&out->names, OUTPUT_MANIFEST);
    const char *tmp = m >= 0 ? out->tmp[m] : output_add(out, OUTPUT_MANIFEST);
    for (size_t i = 0; i < out->n; i++) {
        if (out->tmp[i] == tmp) continue;
        char sha[SHA256_HEX];
        long long size;
        if (sha256_file(out->tmp[i], sha, &size)) {
            char eb[64];
            snprintf(err, errlen, "%s: 无法读取：%s", out->tmp[i], sys_error_text(errno, eb, sizeof eb));
            return -1;
        }
        audit_add_hash(r, AUDIT_OUTPUT, output_name(out, i), sha, size);
    }
    audit_seal(r); /* sorts the outputs too; the fingerprint does not cover them */
    char shown[4200];
    snprintf(shown, sizeof shown, "%s/" OUTPUT_MANIFEST, out->dir);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        sys_write_failed(shown, errno, err, errlen);
        return -1;
    }
    errno = 0;
    int rc = audit_manifest_write(r, f);
    if (fclose(f) || rc) {
        sys_write_failed(shown, errno, err, errlen);
        return -1;
    }
    return 0;
}
