/*
 * render_xlsx.c — the XLSX renderer (see render_xlsx.h, doc/xlsx.md).
 *
 * libxlsxwriter 1.1.4 in constant_memory mode: every worksheet's rows are
 * written strictly top to bottom, so a section is planned as
 *   text rows before the table, [blank], [caption], header, data rows,
 *   [blank, text rows after the table], [blank, standalone chart data]
 * and written in that order; a table that reaches the row limit continues
 * on a new sheet.  Freeze panes, autofilters, column widths, print setup and
 * charts are not row data and can be set at any time.
 *
 * Every string goes through xlsx_utf8_clean() first (the library does not
 * validate UTF-8), every return code is checked, and the first error is
 * reported through err.
 */
#include "render/xlsx/render_xlsx.h"
#include "render/xlsx/sheet_name.h"
#include "base/dates.h"
#include <xlsxwriter.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define ROWS_MAX 1048576u /* Excel's rows per sheet */
#define COLS_MAX 16384
#define WIDTH_CAP 60.0    /* column width cap, in character units */
#define WIDTH_MIN 6.0
#define WIDTH_PAD 2.0
#define MAX_DEC 10        /* decimals shown at most */
#define LINE_HEIGHT 15.0  /* points per line of wrapped text (Calibri 11 / CJK fallback) */
#define ROW_HEIGHT_MAX 409.0

/* Number-format slots of the cell-format cache. */
enum { NF_GENERAL = 0, NF_NUM = 1, NF_PCT = NF_NUM + MAX_DEC + 1, NF_DATE = NF_PCT + MAX_DEC + 1, NF_COUNT };
enum { EM_NONE, EM_FINDING, EM_STRONG, EM_COUNT };
/* Formats of the text rows around a table. */
enum { TF_HEADING1, TF_HEADING2, TF_TEXT, TF_KEY, TF_CAPTION, TF_COUNT };

typedef struct {
    lxw_workbook *wb;
    char *err;
    size_t errlen;
    int failed;
    lxw_format *cell[NF_COUNT][EM_COUNT][3][2]; /* [numfmt][emph][align][wrap], made on demand */
    lxw_format *header;
    lxw_format *text[TF_COUNT];
    xlsx_sheet_names names;
    char *buf; /* scratch for cleaned strings */
    size_t bufcap;
    lxw_row_t max_rows;
    char *page_header, *page_footer;
    int nsheets;
} xw;

/* One section being written. */
typedef struct {
    xw *x;
    const rsection *sec;
    const rtable *t;     /* first table (NULL: none) */
    const rchart *ch;    /* first chart (NULL: none) */
    size_t tblock;       /* index of the table block (nblocks when none) */
    lxw_row_t limit;     /* rows per sheet */
    double *width;       /* per table column */
    int part;            /* 1 for the first sheet */
    lxw_worksheet *ws;   /* current sheet */
    char name[XLSX_SHEET_NAME_BUF];
    lxw_row_t row;       /* next row to write on ws */
    int table_open;      /* ws holds a table header at hdr */
    lxw_row_t hdr, tlast;/* header row and last table row written on ws */
    /* the first sheet, where the chart goes */
    lxw_worksheet *ws1;
    char name1[XLSX_SHEET_NAME_BUF];
    lxw_row_t hdr1;
    size_t rows1;        /* data rows of the table on the first sheet */
    int has_hdr1;
} sect;

/* --- errors and strings ------------------------------------------------------ */

