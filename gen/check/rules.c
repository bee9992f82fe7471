/*
 * rules.c — the checks of SPEC "Rules" and its Settled details, as pure
 * functions over the facts (see rules.h, facts.h).
 *
 * rules_judge() decides: it reads the tables facts.c folded from the
 * records and sets the verdict bits of every month of the data, the lapse
 * streaks and the period verdicts.  rules_report() only lists: a finding
 * for each verdict bit of the months asked for, with the numbers its
 * detail needs.  Every rule is a loop over members × months or over
 * meetings, never a search: a city-sized year stays linear.
 */
#include "check/rules.h"
#include "check/facts.h"
#include "check/finding_text.h"
#include "base/dates.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_names[R_COUNT] = {
    "TD-HELD", "TD-LATE", "TD-ACTIONS", "TD-RECORD",
    "AT-ABSENT", "AT-LEADER", "AT-LAPSE",
    "DU-UNPAID", "DU-SHORT", "DU-LATE", "DU-RATE", "DU-LAPSE",
    "CS-MONTH", "CS-COUNT", "CS-HOURS", "CS-UNCONFIRMED",
};

const char *rule_code_name(rule_code r) { return code_names[r]; }
int rule_is_member_scope(rule_code r) { return r >= R_AT_ABSENT; }
int rule_is_period_scope(rule_code r) { return r == R_DU_RATE || r == R_CS_COUNT || r == R_CS_HOURS; }

void period_monthly(run_period *p, int ym)
{
    *p = (run_period){RUN_MONTHLY, ym / 100, ym % 100, ym % 100, 0, ""};
    snprintf(p->label, sizeof p->label, "%04d-%02d", ym / 100, ym % 100);
}

void period_halfyear(run_period *p, int year, int half)
{
    *p = (run_period){RUN_HALFYEAR, year, half == 1 ? 1 : 7, half == 1 ? 6 : 12, half, ""};
    snprintf(p->label, sizeof p->label, "%04d-H%d", year, half);
}

void period_annual(run_period *p, int year)
{
    *p = (run_period){RUN_ANNUAL, year, 1, 12, 0, ""};
    snprintf(p->label, sizeof p->label, "%04d", year);
}

int member_in_month(const member *m, int ym)
{
    int mid = month_mid(ym);
    return (!m->joined || m->joined <= mid) && (!m->left || m->left >= mid);
}

/* ---- minimums ------------------------------------------------------------ */

static double min_share(const config *cfg, int eligible, int special, int period_months)
{
    if (eligible <= 0) return 0;
    double share = cfg->prorate ? eligible / 12.0 : period_months / 12.0;
    return share * (special ? cfg->special_post_factor : 1.0);
}

int min_activities(const config *cfg, int eligible, int special, int period_months)
{
    double x = cfg->min_per_year * min_share(cfg, eligible, special, period_months);
    return (int)ceil(x - 1e-9);
}

long min_centi_hours(const config *cfg, int eligible, int special, int period_months)
{
    double x = cfg->min_hours_per_year * min_share(cfg, eligible, special, period_months);
    return (long)ceil(x * 2 - 1e-9) * 50; /* up to a multiple of 0.5 h */
}

double dues_expected(const config *cfg, member_category cat, long base_cents)
{
    const rate_table *t = &cfg->rates[cat];
    if (t->fixed) return t->fixed_cents / 100.0;
    for (int i = 0; i < t->nbands; i++)
        if (t->upper_cents[i] < 0 || base_cents <= t->upper_cents[i])
            return base_cents / 100.0 * t->rate[i];
    return -1;
}

/* ---- judging ---------------------------------------------------------------- */

#define BIT(r) ((uint16_t)(1u << (r)))

static unsigned long long all_actions(const config *cfg)
{
    return cfg->nactions >= 64 ? ~0ULL : (1ULL << cfg->nactions) - 1;
}

