/*
 * build_ledger.c — the rectification ledger (整改台账, SPEC 整改) in the
 * reports: the workbook's 问题清单 (every finding of the run with its
 * problem_id and the ledger columns the secretary fills in, prefilled from
 * the ledger given), its 整改台账 sheet (the ledger carried forward:
 * check/rectify.h), and the 问题整改情况 section of the monthly and annual
 * branch PDFs.
 *
 * The next run reads both sheets back (input/ledger.c) by the titles of the
 * ledger columns, so those titles are fixed here whatever [columns] says.
 * A PDF never shows a problem_id: a problem is named by its words, its
 * member and its time, as in the 问题清单.
 */
#include "build/build_reports.h"
#include "base/dates.h"
#include "check/finding_text.h"
#include "check/problem_id.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { LC_NO, LC_ID, LC_CODE, LC_DESC, LC_SOURCE, LC_BRANCH, LC_MEMBER_ID, LC_NAME, LC_PERIOD, LC_DETAIL,
       LC_RESULT, LC_AGE, LC_MEASURES, LC_OWNER, LC_DUE, LC_STATUS, LC_DONE, LC_CLOSED, LC_N };
static const coldef ledger_cols[LC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER},         {"problem_id", "问题编号", 2.4, ALIGN_LEFT},
    {"code", "代码", 1.3, ALIGN_LEFT},         {"description", "问题", 2.2, ALIGN_LEFT},
    {"source", "依据", 1.8, ALIGN_LEFT},       {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"period", "时间", 1.4, ALIGN_LEFT},       {"detail", "详情", 3.0, ALIGN_LEFT},
    {"result", "核对结果", 2.0, ALIGN_LEFT},   {"age", "已有", 0.9, ALIGN_CENTER},
    {"measures", "整改措施", 2.4, ALIGN_LEFT}, {"owner", "责任人", 1.0, ALIGN_LEFT},
    {"due", "整改时限", 1.5, ALIGN_CENTER},    {"status", "整改情况", 1.2, ALIGN_CENTER},
    {"done", "完成日期", 1.5, ALIGN_CENTER},   {"closed_in", "销号月份", 1.1, ALIGN_CENTER},
};

/* The 整改情况 dropdown: the values the reader accepts. */
static const char *const status_choices[LEDGER_NSTATUS] = {"未整改", "整改中", "已整改", "无需整改"};

typedef struct {
    btable *bt;
} pick_keys;

static void pick_key(const char *item, void *vp)
{
    btable *bt = ((pick_keys *)vp)->bt;
    for (int i = 0; i < LC_N && bt->n < MAX_COLS; i++)
        if (!strcmp(item, ledger_cols[i].key)) bt->col[bt->n++] = i;
}

/*
 * A workbook table the next run reads back as a ledger: the columns [sec]
 * columns lists (else def), with the problem_id first and 整改情况 present
 * whatever the list says, the ledger columns titled as the reader knows
 * them (not renamed by [columns]), and the 整改情况 dropdown.
 */
static void ledger_table(build_ctx *b, rdoc *d, rsection *s, const char *sec, const char *def, btable *bt)
{
    memset(bt, 0, sizeof *bt);
    btable picked = {0};
    pick_keys p = {&picked};
    tmpl_list(&b->tmpl, sec, "columns", def, pick_key, &p);
    int has_status = 0;
    bt->col[bt->n++] = LC_ID;
    for (int i = 0; i < picked.n && bt->n < MAX_COLS - 1; i++) {
        if (picked.col[i] == LC_ID) continue;
        has_status |= picked.col[i] == LC_STATUS;
        bt->col[bt->n++] = picked.col[i];
    }
    if (!has_status) bt->col[bt->n++] = LC_STATUS;
    bt->t = rsec_add_table(d, s, bt->n);
    for (int i = 0; i < bt->n; i++) {
        int k = bt->col[i];
        const coldef *c = &ledger_cols[k];
        int fixed = k == LC_ID || k == LC_MEASURES || k == LC_OWNER || k == LC_DUE || k == LC_STATUS ||
                    k == LC_DONE || k == LC_CLOSED;
        rtable_col(d, bt->t, i, fixed ? c->title : tmpl_get(&b->tmpl, "columns", c->key, c->title), c->width, c->align);
        if (k == LC_STATUS) {
            bt->t->cols[i].choices = status_choices;
            bt->t->cols[i].nchoices = LEDGER_NSTATUS;
        }
    }
    const char *cap = tmpl_get(&b->tmpl, sec, "caption", NULL);
    if (cap) bt->t->caption = rdoc_strdup(d, cap);
    bt->t->empty_text = rdoc_strdup(d, tmpl_get(&b->tmpl, sec, "empty", "无"));
}

