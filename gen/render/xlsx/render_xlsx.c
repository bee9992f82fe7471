/*
 * render_xlsx.c — the XLSX renderer (see render_xlsx.h, doc/xlsx.md).
 *
 * libxlsxwriter 1.1.4 in constant_memory mode: every worksheet's rows are
 * written strictly top to bottom, so a section is planned as
 *   text rows before the table, [blank], [caption], header, data rows,
 *   total rows, [blank, text rows after the table], [blank, standalone chart
 *   data], [blank, the chart]
 * and written in that order; a table that reaches the row limit continues
 * on a new sheet.  A table's rows are read through rtable_row() (held or
 * made by a row source) twice: once to size the columns, once to write.
 * Freeze panes, autofilters, column widths, print setup, conditional
 * formats, data validations and charts are not row data and are set when a
 * sheet's part of the table is complete.
 *
 * Two libxlsxwriter 1.1.4 bugs are avoided (STACK-NOTES): a data validation
 * list is never given as value_list (a Chinese list overflows the heap) but
 * as a formula — the inline "a,b,c" Excel itself writes, or a range on a
 * hidden sheet when the list cannot be inline; conditional formats are
 * formula rules over one column each (text and date rules over several
 * columns take the wrong first cell).
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
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* A leak inside libxlsxwriter that zhibu cannot free (see apply_list). */
#define LIBRARY_LEAKS_BEGIN() __lsan_disable()
#define LIBRARY_LEAKS_END() __lsan_enable()
#else
#define LIBRARY_LEAKS_BEGIN() ((void)0)
#define LIBRARY_LEAKS_END() ((void)0)
#endif

#define ROWS_MAX 1048576u /* Excel's rows per sheet */
#define COLS_MAX 16384
#define WIDTH_CAP 60.0    /* column width cap, in character units */
#define WIDTH_MIN 6.0
#define WIDTH_PAD 2.0
#define NUMBER_PAD 1.0    /* a number or a date (Excel's 5 px margin is on top) */
#define TEXT_MIN 8.0      /* a text column is not narrowed below this (4 CJK) to fit the page */
#define DROPDOWN_PAD 2.0  /* room for the dropdown button of a list column */
#define MAX_DEC 10        /* decimals shown at most */
#define LINE_HEIGHT 15.0  /* points per line of wrapped text (11 pt 等线 / CJK fallback) */
#define ROW_HEIGHT_MAX 409.0
#define DEFAULT_FONT "等线" /* Office's Chinese default (DengXian); rdoc.workbook_font overrides */
#define FONT_SIZE 11.0
/* Print: A4 landscape with 0.5" side margins, 96 px per inch; Excel's column
   of width w (characters of the default font) is 7w + 5 px. */
#define PRINT_WIDTH_PX ((842.0 - 2 * 36.0) * 96.0 / 72.0)
#define MIN_PRINT_SCALE 0.75 /* what the widths aim at: 11 pt prints at 8.25 pt */
#define PRINT_FLOOR (8.0 / 11.0) /* fitted to the page, 11 pt text never prints below 8 pt */
/* A reader without the workbook's font measures columns with its substitute's
   digits: LibreOffice without 等线 takes DejaVu Sans, whose digit is a third
   wider than Excel's 7 px — and so are the columns on its page (measured:
   1.34; 1.36 leaves a margin). */
#define WIDE_DIGITS 1.36
#define COL_PX(w) (floor(7.0 * (w) + 0.5) + 5.0) /* whole pixels, as libxlsxwriter anchors drawings */
#define CHART_W 480.0     /* libxlsxwriter's chart size, px */
#define CHART_H 288.0
#define LIST_SHEET "下拉选项" /* the hidden sheet of dropdown lists that cannot be inline */
#define INLINE_LIST_MAX 255 /* an inline list, commas included, in bytes (see apply_list) */

