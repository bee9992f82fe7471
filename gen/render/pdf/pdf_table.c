/*
 * pdf_table.c — tables: column widths from the content, every row wrapped
 * once, pagination with the header row repeated on each page, widow
 * control, and rows split only when taller than a page.
 */
#include "render/pdf/pdf_internal.h"

#include <math.h>
#include <string.h>

typedef struct {
    int style, bold, align;
    float fill;  /* < 0: none */
} cstyle;

static cstyle cell_style(const rtable *t, const rcell *row, int col)
{
    if (!row) return (cstyle){F_HEI, 0, ALIGN_CENTER, HEADER_GRAY};
    cstyle st = {F_SONG, 0, (int)t->cols[col].align, -1};
    if (row[col].emph == EMPH_FINDING) { st.bold = 1; st.fill = FINDING_GRAY; }
    else if (row[col].emph == EMPH_STRONG) st.bold = 1;
    return st;
}

/* Row i of t (through its row source when it has one); NULL when the
   source fails: the row is drawn empty. */
static const rcell *table_row_at(tstore *ts, const rtable *t, size_t i)
{
    ts->rowbuf = pdf_array_grow(ts->rowbuf, &ts->caprowbuf, (size_t)t->ncols, sizeof *ts->rowbuf);
    return rtable_row(t, i, ts->rowbuf);
}

static const char *cell_text(const rtable *t, const rcell *row, int i)
{
    if (!row) return t->cols[i].title ? t->cols[i].title : "";
    return row[i].text ? row[i].text : "";
}

/* What a cell needs of its column: the widest piece that may not break (a
   number with its unit, a date, a short term: text_wrap.h) and its width
   unbroken.  A text of at most TW_SHORT_WORD characters without a space is
   one piece (most cells: names, figures, dates, one-word states), measured
   without the line breaker. */
static void cell_extent(layout *L, const tcell *tc, double have, double *atom, double *nat)
{
    pdf_ctx *c = L->c;
    int style = tc->style;
    uint32_t len = tc->len;
    const char *t = c->dl.pool + tc->off;
    size_t chars = 0;
    int plain = 1;
    for (size_t i = 0; i < len && plain;) {
        uint32_t cp = tw_utf8_next(t, len, &i);
        plain = cp != ' ' && cp != '\n' && ++chars <= TW_SHORT_WORD;
    }
    meter m = {c, style, TBL_PT};
    if (plain) {
        *atom = *nat = pdf_text_width(c, style, TBL_PT, t, len);
    } else {
        /* the unbroken lines; the pieces only when they could be wider than
           the widest the column has (`have`): most cells cannot */
        double w = 0;
        for (uint32_t s = 0; s <= len;) {
            const char *nl = memchr(t + s, '\n', len - s);
            uint32_t e = nl ? (uint32_t)(nl - t) : len;
            w = fmax(w, pdf_text_width(c, style, TBL_PT, t + s, e - s));
            s = e + 1;
        }
        *nat = w;
        *atom = w;
        if (w > have && (*atom = tw_atom_bound(t, len, have, pdf_text_measure, &m)) > have &&
            tw_extent(c->tw, t, len, TW_KEEP_WORDS, pdf_text_measure, &m, atom, nat) != 0)
            *atom = *nat = w;
    }
}

/* Row r of the table (0: the header, then rows[r - 1], NULL when a source
   failed: drawn empty) cleaned into the pool with the style of its cells. */
static void cells_fill(pdf_ctx *c, tstore *ts, const rtable *t, size_t r, const rcell *row)
{
    for (int i = 0; i < t->ncols; i++) {
        tcell *tc = &ts->cells[r * (size_t)t->ncols + (size_t)i];
        cstyle st = r && !row ? (cstyle){F_SONG, 0, ALIGN_LEFT, -1} : cell_style(t, row, i);
        tc->style = (uint8_t)st.style;
        tc->bold = (uint8_t)st.bold;
        tc->align = (uint8_t)st.align;
        tc->fill = st.fill;
        tc->off = pdf_text_clean(c, st.style, r && !row ? "" : cell_text(t, row, i), &tc->len);
        tc->one_line = 0;
    }
}

/* Give `slack` to the columns below their target, in proportion to their
   weights, none beyond its target (water filling); returns what is left. */
