/*
 * build_halfyear.c — the half-year 双报告 of one branch (templates/halfyear.ini):
 * a summary of its in-service members' community service, then for each of
 * them one 个人下沉社区情况报告表 on its own page — the member, the
 * community, every confirmed record of the half year, the totals against
 * the half-year minimum (the facts of the run's period, prorated), exemptions, unconfirmed records, the member's
 * signature and the branch's 审核意见.
 *
 * In-service member of the half: category 在职 and a member in at least one
 * of its months.  Same pattern as build_monthly.c: sections from the
 * template's [document] sections list, coldef tables, words from the template.
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
    int year, first, last; /* the half's months */
    tvars v;
} hctx;

static const char *label(hctx *c, const char *sec, const char *key, const char *def)
{
    return tmpl_text(c->d, &c->b->tmpl, sec, key, def, &c->v);
}

/* 在职 and a member in at least one month of the half. */
static int in_service_in_half(const hctx *c, int m)
{
    return c->b->ds->members[m].category == CAT_ACTIVE && c->b->fx->mf[m].in_period;
}

/* Communities of m's records in the half, in order of first appearance, joined with 、 */
static const char *communities(hctx *c, int m)
{
    const facts *fx = c->b->fx;
    char buf[512] = "";
    size_t o = 0;
    for (int i = fx->ms_start[m]; i < fx->ms_start[m + 1] && o < sizeof buf - 100; i++) {
        const service_record *r = &c->b->ds->svc[fx->ms[i]];
        if (!facts_record_in_period(fx, fx->ms[i]) || !r->community || !*r->community) continue;
        if (strstr(buf, r->community)) continue;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s", o ? "、" : "", r->community);
    }
    return rdoc_strdup(c->d, buf);
}

static int service_short(const member_facts *st)
{
    return (st->found >> R_CS_COUNT & 1) || (st->found >> R_CS_HOURS & 1);
}

/* ---- the branch summary ---------------------------------------------------- */

enum { SC_NO, SC_MEMBER_ID, SC_NAME, SC_POST, SC_ELIGIBLE, SC_COUNT, SC_HOURS, SC_MIN, SC_RESULT, SC_NOTE, SC_N };
/* PDF widths in units of about four characters (build.c's finding_cols), under
   two-line titles where a column is narrow; the note (an exemption's dates) takes
   the rest. */
static const coldef hy_summary_cols[SC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER}, {"member_id", "党员编号", 1.0, ALIGN_LEFT},
    {"name", "姓名", 0.9, ALIGN_LEFT}, {"special_post", "特殊岗位", 1.25, ALIGN_LEFT},
    {"eligible_months", "应服务\n月数", 0.8, ALIGN_CENTER}, {"count", "确认\n次数", 0.65, ALIGN_RIGHT},
    {"hours", "确认\n小时", 0.75, ALIGN_RIGHT}, {"minimum", "最低要求\n（次/小时）", 1.35, ALIGN_CENTER},
    {"result", "情况", 0.85, ALIGN_CENTER}, {"note", "备注", 2.0, ALIGN_LEFT},
};

