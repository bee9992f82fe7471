/* run.c — see run.h. */
#include "app/run.h"
#include "input/dataset.h"
#include "input/csv_read.h"
#include "input/ledger.h"
#include "check/facts.h"
#include "check/rectify.h"
#include "check/warnings.h"
#include "app/output.h"
#include "base/progress.h"
#include "base/sys_error.h"
#include "app/reports.h"
#include "app/run_audit.h"
#include "app/version.h"
#include "app/font_check.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#ifndef ZHIBU_DATADIR
#define ZHIBU_DATADIR "/usr/local/share/zhibu"
#endif

const char *templates_dir_find(const char *given)
{
    static char buf[4096];
    if (given) return given;
    const char *env = getenv("ZHIBU_TEMPLATES");
    if (env && *env) return env;
    if (access("templates/rules.ini", R_OK) == 0) return "templates";
    /* next to the binary (a build tree), then the installed copy */
    ssize_t n = readlink("/proc/self/exe", buf, sizeof buf - 32);
    if (n > 0) {
        buf[n] = 0;
        char *slash = strrchr(buf, '/');
        if (slash) {
            strcpy(slash, "/templates");
            char probe[4200];
            snprintf(probe, sizeof probe, "%s/rules.ini", buf);
            if (access(probe, R_OK) == 0) return buf;
        }
    }
    return ZHIBU_DATADIR "/templates";
}

