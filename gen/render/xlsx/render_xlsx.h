/*
 * render_xlsx.h — render a report model (report.h) as one XLSX workbook,
 * with libxlsxwriter (see doc/xlsx.md and /work/shared/STACK-NOTES.md).
 *
 * Mapping: one rdoc = one workbook.  Every rsection with sheet_name != NULL
 * becomes a worksheet (sections without one are skipped):
 *   - headings, paragraphs and key/value lists before the section's first
 *     table become text rows above it (with the table's caption, if any);
 *   - the first BLK_TABLE: a bold, grey, bordered header row, frozen (the
 *     pane is below the header), repeated on every printed page, with an
 *     autofilter over the table; typed cells (numbers, money "0.00", hours
 *     "0.0", percent "0.0%", real dates "yyyy-mm-dd"; text is always text,
 *     never a formula); EMPH_FINDING cells get a light red fill, EMPH_STRONG
 *     bold; column widths from the text (CJK counts double, capped at 60),
 *     long text wrapped; an empty table shows its empty_text as one row;
 *   - paragraphs and key/value lists after the table follow it;
 *   - the first BLK_CHART: a column (CHART_BAR) or line chart beside the
 *     table, referencing the table's cells (table_cat_col/table_val_cols,
 *     categories = the first ncats data rows) or, when standalone, a small
 *     data range written below the table;
 *   - signatures and page breaks are paper-only and ignored.
 * Sheet names are cleaned, cut to 31 characters and made unique (~2, ~3).
 * A table longer than the sheet's row limit (Excel's 1,048,576 rows)
 * continues on "name (2)", "name (3)"… with the same header, frozen pane
 * and autofilter.  Print setup: A4 landscape, fit to one page wide, footer
 * "sheet — 第 n 页，共 N 页".  Document properties from doc (title,
 * subject, author = company); the creation time is doc->date 00:00 UTC, so
 * the same rdoc gives a byte-identical file.
 *
 * The workbook is written in libxlsxwriter's constant_memory mode (rows
 * stream to temporary files in the output's directory), so memory does not
 * grow with the row count beyond the rdoc itself.
 *
 * Testing only: the environment variable ZHIBU_XLSX_MAX_ROWS (>= 3) lowers
 * the per-sheet row limit so that the continuation sheets can be tested.
 */
#ifndef ZHIBU_RENDER_XLSX_H
#define ZHIBU_RENDER_XLSX_H

#include <stddef.h>
#include "model/report.h"

/**
 * Write doc as an XLSX workbook to exactly `path` (the caller writes to a
 * temporary name and renames).  Returns 0, or -1 with a message in err
 * (errlen bytes, NUL-terminated; err may be NULL); on error no file is left
 * at path.
 */
int xlsx_render(const rdoc *doc, const char *path, char *err, size_t errlen);

#endif
