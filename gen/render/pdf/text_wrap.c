/* text_wrap.c — ICU-based line breaking by measured width (see text_wrap.h). */
#include "render/pdf/text_wrap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/uchar.h>
#include <unicode/ubrk.h>
#include <unicode/utext.h>

struct tw_breaker {
    UBreakIterator *bi;
    UText *ut;
    /* scratch for cutting an over-long run: char offsets and code points */
    size_t *pos;
    uint32_t *cps;
    size_t scratch_cap;
};

tw_breaker *tw_breaker_new(char *err, size_t errlen)
{
    UErrorCode st = U_ZERO_ERROR;
    UBreakIterator *bi = ubrk_open(UBRK_LINE, "zh", NULL, 0, &st);
    if (U_FAILURE(st)) {
        snprintf(err, errlen, "ICU line break iterator: %s", u_errorName(st));
        return NULL;
    }
    tw_breaker *b = calloc(1, sizeof *b);
    if (!b) {
        ubrk_close(bi);
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    b->bi = bi;
    return b;
}

void tw_breaker_free(tw_breaker *b)
{
    if (!b) return;
    ubrk_close(b->bi);
    if (b->ut) utext_close(b->ut);
    free(b->pos);
    free(b->cps);
    free(b);
}

void tw_lines_free(tw_lines *l)
{
    free(l->v);
    memset(l, 0, sizeof *l);
}

uint32_t tw_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    uint32_t c = p[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > left) goto bad;
    if (n == 1) { *i += 1; return c; }
    c &= 0x7Fu >> n;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) goto bad;
        c = c << 6 | (p[k] & 0x3F);
    }
    /* overlong forms and surrogates are invalid too */
    static const uint32_t min_for_len[5] = {0, 0, 0x80, 0x800, 0x10000};
    if (c < min_for_len[n] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
    *i += n;
    return c;
bad:
    *i += 1;
    return 0xFFFD;
}

/* Quotation marks are class QU in UAX #14 (either side); in Chinese the
   general category tells opening (Pi) from closing (Pf). */
int tw_no_line_start(uint32_t cp)
{
    switch (u_getIntPropertyValue((UChar32)cp, UCHAR_LINE_BREAK)) {
    case U_LB_CLOSE_PUNCTUATION:
    case U_LB_CLOSE_PARENTHESIS:
    case U_LB_EXCLAMATION:
    case U_LB_INFIX_NUMERIC:
    case U_LB_NONSTARTER:
    case U_LB_INSEPARABLE:
        return 1;
    case U_LB_QUOTATION:
        return u_charType((UChar32)cp) == U_FINAL_PUNCTUATION;
    default:
        return 0;
    }
}

int tw_no_line_end(uint32_t cp)
{
    int lb = u_getIntPropertyValue((UChar32)cp, UCHAR_LINE_BREAK);
    if (lb == U_LB_OPEN_PUNCTUATION) return 1;
    return lb == U_LB_QUOTATION && u_charType((UChar32)cp) == U_INITIAL_PUNCTUATION;
}

/* --- the greedy filler ----------------------------------------------------- */

typedef struct {
    tw_breaker *b;
    const char *t;
    size_t len;
    tw_measure_fn measure;
    void *ud;
    tw_lines *out;
    double avail, width; /* width of the current line; of later lines */
    size_t ls, le;       /* current line: start, end of what has been placed */
    double acc;          /* measured width of t[ls..le) */
    int open;            /* the current line must be emitted even if empty */
} wrapper;

static double measure(wrapper *w, size_t s, size_t e)
{
    return e > s ? w->measure(w->ud, w->t + s, e - s) : 0.0;
}

static size_t trim_end(const char *t, size_t s, size_t e)
{
    while (e > s && (t[e - 1] == ' ' || t[e - 1] == '\t' || t[e - 1] == '\n' ||
                     t[e - 1] == '\r' || t[e - 1] == '\f' || t[e - 1] == '\v'))
        e--;
    return e;
}

static int emit(wrapper *w, size_t s, size_t e, int hard)
{
    tw_lines *o = w->out;
    if (o->n == o->cap) {
        size_t cap = o->cap ? o->cap * 2 : 16;
        tw_line *v = realloc(o->v, cap * sizeof *v);
        if (!v) return -1;
        o->v = v;
        o->cap = cap;
    }
    size_t te = trim_end(w->t, s, e);
    o->v[o->n++] = (tw_line){s, te - s, measure(w, s, te), hard};
    w->avail = w->width;
    w->acc = 0;
    return 0;
}

static int grow_scratch(tw_breaker *b, size_t need)
{
    if (need <= b->scratch_cap) return 0;
    size_t cap = need * 2;
    size_t *pos = realloc(b->pos, cap * sizeof *pos);
    if (!pos) return -1;
    b->pos = pos;
    uint32_t *cps = realloc(b->cps, cap * sizeof *cps);
    if (!cps) return -1;
    b->cps = cps;
    b->scratch_cap = cap;
    return 0;
}

