/* rectify.c — see rectify.h. */
#include "check/rectify.h"
#include "check/problem_id.h"
#include "base/textutil.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A finding the run itself reports (its months, or the period's own rules): it is in the
   run's 问题清单, so the ledger missing it is no gap. */
static int in_run(const facts *f, const finding *x)
{
    int mo = finding_month(x);
    return mo == 0 || facts_in_period(f, mo);
}

static int is_meeting_rule(rule_code r)
{
    return r == R_TD_LATE || r == R_TD_ACTIONS || r == R_TD_RECORD || r == R_AT_ABSENT;
}

/* A month YYYY-MM of the run's year within January..last: its month, else 0. */
static int data_month(const facts *f, const char *s, int with_day)
{
    int y, m, d, n = 0;
    if (with_day ? sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 : sscanf(s, "%4d-%2d%n", &y, &m, &n) != 2) return 0;
    if (s[n] || (size_t)n != strlen(with_day ? "2022-09-15" : "2022-09")) return 0;
    return y == f->period.year && m >= 1 && m <= f->last ? m : 0;
}

/*
 * What an id names when no finding of January..M has it: x filled with its
 * rule, branch, member, meeting and month (YYYYMM, 0 for a whole-period rule)
 * and 0, or -1 with the reason it cannot be a problem of this run.
 */
static int id_names(const facts *f, const char *id, finding *x, rect_unknown_reason *why)
{
    const dataset *ds = f->ds;
    char buf[1200];
    snprintf(buf, sizeof buf, "%s", id);
    char *s1 = strchr(buf, '/'), *s2 = strrchr(buf, '/');
    if (!s1 || s1 == s2) return *why = RU_PERIOD, -1; /* the reader checked the form */
    *s1 = *s2 = 0;
    char *key = s1 + 1, *period = s2 + 1;
    char *hash = strrchr(period, '#'); /* the #n of equals (problem_id_check: digits only) */
    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1)) *hash = 0;
    int r = -1;
    for (int k = 0; k < R_COUNT && r < 0; k++)
        if (!strcmp(buf, rule_code_name((rule_code)k))) r = k;
    if (r < 0) return *why = RU_KIND, -1;
    *x = (finding){.rule = (rule_code)r, .branch = -1, .member = -1, .meeting = -1, .record = -1};
    if ((r == R_CS_COUNT || r == R_CS_HOURS) && f->period.kind != RUN_ANNUAL && f->period.kind != RUN_HALFYEAR)
        return *why = RU_KIND, -1;
    if (rule_is_member_scope((rule_code)r)) {
        x->member = strmap_get(&ds->member_ix, key);
        if (x->member < 0) return *why = RU_MEMBER, -1;
        x->branch = ds->members[x->member].branch;
    } else {
        char k[512];
        x->branch = strmap_get(&ds->branch_ix, text_key(key, k, sizeof k));
        if (x->branch < 0) return *why = RU_BRANCH, -1;
    }
    int year = f->period.year;
    if (is_meeting_rule((rule_code)r)) {
        x->meeting = strmap_get(&ds->meeting_ix, period);
        if (x->meeting < 0 || ds->meetings[x->meeting].branch != x->branch) return *why = RU_MEETING, -1;
        const meeting *mt = &ds->meetings[x->meeting];
        char d[16];
        snprintf(d, sizeof d, "%04d-%02d", mt->date / 10000, mt->date / 100 % 100);
        if (!mt->in_year || !data_month(f, d, 0)) return *why = RU_PERIOD, -1;
        x->month = mt->date / 100;
    } else if (r == R_CS_UNCONFIRMED) {
        int mo = data_month(f, period, 1);
        if (!mo) return *why = RU_PERIOD, -1;
        x->month = year * 100 + mo;
    } else if (rule_is_period_scope((rule_code)r)) {
        char want[64];
        if (strcmp(period, finding_period(ds, &f->period, x, want, sizeof want))) return *why = RU_PERIOD, -1;
    } else {
        int mo = data_month(f, period, 0);
        if (!mo) return *why = RU_PERIOD, -1;
        x->month = year * 100 + mo;
    }
    return 0;
}

