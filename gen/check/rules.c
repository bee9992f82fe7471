/*
 * rules.c — the checks of SPEC "Rules" and its Settled details, as pure
 * functions over a loaded dataset (see rules.h).
 *
 * The dataset is first folded into per-member and per-branch month tables
 * (one pass over each input array), so every rule is a loop over members ×
 * months or over meetings, never a search: a city-sized year stays linear.
 */
#include "check/rules.h"
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

/* ---- month tables -------------------------------------------------------- */

enum { PRESENT = 1, LEAVE = 2, THEME_PRESENT = 4 };

typedef struct {
    const dataset *ds;
    const config *cfg;
    const run_period *p;
    int last;                      /* last month of data used (1..12) */
    /* per member × month (index m*13 + month) */
    unsigned char *att;            /* PRESENT | LEAVE | THEME_PRESENT at whole-branch meetings */
    long *paid;                    /* cents paid for the month */
    unsigned char *late;           /* a paying row after the deadline */
    int *late_on;                  /* the latest such paid_on */
    int *svc_n;                    /* confirmed records dated in the month */
    long *svc_c;                   /* their centi-hours */
    unsigned char *exempt;         /* the 15th inside an exemption */
    /* per branch × month */
    int *theme_days;               /* 主题党日 held */
    int *held_signed;              /* whole-branch meetings with sign-ins */
    int *theme_signed;             /* 主题党日 with sign-ins */
    unsigned char *has_member;     /* the branch has a member in the month */
    /* branch member lists (CSR) */
    int *bm_start, *bm;
    /* per meeting: its attendance rows (CSR) */
    int *ma_start, *ma;
    rules_result *out;
} ctx;

#define MM(c, m, mo) ((size_t)(m) * 13 + (size_t)(mo))

static int in_data(const ctx *c, int ymd_or_ym, int is_month)
{
    int ym = is_month ? ymd_or_ym : ymd_or_ym / 100;
    return ym / 100 == c->p->year && ym % 100 <= c->last;
}

