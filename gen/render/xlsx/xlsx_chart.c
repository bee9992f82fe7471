/*
 * xlsx_chart.c — a section's chart: a column or line chart over the table's
 * cells or over a small data block of its own, below the rest of the
 * section, as wide as its categories need within the table's width.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <math.h>
#include <stdio.h>
#include <string.h>

#define CHART_W 480.0     /* libxlsxwriter's chart size, px */
#define CHART_H 288.0

/* A label libxlsxwriter would read as a formula when it starts with '='. */
static const char *label(xw *x, const char *s, char *tmp, size_t tmpsz)
{
    const char *c = xw_txt(x, s, XLSX_CLEAN_CTRL, 255);
    if (!c) return NULL;
    if (c[0] != '=') return c;
    snprintf(tmp, tmpsz, " %s", c);
    return tmp;
}

static int chart_uses_table(const sect *s)
{
    const rchart *ch = s->ch;
    const rtable *t = s->t;
    if (!t || !s->has_hdr1 || s->rows1 == 0 || ch->table_cat_col < 0 || ch->table_cat_col >= t->ncols ||
        !ch->table_val_cols)
        return 0;
    for (int i = 0; i < ch->nseries; i++)
        if (ch->table_val_cols[i] < 0 || ch->table_val_cols[i] >= t->ncols) return 0;
    return 1;
}

static int chart_wanted(const rchart *ch)
{
    return ch && ch->ncats > 0 && ch->nseries > 0 && (size_t)ch->ncats + 2 < ROWS_MAX;
}

/* The chart's width: room for its categories, within the table's width
   (so that it does not widen the printed page). */
double xw_chart_width(const sect *s)
{
    if (!chart_wanted(s->ch)) return 0;
    double want = 48.0 * s->ch->ncats * (s->ch->kind == CHART_BAR ? s->ch->nseries : 1) + 150;
    /* a pixel short of the table's right edge: not one column more to print */
    double cap = s->table_px > CHART_W ? s->table_px - 1 : 2 * CHART_W;
    return want < CHART_W ? CHART_W : want > cap ? cap : want;
}

/* A chart font: its size only — libxlsxwriter 1.1.4 leaks a chart font's name
   (lxw_strdup'd, never freed), and the theme's East-Asian font serves. */
static void chart_font(lxw_chart_font *f, double size, int bold)
{
    memset(f, 0, sizeof *f);
    f->size = size;
    f->bold = (uint8_t)bold;
}

