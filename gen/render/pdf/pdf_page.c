/*
 * pdf_page.c — the page frame (GB/T 9704: A4, a text block of 156 x 225 mm;
 * a landscape page the same frame turned), page numbers and the footer, and
 * the page breaks the blocks ask for.
 */
#include "render/pdf/pdf_internal.h"

#include <math.h>
#include <stdio.h>

/*
 * Page number "— N —" 7 mm below the text block, one character in from the
 * outer edge: right on odd pages, left on even ones (GB/T 9704 7.5); the
 * footer centred on its line.  A landscape page is bound like the others,
 * turned with its top to the binding edge (its frame is the portrait one
 * turned: the binding margin on top), so GB/T 9704 10.2 keeps its number
 * where the portrait pages have it: the number and the footer are turned a
 * quarter clockwise and sit in the landscape page's left margin, 7 mm from
 * the text block — at the foot of the bound sheet, at its outer corner
 * (odd: the landscape page's lower end; even: its upper end).
 */
static void page_furniture(layout *L)
{
    pdf_ctx *c = L->c;
    char num[48];
    snprintf(num, sizeof num, "\xE2\x80\x94 %d \xE2\x80\x94", L->page_no);
    uint32_t len, off = pdf_text_clean(c, F_SONG, num, &len);
    double w = pdf_text_width(c, F_SONG, PAGENO_PT, c->dl.pool + off, len);
    /* on the bound sheet: the baseline below the block, the line's ends */
    double lo = L->landscape ? L->bottom : L->x0, hi = L->landscape ? L->top : L->x1;
    double base = (L->landscape ? L->x0 : L->bottom) - 7 * MM - 0.88 * PAGENO_PT;
    double at = L->page_no % 2 ? hi - PAGENO_PT - w : lo + PAGENO_PT;  /* where it starts, portrait */
    op *o;
    if (!L->landscape) {
        pdf_text_add(L, F_SONG, PAGENO_PT, at, base, off, len, 0, 0, 0);
    } else if ((o = pdf_text_add(L, F_SONG, PAGENO_PT, base, lo + hi - at, off, len, 0, 0, 0))) {
        o->rot = 1;  /* reads downward from the mirrored start */
    }
    if (!L->doc->footer || !*L->doc->footer) return;
    /* the footer sits centred between the page number positions, shrunk if long */
    off = pdf_text_clean(c, F_SONG, L->doc->footer, &len);
    double room = (hi - lo) - 2 * (PAGENO_PT + w + PAGENO_PT);
    double size = FOOTER_PT, fw = pdf_text_width(c, F_SONG, size, c->dl.pool + off, len);
    if (fw > room && fw > 0) {
        size = fmax(5.0, size * room / fw);
        fw = pdf_text_width(c, F_SONG, size, c->dl.pool + off, len);
    }
    if (!L->landscape) pdf_text_add(L, F_SONG, size, (lo + hi - fw) / 2, base, off, len, 0, 0, 0);
    else if ((o = pdf_text_add(L, F_SONG, size, base, (lo + hi + fw) / 2, off, len, 0, 0, 0))) o->rot = 1;
}

/* The page frame for the current orientation (set before anything is
   measured against the text block, even when no page is open yet). */
void pdf_frame_set(layout *L, int landscape)
{
    L->landscape = landscape;
    L->pw = L->landscape ? A4_LONG : A4_SHORT;
    L->ph = L->landscape ? A4_SHORT : A4_LONG;
    /* landscape: the portrait frame turned, binding margin on top */
    double top_m = L->landscape ? 28 * MM : 37 * MM;
    double left_m = L->landscape ? 35 * MM : 28 * MM;
    double bw = L->landscape ? 225 * MM : 156 * MM, bh = L->landscape ? 156 * MM : 225 * MM;
    L->x0 = left_m;
    L->x1 = left_m + bw;
    L->top = L->ph - top_m;
    L->bottom = L->top - bh;
}

static void open_page(layout *L)
{
    L->y = L->top;
    op *o = pdf_dl_add(&L->c->dl, OP_PAGE);
    o->w = (float)L->pw;
    o->h = (float)L->ph;
    L->page_no++;
    L->page_open = 1;
    L->page_used = 0;
    page_furniture(L);
}

/* Make sure a page is open before drawing; mark it used. */
void pdf_page_need(layout *L)
{
    if (!L->page_open) open_page(L);
    L->page_used = 1;
}

/* End the page if it holds anything: the next content starts a new one. */
void pdf_page_break(layout *L)
{
    if (L->page_open && L->page_used) L->page_open = 0;
}

/* Room for h points of content, from a fresh page when the current one has
   less (a block taller than a page starts on a fresh page and overflows). */
void pdf_page_ensure(layout *L, double h)
{
    pdf_page_need(L);
    if (L->y - h < L->bottom - 0.01 && L->y < L->top) {
        pdf_page_break(L);
        pdf_page_need(L);
    }
}

/* Room for a block and what must stay with it (keep-with-next): h capped
   at a page, so that a chain taller than a page starts a page and no more. */
void pdf_page_ensure_keep(layout *L, double h) { pdf_page_ensure(L, fmin(h, page_h(L))); }
