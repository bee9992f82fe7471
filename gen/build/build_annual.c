/*
 * build_annual.c — the year-end reports (年度考核):
 *
 *   build_annual_branch  templates/annual.ini       one branch's packet: grades with
 *                        their reasons, service against the prorated minimum, the dues
 *                        ledger and the attendance grid (member × 12 months, landscape),
 *                        the 问题清单, monthly charts and the signature block;
 *   build_annual_unit    templates/unit-annual.ini  the unit's annual 双报告 to the higher
 *                        organization: members by category, service totals, a row per
 *                        branch, the grade distribution, the 优秀-ratio check and the seal.
 *
 * Like build_monthly.c: section functions dispatched by the template's
 * [document] sections list, coldef tables with keys, every word from the
 * template (with the defaults below when a key is absent).
 */
#include "build/build.h"
#include "build/build_reports.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    build_ctx *b;
    rdoc *d;
    int branch;  /* -1: the unit report */
    int year;
    tvars v;
} actx;

static const char *grade_word(const build_ctx *b, grade g) { return grade_name(b->cfg, g); }

/* The 优秀 places of a branch: its cap scope's, or the run's when the cap is for all. */
static const cap_scope *branch_cap(const build_ctx *b, int br)
{
    if (!b->fx->ncaps) return NULL;
    return &b->fx->caps[b->cfg->excellent_scope_all ? 0 : br];
}

static void set_grade_vars(actx *c)
{
    const config *cfg = c->b->cfg;
    tvars_set(&c->v, "grade_excellent", "%s", grade_word(c->b, GRADE_EXCELLENT));
    tvars_set(&c->v, "grade_pass", "%s", grade_word(c->b, GRADE_PASS));
    tvars_set(&c->v, "grade_fail", "%s", grade_word(c->b, GRADE_FAIL));
    tvars_set(&c->v, "ratio", "%g", cfg->excellent_max_ratio * 100);
    tvars_set(&c->v, "min_score", "%g", cfg->excellent_min_score);
    tvars_set(&c->v, "max_absences", "%d", cfg->max_absences);
    tvars_set(&c->v, "min_per_year", "%d", cfg->min_per_year);
    tvars_set(&c->v, "min_hours_per_year", "%g", cfg->min_hours_per_year);
    tvars_set(&c->v, "scope", "%s", cfg->excellent_scope_all ? "全体参评党员" : "支部参评党员");
}

static void set_summary_vars(actx *c, const group_facts *g, const cap_scope *cap)
{
    char h[32];
    tvars_set(&c->v, "assessed", "%d", g->members);
    tvars_set(&c->v, "active", "%d", g->in_service);
    tvars_set(&c->v, "excellent", "%d", g->grades[GRADE_EXCELLENT]);
    tvars_set(&c->v, "pass", "%d", g->grades[GRADE_PASS]);
    tvars_set(&c->v, "fail", "%d", g->grades[GRADE_FAIL]);
    tvars_set(&c->v, "cap", "%d", cap ? cap->cap : 0);
    tvars_set(&c->v, "findings", "%d", g->findings);
    tvars_set(&c->v, "svc_count", "%d", g->svc_n);
    tvars_set(&c->v, "svc_hours", "%s", fmt_hours((long)g->svc_centi, h, sizeof h));
    tvars_set(&c->v, "svc_members", "%d", g->svc_members);
    tvars_set(&c->v, "svc_short", "%d", g->svc_short);
    tvars_set(&c->v, "unconfirmed", "%d", g->unconfirmed);
}

/* {svc_short_text} of section sec: "3名党员未达到最低要求", or, when nobody is short,
   "均达到最低要求" (never "0名未达到") — the template's short_some / short_none. */
static void set_short_text(actx *c, const char *sec, int n)
{
    const char *t = tmpl_get(&c->b->tmpl, sec, n ? "short_some" : "short_none",
                             n ? "{svc_short}名党员未达到最低要求" : "在职党员均达到最低要求");
    char buf[256];
    tvars_set(&c->v, "svc_short_text", "%s", tmpl_expand_buf(t, &c->v, buf, sizeof buf));
}

static const char *label(actx *c, const char *sec, const char *key, const char *def)
{
    return tmpl_text(c->d, &c->b->tmpl, sec, key, def, &c->v);
}

static const char *grades_text(actx *c, const group_facts *g)
{
    build_ctx *b = c->b;
    return rdoc_printf(c->d, "%s%d名，%s%d名，%s%d名", grade_word(b, GRADE_EXCELLENT), g->grades[GRADE_EXCELLENT],
                       grade_word(b, GRADE_PASS), g->grades[GRADE_PASS], grade_word(b, GRADE_FAIL), g->grades[GRADE_FAIL]);
}

