/*
 * pdf_keep.c — keep with next: how much of what follows a block must come
 * with it onto its page, so that no heading, introduction or table start
 * ends a page alone, and which short trailer goes with a table's end.
 */
#include "render/pdf/pdf_internal.h"

#include <math.h>

static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j);

/* The height block j of a section needs at the top of what is left of a
   page, so that it does not end a page alone: a heading with what follows
   it; a paragraph of at most three lines whole (with the table, chart or
   list it introduces), a longer one two lines; a table its caption, header
   and first rows (pdf_table_start_height); a chart at its smallest; a list
   its first line; a signature block whole. */
double pdf_block_need(layout *L, const rsection *s, size_t j, int depth)
{
    if (j >= s->nblocks || depth > 4) return 0;
    const rblock *b = &s->blocks[j];
    const rblock *nx = j + 1 < s->nblocks ? &s->blocks[j + 1] : NULL;
    switch (b->kind) {
    case BLK_HEADING:
        return pdf_heading_height(L, b) + pdf_block_need(L, s, j + 1, depth + 1);
    case BLK_PARAGRAPH: {
        if (!b->text || !*b->text) return pdf_block_need(L, s, j + 1, depth + 1);
        size_t nl = pdf_prose_lines(L, &pdf_para_style, b->text);
        if (nl <= 3 && nx && (nx->kind == BLK_TABLE || nx->kind == BLK_CHART || nx->kind == BLK_KV))
            return (double)nl * pdf_para_style.lh + pdf_block_need(L, s, j + 1, depth + 1);
        return (double)(nl <= 3 ? nl : 2) * pdf_para_style.lh;
    }
    case BLK_TABLE:
        return b->table ? pdf_table_start_height(L, b->table) + table_trailer(L, b->table, s, j) : 0;
    case BLK_CHART:
        return b->chart ? CHART_MIN_H + fmax(0, pdf_trailer_height(L, s, j)) : 0;
    case BLK_KV:
        return b->kv && b->kv->nitems ? KV_PT * 1.7 : 0;
    case BLK_SIGNATURE:
        return b->sig ? (b->sig->nlines + 2) * BODY_PT * LEADING : 0;
    default:
        return 0;
    }
}

/* What follows block j of section s until the page must end anyway (a
   section that starts a page or turns it, a page break, the document's
   end), when it is short enough to go with the end of a table: headings,
   paragraphs, empty tables, signature blocks, together at most a third of
   a page.  Its height, or -1 when something else follows or it is more. */
double pdf_trailer_height(layout *L, const rsection *s, size_t j)
{
    const rdoc *d = L->doc;
    size_t si = (size_t)(s - d->sections), k = j + 1;
    double h = 0;
    for (;;) {
        for (; k < s->nblocks; k++) {
            const rblock *b = &s->blocks[k];
            if (b->kind == BLK_PAGEBREAK) return h;
            if (b->kind == BLK_HEADING) h += pdf_heading_height(L, b);
            else if (b->kind == BLK_PARAGRAPH) h += (double)pdf_prose_lines(L, &pdf_para_style, b->text) * pdf_para_style.lh;
            else if (b->kind == BLK_TABLE && b->table && b->table->nrows == 0)
                h += caption_h(b->table) + pdf_para_style.lh + BODY_PT * 0.4;
            else if (b->kind == BLK_SIGNATURE && b->sig) h += (b->sig->nlines + 2) * BODY_PT * LEADING;
            else return -1;
            if (h > page_h(L) / 3) return -1;
        }
        if (++si >= d->nsections) return h;
        s = &d->sections[si];
        if (s->page_break || !!s->landscape != L->landscape) return h;
        k = 0;
    }
}

/* What must come with a table's start besides its rows: what follows it
   (pdf_trailer_height) when the table is too short to split and leave rows with it. */
static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j)
{
    if (t->ncols <= 0 || t->nrows >= 2 * MIN_ROWS || (L->c->naive & NAIVE_ROWS)) return 0;
    double h = pdf_trailer_height(L, s, j);
    return h > 0 ? h : 0;
}
