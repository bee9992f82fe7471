/*
 * build_monthly.c — the monthly branch report (templates/monthly.ini):
 * the theme day(s) of the month, attendance, dues, community service, the
 * branch's 问题清单, the attendance trend, and the signature block.
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
    int branch;
    int ym;
    tvars v;
} mctx;

static void sec_overview(mctx *c, rsection *s, const char *sec)
{
    build_section_head(c->b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    const build_ctx *b = c->b;
    const group_facts *g = &b->fx->branch[c->branch];
    char buf[128];
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_organization", "党组织"), branch_organization(b, c->branch));
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_branch", "支部"), b->ds->branches[c->branch].name);
    snprintf(buf, sizeof buf, "%d年%d月", c->ym / 100, c->ym % 100);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_month", "月份"), buf);
    snprintf(buf, sizeof buf, "%d名（在职%d名）", g->members, g->in_service);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_members", "党员人数"), buf);
    snprintf(buf, sizeof buf, "%d次", g->theme_days);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_theme_days", "主题党日"), buf);
    snprintf(buf, sizeof buf, "%d条", g->findings);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_findings", "发现问题"), buf);
}

enum { TC_DATE, TC_KIND, TC_TOPIC, TC_DONE, TC_MISSING, TC_MINUTES, TC_SIGNED, TC_ONTIME, TC_ID, TC_BRANCH, TC_N };
const int meeting_ncols = TC_N;
/* PDF widths in units of about four characters (build.c's finding_cols): a date and
   出席/请假/缺席 on one line, 支部党员大会 in two, 会议\n记录 and 缺少的\n规定动作 as
   monthly.ini's [columns] break them; the topic takes what is left. */
const coldef meeting_cols[TC_N] = {
    {"date", "日期", 1.3, ALIGN_CENTER}, {"kind", "类型", 1.05, ALIGN_CENTER},
    {"topic", "主题", 2.0, ALIGN_LEFT}, {"actions_done", "已完成的规定动作", 3.0, ALIGN_LEFT},
    {"actions_missing", "缺少的规定动作", 1.2, ALIGN_LEFT}, {"minutes", "会议记录", 0.7, ALIGN_CENTER},
    {"signed_in", "签到（出席/请假/缺席）", 1.7, ALIGN_CENTER}, {"on_time", "按时", 0.6, ALIGN_CENTER},
    {"meeting_id", "活动编号", 1.2, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
};

/* The required actions done (in rules order) or missing, joined with 、 */
static const char *actions_text(rdoc *d, const config *cfg, unsigned long long mask, int want_done)
{
    char buf[1024] = "";
    size_t o = 0;
    for (int i = 0; i < cfg->nactions && o < sizeof buf - 64; i++) {
        int done = (mask >> i) & 1;
        if (done != want_done) continue;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "、" : "", cfg->actions[i]);
    }
    return rdoc_strdup(d, o ? buf : "无");
}

static void sec_theme_days(mctx *c, rsection *s, const char *sec)
{
    btable bt;
    build_section_table(c->b, c->d, s, sec, &c->v, meeting_cols, TC_N, &bt);
    const build_ctx *b = c->b;
    const facts *fx = b->fx;
    int all_kinds = atoi(tmpl_get(&b->tmpl, sec, "all_meetings", "0"));
    for (int i = fx->bmeet_start[c->branch]; i < fx->bmeet_start[c->branch + 1]; i++) {
        int k = fx->bmeet[i];
        const meeting *mt = &b->ds->meetings[k];
        if (!(fx->mt[k].flags & MT_COUNTED) || mt->date / 100 != c->ym) continue;
        if (!all_kinds && !meeting_whole_branch(mt->kind)) continue;
        build_meeting_row(c->b, c->d, &bt, k);
    }
    build_section_empty(c->b, c->d, s, sec, bt.t, &c->v);
}