__attribute__((format(printf, 2, 3)))
static int fail(xw *x, const char *fmt, ...)
{
    if (!x->failed && x->err && x->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    x->failed = 1;
    return -1;
}

static int chk(xw *x, lxw_error e, const char *sheet, const char *what)
{
    if (e == LXW_NO_ERROR) return 0;
    return fail(x, "xlsx: sheet \"%s\": %s: %s", sheet ? sheet : "", what, lxw_strerror(e));
}

static int chk_cell(sect *s, lxw_error e, lxw_row_t r, lxw_col_t c)
{
    if (e == LXW_NO_ERROR) return 0;
    return fail(s->x, "xlsx: sheet \"%s\": cell row %u column %u: %s", s->name, (unsigned)r + 1,
                (unsigned)c + 1, lxw_strerror(e));
}

/* s cleaned for libxlsxwriter, in the scratch buffer (valid until the next call). */
static const char *txt(xw *x, const char *s, int flags, size_t max_units)
{
    const char *r = xlsx_utf8_clean(s, max_units, flags, &x->buf, &x->bufcap);
    if (!r) fail(x, "xlsx: out of memory");
    return r;
}

/* A malloc'd clean copy (for strings that must coexist). */
static char *txt_dup(xw *x, const char *s, int flags, size_t max_units)
{
    const char *r = txt(x, s, flags, max_units);
    if (!r) return NULL;
    char *d = strdup(r);
    if (!d) fail(x, "xlsx: out of memory");
    return d;
}

/* A label libxlsxwriter would read as a formula when it starts with '='. */
static const char *label(xw *x, const char *s, char *tmp, size_t tmpsz)
{
    const char *c = txt(x, s, XLSX_CLEAN_CTRL, 255);
    if (!c) return NULL;
    if (c[0] != '=') return c;
    snprintf(tmp, tmpsz, " %s", c);
    return tmp;
}

/* --- formats ----------------------------------------------------------------- */

static lxw_format *new_format(xw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) fail(x, "xlsx: out of memory (format)");
    return f;
}

static lxw_format *cell_fmt(xw *x, int nf, int em, ralign al, int wrap)
{
    int a = al == ALIGN_CENTER ? 1 : al == ALIGN_RIGHT ? 2 : 0;
    lxw_format **slot = &x->cell[nf][em][a][wrap ? 1 : 0];
    if (*slot) return *slot;
    lxw_format *f = new_format(x);
    if (!f) return NULL;
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, a == 1 ? LXW_ALIGN_CENTER : a == 2 ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (wrap) format_set_text_wrap(f);
    if (nf >= NF_NUM && nf < NF_PCT) {
        char nfs[32] = "0";
        int d = nf - NF_NUM;
        if (d > 0) { strcat(nfs, "."); for (int i = 0; i < d; i++) strcat(nfs, "0"); }
        format_set_num_format(f, nfs);
    } else if (nf >= NF_PCT && nf < NF_DATE) {
        char nfs[32] = "0";
        int d = nf - NF_PCT;
        if (d > 0) { strcat(nfs, "."); for (int i = 0; i < d; i++) strcat(nfs, "0"); }
        strcat(nfs, "%");
        format_set_num_format(f, nfs);
    } else if (nf == NF_DATE) {
        format_set_num_format(f, "yyyy-mm-dd");
    }
    if (em == EM_FINDING) {
        format_set_bg_color(f, 0xFFC7CE); /* Excel's "light red fill" */
        format_set_font_color(f, 0x9C0006);
    } else if (em == EM_STRONG) {
        format_set_bold(f);
    }
    *slot = f;
    return f;
}

static int make_formats(xw *x)
{
    lxw_format *f = x->header = new_format(x);
    if (!f) return -1;
    format_set_bold(f);
    format_set_bg_color(f, 0xD9D9D9);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    for (int i = 0; i < TF_COUNT; i++) {
        f = x->text[i] = new_format(x);
        if (!f) return -1;
        format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
        switch (i) {
        case TF_HEADING1: format_set_bold(f); format_set_font_size(f, 14); break;
        case TF_HEADING2: format_set_bold(f); format_set_font_size(f, 12); break;
        case TF_KEY: format_set_bold(f); break;
        case TF_CAPTION: format_set_bold(f); format_set_font_size(f, 12); break;
        default: break;
        }
    }
    return 0;
}

/* --- sheets ------------------------------------------------------------------ */

static lxw_row_t row_limit(void)
{
    const char *e = getenv("ZHIBU_XLSX_MAX_ROWS"); /* testing only, see render_xlsx.h */
    if (e && *e) {
        char *end;
        errno = 0;
        unsigned long v = strtoul(e, &end, 10);
        if (!*end && !errno && v >= 3 && v < ROWS_MAX) return (lxw_row_t)v;
    }
    return ROWS_MAX;
}

