/*
 * pdf_text.c — text on the display list: cleaned into the pool (what the
 * style cannot draw as 〓, long texts cut), measured with the faces' own
 * advances and punctuation compression, wrapped (text_wrap.c), and added as
 * runs and as wrapped lines.
 */
#include "render/pdf/pdf_internal.h"

#include <string.h>

/* What a style can draw of cp: itself, nothing (0: control characters), or
   the substitute 〓.  Newlines stay for the line breaker. */
static uint32_t drawable(pdf_ctx *c, int style, uint32_t cp)
{
    if (cp == '\n') return cp;
    if (cp == '\t') return ' ';
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF) return 0;
    if (cp != 0xFFFD && pick(c, style, cp) >= 0) return cp;
    return pick(c, style, SUBSTITUTE) >= 0 ? SUBSTITUTE : '?';
}

/* Copy s into the pool as text the style can draw; returns its offset.  A
   text of more than TEXT_MAX_CHARS characters is cut there and the
   document's cut note follows. */
uint32_t pdf_text_clean(pdf_ctx *c, int style, const char *s, uint32_t *len)
{
    dlist *d = &c->dl;
    size_t start = d->plen, n = s ? strlen(s) : 0, chars = 0, i = 0;
    while (i < n && chars < TEXT_MAX_CHARS) {
        uint32_t cp = drawable(c, style, tw_utf8_next(s, n, &i));
        if (cp) pdf_pool_put_cp(d, cp), chars++;
    }
    while (i < n && !drawable(c, style, tw_utf8_next(s, n, &i))) {}
    if (i < n) {  /* more to draw: cut */
        const char *note = c->cut_note;
        for (size_t k = 0, m = strlen(note); k < m;) {
            uint32_t cp = drawable(c, style, tw_utf8_next(note, m, &k));
            if (cp) pdf_pool_put_cp(d, cp);
        }
    }
    *len = (uint32_t)(d->plen - start);
    return (uint32_t)start;
}

/* Punctuation compression, as Chinese typesetting does it: a full-width
   punctuation mark has its ink on one side of its square and a blank half
   on the other — closing marks (，。、；：）》」”…) on the left, opening
   marks (（《「“…) on the right.  Two marks in a row would show a whole
   blank square between or before them ("）。" "。”" "，“"), so one blank
   half goes: after a closing mark that another mark follows, or before an
   opening mark that follows an opening mark.  ！？ stay (centred in many
   faces). */
static inline int punct_side(uint32_t cp)
{
    if (cp < 0x2018 || (cp > 0x201D && cp < 0x3001) || (cp > 0x3015 && cp < 0xFF08) || cp > 0xFF5D) return 0;
    switch (cp) {
    case 0xFF0C: case 0x3002: case 0x3001: case 0xFF1B: case 0xFF1A: case 0xFF09: case 0x300B:
    case 0x300D: case 0x300F: case 0x3011: case 0x3015: case 0x3009: case 0x201D: case 0x2019:
    case 0xFF3D: case 0xFF5D:
        return 1;  /* closing: blank right half */
    case 0xFF08: case 0x300A: case 0x300C: case 0x300E: case 0x3010: case 0x3014: case 0x3008:
    case 0x201C: case 0x2018: case 0xFF3B: case 0xFF5B:
        return 2;  /* opening: blank left half */
    default:
        return 0;
    }
}

/* 1/1000 em taken off between a (advance aw) and b (advance bw); marks of
   less than full width (a Latin face's quotes) are left alone. */
int pdf_punct_kern(uint32_t a, int aw, uint32_t b, int bw)
{
    int sa = punct_side(a), sb = punct_side(b);
    if (!sa || !sb || aw < 900 || bw < 900) return 0;
    if (sa == 1) return aw / 2;
    return sb == 2 ? bw / 2 : 0;
}

/* Width in 1/1000 em of UTF-8 text in a style, each character in its face,
   punctuation pairs compressed. */
static long text_units(pdf_ctx *c, int style, const char *s, size_t n)
{
    long units = 0;
    uint32_t prev = 0;
    int pw = 0, pside = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = tw_utf8_next(s, n, &i);
        int w = pick_advance(c, style, cp), side = punct_side(cp);
        if (pside && side) units -= pdf_punct_kern(prev, pw, cp, w);
        units += w;
        prev = cp;
        pw = w;
        pside = side;
    }
    return units;
}