/* ==== the branch packet ====================================================== */

static void sec_overview(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const group_facts *g = &b->fx->branch[c->branch];
    build_section_head(b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    rkv_add(c->d, kv, label(c, sec, "label_organization", "党组织"), branch_organization(b, c->branch));
    rkv_add(c->d, kv, label(c, sec, "label_branch", "支部"), b->ds->branches[c->branch].name);
    rkv_add(c->d, kv, label(c, sec, "label_year", "年度"), rdoc_printf(c->d, "%d年", c->year));
    char cats[256] = "";
    size_t o = 0;
    for (int k = 0; k < CAT_COUNT; k++)
        if (g->by_category[k])
            o += (size_t)snprintf(cats + o, sizeof cats - o, "%s%s%d名", o ? "，" : "", category_name((member_category)k),
                                  g->by_category[k]);
    rkv_add(c->d, kv, label(c, sec, "label_members", "参评党员"),
            rdoc_printf(c->d, "%d名%s%s%s", g->members, o ? "（" : "", cats, o ? "）" : ""));
    rkv_add(c->d, kv, label(c, sec, "label_theme_days", "主题党日"), rdoc_printf(c->d, "%d次", g->theme_days));
    double rate = facts_rate(g->att_present, g->att_expected);
    rkv_add(c->d, kv, label(c, sec, "label_attendance", "全年出勤率"),
            rate >= 0 ? rdoc_printf(c->d, "%.1f%%", 100.0 * rate) : build_word(b, "not_applicable", "—"));
    char h[32];
    rkv_add(c->d, kv, label(c, sec, "label_service", "下沉社区"),
            rdoc_printf(c->d, "在职党员确认活动%d次，%s小时", g->svc_n, fmt_hours((long)g->svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_grades", "考核结果"), grades_text(c, g));
    rkv_add(c->d, kv, label(c, sec, "label_findings", "发现问题"), rdoc_printf(c->d, "%d条", g->findings));
}

static void sec_grades(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, grade_cols, grade_ncols, &bt);
    int no = 0;
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int e = fx->mf[fx->bmem[i]].ev;
        if (e >= 0) build_grade_row(b, c->d, &bt, &fx->ev[e], ++no);
    }
}

enum { SV_MEMBER_ID, SV_NAME, SV_POST, SV_ELIGIBLE, SV_COUNT, SV_HOURS, SV_MIN, SV_EXEMPT, SV_UNCONF, SV_RESULT, SV_N };
/* PDF widths in units of about four characters (build.c's finding_cols), under
   two-line titles where a column is narrow; the exemption takes the rest. */
static const coldef ann_service_cols[SV_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"special_post", "特殊岗位", 1.25, ALIGN_LEFT}, {"eligible_months", "应服务\n月数", 0.8, ALIGN_CENTER},
    {"count", "确认\n次数", 0.65, ALIGN_RIGHT}, {"hours", "确认\n小时", 0.75, ALIGN_RIGHT},
    {"minimum", "最低要求\n（次/小时）", 1.35, ALIGN_CENTER}, {"exemption", "免于下沉", 1.8, ALIGN_LEFT},
    {"unconfirmed", "未确认", 0.85, ALIGN_CENTER}, {"result", "情况", 0.85, ALIGN_CENTER},
};

/* A section's 合计 row (build.h's btable_total_row) labelled with its `total` word:
   NULL under an empty table. */
static rcell *total_row(actx *c, btable *bt, const char *sec, const int *label_cols, int nlabel)
{
    return btable_total_row(c->d, bt, label(c, sec, "total", "合计"), label_cols, nlabel);
}

/* The period's service of a member: its rows in the annual and half-year tables agree by construction. */
static void sec_service(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, ann_service_cols, SV_N, &bt);
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int m = fx->bmem[i];
        const member *mb = &b->ds->members[m];
        const member_facts *st = &fx->mf[m];
        if (!st->in_period || mb->category != CAT_ACTIVE) continue;
        int short_n = st->found >> R_CS_COUNT & 1, short_h = st->found >> R_CS_HOURS & 1;
        rcell *row = btable_row(c->d, &bt);
        char h[32];
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case SV_MEMBER_ID: rcell_ref(cell, mb->id); break;
            case SV_NAME: rcell_ref(cell, mb->name); break;
            case SV_POST: rcell_ref(cell, mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : ""); break;
            case SV_ELIGIBLE: rcell_int(c->d, cell, st->eligible); break;
            case SV_COUNT: rcell_int(c->d, cell, st->svc_n); if (short_n) cell->emph = EMPH_FINDING; break;
            case SV_HOURS: rcell_hours(c->d, cell, st->svc_centi / 100.0); if (short_h) cell->emph = EMPH_FINDING; break;
            case SV_MIN:
                rcell_ref(cell, st->eligible ? rdoc_printf(c->d, "%d / %s", st->min_n, fmt_hours(st->min_centi, h, sizeof h))
                                             : build_word(b, "not_applicable", "—"));
                break;
            case SV_EXEMPT: rcell_ref(cell, exemptions_text(b, c->d, m)); break;
            case SV_UNCONF:
                if (st->unconfirmed) {
                    rcell_int(c->d, cell, st->unconfirmed);
                    cell->emph = EMPH_FINDING;
                }
                break;
            case SV_RESULT:
                rcell_ref(cell, service_word(b, st->eligible > 0, !short_n && !short_h));
                if (short_n || short_h) cell->emph = EMPH_FINDING;
                break;
            }
        }
    }
    build_section_empty(b, c->d, s, sec, bt.t, &c->v);
    /* the branch's confirmed service of its 在职 members: the rows above, summed by the facts */
    const group_facts *g = &fx->branch[c->branch];
    static const int label_cols[] = {SV_NAME, SV_MEMBER_ID};
    rcell *row = total_row(c, &bt, sec, label_cols, 2);
    if (!row) return;
    for (int x = 0; x < bt.n; x++) {
        if (bt.col[x] == SV_COUNT) rcell_int(c->d, &row[x], g->svc_n);
        else if (bt.col[x] == SV_HOURS) rcell_hours(c->d, &row[x], g->svc_centi / 100.0);
    }
}

