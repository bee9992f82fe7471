/*
 * xlsx_read.h — reading cell values out of an XLSX workbook (Office Open XML
 * spreadsheet) written by Excel, WPS, LibreOffice, openpyxl or libxlsxwriter.
 *
 * The zip is read with libzip, every XML part with expat (namespace-aware,
 * so the transitional and the strict schemas both work).  A worksheet is
 * streamed: one callback per row with that row's non-empty cells, nothing
 * but the shared strings and the date styles kept in memory.
 *
 * Cell values come out as the file stores them: shared and inline strings
 * (rich-text runs joined, phonetic runs left out, `_xHHHH_` escapes
 * decoded), numbers, booleans, error values, the cached value of a formula,
 * and numbers formatted as dates (built-in formats 14–22, 27–36, 45–47,
 * 50–58, or a custom format with y, d, or m without h/s) as dates.
 *
 * Damage and malice are file-level problems (PROB_FATAL, `name: message`
 * in Chinese) found before much work is done: not a zip, a truncated or
 * corrupt zip, a foreign zip (DOCX, ODS, XLSB…), an encrypted workbook, a
 * compression method other than deflate, parts or a sum of parts over the
 * size caps, a part that inflates more than `ratio_max` times its
 * compressed size (zip bomb), too many or too long shared strings, XML
 * that is not well-formed or not UTF-8/UTF-16, and any DOCTYPE or entity
 * declaration (OOXML never has one; refusing it shuts out entity
 * expansion on top of expat's own billion-laughs protection).
 */
#ifndef ZHIBU_XLSX_READ_H
#define ZHIBU_XLSX_READ_H
#include "base/problems.h"
#include <stddef.h>

typedef enum {
    XLSX_EMPTY,  /* only a formula without a cached value */
    XLSX_TEXT,   /* shared or inline string, or a formula's string result */
    XLSX_NUMBER,
    XLSX_BOOL,
    XLSX_DATE,   /* a number with a date format, or an ISO date (t="d") */
    XLSX_ERROR   /* #N/A, #DIV/0! … */
} xlsx_type;

typedef struct {
    int col;          /* 0 = column A … 16383 = XFD */
    xlsx_type type;
    const char *text; /* never NULL, UTF-8: TEXT as stored; NUMBER the shortest
                         decimal that reads back ("12", "0.5"); BOOL "TRUE" or
                         "FALSE"; DATE "2022-09-15"; ERROR "#N/A"; EMPTY "" */
    double num;       /* NUMBER; BOOL 0 or 1; DATE the serial (days since the
                         workbook's epoch, time of day as the fraction) */
    int ymd;          /* DATE: YYYYMMDD, time of day ignored */
    int formula;      /* the cell holds a formula; the rest is its cached value */
} xlsx_cell;

/**
 * Called once per row that has at least one cell, in the file's order,
 * with the row number as Excel shows it (1-based) and the cells sorted by
 * column (a column given twice keeps the last).  cells and their texts are
 * valid only during the call.  Return nonzero to stop reading the sheet.
 */
typedef int (*xlsx_row_fn)(int row, const xlsx_cell *cells, int ncells, void *ctx);

typedef enum { XLSX_WORKSHEET, XLSX_CHARTSHEET, XLSX_OTHER_SHEET } xlsx_sheet_kind;

typedef struct {
    const char *name;   /* as in the workbook's tabs */
    const char *part;   /* zip entry, e.g. "xl/worksheets/sheet1.xml" */
    xlsx_sheet_kind kind;
    int hidden;         /* state="hidden" or "veryHidden" */
} xlsx_sheet;

/* Caps against damaged and hostile files (xlsx_limits_default). */
typedef struct {
    size_t part_max;        /* uncompressed bytes of one worksheet or the shared strings */
    size_t meta_max;        /* … of any other part (workbook, relationships, styles) */
    size_t total_max;       /* uncompressed bytes of all parts read from one workbook */
    size_t ratio_from;      /* the ratio check applies once a part has inflated this much */
    unsigned ratio_max;     /* uncompressed ÷ compressed size of a part */
    size_t sst_max_count;   /* shared strings */
    size_t sst_max_bytes;   /* their UTF-8 bytes */
    size_t text_max;        /* one string or value */
} xlsx_limits;

/** The caps zhibu uses: see doc/ledger.md. */
void xlsx_limits_default(xlsx_limits *l);

typedef struct xlsx_book xlsx_book;

/**
 * Open a workbook and list its sheets.  `name` is the file as shown in
 * messages; `limits` NULL = the defaults.  Returns NULL after adding a
 * PROB_FATAL to probs.
 */
xlsx_book *xlsx_open_file(const char *path, const char *name, const xlsx_limits *limits, problems *probs);
/** The same on bytes in memory (kept, not copied: they must outlive the book). */
xlsx_book *xlsx_open_bytes(const void *data, size_t n, const char *name, const xlsx_limits *limits,
                           problems *probs);
void xlsx_close(xlsx_book *b);

int xlsx_sheet_count(const xlsx_book *b);
const xlsx_sheet *xlsx_sheet_at(const xlsx_book *b, int i);
/** 1 when the workbook counts dates from 1904 (old Mac Excel). */
int xlsx_date1904(const xlsx_book *b);

/**
 * Stream sheet i row by row (the shared strings and styles are loaded on
 * the first call).  Returns 0 when the sheet was read to its end or the
 * callback stopped it, -1 after a PROB_FATAL (damage: the rows already
 * delivered stand, the rest is not read).  A chartsheet has no rows.
 */
int xlsx_read_sheet(xlsx_book *b, int i, xlsx_row_fn fn, void *ctx, problems *probs);

/** "A", "Z", "AA" … for column index c (0-based) into buf (≥ 4 bytes). */
const char *xlsx_col_name(int c, char *buf);

#endif