static int open_sheet(sect *s)
{
    xw *x = s->x;
    s->part++;
    int rc = s->part == 1 ? xlsx_sheet_name_unique(&x->names, s->sec->sheet_name, s->name)
                          : xlsx_sheet_name_part(&x->names, s->name1, s->part, s->name);
    if (rc) return fail(x, "xlsx: out of memory");
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, s->name);
    if (!ws) return fail(x, "xlsx: cannot add worksheet \"%s\"", s->name);
    x->nsheets++;
    s->ws = ws;
    s->row = 0;
    s->table_open = 0;
    if (s->part == 1) {
        s->ws1 = ws;
        memcpy(s->name1, s->name, sizeof s->name1);
    }
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    if (chk(x, worksheet_set_header(ws, x->page_header), s->name, "page header")) return -1;
    if (chk(x, worksheet_set_footer(ws, x->page_footer), s->name, "page footer")) return -1;
    if (s->t) {
        for (int c = 0; c < s->t->ncols; c++)
            if (chk(x, worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, s->width[c], NULL),
                    s->name, "column width"))
                return -1;
    }
    return 0;
}

/* Set the frozen pane, autofilter and printed title row of the table on ws. */
static int close_table(sect *s)
{
    if (!s->table_open) return 0;
    s->table_open = 0;
    worksheet_freeze_panes(s->ws, s->hdr + 1, 0);
    if (chk(s->x, worksheet_autofilter(s->ws, s->hdr, 0, s->tlast, (lxw_col_t)(s->t->ncols - 1)),
            s->name, "autofilter"))
        return -1;
    return chk(s->x, worksheet_repeat_rows(s->ws, s->hdr, s->hdr), s->name, "repeat rows");
}

/* Wrapped text: libxlsxwriter writes no row height, and LibreOffice (and
   Excel in some versions) then show one line only; so set the height from
   the estimated line count.  Must come before the row's cells (constant_memory). */
static int row_height(sect *s, int lines)
{
    if (lines <= 1) return 0;
    double h = LINE_HEIGHT * lines + 2;
    if (h > ROW_HEIGHT_MAX) h = ROW_HEIGHT_MAX;
    return chk(s->x, worksheet_set_row(s->ws, s->row, h, NULL), s->name, "row height");
}

static int wrap_lines(const sect *s, int c, const char *text)
{
    if (!strchr(text, '\n') && xlsx_text_width(text) + 1 <= s->width[c]) return 1;
    return xlsx_text_lines(text, s->width[c] - 1.5);
}

