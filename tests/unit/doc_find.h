/*
 * doc_find.h — reading a report model (rdoc) back in the unit tests:
 * tables by the heading above them or by sheet, cells by column title,
 * key/value lines, paragraphs, charts.
 */
#ifndef ZHIBU_DOC_FIND_H
#define ZHIBU_DOC_FIND_H
#include "model/report.h"

/** The n-th table (0-based) after the heading containing `heading` (NULL: from the start). */
const rtable *doc_table(const rdoc *d, const char *heading, int n);
/** The table of the sheet named `sheet` (the workbook). */
const rtable *doc_sheet(const rdoc *d, const char *sheet);
/** The n-th chart after the heading containing `heading`. */
const rchart *doc_chart(const rdoc *d, const char *heading, int n);
/** Column index by title, -1 when absent. */
int table_col(const rtable *t, const char *title);
/** The first row whose column `col_title` reads `value`, or -1. */
long table_find(const rtable *t, const char *col_title, const char *value);
/** The text of row r, column `col_title` (NULL when either is missing); of a
    row source's row, valid until the source's next row. */
const char *table_text(const rtable *t, long r, const char *col_title);
/** The value of the first key/value line whose key contains `key`, or NULL. */
const char *doc_kv(const rdoc *d, const char *key);
/** The first paragraph containing `text`, or NULL. */
const char *doc_paragraph(const rdoc *d, const char *text);
/** Every string of the document (headings, paragraphs, kv, cells but those of columns
    titled in `skip_cols` (|-separated), captions, chart labels) is passed to fn;
    returns how many fn accepted (nonzero). */
int doc_strings(const rdoc *d, const char *skip_cols, int (*fn)(const char *s, void *ctx), void *ctx);

#endif
