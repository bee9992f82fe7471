/* report.c — building the report model (see report.h). */
#include "model/report.h"
#include "base/arena.h"
#include "base/dates.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

rdoc *rdoc_new(void)
{
    rdoc *d = xcalloc(1, sizeof *d);
    d->arena = xcalloc(1, sizeof *d->arena);
    return d;
}

void rdoc_free(rdoc *d)
{
    if (!d) return;
    for (rcleanup *c = d->cleanups; c; c = c->next) c->fn(c->ctx);
    for (size_t i = 0; i < d->nsections; i++) {
        rsection *s = &d->sections[i];
        for (size_t j = 0; j < s->nblocks; j++)
            if (s->blocks[j].table) free(s->blocks[j].table->cells);
        free(s->blocks);
    }
    free(d->sections);
    arena_free(d->arena);
    free(d->arena);
    free(d);
}

void rdoc_on_free(rdoc *d, void (*fn)(void *ctx), void *ctx)
{
    rcleanup *c = rdoc_alloc(d, sizeof *c);
    c->fn = fn;
    c->ctx = ctx;
    c->next = d->cleanups;
    d->cleanups = c;
}

const char *rdoc_strdup(rdoc *d, const char *s) { return arena_strdup(d->arena, s); }
void *rdoc_alloc(rdoc *d, size_t n) { return arena_alloc(d->arena, n); }

const char *rdoc_printf(rdoc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    const char *p = arena_vprintf(d->arena, fmt, ap);
    va_end(ap);
    return p;
}

rsection *rdoc_add_section(rdoc *d, const char *sheet)
{
    GROW(d->sections, d->cap, d->nsections);
    rsection *s = &d->sections[d->nsections++];
    memset(s, 0, sizeof *s);
    s->sheet_name = sheet ? rdoc_strdup(d, sheet) : NULL;
    return s;
}

static rblock *add_block(rsection *s, rblock_kind kind)
{
    GROW(s->blocks, s->cap, s->nblocks);
    rblock *b = &s->blocks[s->nblocks++];
    memset(b, 0, sizeof *b);
    b->kind = kind;
    return b;
}

void rsec_add_heading(rdoc *d, rsection *s, int level, const char *text)
{
    rblock *b = add_block(s, BLK_HEADING);
    b->level = level;
    b->text = rdoc_strdup(d, text);
}

void rsec_add_paragraph(rdoc *d, rsection *s, const char *text)
{
    rblock *b = add_block(s, BLK_PARAGRAPH);
    b->text = rdoc_strdup(d, text);
}

rkv *rsec_add_kv(rdoc *d, rsection *s)
{
    rblock *b = add_block(s, BLK_KV);
    b->kv = rdoc_alloc(d, sizeof *b->kv);
    return b->kv;
}

void rkv_add(rdoc *d, rkv *kv, const char *key, const char *value)
{
    /* kv lists are short: grow by copying into the arena */
    const char **k = rdoc_alloc(d, sizeof *k * (size_t)(kv->nitems + 1));
    const char **v = rdoc_alloc(d, sizeof *v * (size_t)(kv->nitems + 1));
    if (kv->nitems) {
        memcpy(k, kv->keys, sizeof *k * (size_t)kv->nitems);
        memcpy(v, kv->values, sizeof *v * (size_t)kv->nitems);
    }
    k[kv->nitems] = rdoc_strdup(d, key);
    v[kv->nitems] = rdoc_strdup(d, value);
    kv->keys = k;
    kv->values = v;
    kv->nitems++;
}

rtable *rsec_add_table(rdoc *d, rsection *s, int ncols)
{
    rblock *b = add_block(s, BLK_TABLE);
    rtable *t = rdoc_alloc(d, sizeof *t);
    t->ncols = ncols;
    t->cols = rdoc_alloc(d, sizeof *t->cols * (size_t)ncols);
    b->table = t;
    return t;
}

void rtable_col(rdoc *d, rtable *t, int i, const char *title, double width, ralign align)
{
    t->cols[i].title = rdoc_strdup(d, title);
    t->cols[i].width = width;
    t->cols[i].align = align;
}

rcell *rtable_add_row(rdoc *d, rtable *t)
{
    (void)d;
    size_t need = (t->nrows + 1) * (size_t)t->ncols;
    if (need > t->cap) {
        size_t c = t->cap ? t->cap * 2 : (size_t)t->ncols * 32;
        while (c < need) c *= 2;
        t->cells = xrealloc(t->cells, c * sizeof *t->cells);
        t->cap = c;
    }
    rcell *row = &t->cells[t->nrows * (size_t)t->ncols];
    rcells_clear(row, t->ncols);
    t->nrows++;
    return row;
}

void rtable_set_source(rtable *t, size_t nrows, rrow_source fn, void *ctx)
{
    free(t->cells);
    t->cells = NULL;
    t->cap = 0;
    t->nrows = nrows;
    t->source = fn;
    t->source_ctx = ctx;
}

