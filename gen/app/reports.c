/*
 * reports.c — the outputs of a run: findings.csv (and evaluation.csv for
 * annual), one PDF per branch (plus the unit's for annual) rendered by
 * worker processes, and one workbook — all built from the facts.
 *
 * The builder context (indexes over the run's data) and the PDF faces are
 * made once; after fork() the workers share them copy-on-write, and each
 * renders every N-th branch while the parent writes the workbook.  Output
 * names are reserved in the output set before anything is written, so the
 * parent commits or removes them all.
 */
#include "app/reports.h"
#include "base/progress.h"
#include "base/sys_error.h"
#include "build/build.h"
#include "build/build_reports.h"
#include "render/csv/csv_render.h"
#include "render/pdf/render_pdf.h"
#include "render/xlsx/render_xlsx.h"
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

typedef rdoc *(*branch_builder)(build_ctx *b, int branch);

typedef struct {
    int branch;            /* -1: the unit document */
    const char *path;      /* temporary path in the output set */
    char *shown;           /* the path it gets when the run commits, for messages */
} pdf_job;

/* A renderer's message names the temporary file it wrote; the user knows
   the file by the name it would have had. */
static void say_failed(const char *who, const char *err, const char *tmp, const char *shown)
{
    const char *at = strstr(err, tmp);
    if (at) fprintf(stderr, "zhibu: %s: %.*s%s%s\n", who, (int)(at - err), err, shown, at + strlen(tmp));
    else fprintf(stderr, "zhibu: %s: %s\n", who, err);
}

static char *shown_path(const output_set *out, const char *name)
{
    size_t n = strlen(out->dir) + strlen(name) + 2;
    char *p = xmalloc(n);
    snprintf(p, n, "%s/%s", out->dir, name);
    return p;
}

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
        d->audit = rc->audit;
        d->audit.document = jobs[i].branch >= 0
                                ? rdoc_printf(d, REPORT_DOC_BRANCH "%s", b->ds->branches[jobs[i].branch].name)
                                : REPORT_DOC_UNIT;
        if (pdf_render(pdf, d, jobs[i].path, err, sizeof err)) {
            say_failed(jobs[i].branch >= 0 ? b->ds->branches[jobs[i].branch].name : "单位报告", err, jobs[i].path,
                       jobs[i].shown);
            rc_ = -1;
        }
        rdoc_free(d);
    }
    return rc_;
}

/* The workbook, written by the parent while the PDF workers render (its
   name reserved with the others); tmp NULL: none. */
typedef struct {
    const output_set *out;
    const char *tmp, *name;
} workbook_job;

static int render_workbook(build_ctx *b, const report_ctx *rc, const output_set *out, const char *tmp,
                           const char *name);

/* A PDF worker gives way to the parent, which writes the workbook at the
   same time: the workbook is one process's work that nothing can share,
   the PDFs are split among the workers.  With every process at the same
   priority the parent gets 1/(n+1) of the machine and its workbook ends
   last, alone on one core while the others stand idle; a lower priority
   for the workers (they are the work that can wait: any core free of the
   workbook takes them) lets the parent run nearly undisturbed on its core,
   so that both finish about together. */
static void worker_yield_to_workbook(void)
{
    const char *e = getenv("ZHIBU_WORKER_NICE");
    int n = e ? atoi(e) : 10;
    errno = 0;
    int now = getpriority(PRIO_PROCESS, 0);
    if (errno == 0 && n > 0) setpriority(PRIO_PROCESS, 0, now + n);
}