static void judge_branches(facts *f)
{
    const dataset *ds = f->ds;
    const config *cfg = f->cfg;
    for (size_t b = 0; b < ds->nbranches; b++)
        for (int mo = 1; mo <= f->last; mo++) {
            branch_month *x = &f->bm[b * 12 + (size_t)(mo - 1)];
            if (x->members > 0 && x->theme_days < cfg->per_month) x->found |= BIT(R_TD_HELD);
        }
    unsigned long long all = all_actions(cfg);
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        meeting_facts *x = &f->mt[k];
        int mo = mt->date / 100 % 100;
        /* TD rules apply to a branch in a month only when it has a member then (Settled 3) */
        if (mt->kind != MK_THEME_DAY || !(x->flags & MT_COUNTED) || !facts_bm(f, mt->branch, mo)->members) continue;
        x->flags |= MT_JUDGED;
        if (mt->date > f->deadline[mo]) {
            x->found |= BIT(R_TD_LATE);
            f->bm[(size_t)mt->branch * 12 + (size_t)(mo - 1)].theme_late++;
        }
        if ((mt->done & all) != all) x->found |= BIT(R_TD_ACTIONS);
        if (mt->nsignin == 0 || !mt->minutes) x->found |= BIT(R_TD_RECORD);
    }
}

static void judge_member(facts *f, int m)
{
    const config *cfg = f->cfg;
    const member *mb = &f->ds->members[m];
    member_facts *st = &f->mf[m];
    int at_streak = 0, du_streak = 0, in_period = 0;
    for (int mo = 1; mo <= f->last; mo++) {
        member_month *x = facts_mm_fill(f, m, mo);
        if (x->unconfirmed) x->found |= BIT(R_CS_UNCONFIRMED); /* whoever's record it is (Settled 13) */
        if (!(x->flags & MM_MEMBER)) continue;
        const branch_month *bx = facts_bm(f, mb->branch, mo);
        if (facts_in_period(f, mo)) in_period = 1;
        if (x->absent) x->found |= BIT(R_AT_ABSENT);
        /* AT-LEADER: a 主题党日 with sign-ins was held, and no 出席 at one (请假 does not excuse) */
        if (mb->leader && bx->theme_signed > 0 && !(x->flags & MM_THEME_PRESENT)) x->found |= BIT(R_AT_LEADER);
        /* AT-LAPSE: months with a whole-branch meeting with sign-ins; others neither count nor break */
        if (bx->whole_signed > 0) {
            if (x->present || x->leave) at_streak = 0;
            else if (++at_streak == cfg->lapse_months) x->found |= BIT(R_AT_LAPSE);
        }
        x->at_streak = (uint8_t)(at_streak < 255 ? at_streak : 255);
        /* dues (Settled 7): monthly_dues 0 has no dues findings at all */
        if (mb->dues_cents > 0) {
            if (x->paid <= 0) x->found |= BIT(R_DU_UNPAID);
            else if (x->paid < mb->dues_cents) x->found |= BIT(R_DU_SHORT);
            if (x->flags & MM_LATE) x->found |= BIT(R_DU_LATE);
            if (x->paid <= 0) {
                if (++du_streak == cfg->lapse_months) x->found |= BIT(R_DU_LAPSE);
            } else {
                du_streak = 0;
            }
        }
        x->du_streak = (uint8_t)(du_streak < 255 ? du_streak : 255);
        if (!(x->found & (BIT(R_DU_UNPAID) | BIT(R_DU_SHORT) | BIT(R_DU_LATE)))) x->flags |= MM_DUES_OK;
        if ((x->flags & MM_ELIGIBLE) && x->svc_n < cfg->min_per_month) x->found |= BIT(R_CS_MONTH);
    }
    /* DU-RATE: once for the period, for a member in one of its months */
    if (in_period && mb->base_cents >= 0 && mb->dues_cents > 0) {
        double want = dues_expected(cfg, mb->category, mb->base_cents);
        if (want >= 0) {
            st->rate_want = (int64_t)floor(want * 100 + 0.5);
            if (want - mb->dues_cents / 100.0 > 0.01 + 1e-9) st->found |= BIT(R_DU_RATE);
        }
    }
    /* CS-COUNT, CS-HOURS: the period's confirmed service against its minimums */
    if ((f->period.kind == RUN_ANNUAL || f->period.kind == RUN_HALFYEAR) && st->eligible > 0) {
        if (st->svc_n < st->min_n) st->found |= BIT(R_CS_COUNT);
        if (st->svc_centi < st->min_centi) st->found |= BIT(R_CS_HOURS);
    }
}