static int breaks_rule(const uint32_t *cps, size_t j)
{
    return tw_no_line_start(cps[j]) || tw_no_line_end(cps[j - 1]);
}

/* Width of t[s..e), exactly when it is at most `limit`; otherwise some
   width above `limit` (measuring stops there).  A segment without a break
   opportunity can be megabytes long: measuring all of it for every line
   cut from it made wrapping quadratic. */
static double measure_upto(wrapper *w, size_t s, size_t e, double limit)
{
    double acc = 0;
    for (size_t i = s; i < e && acc <= limit;) {
        size_t at = i;
        tw_utf8_next(w->t, e, &i);
        acc += measure(w, at, i);
    }
    return acc;
}

/* Decode the character at *i into slot n of the scratch (growing it). */
static int decode_at(wrapper *w, size_t n, size_t *i, size_t e)
{
    if (grow_scratch(w->b, n + 2) != 0) return -1;
    w->b->pos[n] = *i;
    w->b->cps[n] = tw_utf8_next(w->t, e, i);
    return 0;
}

/* Where to cut the run t[s..e) that is wider than the line: after as many
   characters as fit (at least one), moved back — or, when nothing can move
   back, forward — until the cut leaves no closing mark at the start of the
   next line and no opening mark at the end of this one.  Decodes only as
   far as the cut needs.  Returns the byte offset, or 0 on out-of-memory. */
static size_t cut_run(wrapper *w, size_t s, size_t e)
{
    tw_breaker *b = w->b;
    size_t n = 0, i = s, fit = 0;
    double acc = 0;
    while (i < e) {
        if (decode_at(w, n, &i, e) != 0) return 0;
        acc += measure(w, b->pos[n], i);
        n++;
        if (acc <= w->avail || n == 1) fit = n;
        else break;  /* cps[fit] is the first character that does not fit */
    }
    b->pos[n] = i;
    if (fit == n) return e;  /* the whole run fits */
    size_t j = fit;
    while (j > 1 && breaks_rule(b->cps, j)) j--;
    if (breaks_rule(b->cps, j)) {
        for (j = fit; breaks_rule(b->cps, j); j++) {
            if (j + 1 < n) continue;
            if (i >= e) return e;  /* no allowed cut before the run ends */
            if (decode_at(w, n, &i, e) != 0) return 0;
            b->pos[++n] = i;
        }
    }
    return b->pos[j];
}

/* Place the segment t[s..e) between two break opportunities. */
static int place(wrapper *w, size_t s, size_t e)
{
    for (;;) {
        size_t te = trim_end(w->t, s, e);
        double segw = measure_upto(w, s, te, w->avail);
        if (w->le == w->ls || w->acc + segw <= w->avail) {
            if (w->le > w->ls || segw <= w->avail || te == s) {
                w->acc += measure(w, s, e);
                w->le = e;
                w->open = 1;
                return 0;
            }
        } else {
            /* the line is full: it ends before this segment */
            if (emit(w, w->ls, w->le, 0) != 0) return -1;
            w->ls = w->le = s;
            w->open = 0;
            continue;
        }
        /* an empty line and a run wider than it: cut between characters */
        size_t cut = cut_run(w, s, te);
        if (cut == 0) return -1;
        if (emit(w, s, cut, 0) != 0) return -1;
        if (cut >= te) { /* only spaces are left */
            w->ls = w->le = e;
            w->open = 0;
            return 0;
        }
        w->ls = w->le = s = cut;
    }
}

int tw_wrap(tw_breaker *b, const char *text, size_t len, double first_width,
            double width, tw_measure_fn measure_fn, void *ud, tw_lines *out)
{
    UErrorCode st = U_ZERO_ERROR;
    b->ut = utext_openUTF8(b->ut, text, (int64_t)len, &st);
    ubrk_setUText(b->bi, b->ut, &st);
    if (U_FAILURE(st)) return -1;
    wrapper w = {b, text, len, measure_fn, ud, out, first_width, width, 0, 0, 0, 1};
    int32_t prev = ubrk_first(b->bi);
    for (int32_t p = ubrk_next(b->bi); p != UBRK_DONE; prev = p, p = ubrk_next(b->bi)) {
        if (place(&w, (size_t)prev, (size_t)p) != 0) return -1;
        int hard = (size_t)p == len || ubrk_getRuleStatus(b->bi) >= UBRK_LINE_HARD;
        if (hard && (w.open || w.le > w.ls)) {
            if (emit(&w, w.ls, w.le, 1) != 0) return -1;
            w.ls = w.le = (size_t)p;
            w.open = 1;
        }
    }
    if (len == 0 && emit(&w, 0, 0, 1) != 0) return -1;
    return 0;
}