static int run_workers(build_ctx *b, report_ctx *rc, branch_builder build, const pdf_job *jobs, size_t njobs,
                       const workbook_job *wb)
{
    int n = rc->jobs > 0 ? rc->jobs : (int)sysconf(_SC_NPROCESSORS_ONLN);
    if (n < 1) n = 1;
    if ((size_t)n > njobs) n = (int)(njobs ? njobs : 1);
    if (n == 1) {
        int r = render_jobs(b, rc, build, jobs, njobs, 0, 1);
        pdf_ctx_free(rc->pdf);
        rc->pdf = NULL;
        return r == 0 && wb->tmp ? render_workbook(b, rc, wb->out, wb->tmp, wb->name) : r;
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
            if (wb->tmp) worker_yield_to_workbook();
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
    if (!failed && wb->tmp && render_workbook(b, rc, wb->out, wb->tmp, wb->name) != 0) {
        failed = 1;
        for (int w = 0; w < n; w++)
            if (pids[w] > 0) kill(pids[w], SIGKILL); /* their files are temporaries of the set */
    }
    for (int w = 0; w < n; w++) {
        int st;
        if (pids[w] > 0 && (waitpid(pids[w], &st, 0) < 0 || !WIFEXITED(st) || WEXITSTATUS(st))) failed = 1;
    }
    free(pids);
    return failed ? -1 : 0;
}

/* The PDFs of a run: their builder and one job (a name reserved in the
   output set) per document. */
typedef struct {
    branch_builder build;
    pdf_job *jobs;
    size_t njobs;
} pdf_plan;

/* The branch (or -1 for the unit report, -2 for none) rc->only_document
   names; -3 when it names no document of this run. */
static int only_branch(const report_ctx *rc)
{
    const char *o = rc->only_document;
    if (!o) return -2;
    if (!strcmp(o, REPORT_DOC_UNIT)) return rc->in.fx->period.kind == RUN_ANNUAL ? -1 : -3;
    if (strncmp(o, REPORT_DOC_BRANCH, strlen(REPORT_DOC_BRANCH))) return -3;
    for (size_t i = 0; i < rc->in.ds->nbranches; i++)
        if (!strcmp(rc->in.ds->branches[i].name, o + strlen(REPORT_DOC_BRANCH))) return (int)i;
    return -3;
}

/* Load the run's report template and reserve a name for each PDF (all of
   them are named, in order, so that "~2" suffixes do not depend on which
   ones are written). */
static int plan_pdfs(build_ctx *b, const report_ctx *rc, output_set *out, pdf_plan *plan)
{
    char err[1024];
    const run_period *p = &rc->in.fx->period;
    const char *tname = p->kind == RUN_ANNUAL ? "annual.ini" : p->kind == RUN_HALFYEAR ? "halfyear.ini" : "monthly.ini";
    plan->build = p->kind == RUN_ANNUAL ? build_annual_branch
                : p->kind == RUN_HALFYEAR ? build_halfyear_branch : build_monthly_branch;
    if (build_template(b, rc->in.templates_dir, tname, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    int only = only_branch(rc);
    if (only == -3) {
        fprintf(stderr, "zhibu: 本次运行没有文件“%s”\n", rc->only_document);
        return -1;
    }
    size_t nb = rc->in.ds->nbranches, nnames = 0;
    plan->jobs = xcalloc(nb + 1, sizeof *plan->jobs);
    char **used = xcalloc(nb + 1, sizeof *used);
    const char *pattern = tmpl_get(&b->tmpl, "document", "file", "{branch}.pdf");
    int rc_ = 0;
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
                rc_ = -1;
                break;
            }
            file_name(tmpl_get(&ut, "document", "file", "单位年度报告-{year}.pdf"), &v, used, nnames, name, sizeof name);
            template_free(&ut);
        } else {
            file_name(pattern, &v, used, nnames, name, sizeof name);
        }
        used[nnames++] = xstrdup(name);
        if (only != -2 && only != branch) continue;
        plan->jobs[plan->njobs].branch = branch;
        plan->jobs[plan->njobs].path = output_add(out, name);
        plan->jobs[plan->njobs].shown = shown_path(out, name);
        plan->njobs++;
    }
    for (size_t k = 0; k < nnames; k++) free(used[k]);
    free(used);
    return rc_;
}

static int render_pdfs(build_ctx *b, report_ctx *rc, const pdf_plan *plan, const workbook_job *wb)
{
    progress_start("PDF", plan->njobs, "份");
    int r = run_workers(b, rc, plan->build, plan->jobs, plan->njobs, wb);
    progress_end();
    return r;
}

static void plan_free(pdf_plan *plan)
{
    for (size_t k = 0; k < plan->njobs; k++) free(plan->jobs[k].shown);
    free(plan->jobs);
}