static void sec_summary(hctx *c, rsection *s, const char *sec)
{
    build_ctx *b = c->b;
    const facts *fx = b->fx;
    const group_facts *g = &fx->branch[c->branch];
    int n = g->in_service;
    char h[32];
    tvars_set(&c->v, "members", "%d", n);
    tvars_set(&c->v, "short", "%d", g->svc_short);
    {   /* never "0名未达到": the template's short_some / short_none */
        char t[256];
        tmpl_expand_buf(tmpl_get(&b->tmpl, sec, g->svc_short ? "short_some" : "short_none",
                                 g->svc_short ? "{short}名未达到本半年最低要求" : "均达到本半年最低要求"),
                        &c->v, t, sizeof t);
        tvars_set(&c->v, "short_text", "%s", t);
    }
    tvars_set(&c->v, "svc_count", "%d", g->svc_n);
    tvars_set(&c->v, "svc_hours", "%s", fmt_hours((long)g->svc_centi, h, sizeof h));
    const char *none_text = n ? NULL : label(c, sec, "intro_none", NULL);
    if (none_text) { /* no in-service member: the heading and intro_none, and no table */
        build_heading(b, c->d, s, sec, &c->v);
        if (*none_text) rsec_add_paragraph(c->d, s, none_text);
        return;
    }
    btable bt;
    build_section_table(b, c->d, s, sec, &c->v, hy_summary_cols, SC_N, &bt);
    int no = 0;
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++) {
        int m = fx->bmem[i];
        if (!in_service_in_half(c, m)) continue;
        const member *mb = &b->ds->members[m];
        const member_facts *st = &fx->mf[m];
        int sh = service_short(st);
        const char *ex = exemptions_text(b, c->d, m);
        int unconf = st->unconfirmed;
        rcell *row = btable_row(c->d, &bt);
        no++;
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case SC_NO: rcell_int(c->d, cell, no); break;
            case SC_MEMBER_ID: rcell_ref(cell, mb->id); break;
            case SC_NAME: rcell_ref(cell, mb->name); break;
            case SC_POST: rcell_ref(cell, mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : ""); break;
            case SC_ELIGIBLE: rcell_int(c->d, cell, st->eligible); break;
            case SC_COUNT: rcell_int(c->d, cell, st->svc_n); if (st->found >> R_CS_COUNT & 1) cell->emph = EMPH_FINDING; break;
            case SC_HOURS: rcell_hours(c->d, cell, st->svc_centi / 100.0); if (st->found >> R_CS_HOURS & 1) cell->emph = EMPH_FINDING; break;
            case SC_MIN:
                rcell_ref(cell, st->eligible ? rdoc_printf(c->d, "%d / %s", st->min_n, fmt_hours(st->min_centi, h, sizeof h))
                                             : build_word(b, "not_applicable", "—"));
                break;
            case SC_RESULT:
                rcell_ref(cell, service_word(b, st->eligible > 0, !sh));
                if (sh) cell->emph = EMPH_FINDING;
                break;
            case SC_NOTE: {
                tvars v;
                v.n = 0;
                tvars_set(&v, "n", "%d", unconf);
                const char *u = unconf ? tmpl_expand(c->d, build_word(b, "unconfirmed_note", "{n}条记录无确认人，不计入"), &v) : "";
                rcell_ref(cell, rdoc_printf(c->d, "%s%s%s", ex, *ex && *u ? "；" : "", u));
                break;
            }
            }
        }
    }
    /* 合计: the branch's confirmed service of the half (the facts') */
    static const int label_cols[] = {SC_NAME, SC_MEMBER_ID};
    rcell *row = btable_total_row(c->d, &bt, label(c, sec, "total", "合计"), label_cols, 2);
    for (int x = 0; row && x < bt.n; x++) {
        if (bt.col[x] == SC_COUNT) rcell_int(c->d, &row[x], g->svc_n);
        else if (bt.col[x] == SC_HOURS) rcell_hours(c->d, &row[x], g->svc_centi / 100.0);
    }
}

/* ---- one member's form --------------------------------------------------- */

enum { RC_NO, RC_DATE, RC_COMMUNITY, RC_CONTENT, RC_HOURS, RC_CONFIRMER, RC_RATING, RC_N };
/* A record on one line (a form fits one page): a date, a community of six characters
   (紫荆花园社区), a confirmer of five (小区党支部), 基本满意; the content takes the rest
   (the hours are titled 时长: the caption gives the unit). */
static const coldef hy_record_cols[RC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER}, {"date", "日期", 1.25, ALIGN_CENTER},
    {"community", "社区", 1.45, ALIGN_LEFT}, {"content", "服务内容", 2.85, ALIGN_LEFT},
    {"hours", "时长", 0.6, ALIGN_RIGHT}, {"confirmer", "确认人", 1.25, ALIGN_LEFT},
    {"rating", "群众评价", 1.0, ALIGN_CENTER},
};

enum { TC_ITEM, TC_DONE, TC_MIN, TC_RESULT, TC_N };
static const coldef hy_total_cols[TC_N] = {
    {"item", "项目", 1.5, ALIGN_LEFT}, {"done", "本半年完成", 1.2, ALIGN_RIGHT},
    {"required", "最低要求", 1.2, ALIGN_RIGHT}, {"result", "情况", 1.0, ALIGN_CENTER},
};

static void total_row(hctx *c, btable *bt, const char *sec, const char *item, const char *done, const char *req,
                      int required, int met)
{
    rcell *row = btable_row(c->d, bt);
    for (int x = 0; x < bt->n; x++) {
        rcell *cell = &row[x];
        switch (bt->col[x]) {
        case TC_ITEM: rcell_text(c->d, cell, item); break;
        case TC_DONE: rcell_text(c->d, cell, done); if (required && !met) cell->emph = EMPH_FINDING; break;
        case TC_MIN: rcell_text(c->d, cell, req); break;
        case TC_RESULT:
            rcell_ref(cell, service_word(c->b, required, met));
            if (required && !met) cell->emph = EMPH_FINDING;
            break;
        }
    }
}

