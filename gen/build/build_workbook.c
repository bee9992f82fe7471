/*
 * build_workbook.c — the run's workbook (templates/workbook.ini): one sheet
 * per area for every branch of the run, the 问题清单 with an empty 整改情况
 * column, and the 输入问题.  Monthly runs list the month; half-year and
 * annual runs lay members out against their months.
 */
#include "build/build_reports.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    build_ctx *b;
    rdoc *d;
    tvars v;
    int first, last;   /* months of the period */
    int year;
} wctx;

static int ym(const wctx *w, int mo) { return w->year * 100 + mo; }

static rsection *sheet(wctx *w, const char *sec, const char *def_name)
{
    rsection *s = rdoc_add_section(w->d, tmpl_text(w->d, &w->b->tmpl, sec, "sheet", def_name, &w->v));
    const char *intro = tmpl_text(w->d, &w->b->tmpl, sec, "intro", NULL, &w->v);
    if (intro && *intro) rsec_add_paragraph(w->d, s, intro);
    return s;
}

/* ---- 汇总 -------------------------------------------------------------------- */

enum { SU_BRANCH, SU_UNIT, SU_MEMBERS, SU_ACTIVE, SU_THEME, SU_ATT, SU_DUES, SU_SVC_N, SU_SVC_H,
       SU_TD, SU_AT, SU_DU, SU_CS, SU_ALL, SU_EXC, SU_PASS, SU_FAIL, SU_N };
static const coldef summary_cols[SU_N] = {
    {"branch", "支部", 24, ALIGN_LEFT}, {"unit", "单位", 16, ALIGN_LEFT},
    {"members", "党员", 6, ALIGN_RIGHT}, {"active", "在职", 6, ALIGN_RIGHT},
    {"theme_days", "主题党日", 8, ALIGN_RIGHT}, {"attendance_rate", "出勤率", 8, ALIGN_RIGHT},
    {"dues_rate", "党费按时足额率", 10, ALIGN_RIGHT}, {"service_count", "下沉次数", 8, ALIGN_RIGHT},
    {"service_hours", "下沉小时", 8, ALIGN_RIGHT}, {"td", "主题党日问题", 8, ALIGN_RIGHT},
    {"at", "出勤问题", 8, ALIGN_RIGHT}, {"du", "党费问题", 8, ALIGN_RIGHT},
    {"cs", "下沉问题", 8, ALIGN_RIGHT}, {"findings", "问题合计", 8, ALIGN_RIGHT},
    {"excellent", "优秀", 6, ALIGN_RIGHT}, {"pass", "合格", 6, ALIGN_RIGHT}, {"fail", "不合格", 6, ALIGN_RIGHT},
};

/* Findings of rules first..last (an area: TD, AT, DU, CS) of a group. */
static int rules_sum(const group_facts *g, rule_code first, rule_code last)
{
    int n = 0;
    for (int r = first; r <= (int)last; r++) n += g->by_rule[r];
    return n;
}

