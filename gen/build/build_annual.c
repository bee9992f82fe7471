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
#include "base/dates.h"
#include "check/evaluation_text.h"
#include "check/finding_text.h"
#include <math.h>
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

/* ---- figures ---------------------------------------------------------------- */

typedef struct {
    int assessed, active, count[CAT_COUNT];
    int grades[3];
    int svc_count;     /* confirmed records of its 在职 members */
    long svc_centi;
    int svc_members;   /* 在职 with an eligible month */
    int svc_short;     /* of them with CS-COUNT or CS-HOURS */
    int unconfirmed;   /* CS-UNCONFIRMED findings */
    int cap;           /* 优秀 places of the branch (its first evaluation's cap) */
    int findings;
} branch_sum;

static void branch_summary(const build_ctx *b, int br, branch_sum *s)
{
    memset(s, 0, sizeof *s);
    s->cap = -1;
    for (int i = b->bm_start[br]; i < b->bm_start[br + 1]; i++) {
        int m = b->bm[i];
        const member *mb = &b->ds->members[m];
        const member_stats *st = &b->rr->stats[m];
        if (!st->assessed) continue;
        s->assessed++;
        s->count[mb->category]++;
        if (mb->category == CAT_ACTIVE) s->active++;
        if (mb->category == CAT_ACTIVE) { /* the 双报告 is about in-service members */
            s->svc_count += st->svc_count;
            s->svc_centi += st->svc_centi;
        }
        if (mb->category == CAT_ACTIVE && st->eligible_months > 0) {
            s->svc_members++;
            if (st->rule_count[R_CS_COUNT] || st->rule_count[R_CS_HOURS]) s->svc_short++;
        }
        s->unconfirmed += st->rule_count[R_CS_UNCONFIRMED];
        int e = b->ev_of[m];
        if (e >= 0) {
            s->grades[b->ev->v[e].grade]++;
            if (s->cap < 0) s->cap = b->ev->v[e].cap;
        }
    }
    if (s->cap < 0) s->cap = (int)floor(b->cfg->excellent_max_ratio * s->assessed + 1e-9);
    s->findings = b->bf_start[br + 1] - b->bf_start[br];
}

/* The month a finding belongs to (YYYYMM), or 0 for year-scope findings. */
static int finding_month(const build_ctx *b, const finding *f)
{
    if (f->month) return f->month;
    if (f->meeting >= 0) return b->ds->meetings[f->meeting].date / 100;
    if (f->record >= 0) return b->ds->svc[f->record].date / 100;
    return 0;
}

/* Whole-branch meetings with sign-ins in ym, and m's 出席 / 请假 at them. */
static int member_month_attendance(const build_ctx *b, int m, int ym, int *present, int *leave)
{
    const member *mb = &b->ds->members[m];
    int held = 0;
    *present = *leave = 0;
    if (!member_in_month(mb, ym)) return 0;
    for (int i = b->bmt_start[mb->branch]; i < b->bmt_start[mb->branch + 1]; i++) {
        int k = b->bmt[i];
        const meeting *mt = &b->ds->meetings[k];
        if (mt->date / 100 != ym || !mt->in_year || !meeting_whole_branch(mt->kind) || !mt->nsignin) continue;
        held++;
        for (int j = b->ma_start[k]; j < b->ma_start[k + 1]; j++) {
            const attendance *a = &b->ds->att[b->ma[j]];
            if (a->member != m || a->foreign) continue;
            if (a->status == AT_PRESENT) (*present)++;
            else if (a->status == AT_LEAVE) (*leave)++;
            break;
        }
    }
    return held;
}

/* Exemptions of m overlapping the year, e.g. "哺乳期（2022-03-01至2022-08-31）", or "". */
static const char *exemptions_text(const build_ctx *b, rdoc *d, int m, int from, int to)
{
    char buf[512] = "", d1[16], d2[16];
    size_t o = 0;
    for (int i = b->me_start[m]; i < b->me_start[m + 1] && o < sizeof buf - 80; i++) {
        const exemption *e = &b->ds->exm[b->me[i]];
        if (e->to < from || e->from > to) continue;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s（%s至%s）", o ? "；" : "", e->type,
                              fmt_date(e->from, d1, sizeof d1), fmt_date(e->to, d2, sizeof d2));
    }
    return rdoc_strdup(d, buf);
}

static const char *grade_word(const build_ctx *b, grade g) { return grade_name(b->cfg, g); }

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

