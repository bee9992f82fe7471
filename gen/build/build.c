/* build.c — see build.h. */
#include "build/build.h"
#include "base/dates.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int build_init(build_ctx *b, const build_input *in, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->ds = in->ds;
    b->cfg = in->cfg;
    b->fx = in->fx;
    b->probs = in->probs;
    b->templates_dir = in->templates_dir;
    b->ledger = in->ledger;
    b->warnings = in->warnings;
    b->rect = in->rect;
    if (template_load(&b->wording, in->templates_dir, "wording.ini", err, errlen)) return -1;
    b->organization = b->cfg->organization;
    return 0;
}

void build_free(build_ctx *b)
{
    template_free(&b->wording);
    template_free(&b->tmpl);
    memset(b, 0, sizeof *b);
}

int build_template(build_ctx *b, const char *dir, const char *name, char *err, size_t errlen)
{
    template_free(&b->tmpl);
    return template_load(&b->tmpl, dir, name, err, errlen);
}

const char *branch_organization(const build_ctx *b, int branch)
{
    if (b->organization && b->organization[0]) return b->organization;
    return b->ds->branches[branch].unit;
}

const char *period_date_iso(const run_period *p, char *buf, size_t n)
{
    int ym = p->year * 100 + p->last_month;
    return fmt_date(month_last_day(ym), buf, n);
}

const char *period_date_cn(const run_period *p, char *buf, size_t n)
{
    int d = month_last_day(p->year * 100 + p->last_month);
    snprintf(buf, n, "%d年%d月%d日", d / 10000, d / 100 % 100, d % 100);
    return buf;
}

void build_vars(const build_ctx *b, tvars *v, int branch)
{
    const run_period *p = &b->fx->period;
    char buf[64];
    v->n = 0;
    tvars_set(v, "year", "%d", p->year);
    tvars_set(v, "month", "%d", p->last_month);
    tvars_set(v, "first_month", "%d", p->first_month);
    tvars_set(v, "period", "%s", p->label);
    tvars_set(v, "half", "%s", p->half == 1 ? "上半年" : "下半年");
    /* the period in words for titles and text: never 2022-H2 where people read */
    if (p->kind == RUN_MONTHLY) tvars_set(v, "period_name", "%d年%d月", p->year, p->last_month);
    else if (p->kind == RUN_HALFYEAR) tvars_set(v, "period_name", "%d年%s", p->year, p->half == 1 ? "上半年" : "下半年");
    else tvars_set(v, "period_name", "%d年度", p->year);
    tvars_set(v, "date", "%s", period_date_cn(p, buf, sizeof buf));
    tvars_set(v, "organization", "%s", b->organization && b->organization[0] ? b->organization : "");
    if (branch >= 0) {
        tvars_set(v, "branch", "%s", b->ds->branches[branch].name);
        tvars_set(v, "unit", "%s", b->ds->branches[branch].unit);
        tvars_set(v, "organization", "%s", branch_organization(b, branch));
    }
}

/* ---- tables --------------------------------------------------------------- */

typedef struct {
    const coldef *defs;
    int ndefs;
    btable *bt;
} pick_ctx;

static void pick(const char *item, void *vp)
{
    pick_ctx *p = vp;
    for (int i = 0; i < p->ndefs && p->bt->n < MAX_COLS; i++)
        if (!strcmp(item, p->defs[i].key)) p->bt->col[p->bt->n++] = i;
}

/* A column title as the template writes it: `\n` (backslash, n) starts a new line of
   the header, so a secretary decides where a long title breaks (确认\n次数). */
static const char *title_lines(rdoc *d, const char *t)
{
    if (!t || !strstr(t, "\\n")) return t;
    char *out = rdoc_alloc(d, strlen(t) + 1), *o = out;
    for (const char *p = t; *p; p++) {
        if (p[0] == '\\' && p[1] == 'n') *o++ = '\n', p++;
        else *o++ = *p;
    }
    *o = 0;
    return out;
}