/* Number-format slots of the cell-format cache. */
enum { NF_GENERAL = 0, NF_NUM = 1, NF_PCT = NF_NUM + MAX_DEC + 1, NF_DATE = NF_PCT + MAX_DEC + 1, NF_COUNT };
enum { EM_NONE, EM_FINDING, EM_STRONG, EM_COUNT };
/* Formats of the text rows around a table. */
enum { TF_HEADING1, TF_HEADING2, TF_TEXT, TF_KEY, TF_CAPTION, TF_COUNT };
enum { TONES = 3 };

/* A dropdown list written on the hidden list sheet. */
typedef struct {
    char **items;
    int n;
} xlist;

typedef struct {
    lxw_workbook *wb;
    char *err;
    size_t errlen;
    int failed;
    lxw_format *cell[NF_COUNT][EM_COUNT][3][2]; /* [numfmt][emph][align][wrap], made on demand */
    lxw_format *header;
    lxw_format *text[TF_COUNT];
    lxw_format *wrapped[TF_COUNT]; /* the same, wrapping (a text row merged across the table) */
    lxw_format *tone[TONES];       /* conditional formats (rtone) */
    char font[128];
    xlsx_sheet_names names;
    char *buf; /* scratch for cleaned strings */
    size_t bufcap;
    lxw_row_t max_rows;
    char *page_header, *page_footer;
    int nsheets;
    xlist *lists;          /* lists for the hidden sheet */
    int nlists;
    char list_sheet[XLSX_SHEET_NAME_BUF];
} xw;

/* The rows of a table on one sheet. */
typedef struct {
    char name[XLSX_SHEET_NAME_BUF];
    lxw_row_t first, last; /* data rows (not the total rows) */
    size_t rows;           /* 0: none */
} tpart;