static void sheet_summary(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    rsection *s = sheet(w, sec, "汇总");
    btable bt;
    btable_add(b, w->d, s, sec, summary_cols, b->fx->ev ? SU_N : SU_EXC, &bt);
    int att_col = -1, branch_col = -1;
    for (int i = 0; i < bt.n; i++) {
        if (bt.col[i] == SU_ATT) att_col = i;
        if (bt.col[i] == SU_BRANCH) branch_col = i;
    }
    size_t nb = b->ds->nbranches;
    /* branches in name order, as findings.csv */
    for (size_t k = 0; k < nb; k++) {
        int br = b->fx->branch_order[k];
        const group_facts *g = &b->fx->branch[br];
        rcell *row = btable_row(w->d, &bt);
        for (int i = 0; i < bt.n; i++) {
            rcell *c = &row[i];
            switch (bt.col[i]) {
            case SU_BRANCH: rcell_ref(c, b->ds->branches[br].name); break;
            case SU_UNIT: rcell_ref(c, b->ds->branches[br].unit); break;
            case SU_MEMBERS: rcell_int(w->d, c, g->members); break;
            case SU_ACTIVE: rcell_int(w->d, c, g->in_service); break;
            case SU_THEME: rcell_int(w->d, c, g->theme_days); break;
            case SU_ATT: if (g->att_expected) rcell_percent(w->d, c, facts_rate(g->att_present, g->att_expected), 1); break;
            case SU_DUES: if (g->dues_months) rcell_percent(w->d, c, (double)g->dues_ok / g->dues_months, 1); break;
            case SU_SVC_N: rcell_int(w->d, c, g->svc_n); break;
            case SU_SVC_H: rcell_hours(w->d, c, g->svc_centi / 100.0); break;
            case SU_TD: rcell_int(w->d, c, rules_sum(g, R_TD_HELD, R_TD_RECORD)); break;
            case SU_AT: rcell_int(w->d, c, rules_sum(g, R_AT_ABSENT, R_AT_LAPSE)); break;
            case SU_DU: rcell_int(w->d, c, rules_sum(g, R_DU_UNPAID, R_DU_LAPSE)); break;
            case SU_CS: rcell_int(w->d, c, rules_sum(g, R_CS_MONTH, R_CS_UNCONFIRMED)); break;
            case SU_ALL: rcell_int(w->d, c, g->findings); if (c->num > 0) c->emph = EMPH_FINDING; break;
            case SU_EXC: rcell_int(w->d, c, g->grades[GRADE_EXCELLENT]); break;
            case SU_PASS: rcell_int(w->d, c, g->grades[GRADE_PASS]); break;
            case SU_FAIL: rcell_int(w->d, c, g->grades[GRADE_FAIL]); if (c->num > 0) c->emph = EMPH_FINDING; break;
            }
        }
    }
    /* a chart of the attendance rate by branch, where it stays readable */
    int max_bars = atoi(tmpl_get(&b->tmpl, sec, "chart_max_branches", "40"));
    if (att_col >= 0 && branch_col >= 0 && nb > 0 && (int)nb <= max_bars) {
        rchart *ch = rsec_add_chart(w->d, s, CHART_BAR, tmpl_text(w->d, &b->tmpl, sec, "chart_title", "各支部出勤率", &w->v),
                                    (int)nb, 1);
        ch->percent = 1;
        ch->y_max = 1;
        ch->series[0].name = rdoc_strdup(w->d, tmpl_get(&b->tmpl, "columns", "attendance_rate", "出勤率"));
        for (size_t k = 0; k < nb; k++) {
            rcell *row = &bt.t->cells[k * (size_t)bt.n];
            ch->cats[k] = row[branch_col].text;
            ch->series[0].values[k] = row[att_col].num;
        }
        ch->table_cat_col = branch_col;
        ch->table_val_cols[0] = att_col;
    }
}

/* ---- 主题党日 ------------------------------------------------------------------- */

static int by_date(const void *x, const void *y, void *ctx)
{
    const dataset *ds = ctx;
    const meeting *a = &ds->meetings[*(const int *)x], *c = &ds->meetings[*(const int *)y];
    if (a->date != c->date) return a->date < c->date ? -1 : 1;
    int k = strcmp(ds->branches[a->branch].name, ds->branches[c->branch].name);
    return k ? k : strcmp(a->id, c->id);
}

/* Meetings of the period, by date (then branch name, id). */
static int *period_meetings(wctx *w, int *n)
{
    build_ctx *b = w->b;
    int *v = xmalloc(sizeof(int) * (b->ds->nmeetings ? b->ds->nmeetings : 1));
    *n = 0;
    for (size_t k = 0; k < b->ds->nmeetings; k++) {
        const meeting *mt = &b->ds->meetings[k];
        if ((b->fx->mt[k].flags & MT_COUNTED) && facts_in_period(b->fx, mt->date / 100 % 100)) v[(*n)++] = (int)k;
    }
    qsort_r(v, (size_t)*n, sizeof *v, by_date, (void *)b->ds);
    return v;
}

