/*
 * build_warnings.c — the early warnings (预警, check/warnings.h) in the
 * reports: the 预警名单 section of the monthly and half-year branch PDFs and
 * the workbook's 预警 sheet (warnings.csv is build_csv.c's).  Warnings are
 * not problems: they appear only here, never in a 问题清单, findings.csv or
 * a grade.
 *
 * Words come from [warnings] of templates/wording.ini (the name of each
 * warning and its sentences, the same in the PDF and the workbook); the
 * section's heading, intro and columns from the report's template.
 */
#include "build/build_reports.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *wword(const build_ctx *b, const char *key, const char *def)
{
    return tmpl_get(&b->wording, "warnings", key, def);
}

/* The words of a warning: its name, how things stand, what is still needed. */
typedef struct {
    const char *name;
    char situation[512], need[512];
} warning_words;

static void words_of(const build_ctx *b, const warning *w, warning_words *out)
{
    tvars v;
    v.n = 0;
    char h1[32], h2[32];
    int mo = w->month % 100;
    if (mo == 1) tvars_set(&v, "months", "1月");
    else tvars_set(&v, "months", "1—%d月", mo);
    tvars_set(&v, "month", "%d", mo);
    if (w->code == W_CS_PACE) {
        out->name = wword(b, "WARN-CS-PACE", "下沉社区进度落后");
        tvars_set(&v, "done_n", "%d", w->done_n);
        tvars_set(&v, "done_hours", "%s", fmt_hours(w->done_centi, h1, sizeof h1));
        tvars_set(&v, "pace_n", "%d", w->pace_n);
        tvars_set(&v, "pace_hours", "%s", fmt_hours(w->pace_centi, h1, sizeof h1));
        tvars_set(&v, "year_n", "%d", w->year_n);
        tvars_set(&v, "year_hours", "%s", fmt_hours(w->year_centi, h1, sizeof h1));
        tmpl_expand_buf(wword(b, "pace_situation",
                              "{months}确认 {done_n} 次、{done_hours} 小时，按进度应达 {pace_n} 次、{pace_hours} 小时"),
                        &v, out->situation, sizeof out->situation);
        /* what is still needed for the year's minimum: the parts not yet reached */
        char need[256] = "", part[128];
        tvars p;
        p.n = 0;
        if (w->need_n > 0) {
            tvars_set(&p, "n", "%d", w->need_n);
            tmpl_expand_buf(wword(b, "need_count", "{n} 次"), &p, need, sizeof need);
        }
        if (w->need_centi > 0) {
            tvars_set(&p, "hours", "%s", fmt_hours(w->need_centi, h2, sizeof h2));
            tmpl_expand_buf(wword(b, "need_hours", "{hours} 小时"), &p, part, sizeof part);
            size_t o = strlen(need);
            snprintf(need + o, sizeof need - o, "%s%s", o ? wword(b, "need_separator", "、") : "", part);
        }
        tvars_set(&v, "need", "%s", need);
        tvars_set(&v, "left", "%d", w->eligible_left);
        tmpl_expand_buf(w->eligible_left ? wword(b, "pace_need", "还需 {need}，剩余 {left} 个应服务月")
                                         : wword(b, "pace_need_last", "还需 {need}，本年已无应服务月"),
                        &v, out->need, sizeof out->need);
        return;
    }
    int att = w->streak == WS_ATTENDANCE;
    out->name = att ? wword(b, "lapse_attendance", "连续未参加组织生活") : wword(b, "lapse_dues", "连续未交纳党费");
    tvars_set(&v, "length", "%d", w->length);
    tvars_set(&v, "limit", "%d", w->limit);
    tvars_set(&v, "left", "%d", w->limit - w->length);
    tmpl_expand_buf(att ? wword(b, "lapse_attendance_situation", "已连续 {length} 个月未参加组织生活（未出席也未请假）")
                        : wword(b, "lapse_dues_situation", "已连续 {length} 个月未交纳党费"),
                    &v, out->situation, sizeof out->situation);
    tmpl_expand_buf(att ? wword(b, "lapse_attendance_need", "再有 {left} 个月不参加即满 {limit} 个月（党章第九条）")
                        : wword(b, "lapse_dues_need", "再有 {left} 个月不交纳即满 {limit} 个月（党章第九条）"),
                    &v, out->need, sizeof out->need);
}

