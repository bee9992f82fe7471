/*
 * report.h — the format-independent report model.
 *
 * One tree, many renderers (after cmark's node tree and mandoc's document
 * model): a report builder turns rule results into an rdoc; render_pdf.c and
 * render_xlsx.c turn an rdoc into a file.  Renderers never see rules, rules
 * never see this model.
 *
 *   rdoc ── rsection[] ── rblock[]   (heading, paragraph, key/value list,
 *                                     table, chart, signature block)
 *
 * All strings are UTF-8, owned by the document's arena (see report.c), and
 * live until rdoc_free().  Nothing in the model is pointer-ordered or
 * time-dependent, so rendering is reproducible byte for byte.
 *
 * A table's rows are either held (cells) or made on demand by a row source
 * (rtable_set_source): render/csv streams them in constant memory; a
 * renderer reads rows through rtable_row() so it serves both.
 *
 * PDF: a document is one file; sections follow each other on the page
 * (a section with page_break set starts a new page).
 * XLSX: a document is one workbook; every section that has sheet_name set
 * becomes one worksheet holding that section's first table (and its chart,
 * drawn beside the table from the table's columns).
 */
#ifndef ZHIBU_REPORT_H
#define ZHIBU_REPORT_H

#include <stddef.h>

typedef enum {
    CELL_TEXT,    /* text; never a formula, whatever it starts with        */
    CELL_INT,     /* whole number                                          */
    CELL_NUMBER,  /* decimal number, shown with `decimals` places          */
    CELL_MONEY,   /* yuan, 2 decimals                                      */
    CELL_HOURS,   /* hours, 1 decimal                                      */
    CELL_PERCENT, /* 0..1, shown as a percentage with `decimals` places    */
    CELL_DATE,    /* text holds YYYY-MM-DD; num holds the date's serial day
                     count (days since 1899-12-30, as Excel counts)       */
    CELL_EMPTY
} rcell_type;

typedef enum {
    EMPH_NONE = 0,
    EMPH_FINDING = 1, /* a problem: bold / light-grey fill in print, red fill in xlsx */
    EMPH_OK = 2,      /* explicitly fine (rarely used; renderers may ignore) */
    EMPH_STRONG = 3   /* a total or key figure: bold                        */
} remph;

/*
 * How a spreadsheet computes a cell (XLSX writes a formula; the cell's
 * num stays its value, written as the formula's cached result, and text
 * what the PDF prints).  A table's total rows come after all its data rows.
 */
typedef enum {
    RCALC_NONE = 0,
    RCALC_SUM_ABOVE = 1, /* =SUM of this column over the table's data rows: every row
                            before the table's first row holding an RCALC_SUM_ABOVE
                            cell (its total rows), on all the sheets it spans */
    RCALC_SUM_LEFT = 2   /* =SUM of the rcolumn.sum_left cells to its left in its row */
} rcalc;

typedef struct {
    const char *text;       /* display text; always set (renderers may print it as is) */
    double num;             /* value for numeric types and dates */
    unsigned char type;     /* rcell_type (a byte: city workbooks hold millions of cells) */
    unsigned char emph;     /* remph */
    unsigned char decimals; /* for CELL_NUMBER / CELL_PERCENT */
    unsigned char calc;     /* rcalc: XLSX writes a formula (num is its cached value) */
} rcell;

typedef enum { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT } ralign;

/*
 * A highlight a spreadsheet keeps up to date (XLSX: a conditional format
 * over the column's data rows, so editing a value changes it).  The
 * builder decides what deserves it, from the facts, and also sets the
 * matching cells' emph for paper (the PDF ignores marks).  In a column with
 * marks the XLSX draws no fixed EMPH_FINDING fill: the marks decide.
 * Tones: RTONE_BAD (light red, Excel's "bad": a problem to act on),
 * RTONE_WARN (light amber: to look at), RTONE_GOOD (light green).
 */
typedef enum {
    RMARK_BELOW,     /* a number below value                                   */
    RMARK_ABOVE,     /* a number above value                                   */
    RMARK_AT_MOST,   /* a number not above value (e.g. 0 hours in a due month) */
    RMARK_BELOW_COL, /* a number below the number in column col of its row      */
    RMARK_TEXT_IS    /* text equal to one of texts[0..ntexts)                  */
} rmark_when;

typedef enum { RTONE_BAD, RTONE_WARN, RTONE_GOOD } rtone;

typedef struct {
    unsigned char when;       /* rmark_when */
    unsigned char tone;       /* rtone */
    double value;             /* RMARK_BELOW / ABOVE / AT_MOST */
    int col;                  /* RMARK_BELOW_COL: the other column (0-based) */
    const char **texts;       /* RMARK_TEXT_IS */
    int ntexts;
} rmark;

