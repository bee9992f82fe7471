/*
 * build_monthly.c — the monthly branch report (templates/monthly.ini):
 * the theme day(s) of the month, attendance, dues, community service, the
 * branch's 问题清单, the attendance trend, and the signature block.
 */
#include "build/build.h"
#include "build/build_reports.h"
#include "base/dates.h"
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
    int active;
    int n = branch_members_in_month(b, c->branch, c->ym, &active);
    char buf[128];
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_organization", "党组织"), branch_organization(b, c->branch));
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_branch", "支部"), b->ds->branches[c->branch].name);
    snprintf(buf, sizeof buf, "%d年%d月", c->ym / 100, c->ym % 100);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_month", "月份"), buf);
    snprintf(buf, sizeof buf, "%d 名（在职 %d 名）", n, active);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_members", "党员人数"), buf);
    snprintf(buf, sizeof buf, "%d 次", branch_theme_days(b, c->branch, c->ym));
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_theme_days", "主题党日"), buf);
    snprintf(buf, sizeof buf, "%d 条", b->bf_start[c->branch + 1] - b->bf_start[c->branch]);
    rkv_add(c->d, kv, tmpl_get(&b->tmpl, sec, "label_findings", "发现问题"), buf);
}

enum { TC_DATE, TC_KIND, TC_TOPIC, TC_DONE, TC_MISSING, TC_MINUTES, TC_SIGNED, TC_ONTIME, TC_ID, TC_BRANCH, TC_N };
const int meeting_ncols = TC_N;
const coldef meeting_cols[TC_N] = {
    {"date", "日期", 1.5, ALIGN_CENTER}, {"kind", "类型", 1.1, ALIGN_LEFT},
    {"topic", "主题", 2.4, ALIGN_LEFT}, {"actions_done", "已完成的规定动作", 3.0, ALIGN_LEFT},
    {"actions_missing", "缺少的规定动作", 1.8, ALIGN_LEFT}, {"minutes", "会议记录", 0.8, ALIGN_CENTER},
    {"signed_in", "签到（出席/请假/缺席）", 1.4, ALIGN_CENTER}, {"on_time", "按时", 0.7, ALIGN_CENTER},
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
    build_section_head(c->b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(c->b, c->d, s, sec, meeting_cols, TC_N, &bt);
    const build_ctx *b = c->b;
    int all_kinds = atoi(tmpl_get(&b->tmpl, sec, "all_meetings", "0"));
    for (int i = b->bmt_start[c->branch]; i < b->bmt_start[c->branch + 1]; i++) {
        int k = b->bmt[i];
        const meeting *mt = &b->ds->meetings[k];
        if (!mt->in_year || mt->date / 100 != c->ym) continue;
        if (!all_kinds && !meeting_whole_branch(mt->kind)) continue;
        build_meeting_row(c->b, c->d, &bt, k);
    }
}

/* One row of a meetings table; shared with the workbook's 主题党日 sheet. */
void build_meeting_row(build_ctx *b, rdoc *d, btable *bt, int k)
{
    const meeting *mt = &b->ds->meetings[k];
    const config *cfg = b->cfg;
    unsigned long long all = cfg->nactions >= 64 ? ~0ULL : (1ULL << cfg->nactions) - 1;
    int theme = mt->kind == MK_THEME_DAY;
    int p, l, a;
    meeting_counts(b, k, &p, &l, &a);
    rcell *row = btable_row(d, bt);
    for (int i = 0; i < bt->n; i++) {
        rcell *cell = &row[i];
        switch (bt->col[i]) {
        case TC_DATE: rcell_date(d, cell, mt->date); break;
        case TC_KIND: rcell_ref(cell, meeting_kind_name(mt->kind)); break;
        case TC_TOPIC: rcell_ref(cell, mt->topic); break;
        case TC_DONE: cell->type = CELL_TEXT; cell->text = theme ? actions_text(d, cfg, mt->done, 1) : "—"; break;
        case TC_MISSING:
            cell->type = CELL_TEXT;
            cell->text = theme ? actions_text(d, cfg, mt->done & all, 0) : "—";
            if (theme && (mt->done & all) != all) cell->emph = EMPH_FINDING;
            break;
        case TC_MINUTES:
            rcell_text(d, cell, mt->minutes ? "有" : "无");
            if (theme && !mt->minutes) cell->emph = EMPH_FINDING;
            break;
        case TC_SIGNED:
            if (mt->nsignin) cell->text = rdoc_printf(d, "%d/%d/%d", p, l, a), cell->type = CELL_TEXT;
            else rcell_ref(cell, "无签到记录");
            if (!mt->nsignin && theme) cell->emph = EMPH_FINDING;
            break;
        case TC_ONTIME: {
            int late = theme && mt->date > config_deadline(cfg, mt->date / 100);
            rcell_text(d, cell, !theme ? "—" : late ? "逾期" : "是");
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
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 1.0, ALIGN_LEFT},
    {"meeting", "活动", 2.6, ALIGN_LEFT}, {"status", "情况", 1.2, ALIGN_CENTER},
    {"reason", "请假事由", 2.0, ALIGN_LEFT},
};

/* Absences (AT-ABSENT) and leave (请假) at the month's whole-branch meetings. */
static void sec_attendance(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    double rate = branch_month_attendance(b, c->branch, c->ym);
    if (rate >= 0) tvars_set(&c->v, "attendance_rate", "%.1f%%", rate * 100);
    else tvars_set(&c->v, "attendance_rate", "—");
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, absent_cols, AC_N, &bt);
    for (int i = b->bmt_start[c->branch]; i < b->bmt_start[c->branch + 1]; i++) {
        int k = b->bmt[i];
        const meeting *mt = &b->ds->meetings[k];
        if (!mt->in_year || mt->date / 100 != c->ym || !meeting_whole_branch(mt->kind) || !mt->nsignin) continue;
        char d1[16];
        const char *what = rdoc_printf(c->d, "%s %s", fmt_date(mt->date, d1, sizeof d1), meeting_kind_name(mt->kind));
        /* leave rows */
        for (int j = b->ma_start[k]; j < b->ma_start[k + 1]; j++) {
            const attendance *a = &b->ds->att[b->ma[j]];
            if (a->foreign || a->status != AT_LEAVE) continue;
            const member *m = &b->ds->members[a->member];
            rcell *row = btable_row(c->d, &bt);
            for (int x = 0; x < bt.n; x++) {
                switch (bt.col[x]) {
                case AC_MEMBER_ID: rcell_ref(&row[x], m->id); break;
                case AC_NAME: rcell_ref(&row[x], m->name); break;
                case AC_MEETING: row[x].type = CELL_TEXT; row[x].text = what; break;
                case AC_STATUS: rcell_ref(&row[x], "请假"); break;
                case AC_REASON: rcell_ref(&row[x], a->reason); break;
                }
            }
        }
        /* absences, from the findings */
        for (int j = b->bf_start[c->branch]; j < b->bf_start[c->branch + 1]; j++) {
            const finding *f = &b->rr->f.v[b->bf[j]];
            if (f->rule != R_AT_ABSENT || f->meeting != k) continue;
            const member *m = &b->ds->members[f->member];
            rcell *row = btable_row(c->d, &bt);
            for (int x = 0; x < bt.n; x++) {
                switch (bt.col[x]) {
                case AC_MEMBER_ID: rcell_ref(&row[x], m->id); break;
                case AC_NAME: rcell_ref(&row[x], m->name); row[x].emph = EMPH_FINDING; break;
                case AC_MEETING: row[x].type = CELL_TEXT; row[x].text = what; break;
                case AC_STATUS: rcell_text(c->d, &row[x], f->a ? "缺席" : "无签到记录"); row[x].emph = EMPH_FINDING; break;
                case AC_REASON: rcell_ref(&row[x], ""); break;
                }
            }
        }
    }
}

enum { DC_MEMBER_ID, DC_NAME, DC_CATEGORY, DC_DUE, DC_PAID, DC_PAID_ON, DC_STATUS, DC_BRANCH, DC_MONTH, DC_N };
const int dues_ncols = DC_N;
const coldef dues_cols[DC_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 1.0, ALIGN_LEFT},
    {"category", "类别", 0.8, ALIGN_CENTER}, {"due", "应交（元）", 1.0, ALIGN_RIGHT},
    {"paid", "实交（元）", 1.0, ALIGN_RIGHT}, {"paid_on", "交纳日期", 1.5, ALIGN_CENTER},
    {"status", "情况", 1.6, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"month", "月份", 1.0, ALIGN_CENTER},
};

/* The status of a member's dues for ym in words, from the findings. */
const char *dues_status(const build_ctx *b, int m, int ym, int *bad)
{
    const member *mb = &b->ds->members[m];
    *bad = 1;
    if (mb->dues_cents == 0) { *bad = 0; return "免交"; }
    if (member_findings(b, m, R_DU_UNPAID, ym)) return "未交";
    int short_ = member_findings(b, m, R_DU_SHORT, ym), late = member_findings(b, m, R_DU_LATE, ym);
    if (short_ && late) return "未足额，逾期";
    if (short_) return "未足额";
    if (late) return "逾期";
    *bad = 0;
    return "按时足额";
}

void build_dues_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym)
{
    const member *mb = &b->ds->members[m];
    int bad, paid_on;
    const char *status = dues_status(b, m, ym, &bad);
    long paid = member_month_paid(b, m, ym, &paid_on);
    rcell *row = btable_row(d, bt);
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case DC_MEMBER_ID: rcell_ref(cell, mb->id); break;
        case DC_NAME: rcell_ref(cell, mb->name); break;
        case DC_CATEGORY: rcell_ref(cell, category_name(mb->category)); break;
        case DC_DUE: rcell_money(d, cell, mb->dues_cents); break;
        case DC_PAID: rcell_money(d, cell, paid); if (bad) cell->emph = EMPH_FINDING; break;
        case DC_PAID_ON: if (paid_on) rcell_date(d, cell, paid_on); break;
        case DC_STATUS: rcell_text(d, cell, status); if (bad) cell->emph = EMPH_FINDING; break;
        case DC_BRANCH: rcell_ref(cell, b->ds->branches[mb->branch].name); break;
        case DC_MONTH: cell->type = CELL_TEXT; cell->text = rdoc_printf(d, "%04d-%02d", ym / 100, ym % 100); break;
        }
    }
}