/* Month columns m1..m12 share one key pattern; the rest are named. */
enum { LC_MEMBER_ID, LC_NAME, LC_DUE, LC_M1, LC_TOTAL = LC_M1 + 12, LC_NOTE, LC_N };
static const char *const month_keys[12] = {"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12"};
static const char *const month_titles[12] = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"};

/* The member × month columns.  Landscape holds about 13.5 units of four characters
   (225 mm at 10.5 pt): a name of three characters on one line, and each month as
   wide as `month` (the 党费台账's 合计 row holds 1317.00 in bold, the 出勤台账's 22/28). */
static const coldef *ledger_defs(const char *total_key, const char *total_title, double total_w,
                                 const char *note_key, const char *note_title, double month, coldef *out)
{
    out[LC_MEMBER_ID] = (coldef){"member_id", "党员编号", 1.0, ALIGN_LEFT};
    out[LC_NAME] = (coldef){"name", "姓名", 0.85, ALIGN_LEFT};
    out[LC_DUE] = (coldef){"monthly_dues", "核定\n（元）", 0.85, ALIGN_RIGHT};
    for (int i = 0; i < 12; i++) out[LC_M1 + i] = (coldef){month_keys[i], month_titles[i], month, ALIGN_CENTER};
    out[LC_TOTAL] = (coldef){total_key, total_title, total_w, ALIGN_RIGHT};
    out[LC_NOTE] = (coldef){note_key, note_title, 0.65, ALIGN_CENTER};
    return out;
}

/* Yuan with two decimals, as a money cell shows it (127.50). */
static const char *yuan2(long cents, char *buf, size_t n)
{
    snprintf(buf, n, "%s%ld.%02ld", cents < 0 ? "-" : "", labs(cents) / 100, labs(cents) % 100);
    return buf;
}

/* The month of a month column (1..12), 0 for another column. */
static int ledger_month(int col) { return col >= LC_M1 && col < LC_M1 + 12 ? col - LC_M1 + 1 : 0; }

/* The cell of column col (month mo, 0 outside the month columns) of member m, or of
   the 合计 row when m < 0; the member's id and name are ledger_section's. */
typedef void ledger_cell(actx *c, rcell *cell, int m, int col, int mo);

/* A member × month ledger of the branch (党费台账, 出勤台账) under the section's heading:
   a row per member in the year, then the 合计 row labelled in the name column. */
static void ledger_section(actx *c, rsection *s, const char *sec, const coldef *defs, ledger_cell *cell)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, defs, LC_N, &bt);
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int m = fx->bmem[i];
        const member *mb = &b->ds->members[m];
        if (!fx->mf[m].in_period) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            int col = bt.col[x];
            if (col == LC_MEMBER_ID) rcell_ref(&row[x], mb->id);
            else if (col == LC_NAME) rcell_ref(&row[x], mb->name);
            else cell(c, &row[x], m, col, ledger_month(col));
        }
    }
    static const int label_cols[] = {LC_NAME, LC_MEMBER_ID};
    rcell *row = total_row(c, &bt, sec, label_cols, 2);
    for (int x = 0; row && x < bt.n; x++)
        if (bt.col[x] != LC_MEMBER_ID && bt.col[x] != LC_NAME) cell(c, &row[x], -1, bt.col[x], ledger_month(bt.col[x]));
}