static double fill_toward(double *w, const double *target, const double *weight, int n, double slack)
{
    for (int round = 0; round <= n && slack > 0.01; round++) {
        double wsum = 0;
        for (int i = 0; i < n; i++)
            if (w[i] < target[i] - 0.01) wsum += weight[i];
        if (wsum <= 0) break;
        double given = 0;
        int capped = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] >= target[i] - 0.01) continue;
            double g = slack * weight[i] / wsum;
            if (w[i] + g > target[i]) g = target[i] - w[i], capped = 1;
            w[i] += g;
            given += g;
        }
        slack -= given;
        if (!capped) break;
    }
    return slack;
}

/*
 * Column widths from the content.  Every column first gets what its widest
 * unbreakable piece needs (header included), so no number loses its unit
 * and no short term wraps; the rest of the text block goes, in proportion
 * to the model's widths (rcolumn.width, a preference), first to the columns
 * whose cells would wrap, then to those whose header would, then towards
 * the model's proportions, then by them.  A column of empty cells (data
 * the branch does not have, or room to write by hand) gets its header's
 * width first and its proportion only from what is left.  One pass over
 * the rows.
 */
static void column_widths(layout *L, tstore *ts, const rtable *t)
{
    int n = t->ncols;
    double W = block_w(L), pad = 2 * TBL_HPAD;
    ts->need = pdf_array_grow(ts->need, &ts->capneed, (size_t)n * 6, sizeof *ts->need);
    double *atom = ts->need, *body = atom + n, *head = body + n, *pref = head + n, *w = pref + n, *tgt = w + n;
    double psum = 0;
    for (int i = 0; i < n; i++) psum += t->cols[i].width > 0 ? t->cols[i].width : 0;
    for (int i = 0; i < n; i++) {
        pref[i] = psum > 0 ? (t->cols[i].width > 0 ? t->cols[i].width : 0) / psum : 1.0 / n;
        if (pref[i] <= 0) pref[i] = 0.01;
        atom[i] = body[i] = 0;
    }
    cells_fill(L->c, ts, t, 0, NULL);
    for (int i = 0; i < n; i++) cell_extent(L, &ts->cells[i], 0, &atom[i], &head[i]);
    for (int i = 0; i < n; i++) ts->cells[i].nat = (float)head[i];
    for (size_t r = 1; r <= t->nrows; r++) {
        cells_fill(L->c, ts, t, r, table_row_at(ts, t, r - 1));
        if (L->c->naive & NAIVE_WIDTHS) continue;
        for (int i = 0; i < n; i++) {
            tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
            if (!tc->len) continue;
            double a, nat;
            cell_extent(L, tc, atom[i], &a, &nat);
            atom[i] = fmax(atom[i], a);
            body[i] = fmax(body[i], nat);
            tc->nat = (float)nat;
            tc->one_line = !memchr(L->c->dl.pool + tc->off, '\n', tc->len) && L->c->dl.pool[tc->off + tc->len - 1] != ' ';
        }
    }
    ts->x = pdf_array_grow(ts->x, &ts->capx, (size_t)n + 1, sizeof *ts->x);
    if (L->c->naive & NAIVE_WIDTHS) {  /* the model's proportions, as before */
        ts->x[0] = L->x0;
        for (int i = 0; i < n; i++) ts->x[i + 1] = ts->x[i] + pref[i] * W;
        ts->x[n] = L->x1;
        return;
    }
    double msum = 0;
    for (int i = 0; i < n; i++) {
        atom[i] = fmax(atom[i] + pad, TBL_PT + pad);
        body[i] = fmax(body[i] + pad, atom[i]);
        head[i] = fmax(head[i] + pad, body[i]);
        w[i] = atom[i];
        msum += atom[i];
    }
    if (msum >= W) {  /* not even the pieces fit: shrink them alike */
        for (int i = 0; i < n; i++) w[i] = atom[i] * W / msum;
    } else {
        double slack = W - msum;
        slack = fill_toward(w, body, pref, n, slack);
        slack = fill_toward(w, head, pref, n, slack);
        for (int i = 0; i < n; i++) tgt[i] = fmax(w[i], pref[i] * W);
        slack = fill_toward(w, tgt, pref, n, slack);
        for (int i = 0; i < n; i++) w[i] += slack * pref[i];
    }
    ts->x[0] = L->x0;
    for (int i = 0; i < n; i++) ts->x[i + 1] = ts->x[i] + w[i];
    ts->x[n] = L->x1;
}

static double row_height(size_t nlines) { return (double)nlines * TBL_PT * TBL_LEADING + 2 * TBL_VPAD; }

/* Lay the table out once: every row cleaned (row 0 the header), its
   columns measured, every row wrapped, all kept until drawn — two passes
   over the rows.  Done again only for another table or another text block
   width. */
