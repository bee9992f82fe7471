/*
 * pdf_emit.c — the emit pass's page content, from the display list.
 *
 * The page content is written here, not through libharu's drawing calls:
 * each of those formats its numbers through a 512-byte buffer it clears
 * byte by byte and checks the graphics mode — most of libharu's time per
 * page.  The operators are the same (g G w d re f m l S BT Tr Tc Td Tf Tj
 * ET), numbers have two decimals (1/100 pt) and consecutive rules of one
 * stroke share a path.  libharu still owns the page: its resources (the
 * fonts, through HPDF_Page_GetLocalFontName) and its content stream, which
 * it compresses when the document is saved.
 */
#include "render/pdf/pdf_internal.h"
#include "render/pdf/pdf_mark.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void out(emitter *e, const char *s, size_t n)
{
    e->buf = pdf_array_grow(e->buf, &e->cap, e->n + n + 1, 1);
    memcpy(e->buf + e->n, s, n);
    e->n += n;
}

static void out_str(emitter *e, const char *s) { out(e, s, strlen(s)); }

/* A number with up to `dec` decimals (2 or 3), trailing zeros dropped, then
   the separator `sep`. */
static void out_num(emitter *e, double v, int dec, char sep)
{
    char b[32], *p = b + sizeof b;
    long scale = dec == 3 ? 1000 : 100;
    long q = lround(v * (double)scale), neg = q < 0;
    if (neg) q = -q;
    long ip = q / scale, fp = q % scale;
    *--p = sep;
    if (fp) {
        int digits = dec;
        while (fp % 10 == 0) fp /= 10, digits--;
        for (int i = 0; i < digits; i++, fp /= 10) *--p = (char)('0' + fp % 10);
        *--p = '.';
    }
    do *--p = (char)('0' + ip % 10); while ((ip /= 10) > 0);
    if (neg) *--p = '-';
    out(e, p, (size_t)(b + sizeof b - p));
}

static void end_path(emitter *e)
{
    if (e->path) out(e, "S\n", 2);
    e->path = 0;
}

static void end_text(emitter *e)
{
    if (e->in_text) out(e, "ET\n", 3);
    e->in_text = 0;
}

static void reset_state(emitter *e)
{
    e->font = NULL;
    e->size = e->fill = e->stroke = e->lw = e->cs = -1;
    e->bold = 0;
    e->dash = 0;
    e->path = 0;
    e->in_text = 0;
}

static void set_fill(emitter *e, float g)
{
    if (e->fill != g) out_num(e, g, 2, ' '), out(e, "g\n", 2);
    e->fill = g;
}

static void set_stroke(emitter *e, float g, float w, int dash)
{
    if (e->stroke != g) out_num(e, g, 2, ' '), out(e, "G\n", 2);
    if (e->lw != w) out_num(e, w, 2, ' '), out(e, "w\n", 2);
    if (e->dash != dash)
        out_str(e, dash == 1 ? "[4 2] 0 d\n" : dash == 2 ? "[1 2] 0 d\n" : "[] 0 d\n");
    e->stroke = g;
    e->lw = w;
    e->dash = dash;
}

/* One line of text: each character in its face's font and code; the pieces
   follow each other, so the viewer places them, and a punctuation pair
   loses its blank half-square inside the TJ array (pdf_punct_kern, the same
   figure layout measured).  Consecutive lines share a text object and move
   to each other's origin (Td is relative: the moves are rounded as
   written, so the origin tracked is the viewer's).  A turned line has a
   text object of its own, placed by Tm. */
