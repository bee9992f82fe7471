/*
 * build_workbook.c — the run's workbook (templates/workbook.ini): one sheet
 * per area for every branch of the run, the 问题清单 with an empty 整改情况
 * column, and the 输入问题.  Monthly runs list the month; half-year and
 * annual runs lay members out against their months.
 *
 * What makes it a workbook to work in (doc/xlsx.md): a 序号 column, the
 * identifying columns (序号, 支部, 党员编号, 姓名) frozen, total rows whose
 * cells are formulas (RCALC_*) cached with the facts' figures, and
 * highlights a value decides as marks (conditional formats: editing the
 * value changes them); red is kept for a problem to act on.
 *
 * Every sheet but the 汇总 (one row per branch, and its chart reads the
 * rows) is a row source: a city has 200,000 members, and the rows are made
 * when the renderer asks for them, in constant memory.
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
    const char *total; /* the total rows' label (合计) */
} wctx;

static int ym(int year, int mo) { return year * 100 + mo; }

static rsection *sheet(wctx *w, const char *sec, const char *def_name)
{
    rsection *s = rdoc_add_section(w->d, tmpl_text(w->d, &w->b->tmpl, sec, "sheet", def_name, &w->v));
    const char *intro = tmpl_text(w->d, &w->b->tmpl, sec, "intro", NULL, &w->v);
    if (intro && *intro) rsec_add_paragraph(w->d, s, intro);
    return s;
}

/* ---- columns ---------------------------------------------------------------------- */

static const coldef no_col = {"no", "序号", 6, ALIGN_CENTER};

/* The identifying columns a member sheet of this file begins with (序号, 支部, 党员编号,
   姓名: coldef indexes ID_*, their cells by id_cell). */
enum { ID_NO, ID_BRANCH, ID_MEMBER_ID, ID_NAME, ID_N };
#define ID_COLS                                                                                                      \
    {"no", "序号", 6, ALIGN_CENTER}, {"branch", "支部", 24, ALIGN_LEFT}, {"member_id", "党员编号", 12, ALIGN_LEFT}, \
        {"name", "姓名", 10, ALIGN_LEFT}

/* The column of key in a template-chosen table, or -1. */
static int col_of(const btable *bt, const coldef *defs, const char *key)
{
    for (int i = 0; i < bt->n; i++)
        if (!strcmp(defs[bt->col[i]].key, key)) return i;
    return -1;
}

/* A shared builder's columns plus 序号 (at index n, where the builder's
   switch has no case: it leaves the cell empty and the sheet numbers it). */
static coldef *with_no(rdoc *d, const coldef *defs, int n)
{
    coldef *v = rdoc_alloc(d, sizeof *v * (size_t)(n + 1));
    memcpy(v, defs, sizeof *v * (size_t)n);
    v[n] = no_col;
    return v;
}

/* Freeze the leading identifying columns (序号, 支部, 党员编号, 姓名) when
   there is more than 序号 among them. */
static void freeze_ids(btable *bt, const coldef *defs)
{
    static const char *const ids[] = {"no", "branch", "member_id", "name"};
    int k = 0;
    for (; k < bt->n; k++) {
        int id = 0;
        for (size_t j = 0; j < sizeof ids / sizeof *ids; j++) id |= !strcmp(defs[bt->col[k]].key, ids[j]);
        if (!id) break;
    }
    int only_no = k == 1 && !strcmp(defs[bt->col[0]].key, "no");
    bt->t->freeze_cols = k > 0 && !only_no ? k : 0;
}

/* A mark (report.h) on column key, if the sheet has it. */
static rmark *mark(wctx *w, btable *bt, const coldef *defs, const char *key, rmark_when when, rtone tone)
{
    int c = col_of(bt, defs, key);
    return c < 0 ? NULL : rtable_add_mark(w->d, bt->t, c, when, tone);
}

static void mark_words(wctx *w, btable *bt, const coldef *defs, const char *key, rtone tone, const char *const *words,
                       int n)
{
    rmark *m = mark(w, bt, defs, key, RMARK_TEXT_IS, tone);
    for (int i = 0; m && i < n; i++) rmark_add_text(w->d, m, words[i]);
}

static void mark_below_col(wctx *w, btable *bt, const coldef *defs, const char *key, const char *limit)
{
    int l = col_of(bt, defs, limit);
    rmark *m = l < 0 ? NULL : mark(w, bt, defs, key, RMARK_BELOW_COL, RTONE_BAD);
    if (m) m->col = l;
}

/* ---- rows made on demand ---------------------------------------------------------- */

