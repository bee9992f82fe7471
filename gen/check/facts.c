/*
 * facts.c — the tables of facts.h: one pass over each input array into
 * per member × month, per meeting and per branch × month tables, then the
 * period sums of each member, branch and the unit.  The verdicts in them
 * are the rules' (rules.c), the grades the evaluation's (evaluation.c);
 * facts_build() runs the three in order.
 */
#include "check/facts.h"
#include "base/dates.h"
#include <stdlib.h>
#include <string.h>

static void add16(uint16_t *x, unsigned v)
{
    unsigned s = *x + v;
    *x = (uint16_t)(s > 0xFFFF ? 0xFFFF : s);
}

static member_month *mm_at(facts *f, int m, int mo) { return facts_mm_fill(f, m, mo); }
static branch_month *bm_at(facts *f, int b, int mo) { return &f->bm[(size_t)b * 12 + (size_t)(mo - 1)]; }

/* The month 1..12 of a date or month within the run's data (January..last), else 0. */
static int data_month(const facts *f, int ym)
{
    int mo = ym % 100;
    return ym / 100 == f->period.year && mo >= 1 && mo <= f->last ? mo : 0;
}

/* ---- indexes ---------------------------------------------------------------- */

/* Counting sort of n items by key into a CSR (stable: items keep their order). */
static void csr(int nkeys, size_t n, const int *keys, int **start, int **items)
{
    *start = xcalloc((size_t)nkeys + 1, sizeof(int));
    *items = xmalloc(sizeof(int) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) (*start)[keys[i] + 1]++;
    for (int k = 0; k < nkeys; k++) (*start)[k + 1] += (*start)[k];
    int *fill = xcalloc((size_t)nkeys + 1, sizeof(int));
    for (size_t i = 0; i < n; i++) {
        int k = keys[i];
        (*items)[(*start)[k] + fill[k]++] = (int)i;
    }
    free(fill);
}

static int by_branch_name(const void *x, const void *y, void *ctx)
{
    const dataset *ds = ctx;
    return strcmp(ds->branches[*(const int *)x].name, ds->branches[*(const int *)y].name);
}
static int by_member_id(const void *x, const void *y, void *ctx)
{
    const dataset *ds = ctx;
    return strcmp(ds->members[*(const int *)x].id, ds->members[*(const int *)y].id);
}
static int by_meeting_date(const void *x, const void *y, void *ctx)
{
    const dataset *ds = ctx;
    const meeting *a = &ds->meetings[*(const int *)x], *b = &ds->meetings[*(const int *)y];
    if (a->date != b->date) return a->date < b->date ? -1 : 1;
    return strcmp(a->id, b->id);
}
static int by_service_date(const void *x, const void *y, void *ctx)
{
    const dataset *ds = ctx;
    const service_record *a = &ds->svc[*(const int *)x], *b = &ds->svc[*(const int *)y];
    if (a->date != b->date) return a->date < b->date ? -1 : 1;
    return (a->line > b->line) - (a->line < b->line);
}

static void sort_groups(const dataset *ds, int ngroups, const int *start, int *items,
                        int (*cmp)(const void *, const void *, void *))
{
    for (int g = 0; g < ngroups; g++)
        if (start[g + 1] - start[g] > 1)
            qsort_r(items + start[g], (size_t)(start[g + 1] - start[g]), sizeof(int), cmp, (void *)ds);
}

static void build_indexes(facts *f)
{
    const dataset *ds = f->ds;
    int nb = (int)ds->nbranches, nm = (int)ds->nmembers;
    size_t nk = ds->nmembers > ds->nmeetings ? ds->nmembers : ds->nmeetings;
    if (ds->natt > nk) nk = ds->natt;
    if (ds->nsvc > nk) nk = ds->nsvc;
    if (ds->nexm > nk) nk = ds->nexm;
    int *keys = xmalloc(sizeof(int) * (nk ? nk : 1));

    f->branch_order = xmalloc(sizeof(int) * (size_t)(nb ? nb : 1));
    for (int b = 0; b < nb; b++) f->branch_order[b] = b;
    qsort_r(f->branch_order, (size_t)nb, sizeof(int), by_branch_name, (void *)ds);

    for (size_t i = 0; i < ds->nmembers; i++) keys[i] = ds->members[i].branch;
    csr(nb, ds->nmembers, keys, &f->bmem_start, &f->bmem);
    sort_groups(ds, nb, f->bmem_start, f->bmem, by_member_id);

    for (size_t i = 0; i < ds->nmeetings; i++) keys[i] = ds->meetings[i].branch;
    csr(nb, ds->nmeetings, keys, &f->bmeet_start, &f->bmeet);
    sort_groups(ds, nb, f->bmeet_start, f->bmeet, by_meeting_date);

    for (size_t i = 0; i < ds->natt; i++) keys[i] = ds->att[i].meeting;
    csr((int)ds->nmeetings, ds->natt, keys, &f->ma_start, &f->ma);

    for (size_t i = 0; i < ds->nsvc; i++) keys[i] = ds->svc[i].member;
    csr(nm, ds->nsvc, keys, &f->ms_start, &f->ms);
    sort_groups(ds, nm, f->ms_start, f->ms, by_service_date);

    for (size_t i = 0; i < ds->nexm; i++) keys[i] = ds->exm[i].member;
    csr(nm, ds->nexm, keys, &f->me_start, &f->me);
    free(keys);
}