static int load_rules(const char *file, config *cfg)
{
    char err[1024];
    if (access(file, R_OK) != 0) {
        char eb[64];
        fprintf(stderr, "%s: 无法读取规则文件：%s\n", file, sys_error_text(errno, eb, sizeof eb));
        return 2;
    }
    if (config_load(cfg, file, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    return 0;
}

/* The 整改台账: --ledger FILE, else input/ledger.xlsx or input/ledger.csv when
   there (both there: a file-level problem).  *have = a ledger was read;
   -1 on a file-level problem. */
static int load_ledger(const run_options *o, ledger *lg, int *have, problems *probs)
{
    char path[4096];
    const char *file = o->ledger_file;
    memset(lg, 0, sizeof *lg);
    *have = 0;
    if (!file) {
        int k = ledger_find_in_dir(o->input_dir, path, sizeof path, probs);
        if (k <= 0) return k;
        file = path;
    }
    const char *codes[R_COUNT];
    for (int r = 0; r < R_COUNT; r++) codes[r] = rule_code_name((rule_code)r);
    const char *slash = strrchr(file, '/');
    *have = 1;
    return ledger_load(lg, file, slash && slash[1] ? slash + 1 : file, codes, R_COUNT, probs);
}

static void report_problems(const run_options *o, const dataset *ds, const ledger *lg, problems *probs)
{
    problems_sort(probs);
    if (o->verifying) return; /* the run being verified showed them */
    problems_print(probs, stderr);
    if (o->quiet && o->kind != RUN_CHECK) return;
    for (int f = 0; f < F_COUNT; f++) {
        const file_info *fi = &ds->files[f];
        if (!fi->present) continue;
        /* the separator only when it is not the comma (SPEC item 18) */
        char sep[64] = "";
        if (fi->delimiter && fi->delimiter != ',') snprintf(sep, sizeof sep, "，%s分隔", csv_delim_name(fi->delimiter));
        fprintf(stderr, "%s: %s%s，读入 %zu 行%s\n", fi->name, encoding_name(fi->encoding), sep, fi->rows_read,
                fi->rows_skipped ? "（另有出错行被跳过）" : "");
    }
    if (lg) {
        char how[64];
        if (lg->xlsx && lg->ntracking)
            snprintf(how, sizeof how, "XLSX，%d 张问题清单、%d 张整改台账", lg->nsheets, lg->ntracking);
        else if (lg->xlsx) snprintf(how, sizeof how, "XLSX，%d 张问题清单", lg->nsheets);
        else snprintf(how, sizeof how, "%s", encoding_name(lg->encoding));
        fprintf(stderr, "%s: 整改台账（%s），读入 %zu 条：未整改 %zu、整改中 %zu、已整改 %zu、无需整改 %zu%s\n", lg->name, how,
                lg->n, lg->count[LEDGER_OPEN], lg->count[LEDGER_IN_PROGRESS], lg->count[LEDGER_DONE],
                lg->count[LEDGER_NOT_NEEDED], lg->rows_skipped ? "（另有出错行被跳过）" : "");
    }
}

/* A ledger id that names no problem of this run: an input warning at its row
   (stderr, the 输入问题 sheet), its marks unused. */
static void report_unknown_ids(const run_options *o, const facts *f, const rectification *r, problems *probs)
{
    const run_period *p = &f->period;
    for (size_t i = 0; i < r->nunknown; i++) {
        const ledger_entry *e = r->unknown[i].e;
        char why[256];
        switch (r->unknown[i].why) {
        case RU_MEMBER: snprintf(why, sizeof why, "其中的党员编号不在党员名单中"); break;
        case RU_BRANCH: snprintf(why, sizeof why, "其中的支部不是本次的支部"); break;
        case RU_MEETING: snprintf(why, sizeof why, "其中的活动编号不在活动记录中，或不是该支部的活动"); break;
        case RU_PERIOD:
            if (p->last_month == 1) snprintf(why, sizeof why, "其中的期间不在本次检查的 %d年1月内", p->year);
            else snprintf(why, sizeof why, "其中的期间不在本次检查的 %d年1—%d月内", p->year, p->last_month);
            break;
        case RU_KIND: snprintf(why, sizeof why, "月度检查不核对这类问题（全年下沉次数、时长在半年和年度检查中核对）"); break;
        }
        problem_add(probs, PROB_WARNING, e->file, e->line, "problem_id", "“%s”对应不到本次检查的问题：%s，这一行的整改情况未使用",
                    e->problem_id, why);
        if (!o->verifying) {
            char buf[2048];
            fprintf(stderr, "%s\n", problem_format(&probs->v[probs->n - 1], buf, sizeof buf));
        }
    }
    if (r->nunknown) problems_sort(probs);
}

int run(const run_options *o)
{
    const char *tdir = templates_dir_find(o->templates_dir);
    config cfg = {0};
    config_defaults(&cfg);
    char rules_buf[4096];
    const char *rules_path = run_rules_path(o, tdir, rules_buf, sizeof rules_buf);
    int rc = load_rules(rules_path, &cfg);
    if (rc) {
        config_free(&cfg);
        return rc;
    }
    /* the PDF faces are configuration: checked before any input is read */
    pdf_ctx *pdf = NULL;
    if (o->kind == RUN_CHECK || !o->no_pdf) {
        char err[1024];
        pdf = fonts_open(&cfg, tdir, o->kind, err, sizeof err);
        if (!pdf) {
            fprintf(stderr, "zhibu: 字体配置错误：%s\n", err);
            config_free(&cfg);
            return 2;
        }
    }
    problems probs;
    problems_init(&probs);
    progress_init(o->quiet);
    dataset ds;
    int year = o->kind == RUN_CHECK && o->period.year == 0 ? 0 : o->period.year;
    int load_rc = dataset_load(&ds, o->input_dir, year, &cfg, &probs);
    if (pdf && load_rc == 0) fonts_check_data(pdf, &ds, &probs);
    ledger lg;
    int have_ledger;
    if (load_ledger(o, &lg, &have_ledger, &probs)) load_rc = -1;
    report_problems(o, &ds, have_ledger && !probs.nfatal ? &lg : NULL, &probs);
    size_t skipped = lg.rows_skipped;
    for (int f = 0; f < F_COUNT; f++) skipped += ds.files[f].rows_skipped;

    if (load_rc || probs.nfatal) {
        fprintf(stderr, "zhibu: 输入文件有问题，未生成报告\n");
        rc = 1;
    } else if (o->kind == RUN_CHECK) {
        if (probs.nerrors) {
            fprintf(stderr, "zhibu: %zu 个错误、%zu 个警告\n", probs.nerrors, probs.nwarnings);
            rc = 1;
        } else {
            fprintf(stderr, "zhibu: 没有错误%s\n", probs.nwarnings ? "（有警告，见上）" : "，输入数据可以使用");
        }
    } else if (probs.nerrors && !o->keep_going) {
        fprintf(stderr, "zhibu: %zu 个错误，未生成报告（改正后重试，或用 --keep-going 跳过出错的行）\n",
                probs.nerrors);
        rc = 1;
    } else {
        if (skipped && !o->verifying) fprintf(stderr, "zhibu: --keep-going：跳过了 %zu 行有错误的数据\n", skipped);
        facts fx;
        progress_start(o->kind == RUN_ANNUAL ? "检查规则、考核评价" : "检查规则", 0, NULL);
        facts_build(&fx, &ds, &cfg, &o->period);
        /* before the reports: the early warnings, and the ledger carried forward */
        warning_list warns;
        rectification rect;
        warnings_build(&fx, warnings_month(&o->period), &warns);
        rect_build(&fx, have_ledger ? &lg : NULL, &rect);
        progress_end();
        report_unknown_ids(o, &fx, &rect, &probs);
        /* The facts hold all that any output shows of the dues rows (paid and date per
           member and month), so their memory goes back before the documents are built
           (a city's 2.3 million rows: 90 MB). */
        free(ds.pay);
        ds.pay = NULL;
        ds.npay = ds.cap_p = 0;
        output_set out;
        audit_record aud;
        char err[1024] = "";
        /* the fingerprint (doc/audit.md) over the files this run read */
        if (run_audit_collect(o, tdir, rules_path, &aud, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            rc = 2;
        } else if (output_open(&out, o->output_dir, o->period.label, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            output_free(&out);
            audit_free(&aud);
            rc = 2;
        } else {
            report_ctx rc_ctx = {{&ds, &cfg, &fx, &probs, tdir, have_ledger ? &lg : NULL, &warns, &rect},
                                 o->jobs, o->quiet, o->no_pdf, o->no_xlsx, skipped,
                                 pdf, {aud.fingerprint, aud.version, aud.run, aud.options, NULL}, o->only_document};
            pdf = NULL;  /* reports_write frees it (and sets rc_ctx.pdf to NULL) */
            /* every name is reserved before anything is written (SPEC 21) */
            output_add(&out, OUTPUT_MANIFEST);
            if (reports_write(&rc_ctx, &out) || output_refused(&out) ||
                run_manifest_write(&out, &aud, err, sizeof err) || output_commit(&out, err, sizeof err)) {
                if (output_refused(&out)) snprintf(err, sizeof err, "%s", output_refused(&out));
                if (err[0]) fprintf(stderr, "zhibu: %s\n", err);
                output_abort(&out);
                fprintf(stderr, "zhibu: 生成失败，原有的输出没有改动\n");
                rc = 2;
            } else if (!o->quiet && !o->verifying) {
                fprintf(stderr, "zhibu: %zu 条问题，输出在 %s/\n", fx.f.n, out.dir);
            }
            pdf_ctx_free(rc_ctx.pdf);  /* when reports_write was not reached */
            output_free(&out);
            audit_free(&aud);
        }
        rect_free(&rect);
        warnings_free(&warns);
        facts_free(&fx);
    }
    ledger_free(&lg);
    dataset_free(&ds);
    problems_free(&probs);
    pdf_ctx_free(pdf);
    config_free(&cfg);
    return rc;
}