/* The chart below everything else of the section (it prints on the table's pages, not beside them). */
int xw_write_chart(sect *s)
{
    xw *x = s->x;
    const rchart *ch = s->ch;
    if (!chart_wanted(ch)) return 0;

    /* Where the data is: sheet, first category row, columns. */
    char dname[XLSX_SHEET_NAME_BUF];
    lxw_row_t first, hrow;
    lxw_col_t catcol;
    size_t n;
    int table = chart_uses_table(s);
    if (table) {
        memcpy(dname, s->name1, sizeof dname);
        hrow = s->hdr1;
        first = s->hdr1 + 1;
        catcol = (lxw_col_t)ch->table_cat_col;
        n = (size_t)ch->ncats < s->rows1 ? (size_t)ch->ncats : s->rows1;
    } else {
        /* Standalone: a small block (header + one row per category) after
           everything else, contiguous on one sheet. */
        size_t need = (size_t)ch->ncats + 2;
        if (s->row > 0 && s->row + need > s->limit) {
            if (xw_close_table(s) || xw_open_sheet(s)) return -1;
        } else if (s->row > 0) {
            s->row++; /* blank row */
        }
        memcpy(dname, s->name, sizeof dname);
        hrow = s->row;
        first = s->row + 1;
        catcol = 0;
        n = (size_t)ch->ncats;
        lxw_format *hf = x->header;
        const char *cap = xw_txt(x, ch->title && *ch->title ? ch->title : "类别", XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
        if (!cap || xw_chk_cell(s, worksheet_write_string(s->ws, hrow, 0, cap, hf), hrow, 0)) return -1;
        for (int i = 0; i < ch->nseries; i++) {
            const char *nm = xw_txt(x, ch->series[i].name ? ch->series[i].name : "", XLSX_CLEAN_XESC,
                                    XLSX_STRING_UNITS);
            if (!nm || xw_chk_cell(s, worksheet_write_string(s->ws, hrow, (lxw_col_t)(i + 1), nm, hf), hrow,
                                   (lxw_col_t)(i + 1)))
                return -1;
        }
        lxw_format *cf = xw_cell_fmt(x, NF_GENERAL, EM_NONE, ALIGN_LEFT, 0);
        lxw_format *vf = xw_cell_fmt(x, ch->percent ? NF_PCT + 1 : NF_GENERAL, EM_NONE, ALIGN_RIGHT, 0);
        if (!cf || !vf) return -1;
        for (int k = 0; k < ch->ncats; k++) {
            lxw_row_t r = first + (lxw_row_t)k;
            const char *cat = xw_txt(x, ch->cats && ch->cats[k] ? ch->cats[k] : "", XLSX_CLEAN_XESC,
                                     XLSX_STRING_UNITS);
            if (!cat || xw_chk_cell(s, worksheet_write_string(s->ws, r, 0, cat, cf), r, 0)) return -1;
            for (int i = 0; i < ch->nseries; i++) {
                double v = ch->series[i].values ? ch->series[i].values[k] : 0;
                lxw_error e = isfinite(v) ? worksheet_write_number(s->ws, r, (lxw_col_t)(i + 1), v, vf)
                                          : worksheet_write_blank(s->ws, r, (lxw_col_t)(i + 1), vf);
                if (xw_chk_cell(s, e, r, (lxw_col_t)(i + 1))) return -1;
            }
        }
        s->row = first + (lxw_row_t)ch->ncats;
    }
    /* below the last row written, after a blank row; beside the table
       only when no row is left below it */
    lxw_row_t arow = s->row > 0 ? s->row + 1 : 0;
    lxw_col_t acol = 0;
    if ((double)arow + 30 >= (double)ROWS_MAX) {
        arow = s->has_hdr1 && s->ws == s->ws1 ? s->hdr1 : 0;
        acol = (lxw_col_t)(s->t ? s->t->ncols + 1 : ch->nseries + 2);
    }

    lxw_chart *c = workbook_add_chart(x->wb, ch->kind == CHART_LINE ? LXW_CHART_LINE : LXW_CHART_COLUMN);
    if (!c) return xw_fail(x, "xlsx: sheet \"%s\": cannot add chart", s->name1);
    char tmp[1024];
    lxw_chart_font ft, fa, fl;
    chart_font(&ft, 14, 1);
    chart_font(&fa, 10, 0);
    chart_font(&fl, 10, 0);
    const char *title = label(x, ch->title, tmp, sizeof tmp);
    if (!title) return -1;
    if (*title) {
        chart_title_set_name(c, title);
        chart_title_set_name_font(c, &ft);
    }
    for (int i = 0; i < ch->nseries; i++) {
        lxw_chart_series *se = chart_add_series(c, NULL, NULL);
        if (!se) return xw_fail(x, "xlsx: sheet \"%s\": cannot add chart series", s->name1);
        lxw_col_t vc = table ? (lxw_col_t)ch->table_val_cols[i] : (lxw_col_t)(i + 1);
        lxw_row_t last = first + (lxw_row_t)n - 1;
        chart_series_set_categories(se, dname, first, catcol, last, catcol);
        chart_series_set_values(se, dname, first, vc, last, vc);
        chart_series_set_name_range(se, dname, hrow, vc);
        if (ch->kind == CHART_LINE) chart_series_set_marker_type(se, LXW_CHART_MARKER_AUTOMATIC);
        if (ch->kind == CHART_BAR && n <= 20 && ch->nseries <= 2) {
            chart_series_set_labels(se);
            chart_series_set_labels_font(se, &fl);
            if (ch->percent) chart_series_set_labels_num_format(se, "0.0%");
        }
    }
    chart_axis_set_num_font(c->x_axis, &fa);
    chart_axis_set_num_font(c->y_axis, &fa);
    if (ch->percent) {
        chart_axis_set_num_format(c->y_axis, "0%");
        chart_axis_set_min(c->y_axis, 0);
    }
    if (ch->y_max > 0 && isfinite(ch->y_max)) chart_axis_set_max(c->y_axis, ch->y_max);
    if (ch->y_title && *ch->y_title) {
        const char *yt = label(x, ch->y_title, tmp, sizeof tmp);
        if (!yt) return -1;
        chart_axis_set_name(c->y_axis, yt);
        chart_axis_set_name_font(c->y_axis, &fa);
    }
    chart_legend_set_position(c, ch->nseries > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
    lxw_chart_options opt = {0};
    opt.x_scale = s->chart_px / CHART_W;
    opt.y_scale = 1.2;
    return xw_chk(x, worksheet_insert_chart_opt(s->ws, arow, acol, c, &opt), s->name, "insert chart");
}