/* ---- predicates shared with the builders ------------------------------------------- */

int facts_record_counts(const facts *f, int i)
{
    const service_record *s = &f->ds->svc[i];
    return s->in_year && s->confirmed && data_month(f, s->date / 100) &&
           member_in_month(&f->ds->members[s->member], s->date / 100);
}

int facts_record_unconfirmed(const facts *f, int i)
{
    const service_record *s = &f->ds->svc[i];
    return s->in_year && !s->confirmed && data_month(f, s->date / 100);
}

int facts_record_in_period(const facts *f, int i)
{
    const service_record *s = &f->ds->svc[i];
    return s->in_year && s->date / 10000 == f->period.year && facts_in_period(f, s->date / 100 % 100);
}

const attendance *facts_signin(const facts *f, int k, int m)
{
    for (int i = f->ma_start[k]; i < f->ma_start[k + 1]; i++) {
        const attendance *a = &f->ds->att[f->ma[i]];
        if (a->member == m && !a->foreign) return a;
    }
    return NULL;
}

attendance_status facts_attendance(const facts *f, int k, int m, const attendance **row)
{
    const attendance *a = facts_signin(f, k, m);
    if (row) *row = a;
    return a ? a->status : AT_ABSENT; /* no row: absent (SPEC AT-ABSENT) */
}

void meeting_roll_init(meeting_roll *r, const facts *f)
{
    size_t n = f->ds->nmembers ? f->ds->nmembers : 1;
    r->stamp = xcalloc(n, sizeof *r->stamp);
    r->status = xcalloc(n, sizeof *r->status);
    r->taken = -1;
}

void meeting_roll_take(meeting_roll *r, const facts *f, int k)
{
    r->taken = k + 1;
    for (int i = f->ma_start[k]; i < f->ma_start[k + 1]; i++) {
        const attendance *a = &f->ds->att[f->ma[i]];
        if (a->foreign) continue;
        r->stamp[a->member] = r->taken;
        r->status[a->member] = (unsigned char)a->status;
    }
}

void meeting_roll_free(meeting_roll *r)
{
    free(r->stamp);
    free(r->status);
    memset(r, 0, sizeof *r);
}

const exemption *facts_exemption(const facts *f, int m, int mo)
{
    const member_month *x = facts_mm(f, m, mo);
    if (!x->exemption) return NULL;
    if (x->exemption < 255) return &f->ds->exm[f->me[f->me_start[m] + x->exemption - 1]];
    int mid = month_mid(f->period.year * 100 + mo); /* past the 254th exemption of one member */
    for (int i = f->me_start[m]; i < f->me_start[m + 1]; i++) {
        const exemption *e = &f->ds->exm[f->me[i]];
        if (e->from <= mid && mid <= e->to) return e;
    }
    return NULL;
}

unsigned long long facts_missing_actions(const facts *f, int k)
{
    if (!(f->mt[k].found >> R_TD_ACTIONS & 1)) return 0;
    unsigned long long all = f->cfg->nactions >= 64 ? ~0ULL : (1ULL << f->cfg->nactions) - 1;
    return all & ~f->ds->meetings[k].done;
}

dues_state facts_dues_state(const facts *f, int m, int mo)
{
    const member_month *x = facts_mm(f, m, mo);
    if (!(x->flags & MM_MEMBER)) return DUES_NOT_MEMBER;
    if (f->ds->members[m].dues_cents == 0) return DUES_EXEMPT;
    if (x->found >> R_DU_UNPAID & 1) return DUES_UNPAID;
    int s = x->found >> R_DU_SHORT & 1, l = x->found >> R_DU_LATE & 1;
    return s && l ? DUES_SHORT_LATE : s ? DUES_SHORT : l ? DUES_LATE : DUES_OK;
}