/* One row of a meetings table; shared with the workbook's 主题党日 sheet. */
void build_meeting_row(build_ctx *b, rdoc *d, btable *bt, int k)
{
    const meeting *mt = &b->ds->meetings[k];
    const meeting_facts *x = &b->fx->mt[k];
    const config *cfg = b->cfg;
    int theme = mt->kind == MK_THEME_DAY, judged = x->flags & MT_JUDGED;
    const char *none = build_word(b, "not_applicable", "—");
    rcell *row = btable_row(d, bt);
    for (int i = 0; i < bt->n; i++) {
        rcell *cell = &row[i];
        switch (bt->col[i]) {
        case TC_DATE: rcell_date(d, cell, mt->date); break;
        case TC_KIND: rcell_ref(cell, meeting_kind_name(mt->kind)); break;
        case TC_TOPIC: rcell_ref(cell, mt->topic); break;
        case TC_DONE: rcell_ref(cell, theme ? actions_text(d, cfg, mt->done, 1) : none); break;
        case TC_MISSING:
            rcell_ref(cell, judged ? actions_text(d, cfg, ~facts_missing_actions(b->fx, k), 0) : none);
            if (x->found & 1u << R_TD_ACTIONS) cell->emph = EMPH_FINDING;
            break;
        case TC_MINUTES:
            rcell_ref(cell, mt->minutes ? build_word(b, "minutes_yes", "有") : build_word(b, "minutes_no", "无"));
            if (judged && !mt->minutes) cell->emph = EMPH_FINDING;
            break;
        case TC_SIGNED:
            if (x->flags & MT_SIGNED) cell->text = rdoc_printf(d, "%d/%d/%d", x->present, x->leave, x->absent), cell->type = CELL_TEXT;
            else rcell_ref(cell, mt->nsignin ? none : build_word(b, "no_signin", "无签到记录"));
            if (judged && !mt->nsignin) cell->emph = EMPH_FINDING;
            break;
        case TC_ONTIME: {
            int late = x->found >> R_TD_LATE & 1;
            rcell_ref(cell, !judged ? none : late ? build_word(b, "late", "逾期") : build_word(b, "on_time", "是"));
            if (late) cell->emph = EMPH_FINDING;
            break;
        }
        case TC_ID: rcell_ref(cell, mt->id); break;
        case TC_BRANCH: rcell_ref(cell, b->ds->branches[mt->branch].name); break;
        }
    }
}

enum { AC_MEMBER_ID, AC_NAME, AC_MEETING, AC_STATUS, AC_REASON, AC_N };
static const coldef absent_cols[AC_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.8, ALIGN_LEFT},
    {"meeting", "活动", 2.1, ALIGN_LEFT}, {"status", "情况", 1.2, ALIGN_CENTER},
    {"reason", "请假事由", 2.5, ALIGN_LEFT},
};

static void absence_row(mctx *c, btable *bt, const member *m, const char *what, const char *status,
                        const char *reason, int finding)
{
    rcell *row = btable_row(c->d, bt);
    for (int x = 0; x < bt->n; x++) {
        switch (bt->col[x]) {
        case AC_MEMBER_ID: rcell_ref(&row[x], m->id); break;
        case AC_NAME: rcell_ref(&row[x], m->name); break;
        case AC_MEETING: rcell_ref(&row[x], what); break;
        case AC_STATUS: rcell_ref(&row[x], status); break;
        case AC_REASON: rcell_ref(&row[x], reason); break;
        }
        if (finding && bt->col[x] != AC_MEETING && bt->col[x] != AC_REASON) row[x].emph = EMPH_FINDING;
    }
}

/* Leave (请假), then absences (AT-ABSENT: 缺席 or no row) at the month's whole-branch
   meetings with sign-ins, of the branch's members of the month. */
static void sec_attendance(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    const group_facts *g = &fx->branch[c->branch];
    double rate = facts_rate(g->att_present, g->att_expected);
    if (rate >= 0) tvars_set(&c->v, "attendance_rate", "%.1f%%", rate * 100);
    else tvars_set(&c->v, "attendance_rate", "%s", build_word(b, "not_applicable", "—"));
    if (rate < 0 && tmpl_has(&b->tmpl, sec, "intro_none")) {
        /* no whole-branch meeting with sign-ins: no rate and nobody to list */
        build_heading(b, c->d, s, sec, &c->v);
        rsec_add_paragraph(c->d, s, tmpl_text(c->d, &b->tmpl, sec, "intro_none", "", &c->v));
        return;
    }
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, absent_cols, AC_N, &bt);
    int mo = c->ym % 100;
    for (int i = fx->bmeet_start[c->branch]; i < fx->bmeet_start[c->branch + 1]; i++) {
        int k = fx->bmeet[i];
        const meeting *mt = &b->ds->meetings[k];
        if (!(fx->mt[k].flags & MT_SIGNED) || mt->date / 100 != c->ym) continue;
        const char *what = meeting_words(c->d, mt);
        for (int pass = 0; pass < 2; pass++)
            for (int j = fx->bmem_start[c->branch]; j < fx->bmem_start[c->branch + 1]; j++) {
                int m = fx->bmem[j];
                if (!facts_is_member(fx, m, mo)) continue;
                const attendance *a;
                attendance_status st = facts_attendance(fx, k, m, &a);
                if (pass == 0 && st == AT_LEAVE)
                    absence_row(c, &bt, &b->ds->members[m], what, build_word(b, "leave", "请假"), a->reason, 0);
                if (pass == 1 && st == AT_ABSENT)
                    absence_row(c, &bt, &b->ds->members[m], what,
                                a ? build_word(b, "absent", "缺席") : build_word(b, "no_signin", "无签到记录"), "", 1);
            }
    }
    build_section_empty(b, c->d, s, sec, bt.t, &c->v);
}

