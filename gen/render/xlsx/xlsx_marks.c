/*
 * xlsx_marks.c — a column's marks (rmark) as conditional formats: one
 * formula rule per mark over one column, relative to the column's first
 * data cell (libxlsxwriter 1.1.4 takes the wrong first cell for text and
 * date rules over several columns), in the tone's fill.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The condition of mark m on the first cell `ref` of its range (relative, so
   Excel applies it to each cell of the column); other = the same row's cell
   of the compared column. */
static int mark_formula(xw *x, const rmark *m, const char *ref, const char *other, sbuf *b)
{
    char num[64];
    snprintf(num, sizeof num, "%.15g", isfinite(m->value) ? m->value : 0.0);
    const char *op = m->when == RMARK_BELOW ? "<" : m->when == RMARK_ABOVE ? ">" : "<=";
    switch (m->when) {
    case RMARK_BELOW:
    case RMARK_ABOVE:
    case RMARK_AT_MOST:
        return xw_sb_add(x, b, "AND(ISNUMBER(") || xw_sb_add(x, b, ref) || xw_sb_add(x, b, "),") ||
               xw_sb_add(x, b, ref) || xw_sb_add(x, b, op) || xw_sb_add(x, b, num) || xw_sb_add(x, b, ")");
    case RMARK_BELOW_COL:
        return xw_sb_add(x, b, "AND(ISNUMBER(") || xw_sb_add(x, b, ref) || xw_sb_add(x, b, "),ISNUMBER(") ||
               xw_sb_add(x, b, other) || xw_sb_add(x, b, "),") || xw_sb_add(x, b, ref) || xw_sb_add(x, b, "<") ||
               xw_sb_add(x, b, other) || xw_sb_add(x, b, ")");
    case RMARK_TEXT_IS:
        if (xw_sb_add(x, b, "OR(")) return -1;
        for (int i = 0; i < m->ntexts; i++) {
            const char *t = xw_txt(x, m->texts[i], XLSX_CLEAN_CTRL, 255);
            if (!t || (i && xw_sb_add(x, b, ",")) || xw_sb_add(x, b, ref) || xw_sb_add(x, b, "=") ||
                xw_sb_quoted(x, b, t))
                return -1;
        }
        return xw_sb_add(x, b, ")");
    }
    return -1;
}

/* The conditional formats of column c over rows r1..r2 of the current sheet. */
int xw_apply_marks(sect *s, int c, lxw_row_t r1, lxw_row_t r2)
{
    xw *x = s->x;
    const rcolumn *col = &s->t->cols[c];
    for (int k = 0; k < col->nmarks; k++) {
        const rmark *m = &col->marks[k];
        if (m->when > RMARK_TEXT_IS || m->tone >= TONES) continue;
        if (m->when == RMARK_TEXT_IS && m->ntexts <= 0) continue;
        if (m->when == RMARK_BELOW_COL && (m->col < 0 || m->col >= s->t->ncols)) continue;
        char ref[LXW_MAX_CELL_NAME_LENGTH], other[LXW_MAX_CELL_NAME_LENGTH] = "";
        lxw_rowcol_to_cell(ref, r1, (lxw_col_t)c);
        if (m->when == RMARK_BELOW_COL) lxw_rowcol_to_cell(other, r1, (lxw_col_t)m->col);
        sbuf f = {0};
        int rc = xw_sb_add(x, &f, "=") || mark_formula(x, m, ref, other, &f) ? -1 : 0;
        if (rc == 0) {
            lxw_conditional_format cf;
            memset(&cf, 0, sizeof cf);
            cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
            cf.value_string = f.s;
            cf.format = x->tone[m->tone];
            rc = xw_chk(x, worksheet_conditional_format_range(s->ws, r1, (lxw_col_t)c, r2, (lxw_col_t)c, &cf), s->name,
                        "conditional format");
        }
        free(f.s);
        if (rc) return -1;
    }
    return 0;
}