static void sheet_meetings(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    rsection *s = sheet(w, sec, "主题党日");
    btable bt;
    btable_add(b, w->d, s, sec, meeting_cols, meeting_ncols, &bt);
    int n;
    int *v = period_meetings(w, &n);
    for (int i = 0; i < n; i++) build_meeting_row(b, w->d, &bt, v[i]);
    free(v);
}

/* ---- 输入问题 (问题清单, 整改台账, 预警: build_ledger.c, build_warnings.c) --------------------- */

static void sheet_problems(wctx *w, const char *sec)
{
    rsection *s = sheet(w, sec, "输入问题");
    build_problems_table(w->b, w->d, s, sec);
}

/* ---- member sheets ---------------------------------------------------------------- */

/* Members of the run in branch-name, member_id order who were members in the period. */
static int *period_members(wctx *w, int *n)
{
    const facts *fx = w->b->fx;
    int *v = xmalloc(sizeof(int) * (w->b->ds->nmembers ? w->b->ds->nmembers : 1));
    *n = 0;
    for (size_t k = 0; k < w->b->ds->nbranches; k++) {
        int br = fx->branch_order[k];
        for (int i = fx->bmem_start[br]; i < fx->bmem_start[br + 1]; i++)
            if (fx->mf[fx->bmem[i]].in_period) v[(*n)++] = fx->bmem[i];
    }
    return v;
}

/* Columns: branch, member_id, name, then one column per month (or the
   month's own columns for a monthly run). */
static btable member_table(wctx *w, rsection *s, const char *sec, const char *month_fmt, double month_width)
{
    build_ctx *b = w->b;
    int nmonths = w->last - w->first + 1;
    btable bt = {0};
    bt.n = 3 + nmonths + 1;
    bt.t = rsec_add_table(w->d, s, bt.n);
    rtable_col(w->d, bt.t, 0, tmpl_get(&b->tmpl, "columns", "branch", "支部"), 24, ALIGN_LEFT);
    rtable_col(w->d, bt.t, 1, tmpl_get(&b->tmpl, "columns", "member_id", "党员编号"), 12, ALIGN_LEFT);
    rtable_col(w->d, bt.t, 2, tmpl_get(&b->tmpl, "columns", "name", "姓名"), 10, ALIGN_LEFT);
    for (int mo = w->first; mo <= w->last; mo++) {
        char t[32];
        snprintf(t, sizeof t, month_fmt, mo);
        rtable_col(w->d, bt.t, 3 + mo - w->first, t, month_width, ALIGN_RIGHT);
    }
    rtable_col(w->d, bt.t, bt.n - 1, tmpl_get(&b->tmpl, sec, "total_title", "合计"), month_width, ALIGN_RIGHT);
    bt.t->empty_text = "无";
    return bt;
}

static rcell *member_row(wctx *w, btable *bt, int m)
{
    const member *mb = &w->b->ds->members[m];
    rcell *row = btable_row(w->d, bt);
    rcell_ref(&row[0], w->b->ds->branches[mb->branch].name);
    rcell_ref(&row[1], mb->id);
    rcell_ref(&row[2], mb->name);
    return row;
}