enum { DC_MEMBER_ID, DC_NAME, DC_CATEGORY, DC_DUE, DC_PAID, DC_PAID_ON, DC_STATUS, DC_BRANCH, DC_MONTH, DC_N };
const int dues_ncols = DC_N;
const coldef dues_cols[DC_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.85, ALIGN_LEFT},
    {"category", "类别", 0.8, ALIGN_CENTER}, {"due", "应交（元）", 1.25, ALIGN_RIGHT},
    {"paid", "实交（元）", 1.25, ALIGN_RIGHT}, {"paid_on", "交纳日期", 1.2, ALIGN_CENTER},
    {"status", "情况", 1.4, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"month", "月份", 1.0, ALIGN_CENTER},
};

void build_dues_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym)
{
    const member *mb = &b->ds->members[m];
    const member_month *x = facts_mm(b->fx, m, ym % 100);
    dues_state st = facts_dues_state(b->fx, m, ym % 100);
    int bad = dues_state_bad(st);
    rcell *row = btable_row(d, bt);
    for (int i = 0; i < bt->n; i++) {
        rcell *cell = &row[i];
        switch (bt->col[i]) {
        case DC_MEMBER_ID: rcell_ref(cell, mb->id); break;
        case DC_NAME: rcell_ref(cell, mb->name); break;
        case DC_CATEGORY: rcell_ref(cell, category_name(mb->category)); break;
        case DC_DUE: rcell_money(d, cell, facts_due(b->fx, m, ym % 100)); break;
        case DC_PAID: rcell_money(d, cell, (long)x->paid); if (bad) cell->emph = EMPH_FINDING; break;
        case DC_PAID_ON: if (x->paid_on) rcell_date(d, cell, x->paid_on); break;
        case DC_STATUS: rcell_ref(cell, dues_word(b, st)); if (bad) cell->emph = EMPH_FINDING; break;
        case DC_BRANCH: rcell_ref(cell, b->ds->branches[mb->branch].name); break;
        case DC_MONTH: cell->type = CELL_TEXT; cell->text = rdoc_printf(d, "%04d-%02d", ym / 100, ym % 100); break;
        }
    }
}

static void sec_dues(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, dues_cols, DC_N, &bt);
    int only_problems = atoi(tmpl_get(&b->tmpl, sec, "only_problems", "0"));
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int m = fx->bmem[i];
        if (!facts_is_member(fx, m, c->ym % 100)) continue;
        if (only_problems && !dues_state_bad(facts_dues_state(fx, m, c->ym % 100))) continue;
        build_dues_row(b, c->d, &bt, m, c->ym);
    }
    /* the month's totals: a 合计 row of the branch's figures (only when every member is listed) */
    const branch_month *x = facts_bm(fx, c->branch, c->ym % 100);
    if (only_problems) return;
    static const int label_cols[] = {DC_MEMBER_ID, DC_NAME};
    rcell *row = btable_total_row(c->d, &bt, tmpl_get(&b->tmpl, sec, "total", "合计"), label_cols, 2);
    for (int i = 0; row && i < bt.n; i++) {
        if (bt.col[i] == DC_DUE) rcell_money(c->d, &row[i], (long)x->dues_due);
        else if (bt.col[i] == DC_PAID) rcell_money(c->d, &row[i], (long)x->dues_paid);
    }
}

enum { SC_MEMBER_ID, SC_NAME, SC_POST, SC_MONTH_N, SC_MONTH_H, SC_YTD_N, SC_YTD_H, SC_MIN, SC_NOTE, SC_BRANCH, SC_N };
const int service_ncols = SC_N;
/* PDF widths: each four-character title on one line, 本月无确认的服务 too. */
const coldef service_cols[SC_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.8, ALIGN_LEFT},
    {"special_post", "特殊岗位", 1.1, ALIGN_LEFT}, {"month_count", "本月次数", 1.0, ALIGN_RIGHT},
    {"month_hours", "本月小时", 1.0, ALIGN_RIGHT}, {"ytd_count", "累计次数", 1.0, ALIGN_RIGHT},
    {"ytd_hours", "累计小时", 1.0, ALIGN_RIGHT}, {"year_minimum", "全年要求", 1.35, ALIGN_CENTER},
    {"note", "情况", 1.95, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
};