static void build_tables(ctx *c)
{
    const dataset *ds = c->ds;
    size_t nm = ds->nmembers, nb = ds->nbranches;
    c->att = xcalloc(nm * 13, 1);
    c->paid = xcalloc(nm * 13, sizeof *c->paid);
    c->late = xcalloc(nm * 13, 1);
    c->late_on = xcalloc(nm * 13, sizeof *c->late_on);
    c->svc_n = xcalloc(nm * 13, sizeof *c->svc_n);
    c->svc_c = xcalloc(nm * 13, sizeof *c->svc_c);
    c->exempt = xcalloc(nm * 13, 1);
    c->theme_days = xcalloc(nb * 13, sizeof(int));
    c->held_signed = xcalloc(nb * 13, sizeof(int));
    c->theme_signed = xcalloc(nb * 13, sizeof(int));
    c->has_member = xcalloc(nb * 13, 1);

    /* branch member lists */
    c->bm_start = xcalloc(nb + 1, sizeof(int));
    c->bm = xmalloc(sizeof(int) * (nm ? nm : 1));
    for (size_t i = 0; i < nm; i++) c->bm_start[ds->members[i].branch + 1]++;
    for (size_t b = 0; b < nb; b++) c->bm_start[b + 1] += c->bm_start[b];
    int *fill = xcalloc(nb + 1, sizeof(int));
    for (size_t i = 0; i < nm; i++) {
        int b = ds->members[i].branch;
        c->bm[c->bm_start[b] + fill[b]++] = (int)i;
    }
    free(fill);

    for (size_t i = 0; i < nm; i++)
        for (int mo = 1; mo <= 12; mo++)
            if (member_in_month(&ds->members[i], c->p->year * 100 + mo))
                c->has_member[(size_t)ds->members[i].branch * 13 + mo] = 1;

    /* meetings of the year, up to the last month */
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        if (!mt->in_year || !in_data(c, mt->date, 0)) continue;
        size_t bi = (size_t)mt->branch * 13 + (size_t)(mt->date / 100 % 100);
        if (mt->kind == MK_THEME_DAY) c->theme_days[bi]++;
        if (meeting_whole_branch(mt->kind) && mt->nsignin > 0) {
            c->held_signed[bi]++;
            if (mt->kind == MK_THEME_DAY) c->theme_signed[bi]++;
        }
    }

    /* attendance rows per meeting, and the per-member month flags */
    c->ma_start = xcalloc(ds->nmeetings + 1, sizeof(int));
    c->ma = xmalloc(sizeof(int) * (ds->natt ? ds->natt : 1));
    for (size_t i = 0; i < ds->natt; i++) c->ma_start[ds->att[i].meeting + 1]++;
    for (size_t k = 0; k < ds->nmeetings; k++) c->ma_start[k + 1] += c->ma_start[k];
    fill = xcalloc(ds->nmeetings + 1, sizeof(int));
    for (size_t i = 0; i < ds->natt; i++) {
        const attendance *a = &ds->att[i];
        c->ma[c->ma_start[a->meeting] + fill[a->meeting]++] = (int)i;
        const meeting *mt = &ds->meetings[a->meeting];
        if (a->foreign || !mt->in_year || !in_data(c, mt->date, 0) || !meeting_whole_branch(mt->kind)) continue;
        int mo = mt->date / 100 % 100;
        unsigned char *f = &c->att[MM(c, a->member, mo)];
        if (a->status == AT_PRESENT) *f |= PRESENT | (mt->kind == MK_THEME_DAY ? THEME_PRESENT : 0);
        if (a->status == AT_LEAVE) *f |= LEAVE;
    }
    free(fill);

    /* dues */
    for (size_t i = 0; i < ds->npay; i++) {
        const payment *p = &ds->pay[i];
        if (!p->in_year || !in_data(c, p->month, 1)) continue;
        size_t x = MM(c, p->member, p->month % 100);
        c->paid[x] += p->cents;
        int deadline = date_add_days(month_last_day(p->month), c->cfg->grace_days);
        if (p->cents > 0 && p->paid_on && p->paid_on > deadline) {
            c->late[x] = 1;
            if (p->paid_on > c->late_on[x]) c->late_on[x] = p->paid_on;
        }
    }

    /* confirmed service, counted in months of membership */
    for (size_t i = 0; i < ds->nsvc; i++) {
        const service_record *s = &ds->svc[i];
        if (!s->in_year || !s->confirmed || !in_data(c, s->date, 0)) continue;
        int ym = s->date / 100;
        if (!member_in_month(&ds->members[s->member], ym)) continue;
        size_t x = MM(c, s->member, ym % 100);
        c->svc_n[x]++;
        c->svc_c[x] += s->centi_hours;
    }

    /* exemptions: the 15th of the month inside [from, to] */
    for (size_t i = 0; i < ds->nexm; i++) {
        const exemption *e = &ds->exm[i];
        for (int mo = 1; mo <= 12; mo++) {
            int mid = month_mid(c->p->year * 100 + mo);
            if (e->from <= mid && mid <= e->to) c->exempt[MM(c, e->member, mo)] = 1;
        }
    }
}

static void free_tables(ctx *c)
{
    free(c->att); free(c->paid); free(c->late); free(c->late_on);
    free(c->svc_n); free(c->svc_c); free(c->exempt);
    free(c->theme_days); free(c->held_signed); free(c->theme_signed); free(c->has_member);
    free(c->bm_start); free(c->bm); free(c->ma_start); free(c->ma);
}

/* ---- emitting ------------------------------------------------------------ */

static finding *emit(ctx *c, rule_code r, int branch, int member)
{
    findings *f = &c->out->f;
    GROW(f->v, f->cap, f->n);
    finding *x = &f->v[f->n++];
    *x = (finding){.rule = r, .branch = branch, .member = member, .meeting = -1, .record = -1};
    if (member >= 0) c->out->stats[member].rule_count[r]++;
    return x;
}

