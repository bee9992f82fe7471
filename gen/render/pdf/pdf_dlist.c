/*
 * pdf_dlist.c — the display list the layout pass fills and the emit pass
 * replays: its ops (pages, text runs, fills, rules, the QR code) and the
 * pool of cleaned UTF-8 strings they point into.
 */
#include "render/pdf/pdf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void *pdf_array_grow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(p, c * elem);
    if (!q) {
        fputs("zhibu: 内存不足\n", stderr);
        abort();
    }
    *cap = c;
    return q;
}

op *pdf_dl_add(dlist *d, op_kind kind)
{
    d->v = pdf_array_grow(d->v, &d->cap, d->n + 1, sizeof *d->v);
    op *o = &d->v[d->n++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

/* UTF-8 of cp into out (4 bytes of room); returns its length. */
size_t pdf_utf8_put(char *out, uint32_t cp)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) { out[0] = (char)(0xC0 | cp >> 6); out[1] = (char)(0x80 | (cp & 0x3F)); return 2; }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | cp >> 12);
        out[1] = (char)(0x80 | (cp >> 6 & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | cp >> 18);
    out[1] = (char)(0x80 | (cp >> 12 & 0x3F));
    out[2] = (char)(0x80 | (cp >> 6 & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

void pdf_pool_put(dlist *d, const void *p, size_t n)
{
    d->pool = pdf_array_grow(d->pool, &d->pcap, d->plen + n + 1, 1);
    memcpy(d->pool + d->plen, p, n);
    d->plen += n;
}

void pdf_pool_put_cp(dlist *d, uint32_t cp)
{
    char b[4];
    pdf_pool_put(d, b, pdf_utf8_put(b, cp));
}

void pdf_fill_add(layout *L, double x, double y, double w, double h, float gray)
{
    op *o = pdf_dl_add(&L->c->dl, OP_FILL);
    o->x = (float)x, o->y = (float)y, o->w = (float)w, o->h = (float)h;
    o->gray = gray;
}

void pdf_line_add(layout *L, double x1, double y1, double x2, double y2,
                  double width, float gray, int dash)
{
    op *o = pdf_dl_add(&L->c->dl, OP_LINE);
    o->x = (float)x1, o->y = (float)y1, o->w = (float)x2, o->h = (float)y2;
    o->size = (float)width;
    o->gray = gray;
    o->dash = (uint8_t)dash;
}