static void set_summary_vars(actx *c, const branch_sum *s)
{
    char h[32];
    tvars_set(&c->v, "assessed", "%d", s->assessed);
    tvars_set(&c->v, "active", "%d", s->active);
    tvars_set(&c->v, "excellent", "%d", s->grades[GRADE_EXCELLENT]);
    tvars_set(&c->v, "pass", "%d", s->grades[GRADE_PASS]);
    tvars_set(&c->v, "fail", "%d", s->grades[GRADE_FAIL]);
    tvars_set(&c->v, "cap", "%d", s->cap);
    tvars_set(&c->v, "findings", "%d", s->findings);
    tvars_set(&c->v, "svc_count", "%d", s->svc_count);
    tvars_set(&c->v, "svc_hours", "%s", fmt_hours(s->svc_centi, h, sizeof h));
    tvars_set(&c->v, "svc_members", "%d", s->svc_members);
    tvars_set(&c->v, "svc_short", "%d", s->svc_short);
    tvars_set(&c->v, "unconfirmed", "%d", s->unconfirmed);
}

static const char *label(actx *c, const char *sec, const char *key, const char *def)
{
    return tmpl_text(c->d, &c->b->tmpl, sec, key, def, &c->v);
}

/* ==== the branch packet ====================================================== */

static void sec_overview(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    branch_sum sum;
    branch_summary(b, c->branch, &sum);
    rkv *kv = rsec_add_kv(c->d, s);
    rkv_add(c->d, kv, label(c, sec, "label_organization", "党组织"), branch_organization(b, c->branch));
    rkv_add(c->d, kv, label(c, sec, "label_branch", "支部"), b->ds->branches[c->branch].name);
    rkv_add(c->d, kv, label(c, sec, "label_year", "年度"), rdoc_printf(c->d, "%d年", c->year));
    char cats[256] = "";
    size_t o = 0;
    for (int k = 0; k < CAT_COUNT; k++)
        if (sum.count[k])
            o += (size_t)snprintf(cats + o, sizeof cats - o, "%s%s %d 名", o ? "，" : "", category_name((member_category)k),
                                  sum.count[k]);
    rkv_add(c->d, kv, label(c, sec, "label_members", "参评党员"),
            rdoc_printf(c->d, "%d 名%s%s%s", sum.assessed, o ? "（" : "", cats, o ? "）" : ""));
    int themes = 0;
    for (int mo = 1; mo <= 12; mo++) themes += branch_theme_days(b, c->branch, c->year * 100 + mo);
    rkv_add(c->d, kv, label(c, sec, "label_theme_days", "主题党日"), rdoc_printf(c->d, "%d 次", themes));
    long pres = 0, held = 0;
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        const member_stats *st = &b->rr->stats[b->bm[i]];
        pres += st->present;
        held += st->meetings_held;
    }
    rkv_add(c->d, kv, label(c, sec, "label_attendance", "全年出勤率"),
            held ? rdoc_printf(c->d, "%.1f%%", 100.0 * (double)pres / (double)held) : "—");
    char h[32];
    rkv_add(c->d, kv, label(c, sec, "label_service", "下沉社区"),
            rdoc_printf(c->d, "确认活动 %d 次，%s 小时", sum.svc_count, fmt_hours(sum.svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_grades", "考核结果"),
            rdoc_printf(c->d, "%s %d 名，%s %d 名，%s %d 名", grade_word(b, GRADE_EXCELLENT), sum.grades[GRADE_EXCELLENT],
                        grade_word(b, GRADE_PASS), sum.grades[GRADE_PASS], grade_word(b, GRADE_FAIL),
                        sum.grades[GRADE_FAIL]));
    rkv_add(c->d, kv, label(c, sec, "label_findings", "发现问题"), rdoc_printf(c->d, "%d 条", sum.findings));
}

static void sec_grades(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, grade_cols, grade_ncols, &bt);
    int no = 0;
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i];
        if (b->ev_of[m] >= 0) build_grade_row(b, c->d, &bt, &b->ev->v[b->ev_of[m]], ++no);
    }
}

enum { SV_MEMBER_ID, SV_NAME, SV_POST, SV_ELIGIBLE, SV_COUNT, SV_HOURS, SV_MIN, SV_EXEMPT, SV_UNCONF, SV_RESULT, SV_N };
static const coldef ann_service_cols[SV_N] = {
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"special_post", "特殊岗位", 1.1, ALIGN_LEFT}, {"eligible_months", "应服务月数", 0.8, ALIGN_CENTER},
    {"count", "确认次数", 0.7, ALIGN_RIGHT}, {"hours", "确认小时", 0.7, ALIGN_RIGHT},
    {"minimum", "最低要求（次/小时）", 1.3, ALIGN_CENTER}, {"exemption", "免于下沉", 1.4, ALIGN_LEFT},
    {"unconfirmed", "未确认", 0.7, ALIGN_CENTER}, {"result", "情况", 0.8, ALIGN_CENTER},
};