/* A date cell whose text lives in buf (a row source's own buffer). */
static void date_cell(rcell *c, int ymd, char *buf, size_t n)
{
    if (!ymd) return; /* left empty: CELL_EMPTY */
    c->type = CELL_DATE;
    c->num = (double)date_serial(ymd);
    c->text = fmt_date(ymd, buf, n);
}

static rsection *sheet_of(build_ctx *b, rdoc *d, const char *sec, const char *def, const tvars *v,
                          const char *intro_key)
{
    rsection *s = rdoc_add_section(d, tmpl_text(d, &b->tmpl, sec, "sheet", def, v));
    const char *intro = tmpl_text(d, &b->tmpl, sec, intro_key, NULL, v);
    if (intro && *intro) rsec_add_paragraph(d, s, intro);
    return s;
}

/* ---- 问题清单: every finding of the run, its id and the ledger columns ----------------------- */

typedef struct {
    build_ctx *b;
    int n, col[MAX_COLS];
    rdoc scratch;           /* the words of the row (finding_when): scratch.arena = &arena, */
    rarena arena;           /* cleared for every row, as the workbook's row sources do */
    char no[24], id[1200], detail[1024], due[16], done[16];
} findings_sheet_src;

static int findings_sheet_cells(void *ctx, size_t i, rcell *row)
{
    findings_sheet_src *s = ctx;
    build_ctx *b = s->b;
    const facts *fx = b->fx;
    const finding *f = &fx->f.v[i];
    const member *m = f->member >= 0 ? &b->ds->members[f->member] : NULL;
    arena_free(&s->arena); /* the previous row's words are no longer needed */
    finding_problem_id(fx, &fx->f, i, s->id, sizeof s->id);
    const ledger_entry *e = b->ledger ? ledger_find(b->ledger, s->id) : NULL;
    for (int k = 0; k < s->n; k++) {
        rcell *c = &row[k];
        switch (s->col[k]) {
        case LC_NO:
            c->type = CELL_INT;
            c->num = (double)(i + 1);
            c->text = s->no;
            snprintf(s->no, sizeof s->no, "%zu", i + 1);
            break;
        case LC_ID: rcell_ref(c, s->id); break;
        case LC_CODE: rcell_ref(c, rule_code_name(f->rule)); break;
        case LC_DESC: rcell_ref(c, rule_description(b, f->rule)); c->emph = EMPH_FINDING; break;
        case LC_SOURCE: rcell_ref(c, rule_source(b, f->rule)); break;
        case LC_BRANCH: rcell_ref(c, b->ds->branches[f->branch].name); break;
        case LC_MEMBER_ID: rcell_ref(c, m ? m->id : ""); break;
        case LC_NAME: rcell_ref(c, m ? m->name : ""); break;
        case LC_PERIOD: rcell_ref(c, finding_when(b, &s->scratch, f)); break;
        case LC_DETAIL: rcell_ref(c, finding_detail(b->ds, b->cfg, f, s->detail, sizeof s->detail)); break;
        /* the ledger columns: as the ledger given has them, else left empty */
        case LC_MEASURES: if (e && *e->measures) rcell_ref(c, e->measures); break;
        case LC_OWNER: if (e && *e->owner) rcell_ref(c, e->owner); break;
        case LC_DUE: if (e) date_cell(c, e->due_on, s->due, sizeof s->due); break;
        case LC_STATUS: if (e) rcell_ref(c, ledger_status_name(e->status)); break;
        case LC_DONE: if (e) date_cell(c, e->done_on, s->done, sizeof s->done); break;
        default: break; /* result, age, closed_in: the 整改台账's */
        }
    }
    return 0;
}

static void findings_sheet_free(void *ctx)
{
    findings_sheet_src *s = ctx;
    arena_free(&s->arena);
}