static void dues_cell(actx *c, rcell *cell, int m, int col, int mo)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    if (m < 0) { /* 合计: each month's paid and the year's, of the members in the month (the facts') */
        const group_facts *g = &fx->branch[c->branch];
        if (mo) rcell_money(c->d, cell, (long)facts_bm(fx, c->branch, mo)->dues_paid);
        else if (col == LC_TOTAL) rcell_money(c->d, cell, (long)g->dues_paid);
        else if (col == LC_NOTE) rcell_int(c->d, cell, g->dues_months - g->dues_ok);
        if (col == LC_NOTE && g->dues_months > g->dues_ok) cell->emph = EMPH_FINDING;
        return;
    }
    const member_facts *st = &fx->mf[m];
    if (mo) {
        dues_state ds_ = facts_dues_state(fx, m, mo);
        long paid = (long)facts_mm(fx, m, mo)->paid;
        int bad = dues_state_bad(ds_);
        char y[32];
        if (ds_ == DUES_NOT_MEMBER || ds_ == DUES_EXEMPT) rcell_ref(cell, dues_word(b, ds_));
        else if (!bad) rcell_money(c->d, cell, paid);
        else if (paid <= 0) rcell_ref(cell, dues_word(b, ds_));
        else cell->type = CELL_TEXT, cell->text = rdoc_printf(c->d, "%s\n%s", yuan2(paid, y, sizeof y), dues_word(b, ds_));
        if (bad) cell->emph = EMPH_FINDING;
        return;
    }
    int problems = st->member_months - st->dues_ok;
    switch (col) {
    case LC_DUE: rcell_money(c->d, cell, b->ds->members[m].dues_cents); break;
    case LC_TOTAL: rcell_money(c->d, cell, (long)st->dues_paid); cell->emph = EMPH_STRONG; break;
    case LC_NOTE:
        rcell_int(c->d, cell, problems);
        if (problems) cell->emph = EMPH_FINDING;
        break;
    }
}

static void sec_dues(actx *c, rsection *s, const char *sec)
{
    coldef defs[LC_N];
    ledger_defs("paid_total", "全年实交\n（元）", 1.05, "problem_months", "问题\n月数", 0.92, defs);
    for (int i = 0; i < 12; i++) defs[LC_M1 + i].align = ALIGN_RIGHT; /* money: right, two decimals */
    ledger_section(c, s, sec, defs, dues_cell);
}

static void attendance_cell(actx *c, rcell *cell, int m, int col, int mo)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    const char *no_meeting = build_word(b, "no_meeting", "无活动");
    if (m < 0) { /* 合计: the branch's 出席/应到 of each month and of the year (the facts') */
        const group_facts *g = &fx->branch[c->branch];
        if (mo) {
            const branch_month *y = facts_bm(fx, c->branch, mo);
            if (!y->att_expected) rcell_ref(cell, no_meeting);
            else cell->type = CELL_TEXT, cell->text = rdoc_printf(c->d, "%lld/%lld", (long long)y->att_present, (long long)y->att_expected);
        } else if (col == LC_TOTAL) {
            cell->type = CELL_TEXT;
            cell->text = rdoc_printf(c->d, "%lld/%lld", (long long)g->att_present, (long long)g->att_expected);
        }
        return;
    }
    const member_facts *st = &fx->mf[m];
    if (mo) {
        const member_month *y = facts_mm(fx, m, mo);
        int held = facts_held(fx, m, mo);
        if (!(y->flags & MM_MEMBER)) { rcell_ref(cell, build_word(b, "not_member", "—")); return; }
        if (!held) { rcell_ref(cell, no_meeting); return; }
        cell->type = CELL_TEXT;
        cell->text = y->leave ? rdoc_printf(c->d, "%d/%d\n%s%d", y->present, held, build_word(b, "leave_mark", "假"), y->leave)
                              : rdoc_printf(c->d, "%d/%d", y->present, held);
        if (y->absent) cell->emph = EMPH_FINDING;
        return;
    }
    switch (col) {
    case LC_DUE: rcell_ref(cell, category_name(b->ds->members[m].category)); break;
    case LC_TOTAL:
        cell->type = CELL_TEXT;
        cell->text = rdoc_printf(c->d, "%d/%d", st->present, st->held);
        cell->emph = EMPH_STRONG;
        break;
    case LC_NOTE:
        rcell_int(c->d, cell, st->absent);
        if (st->ev >= 0 && (fx->ev[st->ev].fail_mask & (FAIL_ABSENCES | FAIL_AT_LAPSE))) cell->emph = EMPH_FINDING;
        break;
    }
}