static int checked(const ctx *c, int mo) { return mo >= c->p->first_month && mo <= c->p->last_month; }
static int ym_of(const ctx *c, int mo) { return c->p->year * 100 + mo; }

static int eligible(const ctx *c, int m, int mo)
{
    const member *mb = &c->ds->members[m];
    return mb->category == CAT_ACTIVE && member_in_month(mb, ym_of(c, mo)) && !c->exempt[MM(c, m, mo)];
}

/* ---- branch and meeting rules ------------------------------------------- */

static void theme_day_rules(ctx *c)
{
    const dataset *ds = c->ds;
    for (size_t b = 0; b < ds->nbranches; b++)
        for (int mo = c->p->first_month; mo <= c->p->last_month; mo++) {
            size_t bi = b * 13 + (size_t)mo;
            if (!c->has_member[bi] || c->theme_days[bi] >= c->cfg->per_month) continue;
            finding *f = emit(c, R_TD_HELD, (int)b, -1);
            f->month = ym_of(c, mo);
            f->a = c->theme_days[bi];
            f->b = c->cfg->per_month;
        }
    unsigned long long all = c->cfg->nactions >= 64 ? ~0ULL : (1ULL << c->cfg->nactions) - 1;
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        int mo = mt->date / 100 % 100;
        if (mt->kind != MK_THEME_DAY || !mt->in_year || !checked(c, mo)) continue;
        if (!c->has_member[(size_t)mt->branch * 13 + (size_t)mo]) continue;
        int deadline = config_deadline(c->cfg, mt->date / 100);
        if (mt->date > deadline) {
            finding *f = emit(c, R_TD_LATE, mt->branch, -1);
            f->meeting = (int)k;
            f->month = mt->date / 100;
            f->a = deadline;
        }
        if ((mt->done & all) != all) {
            finding *f = emit(c, R_TD_ACTIONS, mt->branch, -1);
            f->meeting = (int)k;
            f->month = mt->date / 100;
            f->missing = all & ~mt->done;
        }
        if (mt->nsignin == 0 || !mt->minutes) {
            finding *f = emit(c, R_TD_RECORD, mt->branch, -1);
            f->meeting = (int)k;
            f->month = mt->date / 100;
            f->a = mt->nsignin == 0;  /* no sign-in rows */
            f->b = !mt->minutes;      /* no minutes */
        }
    }
}

/* AT-ABSENT, and the per-member attendance figures of the whole year. */
static void attendance_rules(ctx *c)
{
    const dataset *ds = c->ds;
    /* status of each member at the meeting at hand: stamp = meeting + 1 */
    int *stamp = xcalloc(ds->nmembers ? ds->nmembers : 1, sizeof(int));
    unsigned char *status = xcalloc(ds->nmembers ? ds->nmembers : 1, 1);
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        int mo = mt->date / 100 % 100;
        if (!meeting_whole_branch(mt->kind) || !mt->in_year || !in_data(c, mt->date, 0) || mt->nsignin == 0)
            continue;
        for (int i = c->ma_start[k]; i < c->ma_start[k + 1]; i++) {
            const attendance *a = &ds->att[c->ma[i]];
            if (a->foreign) continue;
            stamp[a->member] = (int)k + 1;
            status[a->member] = (unsigned char)a->status;
        }
        for (int i = c->bm_start[mt->branch]; i < c->bm_start[mt->branch + 1]; i++) {
            int m = c->bm[i];
            if (!member_in_month(&ds->members[m], mt->date / 100)) continue;
            member_stats *st = &c->out->stats[m];
            int known = stamp[m] == (int)k + 1;
            int s = known ? status[m] : AT_ABSENT;
            st->meetings_held++;
            if (s == AT_PRESENT) st->present++;
            else if (s == AT_LEAVE) st->leave++;
            else st->absent++;
            if (s == AT_ABSENT && checked(c, mo)) {
                finding *f = emit(c, R_AT_ABSENT, mt->branch, m);
                f->meeting = (int)k;
                f->month = mt->date / 100;
                f->a = known; /* 1: marked 缺席; 0: no sign-in row */
            }
        }
    }
    free(stamp);
    free(status);
}