enum { WC_NO, WC_CODE, WC_WARNING, WC_BRANCH, WC_MEMBER_ID, WC_NAME, WC_PERIOD, WC_SITUATION, WC_NEED, WC_N };
static const coldef warning_cols[WC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER},       {"code", "代码", 1.3, ALIGN_LEFT},
    {"warning", "预警", 2.0, ALIGN_LEFT},    {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 1.0, ALIGN_LEFT},
    {"period", "时间", 1.0, ALIGN_LEFT},     {"situation", "情况", 3.2, ALIGN_LEFT},
    {"need", "还需", 2.6, ALIGN_LEFT},
};

static void warning_row(build_ctx *b, rdoc *d, btable *bt, const warning *w, int no)
{
    const member *m = &b->ds->members[w->member];
    warning_words ww;
    words_of(b, w, &ww);
    rcell *row = btable_row(d, bt);
    tvars v;
    v.n = 0;
    for (int i = 0; i < bt->n; i++) {
        rcell *c = &row[i];
        switch (bt->col[i]) {
        case WC_NO: rcell_int(d, c, no); break;
        case WC_CODE: rcell_ref(c, warning_code_name(w->code)); break;
        case WC_WARNING: rcell_ref(c, ww.name); c->emph = EMPH_STRONG; break;
        case WC_BRANCH: rcell_ref(c, b->ds->branches[w->branch].name); break;
        case WC_MEMBER_ID: rcell_ref(c, m->id); break;
        case WC_NAME: rcell_ref(c, m->name); break;
        case WC_PERIOD:
            tvars_set(&v, "year", "%d", w->month / 100);
            tvars_set(&v, "month", "%d", w->month % 100);
            rcell_ref(c, tmpl_expand(d, build_word(b, "when_month", "{year}年{month}月"), &v));
            break;
        case WC_SITUATION: rcell_text(d, c, ww.situation); break;
        case WC_NEED: rcell_text(d, c, ww.need); break;
        }
    }
}

void build_warnings_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, const tvars *vars)
{
    tvars v = *vars;
    const warning_list *wl = b->warnings;
    int n = 0;
    const warning *w = wl ? warnings_of_branch(wl, branch, &n) : NULL;
    tvars_set(&v, "warnings", "%d", n);
    tvars_set(&v, "warned", "%d", wl && wl->b_members ? wl->b_members[branch] : 0);
    build_heading(b, d, s, sec, &v);
    /* no table when there is nothing to list: one line says so */
    if (!wl || !wl->month) {
        rsec_add_paragraph(d, s, tmpl_text(d, &b->tmpl, sec, "disabled", "本次未启用预警。", &v));
        return;
    }
    if (n == 0) {
        rsec_add_paragraph(d, s, tmpl_text(d, &b->tmpl, sec, "none", "本月没有需要预警的党员。", &v));
        return;
    }
    const char *intro = tmpl_text(d, &b->tmpl, sec, "intro", NULL, &v);
    if (intro && *intro) rsec_add_paragraph(d, s, intro);
    btable bt;
    btable_add_cols(b, d, s, sec, "no, name, warning, situation, need", warning_cols, WC_N, &bt);
    for (int i = 0; i < n; i++) warning_row(b, d, &bt, &w[i], i + 1);
}

void build_warnings_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *vars)
{
    /* an annual run warns of nothing: the year's findings and grades decide */
    if (b->fx->period.kind == RUN_ANNUAL) return;
    const warning_list *wl = b->warnings;
    tvars v = *vars;
    tvars_set(&v, "warnings", "%zu", wl ? wl->n : 0);
    rsection *s = rdoc_add_section(d, tmpl_text(d, &b->tmpl, sec, "sheet", "预警", &v));
    const char *intro = tmpl_text(d, &b->tmpl, sec, "intro", NULL, &v);
    if (intro && *intro) rsec_add_paragraph(d, s, intro);
    btable bt;
    btable_add_cols(b, d, s, sec, "code, warning, branch, member_id, name, period, situation, need", warning_cols, WC_N,
                    &bt);
    if (!wl || !wl->month) {
        bt.t->empty_text = tmpl_text(d, &b->tmpl, sec, "disabled", "本次未启用预警。", &v);
        return;
    }
    for (size_t i = 0; i < wl->n; i++) warning_row(b, d, &bt, &wl->v[i], (int)i + 1);
}