/*
 * A sheet's rows as a row source: `items` lists what data row i shows (a
 * member, a meeting …), fill() appends row i — i >= n: the total rows — to
 * the one-row table bt.t with its strings in the scratch document sd, whose
 * arena is cleared for every row.  So the shared row builders
 * (build_dues_row …) serve it as they are.
 */
typedef struct wsrc wsrc;
typedef struct grid_def grid_def;
struct wsrc {
    build_ctx *b;
    int first, last, year;
    const char *total;
    const coldef *defs;  /* the sheet's column definitions: defs[bt.col[i]] */
    int *items, *items2; /* per data row (items2: a second index where a row needs one) */
    const grid_def *grid; /* a grid's kind (fill_grid) */
    size_t n, ntotal;
    void (*fill)(wsrc *s, size_t i);
    rdoc sd;             /* the scratch document: sd.arena = &arena */
    rarena arena;
    rtable one;
    btable bt;           /* bt.t = &one, the columns of the sheet's table */
};

static int wsrc_row(void *ctx, size_t i, rcell *cells)
{
    wsrc *s = ctx;
    arena_free(&s->arena);
    s->one.nrows = 0;
    s->fill(s, i);
    if (s->one.nrows != 1) return -1;
    memcpy(cells, s->one.cells, sizeof *cells * (size_t)s->one.ncols);
    return 0;
}

static void wsrc_free(void *ctx)
{
    wsrc *s = ctx;
    arena_free(&s->arena);
    free(s->one.cells);
}

static wsrc *wsrc_new(wctx *w, const btable *bt, const coldef *defs, void (*fill)(wsrc *, size_t))
{
    wsrc *s = rdoc_alloc(w->d, sizeof *s);
    s->b = w->b;
    s->first = w->first;
    s->last = w->last;
    s->year = w->year;
    s->total = w->total;
    s->defs = defs;
    s->fill = fill;
    s->sd.arena = &s->arena;
    s->one = *bt->t;
    s->one.cells = NULL;
    s->one.nrows = s->one.cap = 0;
    s->bt = *bt;
    s->bt.t = &s->one;
    rdoc_on_free(w->d, wsrc_free, s);
    return s;
}

/* Rows 0..n-1 from the items, then ntotal total rows (none under an empty table). */
static void wsrc_start(const btable *bt, wsrc *s, size_t n, size_t ntotal)
{
    s->n = n;
    s->ntotal = n ? ntotal : 0;
    rtable_set_source(bt->t, s->n + s->ntotal, wsrc_row, s);
}

static rcell *wsrc_add(wsrc *s) { return btable_row(&s->sd, &s->bt); }
static int wcol(const wsrc *s, const char *key) { return col_of(&s->bt, s->defs, key); }

/* The 序号 of data row i, where the sheet has that column. */
static void wsrc_number(wsrc *s, size_t i)
{
    int c = wcol(s, "no");
    if (c >= 0) rcell_int(&s->sd, &s->one.cells[c], (long)i + 1);
}

/* The cell of identifying column col (ID_*) of data row i, member mb; 0 for another column. */
static int id_cell(wsrc *s, rcell *c, int col, size_t i, const member *mb)
{
    switch (col) {
    case ID_NO: rcell_int(&s->sd, c, (long)i + 1); return 1;
    case ID_BRANCH: rcell_ref(c, s->b->ds->branches[mb->branch].name); return 1;
    case ID_MEMBER_ID: rcell_ref(c, mb->id); return 1;
    case ID_NAME: rcell_ref(c, mb->name); return 1;
    }
    return 0;
}

/* A total row: the label in the first column, the rest for the caller. */
static rcell *total_row(wsrc *s)
{
    rcell *row = wsrc_add(s);
    rcell_ref(&row[0], s->total);
    row[0].emph = EMPH_STRONG;
    return row;
}

/* A total cell: =SUM of the column's rows above, cached with the facts' figure. */
static void sum_cell(rcell *c, rcell_type type, double v, const char *text)
{
    c->type = (unsigned char)type;
    c->num = v;
    c->text = text;
    c->calc = RCALC_SUM_ABOVE;
    c->emph = EMPH_STRONG;
}

static void sum_int(rdoc *d, rcell *c, long v) { sum_cell(c, CELL_INT, (double)v, rdoc_printf(d, "%ld", v)); }
static void sum_money(rdoc *d, rcell *c, long cents)
{
    rcell_money(d, c, cents);
    sum_cell(c, CELL_MONEY, c->num, c->text);
}
static void sum_hours(rdoc *d, rcell *c, double h)
{
    rcell_hours(d, c, h);
    sum_cell(c, CELL_HOURS, c->num, c->text);
}