static void sheet_dues(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    rsection *s = sheet(w, sec, "党费");
    int n;
    int *ms = period_members(w, &n);
    if (w->first == w->last) { /* one month: a row per member with due, paid, date, status */
        btable bt;
        btable_add(b, w->d, s, sec, dues_cols, dues_ncols, &bt);
        for (int k = 0; k < n; k++) build_dues_row(b, w->d, &bt, ms[k], ym(w, w->last));
        free(ms);
        return;
    }
    btable bt = member_table(w, s, sec, "%d月实交", 10);
    for (int k = 0; k < n; k++) {
        int m = ms[k];
        rcell *row = member_row(w, &bt, m);
        for (int mo = w->first; mo <= w->last; mo++) {
            rcell *c = &row[3 + mo - w->first];
            dues_state st = facts_dues_state(fx, m, mo);
            if (st == DUES_NOT_MEMBER) { rcell_ref(c, dues_word(b, st)); continue; }
            rcell_money(w->d, c, (long)facts_mm(fx, m, mo)->paid);
            if (st != DUES_OK && st != DUES_EXEMPT) c->emph = EMPH_FINDING;
        }
        rcell_money(w->d, &row[bt.n - 1], (long)fx->mf[m].dues_paid);
    }
    free(ms);
}

enum { AT_BRANCH, AT_MEMBER_ID, AT_NAME, AT_DATE, AT_KIND, AT_MEETING, AT_STATUS, AT_REASON, AT_N };
static const coldef attendance_cols[AT_N] = {
    {"branch", "支部", 24, ALIGN_LEFT}, {"member_id", "党员编号", 12, ALIGN_LEFT},
    {"name", "姓名", 10, ALIGN_LEFT}, {"date", "日期", 11, ALIGN_CENTER},
    {"kind", "类型", 12, ALIGN_LEFT}, {"meeting_id", "活动编号", 14, ALIGN_LEFT},
    {"status", "出勤", 10, ALIGN_CENTER}, {"reason", "请假事由", 20, ALIGN_LEFT},
};

/* One month: a row per member of the month and whole-branch meeting with sign-ins, with the
   status (the meetings without any sign-in count for nobody, Settled 5). */
static void attendance_rows(wctx *w, rsection *s, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    btable bt;
    btable_add(b, w->d, s, sec, attendance_cols, AT_N, &bt);
    int n;
    int *v = period_meetings(w, &n);
    for (int i = 0; i < n; i++) {
        int k = v[i];
        const meeting *mt = &b->ds->meetings[k];
        if (!(fx->mt[k].flags & MT_SIGNED)) continue;
        for (int j = fx->bmem_start[mt->branch]; j < fx->bmem_start[mt->branch + 1]; j++) {
            int m = fx->bmem[j];
            const member *mb = &b->ds->members[m];
            if (!facts_is_member(fx, m, mt->date / 100 % 100)) continue;
            const attendance *a;
            attendance_status st = facts_attendance(fx, k, m, &a);
            rcell *row = btable_row(w->d, &bt);
            for (int x = 0; x < bt.n; x++) {
                rcell *c = &row[x];
                switch (bt.col[x]) {
                case AT_BRANCH: rcell_ref(c, b->ds->branches[mb->branch].name); break;
                case AT_MEMBER_ID: rcell_ref(c, mb->id); break;
                case AT_NAME: rcell_ref(c, mb->name); break;
                case AT_DATE: rcell_date(w->d, c, mt->date); break;
                case AT_KIND: rcell_ref(c, meeting_kind_name(mt->kind)); break;
                case AT_MEETING: rcell_ref(c, mt->id); break;
                case AT_STATUS:
                    rcell_ref(c, !a ? build_word(b, "no_signin", "无签到记录")
                               : st == AT_PRESENT ? build_word(b, "present", "出席")
                               : st == AT_LEAVE ? build_word(b, "leave", "请假") : build_word(b, "absent", "缺席"));
                    if (st == AT_ABSENT) c->emph = EMPH_FINDING;
                    break;
                case AT_REASON: rcell_ref(c, a ? a->reason : ""); break;
                }
            }
        }
    }
    free(v);
}