static void sec_dues(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, dues_cols, DC_N, &bt);
    int only_problems = atoi(tmpl_get(&b->tmpl, sec, "only_problems", "0"));
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i], bad;
        if (!member_in_month(&b->ds->members[m], c->ym)) continue;
        dues_status(b, m, c->ym, &bad);
        if (only_problems && !bad) continue;
        build_dues_row(b, c->d, &bt, m, c->ym);
    }
}

enum { SC_MEMBER_ID, SC_NAME, SC_POST, SC_MONTH_N, SC_MONTH_H, SC_YTD_N, SC_YTD_H, SC_MIN, SC_NOTE, SC_BRANCH, SC_N };
const int service_ncols = SC_N;
const coldef service_cols[SC_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"special_post", "特殊岗位", 1.0, ALIGN_LEFT}, {"month_count", "本月次数", 0.8, ALIGN_RIGHT},
    {"month_hours", "本月小时", 0.8, ALIGN_RIGHT}, {"ytd_count", "累计次数", 0.8, ALIGN_RIGHT},
    {"ytd_hours", "累计小时", 0.8, ALIGN_RIGHT}, {"year_minimum", "全年要求", 1.4, ALIGN_CENTER},
    {"note", "情况", 1.5, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
};

void build_service_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym)
{
    const member *mb = &b->ds->members[m];
    const member_stats *st = &b->rr->stats[m];
    long centi;
    int n = member_month_service(b, m, ym, &centi);
    const char *ex = member_exemption(b, m, ym);
    int missing = member_findings(b, m, R_CS_MONTH, ym) > 0;
    int unconfirmed = member_findings(b, m, R_CS_UNCONFIRMED, ym);
    rcell *row = btable_row(d, bt);
    char h[32];
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case SC_MEMBER_ID: rcell_ref(cell, mb->id); break;
        case SC_NAME: rcell_ref(cell, mb->name); break;
        case SC_POST: rcell_text(d, cell, mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : ""); break;
        case SC_MONTH_N: rcell_int(d, cell, n); if (missing) cell->emph = EMPH_FINDING; break;
        case SC_MONTH_H: rcell_hours(d, cell, centi / 100.0); break;
        case SC_YTD_N: rcell_int(d, cell, st->ytd_count); break;
        case SC_YTD_H: rcell_hours(d, cell, st->ytd_centi / 100.0); break;
        case SC_MIN:
            cell->type = CELL_TEXT;
            cell->text = rdoc_printf(d, "%d次/%s小时", st->year_min_count, fmt_hours(st->year_min_centi, h, sizeof h));
            break;
        case SC_NOTE:
            cell->type = CELL_TEXT;
            cell->text = ex ? rdoc_printf(d, "%s，本月免于下沉", ex)
                       : missing ? "本月无确认的服务"
                       : unconfirmed ? rdoc_printf(d, "%d 条记录无确认人", unconfirmed) : "";
            if (missing || unconfirmed) cell->emph = EMPH_FINDING;
            break;
        case SC_BRANCH: rcell_ref(cell, b->ds->branches[mb->branch].name); break;
        }
    }
}