double pdf_text_measure(void *ud, const char *s, size_t n)
{
    const meter *m = ud;
    return (double)text_units(m->c, m->style, s, n) * m->size / 1000.0;
}

double pdf_text_width(pdf_ctx *c, int style, double size, const char *s, size_t n)
{
    return (double)text_units(c, style, s, n) * size / 1000.0;
}

/* Wrap pool text into `lines` (cleared first); flags: TW_KEEP_WORDS for
   table cells, kv values and chart labels (text_wrap.h). */
void pdf_text_wrap(pdf_ctx *c, int style, double size, uint32_t off, uint32_t len,
                   double first_w, double w, int flags, tw_lines *lines)
{
    meter m = {c, style, size};
    lines->n = 0;
    /* most table cells fit their first line: what the line breaker would
       give, without it (trailing spaces are not part of a line) */
    const char *t = c->dl.pool + off;
    if (!memchr(t, '\n', len)) {
        uint32_t te = len;
        while (te && t[te - 1] == ' ') te--;
        double tw = pdf_text_width(c, style, size, t, te);
        if (tw <= first_w) {
            lines->v = pdf_array_grow(lines->v, &lines->cap, 1, sizeof *lines->v);
            lines->v[lines->n++] = (tw_line){0, te, tw, 1};
            return;
        }
    }
    if (c->naive & NAIVE_WIDTHS) flags = 0;
    if (tw_wrap_ex(c->tw, c->dl.pool + off, len, first_w, w, flags, pdf_text_measure, &m, lines) != 0 || lines->n == 0) {
        /* ICU failed (it does not on valid UTF-8): one unwrapped line */
        lines->n = 0;
        tw_line l = {0, len, pdf_text_width(c, style, size, c->dl.pool + off, len), 1};
        lines->v = pdf_array_grow(lines->v, &lines->cap, 1, sizeof *lines->v);
        lines->v[lines->n++] = l;
    }
}

/* A line of pool text in a style; its characters join their faces' sets.
   Returns the op (NULL for an empty line). */
op *pdf_text_add(layout *L, int style, double size, double x, double baseline,
                 uint32_t off, uint32_t len, int bold, float gray, double cs)
{
    if (len == 0) return NULL;
    pdf_ctx *c = L->c;
    const char *s = c->dl.pool + off;
    for (size_t i = 0; i < len;) {
        uint32_t cp = tw_utf8_next(s, len, &i);
        int f = pick(c, style, cp);
        if (f >= 0) fs_cpset_add(&c->used[f], cp);
    }
    op *o = pdf_dl_add(&c->dl, OP_TEXT);
    o->style = (uint8_t)style;
    o->bold = (uint8_t)bold;
    o->x = (float)x;
    o->y = (float)baseline;
    o->size = (float)size;
    o->gray = gray;
    o->cs = (float)cs;
    o->str = off;
    o->len = len;
    return o;
}

/* Draw wrapped lines of pool text within [x, x + w), page-breaking between
   lines.  `lines` must be ctx->lines or owned by the caller. */
void pdf_lines_draw(layout *L, const pstyle *st, double x, double w, uint32_t off,
                    const tw_lines *lines)
{
    for (size_t i = 0; i < lines->n; i++) {
        const tw_line *l = &lines->v[i];
        pdf_page_ensure(L, st->lh);
        double lx = x + (i == 0 ? st->indent : 0), lw = w - (i == 0 ? st->indent : 0);
        double cs = 0;
        size_t nch = 0;
        for (size_t k = 0; k < l->len;) tw_utf8_next(L->c->dl.pool + off + l->start, l->len, &k), nch++;
        if (st->justify && !l->hard && nch > 1 && lw - l->width < 0.3 * st->size * (double)(nch - 1))
            cs = (lw - l->width) / (double)(nch - 1);
        if (st->align == ALIGN_CENTER) lx += (lw - l->width) / 2;
        else if (st->align == ALIGN_RIGHT) lx += lw - l->width;
        pdf_text_add(L, st->style, st->size, lx, baseline_in(L->y, st->lh, st->size),
                     off + (uint32_t)l->start, (uint32_t)l->len, st->bold, 0, cs);
        L->y -= st->lh;
    }
}