typedef struct {
    const char *title;  /* header text */
    double width;       /* relative width (proportion); PDF scales to the text block */
    ralign align;
    /* A column to be filled in by hand (the ledger's 整改情况): the values a
       cell may take, offered as a dropdown in XLSX (data validation); NULL =
       free.  The PDF ignores it. */
    const char *const *choices;
    int nchoices;
    /* --- XLSX only (the PDF ignores these) --- */
    double fill_width;  /* a column filled in by hand (整改措施, 责任人): at least this
                           many characters wide and wrapping what is typed; 0 = sized
                           from its content.  A column with choices is at least as wide
                           as its longest choice plus the dropdown button. */
    int sum_left;       /* for RCALC_SUM_LEFT cells: how many cells to their left they sum */
    rmark *marks;       /* highlights, in priority order (rtable_add_mark); NULL = none */
    int nmarks;
} rcolumn;

/*
 * A row source: a table may make its rows on demand instead of holding
 * them (findings.csv has 2.4 million rows in a city run).  The source fills
 * row i into cells[0..ncols) — text pointers may point into the source's
 * own buffer and stay valid until its next call — and returns 0, or -1 on
 * failure.  Renderers may ask for rows in any order and more than once
 * (render/xlsx sizes its columns in a first pass), so a source indexes
 * its data rather than walking it.  Read rows with rtable_row().
 */
typedef int (*rrow_source)(void *ctx, size_t i, rcell *cells);

typedef struct {
    const char *caption;   /* optional title above the table (may be NULL) */
    int ncols;
    rcolumn *cols;
    size_t nrows, cap;
    rcell *cells;          /* nrows * ncols, row-major; NULL when the rows come from a source */
    const char *empty_text;/* shown as a single row when nrows == 0 (e.g. "无") */
    rrow_source source;    /* NULL: the rows are in cells */
    void *source_ctx;
    int freeze_cols;       /* XLSX: the first freeze_cols columns (支部, 姓名) stay in view
                              when scrolling right and print on every page across */
} rtable;

typedef enum { CHART_BAR, CHART_LINE } rchart_kind;

typedef struct {
    const char *name;
    double *values; /* ncats values */
} rseries;

typedef struct {
    rchart_kind kind;
    const char *title;
    const char *y_title;     /* axis title, may be NULL */
    double y_max;            /* 0 = automatic */
    int percent;             /* values are 0..1 shown as percent */
    int ncats;
    const char **cats;       /* category labels (months, branches) */
    int nseries;
    rseries *series;
    /* XLSX: where the data lives in this section's table, so the chart can
       reference cells instead of copying: the category column and one value
       column per series (0-based; -1 when the chart is standalone). */
    int table_cat_col;
    int *table_val_cols;
} rchart;

typedef struct {
    int nlines;
    const char **lines; /* e.g. "支部书记（签字）：＿＿＿＿＿＿", "年　月　日" — right-aligned block */
} rsignature;

typedef struct {
    int nitems;
    const char **keys;
    const char **values;
    int pairs;          /* 2: two items a row where every item fits half (a form's short fields),
                           else one a row — the builder's choice, so every document of a kind
                           looks the same whatever its names' lengths */
} rkv;

typedef enum {
    BLK_HEADING,   /* level 1: 一、 Hei; level 2: （一） Kai; level 3: body face;
                      level 0: a title of its own inside the document, centred (a
                      form's title: 个人下沉社区情况报告表) */
    BLK_PARAGRAPH,
    BLK_KV,
    BLK_TABLE,
    BLK_CHART,
    BLK_SIGNATURE,
    BLK_PAGEBREAK
} rblock_kind;

typedef struct {
    rblock_kind kind;
    int level;          /* headings */
    const char *text;   /* headings, paragraphs */
    rkv *kv;
    rtable *table;
    rchart *chart;
    rsignature *sig;
} rblock;

typedef struct {
    const char *sheet_name;  /* XLSX worksheet name (NULL: not a sheet); renderer cleans/shortens */
    int page_break;          /* PDF: start this section on a new page */
    int landscape;           /* PDF: pages of this section are landscape; XLSX: ignored */
    size_t nblocks, cap;
    rblock *blocks;
} rsection;

typedef struct rarena rarena;

/*
 * The audit trail (doc/audit.md), set by the run and written by the
 * renderers as it is: into the PDF's Info dictionary and the workbook's
 * custom document properties under the RAUDIT_KEY_* names, and on a PDF's
 * last page as 数据指纹 with a QR code of the fingerprint.  The renderers
 * never compute any of it.  fingerprint NULL: no mark at all.
 */