/* ---- member month rules ---------------------------------------------------- */

static void member_rules(ctx *c, int m)
{
    const dataset *ds = c->ds;
    const config *cfg = c->cfg;
    const member *mb = &ds->members[m];
    member_stats *st = &c->out->stats[m];
    int b = mb->branch;
    int at_streak = 0, du_streak = 0;
    int rate_checked = 0;

    for (int mo = 1; mo <= 12; mo++)
        if (member_in_month(mb, ym_of(c, mo))) st->assessed = 1;

    for (int mo = 1; mo <= c->last; mo++) {
        int ym = ym_of(c, mo);
        if (!member_in_month(mb, ym)) continue;
        size_t x = MM(c, m, mo), bi = (size_t)b * 13 + (size_t)mo;
        st->member_months++;

        /* AT-LEADER: a 主题党日 with sign-ins was held, and no 出席 at one */
        if (checked(c, mo) && mb->leader && c->theme_signed[bi] > 0 && !(c->att[x] & THEME_PRESENT)) {
            finding *f = emit(c, R_AT_LEADER, b, m);
            f->month = ym;
        }
        /* AT-LAPSE: months with a whole-branch meeting (with sign-ins) */
        if (c->held_signed[bi] > 0) {
            if (c->att[x] & (PRESENT | LEAVE)) at_streak = 0;
            else if (++at_streak == cfg->lapse_months && checked(c, mo)) {
                finding *f = emit(c, R_AT_LAPSE, b, m);
                f->month = ym;
                f->a = at_streak;
            }
        }
        /* dues */
        if (mb->dues_cents > 0) {
            int unpaid = c->paid[x] <= 0;
            int ok = 1;
            if (checked(c, mo)) {
                st->dues_due_cents += mb->dues_cents;
                st->dues_paid_cents += c->paid[x] > 0 ? c->paid[x] : 0;
            }
            if (unpaid) {
                ok = 0;
                if (checked(c, mo)) {
                    finding *f = emit(c, R_DU_UNPAID, b, m);
                    f->month = ym;
                    f->a = mb->dues_cents;
                }
            } else if (c->paid[x] < mb->dues_cents) {
                ok = 0;
                if (checked(c, mo)) {
                    finding *f = emit(c, R_DU_SHORT, b, m);
                    f->month = ym;
                    f->a = c->paid[x];
                    f->b = mb->dues_cents;
                }
            }
            if (c->late[x]) {
                ok = 0;
                if (checked(c, mo)) {
                    finding *f = emit(c, R_DU_LATE, b, m);
                    f->month = ym;
                    f->a = c->late_on[x];
                    f->b = date_add_days(month_last_day(ym), cfg->grace_days);
                }
            }
            if (unpaid) {
                if (++du_streak == cfg->lapse_months && checked(c, mo)) {
                    finding *f = emit(c, R_DU_LAPSE, b, m);
                    f->month = ym;
                    f->a = du_streak;
                }
            } else {
                du_streak = 0;
            }
            if (ok && checked(c, mo)) st->dues_months_ok++;
        } else if (checked(c, mo)) {
            st->dues_months_ok++;
        }
        /* community service */
        if (checked(c, mo)) {
            st->svc_count += c->svc_n[x];
            st->svc_centi += c->svc_c[x];
        }
        st->ytd_count += c->svc_n[x];
        st->ytd_centi += c->svc_c[x];
        if (checked(c, mo) && eligible(c, m, mo) && c->svc_n[x] < cfg->min_per_month) {
            finding *f = emit(c, R_CS_MONTH, b, m);
            f->month = ym;
            f->a = c->svc_n[x];
            f->b = cfg->min_per_month;
        }
        if (checked(c, mo)) rate_checked = 1;
    }

    /* DU-RATE: once for the period, for a member in one of its months */
    if (rate_checked && mb->base_cents >= 0 && mb->dues_cents > 0) {
        double want = dues_expected(cfg, mb->category, mb->base_cents);
        if (want >= 0 && want - mb->dues_cents / 100.0 > 0.01 + 1e-9) {
            finding *f = emit(c, R_DU_RATE, b, m);
            f->a = mb->dues_cents;
            f->b = (long)floor(want * 100 + 0.5);
        }
    }

    /* minimums of the period (and of the whole year, for year-to-date views) */
    int period_months = c->p->last_month - c->p->first_month + 1;
    int elig_year = 0;
    for (int mo = 1; mo <= 12; mo++) {
        if (!eligible(c, m, mo)) continue;
        elig_year++;
        if (checked(c, mo)) st->eligible_months++;
    }
    st->special = mb->special_post >= 0;
    st->year_min_count = min_activities(cfg, elig_year, st->special, 12);
    st->year_min_centi = min_centi_hours(cfg, elig_year, st->special, 12);
    st->min_count = min_activities(cfg, st->eligible_months, st->special, period_months);
    st->min_centi = min_centi_hours(cfg, st->eligible_months, st->special, period_months);
    if (c->p->kind == RUN_ANNUAL || c->p->kind == RUN_HALFYEAR) {
        if (st->eligible_months > 0 && st->svc_count < st->min_count) {
            finding *f = emit(c, R_CS_COUNT, b, m);
            f->a = st->svc_count;
            f->b = st->min_count;
        }
        if (st->eligible_months > 0 && st->svc_centi < st->min_centi) {
            finding *f = emit(c, R_CS_HOURS, b, m);
            f->a = st->svc_centi;
            f->b = st->min_centi;
        }
    }
}

