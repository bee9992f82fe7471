/*
 * build_csv.c — findings.csv, evaluation.csv and warnings.csv as report
 * models (SPEC: Outputs): one table each, whose rows are made on demand from
 * the facts (a row source, report.h), so render/csv streams a city's 2.4
 * million findings in constant memory.  Columns, order and formats are the
 * SPEC's; the findings are already in its order (facts.f).  warnings.csv
 * has findings.csv's columns, a warning's words in them (check/warnings.h).
 */
#include "build/build_reports.h"
#include "check/finding_text.h"
#include <stdio.h>

/* A CSV export: one table of the columns head[0..ncols), whose nrows rows fn makes
   on demand from src (allocated in d by the caller). */
static rdoc *export_doc(rdoc *d, const char *title, const char *const *head, int ncols, size_t nrows, rrow_source fn,
                        void *src)
{
    d->title = title;
    rtable *t = rsec_add_table(d, rdoc_add_section(d, NULL), ncols);
    for (int i = 0; i < ncols; i++) rtable_col(d, t, i, head[i], 1, ALIGN_LEFT);
    rtable_set_source(t, nrows, fn, src);
    return d;
}

/* findings.csv and warnings.csv: rule,branch,member_id,name,period,detail */
static const char *const finding_head[] = {"rule", "branch", "member_id", "name", "period", "detail"};

typedef struct {
    const build_ctx *b;
    char period[64];
    char detail[1024];
} findings_src;

static int finding_cells(void *ctx, size_t i, rcell *c)
{
    findings_src *s = ctx;
    const build_ctx *b = s->b;
    const finding *f = &b->fx->f.v[i];
    const member *m = f->member >= 0 ? &b->ds->members[f->member] : NULL;
    rcell_ref(&c[0], rule_code_name(f->rule));
    rcell_ref(&c[1], b->ds->branches[f->branch].name);
    rcell_ref(&c[2], m ? m->id : "");
    rcell_ref(&c[3], m ? m->name : "");
    rcell_ref(&c[4], finding_period(b->ds, &b->fx->period, f, s->period, sizeof s->period));
    rcell_ref(&c[5], finding_detail(b->ds, b->cfg, f, s->detail, sizeof s->detail));
    return 0;
}

rdoc *build_findings_csv(build_ctx *b)
{
    rdoc *d = rdoc_new();
    findings_src *s = rdoc_alloc(d, sizeof *s);
    s->b = b;
    return export_doc(d, "findings", finding_head, 6, b->fx->f.n, finding_cells, s);
}

/* The code of the warning where findings.csv has the rule (a warning is no finding). */
static int warning_cells(void *ctx, size_t i, rcell *c)
{
    findings_src *s = ctx;
    const build_ctx *b = s->b;
    const warning *w = &b->warnings->v[i];
    const member *m = &b->ds->members[w->member];
    rcell_ref(&c[0], warning_code_name(w->code));
    rcell_ref(&c[1], b->ds->branches[w->branch].name);
    rcell_ref(&c[2], m->id);
    rcell_ref(&c[3], m->name);
    rcell_ref(&c[4], warning_period(w, s->period, sizeof s->period));
    rcell_ref(&c[5], warning_detail(b->ds, w, s->detail, sizeof s->detail));
    return 0;
}

rdoc *build_warnings_csv(build_ctx *b)
{
    rdoc *d = rdoc_new();
    findings_src *s = rdoc_alloc(d, sizeof *s);
    s->b = b;
    return export_doc(d, "warnings", finding_head, 6, b->warnings ? b->warnings->n : 0, warning_cells, s);
}

/* evaluation.csv: member_id,name,branch,score,grade,reasons */
typedef struct {
    const build_ctx *b;
    char score[16];
    char reasons[2048];
} evaluation_src;

static int evaluation_cells(void *ctx, size_t i, rcell *c)
{
    evaluation_src *s = ctx;
    const build_ctx *b = s->b;
    const evaluation *e = &b->fx->ev[i];
    const member *m = &b->ds->members[e->member];
    rcell_ref(&c[0], m->id);
    rcell_ref(&c[1], m->name);
    rcell_ref(&c[2], b->ds->branches[m->branch].name);
    rcell_ref(&c[3], fmt_score(e->score10, s->score, sizeof s->score));
    rcell_ref(&c[4], grade_name(b->cfg, e->grade));
    rcell_ref(&c[5], evaluation_reasons(b, e, s->reasons, sizeof s->reasons));
    return 0;
}

rdoc *build_evaluation_csv(build_ctx *b)
{
    static const char *const head[] = {"member_id", "name", "branch", "score", "grade", "reasons"};
    rdoc *d = rdoc_new();
    evaluation_src *s = rdoc_alloc(d, sizeof *s);
    s->b = b;
    return export_doc(d, "evaluation", head, 6, b->fx->nev, evaluation_cells, s);
}