static void member_form(hctx *c, int m, const char *sec)
{
    build_ctx *b = c->b;
    rdoc *d = c->d;
    const facts *fx = b->fx;
    const member *mb = &b->ds->members[m];
    const member_facts *st = &fx->mf[m];
    rsection *s = rdoc_add_section(d, NULL);
    s->page_break = atoi(tmpl_get(&b->tmpl, sec, "page_break", "1")) != 0;
    char h1[32], h2[32];
    tvars_set(&c->v, "name", "%s", mb->name);
    tvars_set(&c->v, "member_id", "%s", mb->id);
    tvars_set(&c->v, "eligible_months", "%d", st->eligible);
    tvars_set(&c->v, "svc_count", "%d", st->svc_n);
    tvars_set(&c->v, "svc_hours", "%s", fmt_hours(st->svc_centi, h1, sizeof h1));
    tvars_set(&c->v, "min_count", "%d", st->min_n);
    tvars_set(&c->v, "min_hours", "%s", fmt_hours(st->min_centi, h2, sizeof h2));
    build_section_head(b, d, s, sec, &c->v);

    /* short values two to a line, then the long ones (branch, unit, community) one to a line */
    rkv *kv = rsec_add_kv(d, s);
    kv->pairs = 2;
    rkv_add(d, kv, label(c, sec, "label_name", "姓　　名"), mb->name);
    rkv_add(d, kv, label(c, sec, "label_member_id", "党员编号"), mb->id);
    rkv_add(d, kv, label(c, sec, "label_special_post", "特殊岗位"),
            mb->special_post >= 0 ? b->cfg->special_posts[mb->special_post] : label(c, sec, "no_special_post", "无"));
    rkv_add(d, kv, label(c, sec, "label_period", "报告期间"),
            rdoc_printf(d, "%d年%d月至%d月", c->year, c->first, c->last));
    const char *comm = communities(c, m);
    kv = rsec_add_kv(d, s);
    rkv_add(d, kv, label(c, sec, "label_branch", "所在支部"), b->ds->branches[mb->branch].name);
    rkv_add(d, kv, label(c, sec, "label_unit", "工作单位"), mb->unit && *mb->unit ? mb->unit : b->ds->branches[mb->branch].unit);
    rkv_add(d, kv, label(c, sec, "label_community", "报到社区"), *comm ? comm : label(c, sec, "no_community", "（无记录）"));

    /* the confirmed records */
    btable bt;
    btable_add(b, d, s, "records", hy_record_cols, RC_N, &bt);
    bt.t->caption = label(c, "records", "caption", "经社区确认的服务记录（时长单位：小时）");
    int no = 0, unconf = st->unconfirmed;
    for (int i = fx->ms_start[m]; i < fx->ms_start[m + 1]; i++) {
        const service_record *r = &b->ds->svc[fx->ms[i]];
        if (!facts_record_in_period(fx, fx->ms[i]) || !facts_record_counts(fx, fx->ms[i])) continue;
        rcell *row = btable_row(d, &bt);
        no++;
        for (int x = 0; x < bt.n; x++) {
            rcell *cell = &row[x];
            switch (bt.col[x]) {
            case RC_NO: rcell_int(d, cell, no); break;
            case RC_DATE: rcell_date(d, cell, r->date); break;
            case RC_COMMUNITY: rcell_ref(cell, r->community); break;
            case RC_CONTENT: rcell_ref(cell, r->content); break;
            case RC_HOURS: rcell_hours(d, cell, r->centi_hours / 100.0); break;
            case RC_CONFIRMER: rcell_ref(cell, r->confirmer); break;
            case RC_RATING: rcell_ref(cell, r->rating); break;
            }
        }
    }

    /* totals against the half-year minimum */
    btable tt;
    btable_add(b, d, s, "totals", hy_total_cols, TC_N, &tt);
    tt.t->caption = label(c, "totals", "caption", "本半年完成情况（应服务{eligible_months}个月）");
    int req = st->eligible > 0;
    const char *na = build_word(b, "not_applicable", "—");
    total_row(c, &tt, "totals", label(c, "totals", "item_count", "下沉社区活动（次）"), rdoc_printf(d, "%d", st->svc_n),
              req ? rdoc_printf(d, "%d", st->min_n) : na, req, !(st->found >> R_CS_COUNT & 1));
    total_row(c, &tt, "totals", label(c, "totals", "item_hours", "服务时长（小时）"), fmt_hours(st->svc_centi, h1, sizeof h1),
              req ? fmt_hours(st->min_centi, h2, sizeof h2) : na, req, !(st->found >> R_CS_HOURS & 1));

    /* notes: special post, exemption, unconfirmed records */
    const char *ex = exemptions_text(b, d, m);
    if (st->special) {
        const char *t = label(c, sec, "special_note", NULL);
        if (t && *t) rsec_add_paragraph(d, s, t);
    }
    if (*ex) rsec_add_paragraph(d, s, rdoc_printf(d, "%s%s", label(c, sec, "exemption_note", "免于下沉："), ex));
    if (unconf) {
        char buf[1024], dt[16], hh[32];
        size_t o = 0;
        buf[0] = 0;
        for (int i = fx->ms_start[m]; i < fx->ms_start[m + 1] && o < sizeof buf - 200; i++) {
            const service_record *r = &b->ds->svc[fx->ms[i]];
            if (!facts_record_in_period(fx, fx->ms[i]) || !facts_record_unconfirmed(fx, fx->ms[i])) continue;
            int comm = r->community && *r->community;
            o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s%s%s%s%s小时", o ? "；" : "", fmt_date(r->date, dt, sizeof dt),
                                  comm ? "（" : "", comm ? r->community : "", comm ? "）" : "",
                                  fmt_hours(r->centi_hours, hh, sizeof hh));
        }
        tvars_set(&c->v, "unconfirmed", "%d", unconf);
        rsec_add_paragraph(d, s, rdoc_printf(d, "%s%s。", label(c, sec, "unconfirmed_note", "未经社区确认、不计入的记录{unconfirmed}条："), buf));
    }

    /* one box for the member's pledge and signature and a wider one for the branch's
       review, side by side (a form stays on one page): `lines` lines of room (the
       opinion is written there), then the signature and the date */
    const char *pledge = label(c, sec, "pledge", "本人承诺以上情况属实。");
    int lines = atoi(tmpl_get(&b->tmpl, "review", "lines", "4"));
    if (lines < 0 || lines > 20) lines = 4;
    rtable *rv = rsec_add_table(d, s, 2);
    rtable_col(d, rv, 0, label(c, "review", "member_heading", "党员本人签字"), 1, ALIGN_RIGHT);
    rtable_col(d, rv, 1, label(c, "review", "heading", "支部审核意见"), 1.6, ALIGN_RIGHT);
    rcell *row = rtable_add_row(d, rv);
    static const char *const prefix[2] = {"member_line", "line"};
    static const char *const first[2] = {"党员本人（签字）：＿＿＿＿＿＿", "支部书记（签字）：＿＿＿＿＿＿＿＿"};
    for (int k = 0; k < 2; k++) {
        char box[2048] = "";
        size_t o = 0;
        int blank = lines;
        if (k == 0 && pledge && *pledge && lines > 0) o += (size_t)snprintf(box + o, sizeof box - o, "%s\n", pledge), blank--;
        for (int i = 0; i < blank; i++) o += (size_t)snprintf(box + o, sizeof box - o, "　\n");
        for (int i = 1; i <= 9 && o < sizeof box - 1; i++) {
            char key[24];
            snprintf(key, sizeof key, "%s%d", prefix[k], i);
            const char *line = label(c, k ? "review" : sec, key, i == 1 ? first[k] : i == 2 ? "年　　月　　日" : NULL);
            if (line) o += (size_t)snprintf(box + o, sizeof box - o, "%s%s", i > 1 ? "\n" : "", line);
        }
        rcell_text(d, &row[k], box);
    }
}