void btable_add(build_ctx *b, rdoc *d, rsection *s, const char *section, const coldef *defs, int ndefs,
                btable *bt)
{
    btable_add_cols(b, d, s, section, NULL, defs, ndefs, bt);
}

void btable_add_cols(build_ctx *b, rdoc *d, rsection *s, const char *section, const char *def_columns,
                     const coldef *defs, int ndefs, btable *bt)
{
    memset(bt, 0, sizeof *bt);
    pick_ctx p = {defs, ndefs, bt};
    tmpl_list(&b->tmpl, section, "columns", def_columns, pick, &p);
    if (bt->n == 0)
        for (int i = 0; i < ndefs && i < MAX_COLS; i++) bt->col[bt->n++] = i;
    bt->t = rsec_add_table(d, s, bt->n);
    for (int i = 0; i < bt->n; i++) {
        const coldef *c = &defs[bt->col[i]];
        rtable_col(d, bt->t, i, title_lines(d, tmpl_get(&b->tmpl, "columns", c->key, c->title)), c->width, c->align);
    }
    const char *cap = tmpl_get(&b->tmpl, section, "caption", NULL);
    if (cap) bt->t->caption = rdoc_strdup(d, cap);
    bt->t->empty_text = rdoc_strdup(d, tmpl_get(&b->tmpl, section, "empty", "无"));
}

rcell *btable_row(rdoc *d, btable *bt) { return rtable_add_row(d, bt->t); }

rcell *btable_total_row(rdoc *d, btable *bt, const char *label, const int *label_cols, int nlabel)
{
    if (!bt->t->nrows) return NULL;
    rcell *row = btable_row(d, bt);
    int done = 0;
    for (int x = 0; x < bt->n; x++) {
        row[x].emph = EMPH_STRONG;
        for (int k = 0; k < nlabel && !done; k++)
            if (bt->col[x] == label_cols[k]) rcell_text(d, &row[x], label), done = 1;
    }
    return row;
}

void build_doc_head(build_ctx *b, rdoc *d, const tvars *v, const char *title_def, const char *author)
{
    char date[16];
    d->title = tmpl_text(d, &b->tmpl, "document", "title", title_def, v);
    d->subtitle = tmpl_text(d, &b->tmpl, "document", "subtitle", NULL, v);
    d->subject = tmpl_text(d, &b->tmpl, "document", "subject", "", v);
    d->footer = tmpl_text(d, &b->tmpl, "document", "footer", NULL, v);
    d->cut_note = tmpl_text(d, &b->tmpl, "document", "cut_note", NULL, v);
    d->author = rdoc_strdup(d, author);
    d->date = rdoc_strdup(d, period_date_iso(&b->fx->period, date, sizeof date));
}

rsection *build_new_section(build_ctx *b, rdoc *d, const char *name)
{
    rsection *s = rdoc_add_section(d, NULL);
    s->page_break = atoi(tmpl_get(&b->tmpl, name, "page_break", "0")) != 0;
    s->landscape = atoi(tmpl_get(&b->tmpl, name, "landscape", "0")) != 0;
    return s;
}

/* 1 when a heading's text starts with a Chinese numeral and 、 (一、 … 十九、). */
static int numbered(const char *t)
{
    static const char *const numerals[] = {"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"};
    int k = 0, more = 1;
    while (more) {
        more = 0;
        for (size_t i = 0; i < sizeof numerals / sizeof *numerals; i++)
            if (!strncmp(t, numerals[i], 3)) {
                t += 3, k++, more = 1;
                break;
            }
    }
    return k > 0 && !strncmp(t, "、", strlen("、"));
}

/* The Chinese numeral of n (1..99): 一 … 十, 十一 … 九十九. */
static void cn_number(int n, char *buf, size_t cap)
{
    static const char *const d[10] = {"", "一", "二", "三", "四", "五", "六", "七", "八", "九"};
    if (n < 1 || n > 99) snprintf(buf, cap, "%d", n);
    else if (n < 10) snprintf(buf, cap, "%s", d[n]);
    else snprintf(buf, cap, "%s十%s", n / 10 == 1 ? "" : d[n / 10], d[n % 10]);
}