static void sec_service(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, ann_service_cols, SV_N, &bt);
    const char *ok = label(c, sec, "ok", "达标"), *bad = label(c, sec, "short", "未达标"),
               *none = label(c, sec, "not_required", "不作要求");
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i];
        const member *mb = &b->ds->members[m];
        const member_stats *st = &b->rr->stats[m];
        if (!st->assessed || mb->category != CAT_ACTIVE) continue;
        int short_n = st->rule_count[R_CS_COUNT] > 0, short_h = st->rule_count[R_CS_HOURS] > 0;
        rcell *row = btable_row(c->d, &bt);
        char h[32];
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case SV_MEMBER_ID: rcell_ref(cell, mb->id); break;
            case SV_NAME: rcell_ref(cell, mb->name); break;
            case SV_POST: rcell_text(c->d, cell, mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : ""); break;
            case SV_ELIGIBLE: rcell_int(c->d, cell, st->eligible_months); break;
            case SV_COUNT: rcell_int(c->d, cell, st->svc_count); if (short_n) cell->emph = EMPH_FINDING; break;
            case SV_HOURS: rcell_hours(c->d, cell, st->svc_centi / 100.0); if (short_h) cell->emph = EMPH_FINDING; break;
            case SV_MIN:
                cell->type = CELL_TEXT;
                cell->text = st->eligible_months ? rdoc_printf(c->d, "%d / %s", st->min_count, fmt_hours(st->min_centi, h, sizeof h))
                                                 : "—";
                break;
            case SV_EXEMPT: rcell_text(c->d, cell, exemptions_text(b, c->d, m, c->year * 10000 + 101, c->year * 10000 + 1231)); break;
            case SV_UNCONF:
                if (st->rule_count[R_CS_UNCONFIRMED]) {
                    rcell_int(c->d, cell, st->rule_count[R_CS_UNCONFIRMED]);
                    cell->emph = EMPH_FINDING;
                }
                break;
            case SV_RESULT:
                rcell_text(c->d, cell, !st->eligible_months ? none : short_n || short_h ? bad : ok);
                if (short_n || short_h) cell->emph = EMPH_FINDING;
                break;
            }
        }
    }
}

/* Month columns m1..m12 share one key pattern; the rest are named. */
enum { LC_MEMBER_ID, LC_NAME, LC_DUE, LC_M1, LC_TOTAL = LC_M1 + 12, LC_NOTE, LC_N };
static coldef ann_ledger_cols[LC_N];
static const char *const month_keys[12] = {"m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10", "m11", "m12"};
static const char *const month_titles[12] = {"1月", "2月", "3月", "4月", "5月", "6月", "7月", "8月", "9月", "10月", "11月", "12月"};

static const coldef *ledger_defs(const char *total_key, const char *total_title, const char *note_key,
                                 const char *note_title, coldef *out)
{
    out[LC_MEMBER_ID] = (coldef){"member_id", "党员编号", 1.1, ALIGN_LEFT};
    out[LC_NAME] = (coldef){"name", "姓名", 1.0, ALIGN_LEFT};
    out[LC_DUE] = (coldef){"monthly_dues", "核定（元）", 0.9, ALIGN_RIGHT};
    for (int i = 0; i < 12; i++) out[LC_M1 + i] = (coldef){month_keys[i], month_titles[i], 0.85, ALIGN_CENTER};
    out[LC_TOTAL] = (coldef){total_key, total_title, 1.1, ALIGN_RIGHT};
    out[LC_NOTE] = (coldef){note_key, note_title, 1.0, ALIGN_CENTER};
    return out;
}

