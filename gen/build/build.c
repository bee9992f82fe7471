/* build.c — see build.h. */
#include "build/build.h"
#include "check/evaluation_text.h"
#include "base/dates.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- indexes ----------------------------------------------------------- */

typedef int (*key_fn)(const build_ctx *b, int item);

/* Counting sort of n items by key (0..nkeys), stable, into a CSR. */
static void csr(int nkeys, int n, const build_ctx *b, key_fn key, int **start, int **items)
{
    *start = xcalloc((size_t)nkeys + 1, sizeof(int));
    *items = xmalloc(sizeof(int) * (size_t)(n ? n : 1));
    for (int i = 0; i < n; i++) (*start)[key(b, i) + 1]++;
    for (int k = 0; k < nkeys; k++) (*start)[k + 1] += (*start)[k];
    int *fill = xcalloc((size_t)nkeys + 1, sizeof(int));
    for (int i = 0; i < n; i++) {
        int k = key(b, i);
        (*items)[(*start)[k] + fill[k]++] = i;
    }
    free(fill);
}

static int key_member_branch(const build_ctx *b, int i) { return b->ds->members[i].branch; }
static int key_meeting_branch(const build_ctx *b, int i) { return b->ds->meetings[i].branch; }
static int key_finding_branch(const build_ctx *b, int i) { return b->rr->f.v[i].branch; }
static int key_finding_member(const build_ctx *b, int i)
{
    int m = b->rr->f.v[i].member;
    return m >= 0 ? m : (int)b->ds->nmembers; /* branch scope: a last bucket */
}
static int key_payment_member(const build_ctx *b, int i) { return b->ds->pay[i].member; }
static int key_service_member(const build_ctx *b, int i) { return b->ds->svc[i].member; }
static int key_exemption_member(const build_ctx *b, int i) { return b->ds->exm[i].member; }
static int key_attendance_meeting(const build_ctx *b, int i) { return b->ds->att[i].meeting; }

static const build_ctx *sort_b;
static int by_member_id(const void *x, const void *y)
{
    return strcmp(sort_b->ds->members[*(const int *)x].id, sort_b->ds->members[*(const int *)y].id);
}
static int by_meeting_date(const void *x, const void *y)
{
    const meeting *a = &sort_b->ds->meetings[*(const int *)x], *c = &sort_b->ds->meetings[*(const int *)y];
    if (a->date != c->date) return a->date < c->date ? -1 : 1;
    return strcmp(a->id, c->id);
}
static int by_payment_month(const void *x, const void *y)
{
    const payment *a = &sort_b->ds->pay[*(const int *)x], *c = &sort_b->ds->pay[*(const int *)y];
    if (a->month != c->month) return a->month < c->month ? -1 : 1;
    return a->line - c->line;
}
static int by_service_date(const void *x, const void *y)
{
    const service_record *a = &sort_b->ds->svc[*(const int *)x], *c = &sort_b->ds->svc[*(const int *)y];
    if (a->date != c->date) return a->date < c->date ? -1 : 1;
    return a->line - c->line;
}

static void sort_groups(const build_ctx *b, int ngroups, int *start, int *items,
                        int (*cmp)(const void *, const void *))
{
    sort_b = b;
    for (int g = 0; g < ngroups; g++)
        if (start[g + 1] - start[g] > 1)
            qsort(items + start[g], (size_t)(start[g + 1] - start[g]), sizeof(int), cmp);
}

int build_init(build_ctx *b, const build_input *rc, char *err, size_t errlen)
{
    memset(b, 0, sizeof *b);
    b->ds = rc->ds;
    b->cfg = rc->cfg;
    b->rr = rc->rr;
    b->ev = rc->ev;
    b->probs = rc->probs;
    b->templates_dir = rc->templates_dir;
    if (template_load(&b->wording, rc->templates_dir, "wording.ini", err, errlen)) return -1;
    const dataset *ds = b->ds;
    int nb = (int)ds->nbranches, nm = (int)ds->nmembers;
    csr(nb, nm, b, key_member_branch, &b->bm_start, &b->bm);
    sort_groups(b, nb, b->bm_start, b->bm, by_member_id);
    csr(nb, (int)ds->nmeetings, b, key_meeting_branch, &b->bmt_start, &b->bmt);
    sort_groups(b, nb, b->bmt_start, b->bmt, by_meeting_date);
    csr(nb, (int)b->rr->f.n, b, key_finding_branch, &b->bf_start, &b->bf);
    csr(nm + 1, (int)b->rr->f.n, b, key_finding_member, &b->mf_start, &b->mf);
    csr(nm, (int)ds->npay, b, key_payment_member, &b->mp_start, &b->mp);
    sort_groups(b, nm, b->mp_start, b->mp, by_payment_month);
    csr(nm, (int)ds->nsvc, b, key_service_member, &b->ms_start, &b->ms);
    sort_groups(b, nm, b->ms_start, b->ms, by_service_date);
    csr(nm, (int)ds->nexm, b, key_exemption_member, &b->me_start, &b->me);
    csr((int)ds->nmeetings, (int)ds->natt, b, key_attendance_meeting, &b->ma_start, &b->ma);
    b->ev_of = xmalloc(sizeof(int) * (size_t)(nm ? nm : 1));
    for (int i = 0; i < nm; i++) b->ev_of[i] = -1;
    if (b->ev)
        for (size_t i = 0; i < b->ev->n; i++) b->ev_of[b->ev->v[i].member] = (int)i;
    b->organization = b->cfg->organization;
    return 0;
}