/* One section being written. */
typedef struct {
    xw *x;
    const rsection *sec;
    const rtable *t;     /* first table (NULL: none) */
    const rchart *ch;    /* first chart (NULL: none) */
    size_t tblock;       /* index of the table block (nblocks when none) */
    lxw_row_t limit;     /* rows per sheet */
    double *width;       /* per table column */
    double table_px;     /* the table's width in pixels */
    double chart_px;     /* the chart's width in pixels (0: none) */
    rcell *rowbuf;       /* one row for rtable_row() */
    int part;            /* 1 for the first sheet */
    lxw_worksheet *ws;   /* current sheet */
    char name[XLSX_SHEET_NAME_BUF];
    lxw_row_t row;       /* next row to write on ws */
    int table_open;      /* ws holds a table header at hdr */
    lxw_row_t hdr, tlast;/* header row and last table row written on ws */
    int totals;          /* a total row has been written: no more data rows */
    int filtered;        /* the autofilter of the table on ws is set */
    tpart cur;           /* the data rows on ws */
    tpart *parts;        /* the closed sheets of the table */
    size_t nparts;
    /* the first sheet, where the chart's data is */
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

/* A growing string (formulas). */
typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static int sb_add(xw *x, sbuf *b, const char *t)
{
    size_t k = strlen(t);
    if (b->n + k + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        while (c < b->n + k + 1) c *= 2;
        char *p = realloc(b->s, c);
        if (!p) return fail(x, "xlsx: out of memory");
        b->s = p;
        b->cap = c;
    }
    memcpy(b->s + b->n, t, k + 1);
    b->n += k;
    return 0;
}

/* A string literal in a formula: "text" with quotes doubled. */
static int sb_quoted(xw *x, sbuf *b, const char *t)
{
    if (sb_add(x, b, "\"")) return -1;
    for (const char *p = t; *p; p++) {
        char one[3] = {*p, 0, 0};
        if (*p == '"') one[1] = '"';
        if (sb_add(x, b, one)) return -1;
    }
    return sb_add(x, b, "\"");
}

/* --- formats ----------------------------------------------------------------- */

static lxw_format *new_format(xw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        fail(x, "xlsx: out of memory (format)");
        return NULL;
    }
    format_set_font_name(f, x->font);
    format_set_font_family(f, 2);
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

static int make_formats(xw *x, const rdoc *doc)
{
    /* The workbook's default (Normal) style is libxlsxwriter's first format:
       its font becomes the workbook's, so blank cells, new rows and the
       column width unit all take it (1.1.4 has no setter; the struct is public). */
    const char *fn = txt(x, doc->workbook_font && *doc->workbook_font ? doc->workbook_font : DEFAULT_FONT,
                         XLSX_CLEAN_CTRL, 31);
    if (!fn) return -1;
    snprintf(x->font, sizeof x->font, "%s", fn);
    lxw_format *def = STAILQ_FIRST(x->wb->formats);
    if (!def) return fail(x, "xlsx: no default format");
    format_set_font_name(def, x->font);
    format_set_font_family(def, 2);

    lxw_format *f = x->header = new_format(x);
    if (!f) return -1;
    format_set_bold(f);
    format_set_bg_color(f, 0xD9D9D9);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < TF_COUNT; i++) {
            f = new_format(x);
            if (!f) return -1;
            (w ? x->wrapped : x->text)[i] = f;
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            if (w) {
                format_set_text_wrap(f);
                format_set_align(f, LXW_ALIGN_LEFT);
            }
            switch (i) {
            case TF_HEADING1: format_set_bold(f); format_set_font_size(f, 14); break;
            case TF_HEADING2: format_set_bold(f); format_set_font_size(f, 12); break;
            case TF_KEY: format_set_bold(f); break;
            case TF_CAPTION: format_set_bold(f); format_set_font_size(f, 12); break;
            default: break;
            }
        }
    /* the tones of conditional formats: Excel's bad / neutral / good styles */
    static const lxw_color_t bg[TONES] = {0xFFC7CE, 0xFFEB9C, 0xC6EFCE};
    static const lxw_color_t fg[TONES] = {0x9C0006, 0x9C5700, 0x006100};
    for (int i = 0; i < TONES; i++) {
        if (!(f = x->tone[i] = new_format(x))) return -1;
        format_set_bg_color(f, bg[i]);
        format_set_font_color(f, fg[i]);
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

static int freeze_cols(const rtable *t)
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
    int fc = freeze_cols(s->t);
    if (fc > 0) return chk(s->x, worksheet_repeat_columns(ws, 0, (lxw_col_t)(fc - 1)), s->name, "repeat columns");
    return 0;
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
    s->filtered = 0;
    memset(&s->cur, 0, sizeof s->cur);
    memcpy(s->cur.name, s->name, sizeof s->cur.name);
    if (s->part == 1) {
        s->ws1 = ws;
        memcpy(s->name1, s->name, sizeof s->name1);
    }
    if (print_setup(s, ws)) return -1;
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

/* --- marks and dropdowns ------------------------------------------------------- */

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
        return sb_add(x, b, "AND(ISNUMBER(") || sb_add(x, b, ref) || sb_add(x, b, "),") || sb_add(x, b, ref) ||
               sb_add(x, b, op) || sb_add(x, b, num) || sb_add(x, b, ")");
    case RMARK_BELOW_COL:
        return sb_add(x, b, "AND(ISNUMBER(") || sb_add(x, b, ref) || sb_add(x, b, "),ISNUMBER(") ||
               sb_add(x, b, other) || sb_add(x, b, "),") || sb_add(x, b, ref) || sb_add(x, b, "<") ||
               sb_add(x, b, other) || sb_add(x, b, ")");
    case RMARK_TEXT_IS:
        if (sb_add(x, b, "OR(")) return -1;
        for (int i = 0; i < m->ntexts; i++) {
            const char *t = txt(x, m->texts[i], XLSX_CLEAN_CTRL, 255);
            if (!t || (i && sb_add(x, b, ",")) || sb_add(x, b, ref) || sb_add(x, b, "=") || sb_quoted(x, b, t))
                return -1;
        }
        return sb_add(x, b, ")");
    }
    return -1;
}