/* Reserve the workbook's name (from workbook.ini, loaded for the name only). */
static const char *plan_workbook(build_ctx *b, const report_ctx *rc, output_set *out, char *name, size_t n)
{
    char err[1024];
    template wt = {0};
    if (template_load(&wt, rc->in.templates_dir, "workbook.ini", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return NULL;
    }
    tvars v;
    build_vars(b, &v, -1);
    file_name(tmpl_get(&wt, "document", "file", "zhibu-{period}.xlsx"), &v, NULL, 0, name, n);
    template_free(&wt);
    return output_add(out, name);
}

static int render_workbook(build_ctx *b, const report_ctx *rc, const output_set *out, const char *tmp,
                           const char *name)
{
    char err[1024];
    if (build_template(b, rc->in.templates_dir, "workbook.ini", err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        return -1;
    }
    rdoc *d = build_workbook(b);
    d->audit = rc->audit;
    d->audit.document = REPORT_DOC_WORKBOOK;
    char *shown = shown_path(out, name);
    /* libxlsxwriter prints English lines of its own on stderr when a write
       fails ("[ERROR] workbook_close() …"); the run says it in Chinese
       instead, from the error it returns and errno. */
    fflush(stderr);
    int saved = dup(2), quiet = open("/dev/null", O_WRONLY | O_CLOEXEC);
    if (saved >= 0 && quiet >= 0) dup2(quiet, 2);
    errno = 0;
    int r = xlsx_render(d, tmp, err, sizeof err), e = errno;
    fflush(stderr);
    if (saved >= 0 && quiet >= 0) dup2(saved, 2);
    if (saved >= 0) close(saved);
    if (quiet >= 0) close(quiet);
    char msg[4400];
    if (r && sys_error_nospace(e)) fprintf(stderr, "zhibu: %s\n", sys_write_failed(shown, e, msg, sizeof msg));
    else if (r) say_failed("生成工作簿失败", err, tmp, shown);
    free(shown);
    rdoc_free(d);
    return r;
}

/* A CSV file of the set (its reserved temporary path) from a one-table
   document; 0 ok. */
static int write_csv(build_ctx *b, const output_set *out, const char *tmp, const char *name, rdoc *(*build)(build_ctx *))
{
    char shown[4200], msg[4400];
    snprintf(shown, sizeof shown, "%s/%s", out->dir, name);
    FILE *f = fopen(tmp, "wb");
    if (!f) {
        fprintf(stderr, "zhibu: %s\n", sys_write_failed(shown, errno, msg, sizeof msg));
        return -1;
    }
    char phase[128];
    snprintf(phase, sizeof phase, "写出 %s", name);
    progress_start(phase, 0, NULL);
    rdoc *d = build(b);
    errno = 0;
    int rc = csv_render(d, f), e = errno;
    rdoc_free(d);
    progress_end();
    /* the buffered tail is written here: a full disk often shows only now */
    if (fclose(f) != 0) {
        if (!rc || !e) e = errno;
        rc = -1;
    }
    if (rc) fprintf(stderr, "zhibu: %s\n", sys_write_failed(shown, e, msg, sizeof msg));
    return rc;
}

int reports_write(report_ctx *rc, output_set *out)
{
    int want_pdf = !rc->no_pdf, want_xlsx = !rc->no_xlsx;
    if (rc->only_document) {
        want_xlsx = !strcmp(rc->only_document, REPORT_DOC_WORKBOOK);
        want_pdf = !want_xlsx;
    }
    build_ctx b;
    char err[1024];
    if (build_init(&b, &rc->in, err, sizeof err)) {
        fprintf(stderr, "%s\n", err);
        pdf_ctx_free(rc->pdf);
        rc->pdf = NULL;
        return -1;
    }
    pdf_plan plan = {0};
    const char *xlsx_path = NULL;
    char xlsx_name[300];
    int r = 0;
    if (want_pdf && !rc->pdf) {
        fprintf(stderr, "zhibu: PDF 字体没有打开\n");
        r = -1;
    }
    /* every name first: a refused set (a symbolic link) writes nothing */
    const char *t_findings = rc->only_document ? NULL : output_add(out, "findings.csv");
    const char *t_eval = rc->only_document || rc->in.fx->period.kind != RUN_ANNUAL ? NULL : output_add(out, "evaluation.csv");
    /* warnings.csv: the runs that warn (monthly, half-year), even when there are none */
    const char *t_warn = rc->only_document || !warnings_month(&rc->in.fx->period) ? NULL : output_add(out, "warnings.csv");
    if (r == 0 && want_pdf) r = plan_pdfs(&b, rc, out, &plan);
    if (r == 0 && want_xlsx && !(xlsx_path = plan_workbook(&b, rc, out, xlsx_name, sizeof xlsx_name))) r = -1;
    if (r == 0 && output_refused(out)) r = -1;
    if (r == 0 && t_findings) r = write_csv(&b, out, t_findings, "findings.csv", build_findings_csv);
    if (r == 0 && t_eval) r = write_csv(&b, out, t_eval, "evaluation.csv", build_evaluation_csv);
    if (r == 0 && t_warn) r = write_csv(&b, out, t_warn, "warnings.csv", build_warnings_csv);
    workbook_job wb = {out, want_xlsx ? xlsx_path : NULL, xlsx_name};
    if (r == 0 && want_pdf) r = render_pdfs(&b, rc, &plan, &wb);
    else if (r == 0 && want_xlsx) r = render_workbook(&b, rc, out, xlsx_path, xlsx_name);
    pdf_ctx_free(rc->pdf); /* when the workers did not start */
    rc->pdf = NULL;
    plan_free(&plan);
    build_free(&b);
    return r;
}
