/* warnings.c — see warnings.h. */
#include "check/warnings.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const code_names[W_COUNT] = {"WARN-CS-PACE", "WARN-LAPSE"};

const char *warning_code_name(warning_code c) { return code_names[c]; }

int warnings_month(const run_period *p)
{
    return p->kind == RUN_MONTHLY || p->kind == RUN_HALFYEAR ? p->last_month : 0;
}

static warning *add(warning_list *w, warning_code c, int branch, int member, int ym)
{
    GROW(w->v, w->cap, w->n);
    warning *x = &w->v[w->n++];
    memset(x, 0, sizeof *x);
    x->code = c;
    x->branch = branch;
    x->member = member;
    x->month = ym;
    return x;
}

/* WARN-CS-PACE of member m in month mo, when behind. */
static void pace(const facts *f, int m, int mo, warning_list *out)
{
    const member_facts *x = &f->mf[m];
    long done_m = x->eligible_ytd, year_m = x->eligible_year;
    if (done_m <= 0 || year_m <= 0) return; /* no eligible month up to mo: no pace to keep */
    /* below year_min × done_m / year_m, compared exactly in integers */
    int behind_n = (long)x->ytd_n * year_m < (long)x->year_min_n * done_m;
    int behind_h = (long)x->ytd_centi * year_m < (long)x->year_min_centi * done_m;
    if (!behind_n && !behind_h) return;
    warning *w = add(out, W_CS_PACE, f->ds->members[m].branch, m, f->period.year * 100 + mo);
    w->done_n = x->ytd_n;
    w->done_centi = x->ytd_centi;
    w->year_n = x->year_min_n;
    w->year_centi = x->year_min_centi;
    /* shown rounded up, so a warned member's figure is always below the one shown */
    w->pace_n = (int32_t)(((long)x->year_min_n * done_m + year_m - 1) / year_m);
    w->pace_centi = (int32_t)(((long)x->year_min_centi * done_m + 10 * year_m - 1) / (10 * year_m) * 10);
    w->need_n = x->year_min_n > x->ytd_n ? x->year_min_n - x->ytd_n : 0;
    w->need_centi = x->year_min_centi > x->ytd_centi ? x->year_min_centi - x->ytd_centi : 0;
    w->behind_n = (uint8_t)behind_n;
    w->behind_h = (uint8_t)behind_h;
    w->eligible_done = (uint8_t)done_m;
    w->eligible_left = (uint8_t)(year_m - done_m);
}

static void lapse(const facts *f, int m, int mo, warning_streak s, int length, warning_list *out)
{
    const config *cfg = f->cfg;
    if (cfg->warn_lapse_months <= 0 || length < cfg->warn_lapse_months || length >= cfg->lapse_months) return;
    warning *w = add(out, W_LAPSE, f->ds->members[m].branch, m, f->period.year * 100 + mo);
    w->streak = s;
    w->length = length;
    w->limit = cfg->lapse_months;
}

/* findings.csv's order: branch name, code, member_id, period (one month here), detail. */
static int cmp_warning(const void *pa, const void *pb, void *ctx)
{
    const dataset *ds = ctx;
    const warning *a = pa, *b = pb;
    int c = strcmp(ds->branches[a->branch].name, ds->branches[b->branch].name);
    if (c) return c;
    if ((c = strcmp(code_names[a->code], code_names[b->code]))) return c;
    if ((c = strcmp(ds->members[a->member].id, ds->members[b->member].id))) return c;
    char x[512], y[512];
    return strcmp(warning_detail(ds, a, x, sizeof x), warning_detail(ds, b, y, sizeof y));
}

void warnings_build(const facts *f, int mo, warning_list *out)
{
    const dataset *ds = f->ds;
    memset(out, 0, sizeof *out);
    size_t nb = ds->nbranches;
    key_runs_init(&out->by_branch, nb);
    out->b_members = xcalloc(nb + 1, sizeof(int));
    if (!f->cfg->warn_enabled || mo < 1 || mo > f->last) return;
    out->month = f->period.year * 100 + mo;
    for (size_t m = 0; m < ds->nmembers; m++) {
        const member_month *x = facts_mm(f, (int)m, mo);
        if (!(x->flags & MM_MEMBER)) continue; /* warned only while a member */
        size_t before = out->n;
        if (ds->members[m].category == CAT_ACTIVE) pace(f, (int)m, mo, out);
        lapse(f, (int)m, mo, WS_ATTENDANCE, x->at_streak, out);
        lapse(f, (int)m, mo, WS_DUES, x->du_streak, out);
        if (out->n > before) out->b_members[ds->members[m].branch]++;
    }
    if (out->n > 1) qsort_r(out->v, out->n, sizeof *out->v, cmp_warning, (void *)ds);
    for (size_t i = 0; i < out->n; i++) key_runs_add(&out->by_branch, out->v[i].branch, i);
}

void warnings_free(warning_list *w)
{
    free(w->v);
    key_runs_free(&w->by_branch);
    free(w->b_members);
    memset(w, 0, sizeof *w);
}

const warning *warnings_of_branch(const warning_list *w, int b, int *n)
{
    size_t at = key_runs_get(&w->by_branch, b, n);
    return *n ? w->v + at : NULL;
}

const char *warning_period(const warning *w, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d", w->month / 100, w->month % 100);
    return buf;
}

const char *warning_detail(const dataset *ds, const warning *w, char *buf, size_t n)
{
    (void)ds;
    int mo = w->month % 100;
    char months[32], a[32], b[32], c[32];
    if (mo == 1) snprintf(months, sizeof months, "1月");
    else snprintf(months, sizeof months, "1—%d月", mo);
    if (w->code == W_CS_PACE) {
        snprintf(buf, n, "%s确认下沉服务%d次、%s小时，按进度应达%d次、%s小时（全年要求%d次、%s小时）", months,
                 w->done_n, fmt_hours(w->done_centi, a, sizeof a), w->pace_n, fmt_hours(w->pace_centi, b, sizeof b),
                 w->year_n, fmt_hours(w->year_centi, c, sizeof c));
    } else if (w->streak == WS_ATTENDANCE) {
        snprintf(buf, n, "截至%d月，已连续%d个月不参加党的组织生活（未出席也未请假），满%d个月即属《中国共产党章程》第九条所列情形", mo,
                 w->length, w->limit);
    } else {
        snprintf(buf, n, "截至%d月，已连续%d个月不交纳党费，满%d个月即属《中国共产党章程》第九条所列情形", mo, w->length, w->limit);
    }
    return buf;
}