void build_findings_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *v)
{
    rsection *s = sheet_of(b, d, sec, "问题清单", v, "intro");
    btable bt;
    ledger_table(b, d, s, sec, "problem_id, code, description, source, branch, member_id, name, period, detail, "
                 "measures, owner, due, status, done", &bt);
    findings_sheet_src *src = rdoc_alloc(d, sizeof *src);
    src->b = b;
    src->n = bt.n;
    memcpy(src->col, bt.col, sizeof src->col);
    /* streamed: a city's 2.4 million findings are never held; the words of
       a row (finding_when) go to a scratch document cleared for the next */
    src->scratch.arena = &src->arena;
    rdoc_on_free(d, findings_sheet_free, src);
    rtable_set_source(bt.t, b->fx->f.n, findings_sheet_cells, src);
}

/* ---- the words of an item carried forward --------------------------------------------------- */

static const char *rword(const build_ctx *b, const char *key, const char *def)
{
    return tmpl_get(&b->wording, "rectification", key, def);
}

/* 核对结果: what checking the ledger row against the data gave. */
static const char *result_words(const build_ctx *b, const rect_item *it)
{
    switch (it->kind) {
    case RX_OPEN:
        return it->found ? rword(b, "open", "仍未整改")
                         : rword(b, "open_gone", "仍未整改（数据已不再显示此问题，核实后可标为已整改）");
    case RX_CONTRADICTED: return rword(b, "contradicted", "标记已整改但数据仍显示问题");
    case RX_CLOSED: return rword(b, "closed", "已销号");
    case RX_CLOSED_BEFORE: return rword(b, "closed_before", "此前已销号");
    default: return "";
    }
}

/* 已有: months since the problem's month ("2 个月", "本月"), or 全年 for a whole-period one. */
static const char *age_words(const build_ctx *b, rdoc *d, const rect_item *it)
{
    if (it->age < 0) return rword(b, "age_period", "全年");
    if (it->age == 0) return rword(b, "age_this_month", "本月");
    tvars v;
    v.n = 0;
    tvars_set(&v, "n", "%d", it->age);
    return tmpl_expand(d, rword(b, "age", "{n} 个月"), &v);
}

static void item_row(build_ctx *b, rdoc *d, btable *bt, const rect_item *it, int no)
{
    const ledger_entry *e = it->e;
    const finding *f = &it->x;
    const member *m = f->member >= 0 ? &b->ds->members[f->member] : NULL;
    rcell *row = btable_row(d, bt);
    char buf[1024];
    for (int k = 0; k < bt->n; k++) {
        rcell *c = &row[k];
        switch (bt->col[k]) {
        case LC_NO: rcell_int(d, c, no); break;
        case LC_ID: rcell_ref(c, e->problem_id); break;
        case LC_CODE: rcell_ref(c, rule_code_name(f->rule)); break;
        case LC_DESC: rcell_ref(c, rule_description(b, f->rule)); break;
        case LC_SOURCE: rcell_ref(c, rule_source(b, f->rule)); break;
        case LC_BRANCH: rcell_ref(c, b->ds->branches[f->branch].name); break;
        case LC_MEMBER_ID: rcell_ref(c, m ? m->id : ""); break;
        case LC_NAME: rcell_ref(c, m ? m->name : ""); break;
        case LC_PERIOD: rcell_ref(c, finding_when(b, d, f)); break;
        case LC_DETAIL:
            if (it->found) rcell_text(d, c, finding_detail(b->ds, b->cfg, f, buf, sizeof buf));
            else rcell_ref(c, rword(b, "gone_detail", "数据已不再显示此问题"));
            break;
        case LC_RESULT:
            rcell_ref(c, result_words(b, it));
            if (it->kind == RX_CONTRADICTED) c->emph = EMPH_FINDING;
            break;
        case LC_AGE: rcell_ref(c, age_words(b, d, it)); break;
        case LC_MEASURES: if (*e->measures) rcell_ref(c, e->measures); break;
        case LC_OWNER: if (*e->owner) rcell_ref(c, e->owner); break;
        case LC_DUE: if (e->due_on) rcell_date(d, c, e->due_on); break;
        case LC_STATUS: rcell_ref(c, ledger_status_name(e->status)); break;
        case LC_DONE: if (e->done_on) rcell_date(d, c, e->done_on); break;
        case LC_CLOSED:
            if (it->closed_in) {
                c->type = CELL_TEXT;
                c->text = rdoc_printf(d, "%04d-%02d", it->closed_in / 100, it->closed_in % 100);
            }
            break;
        }
    }
}