static void sec_dues(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    const coldef *defs = ledger_defs("paid_total", "全年实交（元）", "problem_months", "问题月数", ann_ledger_cols);
    btable bt;
    btable_add(b, c->d, s, sec, defs, LC_N, &bt);
    const char *not_member = label(c, sec, "not_member", "—"), *exempt = label(c, sec, "exempt", "免交");
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i];
        const member *mb = &b->ds->members[m];
        const member_stats *st = &b->rr->stats[m];
        if (!st->assessed) continue;
        rcell *row = btable_row(c->d, &bt);
        long total = 0;
        int problems = 0;
        char y[32];
        for (int mo = 1; mo <= 12; mo++) {
            int ym = c->year * 100 + mo, on, bad;
            if (!member_in_month(mb, ym)) continue;
            total += member_month_paid(b, m, ym, &on);
            dues_status(b, m, ym, &bad);
            problems += bad;
        }
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            int col = bt.col[x];
            if (col >= LC_M1 && col < LC_M1 + 12) {
                int ym = c->year * 100 + (col - LC_M1 + 1), on, bad;
                if (!member_in_month(mb, ym)) { rcell_text(c->d, cell, not_member); continue; }
                if (mb->dues_cents == 0) { rcell_text(c->d, cell, exempt); continue; }
                const char *status = dues_status(b, m, ym, &bad);
                long paid = member_month_paid(b, m, ym, &on);
                if (!bad) rcell_text(c->d, cell, fmt_yuan(paid, y, sizeof y));
                else if (paid <= 0) rcell_text(c->d, cell, status);
                else cell->type = CELL_TEXT, cell->text = rdoc_printf(c->d, "%s\n%s", fmt_yuan(paid, y, sizeof y), status);
                if (bad) cell->emph = EMPH_FINDING;
                continue;
            }
            switch (col) {
            case LC_MEMBER_ID: rcell_ref(cell, mb->id); break;
            case LC_NAME: rcell_ref(cell, mb->name); break;
            case LC_DUE: rcell_text(c->d, cell, fmt_yuan(mb->dues_cents, y, sizeof y)); break;
            case LC_TOTAL: rcell_text(c->d, cell, fmt_yuan(total, y, sizeof y)); cell->emph = EMPH_STRONG; break;
            case LC_NOTE:
                rcell_int(c->d, cell, problems);
                if (problems) cell->emph = EMPH_FINDING;
                break;
            }
        }
    }
}

static void sec_attendance(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    coldef defs[LC_N];
    ledger_defs("year_total", "全年出席/应到", "absent", "缺席", defs);
    defs[LC_DUE] = (coldef){"category", "类别", 0.8, ALIGN_CENTER};
    defs[LC_NOTE] = (coldef){"absent", "缺席", 0.7, ALIGN_CENTER};
    btable bt;
    btable_add(b, c->d, s, sec, defs, LC_N, &bt);
    const char *not_member = label(c, sec, "not_member", "—"), *no_meeting = label(c, sec, "no_meeting", "无活动"),
               *leave_mark = label(c, sec, "leave_mark", "假");
    for (int i = b->bm_start[c->branch]; i < b->bm_start[c->branch + 1]; i++) {
        int m = b->bm[i];
        const member *mb = &b->ds->members[m];
        const member_stats *st = &b->rr->stats[m];
        if (!st->assessed) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            int col = bt.col[x];
            if (col >= LC_M1 && col < LC_M1 + 12) {
                int ym = c->year * 100 + (col - LC_M1 + 1), p, l;
                if (!member_in_month(mb, ym)) { rcell_text(c->d, cell, not_member); continue; }
                int held = member_month_attendance(b, m, ym, &p, &l);
                if (!held) { rcell_text(c->d, cell, no_meeting); continue; }
                cell->type = CELL_TEXT;
                cell->text = l ? rdoc_printf(c->d, "%d/%d\n%s%d", p, held, leave_mark, l) : rdoc_printf(c->d, "%d/%d", p, held);
                if (held - p - l > 0) cell->emph = EMPH_FINDING;
                continue;
            }
            switch (col) {
            case LC_MEMBER_ID: rcell_ref(cell, mb->id); break;
            case LC_NAME: rcell_ref(cell, mb->name); break;
            case LC_DUE: rcell_ref(cell, category_name(mb->category)); break;
            case LC_TOTAL:
                cell->type = CELL_TEXT;
                cell->text = rdoc_printf(c->d, "%d/%d", st->present, st->meetings_held);
                cell->emph = EMPH_STRONG;
                break;
            case LC_NOTE:
                rcell_int(c->d, cell, st->rule_count[R_AT_ABSENT]);
                if (st->rule_count[R_AT_ABSENT] > b->cfg->max_absences || st->rule_count[R_AT_LAPSE])
                    cell->emph = EMPH_FINDING;
                break;
            }
        }
    }
}

static void sec_problems(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    int n = b->bf_start[c->branch + 1] - b->bf_start[c->branch];
    tvars_set(&c->v, "findings", "%d", n);
    build_section_head(b, c->d, s, sec, &c->v);
    build_findings_table(b, c->d, s, sec, b->bf + b->bf_start[c->branch], n);
}