const finding *facts_branch_findings(const facts *f, int b, int *n)
{
    return f->f.v + key_runs_get(&f->bf, b, n);
}

int finding_month(const finding *x) { return x->month % 100; }

/* ---- tables ------------------------------------------------------------------------ */

/* Membership, exemptions and eligibility of every month of the year: held for
   the months of the data, summed for the year (assessed, eligible months). */
static void membership(facts *f)
{
    const dataset *ds = f->ds;
    int year = f->period.year;
    for (size_t m = 0; m < ds->nmembers; m++) {
        const member *mb = &ds->members[m];
        member_facts *st = &f->mf[m];
        for (int mo = 1; mo <= 12; mo++) {
            int in = member_in_month(mb, year * 100 + mo), mid = month_mid(year * 100 + mo), exm = 0;
            /* the first exemption (in file order) whose [from, to] holds the 15th */
            for (int i = f->me_start[m]; i < f->me_start[m + 1] && !exm; i++) {
                const exemption *e = &ds->exm[f->me[i]];
                if (e->from <= mid && mid <= e->to) exm = i - f->me_start[m] + 1;
            }
            int eligible = in && mb->category == CAT_ACTIVE && !exm;
            if (in) st->assessed = 1;
            if (eligible) st->eligible_year++;
            if (in) {
                branch_month *bx = bm_at(f, mb->branch, mo);
                bx->members++;
                if (mb->category == CAT_ACTIVE) bx->in_service++;
            }
            if (mo > f->last) continue;
            member_month *x = mm_at(f, (int)m, mo);
            x->flags |= MM_IN_DATA | (in ? MM_MEMBER : 0) | (exm ? MM_EXEMPT : 0) | (eligible ? MM_ELIGIBLE : 0);
            x->exemption = (uint8_t)(exm < 255 ? exm : 255);
        }
    }
}

/* Meetings, and the attendance of each whole-branch meeting with sign-ins. */
static void meetings(facts *f)
{
    const dataset *ds = f->ds;
    meeting_roll roll;
    meeting_roll_init(&roll, f);
    for (size_t k = 0; k < ds->nmeetings; k++) {
        const meeting *mt = &ds->meetings[k];
        meeting_facts *x = &f->mt[k];
        int mo = mt->in_year ? data_month(f, mt->date / 100) : 0;
        if (!mo) continue;
        x->flags |= MT_COUNTED;
        branch_month *bx = bm_at(f, mt->branch, mo);
        bx->meetings++;
        if (mt->kind == MK_THEME_DAY) bx->theme_days++;
        if (!meeting_whole_branch(mt->kind) || mt->nsignin == 0) continue;
        x->flags |= MT_SIGNED;
        bx->whole_signed++;
        if (mt->kind == MK_THEME_DAY) bx->theme_signed++;
        meeting_roll_take(&roll, f, (int)k);
        for (int i = f->bmem_start[mt->branch]; i < f->bmem_start[mt->branch + 1]; i++) {
            int m = f->bmem[i];
            member_month *y = mm_at(f, m, mo);
            if (!(y->flags & MM_MEMBER)) continue;
            attendance_status s = meeting_roll_status(&roll, m, NULL);
            if (s == AT_PRESENT) {
                add16(&y->present, 1);
                x->present++;
                if (mt->kind == MK_THEME_DAY) y->flags |= MM_THEME_PRESENT;
            } else if (s == AT_LEAVE) {
                add16(&y->leave, 1);
                x->leave++;
            } else {
                add16(&y->absent, 1);
                x->absent++;
            }
        }
        bx->att_present += x->present;
        bx->att_expected += x->present + x->leave + x->absent;
    }
    meeting_roll_free(&roll);
}

static void dues(facts *f)
{
    const dataset *ds = f->ds;
    for (size_t i = 0; i < ds->npay; i++) {
        const payment *p = &ds->pay[i];
        int mo = p->in_year ? data_month(f, p->month) : 0;
        if (!mo || p->cents <= 0) continue; /* a row of no payment counts for nothing */
        member_month *x = mm_at(f, p->member, mo);
        x->paid += p->cents;
        if (p->paid_on > x->paid_on) x->paid_on = p->paid_on;
        int deadline = date_add_days(month_last_day(p->month), f->cfg->grace_days);
        if (p->paid_on && p->paid_on > deadline) x->flags |= MM_LATE;
    }
}