static void sec_service(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, service_cols, SC_N, &bt);
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i];
        const member *mb = &b->ds->members[m];
        if (member_in_month(mb, c->ym) && mb->category == CAT_ACTIVE) build_service_row(b, c->d, &bt, m, c->ym);
    }
}

static void sec_problems(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    int n = b->bf_start[c->branch + 1] - b->bf_start[c->branch];
    tvars_set(&c->v, "findings", "%d", n);
    build_section_head(b, c->d, s, sec, &c->v);
    build_findings_table(b, c->d, s, sec, b->bf + b->bf_start[c->branch], n);
}

static void sec_chart(mctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    int months = c->ym % 100;
    rchart *ch = rsec_add_chart(c->d, s, CHART_BAR, tmpl_text(c->d, &b->tmpl, sec, "title", "出勤率", &c->v),
                                months, 1);
    ch->percent = 1;
    ch->y_max = 1;
    ch->series[0].name = rdoc_strdup(c->d, tmpl_get(&b->tmpl, sec, "series", "出勤率"));
    for (int mo = 1; mo <= months; mo++) {
        ch->cats[mo - 1] = rdoc_printf(c->d, "%d月", mo);
        double r = branch_month_attendance(b, c->branch, c->ym / 100 * 100 + mo);
        ch->series[0].values[mo - 1] = r < 0 ? 0 : r;
    }
}

