/*
 * xlsx_styles.c — styles.xml: which cell formats (cellXfs) show a number as
 * a date, from the built-in format ids and the custom format codes
 * (b->xf_date).
 */
#include "input/xlsx_read_internal.h"
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    int id;
    int date;
} numfmt;

typedef struct {
    xml_base x;
    int in_xfs;
    numfmt *fmts;
    size_t nfmts, cap_fmts;
    int *xf_fmt;
    size_t nxf, cap_xf;
} styles_state;

/* A custom number format is a date format when its first section has y or
   d, or m without h or s (m next to h or s is minutes), outside quoted
   text, escapes and [..] (where [h], [m], [s] are elapsed time). */
static int numfmt_is_date(const char *code)
{
    int ymd = 0, m = 0, hs = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            if (p[1]) p++;
            continue;
        }
        if (c == '[') {
            const char *q = p + 1;
            int time = 1;
            while (*q && *q != ']') {
                char l = (char)tolower((unsigned char)*q);
                if (l != 'h' && l != 'm' && l != 's') time = 0;
                q++;
            }
            if (time && q > p + 1) hs = 1;
            if (!*q) break;
            p = q;
            continue;
        }
        if (c == ';') break;
        char l = (char)tolower((unsigned char)c);
        if (l == 'y' || l == 'd') ymd = 1;
        else if (l == 'm') m = 1;
        else if (l == 'h' || l == 's') hs = 1;
    }
    return ymd || (m && !hs);
}

/* Built-in date and time formats: 14–22 and 45–47 everywhere, 27–36 and
   50–58 in the East Asian (zh-CN …) versions of Excel, where they are
   年月日 forms. */
static int numfmt_builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_state *s = ud;
    const char *ln = xr_local(name);
    if (!strcmp(ln, "numFmt")) {
        const char *code = xr_attr(atts, "formatCode", 0);
        int id = xr_int_attr(atts, "numFmtId", -1);
        if (id < 0 || !code) return;
        GROW(s->fmts, s->cap_fmts, s->nfmts);
        s->fmts[s->nfmts++] = (numfmt){id, numfmt_is_date(code)};
    } else if (!strcmp(ln, "cellXfs")) s->in_xfs = 1;
    else if (s->in_xfs && !strcmp(ln, "xf")) {
        GROW(s->xf_fmt, s->cap_xf, s->nxf);
        s->xf_fmt[s->nxf++] = xr_int_attr(atts, "numFmtId", 0);
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    styles_state *s = ud;
    if (!strcmp(xr_local(name), "cellXfs")) s->in_xfs = 0;
}

int xr_styles_load(xlsx_book *b, problems *probs)
{
    styles_state s = {0};
    int rc = xr_part_parse(b, b->styles_part, NULL, 0, &s.x, styles_start, styles_end, xr_no_text, probs);
    if (rc == 0) {
        b->xf_date = xcalloc(s.nxf ? s.nxf : 1, 1);
        b->nxf = s.nxf;
        for (size_t i = 0; i < s.nxf; i++) {
            int id = s.xf_fmt[i], date = numfmt_builtin_date(id);
            /* a custom format (id ≥ 164, or one a writer redefines) wins */
            for (size_t k = 0; k < s.nfmts; k++)
                if (s.fmts[k].id == id) date = s.fmts[k].date;
            b->xf_date[i] = (unsigned char)date;
        }
    }
    free(s.fmts);
    free(s.xf_fmt);
    return rc;
}