static void service(facts *f)
{
    const dataset *ds = f->ds;
    for (size_t i = 0; i < ds->nsvc; i++) {
        const service_record *s = &ds->svc[i];
        if (facts_record_counts(f, (int)i)) {
            member_month *x = mm_at(f, s->member, s->date / 100 % 100);
            add16(&x->svc_n, 1);
            x->svc_centi += (int32_t)s->centi_hours;
        } else if (facts_record_unconfirmed(f, (int)i)) {
            add16(&mm_at(f, s->member, s->date / 100 % 100)->unconfirmed, 1);
        }
    }
}

/* The member's sums over the period, over January..last and over the year, and the minimums. */
static void member_sums(facts *f)
{
    const dataset *ds = f->ds;
    const config *cfg = f->cfg;
    int period_months = f->period.last_month - f->period.first_month + 1;
    for (size_t m = 0; m < ds->nmembers; m++) {
        member_facts *x = &f->mf[m];
        x->ev = -1;
        x->rate_want = -1;
        x->special = ds->members[m].special_post >= 0;
        for (int mo = 1; mo <= f->last; mo++) {
            const member_month *y = facts_mm(f, (int)m, mo);
            int in = facts_in_period(f, mo);
            if ((y->flags & MM_MEMBER) && in) x->in_period = 1, x->member_months++;
            if (y->flags & MM_ELIGIBLE) {
                if (in) x->eligible++;
                x->eligible_ytd++;
            }
            x->ytd_n += y->svc_n;
            x->ytd_centi += y->svc_centi;
            if (!in) continue;
            x->held += y->present + y->leave + y->absent;
            x->present += y->present;
            x->leave += y->leave;
            x->absent += y->absent;
            x->svc_n += y->svc_n;
            x->svc_centi += y->svc_centi;
            x->unconfirmed += y->unconfirmed;
        }
        x->year_min_n = min_activities(cfg, x->eligible_year, x->special, 12);
        x->year_min_centi = (int32_t)min_centi_hours(cfg, x->eligible_year, x->special, 12);
        x->min_n = min_activities(cfg, x->eligible, x->special, period_months);
        x->min_centi = (int32_t)min_centi_hours(cfg, x->eligible, x->special, period_months);
    }
}

/* After the verdicts: the member's dues months of the period by verdict. */
static void member_dues(facts *f)
{
    const dataset *ds = f->ds;
    for (size_t m = 0; m < ds->nmembers; m++) {
        member_facts *x = &f->mf[m];
        for (int mo = f->period.first_month; mo <= f->period.last_month; mo++) {
            const member_month *y = facts_mm(f, (int)m, mo);
            if (!(y->flags & MM_MEMBER)) continue;
            x->dues_due += ds->members[m].dues_cents;
            x->dues_paid += y->paid;
            branch_month *bx = bm_at(f, ds->members[m].branch, mo);
            bx->dues_due += ds->members[m].dues_cents;
            bx->dues_paid += y->paid;
            if (y->flags & MM_DUES_OK) x->dues_ok++;
            if (y->found >> R_DU_UNPAID & 1) x->dues_unpaid++;
            if (y->found >> R_DU_SHORT & 1) x->dues_short++;
            if (y->found >> R_DU_LATE & 1) x->dues_late++;
        }
    }
}

/* The run's findings by member, branch and rule; the branch runs of f->f. */
static void count_findings(facts *f)
{
    const dataset *ds = f->ds;
    size_t nb = ds->nbranches;
    key_runs_init(&f->bf, nb);
    for (size_t i = 0; i < f->f.n; i++) {
        const finding *x = &f->f.v[i];
        key_runs_add(&f->bf, x->branch, i);
        if (x->member >= 0) f->mf[x->member].count[x->rule]++;
        group_facts *g = &f->branch[x->branch];
        g->findings++;
        if (g->by_rule[x->rule]++ == 0) f->unit.branches_by_rule[x->rule]++;
        f->unit.findings++;
        f->unit.by_rule[x->rule]++;
    }
}