static void sec_chart(actx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    rchart *ch = rsec_add_chart(c->d, s, CHART_BAR, label(c, sec, "title", "{branch} {year}年各月出勤率"), 12, 1);
    ch->percent = 1;
    ch->y_max = 1;
    ch->series[0].name = label(c, sec, "series", "出勤率");
    for (int mo = 1; mo <= 12; mo++) {
        ch->cats[mo - 1] = rdoc_printf(c->d, "%d月", mo);
        double r = branch_month_attendance(b, c->branch, c->year * 100 + mo);
        ch->series[0].values[mo - 1] = r < 0 ? 0 : r;
    }
    const char *t2 = label(c, sec, "findings_title", NULL);
    if (!t2 || !*t2) return;
    rchart *fc = rsec_add_chart(c->d, s, CHART_BAR, t2, 12, 2);
    fc->series[0].name = label(c, sec, "findings_branch", "支部问题");
    fc->series[1].name = label(c, sec, "findings_members", "党员问题");
    for (int mo = 1; mo <= 12; mo++) fc->cats[mo - 1] = rdoc_printf(c->d, "%d月", mo);
    for (int i = b->bf_start[c->branch]; i < b->bf_start[c->branch + 1]; i++) {
        const finding *f = &b->rr->f.v[b->bf[i]];
        int ym = finding_month(b, f);
        if (ym / 100 != c->year) continue;
        fc->series[f->member >= 0 ? 1 : 0].values[ym % 100 - 1] += 1;
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
    else if (!strcmp(name, "problems")) sec_problems(c, s, name);
    else if (!strcmp(name, "chart")) sec_chart(c, s, name);
    else if (!strcmp(name, "signature")) build_signature(c->b, c->d, s, &c->v);
    else build_section_head(c->b, c->d, s, name, &c->v); /* a free-text section */
}

static void doc_head(actx *c, const char *title_def, const char *author)
{
    build_doc_head(c->b, c->d, &c->v, title_def, author);
}

rdoc *build_annual_branch(build_ctx *b, int branch)
{
    rdoc *d = rdoc_new();
    actx c = {.b = b, .d = d, .branch = branch, .year = b->rr->period.year};
    build_vars(b, &c.v, branch);
    set_grade_vars(&c);
    branch_sum sum;
    branch_summary(b, branch, &sum);
    set_summary_vars(&c, &sum);
    doc_head(&c, "{organization} {branch}", branch_organization(b, branch));
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, grades, service, dues, attendance, problems, chart, signature", add_branch_section, &c);
    return d;
}

/* ==== the unit report ========================================================= */

typedef struct {
    actx c;
    branch_sum *bs;   /* per branch */
    branch_sum all;
} uctx;

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

static void u_overview(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    char h[32];
    rkv_add(c->d, kv, label(c, sec, "label_organization", "党组织"), unit_name(b, c->d));
    rkv_add(c->d, kv, label(c, sec, "label_year", "年度"), rdoc_printf(c->d, "%d年", c->year));
    rkv_add(c->d, kv, label(c, sec, "label_branches", "党支部"), rdoc_printf(c->d, "%zu 个", b->ds->nbranches));
    rkv_add(c->d, kv, label(c, sec, "label_members", "参评党员"),
            rdoc_printf(c->d, "%d 名（在职 %d 名）", u->all.assessed, u->all.active));
    rkv_add(c->d, kv, label(c, sec, "label_service", "下沉社区"),
            rdoc_printf(c->d, "确认活动 %d 次，%s 小时", u->all.svc_count, fmt_hours(u->all.svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_grades", "考核结果"),
            rdoc_printf(c->d, "%s %d 名，%s %d 名，%s %d 名", grade_word(b, GRADE_EXCELLENT), u->all.grades[GRADE_EXCELLENT],
                        grade_word(b, GRADE_PASS), u->all.grades[GRADE_PASS], grade_word(b, GRADE_FAIL),
                        u->all.grades[GRADE_FAIL]));
    rkv_add(c->d, kv, label(c, sec, "label_findings", "发现问题"), rdoc_printf(c->d, "%d 条", u->all.findings));
}

enum { MC_CATEGORY, MC_COUNT, MC_SHARE, MC_N };
static const coldef ann_members_cols[MC_N] = {
    {"category", "人员类别", 1.5, ALIGN_LEFT}, {"count", "人数", 1.0, ALIGN_RIGHT}, {"share", "占比", 1.0, ALIGN_RIGHT},
};

static void u_members(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_section_head(c->b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(c->b, c->d, s, sec, ann_members_cols, MC_N, &bt);
    for (int k = 0; k <= CAT_COUNT; k++) {
        int n = k < CAT_COUNT ? u->all.count[k] : u->all.assessed;
        if (k < CAT_COUNT && !n) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case MC_CATEGORY:
                rcell_text(c->d, cell, k < CAT_COUNT ? category_name((member_category)k) : label(c, sec, "total", "合计"));
                break;
            case MC_COUNT: rcell_int(c->d, cell, n); break;
            case MC_SHARE: rcell_percent(c->d, cell, u->all.assessed ? (double)n / u->all.assessed : 0, 1); break;
            }
            if (k == CAT_COUNT) cell->emph = EMPH_STRONG;
        }
    }
}

static void u_service(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_section_head(c->b, c->d, s, sec, &c->v);
    rkv *kv = rsec_add_kv(c->d, s);
    char h[32];
    const branch_sum *a = &u->all;
    rkv_add(c->d, kv, label(c, sec, "label_required", "应下沉的在职党员"), rdoc_printf(c->d, "%d 名", a->svc_members));
    rkv_add(c->d, kv, label(c, sec, "label_activities", "经社区确认的活动"), rdoc_printf(c->d, "%d 次", a->svc_count));
    rkv_add(c->d, kv, label(c, sec, "label_hours", "累计服务时长"),
            rdoc_printf(c->d, "%s 小时", fmt_hours(a->svc_centi, h, sizeof h)));
    rkv_add(c->d, kv, label(c, sec, "label_average", "人均服务时长"),
            a->svc_members ? rdoc_printf(c->d, "%.1f 小时", a->svc_centi / 100.0 / a->svc_members) : "—");
    rkv_add(c->d, kv, label(c, sec, "label_met", "达到最低要求"), rdoc_printf(c->d, "%d 名", a->svc_members - a->svc_short));
    rkv_add(c->d, kv, label(c, sec, "label_short", "未达到最低要求"), rdoc_printf(c->d, "%d 名", a->svc_short));
    rkv_add(c->d, kv, label(c, sec, "label_unconfirmed", "未确认记录（不计入）"), rdoc_printf(c->d, "%d 条", a->unconfirmed));
}

enum { BC_BRANCH, BC_MEMBERS, BC_ACTIVE, BC_ACTIVITIES, BC_HOURS, BC_AVERAGE, BC_EXCELLENT, BC_PASS, BC_FAIL, BC_FINDINGS, BC_N };
static const coldef ann_branch_cols[BC_N] = {
    {"branch", "党支部", 2.6, ALIGN_LEFT}, {"members", "党员", 0.6, ALIGN_RIGHT},
    {"in_service", "在职", 0.6, ALIGN_RIGHT}, {"activities", "下沉次数", 0.8, ALIGN_RIGHT},
    {"hours", "服务小时", 0.8, ALIGN_RIGHT}, {"average_hours", "人均小时", 0.8, ALIGN_RIGHT},
    {"excellent", "优秀", 0.6, ALIGN_RIGHT}, {"pass", "合格", 0.6, ALIGN_RIGHT},
    {"fail", "不合格", 0.7, ALIGN_RIGHT}, {"findings", "问题", 0.6, ALIGN_RIGHT},
};

static void branch_row(uctx *u, btable *bt, const char *name, const branch_sum *s, int total)
{
    actx *c = &u->c;
    rcell *row = btable_row(c->d, bt);
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case BC_BRANCH: rcell_text(c->d, cell, name); break;
        case BC_MEMBERS: rcell_int(c->d, cell, s->assessed); break;
        case BC_ACTIVE: rcell_int(c->d, cell, s->active); break;
        case BC_ACTIVITIES: rcell_int(c->d, cell, s->svc_count); break;
        case BC_HOURS: rcell_hours(c->d, cell, s->svc_centi / 100.0); break;
        case BC_AVERAGE:
            if (s->svc_members) rcell_hours(c->d, cell, s->svc_centi / 100.0 / s->svc_members);
            else rcell_ref(cell, "—");
            break;
        case BC_EXCELLENT: rcell_int(c->d, cell, s->grades[GRADE_EXCELLENT]); break;
        case BC_PASS: rcell_int(c->d, cell, s->grades[GRADE_PASS]); break;
        case BC_FAIL: rcell_int(c->d, cell, s->grades[GRADE_FAIL]); if (s->grades[GRADE_FAIL] && !total) cell->emph = EMPH_FINDING; break;
        case BC_FINDINGS: rcell_int(c->d, cell, s->findings); break;
        }
        if (total) cell->emph = EMPH_STRONG;
    }
}

