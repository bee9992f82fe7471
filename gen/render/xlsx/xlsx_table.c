/*
 * xlsx_table.c — a section's table: the header, the data rows streamed from
 * the row source (rtable_row(), held or made on demand) as typed cells,
 * calculated cells as =SUM formulas with their cached values (over every
 * sheet the table runs on), and closing each sheet's part of the table
 * (frozen pane, autofilter, printed title row, marks and dropdowns).
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <math.h>
#include <stdlib.h>
#include <string.h>

/* The autofilter over the header and the data rows written so far on ws
   (not the total rows: sorting must leave them last).  constant_memory: it
   must be set before a later row is begun. */
static int set_filter(sect *s)
{
    if (s->filtered) return 0;
    s->filtered = 1;
    return xw_chk(s->x, worksheet_autofilter(s->ws, s->hdr, 0, s->tlast, (lxw_col_t)(s->t->ncols - 1)), s->name,
                  "autofilter");
}

/* Close the table on ws: frozen pane (header and freeze_cols), autofilter,
   printed title row, and over its data rows the conditional formats and
   dropdowns. */
int xw_close_table(sect *s)
{
    if (!s->table_open) return 0;
    s->table_open = 0;
    const rtable *t = s->t;
    worksheet_freeze_panes(s->ws, s->hdr + 1, (lxw_col_t)xw_freeze_cols(t));
    if (set_filter(s)) return -1;
    if (xw_chk(s->x, worksheet_repeat_rows(s->ws, s->hdr, s->hdr), s->name, "repeat rows")) return -1;
    if (s->cur.rows) {
        for (int c = 0; c < t->ncols; c++)
            if (xw_apply_marks(s, c, s->cur.first, s->cur.last) || xw_apply_list(s, c, s->cur.first, s->cur.last))
                return -1;
    }
    tpart *v = realloc(s->parts, sizeof *v * (s->nparts + 1));
    if (!v) return xw_fail(s->x, "xlsx: out of memory");
    s->parts = v;
    v[s->nparts++] = s->cur;
    return 0;
}

static int hand_filled(const rcolumn *c) { return c->fill_width > 0 || (c->choices && c->nchoices > 0); }

static int wrap_lines(const sect *s, int c, const char *text)
{
    size_t len = strlen(text);
    /* one line: no newline, and short enough in bytes (no character is wider
       than its bytes) or, measured, in width */
    if (!memchr(text, '\n', len) && (len + 1 <= s->width[c] || xlsx_text_width(text) + 1 <= s->width[c])) return 1;
    return xlsx_text_lines(text, s->width[c] - 1.5);
}