void build_free(build_ctx *b)
{
    template_free(&b->wording);
    template_free(&b->tmpl);
    free(b->bm_start); free(b->bm); free(b->bmt_start); free(b->bmt);
    free(b->bf_start); free(b->bf); free(b->mf_start); free(b->mf);
    free(b->mp_start); free(b->mp); free(b->ms_start); free(b->ms);
    free(b->me_start); free(b->me); free(b->ma_start); free(b->ma);
    free(b->ev_of);
    memset(b, 0, sizeof *b);
}

int build_template(build_ctx *b, const char *dir, const char *name, char *err, size_t errlen)
{
    template_free(&b->tmpl);
    return template_load(&b->tmpl, dir, name, err, errlen);
}

/* ---- words ---------------------------------------------------------------- */

const char *rule_description(const build_ctx *b, rule_code r)
{
    return tmpl_get(&b->wording, "rules", rule_code_name(r), rule_code_name(r));
}

const char *rule_source(const build_ctx *b, rule_code r)
{
    return tmpl_get(&b->wording, "sources", rule_code_name(r), "");
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
    const run_period *p = &b->rr->period;
    char buf[64];
    v->n = 0;
    tvars_set(v, "year", "%d", p->year);
    tvars_set(v, "month", "%d", p->last_month);
    tvars_set(v, "first_month", "%d", p->first_month);
    tvars_set(v, "period", "%s", p->label);
    tvars_set(v, "half", "%s", p->half == 1 ? "上半年" : "下半年");
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

void btable_add(build_ctx *b, rdoc *d, rsection *s, const char *section, const coldef *defs, int ndefs,
                btable *bt)
{
    memset(bt, 0, sizeof *bt);
    pick_ctx p = {defs, ndefs, bt};
    tmpl_list(&b->tmpl, section, "columns", NULL, pick, &p);
    if (bt->n == 0)
        for (int i = 0; i < ndefs && i < MAX_COLS; i++) bt->col[bt->n++] = i;
    bt->t = rsec_add_table(d, s, bt->n);
    for (int i = 0; i < bt->n; i++) {
        const coldef *c = &defs[bt->col[i]];
        rtable_col(d, bt->t, i, tmpl_get(&b->tmpl, "columns", c->key, c->title), c->width, c->align);
    }
    const char *cap = tmpl_get(&b->tmpl, section, "caption", NULL);
    if (cap) bt->t->caption = rdoc_strdup(d, cap);
    bt->t->empty_text = rdoc_strdup(d, tmpl_get(&b->tmpl, section, "empty", "无"));
}

rcell *btable_row(rdoc *d, btable *bt) { return rtable_add_row(d, bt->t); }

void build_doc_head(build_ctx *b, rdoc *d, const tvars *v, const char *title_def, const char *author)
{
    char date[16];
    d->title = tmpl_text(d, &b->tmpl, "document", "title", title_def, v);
    d->subtitle = tmpl_text(d, &b->tmpl, "document", "subtitle", NULL, v);
    d->subject = tmpl_text(d, &b->tmpl, "document", "subject", "", v);
    d->footer = tmpl_text(d, &b->tmpl, "document", "footer", NULL, v);
    d->cut_note = tmpl_text(d, &b->tmpl, "document", "cut_note", NULL, v);
    d->author = rdoc_strdup(d, author);
    d->date = rdoc_strdup(d, period_date_iso(&b->rr->period, date, sizeof date));
}

rsection *build_new_section(build_ctx *b, rdoc *d, const char *name)
{
    rsection *s = rdoc_add_section(d, NULL);
    s->page_break = atoi(tmpl_get(&b->tmpl, name, "page_break", "0")) != 0;
    s->landscape = atoi(tmpl_get(&b->tmpl, name, "landscape", "0")) != 0;
    return s;
}

int build_section_head(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v)
{
    const char *h = tmpl_text(d, &b->tmpl, section, "heading", NULL, v);
    if (h && *h) rsec_add_heading(d, s, atoi(tmpl_get(&b->tmpl, section, "level", "1")), h);
    const char *intro = tmpl_text(d, &b->tmpl, section, "intro", NULL, v);
    if (intro && *intro) rsec_add_paragraph(d, s, intro);
    return 1;
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

enum { FC_NO, FC_RULE, FC_DESC, FC_BRANCH, FC_MEMBER_ID, FC_NAME, FC_PERIOD, FC_DETAIL, FC_SOURCE, FC_FIX, FC_N };
static const coldef finding_cols[FC_N] = {
    {"no", "序号", 0.7, ALIGN_CENTER}, {"rule", "规则", 1.3, ALIGN_LEFT},
    {"description", "问题", 2.2, ALIGN_LEFT}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"period", "期间", 1.4, ALIGN_LEFT}, {"detail", "详情", 3.2, ALIGN_LEFT},
    {"source", "依据", 1.8, ALIGN_LEFT}, {"fix", "整改情况", 1.6, ALIGN_LEFT},
};

void build_findings_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const int *idx, int n)
{
    btable bt;
    btable_add(b, d, s, section, finding_cols, FC_N, &bt);
    for (int k = 0; k < n; k++) {
        const finding *f = &b->rr->f.v[idx[k]];
        const member *m = f->member >= 0 ? &b->ds->members[f->member] : NULL;
        rcell *row = btable_row(d, &bt);
        char per[32];
        for (int i = 0; i < bt.n; i++) {
            rcell *c = &row[i];
            switch (bt.col[i]) {
            case FC_NO: rcell_int(d, c, k + 1); break;
            case FC_RULE: rcell_ref(c, rule_code_name(f->rule)); break;
            case FC_DESC: rcell_ref(c, rule_description(b, f->rule)); c->emph = EMPH_FINDING; break;
            case FC_BRANCH: rcell_ref(c, b->ds->branches[f->branch].name); break;
            case FC_MEMBER_ID: rcell_ref(c, m ? m->id : ""); break;
            case FC_NAME: rcell_ref(c, m ? m->name : ""); break;
            case FC_PERIOD: rcell_text(d, c, finding_period(b->ds, &b->rr->period, f, per, sizeof per)); break;
            case FC_DETAIL: c->type = CELL_TEXT; c->text = finding_text(b, d, f); break;
            case FC_SOURCE: rcell_ref(c, rule_source(b, f->rule)); break;
            case FC_FIX: rcell_ref(c, ""); break;
            }
        }
    }
}