void rules_judge(facts *f)
{
    judge_branches(f);
    for (size_t m = 0; m < f->ds->nmembers; m++) judge_member(f, (int)m);
}

/* ---- reporting ------------------------------------------------------------------ */

static finding *emit(findings *out, rule_code r, int branch, int member, int month)
{
    GROW(out->v, out->cap, out->n);
    finding *x = &out->v[out->n++];
    *x = (finding){.rule = r, .branch = branch, .member = member, .meeting = -1, .month = month, .record = -1};
    return x;
}

/* AT-ABSENT: one finding per member of the month marked 缺席 or without a row. */
static void report_absences(const facts *f, int first, int last, findings *out)
{
    const dataset *ds = f->ds;
    meeting_roll roll;
    meeting_roll_init(&roll, f);
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        int mo = mt->date / 100 % 100;
        if (!(f->mt[k].flags & MT_SIGNED) || !f->mt[k].absent || mo < first || mo > last) continue;
        meeting_roll_take(&roll, f, (int)k);
        for (int i = f->bmem_start[mt->branch]; i < f->bmem_start[mt->branch + 1]; i++) {
            int m = f->bmem[i];
            if (!facts_is_member(f, m, mo)) continue;
            int known;
            if (meeting_roll_status(&roll, m, &known) != AT_ABSENT) continue;
            finding *x = emit(out, R_AT_ABSENT, mt->branch, m, mt->date / 100);
            x->meeting = (int)k;
            x->a = known; /* 1: marked 缺席; 0: no sign-in row */
        }
    }
    meeting_roll_free(&roll);
}

void rules_report(const facts *f, int first, int last, int with_period, findings *out)
{
    const dataset *ds = f->ds;
    const config *cfg = f->cfg;
    int year = f->period.year;
    if (first < 1) first = 1;
    if (last > f->last) last = f->last;
    for (size_t b = 0; b < ds->nbranches; b++)
        for (int mo = first; mo <= last; mo++) {
            const branch_month *x = facts_bm(f, (int)b, mo);
            if (!(x->found & BIT(R_TD_HELD))) continue;
            finding *y = emit(out, R_TD_HELD, (int)b, -1, year * 100 + mo);
            y->a = x->theme_days;
            y->b = cfg->per_month;
        }
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        const meeting_facts *x = &f->mt[k];
        int mo = mt->date / 100 % 100;
        if (!x->found || mo < first || mo > last) continue;
        if (x->found & BIT(R_TD_LATE)) {
            finding *y = emit(out, R_TD_LATE, mt->branch, -1, mt->date / 100);
            y->meeting = (int)k;
            y->a = f->deadline[mo];
        }
        if (x->found & BIT(R_TD_ACTIONS)) {
            finding *y = emit(out, R_TD_ACTIONS, mt->branch, -1, mt->date / 100);
            y->meeting = (int)k;
            y->missing = facts_missing_actions(f, (int)k);
        }
        if (x->found & BIT(R_TD_RECORD)) {
            finding *y = emit(out, R_TD_RECORD, mt->branch, -1, mt->date / 100);
            y->meeting = (int)k;
            y->a = mt->nsignin == 0; /* no sign-in rows */
            y->b = !mt->minutes;     /* no minutes */
        }
    }
    report_absences(f, first, last, out);
    for (size_t m = 0; m < ds->nmembers; m++) {
        const member *mb = &ds->members[m];
        int b = mb->branch;
        for (int mo = first; mo <= last; mo++) {
            const member_month *x = facts_mm(f, (int)m, mo);
            if (!(x->flags & MM_MEMBER)) continue;
            int ym = year * 100 + mo;
            if (x->found & BIT(R_AT_LEADER)) emit(out, R_AT_LEADER, b, (int)m, ym);
            if (x->found & BIT(R_AT_LAPSE)) emit(out, R_AT_LAPSE, b, (int)m, ym)->a = cfg->lapse_months;
            if (x->found & BIT(R_DU_UNPAID)) emit(out, R_DU_UNPAID, b, (int)m, ym)->a = mb->dues_cents;
            if (x->found & BIT(R_DU_SHORT)) {
                finding *y = emit(out, R_DU_SHORT, b, (int)m, ym);
                y->a = (long)x->paid;
                y->b = mb->dues_cents;
            }
            if (x->found & BIT(R_DU_LATE)) {
                finding *y = emit(out, R_DU_LATE, b, (int)m, ym);
                y->a = x->paid_on;
                y->b = date_add_days(month_last_day(ym), cfg->grace_days);
            }
            if (x->found & BIT(R_DU_LAPSE)) emit(out, R_DU_LAPSE, b, (int)m, ym)->a = cfg->lapse_months;
            if (x->found & BIT(R_CS_MONTH)) {
                finding *y = emit(out, R_CS_MONTH, b, (int)m, ym);
                y->a = x->svc_n;
                y->b = cfg->min_per_month;
            }
        }
        if (!with_period) continue;
        const member_facts *st = &f->mf[m];
        if (st->found & BIT(R_DU_RATE)) {
            finding *y = emit(out, R_DU_RATE, b, (int)m, 0);
            y->a = mb->dues_cents;
            y->b = (long)st->rate_want;
        }
        if (st->found & BIT(R_CS_COUNT)) {
            finding *y = emit(out, R_CS_COUNT, b, (int)m, 0);
            y->a = st->svc_n;
            y->b = st->min_n;
        }
        if (st->found & BIT(R_CS_HOURS)) {
            finding *y = emit(out, R_CS_HOURS, b, (int)m, 0);
            y->a = st->svc_centi;
            y->b = st->min_centi;
        }
    }
    for (size_t i = 0; i < ds->nsvc; i++) {
        const service_record *s = &ds->svc[i];
        int mo = s->date / 100 % 100;
        if (mo < first || mo > last || !facts_record_unconfirmed(f, (int)i)) continue;
        emit(out, R_CS_UNCONFIRMED, ds->members[s->member].branch, s->member, s->date / 100)->record = (int)i;
    }
}