static void sec_attendance(actx *c, rsection *s, const char *sec)
{
    coldef defs[LC_N];
    ledger_defs("year_total", "全年\n出席/应到", 1.25, "absent", "缺席", 0.85, defs);
    defs[LC_DUE] = (coldef){"category", "类别", 0.85, ALIGN_CENTER};
    ledger_section(c, s, sec, defs, attendance_cell);
}

static void sec_chart(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    build_section_head(b, c->d, s, sec, &c->v);
    build_attendance_chart(b, c->d, s, c->branch, 12, label(c, sec, "title", "{branch}{year}年各月出勤率"),
                           label(c, sec, "series", "出勤率"));
    const char *t2 = label(c, sec, "findings_title", NULL);
    if (!t2 || !*t2) return;
    /* the findings of every month, and a last bar for those of the whole year (DU-RATE,
       CS-COUNT, CS-HOURS belong to no month): the bars add up to the section's total */
    rchart *fc = rsec_add_chart(c->d, s, CHART_BAR, t2, 13, 2);
    fc->series[0].name = label(c, sec, "findings_branch", "支部问题");
    fc->series[1].name = label(c, sec, "findings_members", "党员问题");
    for (int mo = 1; mo <= 12; mo++) fc->cats[mo - 1] = rdoc_printf(c->d, "%d月", mo);
    fc->cats[12] = label(c, sec, "findings_year", "全年");
    int n;
    const finding *v = facts_branch_findings(fx, c->branch, &n);
    for (int i = 0; i < n; i++) {
        int mo = finding_month(&v[i]);
        fc->series[v[i].member >= 0 ? 1 : 0].values[mo ? mo - 1 : 12] += 1;
    }
}

static void add_branch_section(const char *name, void *vp)
{
    actx *c = vp;
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "overview")) sec_overview(c, s, name);
    else if (!strcmp(name, "grades")) sec_grades(c, s, name);
    else if (!strcmp(name, "service")) sec_service(c, s, name);
    else if (!strcmp(name, "dues")) sec_dues(c, s, name);
    else if (!strcmp(name, "attendance")) sec_attendance(c, s, name);
    else if (!strcmp(name, "chart")) sec_chart(c, s, name);
    else build_branch_section(c->b, c->d, s, name, c->branch, &c->v);
}

rdoc *build_annual_branch(build_ctx *b, int branch)
{
    rdoc *d = rdoc_new();
    actx c = {.b = b, .d = d, .branch = branch, .year = b->fx->period.year};
    build_vars(b, &c.v, branch);
    set_grade_vars(&c);
    set_summary_vars(&c, &b->fx->branch[branch], branch_cap(b, branch));
    build_doc_head(b, d, &c.v, "{organization} {branch}", branch_organization(b, branch));
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, grades, service, dues, attendance, problems, rectification, chart, data_problems, signature", add_branch_section,
              &c);
    build_finish_pdf(d);
    return d;
}

/* ==== the unit report ========================================================= */

static const char *unit_name(const build_ctx *b, rdoc *d)
{
    if (b->organization && b->organization[0]) return b->organization;
    char buf[1024] = "";
    size_t o = 0;
    for (size_t i = 0; i < b->ds->nbranches && o < sizeof buf - 200; i++) {
        const char *u = b->ds->branches[i].unit;
        if (!u || !*u) continue;
        int seen = 0;
        for (size_t j = 0; j < i && !seen; j++) seen = !strcmp(b->ds->branches[j].unit, u);
        if (!seen) o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "、" : "", u);
    }
    return rdoc_strdup(d, buf);
}

