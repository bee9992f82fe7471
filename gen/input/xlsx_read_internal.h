/*
 * xlsx_read_internal.h — what the files of the XLSX reader share; only they
 * include it (the interface is xlsx_read.h).
 *
 *   xlsx_read.c      the public calls: open, close, the sheet list, read a sheet
 *   xlsx_zip.c       the zip (libzip): opening, the size caps, inflating a part
 *   xlsx_xml.c       one XML part through expat; name, attribute and text helpers
 *   xlsx_workbook.c  the relationships and workbook.xml: the sheets and their parts
 *   xlsx_strings.c   sharedStrings.xml
 *   xlsx_styles.c    styles.xml: which cell formats are dates
 *   xlsx_sheet.c     a worksheet's cells, row by row
 *
 * The names shared between these files begin with xr_ (XLSX reader), so
 * that none clashes with another part of zhibu.
 */
#ifndef ZHIBU_XLSX_READ_INTERNAL_H
#define ZHIBU_XLSX_READ_INTERNAL_H
#include "input/xlsx_read.h"
#include "base/arena.h"
#include <expat.h>
#include <stdint.h>
#include <zip.h>

enum {
    CHUNK = 64 * 1024,
    MAX_COL = 16384,       /* Excel's grid: A..XFD */
    MAX_ROW = 1048576,
    MB = 1024 * 1024,
};
#define NS_SEP '|'

struct xlsx_book {
    zip_t *za;
    const char *name;
    xlsx_limits lim;
    size_t total;             /* bytes inflated so far */
    rarena arena;
    xlsx_sheet *sheets;
    size_t nsheets, cap_sheets;
    int date1904;
    const char *sst_part, *styles_part;
    int aux_loaded;           /* shared strings and styles read */
    char *sst_buf;            /* every shared string, NUL-terminated */
    size_t sst_len, sst_cap;
    uint32_t *sst_off;        /* offsets into sst_buf (its size is capped below 4 GB) */
    size_t sst_n, sst_offcap;
    unsigned char *xf_date;   /* cellXfs index → 1 when a date format */
    size_t nxf, cap_xf;
    void *map;                /* the mapped file, or NULL */
    size_t map_len;
};

/* ---- problems (xlsx_read.c) ------------------------------------------------ */

/** Drop a UTF-8 sequence that snprintf cut short at the end of s. */
void xr_utf8_cut(char *s);
/** A PROB_FATAL on the workbook: `name: message` (cut to 1 KB at a character). */
void xr_fatal(xlsx_book *b, problems *probs, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

/* ---- the zip (xlsx_zip.c) ---------------------------------------------------- */

/** Open the zip of n bytes at data into b->za, or say what the bytes are
    instead (empty, XLS, XML, PDF, not a zip, a damaged zip): 0, or -1 after
    a PROB_FATAL. */
int xr_zip_open(xlsx_book *b, const void *data, size_t n, problems *probs);
/** Locate a part (case-insensitive, as OPC part names are); -1 when absent. */
zip_int64_t xr_part_find(xlsx_book *b, const char *part);

/** A part being inflated, its bytes counted against the caps. */
typedef struct {
    zip_file_t *zf;
    const char *what;   /* the part as messages name it */
    size_t cap;         /* the most bytes it may inflate to */
    zip_uint64_t comp;  /* its compressed size (1 when unknown) */
    size_t got;         /* bytes inflated so far */
} xr_entry;

/** Open `part` for inflating: missing, encrypted, a method other than
    store/deflate, a declared size over the cap (part_max when big, else
    meta_max) or over the ratio are refused here.  0, or -1 after a PROB_FATAL. */
int xr_entry_open(xlsx_book *b, const char *part, const char *what, int big, xr_entry *e, problems *probs);
/** Inflate up to len bytes into buf: the count read (0 at the end), or -1
    after a PROB_FATAL (damage, the part's cap or ratio, the book's total). */
zip_int64_t xr_entry_read(xlsx_book *b, xr_entry *e, void *buf, size_t len, problems *probs);
void xr_entry_close(xr_entry *e);

/* ---- XML parts (xlsx_xml.c) -------------------------------------------------- */

/** The first member of every parser state. */
typedef struct {
    XML_Parser p;
    xlsx_book *b;
    const char *err;   /* our reason to stop (a clause), or NULL */
    int damage;        /* err says the file is damaged (else: refused as hostile or too big) */
    int stopped;       /* the row callback asked to stop */
} xml_base;

/** Stop the parser with err (a clause of the message; kept, not copied). */
void xr_xml_stop(xml_base *x, int damage, const char *err);
/** Inflate part `part` into an expat parser with the given handlers; `what`
    names it in messages (NULL: "部件 <part>").  0 ok (or stopped by the
    callback); -1 after a PROB_FATAL. */
int xr_part_parse(xlsx_book *b, const char *part, const char *what, int big, xml_base *x,
                  XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                  problems *probs);
/** Handlers for a part whose end tags or text do not matter. */
void xr_no_end(void *ud, const XML_Char *name);
void xr_no_text(void *ud, const XML_Char *s, int len);

/** The local part of an expat "uri|local" name. */
const char *xr_local(const char *name);
/** An attribute by local name; `ns` 1 = only a namespaced one (r:id), 0 = only a plain one. */
const char *xr_attr(const char **atts, const char *want, int ns);
/** A plain attribute as an integer 0..1000000; def when absent or not one. */
int xr_int_attr(const char **atts, const char *nm, int def);
/** Decode OOXML's _xHHHH_ escapes (ST_Xstring) in place; returns the new length. */
size_t xr_x_unescape(char *s, size_t n);

/** A growing text, always NUL-terminated once something was added. */
typedef struct {
    char *s;
    size_t n, cap;
} tbuf;

/** Append, failing (-1) beyond max bytes. */
int xr_tbuf_add(tbuf *t, const char *s, size_t n, size_t max);

/* ---- the parts ------------------------------------------------------------------ */

/** xlsx_workbook.c: find the workbook part through the relationships, list
    its sheets and their parts, the shared strings' and styles' parts; a zip
    that is no workbook is told as what it is.  0, or -1 after a PROB_FATAL. */
int xr_book_init(xlsx_book *b, problems *probs);
/** xlsx_strings.c: read b->sst_part into b->sst_buf / b->sst_off. */
int xr_strings_load(xlsx_book *b, problems *probs);
/** xlsx_styles.c: read b->styles_part into b->xf_date. */
int xr_styles_load(xlsx_book *b, problems *probs);
/** xlsx_sheet.c: stream sheet sh (a worksheet whose part exists; the
    shared strings and styles loaded) to fn, as xlsx_read_sheet. */
int xr_sheet_parse(xlsx_book *b, const xlsx_sheet *sh, xlsx_row_fn fn, void *ctx, problems *probs);

#endif