typedef struct {
    const char *fingerprint; /* SHA-256 of the run, 64 lowercase hex digits */
    const char *version;     /* zhibu's version */
    const char *run;         /* "monthly 2022-09", "halfyear 2022-H2", "annual 2022" */
    const char *options;     /* "keep-going=no" */
    const char *document;    /* which document of the run: "branch:NAME", "unit", "workbook" */
} raudit;
#define RAUDIT_KEY_FINGERPRINT "ZhibuFingerprint"
#define RAUDIT_KEY_VERSION "ZhibuVersion"
#define RAUDIT_KEY_RUN "ZhibuRun"
#define RAUDIT_KEY_OPTIONS "ZhibuOptions"
#define RAUDIT_KEY_DOCUMENT "ZhibuDocument"

/* Something to release with the document (rdoc_on_free): a row source's own memory. */
typedef struct rcleanup {
    void (*fn)(void *ctx);
    void *ctx;
    struct rcleanup *next;
} rcleanup;

typedef struct {
    const char *title;       /* document title (PDF title line and info; XLSX title property) */
    const char *subtitle;    /* optional second title line (NULL) */
    const char *author;      /* organization */
    const char *subject;
    const char *date;        /* fixed document date YYYY-MM-DD (from the period, never "now") */
    const char *footer;      /* optional text in the page footer besides the page number */
    raudit audit;            /* the run's fingerprint and how to rebuild this document */
    const char *cut_note;    /* PDF: the note after a text cut for length (NULL: the renderer's) */
    const char *workbook_font; /* XLSX: the default font of every cell (NULL: 等线, 11 pt) */
    size_t nsections, cap;
    rsection *sections;
    rarena *arena;
    rcleanup *cleanups;      /* run by rdoc_free, last registered first */
} rdoc;

/* --- building (report.c) ------------------------------------------------ */

/** Create an empty document; strings passed later are copied into its arena. */
rdoc *rdoc_new(void);
/** Free a document and everything it owns. */
void rdoc_free(rdoc *d);
/** Call fn(ctx) when d is freed, before its arena (e.g. a row source's scratch memory). */
void rdoc_on_free(rdoc *d, void (*fn)(void *ctx), void *ctx);
/** Copy a string into the document's arena. */
const char *rdoc_strdup(rdoc *d, const char *s);
/** printf into the document's arena. */
const char *rdoc_printf(rdoc *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/** Allocate zeroed memory in the document's arena. */
void *rdoc_alloc(rdoc *d, size_t n);

/** Append a section; sheet may be NULL. */
rsection *rdoc_add_section(rdoc *d, const char *sheet);
void rsec_add_heading(rdoc *d, rsection *s, int level, const char *text);
void rsec_add_paragraph(rdoc *d, rsection *s, const char *text);
rkv *rsec_add_kv(rdoc *d, rsection *s);
void rkv_add(rdoc *d, rkv *kv, const char *key, const char *value);
/** Append a table with ncols columns; set columns with rtable_col(). */
rtable *rsec_add_table(rdoc *d, rsection *s, int ncols);
void rtable_col(rdoc *d, rtable *t, int i, const char *title, double width, ralign align);
/** Append a row of ncols empty cells and return it for filling. */
rcell *rtable_add_row(rdoc *d, rtable *t);
/** Make t's nrows rows come from a source instead of its cells (see rrow_source). */
void rtable_set_source(rtable *t, size_t nrows, rrow_source fn, void *ctx);
/**
 * Row i of t: a pointer into its cells, or buf (ncols cells) filled by its
 * source — valid until the next call for this table.  NULL when the source
 * failed.
 */
const rcell *rtable_row(const rtable *t, size_t i, rcell *buf);
/**
 * Append a highlight to column col of t (see rmark) and return it for
 * filling (value, col; texts with rmark_add_text).
 */
rmark *rtable_add_mark(rdoc *d, rtable *t, int col, rmark_when when, rtone tone);
/** Append a text (copied) to a mark's texts (RMARK_TEXT_IS). */
void rmark_add_text(rdoc *d, rmark *m, const char *text);
/** Empty cells (type CELL_EMPTY, text "") for a source to fill. */
void rcells_clear(rcell *cells, int n);
rchart *rsec_add_chart(rdoc *d, rsection *s, rchart_kind kind, const char *title, int ncats, int nseries);
rsignature *rsec_add_signature(rdoc *d, rsection *s);
void rsig_add(rdoc *d, rsignature *sig, const char *line);
void rsec_add_pagebreak(rdoc *d, rsection *s);

/* cell setters: text is copied */
void rcell_text(rdoc *d, rcell *c, const char *text);
/** A text cell that points at text without copying it: for strings that
    outlive the document (records of the dataset, templates, literals). */
void rcell_ref(rcell *c, const char *text);
void rcell_int(rdoc *d, rcell *c, long v);
void rcell_number(rdoc *d, rcell *c, double v, int decimals);
void rcell_money(rdoc *d, rcell *c, long cents);
void rcell_hours(rdoc *d, rcell *c, double hours);
void rcell_percent(rdoc *d, rcell *c, double ratio, int decimals);
/** ymd as 20220930 */
void rcell_date(rdoc *d, rcell *c, int ymd);

#endif
