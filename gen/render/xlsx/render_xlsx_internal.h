/*
 * render_xlsx_internal.h — what the files of the XLSX renderer share; only
 * they include it (the interface is render_xlsx.h).
 *
 *   render_xlsx.c      the workbook walk: sections, the text rows around a table
 *   xlsx_util.c        the first error, strings cleaned for libxlsxwriter, formula text
 *   xlsx_formats.c     the format cache and the workbook's font (等线)
 *   xlsx_properties.c  document properties (the audit trail), page header and footer
 *   xlsx_sheet.c       a section's worksheets: opening one, legible print, row heights,
 *                      going on to the next at the row limit
 *   xlsx_widths.c      column widths from the content
 *   xlsx_table.c       the table: header, typed cells from the row source, =SUM totals
 *   xlsx_marks.c       marks as conditional formats
 *   xlsx_validation.c  dropdowns, inline or on the hidden list sheet
 *   xlsx_chart.c       the chart
 *   sheet_name.c       sheet names, UTF-8 repair, text widths (sheet_name.h)
 *
 * The names shared between these files begin with xw_ (XLSX writer), so
 * that none clashes with another part of zhibu.  Each returns 0, or -1
 * after the first error was kept (xw_fail), unless it says otherwise.
 */
#ifndef ZHIBU_RENDER_XLSX_INTERNAL_H
#define ZHIBU_RENDER_XLSX_INTERNAL_H

#include "render/xlsx/render_xlsx.h"
#include "render/xlsx/sheet_name.h"
#include <xlsxwriter.h>

#define ROWS_MAX 1048576u /* Excel's rows per sheet */
#define MAX_DEC 10        /* decimals shown at most */
#define LINE_HEIGHT 15.0  /* points per line of wrapped text (11 pt 等线 / CJK fallback) */
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

/* The workbook being written. */
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

/* A growing string (formulas). */
typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

/* ---- errors and strings (xlsx_util.c) ------------------------------------------ */

/** Keep the first error (printf-style) for the caller; returns -1. */
__attribute__((format(printf, 2, 3)))
int xw_fail(xw *x, const char *fmt, ...);
/** A libxlsxwriter status: 0 when fine, else xw_fail with the sheet and what was done. */
int xw_chk(xw *x, lxw_error e, const char *sheet, const char *what);
/** The same for writing cell (r, c) of the section's current sheet. */
int xw_chk_cell(sect *s, lxw_error e, lxw_row_t r, lxw_col_t c);
/** s cleaned for libxlsxwriter (xlsx_utf8_clean), in the scratch buffer
    (valid until the next call); NULL when memory runs out. */
const char *xw_txt(xw *x, const char *s, int flags, size_t max_units);
/** A malloc'd clean copy (for strings that must coexist). */
char *xw_txt_dup(xw *x, const char *s, int flags, size_t max_units);
/** Append t to a formula. */
int xw_sb_add(xw *x, sbuf *b, const char *t);
/** Append a string literal to a formula: "text" with quotes doubled. */
int xw_sb_quoted(xw *x, sbuf *b, const char *t);

/* ---- the workbook (xlsx_formats.c, xlsx_properties.c, render_xlsx.c) ---------- */

/** The workbook's font and its fixed formats (header, text rows, tones). */
int xw_make_formats(xw *x, const rdoc *doc);
/** The cell format for number format nf (NF_*), emphasis em (EM_*),
    alignment and wrapping, made on first use; NULL after an error. */
lxw_format *xw_cell_fmt(xw *x, int nf, int em, ralign al, int wrap);
/** Document properties: title, subject, author, a fixed creation time, the audit trail. */
int xw_set_properties(xw *x, const rdoc *doc);
/** x->page_header and x->page_footer from the title and the footer. */
int xw_set_page_texts(xw *x, const rdoc *doc);
/** Plain text in column col of the current row (the row must have room). */
int xw_text_cell(sect *s, lxw_col_t col, const char *text, lxw_format *f);

/* ---- sheets (xlsx_sheet.c) -------------------------------------------------------- */

/** The section's next sheet: "name", then "name (2)" …; print setup, page
    texts and the table's column widths. */
int xw_open_sheet(sect *s);
/** The columns frozen with the header (and repeated on printed pages). */
int xw_freeze_cols(const rtable *t);
/** The height of the current row for `lines` lines of wrapped text. */
int xw_row_height(sect *s, int lines, double line_height);
/** Make room for one more row: go on to the next sheet at the limit (with
    the table's header again when table_row). */
int xw_room(sect *s, int table_row);

/* ---- the table (xlsx_widths.c, xlsx_table.c) --------------------------------------- */

/** s->width and s->table_px from the header and every row of the table. */
int xw_plan_widths(sect *s);
/** The caption, the header and every row of the table, then xw_close_table. */
int xw_write_table(sect *s);
/** The table's header row on the current sheet. */
int xw_write_header(sect *s);
/** Close the table's part on the current sheet (no-op when none is open). */
int xw_close_table(sect *s);

/* ---- marks, dropdowns, chart (xlsx_marks.c, xlsx_validation.c, xlsx_chart.c) ---- */

/** The conditional formats of table column c over rows r1..r2 of the current sheet. */
int xw_apply_marks(sect *s, int c, lxw_row_t r1, lxw_row_t r2);
/** The dropdown of table column c over rows r1..r2 of the current sheet. */
int xw_apply_list(sect *s, int c, lxw_row_t r1, lxw_row_t r2);
/** The hidden list sheet, after every other sheet (none when no list needs it). */
int xw_write_lists(xw *x);
/** The chart's width in pixels (0: no chart). */
double xw_chart_width(const sect *s);
/** The section's chart (and its own data block when it does not use the table). */
int xw_write_chart(sect *s);

#endif
