/*
 * csv_read.h — reading one input CSV file into rows of UTF-8 fields.
 *
 * RFC 4180 through libcsv (strict), encoding detected per file, physical
 * line numbers kept for every record (the line where it starts; header =
 * line 1).  File-level problems (missing file, NUL or control bytes, binary
 * or XLSX content, broken quoting, undecodable bytes, no header) are
 * reported as PROB_FATAL; a ragged row is reported as PROB_ERROR and skipped.
 */
#ifndef ZHIBU_CSV_READ_H
#define ZHIBU_CSV_READ_H
#include "base/arena.h"
#include "input/encoding.h"
#include "base/problems.h"

typedef struct {
    int line;
    char **fields; /* ncols fields (the header's count), trimmed */
    int nfields;   /* ncols, except in `ragged` */
} csv_row;

typedef struct {
    const char *name;      /* file name as shown in messages */
    text_encoding encoding;
    char delim;            /* field separator: ',' or, detected from the header line, '\t' or ';' */
    int header_line;       /* physical line of the header row */
    int ncols;
    char **header;         /* header texts as in the file */
    size_t nlines;         /* physical lines of the text: a size hint for streaming */
    csv_row *rows;
    size_t nrows, cap;
    /* rows skipped as ragged (already reported), with the fields they had,
       so that the loader can tell "bad row" from "unknown key" */
    csv_row *ragged;
    size_t nragged, cap_ragged;
    rarena arena;
} csv_table;

/* --- streaming ------------------------------------------------------------ */

/**
 * Callbacks of a streaming read: nothing but the header is kept, so memory
 * does not grow with the file.  `header` is called once, when the header
 * row has been read (t->name, encoding, ncols, header, nlines are set);
 * returning nonzero stops the row callbacks (the file is still read to its
 * end for its file-level problems and ragged rows, as csv_read_file does).
 * `row` is called for every record after the header, in file order: with
 * r->nfields == t->ncols, or for a ragged row (already reported as an
 * error) with the fields it had.  The field strings are trimmed and
 * writable, and valid only during the call.
 */
typedef struct {
    int (*header)(const csv_table *t, void *ctx);
    void (*row)(const csv_table *t, const csv_row *r, void *ctx);
    void *ctx;
} csv_sink;

/** Stream `path`; 0 when the file could be read, -1 on a file-level problem.
 *  t holds the header afterwards (t->rows stay empty); free with csv_table_free(). */
int csv_stream_file(const char *path, const char *name, csv_table *t, const csv_sink *sink, problems *probs);
/** The same on bytes already in memory. */
int csv_stream_bytes(const char *data, size_t n, const char *name, csv_table *t, const csv_sink *sink,
                     problems *probs);

/* --- whole table (tests, fuzzing, small files) ---------------------------- */

/**
 * Read `path`, shown in messages as `name`, keeping every row.  Returns 0 when the file could be
 * read (rows may still have been skipped as errors), -1 on a file-level
 * problem (reported in probs).  Free with csv_table_free().
 */
int csv_read_file(const char *path, const char *name, csv_table *t, problems *probs);
/** The same on bytes already in memory (used by tests and fuzzing). */
int csv_read_bytes(const char *data, size_t n, const char *name, csv_table *t, problems *probs);
void csv_table_free(csv_table *t);

/* --- header binding ---------------------------------------------------- */

typedef struct {
    const char *name;    /* English column name */
    const char *aliases; /* Chinese aliases separated by '|' */
    int required;
} csv_colspec;

typedef struct {
    /* per spec: the header text the user gave for it in the rules file
       ([columns.<file>]), NULL = none; the array itself may be NULL */
    const char *const *mapped;
    /* "columns.members": the section named in the warnings' advice */
    const char *section;
} csv_bind_opts;

/**
 * Find each spec's column in the header (after NFKC, white space removal and
 * case folding): the user's header text from opts->mapped first, then the
 * English name, then the aliases in order; a header cell serves one column.
 * idx[i] = column index or -1.  A missing required column is a PROB_FATAL
 * naming the file and the column; returns -1 then.  Warnings (SPEC item 16):
 * a header cell left unread that matches a column already read from another
 * cell; one that contains a name or alias of a column not found (or is
 * contained in one: 入党时间（年月）, 缴费时间戳), naming the column it
 * probably is and the [columns.<file>] line that maps it; a mapped header
 * text not in the file.  opts may be NULL (no mapping; the advice then
 * names the section as [columns.<file>]).
 */
int csv_bind(const csv_table *t, const csv_colspec *specs, int nspecs, const csv_bind_opts *opts, int *idx,
             problems *probs);

/** Human name of a field separator, for the encoding line: "逗号", "制表符（Tab）", "分号". */
const char *csv_delim_name(char delim);

#endif