static void u_overview(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const group_facts *u = &b->fx->unit;
    build_section_head(b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    char h[32];
    rkv_add(c->d, kv, label(c, sec, "label_organization", "党组织"), unit_name(b, c->d));
    rkv_add(c->d, kv, label(c, sec, "label_year", "年度"), rdoc_printf(c->d, "%d年", c->year));
    rkv_add(c->d, kv, label(c, sec, "label_branches", "党支部"), rdoc_printf(c->d, "%d个", u->branches));
    rkv_add(c->d, kv, label(c, sec, "label_members", "参评党员"),
            rdoc_printf(c->d, "%d名（在职%d名）", u->members, u->in_service));
    rkv_add(c->d, kv, label(c, sec, "label_service", "下沉社区"),
            rdoc_printf(c->d, "在职党员确认活动%d次，%s小时", u->svc_n, fmt_hours((long)u->svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_grades", "考核结果"), grades_text(c, u));
    rkv_add(c->d, kv, label(c, sec, "label_findings", "发现问题"), rdoc_printf(c->d, "%d条", u->findings));
}

/* The unit's members by category and by grade: a name, how many, their share of the members. */
enum { SH_NAME, SH_COUNT, SH_SHARE, SH_N };
static const coldef ann_members_cols[SH_N] = {
    {"category", "人员类别", 1.5, ALIGN_LEFT}, {"count", "人数", 1.0, ALIGN_RIGHT}, {"share", "占比", 1.0, ALIGN_RIGHT},
};
static const coldef ann_dist_cols[SH_N] = {
    {"grade", "等次", 1.5, ALIGN_CENTER}, {"count", "人数", 1.0, ALIGN_RIGHT}, {"share", "占比", 1.0, ALIGN_RIGHT},
};

/* Such a table under the section's heading: a row per names[k] with counts[k] (one
   counting nobody left out when skip_zero), then the 合计 of the unit's members. */
static void share_section(actx *c, rsection *s, const char *sec, const coldef *defs, const char *const *names,
                          const int32_t *counts, int n, int skip_zero)
{
    const group_facts *u = &c->b->fx->unit;
    btable bt;
    build_section_table(c->b, c->d, s, sec, &c->v, defs, SH_N, &bt);
    for (int k = 0; k <= n; k++) {
        int v = k < n ? counts[k] : u->members;
        if (k < n && skip_zero && !v) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case SH_NAME: rcell_ref(cell, k < n ? names[k] : label(c, sec, "total", "合计")); break;
            case SH_COUNT: rcell_int(c->d, cell, v); break;
            case SH_SHARE: rcell_percent(c->d, cell, u->members ? (double)v / u->members : 0, 1); break;
            }
            if (k == n) cell->emph = EMPH_STRONG;
        }
    }
}

static void u_members(actx *c, rsection *s, const char *sec)
{
    const char *names[CAT_COUNT];
    for (int k = 0; k < CAT_COUNT; k++) names[k] = category_name((member_category)k);
    share_section(c, s, sec, ann_members_cols, names, c->b->fx->unit.by_category, CAT_COUNT, 1);
}

static void u_service(actx *c, rsection *s, const char *sec)
{
    const group_facts *a = &c->b->fx->unit;
    set_short_text(c, sec, a->svc_short);
    build_section_head(c->b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    kv->pairs = 2;
    char h[32];
    rkv_add(c->d, kv, label(c, sec, "label_required", "应下沉的在职党员"), rdoc_printf(c->d, "%d名", a->svc_members));
    rkv_add(c->d, kv, label(c, sec, "label_activities", "经社区确认的活动"), rdoc_printf(c->d, "%d次", a->svc_n));
    rkv_add(c->d, kv, label(c, sec, "label_hours", "累计服务时长"),
            rdoc_printf(c->d, "%s小时", fmt_hours((long)a->svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_average", "人均服务时长"),
            a->svc_members ? rdoc_printf(c->d, "%.1f小时", a->svc_centi / 100.0 / a->svc_members)
                           : build_word(c->b, "not_applicable", "—"));
    rkv_add(c->d, kv, label(c, sec, "label_met", "达到最低要求"), rdoc_printf(c->d, "%d名", a->svc_members - a->svc_short));
    rkv_add(c->d, kv, label(c, sec, "label_short", "未达到最低要求"), rdoc_printf(c->d, "%d名", a->svc_short));
    rkv_add(c->d, kv, label(c, sec, "label_unconfirmed", "未确认记录（不计入）"), rdoc_printf(c->d, "%d条", a->unconfirmed));
}

enum { BC_BRANCH, BC_MEMBERS, BC_ACTIVE, BC_ACTIVITIES, BC_HOURS, BC_AVERAGE, BC_EXCELLENT, BC_PASS, BC_FAIL, BC_FINDINGS, BC_N };
/* PDF widths: a branch's name on one line; the figures under two-line titles. */
static const coldef ann_branch_cols[BC_N] = {
    {"branch", "党支部", 2.75, ALIGN_LEFT}, {"members", "党员", 0.6, ALIGN_RIGHT},
    {"in_service", "在职", 0.6, ALIGN_RIGHT}, {"activities", "下沉\n次数", 0.7, ALIGN_RIGHT},
    {"hours", "服务\n小时", 0.85, ALIGN_RIGHT}, {"average_hours", "人均\n小时", 0.7, ALIGN_RIGHT},
    {"excellent", "优秀", 0.6, ALIGN_RIGHT}, {"pass", "合格", 0.6, ALIGN_RIGHT},
    {"fail", "不合格", 0.8, ALIGN_RIGHT}, {"findings", "问题", 0.6, ALIGN_RIGHT},
};

static void branch_row(actx *c, btable *bt, const char *name, const group_facts *g, int total)
{
    rcell *row = btable_row(c->d, bt);
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case BC_BRANCH: rcell_ref(cell, name); break;
        case BC_MEMBERS: rcell_int(c->d, cell, g->members); break;
        case BC_ACTIVE: rcell_int(c->d, cell, g->in_service); break;
        case BC_ACTIVITIES: rcell_int(c->d, cell, g->svc_n); break;
        case BC_HOURS: rcell_hours(c->d, cell, g->svc_centi / 100.0); break;
        case BC_AVERAGE:
            if (g->svc_members) rcell_hours(c->d, cell, g->svc_centi / 100.0 / g->svc_members);
            else rcell_ref(cell, build_word(c->b, "not_applicable", "—"));
            break;
        case BC_EXCELLENT: rcell_int(c->d, cell, g->grades[GRADE_EXCELLENT]); break;
        case BC_PASS: rcell_int(c->d, cell, g->grades[GRADE_PASS]); break;
        case BC_FAIL: rcell_int(c->d, cell, g->grades[GRADE_FAIL]); if (g->grades[GRADE_FAIL] && !total) cell->emph = EMPH_FINDING; break;
        case BC_FINDINGS: rcell_int(c->d, cell, g->findings); break;
        }
        if (total) cell->emph = EMPH_STRONG;
    }
}

static void u_branches(actx *c, rsection *s, const char *sec)
{
    const facts *fx = c->b->fx;
    /* grade columns are titled with the configured grade names unless [columns] renames them */
    coldef defs[BC_N];
    memcpy(defs, ann_branch_cols, sizeof defs);
    defs[BC_EXCELLENT].title = grade_word(c->b, GRADE_EXCELLENT);
    defs[BC_PASS].title = grade_word(c->b, GRADE_PASS);
    defs[BC_FAIL].title = grade_word(c->b, GRADE_FAIL);
    btable bt;
    build_section_table(c->b, c->d, s, sec, &c->v, defs, BC_N, &bt);
    for (size_t i = 0; i < c->b->ds->nbranches; i++) branch_row(c, &bt, c->b->ds->branches[i].name, &fx->branch[i], 0);
    if (c->b->ds->nbranches) branch_row(c, &bt, label(c, sec, "total", "合计"), &fx->unit, 1);
}

static void u_grades(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const char *names[3];
    for (int g = 0; g < 3; g++) names[g] = grade_word(b, (grade)g);
    share_section(c, s, sec, ann_dist_cols, names, b->fx->unit.grades, 3, 0);
    const char *title = label(c, sec, "chart_title", "各支部考核等次分布");
    if (!title || !*title || !b->ds->nbranches) return;
    int nb = (int)b->ds->nbranches;
    rchart *ch = rsec_add_chart(c->d, s, CHART_BAR, title, nb, 3);
    ch->y_title = label(c, sec, "chart_axis", "人数");
    for (int g = 0; g < 3; g++) ch->series[g].name = names[g];
    for (int i = 0; i < nb; i++) {
        ch->cats[i] = b->ds->branches[i].name;
        for (int g = 0; g < 3; g++) ch->series[g].values[i] = b->fx->branch[i].grades[g];
    }
}

enum { CC_BRANCH, CC_ASSESSED, CC_CAP, CC_EXCELLENT, CC_SHARE, CC_RESULT, CC_N };
static const coldef ann_cap_cols[CC_N] = {
    {"branch", "党支部", 2.75, ALIGN_LEFT}, {"assessed", "参评人数", 1.0, ALIGN_RIGHT},
    {"cap", "优秀名额上限", 1.45, ALIGN_RIGHT}, {"excellent", "评为优秀", 1.0, ALIGN_RIGHT},
    {"share", "优秀占比", 1.0, ALIGN_RIGHT}, {"result", "结论", 0.6, ALIGN_CENTER},
};

static void cap_row(actx *c, btable *bt, const char *name, int assessed, int cap, int excellent)
{
    rcell *row = btable_row(c->d, bt);
    int ok = excellent <= cap;
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case CC_BRANCH: rcell_ref(cell, name); break;
        case CC_ASSESSED: rcell_int(c->d, cell, assessed); break;
        case CC_CAP: rcell_int(c->d, cell, cap); break;
        case CC_EXCELLENT: rcell_int(c->d, cell, excellent); if (!ok) cell->emph = EMPH_FINDING; break;
        case CC_SHARE: rcell_percent(c->d, cell, assessed ? (double)excellent / assessed : 0, 1); break;
        case CC_RESULT:
            rcell_ref(cell, ok ? label(c, "cap_check", "ok", "符合") : label(c, "cap_check", "over", "超出"));
            if (!ok) cell->emph = EMPH_FINDING;
            break;
        }
    }
}

static void u_cap_check(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    coldef defs[CC_N];
    memcpy(defs, ann_cap_cols, sizeof defs);
    defs[CC_CAP].title = rdoc_printf(c->d, "%s名额上限", grade_word(b, GRADE_EXCELLENT));
    defs[CC_EXCELLENT].title = rdoc_printf(c->d, "评为%s", grade_word(b, GRADE_EXCELLENT));
    defs[CC_SHARE].title = rdoc_printf(c->d, "%s占比", grade_word(b, GRADE_EXCELLENT));
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, defs, CC_N, &bt);
    if (!fx->ncaps) return;
    if (b->cfg->excellent_scope_all) {
        cap_row(c, &bt, label(c, sec, "all", "全体"), fx->caps[0].ranked, fx->caps[0].cap, fx->caps[0].awarded);
        return;
    }
    for (size_t i = 0; i < b->ds->nbranches; i++)
        cap_row(c, &bt, b->ds->branches[i].name, fx->caps[i].ranked, fx->caps[i].cap, fx->caps[i].awarded);
}

