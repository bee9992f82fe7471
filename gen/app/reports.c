/*
 * reports.c — the human reports of a run: one PDF per branch (plus the
 * unit's for annual) rendered by worker processes, and one workbook.
 *
 * The builder context (indexes over the run's data) and the PDF faces are
 * made once; after fork() the workers share them copy-on-write, and each
 * renders every N-th branch.  Output names are reserved in the output set
 * before the fork, so the parent commits or removes them all.
 */
#include "app/reports.h"
#include "base/progress.h"
#include "build/build.h"
#include "build/build_reports.h"
#include "render/pdf/render_pdf.h"
#include "render/xlsx/render_xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

typedef rdoc *(*branch_builder)(build_ctx *b, int branch);

typedef struct {
    int branch;            /* -1: the unit document */
    const char *path;      /* temporary path in the output set */
} pdf_job;

/* A file name from a template pattern, made safe and unique in the run. */
static void file_name(const char *pattern, const tvars *v, char **used, size_t nused,
                      char *out, size_t n)
{
    rdoc *tmp = rdoc_new();
    const char *raw = tmpl_expand(tmp, pattern, v);
    char base[256];
    safe_name(raw, base, sizeof base);
    rdoc_free(tmp);
    /* split the extension so "~2" goes before it */
    char stem[256], ext[32] = "";
    snprintf(stem, sizeof stem, "%s", base);
    char *dot = strrchr(stem, '.');
    if (dot && strlen(dot) < sizeof ext) {
        snprintf(ext, sizeof ext, "%s", dot);
        *dot = 0;
    }
    snprintf(out, n, "%s%s", stem, ext);
    for (int k = 2;; k++) {
        int clash = 0;
        for (size_t i = 0; i < nused && !clash; i++) clash = !strcmp(used[i], out);
        if (!clash) return;
        snprintf(out, n, "%s~%d%s", stem, k, ext);
    }
}

static int render_jobs(build_ctx *b, const report_ctx *rc, branch_builder build, const pdf_job *jobs, size_t njobs,
                       int worker, int nworkers)
{
    char err[1024];
    pdf_ctx *pdf = rc->pdf;
    int rc_ = 0;
    for (size_t i = (size_t)worker; i < njobs && rc_ == 0; i += (size_t)nworkers) {
        /* the first worker speaks for all: they advance in step */
        if (worker == 0) progress_tick(i);
        rdoc *d = jobs[i].branch >= 0 ? build(b, jobs[i].branch) : build_annual_unit(b);
        if (pdf_render(pdf, d, jobs[i].path, err, sizeof err)) {
            fprintf(stderr, "zhibu: %s: %s\n", jobs[i].branch >= 0 ? b->ds->branches[jobs[i].branch].name : "单位报告", err);
            rc_ = -1;
        }
        rdoc_free(d);
    }
    return rc_;
}

static int write_workbook(build_ctx *b, const report_ctx *rc, output_set *out);

/* Work for the parent while the workers render (the workbook); 0 ok. */
typedef struct {
    int (*fn)(build_ctx *b, const report_ctx *rc, output_set *out);
    output_set *out;
} meanwhile_work;

static int run_workers(build_ctx *b, report_ctx *rc, branch_builder build, const pdf_job *jobs, size_t njobs,
                       const meanwhile_work *mw)
{
    int n = rc->jobs > 0 ? rc->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if ((size_t)n > njobs) n = (int)(njobs ? njobs : 1);
    if (n == 1) {
        int r = render_jobs(b, rc, build, jobs, njobs, 0, 1);
        pdf_ctx_free(rc->pdf);
        rc->pdf = NULL;
        return r == 0 && mw->fn ? mw->fn(b, rc, mw->out) : r;
    }
    fflush(NULL);
    pid_t *pids = xcalloc((size_t)n, sizeof *pids), parent = getpid();
    int failed = 0;
    for (int w = 0; w < n; w++) {
        pid_t p = fork();
        if (p == 0) {
            /* a killed parent takes its workers with it (their files are temporaries) */
            prctl(PR_SET_PDEATHSIG, SIGKILL);
            if (getppid() != parent) _exit(1);
            _exit(render_jobs(b, rc, build, jobs, njobs, w, n) ? 1 : 0);
        }
        if (p < 0) { failed = 1; break; }
        pids[w] = p;
    }
    /* the workers were forked before the workbook is built: they do not
       carry its memory, and it is written while they render, without the
       faces (the workers have their own copy) */
    pdf_ctx_free(rc->pdf);
    rc->pdf = NULL;
    if (!failed && mw->fn && mw->fn(b, rc, mw->out) != 0) {
        failed = 1;
        for (int w = 0; w < n; w++)
            if (pids[w] > 0) kill(pids[w], SIGKILL);  /* their files are temporaries of the set */
    }
    for (int w = 0; w < n; w++) {
        int st;
        if (pids[w] > 0 && (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))) failed = 1;
    }
    free(pids);
    return failed ? -1 : 0;
}