int xw_write_header(sect *s)
{
    xw *x = s->x;
    int lines = 1;
    for (int c = 0; c < s->t->ncols; c++) {
        int l = wrap_lines(s, c, s->t->cols[c].title ? s->t->cols[c].title : "");
        if (l > lines) lines = l;
    }
    if (xw_row_height(s, lines, LINE_HEIGHT)) return -1;
    s->hdr = s->tlast = s->row;
    s->table_open = 1;
    if (s->part == 1) { s->hdr1 = s->row; s->has_hdr1 = 1; }
    for (int c = 0; c < s->t->ncols; c++) {
        const char *h = xw_txt(x, s->t->cols[c].title, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
        if (!h) return -1;
        if (xw_chk_cell(s, worksheet_write_string(s->ws, s->row, (lxw_col_t)c, h, x->header), s->row,
                        (lxw_col_t)c))
            return -1;
    }
    s->row++;
    return 0;
}

static int clamp_dec(int d) { return d < 0 ? 0 : d > MAX_DEC ? MAX_DEC : d; }

/* The formula of a calculated cell in column c (NULL in f->s: none applies). */
static int calc_formula(sect *s, const rcell *cell, lxw_row_t r, lxw_col_t c, sbuf *f)
{
    xw *x = s->x;
    char rng[LXW_MAX_CELL_RANGE_LENGTH];
    if (cell->calc == RCALC_SUM_LEFT) {
        int k = s->t->cols[c].sum_left;
        if (k < 1 || k > (int)c) return 0;
        lxw_rowcol_to_range(rng, r, (lxw_col_t)((int)c - k), r, (lxw_col_t)(c - 1));
        return xw_sb_add(x, f, "=SUM(") || xw_sb_add(x, f, rng) || xw_sb_add(x, f, ")");
    }
    if (cell->calc != RCALC_SUM_ABOVE) return 0;
    /* every sheet's data rows of the table, this one's without its name */
    int any = 0;
    for (size_t i = 0; i <= s->nparts; i++) {
        const tpart *p = i < s->nparts ? &s->parts[i] : &s->cur;
        if (!p->rows) continue;
        if (xw_sb_add(x, f, any ? "," : "=SUM(")) return -1;
        any = 1;
        if (i < s->nparts) {
            char *q = lxw_quote_sheetname(p->name);
            if (!q) return xw_fail(x, "xlsx: out of memory");
            int rc = xw_sb_add(x, f, q) || xw_sb_add(x, f, "!");
            free(q);
            if (rc) return -1;
        }
        lxw_rowcol_to_range(rng, p->first, c, p->last, c);
        if (xw_sb_add(x, f, rng)) return -1;
    }
    return any ? xw_sb_add(x, f, ")") : 0;
}

static int write_cell(sect *s, lxw_row_t r, lxw_col_t c, const rcell *cell)
{
    xw *x = s->x;
    const rcolumn *col = &s->t->cols[c];
    ralign al = col->align;
    /* in a column with marks, the conditional formats draw the problems */
    int em = cell->emph == EMPH_FINDING ? (col->nmarks > 0 ? EM_NONE : EM_FINDING)
             : cell->emph == EMPH_STRONG ? EM_STRONG : EM_NONE;
    int hand = hand_filled(col);
    int nf = -1;
    lxw_format *f;
    switch (cell->type) {
    case CELL_INT: nf = NF_NUM; break;
    case CELL_NUMBER: nf = NF_NUM + clamp_dec(cell->decimals); break;
    case CELL_MONEY: nf = NF_NUM + 2; break;
    case CELL_HOURS: nf = NF_NUM + 1; break;
    case CELL_PERCENT: nf = NF_PCT + clamp_dec(cell->decimals); break;
    case CELL_DATE: nf = NF_DATE; break;
    case CELL_EMPTY:
        if (!(f = xw_cell_fmt(x, NF_GENERAL, em, al, hand))) return -1;
        return xw_chk_cell(s, worksheet_write_blank(s->ws, r, c, f), r, c);
    case CELL_TEXT:
    default: break;
    }
    /* A non-finite number would be written as "nan"/"inf" and corrupt the
       file; a date before 1900 is no Excel date: both go out as their text. */
    if (nf >= 0 && isfinite(cell->num) && !(nf == NF_DATE && cell->num < 1)) {
        if (!(f = xw_cell_fmt(x, nf, em, al, 0))) return -1;
        if (cell->calc && nf != NF_DATE) {
            sbuf fm = {0};
            int rc = calc_formula(s, cell, r, c, &fm);
            if (rc == 0 && fm.s)
                rc = xw_chk_cell(s, worksheet_write_formula_num(s->ws, r, c, fm.s, f, cell->num), r, c);
            int done = fm.s != NULL;
            free(fm.s);
            if (rc || done) return rc;
        }
        return xw_chk_cell(s, worksheet_write_number(s->ws, r, c, cell->num, f), r, c);
    }
    const char *t = xw_txt(x, cell->text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    int wrap = hand || strchr(t, '\n') != NULL || xlsx_text_width(t) + 1 > s->width[c];
    if (!(f = xw_cell_fmt(x, NF_GENERAL, em, al, wrap))) return -1;
    /* worksheet_write_string never makes a formula, whatever the text starts with */
    return xw_chk_cell(s, worksheet_write_string(s->ws, r, c, t, f), r, c);
}

int xw_write_table(sect *s)
{
    const rtable *t = s->t;
    if (t->caption && *t->caption) {
        if (xw_room(s, 0) || xw_text_cell(s, 0, t->caption, s->x->text[TF_CAPTION])) return -1;
        s->row++;
    }
    if (xw_room(s, 0) || xw_write_header(s)) return -1;
    for (size_t r = 0; r < t->nrows; r++) {
        if (xw_room(s, 1)) return -1;
        const rcell *row = rtable_row(t, r, s->rowbuf);
        if (!row)
            return xw_fail(s->x, "xlsx: sheet \"%s\": row %zu of the table could not be made", s->name, r + 1);
        int lines = 1, total = 0;
        for (int c = 0; c < t->ncols; c++) total |= row[c].calc == RCALC_SUM_ABOVE;
        if (total && !s->totals) {
            s->totals = 1;
            if (set_filter(s)) return -1;
        }
        for (int c = 0; c < t->ncols; c++) {
            if (row[c].type != CELL_TEXT || !row[c].text) continue;
            int l = wrap_lines(s, c, row[c].text);
            if (l > lines) lines = l;
        }
        if (xw_row_height(s, lines, LINE_HEIGHT)) return -1;
        for (int c = 0; c < t->ncols; c++)
            if (write_cell(s, s->row, (lxw_col_t)c, &row[c])) return -1;
        if (!s->totals) {
            if (!s->cur.rows++) s->cur.first = s->row;
            s->cur.last = s->row;
            if (s->part == 1) s->rows1++;
        }
        s->tlast = s->row++;
    }
    if (t->nrows == 0 && t->empty_text) {
        if (xw_room(s, 1)) return -1;
        lxw_format *f = xw_cell_fmt(s->x, NF_GENERAL, EM_NONE, ALIGN_LEFT, 0);
        if (!f || xw_text_cell(s, 0, t->empty_text, f)) return -1;
        for (int c = 1; c < t->ncols; c++)
            if (xw_chk_cell(s, worksheet_write_blank(s->ws, s->row, (lxw_col_t)c, f), s->row, (lxw_col_t)c))
                return -1;
        s->tlast = s->row++;
    }
    return xw_close_table(s);
}
