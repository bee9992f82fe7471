/* text_wrap.c — ICU-based line breaking by measured width (see text_wrap.h). */
#include "render/pdf/text_wrap.h"

#include <ctype.h>
#include <math.h>
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

/* --- keeping words whole (TW_KEEP_WORDS) ------------------------------------ */

int tw_is_han(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0x20000 && cp <= 0x3FFFF) || cp == 0x3007;
}

static int is_digit(uint32_t cp) { return (cp >= '0' && cp <= '9') || (cp >= 0xFF10 && cp <= 0xFF19); }

/* The character that ends at byte p (> 0) and where it starts. */
static uint32_t char_before(const char *t, size_t p, size_t *start)
{
    size_t q = p - 1;
    for (int k = 1; k < 4 && q > 0 && ((unsigned char)t[q] & 0xC0) == 0x80; k++) q--;
    size_t i = q;
    uint32_t cp = tw_utf8_next(t, p, &i);
    if (i != p) { /* not one character: the last byte alone */
        q = p - 1;
        cp = 0xFFFD;
    }
    *start = q;
    return cp;
}

/* Units of two characters after a number: 2.5小时, 12个月. */
static int unit2(uint32_t a, uint32_t b)
{
    static const uint32_t u[][2] = {{0x5C0F, 0x65F6} /* 小时 */, {0x5206, 0x949F} /* 分钟 */,
                                    {0x4E2A, 0x6708} /* 个月 */, {0x5B66, 0x65F6} /* 学时 */,
                                    {0x8BFE, 0x65F6} /* 课时 */, {0x5468, 0x5C81} /* 周岁 */,
                                    {0x4EBA, 0x6B21} /* 人次 */};
    for (size_t i = 0; i < sizeof u / sizeof u[0]; i++)
        if (u[i][0] == a && u[i][1] == b) return 1;
    return 0;
}

/* How keeps_word (and keeps_han_pair) end for a break between two Chinese
   characters: L is the run before the break (a number's unit not counted),
   i the byte after the first character of the run R from the break.  R is
   read only as far forward as the answer needs; 1 (keep) when L and R make
   a short word or either would be one character. */
static int han_run_keeps(const char *t, size_t len, size_t i, int L)
{
    int R = 1, need = L == 0 || L >= TW_SHORT_WORD - 1 ? 2 : TW_SHORT_WORD - L + 1;
    while (R < need && i < len) {
        size_t k = i;
        if (!tw_is_han(tw_utf8_next(t, len, &k))) break;
        R++;
        i = k;
    }
    if (L == 0) return R == 1; /* after a unit: 2022年度 stays, 9月 | 党费 breaks */
    return L + R <= TW_SHORT_WORD || L == 1 || R == 1;
}

/* 1 when a break at byte p of t[0..len) would tear a word (see text_wrap.h).
   Decodes at most TW_SHORT_WORD + 2 characters back and TW_SHORT_WORD + 1
   forward, each once: linear in the text. */
static int keeps_word(const char *t, size_t len, size_t p)
{
    if (p == 0 || p >= len) return 0;
    /* back[0] = the character before p, back[1] the one before it, … */
    enum { NB = TW_SHORT_WORD + 3 };
    uint32_t back[NB];
    int nb = 0;
    size_t q = p, i = p;
    back[nb++] = char_before(t, q, &q);
    uint32_t c1 = back[0], c2 = tw_utf8_next(t, len, &i);
    if (is_digit(c1) && tw_is_han(c2)) return 1; /* 135元, 2022年, 11至 */
    if (!tw_is_han(c1) || (!tw_is_han(c2) && !is_digit(c2))) return 0;
    while (nb < NB && q > 0 && (nb < 3 || tw_is_han(back[nb - 1]))) back[nb++] = char_before(t, q, &q);
    while (nb < NB) back[nb++] = 0;
    uint32_t c0 = back[1];
    if (is_digit(c2) && (c1 == 0x7B2C /* 第 */ || ((c1 == 0x5E74 || c1 == 0x6708) && is_digit(c0))))
        return 1; /* 2022年9月13日, 第137行 */
    if (tw_is_han(c2) && is_digit(c0) && unit2(c1, c2)) return 1;
    /* the run of Chinese characters around p: L before it, R from it; a
       number's unit (right after a digit, or the second of a two-character
       unit after one: 2.5小时) belongs to the number, not to the run:
       9月26日 | 主题党日 */
    int L = 0;
    while (L <= TW_SHORT_WORD && L + 2 < NB && tw_is_han(back[L]) && !is_digit(back[L + 1]) &&
           !(unit2(back[L + 1], back[L]) && is_digit(back[L + 2])))
        L++;
    if (is_digit(c2)) return L == 1; /* 共 | 2.5小时 would leave 共 alone */
    return han_run_keeps(t, len, i, L);
}

