/* report_csv.c — see report_csv.h. */
#include "app/report_csv.h"
#include "render/csv/csv_write.h"
#include "check/evaluation_text.h"
#include "check/finding_text.h"
#include <stdlib.h>
#include <string.h>

typedef struct { const finding *f; char period[32]; char *detail; } keyed;

static const dataset *sort_ds;

/* branch, rule, member_id, period (code point order), then detail */
static int cmp_keyed(const void *pa, const void *pb)
{
    const keyed *a = pa, *b = pb;
    int c = strcmp(sort_ds->branches[a->f->branch].name, sort_ds->branches[b->f->branch].name);
    if (c) return c;
    if ((c = strcmp(rule_code_name(a->f->rule), rule_code_name(b->f->rule)))) return c;
    const char *ma = a->f->member >= 0 ? sort_ds->members[a->f->member].id : "";
    const char *mb = b->f->member >= 0 ? sort_ds->members[b->f->member].id : "";
    if ((c = strcmp(ma, mb))) return c;
    if ((c = strcmp(a->period, b->period))) return c;
    return strcmp(a->detail, b->detail);
}

int findings_csv_write(FILE *f, const dataset *ds, const config *cfg, const rules_result *rr)
{
    keyed *k = xmalloc(sizeof *k * (rr->f.n ? rr->f.n : 1));
    for (size_t i = 0; i < rr->f.n; i++) {
        char d[1024];
        k[i].f = &rr->f.v[i];
        finding_period(ds, &rr->period, k[i].f, k[i].period, sizeof k[i].period);
        k[i].detail = xstrdup(finding_detail(ds, cfg, k[i].f, d, sizeof d));
    }
    sort_ds = ds;
    qsort(k, rr->f.n, sizeof *k, cmp_keyed);
    csv_write_bom(f);
    static const char *const head[] = {"rule", "branch", "member_id", "name", "period", "detail"};
    csv_write_row(f, head, 6);
    for (size_t i = 0; i < rr->f.n; i++) {
        const finding *x = k[i].f;
        const member *m = x->member >= 0 ? &ds->members[x->member] : NULL;
        const char *row[6] = {rule_code_name(x->rule), ds->branches[x->branch].name, m ? m->id : "",
                              m ? m->name : "", k[i].period, k[i].detail};
        csv_write_row(f, row, 6);
        free(k[i].detail);
    }
    free(k);
    return ferror(f) ? -1 : 0;
}

int evaluation_csv_write(FILE *f, const dataset *ds, const config *cfg, const rules_result *rr,
                         const evaluations *ev)
{
    csv_write_bom(f);
    static const char *const head[] = {"member_id", "name", "branch", "score", "grade", "reasons"};
    csv_write_row(f, head, 6);
    for (size_t i = 0; i < ev->n; i++) {
        const evaluation *e = &ev->v[i];
        const member *m = &ds->members[e->member];
        char score[16], reasons[1024];
        const char *row[6] = {m->id, m->name, ds->branches[m->branch].name, fmt_score(e->score10, score, sizeof score),
                              grade_name(cfg, e->grade), evaluation_reasons(ds, cfg, rr, e, reasons, sizeof reasons)};
        csv_write_row(f, row, 6);
    }
    return ferror(f) ? -1 : 0;
}