void build_heading(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v)
{
    const char *ht = tmpl_get(&b->tmpl, section, "heading", NULL);
    const char *h = NULL;
    if (ht && strstr(ht, "{no}")) {
        /* {no}: the next number of the document's 一、 headings, so a section that
           only some documents have (数据问题) is numbered after those before it */
        int k = 0;
        for (size_t i = 0; i < d->nsections; i++)
            for (size_t j = 0; j < d->sections[i].nblocks; j++) {
                const rblock *x = &d->sections[i].blocks[j];
                if (x->kind == BLK_HEADING && x->level == 1 && numbered(x->text)) k++;
            }
        tvars w = *v;
        char no[16];
        cn_number(k + 1, no, sizeof no);
        tvars_set(&w, "no", "%s", no);
        h = tmpl_expand(d, ht, &w);
    } else if (ht) {
        h = tmpl_expand(d, ht, v);
    }
    if (h && *h) rsec_add_heading(d, s, atoi(tmpl_get(&b->tmpl, section, "level", "1")), h);
}

int build_section_head(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v)
{
    build_heading(b, d, s, section, v);
    const char *intro = tmpl_text(d, &b->tmpl, section, "intro", NULL, v);
    if (intro && *intro) rsec_add_paragraph(d, s, intro);
    return 1;
}

void build_section_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v, const coldef *defs,
                         int ndefs, btable *bt)
{
    build_section_head(b, d, s, section, v);
    btable_add(b, d, s, section, defs, ndefs, bt);
}

void build_section_empty(build_ctx *b, rdoc *d, rsection *s, const char *section, const rtable *t, const tvars *v)
{
    if (!t || t->nrows || !tmpl_has(&b->tmpl, section, "intro_empty")) return;
    const char *e = tmpl_text(d, &b->tmpl, section, "intro_empty", "", v);
    for (size_t j = 0; j < s->nblocks; j++) {
        rblock *x = &s->blocks[j];
        if (x->kind == BLK_TABLE) break; /* the intro is above the table */
        if (x->kind != BLK_PARAGRAPH) continue;
        if (*e) {
            x->text = e;
        } else {
            memmove(x, x + 1, (s->nblocks - j - 1) * sizeof *x);
            s->nblocks--;
        }
        return;
    }
    if (*e) { /* no intro: the sentence goes before the table */
        rsec_add_paragraph(d, s, e);
        rblock last = s->blocks[s->nblocks - 1];
        size_t at = 0;
        while (at < s->nblocks - 1 && s->blocks[at].kind == BLK_HEADING) at++;
        memmove(&s->blocks[at + 1], &s->blocks[at], (s->nblocks - 1 - at) * sizeof last);
        s->blocks[at] = last;
    }
}

void build_signature(build_ctx *b, rdoc *d, rsection *s, const tvars *v)
{
    rsignature *sig = rsec_add_signature(d, s);
    int any = 0;
    for (int i = 1; i <= 9; i++) {
        char key[16];
        snprintf(key, sizeof key, "line%d", i);
        const char *line = tmpl_text(d, &b->tmpl, "signature", key, NULL, v);
        if (line) {
            rsig_add(d, sig, line);
            any = 1;
        }
    }
    if (!any) {
        rsig_add(d, sig, "支部书记（签字）：＿＿＿＿＿＿＿＿");
        rsig_add(d, sig, "年　　月　　日");
    }
}

const char *finding_text(build_ctx *b, rdoc *d, const finding *f)
{
    char buf[1024];
    return rdoc_strdup(d, finding_detail(b->ds, b->cfg, f, buf, sizeof buf));
}

enum { FC_NO, FC_CODE, FC_DESC, FC_BRANCH, FC_MEMBER_ID, FC_NAME, FC_PERIOD, FC_DETAIL, FC_SOURCE, FC_FIX, FC_N };
/* PDF widths, in units of about four characters of a table's type (1.0 ≈ a
   four-character title on one line; a portrait table holds about 9 units): 序号, a
   name and a time (12月13日主题党日; a meeting's day and kind on two lines, see
   finding_row) on one line, a rule's words in two, room to write the 整改情况. */
