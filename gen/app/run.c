/* run.c — see run.h. */
#include "app/run.h"
#include "input/dataset.h"
#include "check/facts.h"
#include "app/output.h"
#include "base/progress.h"
#include "app/reports.h"
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
    problems probs;
    problems_init(&probs);
    progress_init(o->quiet);
    dataset ds;
    int year = o->kind == RUN_CHECK && o->period.year == 0 ? 0 : o->period.year;
    int load_rc = dataset_load(&ds, o->input_dir, year, &cfg, &probs);
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
        facts fx;
        progress_start(o->kind == RUN_ANNUAL ? "检查规则、考核评价" : "检查规则", 0, NULL);
        facts_build(&fx, &ds, &cfg, &o->period);
        progress_end();
        /* The facts hold all that any output shows of the dues rows (paid and date per
           member and month), so their memory goes back before the documents are built
           (a city's 2.3 million rows: 90 MB). */
        free(ds.pay);
        ds.pay = NULL;
        ds.npay = ds.cap_p = 0;
        output_set out;
        char err[1024] = "";
        if (output_open(&out, o->output_dir, o->period.label, err, sizeof err)) {
            fprintf(stderr, "%s\n", err);
            rc = 2;
        } else {
            report_ctx rc_ctx = {{&ds, &cfg, &fx, &probs, tdir}, o->jobs, o->quiet, o->no_pdf, o->no_xlsx, skipped};
            if (reports_write(&rc_ctx, &out) || output_commit(&out, err, sizeof err)) {
                if (err[0]) fprintf(stderr, "%s\n", err);
                output_abort(&out);
                fprintf(stderr, "zhibu: 生成失败，原有的输出没有改动\n");
                rc = 2;
            } else if (!o->quiet) {
                fprintf(stderr, "zhibu: %zu 条问题，输出在 %s/\n", fx.f.n, out.dir);
            }
            output_free(&out);
        }
        facts_free(&fx);
    }
    dataset_free(&ds);
    problems_free(&probs);
    config_free(&cfg);
    return rc;
}