static void add_group(group_facts *to, const group_facts *g)
{
    to->members += g->members;
    for (int k = 0; k < CAT_COUNT; k++) to->by_category[k] += g->by_category[k];
    to->in_service += g->in_service;
    to->theme_days += g->theme_days;
    to->theme_late += g->theme_late;
    to->meetings += g->meetings;
    to->att_present += g->att_present;
    to->att_expected += g->att_expected;
    to->dues_months += g->dues_months;
    to->dues_ok += g->dues_ok;
    to->dues_unpaid += g->dues_unpaid;
    to->dues_short += g->dues_short;
    to->dues_late += g->dues_late;
    to->dues_exempt += g->dues_exempt;
    to->dues_due += g->dues_due;
    to->dues_paid += g->dues_paid;
    to->svc_members += g->svc_members;
    to->svc_short += g->svc_short;
    to->svc_n += g->svc_n;
    to->svc_centi += g->svc_centi;
    to->unconfirmed += g->unconfirmed;
    for (int k = 0; k < 3; k++) to->grades[k] += g->grades[k];
}

static void group_sums(facts *f)
{
    const dataset *ds = f->ds;
    for (size_t b = 0; b < ds->nbranches; b++) {
        group_facts *g = &f->branch[b];
        for (int mo = f->period.first_month; mo <= f->period.last_month; mo++) {
            const branch_month *y = facts_bm(f, (int)b, mo);
            g->theme_days += y->theme_days;
            g->theme_late += y->theme_late;
            g->meetings += y->meetings;
            g->att_present += y->att_present;
            g->att_expected += y->att_expected;
        }
        for (int i = f->bmem_start[b]; i < f->bmem_start[b + 1]; i++) {
            int m = f->bmem[i];
            const member *mb = &ds->members[m];
            const member_facts *x = &f->mf[m];
            g->unconfirmed += x->unconfirmed; /* a record of anyone, member or not (Settled 13) */
            if (!x->in_period) continue;
            g->members++;
            g->by_category[mb->category]++;
            g->dues_months += x->member_months;
            g->dues_ok += x->dues_ok;
            g->dues_unpaid += x->dues_unpaid;
            g->dues_short += x->dues_short;
            g->dues_late += x->dues_late;
            if (mb->dues_cents == 0) g->dues_exempt += x->member_months;
            g->dues_due += x->dues_due;
            g->dues_paid += x->dues_paid;
            if (x->ev >= 0) g->grades[f->ev[x->ev].grade]++;
            if (mb->category != CAT_ACTIVE) continue;
            g->in_service++;
            g->svc_n += x->svc_n;
            g->svc_centi += x->svc_centi;
            if (x->eligible > 0) {
                g->svc_members++;
                if (x->found & (1u << R_CS_COUNT | 1u << R_CS_HOURS)) g->svc_short++;
            }
        }
        add_group(&f->unit, g);
    }
    f->unit.branches = (int32_t)ds->nbranches;
}

void facts_build(facts *f, const dataset *ds, const config *cfg, const run_period *p)
{
    memset(f, 0, sizeof *f);
    f->ds = ds;
    f->cfg = cfg;
    f->period = *p;
    f->last = p->last_month;
    for (int mo = 1; mo <= 12; mo++) f->deadline[mo] = config_deadline(cfg, p->year * 100 + mo);
    size_t nm = ds->nmembers, nb = ds->nbranches;
    f->mm = xcalloc(nm ? nm * (size_t)f->last : 1, sizeof *f->mm);
    f->mf = xcalloc(nm ? nm : 1, sizeof *f->mf);
    f->mt = xcalloc(ds->nmeetings ? ds->nmeetings : 1, sizeof *f->mt);
    f->bm = xcalloc(nb ? nb * 12 : 1, sizeof *f->bm);
    f->branch = xcalloc(nb ? nb : 1, sizeof *f->branch);
    build_indexes(f);
    membership(f);
    meetings(f);
    dues(f);
    service(f);
    member_sums(f);
    rules_judge(f);
    member_dues(f);
    rules_report(f, p->first_month, p->last_month, 1, &f->f);
    findings_sort(f, &f->f);
    count_findings(f);
    if (p->kind == RUN_ANNUAL) evaluate(f);
    group_sums(f);
}

void facts_free(facts *f)
{
    free(f->mm); free(f->mf); free(f->mt); free(f->bm); free(f->branch);
    findings_free(&f->f);
    key_runs_free(&f->bf);
    free(f->ev); free(f->caps);
    free(f->branch_order);
    free(f->bmem_start); free(f->bmem); free(f->bmeet_start); free(f->bmeet);
    free(f->ma_start); free(f->ma); free(f->ms_start); free(f->ms); free(f->me_start); free(f->me);
    memset(f, 0, sizeof *f);
}