static void sheet_attendance(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    rsection *s = sheet(w, sec, "出勤");
    if (w->first == w->last) {
        attendance_rows(w, s, sec);
        return;
    }
    int n;
    int *ms = period_members(w, &n);
    btable bt = member_table(w, s, sec, "%d月出席", 9);
    /* per member and month: present / held at whole-branch meetings with sign-ins */
    for (int k = 0; k < n; k++) {
        int m = ms[k];
        rcell *row = member_row(w, &bt, m);
        for (int mo = w->first; mo <= w->last; mo++) {
            rcell *c = &row[3 + mo - w->first];
            const member_month *x = facts_mm(fx, m, mo);
            int held = facts_held(fx, m, mo);
            if (!(x->flags & MM_MEMBER)) { rcell_ref(c, build_word(b, "not_member", "—")); continue; }
            if (!held) { rcell_ref(c, ""); continue; }
            c->type = CELL_TEXT;
            c->text = rdoc_printf(w->d, "%d/%d", x->present, held);
            if ((x->found >> R_AT_ABSENT & 1) || (x->found >> R_AT_LEADER & 1)) c->emph = EMPH_FINDING;
        }
        const member_facts *st = &fx->mf[m];
        if (st->held) rcell_percent(w->d, &row[bt.n - 1], facts_rate(st->present, st->held), 1);
    }
    free(ms);
}

static void sheet_service(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    rsection *s = sheet(w, sec, "下沉社区");
    int n;
    int *ms = period_members(w, &n);
    if (w->first == w->last) { /* one month: this month and the year to date */
        btable bt;
        btable_add(b, w->d, s, sec, service_cols, service_ncols, &bt);
        for (int k = 0; k < n; k++)
            if (b->ds->members[ms[k]].category == CAT_ACTIVE) build_service_row(b, w->d, &bt, ms[k], ym(w, w->last));
        free(ms);
        return;
    }
    /* in-service members only: the rule's audience; the last column is the period's total */
    btable bt = member_table(w, s, sec, "%d月小时", 9);
    for (int k = 0; k < n; k++) {
        int m = ms[k];
        if (b->ds->members[m].category != CAT_ACTIVE) continue;
        rcell *row = member_row(w, &bt, m);
        for (int mo = w->first; mo <= w->last; mo++) {
            rcell *c = &row[3 + mo - w->first];
            const member_month *x = facts_mm(fx, m, mo);
            const exemption *ex = facts_exemption(fx, m, mo);
            if (!(x->flags & MM_MEMBER)) { rcell_ref(c, build_word(b, "not_member", "—")); continue; }
            if (ex && x->svc_centi == 0) { rcell_ref(c, ex->type); continue; }
            rcell_hours(w->d, c, x->svc_centi / 100.0);
            if (x->found >> R_CS_MONTH & 1) c->emph = EMPH_FINDING;
        }
        const member_facts *st = &fx->mf[m];
        rcell *tot = &row[bt.n - 1];
        rcell_hours(w->d, tot, st->svc_centi / 100.0);
        if (st->found & (1u << R_CS_HOURS | 1u << R_CS_COUNT)) tot->emph = EMPH_FINDING;
    }
    free(ms);
}

/* ---- 考核结果 (annual) ------------------------------------------------------------- */

static void sheet_evaluation(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    if (!b->fx->ev) return;
    rsection *s = sheet(w, sec, "考核结果");
    btable bt;
    btable_add(b, w->d, s, sec, grade_cols, grade_ncols, &bt);
    for (size_t i = 0; i < b->fx->nev; i++) build_grade_row(b, w->d, &bt, &b->fx->ev[i], (int)i + 1);
}

/* ---- 半年汇总 (half-year) --------------------------------------------------------- */

enum { HY_BRANCH, HY_MEMBER_ID, HY_NAME, HY_ELIGIBLE, HY_COUNT, HY_HOURS, HY_MIN_COUNT, HY_MIN_HOURS, HY_STATUS, HY_N };
static const coldef half_cols[HY_N] = {
    {"branch", "支部", 24, ALIGN_LEFT}, {"member_id", "党员编号", 12, ALIGN_LEFT},
    {"name", "姓名", 10, ALIGN_LEFT}, {"eligible_months", "应服务月数", 10, ALIGN_RIGHT},
    {"count", "确认次数", 9, ALIGN_RIGHT}, {"hours", "确认小时", 9, ALIGN_RIGHT},
    {"min_count", "应达次数", 9, ALIGN_RIGHT}, {"min_hours", "应达小时", 9, ALIGN_RIGHT},
    {"status", "情况", 16, ALIGN_LEFT},
};

