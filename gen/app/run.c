/* run.c — see run.h. */
#include "app/run.h"
#include "input/dataset.h"
#include "check/evaluation.h"
#include "app/output.h"
#include "base/progress.h"
#include "app/report_csv.h"
#include "app/reports.h"
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

static int load_rules(const run_options *o, config *cfg, const char *tdir)
{
    char path[4096];
    const char *file = o->rules_file;
    if (!file) {
        snprintf(path, sizeof path, "%s/rules.ini", o->input_dir);
        if (access(path, F_OK) != 0) snprintf(path, sizeof path, "%s/rules.ini", tdir);
        file = path;
    }
    char err[1024];
    if (access(file, R_OK) != 0) {
        fprintf(stderr, "%s: 无法读取规则文件：%s\n", file, strerror(errno));
        return 2;
    }
    if (config_load(cfg, file, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return 2;
    }
    return 0;
}

static void report_problems(const run_options *o, const dataset *ds, problems *probs)
{
    problems_sort(probs);
    problems_print(probs, stderr);
    if (o->quiet && o->kind != RUN_CHECK) return;
    for (int f = 0; f < F_COUNT; f++) {
        const file_info *fi = &ds->files[f];
        if (!fi->present) continue;
        fprintf(stderr, "%s: %s，读入 %zu 行%s\n", fi->name, encoding_name(fi->encoding), fi->rows_read,
                fi->rows_skipped ? "（另有出错行被跳过）" : "");
    }
}

/* Write a file of the set through a callback; 0 ok. */
typedef int (*write_fn)(FILE *f, void *ctx);
static int write_file(output_set *out, const char *name, write_fn fn, void *ctx)
{
    const char *tmp = output_add(out, name);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "%s: 无法写入：%s\n", tmp, strerror(errno));
        return -1;
    }
    char phase[128];
    snprintf(phase, sizeof phase, "写出 %s", name);
    progress_start(phase, 0, NULL);
    int rc = fn(f, ctx);
    progress_end();
    if (fclose(f) != 0) rc = -1;
    if (rc) fprintf(stderr, "%s: 写入失败\n", name);
    return rc;
}

typedef struct {
    const dataset *ds;
    const config *cfg;
    const rules_result *rr;
    const evaluations *ev;
} run_data;

static int write_findings(FILE *f, void *vp)
{
    run_data *d = vp;
    return findings_csv_write(f, d->ds, d->cfg, d->rr);
}

static int write_evaluation(FILE *f, void *vp)
{
    run_data *d = vp;
    return evaluation_csv_write(f, d->ds, d->cfg, d->rr, d->ev);
}

int run(const run_options *o)
{
    const char *tdir = templates_dir_find(o->templates_dir);
    config cfg = {0};
    config_defaults(&cfg);
    int rc = load_rules(o, &cfg, tdir);
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
    report_problems(o, &ds, &probs);
    size_t skipped = 0;
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
        if (skipped) fprintf(stderr, "zhibu: --keep-going：跳过了 %zu 行有错误的数据\n", skipped);
        rules_result rr;
        progress_start("检查规则", 0, NULL);
        rules_run(&ds, &cfg, &o->period, &rr);
        evaluations ev = {0};
        if (o->kind == RUN_ANNUAL) {
            progress_start("考核评价", 0, NULL);
            evaluate(&ds, &cfg, &rr, &ev);
        }
        progress_end();
        output_set out;
        char err[1024] = "";
        if (output_open(&out, o->output_dir, o->period.label, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            rc = 2;
        } else {
            run_data d = {&ds, &cfg, &rr, &ev};
            report_ctx rc_ctx = {{&ds, &cfg, &rr, o->kind == RUN_ANNUAL ? &ev : NULL, &probs, tdir},
                                 o->jobs, o->quiet, o->no_pdf, o->no_xlsx, skipped, pdf};
            pdf = NULL;  /* reports_write frees it (and sets rc_ctx.pdf to NULL) */
            if (write_file(&out, "findings.csv", write_findings, &d) ||
                (o->kind == RUN_ANNUAL && write_file(&out, "evaluation.csv", write_evaluation, &d)) ||
                reports_write(&rc_ctx, &out) || output_commit(&out, err, sizeof err)) {
                if (err[0]) fprintf(stderr, "%s\n", err);
                output_abort(&out);
                fprintf(stderr, "zhibu: 生成失败，原有的输出没有改动\n");
                rc = 2;
            } else if (!o->quiet) {
                fprintf(stderr, "zhibu: %zu 条问题，输出在 %s/\n", rr.f.n, out.dir);
            }
            pdf_ctx_free(rc_ctx.pdf);  /* when reports_write was not reached */
            output_free(&out);
        }
        evaluations_free(&ev);
        rules_result_free(&rr);
    }
    dataset_free(&ds);
    problems_free(&probs);
    pdf_ctx_free(pdf);
    config_free(&cfg);
    return rc;
}