typedef struct { mctx *c; rdoc *d; } order_ctx;

static void add_section(const char *name, void *vp)
{
    mctx *c = vp;
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "overview")) sec_overview(c, s, name);
    else if (!strcmp(name, "theme_days")) sec_theme_days(c, s, name);
    else if (!strcmp(name, "attendance")) sec_attendance(c, s, name);
    else if (!strcmp(name, "dues")) sec_dues(c, s, name);
    else if (!strcmp(name, "service")) sec_service(c, s, name);
    else if (!strcmp(name, "problems")) sec_problems(c, s, name);
    else if (!strcmp(name, "chart")) sec_chart(c, s, name);
    else if (!strcmp(name, "signature")) build_signature(c->b, c->d, s, &c->v);
    else build_section_head(c->b, c->d, s, name, &c->v); /* a free-text section */
}

rdoc *build_monthly_branch(build_ctx *b, int branch)
{
    rdoc *d = rdoc_new();
    mctx c = {.b = b, .d = d, .branch = branch, .ym = b->rr->period.year * 100 + b->rr->period.last_month};
    build_vars(b, &c.v, branch);
    tvars_set(&c.v, "findings", "%d", b->bf_start[branch + 1] - b->bf_start[branch]);
    build_doc_head(b, d, &c.v, "{organization}", branch_organization(b, branch));
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, theme_days, attendance, dues, service, problems, chart, signature", add_section, &c);
    return d;
}