static void sheet_halfyear(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    if (fx->period.kind != RUN_HALFYEAR) return;
    rsection *s = sheet(w, sec, "半年汇总");
    btable bt;
    btable_add(b, w->d, s, sec, half_cols, HY_N, &bt);
    int n;
    int *ms = period_members(w, &n);
    for (int k = 0; k < n; k++) {
        int m = ms[k];
        const member *mb = &b->ds->members[m];
        if (mb->category != CAT_ACTIVE) continue;
        const member_facts *st = &fx->mf[m];
        int short_n = st->found >> R_CS_COUNT & 1, short_h = st->found >> R_CS_HOURS & 1;
        rcell *row = btable_row(w->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *c = &row[x];
            switch (bt.col[x]) {
            case HY_BRANCH: rcell_ref(c, b->ds->branches[mb->branch].name); break;
            case HY_MEMBER_ID: rcell_ref(c, mb->id); break;
            case HY_NAME: rcell_ref(c, mb->name); break;
            case HY_ELIGIBLE: rcell_int(w->d, c, st->eligible); break;
            case HY_COUNT: rcell_int(w->d, c, st->svc_n); if (short_n) c->emph = EMPH_FINDING; break;
            case HY_HOURS: rcell_hours(w->d, c, st->svc_centi / 100.0); if (short_h) c->emph = EMPH_FINDING; break;
            case HY_MIN_COUNT: rcell_int(w->d, c, st->min_n); break;
            case HY_MIN_HOURS: rcell_hours(w->d, c, st->min_centi / 100.0); break;
            case HY_STATUS:
                rcell_ref(c, service_word(b, st->eligible > 0, !short_n && !short_h));
                if (short_n || short_h) c->emph = EMPH_FINDING;
                break;
            }
        }
    }
    free(ms);
}

/* ---- the document ------------------------------------------------------------------- */

static void add_sheet(const char *name, void *vp)
{
    wctx *w = vp;
    if (!strcmp(name, "summary")) sheet_summary(w, name);
    else if (!strcmp(name, "meetings")) sheet_meetings(w, name);
    else if (!strcmp(name, "attendance")) sheet_attendance(w, name);
    else if (!strcmp(name, "dues")) sheet_dues(w, name);
    else if (!strcmp(name, "service")) sheet_service(w, name);
    else if (!strcmp(name, "evaluation")) sheet_evaluation(w, name);
    else if (!strcmp(name, "halfyear")) sheet_halfyear(w, name);
    else if (!strcmp(name, "warnings")) build_warnings_sheet(w->b, w->d, name, &w->v);
    else if (!strcmp(name, "findings")) build_findings_sheet(w->b, w->d, name, &w->v);
    else if (!strcmp(name, "ledger")) build_ledger_sheet(w->b, w->d, name, &w->v);
    else if (!strcmp(name, "problems")) sheet_problems(w, name);
}

rdoc *build_workbook(build_ctx *b)
{
    rdoc *d = rdoc_new();
    const run_period *p = &b->fx->period;
    wctx w = {.b = b, .d = d, .first = p->first_month, .last = p->last_month, .year = p->year};
    build_vars(b, &w.v, -1);
    const char *org = b->organization && b->organization[0] ? b->organization
                    : b->ds->nbranches ? b->ds->branches[0].unit : "";
    tvars_set(&w.v, "organization", "%s", org);
    build_doc_head(b, d, &w.v, "{organization} {period}", org);
    tmpl_list(&b->tmpl, "document", "sheets",
              "summary, meetings, attendance, dues, service, evaluation, halfyear, warnings, findings, ledger, problems", add_sheet, &w);
    return d;
}