/* Full-width closing marks (UAX #14 CL) and opening ones (OP, East Asian
   width F: LB30 does not hold them to a number before them). */
static int full_close(uint32_t cp)
{
    if (cp < 0x3001 || (cp > 0x3015 && cp < 0xFF01) || cp > 0xFF1F) return 0;
    static const uint32_t v[] = {0xFF0C, 0x3002, 0x3001, 0xFF1B, 0xFF1A, 0xFF01, 0xFF1F, 0xFF09,
                                 0x300B, 0x300D, 0x300F, 0x3011, 0x3015, 0x3009};
    for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
        if (v[i] == cp) return 1;
    return 0;
}

static int full_open(uint32_t cp)
{
    if (cp < 0x3008 || (cp > 0x3014 && cp != 0xFF08)) return 0;
    return cp == 0xFF08 || cp == 0x300A || cp == 0x300C || cp == 0x300E || cp == 0x3010 || cp == 0x3014 ||
           cp == 0x3008;
}

/* keeps_word for a break between two Chinese characters c1 | c2, from what
   a forward scan knows: c0 before them and L, the characters of the run up
   to c1 (a number's unit not counted); i is the byte after c2. */
static int keeps_han_pair(const char *t, size_t len, size_t i, uint32_t c0, uint32_t c1, uint32_t c2, int L)
{
    if (is_digit(c0) && unit2(c1, c2)) return 1;
    return han_run_keeps(t, len, i, L);
}

double tw_atom_bound(const char *t, size_t len, double limit, tw_measure_fn measure_fn, void *ud)
{
    /* breaks the line breaker certainly offers: after a Chinese character
       before another or a digit (UAX #14 LB31) where keeps_word allows it,
       after a full-width closing mark and before a full-width opening one,
       and after spaces before a Chinese character, a letter or a digit
       (LB18) when no opening mark comes before the spaces (LB14) */
    double bound = 0;
    size_t s = 0, i = 0, run = 0, first = 0, third_end = 0;
    int L = 0;  /* as keeps_word counts it, up to the previous character */
    uint32_t c0 = 0, prev = 0, before_sp = 0;
    while (i < len && bound <= limit) {
        size_t at = i;
        uint32_t cp = tw_utf8_next(t, len, &i);
        int han = tw_is_han(cp), digit = is_digit(cp), ph = tw_is_han(prev);
        /* a long run needs three characters a line (as tw_extent) */
        if (!han) run = 0;
        else {
            if (run == 0) first = at;
            if (run == 2) third_end = i;
            if (++run == TW_SHORT_WORD + 1) bound = fmax(bound, measure_fn(ud, t + first, third_end - first));
        }
        int brk = 0, word = han || digit || (cp < 0x80 && isalnum((int)cp));
        if (ph && han) brk = !keeps_han_pair(t, len, i, c0, prev, cp, L);                      /* LB31 */
        else if (ph && digit) brk = !(prev == 0x7B2C || ((prev == 0x5E74 || prev == 0x6708) && is_digit(c0)) || L == 1);
        else if (full_close(prev) && (word || full_open(cp))) brk = 1;                          /* CL ÷ */
        else if ((ph || is_digit(prev)) && full_open(cp)) brk = 1;                               /* ÷ OP */
        else if (prev == ' ' && word && !tw_no_line_end(before_sp)) brk = 1;                    /* LB18 */
        else if (prev == '\n') brk = 1;                                                        /* hard */
        if (brk) {
            size_t te = s == at ? at : trim_end(t, s, at);
            if (te > s) bound = fmax(bound, measure_fn(ud, t + s, te - s));
            s = at;
        }
        if (!han || is_digit(prev) || (unit2(prev, cp) && is_digit(c0))) L = 0;
        else if (L <= TW_SHORT_WORD) L++;
        if (cp != ' ') before_sp = cp;
        c0 = prev;
        prev = cp;
    }
    size_t te = trim_end(t, s, len);
    if (te > s && bound <= limit) bound = fmax(bound, measure_fn(ud, t + s, te - s));
    return bound;
}