/* ---- sorting --------------------------------------------------------------- */

static int cmp_finding(const void *pa, const void *pb, void *ctx)
{
    const facts *f = ctx;
    const dataset *ds = f->ds;
    const finding *a = pa, *b = pb;
    int c = strcmp(ds->branches[a->branch].name, ds->branches[b->branch].name);
    if (c) return c;
    if ((c = strcmp(code_names[a->rule], code_names[b->rule]))) return c;
    const char *ma = a->member >= 0 ? ds->members[a->member].id : "";
    const char *mb = b->member >= 0 ? ds->members[b->member].id : "";
    if ((c = strcmp(ma, mb))) return c;
    char x[64], y[64];
    if ((c = strcmp(finding_period(ds, &f->period, a, x, sizeof x), finding_period(ds, &f->period, b, y, sizeof y))))
        return c;
    /* then the detail, as findings.csv is sorted (only records of one day get here) */
    char dx[1024], dy[1024];
    if ((c = strcmp(finding_detail(ds, f->cfg, a, dx, sizeof dx), finding_detail(ds, f->cfg, b, dy, sizeof dy))))
        return c;
    return (a->record > b->record) - (a->record < b->record);
}

void findings_sort(const facts *f, findings *v)
{
    if (v->n > 1) qsort_r(v->v, v->n, sizeof *v->v, cmp_finding, (void *)f);
}

void findings_free(findings *v)
{
    free(v->v);
    memset(v, 0, sizeof *v);
}

const char *finding_period(const dataset *ds, const run_period *p, const finding *f, char *buf, size_t n)
{
    switch (f->rule) {
    case R_TD_LATE: case R_TD_ACTIONS: case R_TD_RECORD: case R_AT_ABSENT:
        snprintf(buf, n, "%s", ds->meetings[f->meeting].id);
        break;
    case R_CS_UNCONFIRMED: {
        int d = ds->svc[f->record].date;
        snprintf(buf, n, "%04d-%02d-%02d", d / 10000, d / 100 % 100, d % 100);
        break;
    }
    case R_DU_RATE: case R_CS_COUNT: case R_CS_HOURS:
        if (p->kind == RUN_HALFYEAR) snprintf(buf, n, "%04d-H%d", p->year, p->half);
        else snprintf(buf, n, "%04d", p->year);
        break;
    default:
        snprintf(buf, n, "%04d-%02d", f->month / 100, f->month % 100);
    }
    return buf;
}