static const coldef finding_cols[FC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER}, {"code", "代码", 1.3, ALIGN_LEFT},
    {"description", "问题", 2.0, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"period", "时间", 1.9, ALIGN_LEFT}, {"detail", "详情", 2.6, ALIGN_LEFT},
    {"source", "依据", 2.4, ALIGN_LEFT}, {"fix", "整改情况", 1.2, ALIGN_LEFT},
};

/* One row of a findings table: the cells of finding f, number no.  In a PDF (print) a
   meeting's time is its day and kind on two lines (9月6日 / 支部党员大会): a narrow
   column then never breaks the kind's name. */
static void finding_row(build_ctx *b, rdoc *d, const btable *bt, rcell *row, const finding *f, int no, int print)
{
    const member *m = f->member >= 0 ? &b->ds->members[f->member] : NULL;
    for (int i = 0; i < bt->n; i++) {
        rcell *c = &row[i];
        switch (bt->col[i]) {
        case FC_NO: rcell_int(d, c, no); break;
        case FC_CODE: rcell_ref(c, rule_code_name(f->rule)); break;
        case FC_DESC: rcell_ref(c, rule_description(b, f->rule)); c->emph = EMPH_FINDING; break;
        case FC_BRANCH: rcell_ref(c, b->ds->branches[f->branch].name); break;
        case FC_MEMBER_ID: rcell_ref(c, m ? m->id : ""); break;
        case FC_NAME: rcell_ref(c, m ? m->name : ""); break;
        case FC_PERIOD:
            if (print && f->meeting >= 0) {
                const meeting *mt = &b->ds->meetings[f->meeting];
                rcell_ref(c, rdoc_printf(d, "%d月%d日\n%s", mt->date / 100 % 100, mt->date % 100, meeting_kind_name(mt->kind)));
            } else {
                rcell_ref(c, finding_when(b, d, f));
            }
            break;
        case FC_DETAIL: rcell_ref(c, finding_text(b, d, f)); break;
        case FC_SOURCE: rcell_ref(c, rule_source(b, f->rule)); break;
        case FC_FIX: rcell_ref(c, ""); break;
        }
    }
}

void build_findings_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const finding *v, int n,
                          int with_code)
{
    btable bt;
    btable_add(b, d, s, section, finding_cols, FC_N, &bt);
    if (!with_code) { /* a rule is named by its words, never its code, outside the workbook */
        int k = 0;
        for (int i = 0; i < bt.n; i++)
            if (bt.col[i] != FC_CODE) bt.col[k] = bt.col[i], bt.t->cols[k++] = bt.t->cols[i];
        bt.n = bt.t->ncols = k;
    }
    /* a rule's words in lines of 8 characters in portrait, 14 in landscape (where a
       unit is wider): none of wording.ini's names then leaves one character alone on
       a line; the detail keeps 16 characters a line */
    if (s->landscape)
        for (int i = 0; i < bt.n; i++) {
            if (bt.col[i] == FC_DESC) bt.t->cols[i].width = 2.35;
            if (bt.col[i] == FC_DETAIL) bt.t->cols[i].width = 2.8;
        }
    for (int k = 0; k < n; k++) finding_row(b, d, &bt, btable_row(d, &bt), &v[k], k + 1, !with_code);
}

enum { PC_NO, PC_SEV, PC_FILE, PC_LINE, PC_COLUMN, PC_MESSAGE, PC_N };
static const coldef problem_cols[PC_N] = {
    {"no", "序号", 0.5, ALIGN_CENTER},
    {"severity", "类别", 0.7, ALIGN_CENTER}, {"file", "文件", 1.3, ALIGN_LEFT},
    {"line", "行", 0.6, ALIGN_RIGHT}, {"column", "列", 1.1, ALIGN_LEFT},
    {"message", "问题", 5.0, ALIGN_LEFT},
};