static void emit_text(emitter *e, const op *o, const char *pool)
{
    static const char hex[] = "0123456789abcdef";
    pdf_ctx *c = e->c;
    end_path(e);
    set_fill(e, o->gray);
    if (o->bold) set_stroke(e, o->gray, (float)(o->size * BOLD_STROKE), 0);
    if (o->rot) end_text(e);
    if (!e->in_text) {
        out(e, "BT\n", 3);
        e->in_text = 1;
        e->tx = e->ty = 0;
    }
    if (e->bold != o->bold) out_str(e, o->bold ? "2 Tr\n" : "0 Tr\n");
    if (e->cs != o->cs) out_num(e, o->cs, 3, ' '), out(e, "Tc\n", 3);
    e->bold = o->bold;
    e->cs = o->cs;
    if (o->rot) {
        out_str(e, "0 -1 1 0 ");
        out_num(e, o->x, 2, ' ');
        out_num(e, o->y, 2, ' ');
        out(e, "Tm\n", 3);
    } else {
        double dx = round((o->x - e->tx) * 100) / 100, dy = round((o->y - e->ty) * 100) / 100;
        out_num(e, dx, 2, ' ');
        out_num(e, dy, 2, ' ');
        out(e, "Td\n", 3);
        e->tx += dx;
        e->ty += dy;
    }
    const char *s = pool + o->str;
    int arr = 0, str = 0;  /* a [ array and a <…> string are open */
    char piece[512];  /* the codes of a font run, for libharu's own embedding (attach_program) */
    size_t np = 0;
    uint32_t prev = 0;
    int pw = 0;
    for (size_t i = 0; i < o->len;) {
        uint32_t cp = tw_utf8_next(s, o->len, &i);
        int f = pick(c, o->style, cp);
        if (f < 0) continue;
        int w = pick_advance(c, o->style, cp), kern = pdf_punct_kern(prev, pw, cp, w);
        prev = cp;
        pw = w;
        if (kern) {
            char k[16];
            if (str) out(e, ">", 1), str = 0;
            out(e, k, (size_t)snprintf(k, sizeof k, "%d", kern));
        }
        const face_fonts *ff = &c->ff[f];
        size_t idx = fs_cp_index(ff->cps, ff->n, cp);  /* it is there: layout put it */
        HPDF_Font font = ff->font[idx / GLYPHS_PER_FONT];
        if (font != e->font || e->size != o->size || np + 2 >= sizeof piece) {
            if (str) out(e, ">", 1), str = 0;
            if (arr) out(e, "] TJ\n", 5), arr = 0;
            if (c->libharu_embed && np) piece[np] = 0, HPDF_Font_TextWidth(e->font, (HPDF_BYTE *)piece, (HPDF_UINT)np);
            np = 0;
            out(e, "/", 1);
            out_str(e, HPDF_Page_GetLocalFontName(e->page, font));
            out(e, " ", 1);
            out_num(e, o->size, 2, ' ');
            out(e, "Tf\n", 3);
            e->font = font;
            e->size = o->size;
        }
        if (!arr) out(e, "[", 1), arr = 1;
        if (!str) out(e, "<", 1), str = 1;
        uint16_t code = glyph_code(idx % GLYPHS_PER_FONT);
        char h[4] = {hex[code >> 12], hex[code >> 8 & 15], hex[code >> 4 & 15], hex[code & 15]};
        out(e, h, 4);
        piece[np++] = (char)(code >> 8), piece[np++] = (char)(code & 0xFF);
    }
    if (str) out(e, ">", 1);
    if (arr) out(e, "] TJ\n", 5);
    if (c->libharu_embed && np) piece[np] = 0, HPDF_Font_TextWidth(e->font, (HPDF_BYTE *)piece, (HPDF_UINT)np);
    if (o->rot) end_text(e);
}

static void emit_line(emitter *e, float x1, float y1, float x2, float y2, float gray, float w, int dash)
{
    if (e->path && (e->stroke != gray || e->lw != w || e->dash != dash)) end_path(e);
    if (!e->path) set_stroke(e, gray, w, dash);
    out_num(e, x1, 2, ' '), out_num(e, y1, 2, ' '), out(e, "m ", 2);
    out_num(e, x2, 2, ' '), out_num(e, y2, 2, ' '), out(e, "l\n", 2);
    e->path = 1;
}

/* Column rules by x, then from the top down (then by stroke, so equal
   keys never depend on the sort's order). */
