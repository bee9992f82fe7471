/*
 * xlsx_sheet.c — a section's worksheets: opening one (its name, legible
 * print setup, page header and footer, column widths), row heights for
 * wrapped text, and going on to the next sheet at the row limit.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <math.h>
#include <string.h>

#define ROW_HEIGHT_MAX 409.0

int xw_freeze_cols(const rtable *t)
{
    if (!t || t->freeze_cols <= 0) return 0;
    return t->freeze_cols < t->ncols ? t->freeze_cols : t->ncols - 1;
}

/*
 * Legible print.  A sheet whose columns fit a page at PRINT_FLOOR even
 * when measured with wide digits is fitted to one page wide: every reader
 * then prints its text at 8 pt at least.  A wider one
 * gets an explicit scale (the one that fits it on a page in Excel's
 * metrics, never below MIN_PRINT_SCALE), so its text prints at least that
 * large in any program, which may go on across pages: left to right
 * first, with the frozen columns (支部, 姓名) on every page.  Fit-to-width
 * alone would shrink a wide sheet to any size (the 汇总 printed at 3.5 pt).
 */
static int print_setup(sect *s, lxw_worksheet *ws)
{
    double px = s->table_px > s->chart_px ? s->table_px : s->chart_px;
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_set_margins(ws, 0.5, 0.5, 0.75, 0.75);
    if (px <= 0 || PRINT_WIDTH_PX / (px * WIDE_DIGITS) >= PRINT_FLOOR) {
        worksheet_fit_to_pages(ws, 1, 0);
        return 0;
    }
    double fit = PRINT_WIDTH_PX / px;
    if (fit > 1) fit = 1;
    if (fit < MIN_PRINT_SCALE) fit = MIN_PRINT_SCALE;
    worksheet_set_print_scale(ws, (uint16_t)floor(fit * 100 + 1e-9));
    worksheet_print_across(ws);
    int fc = xw_freeze_cols(s->t);
    if (fc > 0) return xw_chk(s->x, worksheet_repeat_columns(ws, 0, (lxw_col_t)(fc - 1)), s->name, "repeat columns");
    return 0;
}

int xw_open_sheet(sect *s)
{
    xw *x = s->x;
    s->part++;
    int rc = s->part == 1 ? xlsx_sheet_name_unique(&x->names, s->sec->sheet_name, s->name)
                          : xlsx_sheet_name_part(&x->names, s->name1, s->part, s->name);
    if (rc) return xw_fail(x, "xlsx: out of memory");
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, s->name);
    if (!ws) return xw_fail(x, "xlsx: cannot add worksheet \"%s\"", s->name);
    x->nsheets++;
    s->ws = ws;
    s->row = 0;
    s->table_open = 0;
    s->filtered = 0;
    memset(&s->cur, 0, sizeof s->cur);
    memcpy(s->cur.name, s->name, sizeof s->cur.name);
    if (s->part == 1) {
        s->ws1 = ws;
        memcpy(s->name1, s->name, sizeof s->name1);
    }
    if (print_setup(s, ws)) return -1;
    if (xw_chk(x, worksheet_set_header(ws, x->page_header), s->name, "page header")) return -1;
    if (xw_chk(x, worksheet_set_footer(ws, x->page_footer), s->name, "page footer")) return -1;
    if (s->t) {
        for (int c = 0; c < s->t->ncols; c++)
            if (xw_chk(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c], NULL),
                       s->name, "column width"))
                return -1;
    }
    return 0;
}

/* Wrapped text: libxlsxwriter writes no row height, and LibreOffice (and
   Excel in some versions) then show one line only; so set the height from
   the estimated line count.  Must come before the row's cells (constant_memory). */
int xw_row_height(sect *s, int lines, double line_height)
{
    if (lines <= 1) return 0;
    double h = round(line_height * lines + 2);
    if (h > ROW_HEIGHT_MAX) h = ROW_HEIGHT_MAX;
    return xw_chk(s->x, worksheet_set_row(s->ws, s->row, h, NULL), s->name, "row height");
}

/* Make room for one more row: continue on a new sheet at the limit (with
   the table's header again when the row belongs to the table). */
int xw_room(sect *s, int table_row)
{
    if (s->row < s->limit) return 0;
    if (xw_close_table(s) || xw_open_sheet(s)) return -1;
    return table_row ? xw_write_header(s) : 0;
}