/* ICU's next break opportunity after the current one that `flags` allow;
   *hard is set when it is a newline's or the end of the text. */
static int32_t next_break(tw_breaker *b, const char *t, size_t len, int flags, int *hard)
{
    for (;;) {
        int32_t p = ubrk_next(b->bi);
        if (p == UBRK_DONE) return p;
        *hard = (size_t)p == len || ubrk_getRuleStatus(b->bi) >= UBRK_LINE_HARD;
        if (*hard || !(flags & TW_KEEP_WORDS) || !keeps_word(t, len, (size_t)p)) return p;
    }
}

static int open_text(tw_breaker *b, const char *text, size_t len)
{
    UErrorCode st = U_ZERO_ERROR;
    b->ut = utext_openUTF8(b->ut, text, (int64_t)len, &st);
    ubrk_setUText(b->bi, b->ut, &st);
    return U_FAILURE(st) ? -1 : 0;
}

int tw_wrap_ex(tw_breaker *b, const char *text, size_t len, double first_width,
               double width, int flags, tw_measure_fn measure_fn, void *ud, tw_lines *out)
{
    if (open_text(b, text, len) != 0) return -1;
    wrapper w = {b, text, len, measure_fn, ud, out, first_width, width, 0, 0, 0, 1};
    int32_t prev = ubrk_first(b->bi);
    int hard = 0;
    for (int32_t p = next_break(b, text, len, flags, &hard); p != UBRK_DONE;
         prev = p, p = next_break(b, text, len, flags, &hard)) {
        if (place(&w, (size_t)prev, (size_t)p) != 0) return -1;
        if (hard && (w.open || w.le > w.ls)) {
            if (emit(&w, w.ls, w.le, 1) != 0) return -1;
            w.ls = w.le = (size_t)p;
            w.open = 1;
        }
    }
    if (len == 0 && emit(&w, 0, 0, 1) != 0) return -1;
    return 0;
}

int tw_wrap(tw_breaker *b, const char *text, size_t len, double first_width,
            double width, tw_measure_fn measure_fn, void *ud, tw_lines *out)
{
    return tw_wrap_ex(b, text, len, first_width, width, 0, measure_fn, ud, out);
}

int tw_extent(tw_breaker *b, const char *text, size_t len, int flags, tw_measure_fn measure_fn, void *ud,
              double *atom, double *natural)
{
    double a = 0, nat = 0;
    /* the hard lines, unbroken */
    for (size_t s = 0; s <= len;) {
        const char *nl = memchr(text + s, '\n', len - s);
        size_t e = nl ? (size_t)(nl - text) : len;
        size_t te = trim_end(text, s, e);
        if (te > s) nat = fmax(nat, measure_fn(ud, text + s, te - s));
        s = e + 1;
    }
    /* the pieces between the breaks allowed */
    if (open_text(b, text, len) != 0) return -1;
    int32_t prev = ubrk_first(b->bi);
    int hard = 0;
    for (int32_t p = next_break(b, text, len, flags, &hard); p != UBRK_DONE;
         prev = p, p = next_break(b, text, len, flags, &hard)) {
        size_t te = trim_end(text, (size_t)prev, (size_t)p);
        if (te > (size_t)prev) a = fmax(a, measure_fn(ud, text + prev, te - (size_t)prev));
    }
    /* a run of Chinese longer than a short term breaks anywhere but needs
       three characters a line, so that no line holds one of them alone */
    if (flags & TW_KEEP_WORDS) {
        size_t run = 0, first = 0, third_end = 0;
        for (size_t i = 0; i < len;) {
            size_t at = i;
            uint32_t cp = tw_utf8_next(text, len, &i);
            if (!tw_is_han(cp)) {
                run = 0;
                continue;
            }
            if (run == 0) first = at;
            if (run == 2) third_end = i;
            if (++run == TW_SHORT_WORD + 1) a = fmax(a, measure_fn(ud, text + first, third_end - first));
        }
    }
    *atom = a;
    *natural = nat;
    return 0;
}