/* The conditional formats of column c over rows r1..r2 of the current sheet. */
static int apply_marks(sect *s, int c, lxw_row_t r1, lxw_row_t r2)
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
        int rc = sb_add(x, &f, "=") || mark_formula(x, m, ref, other, &f) ? -1 : 0;
        if (rc == 0) {
            lxw_conditional_format cf;
            memset(&cf, 0, sizeof cf);
            cf.type = LXW_CONDITIONAL_TYPE_FORMULA;
            cf.value_string = f.s;
            cf.format = x->tone[m->tone];
            rc = chk(x, worksheet_conditional_format_range(s->ws, r1, (lxw_col_t)c, r2, (lxw_col_t)c, &cf), s->name,
                     "conditional format");
        }
        free(f.s);
        if (rc) return -1;
    }
    return 0;
}

/*
 * A column's dropdown.  Excel's inline list ("a,b,c" in the file) when no
 * item holds ',' or '"' and the list, commas included, is at most 255
 * bytes: libxlsxwriter 1.1.4 builds it in a 258-byte buffer while it
 * counts characters, so a longer Chinese list overflows its heap; within
 * 255 bytes value_list is exact.  Any other list goes on the hidden list
 * sheet and the validation names its range (LIST_FORMULA, of which 1.1.4
 * leaks a copy: fixed in 1.1.6; the ASan build tells LeakSanitizer so).
 */
static int apply_list(sect *s, int c, lxw_row_t r1, lxw_row_t r2)
{
    xw *x = s->x;
    const rcolumn *col = &s->t->cols[c];
    if (!col->choices || col->nchoices <= 0) return 0;
    int n = 0, inline_ok = 1, rc = -1;
    size_t bytes = 0;
    char **items = calloc((size_t)col->nchoices + 1, sizeof *items);
    sbuf f = {0};
    lxw_data_validation dv;
    memset(&dv, 0, sizeof dv);
    if (!items) return fail(x, "xlsx: out of memory");
    for (int i = 0; i < col->nchoices; i++) {
        if (!col->choices[i] || !*col->choices[i]) continue;
        char *t = txt_dup(x, col->choices[i], XLSX_CLEAN_CTRL | XLSX_CLEAN_XESC, 255);
        if (!t) goto out;
        items[n++] = t;
        if (strpbrk(t, ",\"")) inline_ok = 0;
        bytes += strlen(t) + (n > 1);
    }
    if (n == 0) {
        rc = 0;
        goto out;
    }
    if (inline_ok && bytes <= INLINE_LIST_MAX) {
        dv.validate = LXW_VALIDATION_TYPE_LIST;
        dv.value_list = items;
    } else {
        /* the hidden sheet: one column per distinct list */
        int k;
        for (k = 0; k < x->nlists; k++) {
            int same = x->lists[k].n == n;
            for (int i = 0; same && i < n; i++) same = !strcmp(x->lists[k].items[i], items[i]);
            if (same) break;
        }
        if (k == x->nlists) {
            xlist *v = NULL;
            if ((x->nlists == 0 && xlsx_sheet_name_unique(&x->names, LIST_SHEET, x->list_sheet)) ||
                !(v = realloc(x->lists, sizeof *v * (size_t)(x->nlists + 1)))) {
                fail(x, "xlsx: out of memory");
                goto out;
            }
            x->lists = v;
            v[x->nlists].items = items;
            v[x->nlists].n = n;
            x->nlists++;
            items = NULL; /* the list sheet's now */
        }
        char *q = lxw_quote_sheetname(x->list_sheet);
        char rng[LXW_MAX_CELL_RANGE_LENGTH];
        lxw_rowcol_to_range_abs(rng, 0, (lxw_col_t)k, (lxw_row_t)(n - 1), (lxw_col_t)k);
        int e = !q || sb_add(x, &f, "=") || sb_add(x, &f, q) || sb_add(x, &f, "!") || sb_add(x, &f, rng);
        free(q);
        if (e) {
            fail(x, "xlsx: out of memory");
            goto out;
        }
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = f.s;
    }
    if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA) LIBRARY_LEAKS_BEGIN();
    lxw_error e = worksheet_data_validation_range(s->ws, r1, (lxw_col_t)c, r2, (lxw_col_t)c, &dv);
    if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA) LIBRARY_LEAKS_END();
    rc = chk(x, e, s->name, "data validation");