/* The note of a member's service month: exempt, none confirmed (CS-MONTH), unconfirmed records. */
const char *service_note(const build_ctx *b, rdoc *d, int m, int mo, int *finding)
{
    const member_month *x = facts_mm(b->fx, m, mo);
    const exemption *ex = facts_exemption(b->fx, m, mo);
    tvars v;
    v.n = 0;
    *finding = (x->found >> R_CS_MONTH & 1) || x->unconfirmed;
    if (ex) {
        tvars_set(&v, "type", "%s", ex->type);
        return tmpl_expand(d, build_word(b, "service_exempt_note", "{type}，免于下沉"), &v);
    }
    if (x->found >> R_CS_MONTH & 1) return build_word(b, "service_missing_note", "本月无确认的服务");
    if (x->unconfirmed) {
        tvars_set(&v, "n", "%d", x->unconfirmed);
        return tmpl_expand(d, build_word(b, "unconfirmed_note", "{n}条记录无确认人，不计入"), &v);
    }
    return "";
}

void build_service_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym)
{
    const member *mb = &b->ds->members[m];
    const member_facts *st = &b->fx->mf[m];
    const member_month *x = facts_mm(b->fx, m, ym % 100);
    int missing = x->found >> R_CS_MONTH & 1, noted;
    const char *note = service_note(b, d, m, ym % 100, &noted);
    rcell *row = btable_row(d, bt);
    char h[32];
    tvars v;
    v.n = 0;
    for (int i = 0; i < bt->n; i++) {
        rcell *cell = &row[i];
        switch (bt->col[i]) {
        case SC_MEMBER_ID: rcell_ref(cell, mb->id); break;
        case SC_NAME: rcell_ref(cell, mb->name); break;
        case SC_POST: rcell_ref(cell, mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : ""); break;
        case SC_MONTH_N: rcell_int(d, cell, x->svc_n); if (missing) cell->emph = EMPH_FINDING; break;
        case SC_MONTH_H: rcell_hours(d, cell, x->svc_centi / 100.0); break;
        case SC_YTD_N: rcell_int(d, cell, st->ytd_n); break;
        case SC_YTD_H: rcell_hours(d, cell, st->ytd_centi / 100.0); break;
        case SC_MIN:
            tvars_set(&v, "n", "%d", st->year_min_n);
            tvars_set(&v, "hours", "%s", fmt_hours(st->year_min_centi, h, sizeof h));
            rcell_ref(cell, tmpl_expand(d, build_word(b, "minimum", "{n}次/{hours}小时"), &v));
            break;
        case SC_NOTE: rcell_ref(cell, note); if (noted) cell->emph = EMPH_FINDING; break;
        case SC_BRANCH: rcell_ref(cell, b->ds->branches[mb->branch].name); break;
        }
    }
}

static void sec_service(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, service_cols, SC_N, &bt);
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int m = fx->bmem[i];
        if (facts_is_member(fx, m, c->ym % 100) && b->ds->members[m].category == CAT_ACTIVE)
            build_service_row(b, c->d, &bt, m, c->ym);
    }
    build_section_empty(b, c->d, s, sec, bt.t, &c->v);
}

static void sec_chart(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    build_attendance_chart(b, c->d, s, c->branch, c->ym % 100, tmpl_text(c->d, &b->tmpl, sec, "title", "出勤率", &c->v),
                           rdoc_strdup(c->d, tmpl_get(&b->tmpl, sec, "series", "出勤率")));
}

static void add_section(const char *name, void *vp)
{
    mctx *c = vp;
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "overview")) sec_overview(c, s, name);
    else if (!strcmp(name, "theme_days")) sec_theme_days(c, s, name);
    else if (!strcmp(name, "attendance")) sec_attendance(c, s, name);
    else if (!strcmp(name, "dues")) sec_dues(c, s, name);
    else if (!strcmp(name, "service")) sec_service(c, s, name);
    else if (!strcmp(name, "warnings")) build_warnings_section(c->b, c->d, s, name, c->branch, &c->v);
    else if (!strcmp(name, "chart")) sec_chart(c, s, name);
    else build_branch_section(c->b, c->d, s, name, c->branch, &c->v);
}

rdoc *build_monthly_branch(build_ctx *b, int branch)
{
    rdoc *d = rdoc_new();
    const run_period *p = &b->fx->period;
    mctx c = {.b = b, .d = d, .branch = branch, .ym = p->year * 100 + p->last_month};
    build_vars(b, &c.v, branch);
    tvars_set(&c.v, "findings", "%d", b->fx->branch[branch].findings);
    build_doc_head(b, d, &c.v, "{organization}", branch_organization(b, branch));
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, theme_days, attendance, dues, service, problems, rectification, warnings, chart, data_problems, signature",
              add_section, &c);
    build_finish_pdf(d);
    return d;
}
