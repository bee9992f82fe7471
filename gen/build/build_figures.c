/* build_figures.c — figures read off the records for the reports (see build.h). */
#include "build/build.h"
#include "base/dates.h"
#include <string.h>

long member_month_paid(const build_ctx *b, int m, int ym, int *paid_on)
{
    long sum = 0;
    *paid_on = 0;
    for (int i = b->mp_start[m]; i < b->mp_start[m + 1]; i++) {
        const payment *p = &b->ds->pay[b->mp[i]];
        if (p->month != ym) continue;
        sum += p->cents;
        if (p->paid_on > *paid_on) *paid_on = p->paid_on;
    }
    return sum;
}

int member_month_service(const build_ctx *b, int m, int ym, long *centi)
{
    int n = 0;
    *centi = 0;
    for (int i = b->ms_start[m]; i < b->ms_start[m + 1]; i++) {
        const service_record *s = &b->ds->svc[b->ms[i]];
        if (s->date / 100 != ym || !s->confirmed) continue;
        n++;
        *centi += s->centi_hours;
    }
    return n;
}

const char *member_exemption(const build_ctx *b, int m, int ym)
{
    int mid = month_mid(ym);
    for (int i = b->me_start[m]; i < b->me_start[m + 1]; i++) {
        const exemption *e = &b->ds->exm[b->me[i]];
        if (e->from <= mid && mid <= e->to) return e->type;
    }
    return NULL;
}

int member_findings(const build_ctx *b, int m, rule_code r, int ym)
{
    int n = 0;
    for (int i = b->mf_start[m]; i < b->mf_start[m + 1]; i++) {
        const finding *f = &b->rr->f.v[b->mf[i]];
        if (f->rule == r && (!ym || f->month == ym)) n++;
    }
    return n;
}

void meeting_counts(const build_ctx *b, int k, int *present, int *leave, int *absent)
{
    const meeting *mt = &b->ds->meetings[k];
    *present = *leave = *absent = 0;
    for (int i = b->ma_start[k]; i < b->ma_start[k + 1]; i++) {
        const attendance *a = &b->ds->att[b->ma[i]];
        if (a->foreign || !member_in_month(&b->ds->members[a->member], mt->date / 100)) continue;
        if (a->status == AT_PRESENT) (*present)++;
        else if (a->status == AT_LEAVE) (*leave)++;
    }
    int in_month = branch_members_in_month(b, mt->branch, mt->date / 100, NULL);
    *absent = mt->nsignin ? in_month - *present - *leave : 0;
}

int branch_members_in_month(const build_ctx *b, int branch, int ym, int *active)
{
    int n = 0;
    if (active) *active = 0;
    for (int i = b->bm_start[branch]; i < b->bm_start[branch + 1]; i++) {
        const member *m = &b->ds->members[b->bm[i]];
        if (!member_in_month(m, ym)) continue;
        n++;
        if (active && m->category == CAT_ACTIVE) (*active)++;
    }
    return n;
}

double branch_month_attendance(const build_ctx *b, int branch, int ym)
{
    long present = 0, expected = 0;
    for (int i = b->bmt_start[branch]; i < b->bmt_start[branch + 1]; i++) {
        int k = b->bmt[i];
        const meeting *mt = &b->ds->meetings[k];
        if (mt->date / 100 != ym || !mt->in_year || !meeting_whole_branch(mt->kind) || !mt->nsignin) continue;
        int p, l, a;
        meeting_counts(b, k, &p, &l, &a);
        present += p;
        expected += p + l + a;
    }
    return expected ? (double)present / (double)expected : -1;
}

int branch_theme_days(const build_ctx *b, int branch, int ym)
{
    int n = 0;
    for (int i = b->bmt_start[branch]; i < b->bmt_start[branch + 1]; i++) {
        const meeting *mt = &b->ds->meetings[b->bmt[i]];
        n += mt->in_year && mt->kind == MK_THEME_DAY && mt->date / 100 == ym;
    }
    return n;
}

int branch_findings(const build_ctx *b, int branch, const char *prefix)
{
    int n = 0;
    for (int i = b->bf_start[branch]; i < b->bf_start[branch + 1]; i++)
        n += !prefix || !strncmp(rule_code_name(b->rr->f.v[b->bf[i]].rule), prefix, strlen(prefix));
    return n;
}