enum { PC_SEV, PC_FILE, PC_LINE, PC_COLUMN, PC_MESSAGE, PC_N };
static const coldef problem_cols[PC_N] = {
    {"severity", "类别", 0.7, ALIGN_CENTER}, {"file", "文件", 1.3, ALIGN_LEFT},
    {"line", "行", 0.6, ALIGN_RIGHT}, {"column", "列", 1.1, ALIGN_LEFT},
    {"message", "问题", 5.0, ALIGN_LEFT},
};

void build_problems_table(build_ctx *b, rdoc *d, rsection *s, const char *section)
{
    btable bt;
    btable_add(b, d, s, section, problem_cols, PC_N, &bt);
    for (size_t k = 0; k < b->probs->n; k++) {
        const problem *p = &b->probs->v[k];
        rcell *row = btable_row(d, &bt);
        for (int i = 0; i < bt.n; i++) {
            rcell *c = &row[i];
            switch (bt.col[i]) {
            case PC_SEV:
                rcell_text(d, c, p->sev == PROB_WARNING ? "警告" : p->sev == PROB_ERROR ? "错误（已跳过）" : "文件错误");
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

enum { GC_NO, GC_BRANCH, GC_MEMBER_ID, GC_NAME, GC_CATEGORY, GC_SCORE, GC_GRADE, GC_RANK, GC_ATT, GC_DUES, GC_SVC,
       GC_REASONS, GC_N };
const int grade_ncols = GC_N;
const coldef grade_cols[GC_N] = {
    {"no", "序号", 0.5, ALIGN_CENTER}, {"branch", "支部", 2.0, ALIGN_LEFT},
    {"member_id", "党员编号", 1.0, ALIGN_LEFT}, {"name", "姓名", 0.9, ALIGN_LEFT},
    {"category", "类别", 0.7, ALIGN_CENTER}, {"score", "得分", 0.7, ALIGN_RIGHT},
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
        case GC_REASONS: rcell_text(d, c, evaluation_reasons(b->ds, b->cfg, b->rr, e, buf, sizeof buf)); break;
        }
    }
}