static int write_pdfs(build_ctx *b, report_ctx *rc, output_set *out, const meanwhile_work *mw)
{
    char err[1024];
    const run_period *p = &rc->in.rr->period;
    const char *tname = p->kind == RUN_ANNUAL ? "annual.ini" : p->kind == RUN_HALFYEAR ? "halfyear.ini" : "monthly.ini";
    branch_builder build = p->kind == RUN_ANNUAL ? build_annual_branch
                         : p->kind == RUN_HALFYEAR ? build_halfyear_branch : build_monthly_branch;
    if (build_template(b, rc->in.templates_dir, tname, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    size_t nb = rc->in.ds->nbranches, njobs = 0;
    pdf_job *jobs = xcalloc(nb + 1, sizeof *jobs);
    char **used = xcalloc(nb + 1, sizeof *used);
    const char *pattern = tmpl_get(&b->tmpl, "document", "file", "{branch}.pdf");
    for (size_t i = 0; i <= nb; i++) {
        int branch = i < nb ? (int)i : -1;
        if (branch < 0 && p->kind != RUN_ANNUAL) break;
        tvars v;
        build_vars(b, &v, branch);
        if (branch < 0 && nb > 0) {
            /* the unit report speaks for the organization of the whole run */
            tvars_set(&v, "unit", "%s", rc->in.ds->branches[0].unit);
            tvars_set(&v, "organization", "%s", branch_organization(b, 0));
        }
        char name[300];
        if (branch < 0) {
            /* the unit report has its own template */
            template ut = {0};
            if (template_load(&ut, rc->in.templates_dir, "unit-annual.ini", err, sizeof err)) {
                fprintf(stderr, "%s\n", err);
                free(jobs);
                for (size_t k = 0; k < njobs; k++) free(used[k]);
                free(used);
                return -1;
            }
            file_name(tmpl_get(&ut, "document", "file", "单位年度报告-{year}.pdf"), &v, used, njobs, name, sizeof name);
            template_free(&ut);
        } else {
            file_name(pattern, &v, used, njobs, name, sizeof name);
        }
        used[njobs] = xstrdup(name);
        jobs[njobs].branch = branch;
        jobs[njobs].path = output_add(out, name);
        njobs++;
    }
    progress_start("PDF", njobs, "份");
    int rc_ = run_workers(b, rc, build, jobs, njobs, mw);
    progress_end();
    for (size_t k = 0; k < njobs; k++) free(used[k]);
    free(used);
    free(jobs);
    return rc_;
}

static int write_workbook(build_ctx *b, const report_ctx *rc, output_set *out)
{
    char err[1024];
    if (build_template(b, rc->in.templates_dir, "workbook.ini", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    tvars v;
    build_vars(b, &v, -1);
    char name[300];
    file_name(tmpl_get(&b->tmpl, "document", "file", "zhibu-{period}.xlsx"), &v, NULL, 0, name, sizeof name);
    rdoc *d = build_workbook(b);
    int r = xlsx_render(d, output_add(out, name), err, sizeof err);
    if (r) fprintf(stderr, "zhibu: %s: %s\n", name, err);
    rdoc_free(d);
    return r;
}

int reports_write(report_ctx *rc, output_set *out)
{
    build_ctx b;
    char err[1024];
    if (rc->no_pdf && rc->no_xlsx) {
        pdf_ctx_free(rc->pdf);
        rc->pdf = NULL;
        return 0;
    }
    if (build_init(&b, &rc->in, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        pdf_ctx_free(rc->pdf);
        rc->pdf = NULL;
        return -1;
    }
    int r = 0;
    if (!rc->no_pdf && !rc->pdf) {
        fprintf(stderr, "zhibu: PDF 字体没有打开\n");
        r = -1;
    }
    meanwhile_work mw = {rc->no_xlsx ? NULL : write_workbook, out};
    if (r == 0 && !rc->no_pdf) r = write_pdfs(&b, rc, out, &mw);
    else if (r == 0 && !rc->no_xlsx) r = write_workbook(&b, rc, out);
    pdf_ctx_free(rc->pdf);  /* when the workers did not start */
    rc->pdf = NULL;
    build_free(&b);
    return r;
}