static tstore *table_prepare(layout *L, const rtable *t)
{
    pdf_ctx *c = L->c;
    tstore *ts = &c->ts;
    if (ts->t == t && ts->bw == block_w(L)) return ts;
    int n = t->ncols;
    size_t rows = t->nrows + 1;
    ts->cells = pdf_array_grow(ts->cells, &ts->capcells, rows * (size_t)n, sizeof *ts->cells);
    ts->rl = pdf_array_grow(ts->rl, &ts->caprl, rows, sizeof *ts->rl);
    column_widths(L, ts, t);  /* cleans every cell into the pool, once */
    ts->nlines = 0;
    for (size_t r = 0; r < rows; r++) {
        uint32_t most = 1;
        for (int i = 0; i < n; i++) {
            tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
            /* (a column as wide as its widest piece holds it: no rounding cuts it) */
            double w = ts->x[i + 1] - ts->x[i] - 2 * TBL_HPAD + 0.01;
            if (tc->one_line && tc->nat <= w) { /* measured already: one line */
                c->lines.n = 0;
                c->lines.v = pdf_array_grow(c->lines.v, &c->lines.cap, 1, sizeof *c->lines.v);
                c->lines.v[c->lines.n++] = (tw_line){0, tc->len, tc->nat, 1};
            } else {
                pdf_text_wrap(c, tc->style, TBL_PT, tc->off, tc->len, w, w, TW_KEEP_WORDS, &c->lines);
            }
            ts->lines = pdf_array_grow(ts->lines, &ts->caplines, ts->nlines + c->lines.n, sizeof *ts->lines);
            memcpy(ts->lines + ts->nlines, c->lines.v, c->lines.n * sizeof *ts->lines);
            tc->line0 = (uint32_t)ts->nlines;
            tc->nlines = (uint32_t)c->lines.n;
            ts->nlines += c->lines.n;
            if (tc->nlines > most) most = tc->nlines;
        }
        ts->rl[r] = most;
    }
    ts->t = t;
    ts->bw = block_w(L);
    ts->ncols = n;
    return ts;
}

/* Height of body rows [a, b) (0-based). */
static double rows_height(const tstore *ts, size_t a, size_t b)
{
    double h = 0;
    for (size_t i = a; i < b; i++) h += row_height(ts->rl[i + 1]);
    return h;
}

/* Rows a table needs at its start: all of a table too short to be split
   with MIN_ROWS on each page, else MIN_ROWS. */
static size_t start_rows(size_t n) { return n < 2 * MIN_ROWS ? n : MIN_ROWS; }

/* Height of a table's start: caption, header and the rows that must come
   with them (an empty table: its caption and its one line). */
double pdf_table_start_height(layout *L, const rtable *t)
{
    if (t->ncols <= 0) return 0;
    if (t->nrows == 0) return caption_h(t) + pdf_para_style.lh;
    tstore *ts = table_prepare(L, t);
    size_t k = L->c->naive & NAIVE_ROWS ? 1 : start_rows(t->nrows);
    return caption_h(t) + row_height(ts->rl[0]) + rows_height(ts, 0, k);
}

/* Draw lines [from, from + count) of prepared row r (0: the header) at the
   cursor, with fills, text and rules; cells are centred vertically. */
static void draw_row(layout *L, const tstore *ts, size_t r, size_t from, size_t count, int top_rule)
{
    int n = ts->ncols;
    const double *x = ts->x;
    double lh = TBL_PT * TBL_LEADING, h = row_height(count), top = L->y, bot = top - h;
    for (int i = 0; i < n; i++) {
        const tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
        if (tc->fill >= 0) pdf_fill_add(L, x[i], bot, x[i + 1] - x[i], h, tc->fill);
        size_t have = tc->nlines > from ? tc->nlines - from : 0;
        size_t k = have < count ? have : count;
        double y = top - TBL_VPAD - (double)(count - k) * lh / 2;
        for (size_t j = 0; j < k; j++, y -= lh) {
            const tw_line *l = &ts->lines[tc->line0 + from + j];
            double lx = x[i] + TBL_HPAD, w = x[i + 1] - x[i] - 2 * TBL_HPAD;
            if (tc->align == ALIGN_CENTER) lx += (w - l->width) / 2;
            else if (tc->align == ALIGN_RIGHT) lx += w - l->width;
            pdf_text_add(L, tc->style, TBL_PT, lx, baseline_in(y, lh, TBL_PT), tc->off + (uint32_t)l->start,
                         (uint32_t)l->len, tc->bold, 0, 0);
        }
    }
    if (top_rule) pdf_line_add(L, x[0], top, x[n], top, RULE_W, 0, 0);
    pdf_line_add(L, x[0], bot, x[n], bot, RULE_W, 0, 0);
    for (int i = 0; i <= n; i++) {
        pdf_line_add(L, x[i], top, x[i], bot, RULE_W, 0, 0);
        L->c->dl.v[L->c->dl.n - 1].style = LINE_COLUMN_RULE;
    }
    L->y = bot;
}

