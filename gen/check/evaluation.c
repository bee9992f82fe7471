/* evaluation.c — see evaluation.h. */
#include "check/evaluation.h"
#include "check/facts.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

const char *grade_name(const config *cfg, grade g)
{
    return g == GRADE_EXCELLENT ? cfg->grade_excellent : g == GRADE_PASS ? cfg->grade_pass : cfg->grade_fail;
}

static int fail_mask(const config *cfg, const member_facts *st)
{
    int f = 0;
    if (st->count[R_CS_COUNT]) f |= FAIL_CS_COUNT;
    if (st->count[R_CS_HOURS]) f |= FAIL_CS_HOURS;
    if (st->count[R_DU_LAPSE]) f |= FAIL_DU_LAPSE;
    if (st->count[R_AT_LAPSE]) f |= FAIL_AT_LAPSE;
    if (st->count[R_AT_ABSENT] > cfg->max_absences) f |= FAIL_ABSENCES;
    return f;
}

static int is_clean(const member_facts *st)
{
    for (int r = R_AT_ABSENT; r < R_COUNT; r++)
        if (r != R_CS_UNCONFIRMED && st->count[r]) return 0;
    return 1;
}

static int score10(const config *cfg, const member_facts *st, evaluation *e)
{
    double a = st->held ? (double)st->present / st->held : 1.0;
    double d = st->member_months ? (double)st->dues_ok / st->member_months : 1.0;
    double v = st->min_centi > 0 ? fmin(1.0, (double)st->svc_centi / (double)st->min_centi) : 1.0;
    e->attendance = (float)a;
    e->dues = (float)d;
    e->service = (float)v;
    double w = cfg->w_attendance + cfg->w_dues + cfg->w_service;
    double s = (cfg->w_attendance * a + cfg->w_dues * d + cfg->w_service * v) / w * 100.0;
    return (int)floor(s * 10.0 + 0.5 + 1e-7);
}

static int by_branch_id(const void *a, const void *b, void *ctx)
{
    const dataset *ds = ctx;
    const member *x = &ds->members[((const evaluation *)a)->member];
    const member *y = &ds->members[((const evaluation *)b)->member];
    int c = strcmp(ds->branches[x->branch].name, ds->branches[y->branch].name);
    return c ? c : strcmp(x->id, y->id);
}

typedef struct { const dataset *ds; const evaluation *ev; } score_ctx;

/* indexes into the evaluations, best score first, then member_id */
static int by_score(const void *a, const void *b, void *ctx)
{
    const score_ctx *c = ctx;
    const evaluation *x = &c->ev[*(const size_t *)a], *y = &c->ev[*(const size_t *)b];
    if (x->score10 != y->score10) return y->score10 - x->score10;
    return strcmp(c->ds->members[x->member].id, c->ds->members[y->member].id);
}

/* Rank and grade one cap scope: v[ix[0..n)] */
static void grade_scope(const facts *f, evaluation *v, size_t *ix, size_t n, int scope, cap_scope *cs)
{
    score_ctx sc = {f->ds, v};
    qsort_r(ix, n, sizeof *ix, by_score, &sc);
    int cap = (int)floor(f->cfg->excellent_max_ratio * (double)n + 1e-9);
    *cs = (cap_scope){.ranked = (int)n, .cap = cap, .cut_score10 = -1};
    for (size_t i = 0; i < n; i++) {
        evaluation *e = &v[ix[i]];
        e->ranked = (int)n;
        e->scope = scope;
        e->rank = (i > 0 && v[ix[i - 1]].score10 == e->score10) ? v[ix[i - 1]].rank : (int)i + 1;
    }
    /* candidates, best group first; the first group that would exceed the
       cap gets no 优秀, nor does anyone below it */
    int closed = 0;
    cap_outcome below = CAP_FULL;
    for (size_t i = 0; i < n;) {
        int s = v[ix[i]].score10;
        size_t j = i, group = 0;
        for (; j < n && v[ix[j]].score10 == s; j++) group += v[ix[j]].candidate;
        if (group) {
            int fits = !closed && cs->awarded + (int)group <= cap;
            cap_outcome out = CAP_NONE;
            if (!fits && !closed) {
                /* full: the places are taken; else this tie group would cross the cap */
                if (cs->awarded < cap) {
                    out = CAP_TIE;
                    cs->cut_score10 = s;
                    cs->cut_size = (int)group;
                    below = CAP_BELOW_TIE;
                } else {
                    out = CAP_FULL;
                }
                closed = 1;
            } else if (closed) {
                out = below;
            }
            for (size_t k = i; k < j; k++) {
                evaluation *e = &v[ix[k]];
                if (!e->candidate) continue;
                if (fits) e->grade = GRADE_EXCELLENT;
                else e->cap_outcome = (unsigned char)out;
            }
            if (fits) cs->awarded += (int)group;
        }
        i = j;
    }
}

void evaluate(facts *f)
{
    const dataset *ds = f->ds;
    const config *cfg = f->cfg;
    int min10 = (int)floor(cfg->excellent_min_score * 10 + 0.5);
    f->ev = xcalloc(ds->nmembers ? ds->nmembers : 1, sizeof *f->ev);
    f->nev = 0;
    for (size_t m = 0; m < ds->nmembers; m++) {
        const member_facts *st = &f->mf[m];
        if (!st->assessed) continue;
        evaluation *e = &f->ev[f->nev++];
        e->member = (int)m;
        e->fail_mask = (unsigned char)fail_mask(cfg, st);
        e->clean = (unsigned char)is_clean(st);
        e->score10 = score10(cfg, st, e);
        e->grade = e->fail_mask ? GRADE_FAIL : GRADE_PASS;
        e->candidate = !e->fail_mask && e->clean && e->score10 >= min10;
    }
    qsort_r(f->ev, f->nev, sizeof *f->ev, by_branch_id, (void *)ds);
    size_t *ix = xmalloc(sizeof *ix * (f->nev ? f->nev : 1));
    if (cfg->excellent_scope_all) {
        f->ncaps = 1;
        f->caps = xcalloc(1, sizeof *f->caps);
        for (size_t i = 0; i < f->nev; i++) ix[i] = i;
        grade_scope(f, f->ev, ix, f->nev, 0, &f->caps[0]);
    } else {
        /* one scope per branch (indexed by branch), empty where nobody is assessed */
        f->ncaps = ds->nbranches;
        f->caps = xcalloc(f->ncaps ? f->ncaps : 1, sizeof *f->caps);
        for (size_t i = 0; i < f->ncaps; i++) f->caps[i].cut_score10 = -1;
        for (size_t i = 0; i < f->nev;) {
            size_t j = i;
            int b = ds->members[f->ev[i].member].branch;
            while (j < f->nev && ds->members[f->ev[j].member].branch == b) { ix[j - i] = j; j++; }
            grade_scope(f, f->ev, ix, j - i, b, &f->caps[b]);
            i = j;
        }
    }
    free(ix);
    for (size_t i = 0; i < f->nev; i++) f->mf[f->ev[i].member].ev = (int32_t)i;
}