static int by_column(const void *a, const void *b)
{
    const op *x = *(const op *const *)a, *y = *(const op *const *)b;
    if (x->x != y->x) return x->x < y->x ? -1 : 1;
    float xt = fmaxf(x->y, x->h), yt = fmaxf(y->y, y->h);
    if (xt != yt) return xt > yt ? -1 : 1;
    if (x->size != y->size) return x->size < y->size ? -1 : 1;
    if (x->gray != y->gray) return x->gray < y->gray ? -1 : 1;
    return (int)x->dash - (int)y->dash;
}

/* The page's column rules: a row's rule and the one of the row below it
   are one line from the table's top to its bottom on the page. */
static void emit_columns(emitter *e)
{
    if (e->ncols) qsort(e->cols, e->ncols, sizeof *e->cols, by_column);
    for (size_t i = 0; i < e->ncols;) {
        const op *o = e->cols[i];
        float top = fmaxf(o->y, o->h), bot = fminf(o->y, o->h);
        size_t j = i + 1;
        for (; j < e->ncols; j++) {
            const op *p = e->cols[j];
            if (p->x != o->x || p->size != o->size || p->gray != o->gray || p->dash != o->dash ||
                fmaxf(p->y, p->h) < bot - 0.01f)
                break;
            bot = fminf(bot, fminf(p->y, p->h));
        }
        emit_line(e, o->x, top, o->x, bot, o->gray, o->size, o->dash);
        i = j;
    }
    e->ncols = 0;
}

/* Hand the page's content to libharu. */
void pdf_page_flush(emitter *e)
{
    if (!e->page) return;
    end_text(e);
    emit_columns(e);
    end_path(e);
    if (pdf_stream_deflate(e->c->deflater, ((HPDF_PageAttr)e->page->attr)->contents, e->buf, e->n) != 0)
        HPDF_SetError(&e->pdf->error, HPDF_STREAM_EOF, 0);  /* reported as the drawing's failure */
    e->n = 0;
}

/* One run of dark modules of the QR code, into the page's fill path. */
static void qr_rect(void *ud, double x, double y, double w, double h)
{
    emitter *e = ud;
    out_num(e, x, 3, ' '), out_num(e, y, 3, ' '), out_num(e, w, 3, ' '), out_num(e, h, 3, ' ');
    out(e, "re\n", 3);
}

void pdf_op_emit(emitter *e, const op *o, const char *pool)
{
    switch ((op_kind)o->kind) {
    case OP_PAGE:
        pdf_page_flush(e);
        e->page = HPDF_AddPage(e->pdf);
        reset_state(e);
        if (e->err->code) return;
        HPDF_Page_SetWidth(e->page, o->w);
        HPDF_Page_SetHeight(e->page, o->h);
        break;
    case OP_TEXT:
        emit_text(e, o, pool);
        break;
    case OP_FILL:
        end_text(e);
        end_path(e);
        set_fill(e, o->gray);
        out_num(e, o->x, 2, ' '), out_num(e, o->y, 2, ' '), out_num(e, o->w, 2, ' '), out_num(e, o->h, 2, ' ');
        out(e, "re f\n", 5);
        break;
    case OP_LINE:
        if (o->style == LINE_COLUMN_RULE && o->x == o->w) {
            e->cols = pdf_array_grow(e->cols, &e->capcols, e->ncols + 1, sizeof *e->cols);
            e->cols[e->ncols++] = o;
            break;
        }
        end_text(e);
        emit_line(e, o->x, o->y, o->w, o->h, o->gray, o->size, o->dash);
        break;
    case OP_QR: {
        char text[128];
        snprintf(text, sizeof text, "%.*s", (int)o->len, pool + o->str);
        end_text(e);
        end_path(e);
        set_fill(e, 0);
        if (pdf_mark_qr(text, o->x, o->y, o->w, qr_rect, e) < 0 && !e->err->code) e->err->code = HPDF_FAILD_TO_ALLOC_MEM;
        out(e, "f\n", 2);
        break;
    }
    }
}
