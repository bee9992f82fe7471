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
 *
 * This file walks the workbook: its sections, and the text rows around a
 * table; the rest is in the xlsx_*.c files (render_xlsx_internal.h).
 */
#include "render/xlsx/render_xlsx_internal.h"
#include "base/remove_tree.h"
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define COLS_MAX 16384
#define FONT_SIZE 11.0

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

/* --- text rows ------------------------------------------------------------------ */

/* Plain text in column col of a new row (the row must have room). */
int xw_text_cell(sect *s, lxw_col_t col, const char *text, lxw_format *f)
{
    const char *t = xw_txt(s->x, text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    return xw_chk_cell(s, worksheet_write_string(s->ws, s->row, col, t, f), s->row, col);
}

/* A heading or paragraph: over a table of several columns it is merged
   across them and wraps (so it prints inside the table's width). */
static int text_row(sect *s, const char *text, int tf)
{
    static const double size[TF_COUNT] = {14, 12, FONT_SIZE, FONT_SIZE, 12};
    int n = s->t ? s->t->ncols : 0;
    if (n < 2) return xw_text_cell(s, 0, text, s->x->text[tf]);
    double avail = -1.5;
    for (int c = 0; c < n; c++) avail += s->width[c];
    const char *t = xw_txt(s->x, text, XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
    if (!t) return -1;
    double lh = LINE_HEIGHT * size[tf] / FONT_SIZE;
    int lines = xlsx_text_lines(t, avail * FONT_SIZE / size[tf]);
    if (xw_row_height(s, lines, lh)) return -1;
    return xw_chk_cell(s, worksheet_merge_range(s->ws, s->row, 0, s->row, (lxw_col_t)(n - 1), t, s->x->wrapped[tf]),
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
            if (xw_room(s, 0) || text_row(s, b->text, tf)) return (size_t)-1;
            s->row++;
        } else if (b->kind == BLK_KV && b->kv) {
            n += (size_t)b->kv->nitems;
            if (!write) continue;
            for (int k = 0; k < b->kv->nitems; k++) {
                if (xw_room(s, 0) || xw_text_cell(s, 0, b->kv->keys[k], s->x->text[TF_KEY]) ||
                    xw_text_cell(s, 1, b->kv->values[k], s->x->text[TF_TEXT]))
                    return (size_t)-1;
                s->row++;
            }
        }
    }
    return n;
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
        return xw_fail(x, "xlsx: sheet \"%s\": %d columns, more than Excel's %d", sec->sheet_name,
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
            xw_fail(x, "xlsx: out of memory");
            goto out;
        }
        if (xw_plan_widths(&s)) goto out;
    }
    s.chart_px = xw_chart_width(&s);
    if (xw_open_sheet(&s)) goto out;
    if (text_rows(&s, 0, s.tblock, 1) == (size_t)-1) goto out;
    if (s.t) {
        if (pre) s.row++;
        if (xw_write_table(&s)) goto out;
        if (text_rows(&s, s.tblock + 1, sec->nblocks, 0) > 0) {
            if (s.row < s.limit) s.row++; /* blank row */
            if (text_rows(&s, s.tblock + 1, sec->nblocks, 1) == (size_t)-1) goto out;
        }
    }
    if (xw_write_chart(&s) || xw_close_table(&s)) goto out;
    rc = 0;
out:
    free(s.width);
    free(s.rowbuf);
    free(s.parts);
    return rc;
}

/* --- workbook ------------------------------------------------------------------ */

/* A directory of its own for libxlsxwriter's temporary files ("tmp.XXXXXX",
   unlinked as soon as they are opened), made beside path and named after it
   (malloc'd): a process killed between the open and the unlink leaves its
   file in there, under path's name, where the caller's clean-up of path
   finds it, never loose among the outputs. */
static char *scratch_dir_make(const char *path)
{
    size_t n = strlen(path) + sizeof ".tmp-XXXXXX";
    char *dir = malloc(n);
    if (!dir) return NULL;
    snprintf(dir, n, "%s.tmp-XXXXXX", path);
    if (!mkdtemp(dir)) {
        free(dir);
        return NULL;
    }
    return dir;
}

int xlsx_render(const rdoc *doc, const char *path, char *err, size_t errlen)
{
    xw x;
    memset(&x, 0, sizeof x);
    x.err = err;
    x.errlen = errlen;
    if (err && errlen) err[0] = '\0';
    if (!doc || !path || !*path) return xw_fail(&x, "xlsx: no document or no path");
    x.max_rows = row_limit();

    char *tmpdir = scratch_dir_make(path);
    if (!tmpdir) return xw_fail(&x, "xlsx: %s: cannot write a temporary directory beside it: %s", path, strerror(errno));
    lxw_workbook_options opt;
    memset(&opt, 0, sizeof opt);
    opt.constant_memory = LXW_TRUE;
    opt.tmpdir = tmpdir;
    x.wb = workbook_new_opt(path, &opt);
    if (!x.wb) {
        remove_tree(tmpdir);
        free(tmpdir);
        return xw_fail(&x, "xlsx: %s: cannot create workbook", path);
    }

    int rc = 0;
    if (xw_make_formats(&x, doc) || xw_set_properties(&x, doc) || xw_set_page_texts(&x, doc)) rc = -1;
    for (size_t i = 0; rc == 0 && i < doc->nsections; i++)
        if (doc->sections[i].sheet_name && render_section(&x, &doc->sections[i])) rc = -1;
    if (rc == 0 && x.nsheets == 0) {
        /* No sheet at all: Excel refuses an empty workbook; add one with the title. */
        char name[XLSX_SHEET_NAME_BUF];
        lxw_worksheet *ws = NULL;
        if (xlsx_sheet_name_unique(&x.names, doc->title, name)) rc = xw_fail(&x, "xlsx: out of memory");
        else if (!(ws = workbook_add_worksheet(x.wb, name)))
            rc = xw_fail(&x, "xlsx: cannot add worksheet \"%s\"", name);
        else {
            const char *t = xw_txt(&x, doc->title ? doc->title : "", XLSX_CLEAN_XESC, XLSX_STRING_UNITS);
            if (!t || xw_chk(&x, worksheet_write_string(ws, 0, 0, t, NULL), name, "title")) rc = -1;
        }
    }
    if (rc == 0 && xw_write_lists(&x)) rc = -1;

    if (rc == 0) {
        lxw_error e = workbook_close(x.wb); /* frees the workbook, also on error */
        if (e) {
            xw_fail(&x, "xlsx: %s: %s", path, lxw_strerror(e));
            unlink(path);
            rc = -1;
        }
    } else {
        lxw_workbook_free(x.wb);
    }
    remove_tree(tmpdir); /* with whatever a failed write left in it */
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
