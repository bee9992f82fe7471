/* doc_find.c — see doc_find.h. */
#include "doc_find.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Walk the blocks in order; the current heading is the last one seen. */
static const rblock *find_block(const rdoc *d, const char *heading, rblock_kind kind, int n)
{
    int armed = heading == NULL;
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rblock *b = &d->sections[i].blocks[j];
            if (b->kind == BLK_HEADING && heading && strstr(b->text, heading)) armed = 1;
            if (armed && b->kind == kind && n-- == 0) return b;
        }
    return NULL;
}

const rtable *doc_table(const rdoc *d, const char *heading, int n)
{
    const rblock *b = find_block(d, heading, BLK_TABLE, n);
    return b ? b->table : NULL;
}

const rchart *doc_chart(const rdoc *d, const char *heading, int n)
{
    const rblock *b = find_block(d, heading, BLK_CHART, n);
    return b ? b->chart : NULL;
}

const rtable *doc_sheet(const rdoc *d, const char *sheet)
{
    for (size_t i = 0; i < d->nsections; i++) {
        const rsection *s = &d->sections[i];
        if (!s->sheet_name || strcmp(s->sheet_name, sheet)) continue;
        for (size_t j = 0; j < s->nblocks; j++)
            if (s->blocks[j].kind == BLK_TABLE) return s->blocks[j].table;
    }
    return NULL;
}

int table_col(const rtable *t, const char *title)
{
    for (int c = 0; t && c < t->ncols; c++)
        if (!strcmp(t->cols[c].title, title)) return c;
    return -1;
}

const char *table_text(const rtable *t, long r, const char *col_title)
{
    int c = table_col(t, col_title);
    if (!t || c < 0 || r < 0 || (size_t)r >= t->nrows) return NULL;
    if (!t->source) return t->cells[(size_t)r * (size_t)t->ncols + (size_t)c].text;
    /* a row source: its texts live in the source until its next row (report.h) */
    rcell *buf = calloc((size_t)t->ncols, sizeof *buf);
    const rcell *row = buf ? rtable_row(t, (size_t)r, buf) : NULL;
    const char *text = row ? row[c].text : NULL;
    free(buf);
    return text;
}

long table_find(const rtable *t, const char *col_title, const char *value)
{
    for (size_t r = 0; t && r < t->nrows; r++) {
        const char *s = table_text(t, (long)r, col_title);
        if (s && !strcmp(s, value)) return (long)r;
    }
    return -1;
}

const char *doc_kv(const rdoc *d, const char *key)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rkv *kv = d->sections[i].blocks[j].kv;
            if (d->sections[i].blocks[j].kind != BLK_KV) continue;
            for (int k = 0; k < kv->nitems; k++)
                if (strstr(kv->keys[k], key)) return kv->values[k];
        }
    return NULL;
}

const char *doc_paragraph(const rdoc *d, const char *text)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rblock *b = &d->sections[i].blocks[j];
            if (b->kind == BLK_PARAGRAPH && strstr(b->text, text)) return b->text;
        }
    return NULL;
}

static int skipped(const char *skip_cols, const char *title)
{
    if (!skip_cols) return 0;
    size_t n = strlen(title);
    for (const char *p = skip_cols; (p = strstr(p, title)); p += n)
        if ((p == skip_cols || p[-1] == '|') && (p[n] == '|' || !p[n])) return 1;
    return 0;
}

int doc_strings(const rdoc *d, const char *skip_cols, int (*fn)(const char *s, void *ctx), void *ctx)
{
    int hits = 0;
#define SEE(s) do { if ((s) && fn((s), ctx)) hits++; } while (0)
    SEE(d->title); SEE(d->subtitle); SEE(d->subject); SEE(d->footer);
    for (size_t i = 0; i < d->nsections; i++) {
        SEE(d->sections[i].sheet_name);
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rblock *b = &d->sections[i].blocks[j];
            SEE(b->text);
            if (b->kind == BLK_KV)
                for (int k = 0; k < b->kv->nitems; k++) { SEE(b->kv->keys[k]); SEE(b->kv->values[k]); }
            if (b->kind == BLK_SIGNATURE)
                for (int k = 0; k < b->sig->nlines; k++) SEE(b->sig->lines[k]);
            if (b->kind == BLK_CHART) {
                SEE(b->chart->title);
                for (int k = 0; k < b->chart->ncats; k++) SEE(b->chart->cats[k]);
                for (int k = 0; k < b->chart->nseries; k++) SEE(b->chart->series[k].name);
            }
            if (b->kind != BLK_TABLE) continue;
            const rtable *t = b->table;
            SEE(t->caption);
            SEE(t->empty_text);
            rcell *buf = calloc((size_t)t->ncols + 1, sizeof *buf);
            for (int c = 0; c < t->ncols; c++) SEE(t->cols[c].title);
            for (size_t r = 0; r < t->nrows; r++) {
                const rcell *row = rtable_row(t, r, buf);
                for (int c = 0; row && c < t->ncols; c++)
                    if (!skipped(skip_cols, t->cols[c].title)) SEE(row[c].text);
            }
            free(buf);
        }
    }
#undef SEE
    return hits;
}