enum { RC_DESC, RC_COUNT, RC_BRANCHES, RC_N };
static const coldef ann_rule_cols[RC_N] = {
    {"description", "问题", 3.2, ALIGN_LEFT}, {"count", "条数", 0.8, ALIGN_RIGHT},
    {"branches", "涉及支部", 0.9, ALIGN_RIGHT},
};

static void u_problems(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const group_facts *u = &b->fx->unit;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, ann_rule_cols, RC_N, &bt);
    for (int r = 0; r < R_COUNT; r++) {
        if (!u->by_rule[r]) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case RC_DESC: rcell_ref(cell, rule_description(b, (rule_code)r)); break;
            case RC_COUNT: rcell_int(c->d, cell, u->by_rule[r]); break;
            case RC_BRANCHES: rcell_int(c->d, cell, u->branches_by_rule[r]); break;
            }
        }
    }
    build_section_empty(b, c->d, s, sec, bt.t, &c->v);
    /* 合计 of the 条数 (a branch is counted once per rule, so 涉及支部 has no total) */
    static const int label_cols[] = {RC_DESC};
    rcell *row = total_row(c, &bt, sec, label_cols, 1);
    if (!row) return;
    for (int x = 0; x < bt.n; x++)
        if (bt.col[x] == RC_COUNT) rcell_int(c->d, &row[x], u->findings);
}

