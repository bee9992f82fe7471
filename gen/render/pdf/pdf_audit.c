/*
 * pdf_audit.c — where the audit mark (doc/audit.md) goes on the last page;
 * pdf_mark.c knows the QR code, the caption and the Info keys.
 */
#include "render/pdf/pdf_internal.h"
#include "render/pdf/pdf_mark.h"

#include <math.h>
#include <string.h>

/* 1 when nothing drawn on the current page reaches into the rectangle. */
static int page_region_free(layout *L, double x0, double y0, double x1, double y1)
{
    const dlist *d = &L->c->dl;
    size_t i = d->n;
    while (i > 0 && d->v[i - 1].kind != OP_PAGE) i--;
    for (; i < d->n; i++) {
        const op *o = &d->v[i];
        double a0, b0, a1, b1;
        if (o->kind == OP_TEXT && o->rot) {
            a0 = o->x - 0.25 * o->size;
            a1 = o->x + o->size;
            b0 = o->y - pdf_text_width(L->c, o->style, o->size, d->pool + o->str, o->len);
            b1 = o->y;
        } else if (o->kind == OP_TEXT) {
            a0 = o->x;
            a1 = o->x + pdf_text_width(L->c, o->style, o->size, d->pool + o->str, o->len);
            b0 = o->y - 0.25 * o->size;
            b1 = o->y + o->size;
        } else if (o->kind == OP_FILL || o->kind == OP_LINE) {
            double x2 = o->kind == OP_FILL ? o->x + o->w : o->w, y2 = o->kind == OP_FILL ? o->y + o->h : o->h;
            double pad = o->kind == OP_LINE ? o->size / 2 : 0;
            a0 = fmin(o->x, x2) - pad, a1 = fmax(o->x, x2) + pad;
            b0 = fmin(o->y, y2) - pad, b1 = fmax(o->y, y2) + pad;
        } else {
            continue;
        }
        if (a0 < x1 && a1 > x0 && b0 < y1 && b1 > y0) return 0;
    }
    return 1;
}

/* The mark on the last page, at the foot of the text block on the left
   where the signature lines (right-aligned) leave room: the QR code with
   the caption to its right on the baseline a body line at the foot has,
   else (a wider signature line) the caption under the QR code.  When the
   corner is taken (a form that fills the page), the mark goes into the
   bottom margin under the page number's line, on the other side from the
   page number: never onto a page of its own. */
void pdf_audit_mark_add(layout *L)
{
    const char *fp = L->doc->audit.fingerprint;
    if (!fp || !*fp) return;
    char cap[96];
    pdf_mark_caption(fp, cap, sizeof cap);
    uint32_t len, off = pdf_text_clean(L->c, F_SONG, cap, &len);
    double cw = pdf_text_width(L->c, F_SONG, PDF_MARK_PT, L->c->dl.pool + off, len);
    double lh = BODY_PT * LEADING, side = PDF_MARK_QR_MM * MM, gap = 2 * MM;
    double foot = baseline_in(L->bottom + lh, lh, BODY_PT);
    double qx = L->x0, qy = L->bottom, cx = L->x0 + side + gap, base = foot;
    if (!page_region_free(L, qx - gap, qy, cx + cw + gap, qy + side + gap)) {
        /* the caption under the QR code */
        qy = foot + PDF_MARK_PT + gap / 2;
        cx = L->x0;
        if (!page_region_free(L, qx - gap, L->bottom, qx + fmax(side, cw) + gap, qy + side + gap)) {
            if (L->landscape) {
                /* the bottom margin (the page number is in the left one) */
                qy = L->bottom - 2 * MM - side;
                qx = L->x0;
            } else {
                /* the page number's line ends 12 mm below the block */
                qy = L->bottom - 13 * MM - side;
                qx = L->page_no % 2 ? L->x0 : L->x1 - (side + gap + cw);
            }
            cx = qx + side + gap;
            base = qy + 0.25 * PDF_MARK_PT;
        }
    }
    pdf_text_add(L, F_SONG, PDF_MARK_PT, cx, base, off, len, 0, 0, 0);
    op *o = pdf_dl_add(&L->c->dl, OP_QR);
    o->x = (float)qx, o->y = (float)qy, o->w = o->h = (float)side;
    o->str = (uint32_t)L->c->dl.plen;
    o->len = (uint32_t)strlen(fp);
    pdf_pool_put(&L->c->dl, fp, o->len); /* not text: its characters are not drawn from a face */
}