rmark *rtable_add_mark(rdoc *d, rtable *t, int col, rmark_when when, rtone tone)
{
    rcolumn *c = &t->cols[col];
    /* few marks per column: grow by copying into the arena */
    rmark *v = rdoc_alloc(d, sizeof *v * (size_t)(c->nmarks + 1));
    if (c->nmarks) memcpy(v, c->marks, sizeof *v * (size_t)c->nmarks);
    rmark *m = &v[c->nmarks];
    memset(m, 0, sizeof *m);
    m->when = (unsigned char)when;
    m->tone = (unsigned char)tone;
    c->marks = v;
    c->nmarks++;
    return m;
}

void rmark_add_text(rdoc *d, rmark *m, const char *text)
{
    const char **v = rdoc_alloc(d, sizeof *v * (size_t)(m->ntexts + 1));
    if (m->ntexts) memcpy(v, m->texts, sizeof *v * (size_t)m->ntexts);
    v[m->ntexts++] = rdoc_strdup(d, text ? text : "");
    m->texts = v;
}

void rcells_clear(rcell *cells, int n)
{
    for (int i = 0; i < n; i++) {
        memset(&cells[i], 0, sizeof cells[i]);
        cells[i].type = CELL_EMPTY;
        cells[i].text = "";
    }
}

const rcell *rtable_row(const rtable *t, size_t i, rcell *buf)
{
    if (!t->source) return &t->cells[i * (size_t)t->ncols];
    rcells_clear(buf, t->ncols);
    return t->source(t->source_ctx, i, buf) ? NULL : buf;
}

rchart *rsec_add_chart(rdoc *d, rsection *s, rchart_kind kind, const char *title, int ncats, int nseries)
{
    rblock *b = add_block(s, BLK_CHART);
    rchart *c = rdoc_alloc(d, sizeof *c);
    c->kind = kind;
    c->title = rdoc_strdup(d, title);
    c->ncats = ncats;
    c->cats = rdoc_alloc(d, sizeof *c->cats * (size_t)(ncats + 1));
    c->nseries = nseries;
    c->series = rdoc_alloc(d, sizeof *c->series * (size_t)(nseries + 1));
    for (int i = 0; i < nseries; i++)
        c->series[i].values = rdoc_alloc(d, sizeof(double) * (size_t)(ncats + 1));
    c->table_cat_col = -1;
    c->table_val_cols = rdoc_alloc(d, sizeof(int) * (size_t)(nseries + 1));
    for (int i = 0; i < nseries; i++) c->table_val_cols[i] = -1;
    b->chart = c;
    return c;
}

rsignature *rsec_add_signature(rdoc *d, rsection *s)
{
    rblock *b = add_block(s, BLK_SIGNATURE);
    b->sig = rdoc_alloc(d, sizeof *b->sig);
    return b->sig;
}

void rsig_add(rdoc *d, rsignature *sig, const char *line)
{
    const char **l = rdoc_alloc(d, sizeof *l * (size_t)(sig->nlines + 1));
    if (sig->nlines) memcpy(l, sig->lines, sizeof *l * (size_t)sig->nlines);
    l[sig->nlines++] = rdoc_strdup(d, line);
    sig->lines = l;
}

void rsec_add_pagebreak(rdoc *d, rsection *s)
{
    (void)d;
    add_block(s, BLK_PAGEBREAK);
}

void rcell_text(rdoc *d, rcell *c, const char *text)
{
    c->type = CELL_TEXT;
    c->text = rdoc_strdup(d, text ? text : "");
}

void rcell_ref(rcell *c, const char *text)
{
    c->type = CELL_TEXT;
    c->text = text ? text : "";
}

void rcell_int(rdoc *d, rcell *c, long v)
{
    c->type = CELL_INT;
    c->num = (double)v;
    c->text = rdoc_printf(d, "%ld", v);
}

void rcell_number(rdoc *d, rcell *c, double v, int decimals)
{
    c->type = CELL_NUMBER;
    c->num = v;
    c->decimals = (unsigned char)decimals;
    c->text = rdoc_printf(d, "%.*f", decimals, v);
}

void rcell_money(rdoc *d, rcell *c, long cents)
{
    c->type = CELL_MONEY;
    c->num = (double)cents / 100.0;
    c->text = rdoc_printf(d, "%s%ld.%02ld", cents < 0 ? "-" : "", labs(cents) / 100, labs(cents) % 100);
}

void rcell_hours(rdoc *d, rcell *c, double hours)
{
    c->type = CELL_HOURS;
    c->num = hours;
    c->text = rdoc_printf(d, "%.1f", hours);
}

void rcell_percent(rdoc *d, rcell *c, double ratio, int decimals)
{
    c->type = CELL_PERCENT;
    c->num = ratio;
    c->decimals = (unsigned char)decimals;
    c->text = rdoc_printf(d, "%.*f%%", decimals, ratio * 100.0);
}

void rcell_date(rdoc *d, rcell *c, int ymd)
{
    c->type = CELL_DATE;
    c->num = (double)date_serial(ymd);
    c->text = rdoc_printf(d, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
}