static int write_header(sect *s)
{
    xw *x = s->x;
    int lines = 1;
    for (int c = 0; c < s->t->ncols; c++) {
        int l = wrap_lines(s, c, s->t->cols[c].title ? s->t->cols[c].title : "");
        if (l > lines) lines = l;
    }
    if (row_height(s, lines)) return -1;
    s->hdr = s->tlast = s->row;
    s->table_open = 1;
    if (s->part == 1) { s->hdr1 = s->row; s->has_hdr1 = 1; }
    for (int c = 0; c < s->t->ncols; c++) {
        const char *h = txt(x, s->t->cols[c].title, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
        if (!h) return -1;
        if (chk_cell(s, worksheet_write_string(s->ws, s->row, (lxw_col_t)c, h, x->header), s->row,
                     (lxw_col_t)c))
            return -1;
    }
    s->row++;
    return 0;
}

/* Make room for one more row: continue on a new sheet at the limit (with
   the table's header again when the row belongs to the table). */
static int room(sect *s, int table_row)
{
    if (s->row < s->limit) return 0;
    if (close_table(s) || open_sheet(s)) return -1;
    return table_row ? write_header(s) : 0;
}

/* --- cells ------------------------------------------------------------------- */

static int clamp_dec(int d) { return d < 0 ? 0 : d > MAX_DEC ? MAX_DEC : d; }

static int write_cell(sect *s, lxw_row_t r, lxw_col_t c, const rcell *cell, ralign al)
{
    xw *x = s->x;
    int em = cell->emph == EMPH_FINDING ? EM_FINDING : cell->emph == EMPH_STRONG ? EM_STRONG : EM_NONE;
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
        if (!(f = cell_fmt(x, NF_GENERAL, em, al, 0))) return -1;
        return chk_cell(s, worksheet_write_blank(s->ws, r, c, f), r, c);
    case CELL_TEXT:
    default: break;
    }
    /* A non-finite number would be written as "nan"/"inf" and corrupt the
       file; a date before 1900 is no Excel date: both go out as their text. */
    if (nf >= 0 && isfinite(cell->num) && !(nf == NF_DATE && cell->num < 1)) {
        if (!(f = cell_fmt(x, nf, em, al, 0))) return -1;
        return chk_cell(s, worksheet_write_number(s->ws, r, c, cell->num, f), r, c);
    }
    const char *t = txt(x, cell->text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    int wrap = strchr(t, '\n') != NULL || xlsx_text_width(t) + 1 > s->width[c];
    if (!(f = cell_fmt(x, NF_GENERAL, em, al, wrap))) return -1;
    /* worksheet_write_string never makes a formula, whatever the text starts with */
    return chk_cell(s, worksheet_write_string(s->ws, r, c, t, f), r, c);
}

/* Plain text in column col of a new row (the row must have room). */
static int text_cell(sect *s, lxw_col_t col, const char *text, lxw_format *f)
{
    const char *t = txt(s->x, text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    return chk_cell(s, worksheet_write_string(s->ws, s->row, col, t, f), s->row, col);
}

/* Rows for the text blocks [from, to) of the section (headings, paragraphs,
   key/value lists); count only when write is 0. */
static size_t text_rows(sect *s, size_t from, size_t to, int write)
{
    size_t n = 0;
    for (size_t i = from; i < to; i++) {
        const rblock *b = &s->sec->blocks[i];
        if (b->kind == BLK_HEADING || b->kind == BLK_PARAGRAPH) {
            n++;
            if (!write) continue;
            lxw_format *f = b->kind == BLK_PARAGRAPH ? s->x->text[TF_TEXT]
                            : b->level <= 1           ? s->x->text[TF_HEADING1]
                            : b->level == 2           ? s->x->text[TF_HEADING2]
                                                      : s->x->text[TF_KEY];
            if (room(s, 0) || text_cell(s, 0, b->text, f)) return (size_t)-1;
            s->row++;
        } else if (b->kind == BLK_KV && b->kv) {
            n += (size_t)b->kv->nitems;
            if (!write) continue;
            for (int k = 0; k < b->kv->nitems; k++) {
                if (room(s, 0) || text_cell(s, 0, b->kv->keys[k], s->x->text[TF_KEY]) ||
                    text_cell(s, 1, b->kv->values[k], s->x->text[TF_TEXT]))
                    return (size_t)-1;
                s->row++;
            }
        }
    }
    return n;
}

/* --- table ------------------------------------------------------------------- */

static int cell_width(const rcell *c)
{
    if (c->type == CELL_DATE) return 10;
    return xlsx_text_width(c->text);
}

static int plan_widths(sect *s)
{
    const rtable *t = s->t;
    s->width = calloc((size_t)t->ncols, sizeof *s->width);
    if (!s->width) return fail(s->x, "xlsx: out of memory");
    for (int c = 0; c < t->ncols; c++) {
        double hw = xlsx_text_width(t->cols[c].title) * 1.1 + WIDTH_PAD; /* bold header */
        if (hw > WIDTH_CAP) hw = WIDTH_CAP;
        int best = 0;
        for (size_t r = 0; r < t->nrows; r++) {
            int w = cell_width(&t->cells[r * (size_t)t->ncols + (size_t)c]);
            if (w > best) best = w;
        }
        double w = best + WIDTH_PAD;
        if (w > WIDTH_CAP) w = WIDTH_CAP;
        if (w < hw) w = hw;
        if (w < WIDTH_MIN) w = WIDTH_MIN;
        s->width[c] = w;
    }
    return 0;
}

static int write_table(sect *s)
{
    const rtable *t = s->t;
    if (t->caption && *t->caption) {
        if (room(s, 0) || text_cell(s, 0, t->caption, s->x->text[TF_CAPTION])) return -1;
        s->row++;
    }
    if (room(s, 0) || write_header(s)) return -1;
    for (size_t r = 0; r < t->nrows; r++) {
        if (room(s, 1)) return -1;
        const rcell *row = &t->cells[r * (size_t)t->ncols];
        int lines = 1;
        for (int c = 0; c < t->ncols; c++) {
            if (row[c].type != CELL_TEXT || !row[c].text) continue;
            int l = wrap_lines(s, c, row[c].text);
            if (l > lines) lines = l;
        }
        if (row_height(s, lines)) return -1;
        for (int c = 0; c < t->ncols; c++)
            if (write_cell(s, s->row, (lxw_col_t)c, &row[c], t->cols[c].align)) return -1;
        if (s->part == 1) s->rows1++;
        s->tlast = s->row++;
    }
    if (t->nrows == 0 && t->empty_text) {
        if (room(s, 1)) return -1;
        lxw_format *f = cell_fmt(s->x, NF_GENERAL, EM_NONE, ALIGN_LEFT, 0);
        if (!f || text_cell(s, 0, t->empty_text, f)) return -1;
        for (int c = 1; c < t->ncols; c++)
            if (chk_cell(s, worksheet_write_blank(s->ws, s->row, (lxw_col_t)c, f), s->row, (lxw_col_t)c))
                return -1;
        s->tlast = s->row++;
    }
    return close_table(s);
}

/* --- chart ------------------------------------------------------------------- */

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

static int write_chart(sect *s)
{
    xw *x = s->x;
    const rchart *ch = s->ch;
    if (!ch || ch->ncats <= 0 || ch->nseries <= 0 || (size_t)ch->ncats + 2 >= ROWS_MAX) return 0;

    /* Where the data is: sheet, first category row, columns. */
    char dname[XLSX_SHEET_NAME_BUF];
    lxw_row_t first, hrow;
    lxw_col_t catcol;
    size_t n;
    lxw_row_t arow;
    lxw_col_t acol;
    int table = chart_uses_table(s);
    if (table) {
        memcpy(dname, s->name1, sizeof dname);
        hrow = s->hdr1;
        first = s->hdr1 + 1;
        catcol = (lxw_col_t)ch->table_cat_col;
        n = (size_t)ch->ncats < s->rows1 ? (size_t)ch->ncats : s->rows1;
        arow = s->hdr1;
        acol = (lxw_col_t)(s->t->ncols + 1);
    } else {
        /* Standalone: a small block (header + one row per category) after
           everything else, contiguous on one sheet. */
        size_t need = (size_t)ch->ncats + 2;
        if (s->row > 0 && s->row + need > s->limit) {
            if (close_table(s) || open_sheet(s)) return -1;
        } else if (s->row > 0) {
            s->row++; /* blank row */
        }
        memcpy(dname, s->name, sizeof dname);
        hrow = s->row;
        first = s->row + 1;
        catcol = 0;
        n = (size_t)ch->ncats;
        lxw_format *hf = x->header;
        const char *cap = txt(x, ch->title && *ch->title ? ch->title : "类别", XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
        if (!cap || chk_cell(s, worksheet_write_string(s->ws, hrow, 0, cap, hf), hrow, 0)) return -1;
        for (int i = 0; i < ch->nseries; i++) {
            const char *nm = txt(x, ch->series[i].name ? ch->series[i].name : "", XLSX_CLEAN_XESC,
                                 XLSX_STRING_UNITS);
            if (!nm || chk_cell(s, worksheet_write_string(s->ws, hrow, (lxw_col_t)(i + 1), nm, hf), hrow,
                                (lxw_col_t)(i + 1)))
                return -1;
        }
        lxw_format *cf = cell_fmt(x, NF_GENERAL, EM_NONE, ALIGN_LEFT, 0);
        lxw_format *vf = cell_fmt(x, ch->percent ? NF_PCT + 1 : NF_GENERAL, EM_NONE, ALIGN_RIGHT, 0);
        if (!cf || !vf) return -1;
        for (int k = 0; k < ch->ncats; k++) {
            lxw_row_t r = first + (lxw_row_t)k;
            const char *cat = txt(x, ch->cats && ch->cats[k] ? ch->cats[k] : "", XLSX_CLEAN_XESC,
                                  XLSX_STRING_UNITS);
            if (!cat || chk_cell(s, worksheet_write_string(s->ws, r, 0, cat, cf), r, 0)) return -1;
            for (int i = 0; i < ch->nseries; i++) {
                double v = ch->series[i].values ? ch->series[i].values[k] : 0;
                lxw_error e = isfinite(v) ? worksheet_write_number(s->ws, r, (lxw_col_t)(i + 1), v, vf)
                                          : worksheet_write_blank(s->ws, r, (lxw_col_t)(i + 1), vf);
                if (chk_cell(s, e, r, (lxw_col_t)(i + 1))) return -1;
            }
        }
        s->row = first + (lxw_row_t)ch->ncats;
        if (s->ws == s->ws1 && !s->t) {
            arow = hrow;
            acol = (lxw_col_t)(ch->nseries + 2);
        } else if (s->t) {
            arow = s->has_hdr1 ? s->hdr1 : 0;
            acol = (lxw_col_t)(s->t->ncols + 1);
        } else {
            arow = 0;
            acol = (lxw_col_t)(ch->nseries + 2);
        }
    }

    lxw_chart *c = workbook_add_chart(x->wb, ch->kind == CHART_LINE ? LXW_CHART_LINE : LXW_CHART_COLUMN);
    if (!c) return fail(x, "xlsx: sheet \"%s\": cannot add chart", s->name1);
    char tmp[1024];
    const char *title = label(x, ch->title, tmp, sizeof tmp);
    if (!title) return -1;
    if (*title) chart_title_set_name(c, title);
    for (int i = 0; i < ch->nseries; i++) {
        lxw_chart_series *se = chart_add_series(c, NULL, NULL);
        if (!se) return fail(x, "xlsx: sheet \"%s\": cannot add chart series", s->name1);
        lxw_col_t vc = table ? (lxw_col_t)ch->table_val_cols[i] : (lxw_col_t)(i + 1);
        lxw_row_t last = first + (lxw_row_t)n - 1;
        chart_series_set_categories(se, dname, first, catcol, last, catcol);
        chart_series_set_values(se, dname, first, vc, last, vc);
        chart_series_set_name_range(se, dname, hrow, vc);
        if (ch->kind == CHART_LINE) chart_series_set_marker_type(se, LXW_CHART_MARKER_AUTOMATIC);
        if (ch->kind == CHART_BAR && n <= 20 && ch->nseries <= 2) {
            chart_series_set_labels(se);
            if (ch->percent) chart_series_set_labels_num_format(se, "0.0%");
        }
    }
    if (ch->percent) {
        chart_axis_set_num_format(c->y_axis, "0%");
        chart_axis_set_min(c->y_axis, 0);
    }
    if (ch->y_max > 0 && isfinite(ch->y_max)) chart_axis_set_max(c->y_axis, ch->y_max);
    if (ch->y_title && *ch->y_title) {
        const char *yt = label(x, ch->y_title, tmp, sizeof tmp);
        if (!yt) return -1;
        chart_axis_set_name(c->y_axis, yt);
    }
    chart_legend_set_position(c, ch->nseries > 1 ? LXW_CHART_LEGEND_BOTTOM : LXW_CHART_LEGEND_NONE);
    lxw_chart_options opt = {0};
    opt.x_offset = 10;
    opt.x_scale = ch->ncats > 8 ? (ch->ncats > 24 ? 3.0 : ch->ncats / 8.0) : 1.0;
    opt.y_scale = 1.2;
    return chk(x, worksheet_insert_chart_opt(s->ws1, arow, acol, c, &opt), s->name1, "insert chart");
}

/* --- sections ------------------------------------------------------------------ */

static int render_section(xw *x, const rsection *sec)
{
    sect s;
    memset(&s, 0, sizeof s);
    s.x = x;
    s.sec = sec;
    s.tblock = sec->nblocks;
    for (size_t i = 0; i < sec->nblocks; i++) {
        const rblock *b = &sec->blocks[i];
        if (b->kind == BLK_TABLE && b->table && b->table->ncols > 0 && s.tblock == sec->nblocks) {
            s.t = b->table;
            s.tblock = i;
        }
        if (b->kind == BLK_CHART && b->chart && !s.ch) s.ch = b->chart;
    }
    if (s.t && s.t->ncols > COLS_MAX)
        return fail(x, "xlsx: sheet \"%s\": %d columns, more than Excel's %d", sec->sheet_name,
                    s.t->ncols, COLS_MAX);

    /* The first sheet must hold the text rows, a blank, the caption, the
       header and at least one data row. */
    size_t pre = text_rows(&s, 0, s.tblock, 0);
    size_t need = pre + (pre ? 1 : 0) + (s.t && s.t->caption && *s.t->caption ? 1 : 0) + 2;
    s.limit = x->max_rows;
    if (need > s.limit) s.limit = need > ROWS_MAX ? ROWS_MAX : (lxw_row_t)need;

    int rc = -1;
    if (s.t && plan_widths(&s)) goto out;
    if (open_sheet(&s)) goto out;
    if (text_rows(&s, 0, s.tblock, 1) == (size_t)-1) goto out;
    if (s.t) {
        if (pre) s.row++;
        if (write_table(&s)) goto out;
        if (text_rows(&s, s.tblock + 1, sec->nblocks, 0) > 0) {
            if (s.row < s.limit) s.row++; /* blank row */
            if (text_rows(&s, s.tblock + 1, sec->nblocks, 1) == (size_t)-1) goto out;
        }
    }
    if (write_chart(&s) || close_table(&s)) goto out;
    rc = 0;
out:
    free(s.width);
    return rc;
}

/* --- workbook ------------------------------------------------------------------ */

/* Unix time of YYYY-MM-DD at 00:00 UTC (0 when the text is not a date). */
static time_t date_time(const char *ymd)
{
    int y, m, d;
    char extra;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || !date_valid(y, m, d)) return 0;
    long serial = date_serial(y * 10000 + m * 100 + d);
    return (time_t)(serial - 25569L) * 86400; /* 25569 = serial of 1970-01-01 */
}

/* Free text for a page header/footer: '&' (a code there) becomes '＆'. */
static char *hf_text(xw *x, const char *s)
{
    const char *c = txt(x, s ? s : "", XLSX_CLEAN_CTRL, 100);
    if (!c) return NULL;
    size_t n = 0;
    for (const char *p = c; *p; p++) n += *p == '&' ? 3 : 1;
    char *o = malloc(n + 1), *q = o;
    if (!o) { fail(x, "xlsx: out of memory"); return NULL; }
    for (const char *p = c; *p; p++) {
        if (*p == '&') { memcpy(q, "\xEF\xBC\x86", 3); q += 3; }
        else *q++ = (*p == '\n' || *p == '\t') ? ' ' : *p;
    }
    *q = '\0';
    return o;
}

static int set_page_texts(xw *x, const rdoc *doc)
{
    char *title = hf_text(x, doc->title);
    char *foot = title ? hf_text(x, doc->footer) : NULL;
    int rc = -1;
    if (!foot) goto out;
    const char *pages = "&C&A — 第 &P 页，共 &N 页";
    x->page_header = malloc(strlen(title) + 8);
    x->page_footer = malloc(strlen(foot) + strlen(pages) + 8);
    if (!x->page_header || !x->page_footer) { fail(x, "xlsx: out of memory"); goto out; }
    sprintf(x->page_header, "%s%s", *title ? "&L" : "", title);
    sprintf(x->page_footer, "%s%s%s", *foot ? "&L" : "", foot, pages);
    rc = 0;
out:
    free(title);
    free(foot);
    return rc;
}

static int set_properties(xw *x, const rdoc *doc)
{
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    int rc = -1;
    p.title = doc->title ? txt_dup(x, doc->title, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.subject = doc->subject ? txt_dup(x, doc->subject, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.author = doc->author ? txt_dup(x, doc->author, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.company = doc->author ? txt_dup(x, doc->author, XLSX_CLEAN_CTRL, 1000) : NULL;
    /* the audit trail (doc/audit.md): Keywords for people, custom properties for zhibu verify */
    if (doc->audit.fingerprint) {
        char kw[128];
        snprintf(kw, sizeof kw, "数据指纹 %s", doc->audit.fingerprint);
        p.keywords = txt_dup(x, kw, XLSX_CLEAN_CTRL, 1000);
    }
    if (x->failed) goto out;
    /* A fixed creation time (0 would mean "now"): the document's date, else 2000-01-01. */
    p.created = date_time(doc->date);
    if (!p.created) p.created = (time_t)946684800;
    rc = chk(x, workbook_set_properties(x->wb, &p), "", "document properties");
    const char *const keys[] = {RAUDIT_KEY_FINGERPRINT, RAUDIT_KEY_VERSION, RAUDIT_KEY_RUN, RAUDIT_KEY_OPTIONS,
                                RAUDIT_KEY_DOCUMENT};
    const char *const vals[] = {doc->audit.fingerprint, doc->audit.version, doc->audit.run, doc->audit.options,
                                doc->audit.document};
    for (int i = 0; rc == 0 && doc->audit.fingerprint && i < 5; i++) {
        if (!vals[i]) continue;
        char *v = txt_dup(x, vals[i], XLSX_CLEAN_CTRL, 1000);
        rc = v ? chk(x, workbook_set_custom_property_string(x->wb, keys[i], v), "", "custom properties") : -1;
        free(v);
    }
out:
    free(p.keywords);
    free(p.title);
    free(p.subject);
    free(p.author);
    free(p.company);
    return rc;
}

/* The directory of path (malloc'd), where libxlsxwriter keeps its temporary files. */
static char *dir_of(const char *path)
{
    const char *slash = strrchr(path, '/');
    return slash ? strndup(path, slash == path ? 1 : (size_t)(slash - path)) : strdup(".");
}

int xlsx_render(const rdoc *doc, const char *path, char *err, size_t errlen)
{
    xw x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.errlen = errlen;
    if (err && errlen) err[0] = '\0';
    if (!doc || !path || !*path) return fail(&x, "xlsx: no document or no path");
    x.max_rows = row_limit();

    char *tmpdir = dir_of(path);
    if (!tmpdir) return fail(&x, "xlsx: out of memory");
    if (access(tmpdir, W_OK | X_OK) != 0) {
        fail(&x, "xlsx: %s: cannot write in %s: %s", path, tmpdir, strerror(errno));
        free(tmpdir);
        return -1;
    }
    lxw_workbook_options opt;
    memset(&opt, 0, sizeof opt);
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = tmpdir;
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        free(tmpdir);
        return fail(&x, "xlsx: %s: cannot create workbook", path);
    }

    int rc = 0;
    if (make_formats(&x) || set_properties(&x, doc) || set_page_texts(&x, doc)) rc = -1;
    for (size_t i = 0; rc == 0 && i < doc->nsections; i++)
        if (doc->sections[i].sheet_name && render_section(&x, &doc->sections[i])) rc = -1;
    if (rc == 0 && x.nsheets == 0) {
        /* No sheet at all: Excel refuses an empty workbook; add one with the title. */
        char name[XLSX_SHEET_NAME_BUF];
        lxw_worksheet *ws = NULL;
        if (xlsx_sheet_name_unique(&x.names, doc->title, name)) rc = fail(&x, "xlsx: out of memory");
        else if (!(ws = workbook_add_worksheet(x.wb, name))) rc = fail(&x, "xlsx: cannot add worksheet \"%s\"", name);
        else {
            const char *t = txt(&x, doc->title ? doc->title : "", XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
            if (!t || chk(&x, worksheet_write_string(ws, 0, 0, t, NULL), name, "title")) rc = -1;
        }
    }

    if (rc == 0) {
        lxw_error e = workbook_close(x.wb); /* frees the workbook, also on error */
        if (e) {
            fail(&x, "xlsx: %s: %s", path, lxw_strerror(e));
            unlink(path);
            rc = -1;
        }
    } else {
        lxw_workbook_free(x.wb);
    }
    free(tmpdir);
    free(x.buf);
    free(x.page_header);
    free(x.page_footer);
    xlsx_sheet_names_free(&x.names);
    return rc;
}
