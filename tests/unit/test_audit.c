/*
 * test_audit.c — the audit trail (doc/audit.md): SHA-256 through libcrypto,
 * the run's record and its fingerprint (order of entries does not matter),
 * manifest.txt written and read back, the fingerprint read back from PDF
 * Info strings and workbook properties, the mark never adding a page, and
 * the output directory as a unit (symbolic links, a previous run's files).
 */
#include "check.h"
#include "fixture.h"
#include "app/output.h"
#include "app/run_audit.h"
#include "audit/fingerprint.h"
#include "audit/meta_read.h"
#include "audit/sha256.h"
#include "render/pdf/render_pdf.h"
#include "render/xlsx/render_xlsx.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char *read_text(const char *path)
{
    char err[256];
    return file_slurp(path, 1 << 26, NULL, err, sizeof err);
}

TEST(audit_sha256_known_values)
{
    char hex[SHA256_HEX];
    sha256_hex("abc", 3, hex);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    sha256_hex("", 0, hex);
    CHECK_STR(hex, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    char dir[] = "/tmp/zhibu-audit-XXXXXX", path[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/abc", dir);
    write_text(path, "abc");
    long long size = -1;
    CHECK_INT(sha256_file(path, hex, &size), 0);
    CHECK_STR(hex, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK_INT(size, 3);
    unlink(path);
    CHECK_INT(sha256_file(path, hex, &size), -1);
    CHECK_INT(errno, ENOENT);
    CHECK_INT(sha256_file(dir, hex, &size), -1);
    rmdir(dir);
}

static const char *const A = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";
static const char *const B = "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb";

TEST(audit_fingerprint_is_over_the_sorted_record)
{
    audit_record r1, r2;
    audit_init(&r1, "1.0.0", "monthly 2022-09", "keep-going=no");
    audit_add_hash(&r1, AUDIT_TEMPLATE, "wording.ini", A, 10);
    audit_add_hash(&r1, AUDIT_INPUT, "members.csv", B, 20);
    audit_add_hash(&r1, AUDIT_RULES, "rules.ini", A, 30);
    audit_add_hash(&r1, AUDIT_INPUT, "dues.csv", A, 40);
    audit_add_hash(&r1, AUDIT_OUTPUT, "a.pdf", B, 50);
    audit_seal(&r1);
    size_t n;
    char *pre = audit_preimage(&r1, &n);
    char want[1024];
    snprintf(want, sizeof want,
             "zhibu 1.0.0\nrun monthly 2022-09\noptions keep-going=no\n"
             "input %s 40 dues.csv\ninput %s 20 members.csv\nrules %s 30 rules.ini\ntemplate %s 10 wording.ini\n",
             A, B, A, A);
    CHECK_STR(pre, want);
    char hex[SHA256_HEX];
    sha256_hex(pre, n, hex);
    CHECK_STR(r1.fingerprint, hex);
    free(pre);
    /* the same files added in another order (as another directory might list them), no outputs */
    audit_init(&r2, "1.0.0", "monthly 2022-09", "keep-going=no");
    audit_add_hash(&r2, AUDIT_INPUT, "dues.csv", A, 40);
    audit_add_hash(&r2, AUDIT_RULES, "rules.ini", A, 30);
    audit_add_hash(&r2, AUDIT_INPUT, "members.csv", B, 20);
    audit_add_hash(&r2, AUDIT_TEMPLATE, "wording.ini", A, 10);
    audit_seal(&r2);
    CHECK_STR(r2.fingerprint, r1.fingerprint);
    /* one byte of one file, or an option, changes it */
    audit_free(&r2);
    audit_init(&r2, "1.0.0", "monthly 2022-09", "keep-going=yes");
    audit_add_hash(&r2, AUDIT_INPUT, "dues.csv", A, 40);
    audit_add_hash(&r2, AUDIT_RULES, "rules.ini", A, 30);
    audit_add_hash(&r2, AUDIT_INPUT, "members.csv", B, 20);
    audit_add_hash(&r2, AUDIT_TEMPLATE, "wording.ini", A, 10);
    audit_seal(&r2);
    CHECK(strcmp(r2.fingerprint, r1.fingerprint) != 0);
    audit_free(&r1);
    audit_free(&r2);
}

TEST(audit_manifest_round_trip)
{
    audit_record r, back;
    audit_init(&r, "1.0.0", "annual 2022", "keep-going=no");
    audit_add_hash(&r, AUDIT_INPUT, "members.csv", A, 20);
    audit_add_hash(&r, AUDIT_OUTPUT, "第一 支部.pdf", B, 1234567890123LL); /* a space in a name */
    audit_add_hash(&r, AUDIT_OUTPUT, "findings.csv", A, 5);
    audit_seal(&r);
    char dir[] = "/tmp/zhibu-audit-XXXXXX", path[128], err[256];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/manifest.txt", dir);
    FILE *f = fopen(path, "wb");
    CHECK(f && audit_manifest_write(&r, f) == 0);
    if (f) fclose(f);
    char *text = read_text(path);
    char first[128];
    snprintf(first, sizeof first, "fingerprint %s\nzhibu 1.0.0\n", r.fingerprint);
    CHECK(text && !strncmp(text, first, strlen(first)));
    /* outputs last, sorted by name */
    CHECK(text && strstr(text, "output") && strstr(text, "findings.csv") < strstr(text, "第一 支部.pdf"));
    free(text);
    CHECK_INT(audit_manifest_read(path, &back, err, sizeof err), 0);
    CHECK_STR(back.fingerprint, r.fingerprint);
    CHECK_STR(back.run, "annual 2022");
    const audit_file *pdf = audit_find(&back, AUDIT_OUTPUT, "第一 支部.pdf");
    CHECK(pdf && pdf->size == 1234567890123LL && !strcmp(pdf->sha, B));
    audit_seal(&back); /* recomputed from its lines: the same */
    CHECK_STR(back.fingerprint, r.fingerprint);
    audit_free(&back);
    /* not a manifest */
    CHECK_INT(audit_manifest_parse("fingerprint 12\n", 15, &back, err, sizeof err), -1);
    CHECK(strstr(err, "manifest.txt:1") != NULL);
    CHECK_INT(audit_manifest_parse("zhibu 1\n", 8, &back, err, sizeof err), -1);
    audit_free(&r);
    unlink(path);
    rmdir(dir);
}

TEST(audit_pdf_info_strings)
{
    /* a small PDF without a cross-reference table (qpdf rebuilds it, as a reader
       would), Info with zhibu's percent-encoded keys and a UTF-16 Keywords */
    const char *pdf = "%PDF-1.3\n"
                      "1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n"
                      "2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj\n"
                      "3 0 obj << /ZhibuFingerprintX (no) /ZhibuRun (annual 2022) /ZhibuOptions (bad%4) "
                      "/ZhibuDocument (branch:%E4%B8%AD%F0%9F%98%80) /Keywords <FEFF6570636E> >> endobj\n"
                      "trailer << /Root 1 0 R /Info 3 0 R >>\n%%EOF\n";
    char *v = pdf_info_get(pdf, strlen(pdf), "ZhibuRun");
    CHECK_STR(v, "annual 2022");
    free(v);
    v = pdf_info_get(pdf, strlen(pdf), "ZhibuDocument");
    CHECK_STR(v, "branch:中\xF0\x9F\x98\x80"); /* UTF-8 bytes as %XX, one above U+FFFF */
    free(v);
    CHECK(pdf_info_get(pdf, strlen(pdf), "ZhibuOptions") == NULL);     /* a %-escape cut short */
    CHECK(pdf_info_get(pdf, strlen(pdf), "ZhibuFingerprint") == NULL); /* only a longer key */
    CHECK(pdf_info_get(pdf, strlen(pdf), "Keywords") == NULL);         /* not one of zhibu's keys */
    CHECK(pdf_info_get("not a pdf", 9, "ZhibuRun") == NULL);
}

static pdf_ctx *mark_ctx(void)
{
    pdf_font_names names = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN", NULL, 0, NULL};
    char err[256];
    pdf_ctx *c = pdf_ctx_new(&names, err, sizeof err);
    if (!c) fprintf(stderr, "  %s\n", err);
    return c;
}

static const raudit demo_audit = {"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", "1.0.0",
                                  "monthly 2022-09", "keep-going=no", "branch:第一党支部"};

/* A document of n body lines, with a signature block at its foot or not
   (then the text can fill the last page to its foot). */
static rdoc *lines_doc(int n, int with_mark, int with_sig)
{
    rdoc *d = rdoc_new();
    d->title = "测试";
    d->date = "2022-09-30";
    if (with_mark) d->audit = demo_audit;
    rsection *s = rdoc_add_section(d, NULL);
    for (int i = 0; i < n; i++) rsec_add_paragraph(d, s, "一行正文。");
    if (!with_sig) return d;
    rsignature *sig = rsec_add_signature(d, s);
    rsig_add(d, sig, "支部书记（签字）：＿＿＿＿＿＿＿＿");
    rsig_add(d, sig, "年　　月　　日");
    return d;
}

static int pdf_pages(const char *path)
{
    size_t len;
    char err[256];
    char *buf = file_slurp(path, 1 << 26, &len, err, sizeof err);
    int n = 0;
    for (const char *p = buf, *end = buf + len; p && (p = memmem(p, (size_t)(end - p), "/Type /Page", 11)); p++)
        if (p[11] != 's') n++;
    free(buf);
    return n;
}

TEST(audit_pdf_mark_stamp_and_never_a_page_more)
{
    pdf_ctx *c = mark_ctx();
    CHECK(c != NULL);
    if (!c) return;
    char dir[] = "/tmp/zhibu-audit-XXXXXX", a[128], b[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    /* every filling of the last page, up to one that leaves the foot no room */
    int same = 0, tried = 0;
    for (int k = 0; k < 62; k++) {
        int n = 10 + k / 2;
        rdoc *with = lines_doc(n, 1, k % 2), *without = lines_doc(n, 0, k % 2);
        CHECK_INT(pdf_render(c, with, a, err, sizeof err), 0);
        CHECK_INT(pdf_render(c, without, b, err, sizeof err), 0);
        tried++;
        same += pdf_pages(a) == pdf_pages(b) && pdf_pages(a) > 0;
        rdoc_free(with);
        rdoc_free(without);
    }
    CHECK_INT(same, tried);
    rdoc *d = lines_doc(3, 1, 1);
    CHECK_INT(pdf_render(c, d, a, err, sizeof err), 0);
    size_t n;
    char *buf = file_slurp(a, 1 << 26, &n, err, sizeof err), *v;
    CHECK(buf != NULL);
    if (buf) {
        CHECK_STR(v = pdf_info_get(buf, n, RAUDIT_KEY_FINGERPRINT), demo_audit.fingerprint);
        free(v);
        CHECK_STR(v = pdf_info_get(buf, n, RAUDIT_KEY_DOCUMENT), "branch:第一党支部");
        free(v);
        CHECK_STR(v = pdf_info_get(buf, n, RAUDIT_KEY_RUN), "monthly 2022-09");
        free(v);
        free(buf);
    }
    /* no fingerprint, no mark and no keys */
    rdoc_free(d);
    d = lines_doc(3, 0, 1);
    CHECK_INT(pdf_render(c, d, b, err, sizeof err), 0);
    buf = file_slurp(b, 1 << 26, &n, err, sizeof err);
    CHECK(buf && !pdf_info_get(buf, n, RAUDIT_KEY_FINGERPRINT) && !memmem(buf, n, "Zhibu", 5));
    free(buf);
    rdoc_free(d);
    pdf_ctx_free(c);
    unlink(a);
    unlink(b);
    rmdir(dir);
}

TEST(audit_xlsx_custom_properties)
{
    char dir[] = "/tmp/zhibu-audit-XXXXXX", path[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(path, sizeof path, "%s/w.xlsx", dir);
    rdoc *d = rdoc_new();
    d->title = "工作簿";
    d->date = "2022-09-30";
    d->audit = demo_audit;
    d->audit.document = "workbook";
    rsection *s = rdoc_add_section(d, "汇总");
    rtable *t = rsec_add_table(d, s, 1);
    rtable_col(d, t, 0, "列", 1, ALIGN_LEFT);
    CHECK_INT(xlsx_render(d, path, err, sizeof err), 0);
    const char *names[] = {RAUDIT_KEY_FINGERPRINT, RAUDIT_KEY_DOCUMENT, "NoSuchKey"};
    char *vals[3];
    CHECK_INT(xlsx_custom_get(path, names, vals, 3, err, sizeof err), 0);
    CHECK_STR(vals[0], demo_audit.fingerprint);
    CHECK_STR(vals[1], "workbook");
    CHECK(vals[2] == NULL);
    for (int i = 0; i < 3; i++) free(vals[i]);
    docfile_kind k;
    CHECK_INT(docfile_kind_of(path, &k, err, sizeof err), 0);
    CHECK_INT(k, DOCFILE_XLSX);
    /* not a workbook */
    write_text(path, "PK\x03\x04 broken");
    CHECK_INT(xlsx_custom_get(path, names, vals, 3, err, sizeof err), -1);
    rdoc_free(d);
    unlink(path);
    rmdir(dir);
}

/* --- the output directory as a unit (SPEC 21) --------------------------- */

static void put(output_set *o, const char *name, const char *text)
{
    write_text(output_add(o, name), text);
}

/* A committed run writing the files names[0..n) and a manifest listing them. */
static int commit_run(const char *base, const char *const *names, int n, const char *text)
{
    output_set o;
    char err[256];
    if (output_open(&o, base, "2022-09", err, sizeof err)) return -1;
    audit_record r;
    audit_init(&r, "1.0.0", "monthly 2022-09", "keep-going=no");
    for (int i = 0; i < n; i++) put(&o, names[i], text);
    for (size_t i = 0; i < o.n; i++) {
        char sha[SHA256_HEX];
        long long size;
        sha256_file(o.tmp[i], sha, &size);
        audit_add_hash(&r, AUDIT_OUTPUT, output_name(&o, i), sha, size);
    }
    audit_seal(&r);
    FILE *f = fopen(output_add(&o, OUTPUT_MANIFEST), "wb");
    audit_manifest_write(&r, f);
    fclose(f);
    audit_free(&r);
    int rc = output_commit(&o, err, sizeof err);
    output_free(&o);
    return rc;
}

static int exists(const char *dir, const char *name)
{
    char p[512];
    snprintf(p, sizeof p, "%s/2022-09/%s", dir, name);
    return access(p, F_OK) == 0;
}

TEST(output_previous_run_files_removed_others_kept)
{
    char base[] = "/tmp/zhibu-unit-XXXXXX", p[512];
    CHECK(mkdtemp(base) != NULL);
    const char *first[] = {"findings.csv", "第二支部.pdf", "edited.pdf"};
    CHECK_INT(commit_run(base, first, 3, "one"), 0);
    snprintf(p, sizeof p, "%s/2022-09/notes.txt", base);
    write_text(p, "mine"); /* not zhibu's */
    snprintf(p, sizeof p, "%s/2022-09/edited.pdf", base);
    write_text(p, "changed by hand"); /* zhibu's, but changed since */
    const char *second[] = {"findings.csv", "第二党支部.pdf"};
    CHECK_INT(commit_run(base, second, 2, "two"), 0);
    CHECK(exists(base, "findings.csv"));
    CHECK(exists(base, "第二党支部.pdf"));
    CHECK(!exists(base, "第二支部.pdf")); /* the renamed branch's old file */
    CHECK(exists(base, "notes.txt"));
    CHECK(exists(base, "edited.pdf"));
    CHECK(exists(base, "manifest.txt"));
    snprintf(p, sizeof p, "rm -rf %s", base);
    CHECK_INT(system(p), 0);
}

TEST(output_symbolic_links_refused)
{
    char base[] = "/tmp/zhibu-unit-XXXXXX", p[512], q[512], err[256] = "";
    CHECK(mkdtemp(base) != NULL);
    snprintf(p, sizeof p, "%s/elsewhere", base);
    CHECK_INT(mkdir(p, 0777), 0);
    snprintf(q, sizeof q, "%s/2022-09", base);
    CHECK_INT(symlink(p, q), 0);
    output_set o;
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), -1);
    CHECK(strstr(err, "符号链接") != NULL);
    output_free(&o);
    unlink(q);
    /* a link at a name the run would write */
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), 0);
    snprintf(q, sizeof q, "%s/2022-09/b.pdf", base);
    snprintf(p, sizeof p, "%s/elsewhere/victim", base);
    CHECK_INT(symlink(p, q), 0);
    output_add(&o, "a.csv");
    CHECK(output_refused(&o) == NULL);
    output_add(&o, "b.pdf");
    CHECK(output_refused(&o) && strstr(output_refused(&o), "b.pdf"));
    CHECK_INT(output_commit(&o, err, sizeof err), -1);
    output_abort(&o);
    output_free(&o);
    CHECK(access(p, F_OK) != 0);
    /* a name twice */
    unlink(q);
    CHECK_INT(output_open(&o, base, "2022-09", err, sizeof err), 0);
    output_add(&o, "x.pdf");
    output_add(&o, "x.pdf");
    CHECK(output_refused(&o) && strstr(output_refused(&o), "同名"));
    output_free(&o);
    snprintf(p, sizeof p, "rm -rf %s", base);
    CHECK_INT(system(p), 0);
}

/* --- what a run's record covers (run_audit.c) ---------------------------- */

TEST(audit_run_record_files)
{
    char dir[] = "/tmp/zhibu-audit-XXXXXX", p[512], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(p, sizeof p, "mkdir -p %s/in %s/tpl %s/else", dir, dir, dir);
    CHECK_INT(system(p), 0);
    const char *files[][2] = {{"in/members.csv", "m"}, {"in/dues.csv", "d"}, {"in/ledger.csv", "l"},
                              {"in/README.md", "not an input"}, {"tpl/monthly.ini", "t"}, {"tpl/annual.ini", "a"},
                              {"tpl/rules.ini", "r"}, {"else/台账.xlsx", "PK\x03\x04 zip"}};
    for (size_t i = 0; i < sizeof files / sizeof *files; i++) {
        snprintf(p, sizeof p, "%s/%s", dir, files[i][0]);
        write_text(p, files[i][1]);
    }
    char in[256], tpl[256], rules[256], buf[512];
    snprintf(in, sizeof in, "%s/in", dir);
    snprintf(tpl, sizeof tpl, "%s/tpl", dir);
    run_options o = {.input_dir = in, .kind = RUN_MONTHLY};
    period_monthly(&o.period, 202209);
    snprintf(buf, sizeof buf, "%s/rules.ini", tpl); /* no rules.ini among the inputs */
    CHECK_STR(run_rules_path(&o, tpl, rules, sizeof rules), buf);
    audit_record r;
    CHECK_INT(run_audit_collect(&o, tpl, rules, &r, err, sizeof err), 0);
    CHECK_STR(r.run, "monthly 2022-09");
    CHECK_STR(r.options, "keep-going=no");
    CHECK(audit_find(&r, AUDIT_INPUT, "members.csv") && audit_find(&r, AUDIT_INPUT, "dues.csv"));
    CHECK(audit_find(&r, AUDIT_INPUT, "ledger.csv") != NULL);
    CHECK(audit_find(&r, AUDIT_INPUT, "meetings.csv") == NULL); /* absent: no line */
    CHECK(audit_find(&r, AUDIT_INPUT, "README.md") == NULL);
    CHECK(audit_find(&r, AUDIT_RULES, "rules.ini") != NULL);
    CHECK(audit_find(&r, AUDIT_TEMPLATE, "monthly.ini") != NULL);
    CHECK(audit_find(&r, AUDIT_TEMPLATE, "annual.ini") == NULL); /* another kind's */
    char fp1[SHA256_HEX];
    memcpy(fp1, r.fingerprint, sizeof fp1);
    audit_free(&r);
    /* --ledger FILE: that file, named by its format, instead of the input directory's */
    snprintf(buf, sizeof buf, "%s/else/台账.xlsx", dir);
    o.ledger_file = buf;
    CHECK_INT(run_audit_collect(&o, tpl, rules, &r, err, sizeof err), 0);
    const audit_file *lx = audit_find(&r, AUDIT_INPUT, "ledger.xlsx");
    CHECK(lx && lx->size == 8); /* PK, two bytes, " zip" */
    CHECK(audit_find(&r, AUDIT_INPUT, "ledger.csv") == NULL);
    CHECK(strcmp(r.fingerprint, fp1) != 0);
    audit_free(&r);
    /* words back to a run */
    run_options back = {0};
    CHECK_INT(run_audit_parse("halfyear 2022-H2", "keep-going=yes", &back), 0);
    CHECK(back.kind == RUN_HALFYEAR && back.keep_going == 1 && !strcmp(back.period.label, "2022-H2"));
    CHECK_INT(run_audit_parse("annual 2022", "keep-going=no", &back), 0);
    CHECK_INT(run_audit_parse("monthly 2022-13", "keep-going=no", &back), -1);
    CHECK_INT(run_audit_parse("check 2022", "keep-going=no", &back), -1);
    CHECK_INT(run_audit_parse("annual 2022", "keep-going=maybe", &back), -1);
    snprintf(p, sizeof p, "rm -rf %s", dir);
    CHECK_INT(system(p), 0);
}
