/* evaluation.c — see evaluation.h. */
#include "check/evaluation.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *grade_name(const config *cfg, grade g)
{
    return g == GRADE_EXCELLENT ? cfg->grade_excellent : g == GRADE_PASS ? cfg->grade_pass : cfg->grade_fail;
}

static int fail_mask(const config *cfg, const member_stats *st)
{
    int f = 0;
    if (st->rule_count[R_CS_COUNT]) f |= FAIL_CS_COUNT;
    if (st->rule_count[R_CS_HOURS]) f |= FAIL_CS_HOURS;
    if (st->rule_count[R_DU_LAPSE]) f |= FAIL_DU_LAPSE;
    if (st->rule_count[R_AT_LAPSE]) f |= FAIL_AT_LAPSE;
    if (st->rule_count[R_AT_ABSENT] > cfg->max_absences) f |= FAIL_ABSENCES;
    return f;
}

static int is_clean(const member_stats *st)
{
    for (int r = R_AT_ABSENT; r < R_COUNT; r++)
        if (r != R_CS_UNCONFIRMED && st->rule_count[r]) return 0;
    return 1;
}

static int score10(const config *cfg, const member_stats *st, evaluation *e)
{
    e->attendance = st->meetings_held ? (double)st->present / st->meetings_held : 1.0;
    e->dues = st->member_months ? (double)st->dues_months_ok / st->member_months : 1.0;
    e->service = st->min_centi > 0 ? fmin(1.0, (double)st->svc_centi / (double)st->min_centi) : 1.0;
    double w = cfg->w_attendance + cfg->w_dues + cfg->w_service;
    double s = (cfg->w_attendance * e->attendance + cfg->w_dues * e->dues + cfg->w_service * e->service) / w * 100.0;
    return (int)floor(s * 10.0 + 0.5 + 1e-7);
}

static const dataset *sort_ds;
static const evaluation *sort_ev;

static int by_branch_id(const void *a, const void *b)
{
    const member *x = &sort_ds->members[((const evaluation *)a)->member];
    const member *y = &sort_ds->members[((const evaluation *)b)->member];
    int c = strcmp(sort_ds->branches[x->branch].name, sort_ds->branches[y->branch].name);
    return c ? c : strcmp(x->id, y->id);
}

/* indexes into the evaluations, best score first, then member_id */
static int by_score(const void *a, const void *b)
{
    const evaluation *x = &sort_ev[*(const size_t *)a], *y = &sort_ev[*(const size_t *)b];
    if (x->score10 != y->score10) return y->score10 - x->score10;
    return strcmp(sort_ds->members[x->member].id, sort_ds->members[y->member].id);
}

/* Rank and grade one cap scope: v[ix[0..n)] */
static void grade_scope(const config *cfg, evaluation *v, size_t *ix, size_t n)
{
    sort_ev = v;
    qsort(ix, n, sizeof *ix, by_score);
    int cap = (int)floor(cfg->excellent_max_ratio * (double)n + 1e-9);
    for (size_t i = 0; i < n; i++) {
        evaluation *e = &v[ix[i]];
        e->ranked = (int)n;
        e->cap = cap;
        e->rank = (i > 0 && v[ix[i - 1]].score10 == e->score10) ? v[ix[i - 1]].rank : (int)i + 1;
    }
    /* candidates, best group first; the first group that would exceed the
       cap gets no 优秀, nor does anyone below it */
    int given = 0, closed = 0;
    for (size_t i = 0; i < n;) {
        int s = v[ix[i]].score10;
        size_t j = i, group = 0;
        for (; j < n && v[ix[j]].score10 == s; j++)
            if (v[ix[j]].grade != GRADE_FAIL && v[ix[j]].clean && s >= (int)floor(cfg->excellent_min_score * 10 + 0.5))
                group++;
        if (group) {
            int fits = !closed && given + (int)group <= cap;
            for (size_t k = i; k < j; k++) {
                evaluation *e = &v[ix[k]];
                if (e->grade == GRADE_FAIL || !e->clean || s < (int)floor(cfg->excellent_min_score * 10 + 0.5)) continue;
                if (fits) e->grade = GRADE_EXCELLENT;
                else if (!closed && group > 1) e->tie_size = (int)group;
                else e->below_cap = 1;
            }
            if (fits) given += (int)group;
            else closed = 1;
        }
        i = j;
    }
}

void evaluate(const dataset *ds, const config *cfg, const rules_result *rr, evaluations *out)
{
    memset(out, 0, sizeof *out);
    out->v = xcalloc(ds->nmembers ? ds->nmembers : 1, sizeof *out->v);
    for (size_t m = 0; m < ds->nmembers; m++) {
        const member_stats *st = &rr->stats[m];
        if (!st->assessed) continue;
        evaluation *e = &out->v[out->n++];
        e->member = (int)m;
        e->fail_mask = fail_mask(cfg, st);
        e->clean = is_clean(st);
        e->score10 = score10(cfg, st, e);
        e->grade = e->fail_mask ? GRADE_FAIL : GRADE_PASS;
    }
    sort_ds = ds;
    qsort(out->v, out->n, sizeof *out->v, by_branch_id);
    size_t *ix = xmalloc(sizeof *ix * (out->n ? out->n : 1));
    if (cfg->excellent_scope_all) {
        for (size_t i = 0; i < out->n; i++) ix[i] = i;
        grade_scope(cfg, out->v, ix, out->n);
    } else {
        for (size_t i = 0; i < out->n;) {
            size_t j = i;
            int b = ds->members[out->v[i].member].branch;
            while (j < out->n && ds->members[out->v[j].member].branch == b) { ix[j - i] = j; j++; }
            grade_scope(cfg, out->v, ix, j - i);
            i = j;
        }
    }
    free(ix);
}

void evaluations_free(evaluations *e)
{
    free(e->v);
    memset(e, 0, sizeof *e);
}
