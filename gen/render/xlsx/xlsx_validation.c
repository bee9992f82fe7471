/*
 * xlsx_validation.c — a column's choices as a dropdown (data validation):
 * an inline list, or a range on the hidden list sheet written last.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <stdlib.h>
#include <string.h>
#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
/* A leak inside libxlsxwriter that zhibu cannot free (see xw_apply_list). */
#define LIBRARY_LEAKS_BEGIN() __lsan_disable()
#define LIBRARY_LEAKS_END() __lsan_enable()
#else
#define LIBRARY_LEAKS_BEGIN() ((void)0)
#define LIBRARY_LEAKS_END() ((void)0)
#endif

#define LIST_SHEET "下拉选项" /* the hidden sheet of dropdown lists that cannot be inline */
#define INLINE_LIST_MAX 255 /* an inline list, commas included, in bytes (see xw_apply_list) */

/*
 * A column's dropdown.  Excel's inline list ("a,b,c" in the file) when no
 * item holds ',' or '"' and the list, commas included, is at most 255
 * bytes: libxlsxwriter 1.1.4 builds it in a 258-byte buffer while it
 * counts characters, so a longer Chinese list overflows its heap; within
 * 255 bytes value_list is exact.  Any other list goes on the hidden list
 * sheet and the validation names its range (LIST_FORMULA, of which 1.1.4
 * leaks a copy: fixed in 1.1.6; the ASan build tells LeakSanitizer so).
 */
int xw_apply_list(sect *s, int c, lxw_row_t r1, lxw_row_t r2)
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
    if (!items) return xw_fail(x, "xlsx: out of memory");
    for (int i = 0; i < col->nchoices; i++) {
        if (!col->choices[i] || !*col->choices[i]) continue;
        char *t = xw_txt_dup(x, col->choices[i], XLSX_CLEAN_CTRL | XLSX_CLEAN_XESC, 255);
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
                xw_fail(x, "xlsx: out of memory");
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
        int e = !q || xw_sb_add(x, &f, "=") || xw_sb_add(x, &f, q) || xw_sb_add(x, &f, "!") || xw_sb_add(x, &f, rng);
        free(q);
        if (e) {
            xw_fail(x, "xlsx: out of memory");
            goto out;
        }
        dv.validate = LXW_VALIDATION_TYPE_LIST_FORMULA;
        dv.value_formula = f.s;
    }
    if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA) LIBRARY_LEAKS_BEGIN();
    lxw_error e = worksheet_data_validation_range(s->ws, r1, (lxw_col_t)c, r2, (lxw_col_t)c, &dv);
    if (dv.validate == LXW_VALIDATION_TYPE_LIST_FORMULA) LIBRARY_LEAKS_END();
    rc = xw_chk(x, e, s->name, "data validation");
out:
    for (int i = 0; items && i < n; i++) free(items[i]);
    free(items);
    free(f.s);
    return rc;
}

int xw_write_lists(xw *x)
{
    if (x->nlists == 0) return 0;
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, x->list_sheet);
    if (!ws) return xw_fail(x, "xlsx: cannot add worksheet \"%s\"", x->list_sheet);
    int rows = 0;
    for (int k = 0; k < x->nlists; k++)
        if (x->lists[k].n > rows) rows = x->lists[k].n;
    for (int r = 0; r < rows; r++) /* row by row: constant_memory */
        for (int k = 0; k < x->nlists; k++)
            if (r < x->lists[k].n &&
                xw_chk(x, worksheet_write_string(ws, (lxw_row_t)r, (lxw_col_t)k, x->lists[k].items[r], NULL),
                       x->list_sheet, "list"))
                return -1;
    worksheet_hide(ws);
    return 0;
}