static void u_branches(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_section_head(c->b, c->d, s, sec, &c->v);
    btable bt;
    /* grade columns are titled with the configured grade names unless [columns] renames them */
    coldef defs[BC_N];
    memcpy(defs, ann_branch_cols, sizeof defs);
    defs[BC_EXCELLENT].title = grade_word(c->b, GRADE_EXCELLENT);
    defs[BC_PASS].title = grade_word(c->b, GRADE_PASS);
    defs[BC_FAIL].title = grade_word(c->b, GRADE_FAIL);
    btable_add(c->b, c->d, s, sec, defs, BC_N, &bt);
    for (size_t i = 0; i < c->b->ds->nbranches; i++) branch_row(u, &bt, c->b->ds->branches[i].name, &u->bs[i], 0);
    if (c->b->ds->nbranches) branch_row(u, &bt, label(c, sec, "total", "合计"), &u->all, 1);
}

enum { DC_GRADE, DC_COUNT, DC_SHARE, DC_N };
static const coldef ann_dist_cols[DC_N] = {
    {"grade", "等次", 1.5, ALIGN_CENTER}, {"count", "人数", 1.0, ALIGN_RIGHT}, {"share", "占比", 1.0, ALIGN_RIGHT},
};

static void u_grades(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, ann_dist_cols, DC_N, &bt);
    for (int g = 0; g <= 3; g++) {
        int n = g < 3 ? u->all.grades[g] : u->all.assessed;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case DC_GRADE: rcell_text(c->d, cell, g < 3 ? grade_word(b, (grade)g) : label(c, sec, "total", "合计")); break;
            case DC_COUNT: rcell_int(c->d, cell, n); break;
            case DC_SHARE: rcell_percent(c->d, cell, u->all.assessed ? (double)n / u->all.assessed : 0, 1); break;
            }
            if (g == 3) cell->emph = EMPH_STRONG;
        }
    }
    const char *title = label(c, sec, "chart_title", "各支部考核等次分布");
    if (!title || !*title || !b->ds->nbranches) return;
    int nb = (int)b->ds->nbranches;
    rchart *ch = rsec_add_chart(c->d, s, CHART_BAR, title, nb, 3);
    ch->y_title = label(c, sec, "chart_axis", "人数");
    for (int g = 0; g < 3; g++) ch->series[g].name = grade_word(b, (grade)g);
    for (int i = 0; i < nb; i++) {
        ch->cats[i] = b->ds->branches[i].name;
        for (int g = 0; g < 3; g++) ch->series[g].values[i] = u->bs[i].grades[g];
    }
}