out:
    for (int i = 0; items && i < n; i++) free(items[i]);
    free(items);
    free(f.s);
    return rc;
}

static int write_lists(xw *x)
{
    if (x->nlists == 0) return 0;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, x->list_sheet);
    if (!ws) return fail(x, "xlsx: cannot add worksheet \"%s\"", x->list_sheet);
    int rows = 0;
    for (int k = 0; k < x->nlists; k++)
        if (x->lists[k].n > rows) rows = x->lists[k].n;
    for (int r = 0; r < rows; r++) /* row by row: constant_memory */
        for (int k = 0; k < x->nlists; k++)
            if (r < x->lists[k].n &&
                chk(x, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)k, x->lists[k].items[r], NULL),
                    x->list_sheet, "list"))
                return -1;
    worksheet_hide(ws);
    return 0;
}

/* The autofilter over the header and the data rows written so far on ws
   (not the total rows: sorting must leave them last).  constant_memory: it
   must be set before a later row is begun. */
static int set_filter(sect *s)
{
    if (s->filtered) return 0;
    s->filtered = 1;
    return chk(s->x, worksheet_autofilter(s->ws, s->hdr, 0, s->tlast, (lxw_col_t)(s->t->ncols - 1)), s->name,
               "autofilter");
}

/* Close the table on ws: frozen pane (header and freeze_cols), autofilter,
   printed title row, and over its data rows the conditional formats and
   dropdowns. */
static int close_table(sect *s)
{
    if (!s->table_open) return 0;
    s->table_open = 0;
    const rtable *t = s->t;
    worksheet_freeze_panes(s->ws, s->hdr + 1, (lxw_col_t)freeze_cols(t));
    if (set_filter(s)) return -1;
    if (chk(s->x, worksheet_repeat_rows(s->ws, s->hdr, s->hdr), s->name, "repeat rows")) return -1;
    if (s->cur.rows) {
        for (int c = 0; c < t->ncols; c++)
            if (apply_marks(s, c, s->cur.first, s->cur.last) || apply_list(s, c, s->cur.first, s->cur.last))
                return -1;
    }
    tpart *v = realloc(s->parts, sizeof *v * (s->nparts + 1));
    if (!v) return fail(s->x, "xlsx: out of memory");
    s->parts = v;
    v[s->nparts++] = s->cur;
    return 0;
}

/* Wrapped text: libxlsxwriter writes no row height, and LibreOffice (and
   Excel in some versions) then show one line only; so set the height from
   the estimated line count.  Must come before the row's cells (constant_memory). */
static int row_height(sect *s, int lines, double line_height)
{
    if (lines <= 1) return 0;
    double h = round(line_height * lines + 2);
    if (h > ROW_HEIGHT_MAX) h = ROW_HEIGHT_MAX;
    return chk(s->x, worksheet_set_row(s->ws, s->row, h, NULL), s->name, "row height");
}

static int hand_filled(const rcolumn *c) { return c->fill_width > 0 || (c->choices && c->nchoices > 0); }

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
    if (row_height(s, lines, LINE_HEIGHT)) return -1;
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

