/*
 * xlsx_widths.c — a table's column widths, from its header and every cell
 * of its rows (read once through rtable_row() before any row is written).
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define WIDTH_CAP 60.0    /* column width cap, in character units */
#define WIDTH_MIN 6.0
#define WIDTH_PAD 2.0
#define NUMBER_PAD 1.0    /* a number or a date (Excel's 5 px margin is on top) */
#define TEXT_MIN 8.0      /* a text column is not narrowed below this (4 CJK) to fit the page */
#define DROPDOWN_PAD 2.0  /* room for the dropdown button of a list column */
#define COL_PX(w) (floor(7.0 * (w) + 0.5) + 5.0) /* whole pixels, as libxlsxwriter anchors drawings */

/* A cell's width and the part of it that cannot wrap (numbers and dates whole). */
static void cell_measure(const rcell *c, int *w, int *u)
{
    if (c->type == CELL_DATE) {
        *w = *u = 10;
    } else if (c->type != CELL_TEXT) {
        *w = *u = xlsx_text_width(c->text);
    } else {
        xlsx_text_measure(c->text, w, u);
    }
}

/*
 * Column widths: each column's natural width (its widest cell or header,
 * capped) and the narrowest it may get (numbers and dates whole, the
 * header in two lines, text down to TEXT_MIN); when the natural widths are
 * wider than a page printed at MIN_PRINT_SCALE (in wide digits, see
 * print_setup in xlsx_sheet.c), every column gives up the same share of its
 * slack, down to its minimum.
 */
int xw_plan_widths(sect *s)
{
    const rtable *t = s->t;
    int n = t->ncols;
    s->width = calloc((size_t)n, sizeof *s->width);
    double *lo = calloc((size_t)n, sizeof *lo);
    int *best = calloc((size_t)n, sizeof *best), *run = calloc((size_t)n, sizeof *run);
    char *text = calloc((size_t)n, 1); /* a column with text that can wrap */
    int rc = -1;
    if (!s->width || !lo || !best || !run || !text) {
        xw_fail(s->x, "xlsx: out of memory");
        goto out;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const rcell *row = rtable_row(t, r, s->rowbuf);
        if (!row) {
            xw_fail(s->x, "xlsx: sheet \"%s\": row %zu of the table could not be made", s->sec->sheet_name, r + 1);
            goto out;
        }
        for (int c = 0; c < n; c++) {
            /* a number or date needs less margin than text */
            int pad = row[c].type == CELL_TEXT ? (int)WIDTH_PAD : (int)NUMBER_PAD;
            /* a text no longer in bytes than the column's widest run so far
               can change nothing (no character is wider than its bytes):
               most cells of a long table are skipped without decoding */
            if (row[c].type != CELL_DATE && (text[c] || row[c].type != CELL_TEXT) &&
                (row[c].text ? (int)strlen(row[c].text) : 0) + pad <= run[c])
                continue;
            int w, u;
            cell_measure(&row[c], &w, &u);
            if (w + pad > best[c]) best[c] = w + pad;
            if (u + pad > run[c]) run[c] = u + pad;
            if (row[c].type == CELL_TEXT && w > u) text[c] = 1;
        }
    }
    double nat_px = 0, lo_px = 0;
    for (int c = 0; c < n; c++) {
        const rcolumn *col = &t->cols[c];
        double head = xlsx_text_width(col->title) * 1.1 + WIDTH_PAD; /* bold header */
        double head2 = ceil(xlsx_text_width(col->title) / 2.0) * 1.1 + WIDTH_PAD;
        double headrun = xlsx_text_run_width(col->title) * 1.1 + WIDTH_PAD;
        if (head > WIDTH_CAP) head = WIDTH_CAP;
        double w = best[c];
        if (w > WIDTH_CAP) w = WIDTH_CAP;
        if (w < head) w = head;
        double m = run[c];
        if (text[c] && m < TEXT_MIN) m = TEXT_MIN;
        if (m < head2) m = head2;
        if (m < headrun) m = headrun;
        /* a column filled in by hand: room for what is typed or picked */
        double hand = col->fill_width > 0 ? col->fill_width : 0;
        for (int k = 0; col->choices && k < col->nchoices; k++) {
            double cw = xlsx_text_width(col->choices[k]) + WIDTH_PAD + DROPDOWN_PAD;
            if (cw > hand) hand = cw;
        }
        if (hand > WIDTH_CAP) hand = WIDTH_CAP;
        if (w < hand) w = hand;
        if (m < hand) m = hand;
        if (w < WIDTH_MIN) w = WIDTH_MIN;
        if (m < WIDTH_MIN) m = WIDTH_MIN;
        if (m > w) m = w;
        s->width[c] = w;
        lo[c] = m;
        nat_px += COL_PX(w);
        lo_px += COL_PX(m);
    }
    double budget = PRINT_WIDTH_PX / MIN_PRINT_SCALE / WIDE_DIGITS;
    if (nat_px > budget) {
        double k = nat_px - lo_px > 0 ? (nat_px - budget) / (nat_px - lo_px) : 1;
        if (k > 1) k = 1;
        for (int c = 0; c < n; c++) s->width[c] -= k * (s->width[c] - lo[c]);
    }
    s->table_px = 0;
    for (int c = 0; c < n; c++) s->table_px += COL_PX(s->width[c]);
    rc = 0;
out:
    free(lo);
    free(best);
    free(run);
    free(text);
    return rc;
}