enum { CC_BRANCH, CC_ASSESSED, CC_CAP, CC_EXCELLENT, CC_SHARE, CC_RESULT, CC_N };
static const coldef ann_cap_cols[CC_N] = {
    {"branch", "党支部", 2.6, ALIGN_LEFT}, {"assessed", "参评人数", 0.8, ALIGN_RIGHT},
    {"cap", "优秀名额上限", 1.1, ALIGN_RIGHT}, {"excellent", "评为优秀", 0.9, ALIGN_RIGHT},
    {"share", "优秀占比", 0.9, ALIGN_RIGHT}, {"result", "结论", 0.8, ALIGN_CENTER},
};

static void cap_row(uctx *u, btable *bt, const char *name, int assessed, int cap, int excellent)
{
    actx *c = &u->c;
    rcell *row = btable_row(c->d, bt);
    int ok = excellent <= cap;
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case CC_BRANCH: rcell_text(c->d, cell, name); break;
        case CC_ASSESSED: rcell_int(c->d, cell, assessed); break;
        case CC_CAP: rcell_int(c->d, cell, cap); break;
        case CC_EXCELLENT: rcell_int(c->d, cell, excellent); if (!ok) cell->emph = EMPH_FINDING; break;
        case CC_SHARE: rcell_percent(c->d, cell, assessed ? (double)excellent / assessed : 0, 1); break;
        case CC_RESULT:
            rcell_text(c->d, cell, ok ? label(c, "cap_check", "ok", "符合") : label(c, "cap_check", "over", "超出"));
            if (!ok) cell->emph = EMPH_FINDING;
            break;
        }
    }
}

static void u_cap_check(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    coldef defs[CC_N];
    memcpy(defs, ann_cap_cols, sizeof defs);
    defs[CC_CAP].title = rdoc_printf(c->d, "%s名额上限", grade_word(b, GRADE_EXCELLENT));
    defs[CC_EXCELLENT].title = rdoc_printf(c->d, "评为%s", grade_word(b, GRADE_EXCELLENT));
    defs[CC_SHARE].title = rdoc_printf(c->d, "%s占比", grade_word(b, GRADE_EXCELLENT));
    btable_add(b, c->d, s, sec, defs, CC_N, &bt);
    if (b->cfg->excellent_scope_all) {
        int cap = (int)floor(b->cfg->excellent_max_ratio * u->all.assessed + 1e-9);
        cap_row(u, &bt, label(c, sec, "all", "全体"), u->all.assessed, cap, u->all.grades[GRADE_EXCELLENT]);
        return;
    }
    for (size_t i = 0; i < b->ds->nbranches; i++)
        cap_row(u, &bt, b->ds->branches[i].name, u->bs[i].assessed, u->bs[i].cap, u->bs[i].grades[GRADE_EXCELLENT]);
}