/* The formula of a calculated cell in column c (NULL in f->s: none applies). */
static int calc_formula(sect *s, const rcell *cell, lxw_row_t r, lxw_col_t c, sbuf *f)
{
    xw *x = s->x;
    char rng[LXW_MAX_CELL_RANGE_LENGTH];
    if (cell->calc == RCALC_SUM_LEFT) {
        int k = s->t->cols[c].sum_left;
        if (k < 1 || k > (int)c) return 0;
        lxw_rowcol_to_range(rng, r, (lxw_col_t)((int)c - k), r, (lxw_col_t)(c - 1));
        return sb_add(x, f, "=SUM(") || sb_add(x, f, rng) || sb_add(x, f, ")");
    }
    if (cell->calc != RCALC_SUM_ABOVE) return 0;
    /* every sheet's data rows of the table, this one's without its name */
    int any = 0;
    for (size_t i = 0; i <= s->nparts; i++) {
        const tpart *p = i < s->nparts ? &s->parts[i] : &s->cur;
        if (!p->rows) continue;
        if (sb_add(x, f, any ? "," : "=SUM(")) return -1;
        any = 1;
        if (i < s->nparts) {
            char *q = lxw_quote_sheetname(p->name);
            if (!q) return fail(x, "xlsx: out of memory");
            int rc = sb_add(x, f, q) || sb_add(x, f, "!");
            free(q);
            if (rc) return -1;
        }
        lxw_rowcol_to_range(rng, p->first, c, p->last, c);
        if (sb_add(x, f, rng)) return -1;
    }
    return any ? sb_add(x, f, ")") : 0;
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
        if (!(f = cell_fmt(x, NF_GENERAL, em, al, hand))) return -1;
        return chk_cell(s, worksheet_write_blank(s->ws, r, c, f), r, c);
    case CELL_TEXT:
    default: break;
    }
    /* A non-finite number would be written as "nan"/"inf" and corrupt the
       file; a date before 1900 is no Excel date: both go out as their text. */
    if (nf >= 0 && isfinite(cell->num) && !(nf == NF_DATE && cell->num < 1)) {
        if (!(f = cell_fmt(x, nf, em, al, 0))) return -1;
        if (cell->calc && nf != NF_DATE) {
            sbuf fm = {0};
            int rc = calc_formula(s, cell, r, c, &fm);
            if (rc == 0 && fm.s)
                rc = chk_cell(s, worksheet_write_formula_num(s->ws, r, c, fm.s, f, cell->num), r, c);
            int done = fm.s != NULL;
            free(fm.s);
            if (rc || done) return rc;
        }
        return chk_cell(s, worksheet_write_number(s->ws, r, c, cell->num, f), r, c);
    }
    const char *t = txt(x, cell->text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    int wrap = hand || strchr(t, '\n') != NULL || xlsx_text_width(t) + 1 > s->width[c];
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

/* A heading or paragraph: over a table of several columns it is merged
   across them and wraps (so it prints inside the table's width). */
static int text_row(sect *s, const char *text, int tf)
{
    static const double size[TF_COUNT] = {14, 12, FONT_SIZE, FONT_SIZE, 12};
    int n = s->t ? s->t->ncols : 0;
    if (n < 2) return text_cell(s, 0, text, s->x->text[tf]);
    double avail = -1.5;
    for (int c = 0; c < n; c++) avail += s->width[c];
    const char *t = txt(s->x, text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    double lh = LINE_HEIGHT * size[tf] / FONT_SIZE;
    int lines = xlsx_text_lines(t, avail * FONT_SIZE / size[tf]);
    if (row_height(s, lines, lh)) return -1;
    return chk_cell(s, worksheet_merge_range(s->ws, s->row, 0, s->row, (lxw_col_t)(n - 1), t, s->x->wrapped[tf]),
                    s->row, 0);
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
            int tf = b->kind == BLK_PARAGRAPH ? TF_TEXT
                     : b->level <= 1          ? TF_HEADING1
                     : b->level == 2          ? TF_HEADING2
                                              : TF_KEY;
            if (room(s, 0) || text_row(s, b->text, tf)) return (size_t)-1;
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

/* The part of a cell that cannot wrap: numbers and dates whole. */
static int cell_run(const rcell *c)
{
    if (c->type == CELL_DATE) return 10;
    if (c->type != CELL_TEXT) return xlsx_text_width(c->text);
    return xlsx_text_run_width(c->text);
}

/*
 * Column widths: each column's natural width (its widest cell or header,
 * capped) and the narrowest it may get (numbers and dates whole, the
 * header in two lines, text down to TEXT_MIN); when the natural widths are
 * wider than a page printed at MIN_PRINT_SCALE (in wide digits, see
 * print_setup), every column gives up the same share of its slack, down to
 * its minimum.
 */
static int plan_widths(sect *s)
{
    const rtable *t = s->t;
    int n = t->ncols;
    s->width = calloc((size_t)n, sizeof *s->width);
    double *lo = calloc((size_t)n, sizeof *lo);
    int *best = calloc((size_t)n, sizeof *best), *run = calloc((size_t)n, sizeof *run);
    char *text = calloc((size_t)n, 1); /* a column with text that can wrap */
    int rc = -1;
    if (!s->width || !lo || !best || !run || !text) {
        fail(s->x, "xlsx: out of memory");
        goto out;
    }
    for (size_t r = 0; r < t->nrows; r++) {
        const rcell *row = rtable_row(t, r, s->rowbuf);
        if (!row) {
            fail(s->x, "xlsx: sheet \"%s\": row %zu of the table could not be made", s->sec->sheet_name, r + 1);
            goto out;
        }
        for (int c = 0; c < n; c++) {
            /* a number or date needs less margin than text */
            int pad = row[c].type == CELL_TEXT ? (int)WIDTH_PAD : (int)NUMBER_PAD;
            int w = cell_width(&row[c]), u = cell_run(&row[c]);
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
        const rcell *row = rtable_row(t, r, s->rowbuf);
        if (!row)
            return fail(s->x, "xlsx: sheet \"%s\": row %zu of the table could not be made", s->name, r + 1);
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
        if (row_height(s, lines, LINE_HEIGHT)) return -1;
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

static int chart_wanted(const rchart *ch)
{
    return ch && ch->ncats > 0 && ch->nseries > 0 && (size_t)ch->ncats + 2 < ROWS_MAX;
}

/* The chart's width: room for its categories, within the table's width
   (so that it does not widen the printed page). */
static double chart_width(const sect *s)
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
static int write_chart(sect *s)
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
    if (!c) return fail(x, "xlsx: sheet \"%s\": cannot add chart", s->name1);
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
        if (!se) return fail(x, "xlsx: sheet \"%s\": cannot add chart series", s->name1);
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
    return chk(x, worksheet_insert_chart_opt(s->ws, arow, acol, c, &opt), s->name, "insert chart");
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
    if (s.t) {
        s.rowbuf = calloc((size_t)s.t->ncols, sizeof *s.rowbuf);
        if (!s.rowbuf) {
            fail(x, "xlsx: out of memory");
            goto out;
        }
        if (plan_widths(&s)) goto out;
    }
    s.chart_px = chart_width(&s);
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
    free(s.rowbuf);
    free(s.parts);
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
    if (make_formats(&x, doc) || set_properties(&x, doc) || set_page_texts(&x, doc)) rc = -1;
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
    if (rc == 0 && write_lists(&x)) rc = -1;

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
    for (int k = 0; k < x.nlists; k++) {
        for (int i = 0; i < x.lists[k].n; i++) free(x.lists[k].items[i]);
        free(x.lists[k].items);
    }
    free(x.lists);
    xlsx_sheet_names_free(&x.names);
    return rc;
}