void build_problems_table(build_ctx *b, rdoc *d, rsection *s, const char *section)
{
    static const char *const sev[] = {"警告", "错误（已跳过）", "文件错误"};
    btable bt;
    btable_add(b, d, s, section, problem_cols, PC_N, &bt);
    /* the workbook: errors red, warnings amber (conditional formats, report.h) */
    for (int i = 0; i < bt.n; i++)
        if (bt.col[i] == PC_SEV) {
            rmark *m = rtable_add_mark(d, bt.t, i, RMARK_TEXT_IS, RTONE_BAD);
            rmark_add_text(d, m, sev[1]);
            rmark_add_text(d, m, sev[2]);
            rmark_add_text(d, rtable_add_mark(d, bt.t, i, RMARK_TEXT_IS, RTONE_WARN), sev[0]);
        }
    for (size_t k = 0; k < b->probs->n; k++) {
        const problem *p = &b->probs->v[k];
        rcell *row = btable_row(d, &bt);
        for (int i = 0; i < bt.n; i++) {
            rcell *c = &row[i];
            switch (bt.col[i]) {
            case PC_NO: rcell_int(d, c, (long)k + 1); break;
            case PC_SEV:
                rcell_ref(c, sev[p->sev == PROB_WARNING ? 0 : p->sev == PROB_ERROR ? 1 : 2]);
                if (p->sev != PROB_WARNING) c->emph = EMPH_FINDING;
                break;
            case PC_FILE: rcell_text(d, c, p->file); break;
            case PC_LINE: if (p->line > 0) rcell_int(d, c, p->line); break;
            case PC_COLUMN: rcell_text(d, c, p->column ? p->column : ""); break;
            case PC_MESSAGE: rcell_text(d, c, p->message); break;
            }
        }
    }
}

/* ---- 数据问题 (SPEC item 20) ------------------------------------------------ */

/* 1 when input problem p concerns branch br (-1: the unit, every problem).  A row's
   problem concerns the branch its row belongs to (problem.group); a problem of no
   branch of the run (file-level, an unknown id, a branch no member row reads) is
   shown in every document, so none is hidden. */
static int problem_concerns(const build_ctx *b, const problem *p, int br)
{
    if (br < 0 || !p->group) return 1;
    int g = dataset_branch(b->ds, p->group);
    return g < 0 || g == br;
}

/* "dues.csv 第138行：month：警告：…" or "meetings.csv 第5行：日期：…（此行已跳过）" */
static const char *problem_line(const build_ctx *b, rdoc *d, const problem *p)
{
    char where[512];
    if (p->line > 0) snprintf(where, sizeof where, "%s 第%d行：", p->file, p->line);
    else snprintf(where, sizeof where, "%s：", p->file);
    return rdoc_printf(d, "%s%s%s%s%s%s", where, p->column ? p->column : "", p->column ? "：" : "",
                       p->sev == PROB_WARNING ? build_word(b, "data_warning", "警告：") : "", p->message,
                       p->sev == PROB_ERROR ? build_word(b, "data_skipped_mark", "（此行已跳过）") : "");
}

enum { DP_NO, DP_PROBLEM, DP_N };
static const coldef data_problem_cols[DP_N] = {
    {"no", "序号", 0.7, ALIGN_CENTER}, {"problem", "数据问题", 8.5, ALIGN_LEFT},
};

