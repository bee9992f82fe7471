/*
 * xlsx_util.c — what every part of the XLSX renderer needs: the first error
 * kept for the caller (every libxlsxwriter return code is checked), strings
 * cleaned for libxlsxwriter (it does not validate UTF-8), and formula text.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

__attribute__((format(printf, 2, 3)))
int xw_fail(xw *x, const char *fmt, ...)
{
    if (!x->failed && x->err && x->errlen) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(x->err, x->errlen, fmt, ap);
        va_end(ap);
    }
    x->failed = 1;
    return -1;
}

int xw_chk(xw *x, lxw_error e, const char *sheet, const char *what)
{
    if (e == LXW_NO_ERROR) return 0;
    return xw_fail(x, "xlsx: sheet \"%s\": %s: %s", sheet ? sheet : "", what, lxw_strerror(e));
}

int xw_chk_cell(sect *s, lxw_error e, lxw_row_t r, lxw_col_t c)
{
    if (e == LXW_NO_ERROR) return 0;
    return xw_fail(s->x, "xlsx: sheet \"%s\": cell row %u column %u: %s", s->name, (unsigned)r + 1,
                   (unsigned)c + 1, lxw_strerror(e));
}

/* s cleaned for libxlsxwriter, in the scratch buffer (valid until the next call). */
const char *xw_txt(xw *x, const char *s, int flags, size_t max_units)
{
    const char *r = xlsx_utf8_clean(s, max_units, flags, &x->buf, &x->bufcap);
    if (!r) xw_fail(x, "xlsx: out of memory");
    return r;
}

/* A malloc'd clean copy (for strings that must coexist). */
char *xw_txt_dup(xw *x, const char *s, int flags, size_t max_units)
{
    const char *r = xw_txt(x, s, flags, max_units);
    if (!r) return NULL;
    char *d = strdup(r);
    if (!d) xw_fail(x, "xlsx: out of memory");
    return d;
}

int xw_sb_add(xw *x, sbuf *b, const char *t)
{
    size_t k = strlen(t);
    if (b->n + k + 1 > b->cap) {
        size_t c = b->cap ? b->cap * 2 : 256;
        while (c < b->n + k + 1) c *= 2;
        char *p = realloc(b->s, c);
        if (!p) return xw_fail(x, "xlsx: out of memory");
        b->s = p;
        b->cap = c;
    }
    memcpy(b->s + b->n, t, k + 1);
    b->n += k;
    return 0;
}

/* A string literal in a formula: "text" with quotes doubled. */
int xw_sb_quoted(xw *x, sbuf *b, const char *t)
{
    if (xw_sb_add(x, b, "\"")) return -1;
    for (const char *p = t; *p; p++) {
        char one[3] = {*p, 0, 0};
        if (*p == '"') one[1] = '"';
        if (xw_sb_add(x, b, one)) return -1;
    }
    return xw_sb_add(x, b, "\"");
}