static void add_unit_section(const char *name, void *vp)
{
    actx *c = vp;
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "overview")) u_overview(c, s, name);
    else if (!strcmp(name, "members")) u_members(c, s, name);
    else if (!strcmp(name, "service")) u_service(c, s, name);
    else if (!strcmp(name, "branches")) u_branches(c, s, name);
    else if (!strcmp(name, "grades")) u_grades(c, s, name);
    else if (!strcmp(name, "cap_check")) u_cap_check(c, s, name);
    else if (!strcmp(name, "problems")) u_problems(c, s, name);
    else if (!strcmp(name, "data_problems")) build_data_problems(c->b, c->d, s, name, -1, &c->v);
    else if (!strcmp(name, "signature")) build_signature(c->b, c->d, s, &c->v);
    else build_section_head(c->b, c->d, s, name, &c->v);
}

rdoc *build_annual_unit(build_ctx *b)
{
    /* the unit report has its own template; b->tmpl (annual.ini) is put back after */
    template saved = b->tmpl, ut = {0};
    char err[1024];
    if (b->templates_dir && template_load(&ut, b->templates_dir, "unit-annual.ini", err, sizeof err))
        fprintf(stderr, "zhibu: %s（单位报告使用内置的默认措辞）\n", err);
    b->tmpl = ut;

    rdoc *d = rdoc_new();
    actx c = {.b = b, .d = d, .branch = -1, .year = b->fx->period.year};
    /* the unit's cap: the run's when the cap is for all, else the sum of the branches' places */
    cap_scope all = {0};
    for (size_t i = 0; i < b->fx->ncaps; i++) all.cap += b->fx->caps[i].cap;
    build_vars(b, &c.v, -1);
    const char *unit = unit_name(b, d);
    tvars_set(&c.v, "organization", "%s", unit);
    tvars_set(&c.v, "unit", "%s", unit);
    tvars_set(&c.v, "branches", "%zu", b->ds->nbranches);
    set_grade_vars(&c);
    set_summary_vars(&c, &b->fx->unit, &all);
    build_doc_head(b, d, &c.v, "{organization}", unit);
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, members, service, branches, grades, cap_check, problems, data_problems, signature", add_unit_section,
              &c);
    build_finish_pdf(d);

    template_free(&ut);
    b->tmpl = saved;
    return d;
}