void build_data_problems(build_ctx *b, rdoc *d, rsection *s, const char *section, int branch, const tvars *v)
{
    size_t errors = 0, warnings = 0;
    for (size_t k = 0; k < b->probs->n; k++) {
        const problem *p = &b->probs->v[k];
        if (!problem_concerns(b, p, branch)) continue;
        if (p->sev == PROB_WARNING) warnings++;
        else errors++;
    }
    if (!errors && !warnings) return; /* nothing to say: no section at all */
    tvars w = *v;
    char parts[512] = "", part[256];
    tvars t;
    t.n = 0;
    if (errors) {
        tvars_set(&t, "n", "%zu", errors);
        tmpl_expand_buf(build_word(b, "data_skipped", "{n}行有错误，已跳过，未计入本报告"), &t, part, sizeof part);
        snprintf(parts, sizeof parts, "%s", part);
    }
    if (warnings) {
        tvars_set(&t, "n", "%zu", warnings);
        tmpl_expand_buf(build_word(b, "data_warned", "{n}处警告，数据已保留并按说明处理"), &t, part, sizeof part);
        size_t o = strlen(parts);
        snprintf(parts + o, sizeof parts - o, "%s%s", o ? "；" : "", part);
    }
    tvars_set(&w, "problems", "%zu", errors + warnings);
    tvars_set(&w, "problems_parts", "%s", parts);
    btable bt;
    build_section_table(b, d, s, section, &w, data_problem_cols, DP_N, &bt);
    int no = 0;
    for (size_t k = 0; k < b->probs->n; k++) {
        const problem *p = &b->probs->v[k];
        if (!problem_concerns(b, p, branch)) continue;
        rcell *row = btable_row(d, &bt);
        no++;
        for (int i = 0; i < bt.n; i++) {
            switch (bt.col[i]) {
            case DP_NO: rcell_int(d, &row[i], no); break;
            case DP_PROBLEM:
                rcell_ref(&row[i], problem_line(b, d, p));
                if (p->sev != PROB_WARNING) row[i].emph = EMPH_FINDING;
                break;
            }
        }
    }
}

enum { GC_NO, GC_BRANCH, GC_MEMBER_ID, GC_NAME, GC_CATEGORY, GC_SCORE, GC_GRADE, GC_RANK, GC_ATT, GC_DUES, GC_SVC,
       GC_REASONS, GC_N };
const int grade_ncols = GC_N;
const coldef grade_cols[GC_N] = {
    {"no", "序号", 0.6, ALIGN_CENTER}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.8, ALIGN_LEFT},
    {"category", "类别", 0.8, ALIGN_CENTER}, {"score", "得分", 0.7, ALIGN_RIGHT},
    {"grade", "等次", 0.8, ALIGN_CENTER}, {"rank", "排名", 0.7, ALIGN_CENTER},
    {"attendance", "出勤", 0.7, ALIGN_RIGHT}, {"dues", "党费", 0.7, ALIGN_RIGHT},
    {"service", "下沉", 0.7, ALIGN_RIGHT}, {"reasons", "评定理由", 4.2, ALIGN_LEFT},
};

void build_grade_row(build_ctx *b, rdoc *d, btable *bt, const evaluation *e, int no)
{
    const member *m = &b->ds->members[e->member];
    rcell *row = btable_row(d, bt);
    char buf[1024], sc[16];
    for (int x = 0; x < bt->n; x++) {
        rcell *c = &row[x];
        switch (bt->col[x]) {
        case GC_NO: rcell_int(d, c, no); break;
        case GC_BRANCH: rcell_ref(c, b->ds->branches[m->branch].name); break;
        case GC_MEMBER_ID: rcell_ref(c, m->id); break;
        case GC_NAME: rcell_ref(c, m->name); break;
        case GC_CATEGORY: rcell_ref(c, category_name(m->category)); break;
        case GC_SCORE:
            rcell_number(d, c, e->score10 / 10.0, 1);
            c->text = rdoc_strdup(d, fmt_score(e->score10, sc, sizeof sc)); /* exact, as evaluation.csv */
            break;
        case GC_GRADE:
            rcell_ref(c, grade_name(b->cfg, e->grade));
            c->emph = e->grade == GRADE_FAIL ? EMPH_FINDING : e->grade == GRADE_EXCELLENT ? EMPH_STRONG : EMPH_NONE;
            break;
        case GC_RANK: c->type = CELL_TEXT; c->text = rdoc_printf(d, "%d/%d", e->rank, e->ranked); break;
        case GC_ATT: rcell_percent(d, c, e->attendance, 1); break;
        case GC_DUES: rcell_percent(d, c, e->dues, 1); break;
        case GC_SVC: rcell_percent(d, c, e->service, 1); break;
        case GC_REASONS: rcell_text(d, c, evaluation_reasons(b, e, buf, sizeof buf)); break;
        }
    }
}