static void sec_forms(hctx *c, const char *sec)
{
    const facts *fx = c->b->fx;
    for (int i = fx->bmem_start[c->branch]; i < fx->bmem_start[c->branch + 1]; i++)
        if (in_service_in_half(c, fx->bmem[i])) member_form(c, fx->bmem[i], sec);
}

static void add_section(const char *name, void *vp)
{
    hctx *c = vp;
    if (!strcmp(name, "forms")) { sec_forms(c, name); return; }
    rsection *s = build_new_section(c->b, c->d, name);
    if (!strcmp(name, "summary")) sec_summary(c, s, name);
    else if (!strcmp(name, "data_problems")) build_data_problems(c->b, c->d, s, name, c->branch, &c->v);
    else if (!strcmp(name, "warnings")) build_warnings_section(c->b, c->d, s, name, c->branch, &c->v);
    else if (!strcmp(name, "signature")) build_signature(c->b, c->d, s, &c->v);
    else build_section_head(c->b, c->d, s, name, &c->v);
}

rdoc *build_halfyear_branch(build_ctx *b, int branch)
{
    rdoc *d = rdoc_new();
    const run_period *p = &b->fx->period;
    hctx c = {.b = b, .d = d, .branch = branch, .year = p->year, .first = p->first_month, .last = p->last_month};
    build_vars(b, &c.v, branch);
    tvars_set(&c.v, "first_month", "%d", c.first);
    tvars_set(&c.v, "last_month", "%d", c.last);
    build_doc_head(b, d, &c.v, "{organization} {branch}", branch_organization(b, branch));
    tmpl_list(&b->tmpl, "document", "sections", "summary, warnings, data_problems, signature, forms", add_section, &c);
    build_finish_pdf(d);
    return d;
}