static void unconfirmed_rule(ctx *c)
{
    const dataset *ds = c->ds;
    for (size_t i = 0; i < ds->nsvc; i++) {
        const service_record *s = &ds->svc[i];
        if (s->confirmed || !s->in_year || !checked(c, s->date / 100 % 100)) continue;
        int m = s->member;
        finding *f = emit(c, R_CS_UNCONFIRMED, ds->members[m].branch, m);
        f->record = (int)i;
        f->month = s->date / 100;
    }
}

/* ---- sorting --------------------------------------------------------------- */

static const dataset *sort_ds;
static const run_period *sort_p;

static int cmp_finding(const void *pa, const void *pb)
{
    const finding *a = pa, *b = pb;
    int c = strcmp(sort_ds->branches[a->branch].name, sort_ds->branches[b->branch].name);
    if (c) return c;
    if ((c = strcmp(code_names[a->rule], code_names[b->rule]))) return c;
    const char *ma = a->member >= 0 ? sort_ds->members[a->member].id : "";
    const char *mb = b->member >= 0 ? sort_ds->members[b->member].id : "";
    if ((c = strcmp(ma, mb))) return c;
    char pa_[32], pb_[32];
    if ((c = strcmp(finding_period(sort_ds, sort_p, a, pa_, sizeof pa_),
                    finding_period(sort_ds, sort_p, b, pb_, sizeof pb_)))) return c;
    return (a->record > b->record) - (a->record < b->record);
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

void rules_run(const dataset *ds, const config *cfg, const run_period *p, rules_result *out)
{
    memset(out, 0, sizeof *out);
    out->period = *p;
    out->stats = xcalloc(ds->nmembers ? ds->nmembers : 1, sizeof *out->stats);
    ctx c = {.ds = ds, .cfg = cfg, .p = &out->period, .last = p->last_month, .out = out};
    build_tables(&c);
    theme_day_rules(&c);
    attendance_rules(&c);
    for (size_t m = 0; m < ds->nmembers; m++) member_rules(&c, (int)m);
    unconfirmed_rule(&c);
    free_tables(&c);
    sort_ds = ds;
    sort_p = &out->period;
    if (out->f.n > 1) qsort(out->f.v, out->f.n, sizeof *out->f.v, cmp_finding);
}

void rules_result_free(rules_result *r)
{
    free(r->f.v);
    free(r->stats);
    memset(r, 0, sizeof *r);
}