/* ---- 汇总 -------------------------------------------------------------------- */

enum { SU_NO, SU_BRANCH, SU_UNIT, SU_MEMBERS, SU_ACTIVE, SU_THEME, SU_ATT, SU_DUES, SU_SVC_N, SU_SVC_H,
       SU_TD, SU_AT, SU_DU, SU_CS, SU_ALL, SU_EXC, SU_PASS, SU_FAIL, SU_N };
static const coldef summary_cols[SU_N] = {
    {"no", "序号", 6, ALIGN_CENTER}, {"branch", "支部", 24, ALIGN_LEFT}, {"unit", "单位", 16, ALIGN_LEFT},
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

/* One row of the 汇总: a branch (no > 0) or the unit's totals (no = 0). */
static void summary_row(wctx *w, btable *bt, const group_facts *g, int br, int no)
{
    build_ctx *b = w->b;
    rdoc *d = w->d;
    rcell *row = btable_row(d, bt);
    for (int i = 0; i < bt->n; i++) {
        rcell *c = &row[i];
        long v = 0;
        int sum = 1;
        switch (bt->col[i]) {
        case SU_NO: if (no) rcell_int(d, c, no); sum = 0; break;
        case SU_BRANCH: if (no) rcell_ref(c, b->ds->branches[br].name); sum = 0; break;
        case SU_UNIT: if (no) rcell_ref(c, b->ds->branches[br].unit); sum = 0; break;
        case SU_MEMBERS: v = g->members; break;
        case SU_ACTIVE: v = g->in_service; break;
        case SU_THEME: v = g->theme_days; break;
        case SU_ATT: /* rates are not sums: the unit's own rate */
            if (g->att_expected) rcell_percent(d, c, facts_rate(g->att_present, g->att_expected), 1);
            sum = 0;
            break;
        case SU_DUES:
            if (g->dues_months) rcell_percent(d, c, (double)g->dues_ok / g->dues_months, 1);
            sum = 0;
            break;
        case SU_SVC_N: v = g->svc_n; break;
        case SU_SVC_H:
            if (no) rcell_hours(d, c, g->svc_centi / 100.0);
            else sum_hours(d, c, g->svc_centi / 100.0);
            continue;
        case SU_TD: v = rules_sum(g, R_TD_HELD, R_TD_RECORD); break;
        case SU_AT: v = rules_sum(g, R_AT_ABSENT, R_AT_LAPSE); break;
        case SU_DU: v = rules_sum(g, R_DU_UNPAID, R_DU_LAPSE); break;
        case SU_CS: v = rules_sum(g, R_CS_MONTH, R_CS_UNCONFIRMED); break;
        case SU_ALL: v = g->findings; break;
        case SU_EXC: v = g->grades[GRADE_EXCELLENT]; break;
        case SU_PASS: v = g->grades[GRADE_PASS]; break;
        case SU_FAIL: v = g->grades[GRADE_FAIL]; if (v > 0 && no) c->emph = EMPH_FINDING; break;
        }
        if (!sum) {
            if (!no) c->emph = EMPH_STRONG;
            continue;
        }
        if (no) rcell_int(d, c, v);
        else sum_int(d, c, v);
    }
    if (!no) {
        rcell_ref(&row[0], w->total);
        row[0].emph = EMPH_STRONG;
    }
}

static void sheet_summary(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    rsection *s = sheet(w, sec, "汇总");
    btable bt;
    /* the grade columns (the last ones) only in annual runs */
    btable_add(b, w->d, s, sec, summary_cols, b->fx->ev ? SU_N : SU_EXC, &bt);
    const coldef *cd = summary_cols;
    int att_col = col_of(&bt, cd, "attendance_rate"), branch_col = col_of(&bt, cd, "branch");
    freeze_ids(&bt, cd);
    size_t nb = b->ds->nbranches;
    /* branches in name order, as findings.csv */
    for (size_t k = 0; k < nb; k++) {
        int br = b->fx->branch_order[k];
        summary_row(w, &bt, &b->fx->branch[br], br, (int)k + 1);
    }
    if (nb) summary_row(w, &bt, &b->fx->unit, -1, 0);
    /* red: a member failed the assessment; amber: not every dues month on time and in full */
    rmark *m = mark(w, &bt, cd, "fail", RMARK_ABOVE, RTONE_BAD);
    if (m) m->value = 0;
    if ((m = mark(w, &bt, cd, "dues_rate", RMARK_BELOW, RTONE_WARN))) m->value = 1;

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

/* Meetings of the period, by date (then branch name, id), in the document's arena. */
static int *period_meetings(wctx *w, int *n)
{
    build_ctx *b = w->b;
    int *v = rdoc_alloc(w->d, sizeof(int) * (b->ds->nmeetings ? b->ds->nmeetings : 1));
    *n = 0;
    for (size_t k = 0; k < b->ds->nmeetings; k++) {
        const meeting *mt = &b->ds->meetings[k];
        if ((b->fx->mt[k].flags & MT_COUNTED) && facts_in_period(b->fx, mt->date / 100 % 100)) v[(*n)++] = (int)k;
    }
    qsort_r(v, (size_t)*n, sizeof *v, by_date, (void *)b->ds);
    return v;
}

static void fill_meeting(wsrc *s, size_t i)
{
    build_meeting_row(s->b, &s->sd, &s->bt, s->items[i]);
    wsrc_number(s, i);
}

static void sheet_meetings(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    rsection *s = sheet(w, sec, "主题党日");
    const coldef *defs = with_no(w->d, meeting_cols, meeting_ncols);
    btable bt;
    btable_add(b, w->d, s, sec, defs, meeting_ncols + 1, &bt);
    const char *late = build_word(b, "late", "逾期");
    mark_words(w, &bt, defs, "on_time", RTONE_BAD, &late, 1);
    wsrc *src = wsrc_new(w, &bt, defs, fill_meeting);
    int n;
    src->items = period_meetings(w, &n);
    wsrc_start(&bt, src, (size_t)n, 0);
}

/* ---- 输入问题 (问题清单, 整改台账, 预警: build_ledger.c, build_warnings.c) --------------------- */

static void sheet_problems(wctx *w, const char *sec)
{
    rsection *s = sheet(w, sec, "输入问题");
    build_problems_table(w->b, w->d, s, sec);
}

/* ---- member sheets ---------------------------------------------------------------- */

/* Members of the run in branch-name, member_id order who were members in the
   period (only 在职 when active_only), in the document's arena. */
static int *period_members(wctx *w, int active_only, int *n)
{
    const facts *fx = w->b->fx;
    int *v = rdoc_alloc(w->d, sizeof(int) * (w->b->ds->nmembers ? w->b->ds->nmembers : 1));
    *n = 0;
    for (size_t k = 0; k < w->b->ds->nbranches; k++) {
        int br = fx->branch_order[k];
        for (int i = fx->bmem_start[br]; i < fx->bmem_start[br + 1]; i++) {
            int m = fx->bmem[i];
            if (!fx->mf[m].in_period) continue;
            if (active_only && w->b->ds->members[m].category != CAT_ACTIVE) continue;
            v[(*n)++] = m;
        }
    }
    return v;
}

/* The rows of a member sheet: one per member of the run in the period (only 在职
   when active_only), made by fill, then a total row. */
static wsrc *member_rows(wctx *w, const btable *bt, const coldef *defs, void (*fill)(wsrc *, size_t), int active_only)
{
    wsrc *src = wsrc_new(w, bt, defs, fill);
    int n;
    src->items = period_members(w, active_only, &n);
    wsrc_start(bt, src, (size_t)n, 1);
    return src;
}

/* The grid of a half-year or annual run: 序号, branch, member_id, name, one
   column per month, the period's total. */
enum { MG_MONTH = ID_N, MG_TOTAL, MG_N };
static const coldef grid_cols[MG_N] = {ID_COLS, {"month", "", 9, ALIGN_RIGHT}, {"total", "", 9, ALIGN_RIGHT}};

/* What a grid shows (出勤, 党费, 下沉社区). */
struct grid_def {
    const char *month_fmt;                          /* a month column's title: "%d月出席" */
    void (*month)(wsrc *s, rcell *c, int m, int mo); /* member m's month mo, a month m was a member */
    void (*total)(wsrc *s, rcell *c, int m);         /* m's total; m < 0: the unit's, in the total row */
    int sum_left;                                    /* the total column sums the months (=SUM) */
    int active_only;                                 /* 在职 members only: the rule's audience */
};

/* The grid's table: bt.col holds grid_cols indexes (MG_MONTH for every month). */
static btable grid_table(wctx *w, rsection *s, const char *sec, const char *month_fmt)
{
    build_ctx *b = w->b;
    int nmonths = w->last - w->first + 1;
    btable bt = {0};
    bt.n = ID_N + nmonths + 1;
    bt.t = rsec_add_table(w->d, s, bt.n);
    for (int i = 0; i < ID_N; i++) {
        bt.col[i] = i;
        rtable_col(w->d, bt.t, i, tmpl_get(&b->tmpl, "columns", grid_cols[i].key, grid_cols[i].title),
                   grid_cols[i].width, grid_cols[i].align);
    }
    for (int mo = w->first; mo <= w->last; mo++) {
        char t[32];
        snprintf(t, sizeof t, month_fmt, mo);
        bt.col[ID_N + mo - w->first] = MG_MONTH;
        rtable_col(w->d, bt.t, ID_N + mo - w->first, t, 9, ALIGN_RIGHT);
    }
    bt.col[bt.n - 1] = MG_TOTAL;
    rtable_col(w->d, bt.t, bt.n - 1, tmpl_get(&b->tmpl, sec, "total_title", "合计"), 9, ALIGN_RIGHT);
    bt.t->empty_text = "无";
    bt.t->freeze_cols = ID_N;
    return bt;
}

/* 序号, branch, member_id, name of member m. */
static rcell *grid_row(wsrc *s, size_t i)
{
    const member *mb = &s->b->ds->members[s->items[i]];
    rcell *row = wsrc_add(s);
    for (int k = 0; k < ID_N; k++) id_cell(s, &row[k], k, i, mb);
    return row;
}

/* Row i of a grid, or its total row (i >= n): the kind's cells, and the word of
   not_member in a month the member was not one. */
static void fill_grid(wsrc *s, size_t i)
{
    const grid_def *g = s->grid;
    int total = s->one.ncols - 1;
    if (i >= s->n) {
        g->total(s, &total_row(s)[total], -1);
        return;
    }
    int m = s->items[i];
    rcell *row = grid_row(s, i);
    for (int mo = s->first; mo <= s->last; mo++) {
        rcell *c = &row[ID_N + mo - s->first];
        if (!(facts_mm(s->b->fx, m, mo)->flags & MM_MEMBER)) rcell_ref(c, build_word(s->b, "not_member", "—"));
        else g->month(s, c, m, mo);
    }
    g->total(s, &row[total], m);
}

/* 出勤: present / held at the month's whole-branch meetings with sign-ins; the rate. */
static void attendance_month(wsrc *s, rcell *c, int m, int mo)
{
    const member_month *x = facts_mm(s->b->fx, m, mo);
    int held = facts_held(s->b->fx, m, mo);
    if (!held) {
        rcell_ref(c, "");
        return;
    }
    c->type = CELL_TEXT;
    c->text = rdoc_printf(&s->sd, "%d/%d", x->present, held);
    if ((x->found >> R_AT_ABSENT & 1) || (x->found >> R_AT_LEADER & 1)) c->emph = EMPH_FINDING;
}

static void attendance_total(wsrc *s, rcell *c, int m)
{
    const facts *fx = s->b->fx;
    if (m < 0) { /* the unit's rate */
        if (fx->unit.att_expected) rcell_percent(&s->sd, c, facts_rate(fx->unit.att_present, fx->unit.att_expected), 1);
        c->emph = EMPH_STRONG;
    } else if (fx->mf[m].held) {
        rcell_percent(&s->sd, c, facts_rate(fx->mf[m].present, fx->mf[m].held), 1);
    }
}

/* 党费: paid in the month, red when unpaid, short or late (not the amount alone). */
static void dues_month(wsrc *s, rcell *c, int m, int mo)
{
    rcell_money(&s->sd, c, (long)facts_mm(s->b->fx, m, mo)->paid);
    if (dues_state_bad(facts_dues_state(s->b->fx, m, mo))) c->emph = EMPH_FINDING;
}

static void dues_total(wsrc *s, rcell *c, int m)
{
    const facts *fx = s->b->fx;
    if (m < 0) {
        sum_money(&s->sd, c, (long)fx->unit.dues_paid);
        return;
    }
    rcell_money(&s->sd, c, (long)fx->mf[m].dues_paid);
    c->calc = RCALC_SUM_LEFT;
}

/* 下沉社区: confirmed hours, an exemption's type in a month without any. */
static void service_month(wsrc *s, rcell *c, int m, int mo)
{
    const member_month *x = facts_mm(s->b->fx, m, mo);
    const exemption *ex = facts_exemption(s->b->fx, m, mo);
    if (ex && x->svc_centi == 0) {
        rcell_ref(c, ex->type);
        return;
    }
    rcell_hours(&s->sd, c, x->svc_centi / 100.0);
    if (x->found >> R_CS_MONTH & 1) c->emph = EMPH_FINDING; /* fewer records than the month's minimum */
}

static void service_total(wsrc *s, rcell *c, int m)
{
    const facts *fx = s->b->fx;
    if (m < 0) {
        sum_hours(&s->sd, c, fx->unit.svc_centi / 100.0);
        return;
    }
    const member_facts *st = &fx->mf[m];
    rcell_hours(&s->sd, c, st->svc_centi / 100.0);
    c->calc = RCALC_SUM_LEFT;
    if (st->found & (1u << R_CS_HOURS | 1u << R_CS_COUNT)) c->emph = EMPH_FINDING;
}

static const grid_def attendance_grid = {"%d月出席", attendance_month, attendance_total, 0, 0};
static const grid_def dues_grid = {"%d月实交", dues_month, dues_total, 1, 0};
static const grid_def service_grid = {"%d月小时", service_month, service_total, 1, 1};

static void grid_sheet(wctx *w, rsection *s, const char *sec, const grid_def *g)
{
    btable bt = grid_table(w, s, sec, g->month_fmt);
    if (g->sum_left) bt.t->cols[bt.n - 1].sum_left = w->last - w->first + 1;
    member_rows(w, &bt, grid_cols, fill_grid, g->active_only)->grid = g; /* before any row: the renderer asks later */
}

/* A member area's sheet (出勤, 党费, 下沉社区): one month's rows, else the grid of the period. */
static void area_sheet(wctx *w, const char *sec, const char *def_name, const grid_def *g,
                       void (*month_rows)(wctx *, rsection *, const char *))
{
    rsection *s = sheet(w, sec, def_name);
    if (w->first == w->last) month_rows(w, s, sec);
    else grid_sheet(w, s, sec, g);
}

/* A one-month sheet of a shared row builder's columns and 序号 (with_no): its table, the
   identifying columns frozen; returns the columns' definitions. */
static const coldef *month_table(wctx *w, rsection *s, const char *sec, const coldef *cols, int ncols, btable *bt)
{
    const coldef *defs = with_no(w->d, cols, ncols);
    btable_add(w->b, w->d, s, sec, defs, ncols + 1, bt);
    freeze_ids(bt, defs);
    return defs;
}

/* Row i of a one-month sheet: member items[i] by a shared row builder, numbered. */
static void month_row(wsrc *s, size_t i, void (*row)(build_ctx *, rdoc *, btable *, int, int))
{
    row(s->b, &s->sd, &s->bt, s->items[i], ym(s->year, s->last));
    wsrc_number(s, i);
}

/* ---- 党费 ------------------------------------------------------------------------- */

static void fill_dues(wsrc *s, size_t i)
{
    if (i < s->n) {
        month_row(s, i, build_dues_row);
        return;
    }
    rcell *row = total_row(s);
    int due = wcol(s, "due"), paid = wcol(s, "paid");
    if (due > 0) sum_money(&s->sd, &row[due], (long)s->b->fx->unit.dues_due);
    if (paid > 0) sum_money(&s->sd, &row[paid], (long)s->b->fx->unit.dues_paid);
}

/* One month: a row per member with due, paid, date, status. */
static void dues_rows(wctx *w, rsection *s, const char *sec)
{
    build_ctx *b = w->b;
    btable bt;
    const coldef *defs = month_table(w, s, sec, dues_cols, dues_ncols, &bt);
    /* red: less paid than due (unpaid, short); the word: red, amber when only late */
    mark_below_col(w, &bt, defs, "paid", "due");
    const char *bad[] = {dues_word(b, DUES_UNPAID), dues_word(b, DUES_SHORT), dues_word(b, DUES_SHORT_LATE)};
    const char *late = dues_word(b, DUES_LATE);
    mark_words(w, &bt, defs, "status", RTONE_BAD, bad, 3);
    mark_words(w, &bt, defs, "status", RTONE_WARN, &late, 1);
    member_rows(w, &bt, defs, fill_dues, 0);
}

/* ---- 出勤 ------------------------------------------------------------------------- */

enum { AT_DATE = ID_N, AT_KIND, AT_MEETING, AT_STATUS, AT_REASON, AT_N };
static const coldef attendance_cols[AT_N] = {
    ID_COLS, {"date", "日期", 11, ALIGN_CENTER},
    {"kind", "类型", 12, ALIGN_LEFT}, {"meeting_id", "活动编号", 14, ALIGN_LEFT},
    {"status", "出勤", 10, ALIGN_CENTER}, {"reason", "请假事由", 20, ALIGN_LEFT},
};

/* One month's row: member items2[i] at meeting items[i]. */
static void fill_attendance(wsrc *s, size_t i)
{
    const build_ctx *b = s->b;
    int k = s->items[i], m = s->items2[i];
    const meeting *mt = &b->ds->meetings[k];
    const member *mb = &b->ds->members[m];
    const attendance *a;
    attendance_status st = facts_attendance(b->fx, k, m, &a);
    rcell *row = wsrc_add(s);
    for (int x = 0; x < s->bt.n; x++) {
        rcell *c = &row[x];
        if (id_cell(s, c, s->bt.col[x], i, mb)) continue;
        switch (s->bt.col[x]) {
        case AT_DATE: rcell_date(&s->sd, c, mt->date); break;
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

/* One month: a row per member of the month and whole-branch meeting with sign-ins, with the
   status (the meetings without any sign-in count for nobody, Settled 5). */
static void attendance_rows(wctx *w, rsection *s, const char *sec)
{
    build_ctx *b = w->b;
    const facts *fx = b->fx;
    btable bt;
    btable_add(b, w->d, s, sec, attendance_cols, AT_N, &bt);
    freeze_ids(&bt, attendance_cols);
    /* red: absent (marked 缺席, or no row at all) */
    const char *absent[] = {build_word(b, "absent", "缺席"), build_word(b, "no_signin", "无签到记录")};
    mark_words(w, &bt, attendance_cols, "status", RTONE_BAD, absent, 2);
    wsrc *src = wsrc_new(w, &bt, attendance_cols, fill_attendance);
    int n;
    int *v = period_meetings(w, &n);
    size_t cap = 0, rows = 0;
    for (int pass = 0; pass < 2; pass++) { /* count, then list (meeting, member) */
        if (pass == 1) {
            src->items = rdoc_alloc(w->d, sizeof(int) * (cap ? cap : 1));
            src->items2 = rdoc_alloc(w->d, sizeof(int) * (cap ? cap : 1));
        }
        for (int i = 0; i < n; i++) {
            int k = v[i];
            const meeting *mt = &b->ds->meetings[k];
            if (!(fx->mt[k].flags & MT_SIGNED)) continue;
            for (int j = fx->bmem_start[mt->branch]; j < fx->bmem_start[mt->branch + 1]; j++) {
                int m = fx->bmem[j];
                if (!facts_is_member(fx, m, mt->date / 100 % 100)) continue;
                if (pass == 0) {
                    cap++;
                    continue;
                }
                src->items[rows] = k;
                src->items2[rows++] = m;
            }
        }
    }
    wsrc_start(&bt, src, rows, 0);
}

/* ---- 下沉社区 ------------------------------------------------------------------------ */

static void fill_service(wsrc *s, size_t i)
{
    if (i < s->n) {
        month_row(s, i, build_service_row);
        return;
    }
    rcell *row = total_row(s);
    int cn = wcol(s, "month_count"), ch = wcol(s, "month_hours");
    if (cn > 0) sum_int(&s->sd, &row[cn], s->b->fx->unit.svc_n);
    if (ch > 0) sum_hours(&s->sd, &row[ch], s->b->fx->unit.svc_centi / 100.0);
}

/* One month: this month and the year to date, 在职 members. */
static void service_rows(wctx *w, rsection *s, const char *sec)
{
    btable bt;
    const coldef *defs = month_table(w, s, sec, service_cols, service_ncols, &bt);
    member_rows(w, &bt, defs, fill_service, 1);
}

/* ---- 考核结果 (annual) ------------------------------------------------------------- */

static void fill_grade(wsrc *s, size_t i)
{
    build_grade_row(s->b, &s->sd, &s->bt, &s->b->fx->ev[i], (int)i + 1);
}

static void sheet_evaluation(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    if (!b->fx->ev) return;
    rsection *s = sheet(w, sec, "考核结果");
    btable bt;
    btable_add(b, w->d, s, sec, grade_cols, grade_ncols, &bt);
    freeze_ids(&bt, grade_cols);
    const char *fail = grade_name(b->cfg, GRADE_FAIL), *excellent = grade_name(b->cfg, GRADE_EXCELLENT);
    mark_words(w, &bt, grade_cols, "grade", RTONE_BAD, &fail, 1);
    mark_words(w, &bt, grade_cols, "grade", RTONE_GOOD, &excellent, 1);
    wsrc *src = wsrc_new(w, &bt, grade_cols, fill_grade);
    wsrc_start(&bt, src, b->fx->nev, 0);
}

/* ---- 半年汇总 (half-year) --------------------------------------------------------- */

enum { HY_ELIGIBLE = ID_N, HY_COUNT, HY_HOURS, HY_MIN_COUNT, HY_MIN_HOURS, HY_STATUS, HY_N };
static const coldef half_cols[HY_N] = {
    ID_COLS, {"eligible_months", "应服务月数", 10, ALIGN_RIGHT},
    {"count", "确认次数", 9, ALIGN_RIGHT}, {"hours", "确认小时", 9, ALIGN_RIGHT},
    {"min_count", "应达次数", 9, ALIGN_RIGHT}, {"min_hours", "应达小时", 9, ALIGN_RIGHT},
    {"status", "情况", 16, ALIGN_LEFT},
};

static void fill_halfyear(wsrc *s, size_t i)
{
    const build_ctx *b = s->b;
    const facts *fx = b->fx;
    if (i >= s->n) {
        rcell *row = total_row(s);
        int cn = wcol(s, "count"), ch = wcol(s, "hours");
        if (cn > 0) sum_int(&s->sd, &row[cn], fx->unit.svc_n);
        if (ch > 0) sum_hours(&s->sd, &row[ch], fx->unit.svc_centi / 100.0);
        return;
    }
    int m = s->items[i];
    const member *mb = &b->ds->members[m];
    const member_facts *st = &fx->mf[m];
    int short_n = st->found >> R_CS_COUNT & 1, short_h = st->found >> R_CS_HOURS & 1;
    rcell *row = wsrc_add(s);
    for (int x = 0; x < s->bt.n; x++) {
        rcell *c = &row[x];
        if (id_cell(s, c, s->bt.col[x], i, mb)) continue;
        switch (s->bt.col[x]) {
        case HY_ELIGIBLE: rcell_int(&s->sd, c, st->eligible); break;
        case HY_COUNT: rcell_int(&s->sd, c, st->svc_n); if (short_n) c->emph = EMPH_FINDING; break;
        case HY_HOURS: rcell_hours(&s->sd, c, st->svc_centi / 100.0); if (short_h) c->emph = EMPH_FINDING; break;
        case HY_MIN_COUNT: rcell_int(&s->sd, c, st->min_n); break;
        case HY_MIN_HOURS: rcell_hours(&s->sd, c, st->min_centi / 100.0); break;
        case HY_STATUS:
            rcell_ref(c, service_word(b, st->eligible > 0, !short_n && !short_h));
            if (short_n || short_h) c->emph = EMPH_FINDING;
            break;
        }
    }
}

static void sheet_halfyear(wctx *w, const char *sec)
{
    build_ctx *b = w->b;
    if (b->fx->period.kind != RUN_HALFYEAR) return;
    rsection *s = sheet(w, sec, "半年汇总");
    btable bt;
    btable_add(b, w->d, s, sec, half_cols, HY_N, &bt);
    freeze_ids(&bt, half_cols);
    /* red: below the period's minimum (CS-COUNT, CS-HOURS) */
    mark_below_col(w, &bt, half_cols, "count", "min_count");
    mark_below_col(w, &bt, half_cols, "hours", "min_hours");
    const char *short_word = service_word(b, 1, 0);
    mark_words(w, &bt, half_cols, "status", RTONE_BAD, &short_word, 1);
    member_rows(w, &bt, half_cols, fill_halfyear, 1);
}

/* ---- the document ------------------------------------------------------------------- */

static void add_sheet(const char *name, void *vp)
{
    wctx *w = vp;
    if (!strcmp(name, "summary")) sheet_summary(w, name);
    else if (!strcmp(name, "meetings")) sheet_meetings(w, name);
    else if (!strcmp(name, "attendance")) area_sheet(w, name, "出勤", &attendance_grid, attendance_rows);
    else if (!strcmp(name, "dues")) area_sheet(w, name, "党费", &dues_grid, dues_rows);
    else if (!strcmp(name, "service")) area_sheet(w, name, "下沉社区", &service_grid, service_rows);
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
    d->workbook_font = rdoc_strdup(d, tmpl_get(&b->tmpl, "document", "font", "等线"));
    w.total = rdoc_strdup(d, tmpl_get(&b->tmpl, "document", "total_label", "合计"));
    tmpl_list(&b->tmpl, "document", "sheets",
              "summary, meetings, attendance, dues, service, evaluation, halfyear, warnings, findings, ledger, problems", add_sheet, &w);
    return d;
}