static void classify(const facts *f, rect_item *it)
{
    const ledger_entry *e = it->e;
    int ym = f->period.year * 100 + f->last;
    it->month = finding_month(&it->x);
    it->age = it->month ? f->last - it->month : -1;
    it->closed_in = 0;
    if (e->status == LEDGER_OPEN || e->status == LEDGER_IN_PROGRESS) {
        it->kind = RX_OPEN;
    } else if (e->status == LEDGER_DONE && it->found) {
        it->kind = RX_CONTRADICTED;
    } else if (f->period.kind == RUN_MONTHLY && e->closed_in && e->closed_in < ym) {
        it->kind = RX_CLOSED_BEFORE; /* an earlier report listed it closed */
        it->closed_in = e->closed_in;
    } else {
        it->kind = RX_CLOSED;
        it->closed_in = e->closed_in ? e->closed_in : ym;
    }
}

/* by branch name, kind, month (the whole period's problems last), problem_id */
static int cmp_item(const void *pa, const void *pb, void *ctx)
{
    const facts *f = ctx;
    const rect_item *a = pa, *b = pb;
    int c = strcmp(f->ds->branches[a->x.branch].name, f->ds->branches[b->x.branch].name);
    if (c) return c;
    if (a->kind != b->kind) return a->kind < b->kind ? -1 : 1;
    int ma = a->month ? a->month : 13, mb = b->month ? b->month : 13;
    if (ma != mb) return ma < mb ? -1 : 1;
    return strcmp(a->e->problem_id, b->e->problem_id);
}

void rect_build(const facts *f, const ledger *lg, rectification *out)
{
    const dataset *ds = f->ds;
    size_t nb = ds->nbranches;
    memset(out, 0, sizeof *out);
    key_runs_init(&out->by_branch, nb);
    out->b_kinds = xcalloc(nb + 1, sizeof *out->b_kinds);
    out->b_untracked = xcalloc(nb + 1, sizeof(int));
    out->have_ledger = lg != NULL;
    if (f->period.kind != RUN_MONTHLY && f->period.kind != RUN_ANNUAL) return;
    out->month = f->period.year * 100 + f->last;
    if (!lg) return;

    /* the findings of January..M in findings.csv order: an annual run's own are all of them */
    findings own = {0};
    const findings *all = &f->f;
    if (f->period.first_month != 1) {
        rules_report(f, 1, f->last, 1, &own);
        findings_sort(f, &own);
        all = &own;
    }
    unsigned char *matched = xcalloc(lg->n + 1, 1);
    size_t cap = 0;
    char id[1200];
    for (size_t i = 0; i < all->n; i++) {
        const finding *x = &all->v[i];
        const ledger_entry *e = ledger_find(lg, finding_problem_id(f, all, i, id, sizeof id));
        if (!e) {
            if (!in_run(f, x)) out->b_untracked[x->branch]++;
            continue;
        }
        matched[e - lg->v] = 1;
        GROW(out->v, cap, out->n);
        out->v[out->n++] = (rect_item){.e = e, .found = 1, .x = *x};
    }
    for (size_t k = 0; k < lg->n; k++) {
        if (matched[k]) continue;
        finding x;
        rect_unknown_reason why;
        if (id_names(f, lg->v[k].problem_id, &x, &why)) {
            out->unknown = xrealloc(out->unknown, (out->nunknown + 1) * sizeof *out->unknown);
            out->unknown[out->nunknown++] = (rect_unknown){&lg->v[k], why};
            continue;
        }
        GROW(out->v, cap, out->n);
        out->v[out->n++] = (rect_item){.e = &lg->v[k], .found = 0, .x = x};
    }
    free(matched);
    findings_free(&own);
    for (size_t i = 0; i < out->n; i++) classify(f, &out->v[i]);
    if (out->n > 1) qsort_r(out->v, out->n, sizeof *out->v, cmp_item, (void *)f);
    for (size_t i = 0; i < out->n; i++) {
        int b = out->v[i].x.branch;
        key_runs_add(&out->by_branch, b, i);
        out->b_kinds[b][out->v[i].kind]++;
    }
}

void rect_free(rectification *r)
{
    free(r->v);
    key_runs_free(&r->by_branch);
    free(r->b_kinds);
    free(r->b_untracked);
    free(r->unknown);
    memset(r, 0, sizeof *r);
}

const rect_item *rect_of_branch(const rectification *r, int b, int *n)
{
    size_t at = key_runs_get(&r->by_branch, b, n);
    return *n ? r->v + at : NULL;
}