enum { RC_RULE, RC_DESC, RC_COUNT, RC_BRANCHES, RC_N };
static const coldef ann_rule_cols[RC_N] = {
    {"rule", "规则", 1.3, ALIGN_LEFT}, {"description", "问题", 3.2, ALIGN_LEFT},
    {"count", "条数", 0.8, ALIGN_RIGHT}, {"branches", "涉及支部", 0.9, ALIGN_RIGHT},
};

static void u_problems(uctx *u, rsection *s, const char *sec)
{
    actx *c = &u->c;
    build_ctx *b = c->b;
    build_section_head(b, c->d, s, sec, &c->v);
    btable bt;
    btable_add(b, c->d, s, sec, ann_rule_cols, RC_N, &bt);
    int count[R_COUNT] = {0}, branches[R_COUNT] = {0};
    for (size_t br = 0; br < b->ds->nbranches; br++) {
        int seen[R_COUNT] = {0};
        for (int i = b->bf_start[br]; i < b->bf_start[br + 1]; i++) {
            rule_code r = b->rr->f.v[b->bf[i]].rule;
            count[r]++;
            if (!seen[r]) seen[r] = 1, branches[r]++;
        }
    }
    for (int r = 0; r < R_COUNT; r++) {
        if (!count[r]) continue;
        rcell *row = btable_row(c->d, &bt);
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case RC_RULE: rcell_ref(cell, rule_code_name((rule_code)r)); break;
            case RC_DESC: rcell_ref(cell, rule_description(b, (rule_code)r)); break;
            case RC_COUNT: rcell_int(c->d, cell, count[r]); break;
            case RC_BRANCHES: rcell_int(c->d, cell, branches[r]); break;
            }
        }
    }
}

static void add_unit_section(const char *name, void *vp)
{
    uctx *u = vp;
    actx *c = &u->c;
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "overview")) u_overview(u, s, name);
    else if (!strcmp(name, "members")) u_members(u, s, name);
    else if (!strcmp(name, "service")) u_service(u, s, name);
    else if (!strcmp(name, "branches")) u_branches(u, s, name);
    else if (!strcmp(name, "grades")) u_grades(u, s, name);
    else if (!strcmp(name, "cap_check")) u_cap_check(u, s, name);
    else if (!strcmp(name, "problems")) u_problems(u, s, name);
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
    uctx u = {.c = {.b = b, .d = d, .branch = -1, .year = b->rr->period.year}};
    size_t nb = b->ds->nbranches;
    u.bs = xcalloc(nb ? nb : 1, sizeof *u.bs);
    for (size_t i = 0; i < nb; i++) {
        branch_summary(b, (int)i, &u.bs[i]);
        branch_sum *s = &u.bs[i];
        u.all.assessed += s->assessed;
        u.all.active += s->active;
        for (int k = 0; k < CAT_COUNT; k++) u.all.count[k] += s->count[k];
        for (int g = 0; g < 3; g++) u.all.grades[g] += s->grades[g];
        u.all.svc_count += s->svc_count;
        u.all.svc_centi += s->svc_centi;
        u.all.svc_members += s->svc_members;
        u.all.svc_short += s->svc_short;
        u.all.unconfirmed += s->unconfirmed;
        u.all.findings += s->findings;
    }
    u.all.cap = (int)floor(b->cfg->excellent_max_ratio * u.all.assessed + 1e-9);
    actx *c = &u.c;
    build_vars(b, &c->v, -1);
    const char *unit = unit_name(b, d);
    tvars_set(&c->v, "organization", "%s", unit);
    tvars_set(&c->v, "unit", "%s", unit);
    tvars_set(&c->v, "branches", "%zu", nb);
    set_grade_vars(c);
    set_summary_vars(c, &u.all);
    doc_head(c, "{organization}", unit);
    tmpl_list(&b->tmpl, "document", "sections",
              "overview, members, service, branches, grades, cap_check, problems, signature", add_unit_section, &u);
    free(u.bs);

    template_free(&ut);
    b->tmpl = saved;
    return d;
}