/* ---- 整改台账 sheet -------------------------------------------------------------------------- */

void build_ledger_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *v)
{
    const rectification *r = b->rect;
    /* carried by monthly and annual runs only */
    if (b->fx->period.kind != RUN_MONTHLY && b->fx->period.kind != RUN_ANNUAL) return;
    int have = r && r->have_ledger;
    rsection *s = sheet_of(b, d, sec, "整改台账", v, have ? "intro" : "intro_none");
    btable bt;
    ledger_table(b, d, s, sec, "problem_id, branch, description, member_id, name, period, detail, result, age, "
                 "measures, owner, due, status, done, closed_in", &bt);
    if (!have) {
        bt.t->empty_text = tmpl_text(d, &b->tmpl, sec, "empty_none", "未提供整改台账", v);
        return;
    }
    for (size_t i = 0; i < r->n; i++) item_row(b, d, &bt, &r->v[i], (int)i + 1);
}

/* ---- 问题整改情况 of a branch PDF ------------------------------------------------------------- */

void build_rectification_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, const tvars *vars)
{
    tvars v = *vars;
    const rectification *r = b->rect;
    int n = 0;
    const rect_item *items = r ? rect_of_branch(r, branch, &n) : NULL;
    int zero[RX_NKINDS] = {0};
    const int *k = r && r->b_kinds ? r->b_kinds[branch] : zero;
    int untracked = r && r->b_untracked ? r->b_untracked[branch] : 0;
    tvars_set(&v, "open", "%d", k[RX_OPEN]);
    tvars_set(&v, "contradicted", "%d", k[RX_CONTRADICTED]);
    tvars_set(&v, "closed", "%d", k[RX_CLOSED]);
    tvars_set(&v, "closed_before", "%d", k[RX_CLOSED_BEFORE]);
    tvars_set(&v, "untracked", "%d", untracked);
    build_heading(b, d, s, sec, &v);
    if (!r || !r->have_ledger || !r->month) {
        rsec_add_paragraph(d, s, tmpl_text(d, &b->tmpl, sec, "no_ledger", "没有提供整改台账。", &v));
        return;
    }
    /* one paragraph: the counts (or that there is nothing), then what is not listed */
    char para[2048];
    const char *first = n ? tmpl_text(d, &b->tmpl, sec, "intro", NULL, &v)
                          : tmpl_text(d, &b->tmpl, sec, "none", "整改台账中没有本支部的问题。", &v);
    snprintf(para, sizeof para, "%s", first ? first : "");
    if (k[RX_CLOSED_BEFORE]) {
        const char *t = tmpl_text(d, &b->tmpl, sec, "intro_before", "此前已销号 {closed_before} 个，不再逐条列出。", &v);
        size_t o = strlen(para);
        snprintf(para + o, sizeof para - o, "%s", t ? t : "");
    }
    if (untracked) {
        const char *t = tmpl_text(d, &b->tmpl, sec, "intro_untracked", "另有 {untracked} 个以前月份的问题未列入整改台账。", &v);
        size_t o = strlen(para);
        snprintf(para + o, sizeof para - o, "%s", t ? t : "");
    }
    if (*para) rsec_add_paragraph(d, s, para);
    /* a table per kind that has rows: open, contradicted, closed (closed before: counted only) */
    static const struct { rect_kind kind; const char *suffix, *columns; } parts[] = {
        {RX_OPEN, "open", "no, description, name, period, age, status, owner, due"},
        {RX_CONTRADICTED, "contradicted", "no, description, name, period, done, detail"},
        {RX_CLOSED, "closed", "no, description, name, period, status, done, measures"}};
    for (size_t p = 0; p < sizeof parts / sizeof parts[0]; p++) {
        if (!k[parts[p].kind]) continue;
        char name[128];
        snprintf(name, sizeof name, "%s_%s", sec, parts[p].suffix);
        btable bt;
        btable_add_cols(b, d, s, name, parts[p].columns, ledger_cols, LC_N, &bt);
        int no = 0;
        for (int i = 0; i < n; i++)
            if (items[i].kind == parts[p].kind) item_row(b, d, &bt, &items[i], ++no);
    }
}
