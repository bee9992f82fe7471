/*
 * csv_render.h — a table of the report model as a CSV file (UTF-8 with
 * BOM, RFC 4180 quoting, CRLF): findings.csv, evaluation.csv.  The header
 * row is the column titles; each cell is written as its display text.
 * Rows come through rtable_row(), so a table with a row source streams in
 * constant memory.  Knows nothing about rules.
 */
#ifndef ZHIBU_CSV_RENDER_H
#define ZHIBU_CSV_RENDER_H
#include "model/report.h"
#include <stdio.h>

/** Write table t to f.  0 ok, -1 when a row could not be made or f failed. */
int csv_render_table(const rtable *t, FILE *f);
/** The first table of d (a CSV document holds one). */
int csv_render(const rdoc *d, FILE *f);

#endif