/* A new page for the table's next rows, its header row first. */
static void table_page(layout *L, const tstore *ts)
{
    pdf_page_break(L);
    pdf_page_need(L);
    draw_row(L, ts, 0, 0, ts->rl[0], 1);
}

static size_t lines_fitting(double h)
{
    double n = floor((h - 2 * TBL_VPAD) / (TBL_PT * TBL_LEADING) + 1e-6);
    return n > 0 ? (size_t)n : 0;
}

/* A row taller than a page: split between its lines, over as many pages as
   it takes. */
static void split_row(layout *L, const tstore *ts, size_t r)
{
    size_t nl = ts->rl[r], from = 0;
    while (from < nl) {
        size_t fit = lines_fitting(avail(L));
        if (fit == 0) {
            table_page(L, ts);
            fit = lines_fitting(avail(L));
            if (fit == 0) fit = 1;  /* a header taller than the page: one line anyway */
        }
        size_t count = nl - from < fit ? nl - from : fit;
        draw_row(L, ts, r, from, count, 0);
        from += count;
        if (from < nl) table_page(L, ts);
    }
}

/* An empty table is one line, its empty text ("无" unless the model says
   otherwise), under its caption (centred) or its heading (as a paragraph). */
static void empty_table(layout *L, const rtable *t)
{
    const char *txt = t->empty_text && *t->empty_text ? t->empty_text : "\xE6\x97\xA0";
    pdf_page_ensure(L, caption_h(t) + pdf_para_style.lh);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        pdf_prose_add(L, &st, t->caption);
        pstyle line = pdf_para_style;
        line.indent = 0;
        line.align = ALIGN_CENTER;
        line.justify = 0;
        pdf_prose_add(L, &line, txt);
    } else {
        pdf_prose_add(L, &pdf_para_style, txt);
    }
    L->y -= BODY_PT * 0.4;
}

/*
 * A table: caption, header and its first rows kept together (start_rows);
 * the header repeated on every page it goes on to; a page holds the rows
 * that fit, but when fewer than MIN_ROWS would be left for the next page,
 * rows move over with them (widow control).  A long table starts on the
 * page it follows, however full, once its start fits there.  Rows are
 * never split unless taller than a page.  `trailer` (pdf_trailer_height: what
 * follows the table before the page must end anyway, or -1): when it does
 * not fit under the table's last rows, MIN_ROWS rows go over with it, so
 * that it does not stand alone on a page.
 */
void pdf_table_add(layout *L, const rtable *t, double trailer)
{
    if (t->ncols <= 0) return;
    if (t->nrows == 0) {
        empty_table(L, t);
        return;
    }
    int naive = L->c->naive & NAIVE_ROWS;
    pdf_page_ensure_keep(L, pdf_table_start_height(L, t) + (trailer > 0 && t->nrows < 2 * MIN_ROWS ? trailer : 0));
    tstore *ts = table_prepare(L, t);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        pdf_prose_add(L, &st, t->caption);
    }
    draw_row(L, ts, 0, 0, ts->rl[0], 1);
    size_t n = t->nrows, i = 0, here = 0;  /* rows of the table on this page */
    while (i < n) {
        double room = avail(L) + 0.01, acc = 0;
        size_t f = 0;
        while (i + f < n && acc + row_height(ts->rl[i + f + 1]) <= room) acc += row_height(ts->rl[i + f + 1]), f++;
        if (f == 0) {
            if (here == 0) {  /* not even on a page of its own */
                split_row(L, ts, i + 1);
                i++, here++;
            } else {
                table_page(L, ts);
                here = 0;
            }
            continue;
        }
        size_t e = i + f;
        int short_end = e < n ? n - e < MIN_ROWS : trailer > 0 && acc + BODY_PT * 0.8 + trailer > room;
        if (short_end && !naive && n >= MIN_ROWS && n - MIN_ROWS > i && here + (n - MIN_ROWS - i) >= MIN_ROWS)
            e = n - MIN_ROWS;
        here += e - i;
        for (; i < e; i++) draw_row(L, ts, i + 1, 0, ts->rl[i + 1], 0);
        if (i < n) {
            table_page(L, ts);
            here = 0;
        }
    }
    L->y -= BODY_PT * 0.8;
}
