/*
 * render_pdf.c — the PDF renderer (see render_pdf.h and doc/pdf.md): the
 * document walk, which lays out each block and emits each op through the
 * files pdf_internal.h lists.
 *
 * Two passes per document:
 *   1. layout: the rdoc is laid out into a display list (pages, text runs,
 *      rules, fills) measured with the faces' own advances; every character
 *      drawn is recorded in the set of the face that draws it;
 *   2. emit: each face is subset to exactly its set (harfbuzz), the subsets
 *      are loaded into a fresh libharu document, each with an encoder of
 *      our own, and the display list is replayed onto its pages.
 * Laying out first is what makes the subsets exact (repeated table headers,
 * page numbers and substitutes included) without a second walk of the rdoc
 * that could disagree with the first.
 *
 * Faces and styles: a style (Song, Hei, Kai) draws each character from the
 * first face of its chain that has it — the style's own face, then the
 * fallback faces — so one line may use several fonts.
 *
 * Glyph path: libharu's UTF-8 encoder would make CID = Unicode (BMP only,
 * a 131,070-byte CIDToGIDMap per font and a linear cmap search for all
 * 65,536 code points).  Instead each embedded font gets a CMap encoder of
 * ours whose two-byte codes are small CIDs 0x0101, 0x0102, … for the
 * characters the document draws in that face, a subset whose cmap maps
 * those codes to its glyphs (font_subset.c), and a ToUnicode map
 * (surrogate pairs above U+FFFF) written by pdf_fonts.c.  See doc/pdf.md.
 *
 * Coordinates are PDF points, origin at the bottom left of the page.
 */
#include "render/pdf/pdf_internal.h"
#include "render/pdf/font_subset.h"
#include "render/pdf/pdf_mark.h"
#include "render/pdf/text_wrap.h"

#include <errno.h>
#include <hpdf.h>
#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

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
static void pdf_frame_set(layout *L, int landscape)
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
static void pdf_page_need(layout *L)
{
    if (!L->page_open) open_page(L);
    L->page_used = 1;
}

/* End the page if it holds anything: the next content starts a new one. */
static void pdf_page_break(layout *L)
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
static void pdf_page_ensure_keep(layout *L, double h) { pdf_page_ensure(L, fmin(h, page_h(L))); }

static double pdf_block_need(layout *L, const rsection *s, size_t j, int depth);
static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j);
static double pdf_trailer_height(layout *L, const rsection *s, size_t j);

static void pdf_prose_add(layout *L, const pstyle *st, const char *text)
{
    pdf_ctx *c = L->c;
    uint32_t len, off = pdf_text_clean(c, st->style, text, &len);
    pdf_text_wrap(c, st->style, st->size, off, len, block_w(L) - st->indent, block_w(L), st->flags, &c->lines);
    pdf_lines_draw(L, st, L->x0, block_w(L), off, &c->lines);
}

/* Two title lines split at a space the writer put between the parts of a
   title (organisation, subject), the most balanced split that fits. */
static int title_split_at_space(layout *L, double size, uint32_t off, uint32_t len, tw_lines *out)
{
    const char *t = L->c->dl.pool + off;
    double best = -1;
    size_t at = 0;
    for (size_t i = 1; i + 1 < len; i++) {
        if (t[i] != ' ') continue;
        double a = pdf_text_width(L->c, F_SONG, size, t, i);
        double b = pdf_text_width(L->c, F_SONG, size, t + i + 1, len - i - 1);
        if (a <= block_w(L) && b <= block_w(L) && (best < 0 || fmax(a, b) < best)) {
            best = fmax(a, b);
            at = i;
        }
    }
    if (best < 0) return 0;
    out->v = pdf_array_grow(out->v, &out->cap, 2, sizeof *out->v);
    out->v[0] = (tw_line){0, at, pdf_text_width(L->c, F_SONG, size, t, at), 1};
    out->v[1] = (tw_line){at + 1, len - at - 1, pdf_text_width(L->c, F_SONG, size, t + at + 1, len - at - 1), 1};
    out->n = 2;
    return 1;
}

/* The title's lines and size: 22 pt on one line, else two lines (split at a
   space if possible, else wrapped) at the largest size down to 18 pt that
   allows it, else as many lines as 22 pt needs. */
static double title_lines(layout *L, uint32_t off, uint32_t len, tw_lines *out)
{
    pdf_ctx *c = L->c;
    for (double s = TITLE_PT; s >= 18.0; s -= 2.0) {
        pdf_text_wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), 0, out);
        if (out->n == 1 || title_split_at_space(L, s, off, len, out)) return s;
    }
    for (double s = TITLE_PT; s >= 18.0; s -= 2.0) {
        pdf_text_wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), 0, out);
        if (out->n <= 2) return s;
    }
    pdf_text_wrap(c, F_SONG, TITLE_PT, off, len, block_w(L), block_w(L), 0, out);
    return TITLE_PT;
}

static void pdf_title_add(layout *L)
{
    pdf_ctx *c = L->c;
    const rdoc *d = L->doc;
    if (d->title && *d->title) {
        uint32_t len, off = pdf_text_clean(c, F_SONG, d->title, &len);
        double size = title_lines(L, off, len, &c->lines);
        pstyle st = {F_SONG, size, size * 1.5, 0, 1, ALIGN_CENTER, 0, 0};
        pdf_page_need(L);
        pdf_lines_draw(L, &st, L->x0, block_w(L), off, &c->lines);
    }
    if (d->subtitle && *d->subtitle) {
        pstyle st = {F_KAI, SUBTITLE_PT, SUBTITLE_PT * 1.6, 0, 0, ALIGN_CENTER, 0, 0};
        pdf_prose_add(L, &st, d->subtitle);
    }
    if (L->page_open) L->y -= BODY_PT; /* a blank half line before the body */
}

static const pstyle heading_styles[] = {
    /* level 0: a title of its own inside the document (a form's), centred,
       in the title's face made heavier, between the title's and a heading's size */
    {F_SONG, 18.0, 18.0 * 1.6, 0, 1, ALIGN_CENTER, 0, 0},
    {F_HEI, H1_PT, H1_PT * LEADING, 2 * H1_PT, 0, ALIGN_LEFT, 0, 0},
    {F_KAI, H2_PT, H2_PT * LEADING, 2 * H2_PT, 0, ALIGN_LEFT, 0, 0},
    {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 0, 0},
};
static const pstyle pdf_para_style = {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 1, 0};

static const pstyle *heading_style(const rblock *b)
{
    return &heading_styles[b->level < 0 ? 1 : b->level > 3 ? 3 : b->level];
}

/* Lines of a text in a style, measured only (the pool is left as it was). */
static size_t pdf_prose_lines(layout *L, const pstyle *st, const char *text)
{
    for (unsigned k = 0; k < 4; k++)
        if (L->tl[k].text == text && L->tl[k].st == st && L->tl[k].w == block_w(L)) return L->tl[k].n;
    pdf_ctx *c = L->c;
    size_t mark = c->dl.plen;
    uint32_t len, off = pdf_text_clean(c, st->style, text, &len);
    pdf_text_wrap(c, st->style, st->size, off, len, block_w(L) - st->indent, block_w(L), st->flags, &c->lines);
    c->dl.plen = mark;
    unsigned k = L->ntl++ % 4;
    L->tl[k].text = text, L->tl[k].st = st, L->tl[k].w = block_w(L), L->tl[k].n = c->lines.n;
    return c->lines.n;
}

static double pdf_heading_height(layout *L, const rblock *b)
{
    const pstyle *st = heading_style(b);
    return (double)pdf_prose_lines(L, st, b->text) * st->lh + st->size * 0.4;
}

/* A heading stays with what follows it (pdf_block_need): never the last thing
   on a page. */
static void pdf_heading_add(layout *L, const rsection *s, size_t j)
{
    const rblock *b = &s->blocks[j];
    const pstyle *st = heading_style(b);
    if (L->c->naive & NAIVE_KEEP) pdf_page_ensure(L, st->lh);
    else pdf_page_ensure_keep(L, pdf_heading_height(L, b) + pdf_block_need(L, s, j + 1, 0));
    if (L->y < L->top) L->y -= st->size * 0.4;
    pdf_prose_add(L, st, b->text);
}

/* A paragraph keeps two lines on its first page; an introduction of at most
   three lines stays whole with the table, chart or list it introduces. */
static void pdf_paragraph_add(layout *L, const rsection *s, size_t j)
{
    if (!(L->c->naive & NAIVE_KEEP)) pdf_page_ensure_keep(L, pdf_block_need(L, s, j, 0));
    pdf_prose_add(L, &pdf_para_style, s->blocks[j].text);
}

/* Key/value header: keys in Hei, values in Song, borderless.  Two items a
   row when every item fits half the block, else one. */
static void pdf_kv_add(layout *L, const rkv *kv)
{
    pdf_ctx *c = L->c;
    double keyw = 0, valw = 0, gap = KV_PT;
    for (int i = 0; i < kv->nitems; i++) {
        size_t mark = c->dl.plen; /* measuring only: the copies are dropped again */
        uint32_t len, off = pdf_text_clean(c, F_HEI, kv->keys[i], &len);
        keyw = fmax(keyw, pdf_text_width(c, F_HEI, KV_PT, c->dl.pool + off, len));
        off = pdf_text_clean(c, F_SONG, kv->values[i], &len);
        valw = fmax(valw, pdf_text_width(c, F_SONG, KV_PT, c->dl.pool + off, len));
        c->dl.plen = mark;
    }
    keyw = fmin(keyw + KV_PT, block_w(L) * 0.35);  /* one character for the colon */
    int per_row = keyw + gap + valw <= block_w(L) / 2 - gap ? 2 : 1;
    double colw = block_w(L) / per_row;
    pstyle kst = {F_HEI, KV_PT, KV_PT * 1.7, 0, 0, ALIGN_LEFT, 0, 0};
    pstyle vst = {F_SONG, KV_PT, KV_PT * 1.7, 0, 0, ALIGN_LEFT, 0, TW_KEEP_WORDS};
    for (int i = 0; i < kv->nitems; i += per_row) {
        double row_top = L->y, row_bottom = L->y;
        int page = L->page_no;
        for (int j = 0; j < per_row && i + j < kv->nitems; j++) {
            double x = L->x0 + j * colw;
            L->y = row_top;
            const char *key = kv->keys[i + j];
            size_t kl = strlen(key);
            int has_colon = kl && (key[kl - 1] == ':' || (kl >= 3 && !strcmp(key + kl - 3, "\xEF\xBC\x9A")));
            uint32_t len, off = pdf_text_clean(c, F_HEI, key, &len);
            if (!has_colon) { pdf_pool_put_cp(&c->dl, 0xFF1A); len += 3; }
            pdf_page_ensure(L, kst.lh);
            if (L->page_no != page) { row_top = L->y; page = L->page_no; }
            pdf_text_wrap(c, F_HEI, KV_PT, off, len, keyw, keyw, TW_KEEP_WORDS, &c->lines);
            pdf_lines_draw(L, &kst, x, keyw, off, &c->lines);
            double after_key = L->y;
            L->y = row_top;
            off = pdf_text_clean(c, F_SONG, kv->values[i + j], &len);
            pdf_text_wrap(c, F_SONG, KV_PT, off, len, colw - keyw - gap, colw - keyw - gap, TW_KEEP_WORDS, &c->lines);
            pdf_lines_draw(L, &vst, x + keyw, colw - keyw - gap, off, &c->lines);
            row_bottom = fmin(row_bottom, fmin(after_key, L->y));
        }
        L->y = row_bottom;
    }
    L->y -= KV_PT * 0.5;
}

static int is_last_block(const layout *L, const rsection *s, const rblock *b)
{
    const rdoc *d = L->doc;
    return s == &d->sections[d->nsections - 1] && b == &s->blocks[s->nblocks - 1];
}

/* Signature lines right-aligned two characters in from the right edge, kept
   on one page; at the end of the document they sit at the foot of the page,
   where a filed paper is signed. */
static void pdf_signature_add(layout *L, const rsection *s, const rblock *b)
{
    const rsignature *sig = b->sig;
    pstyle st = {F_SONG, BODY_PT, BODY_PT * LEADING, 0, 0, ALIGN_RIGHT, 0, 0};
    /* two blank lines above it, or down to half a line rather than a page
       of its own (GB/T 9704 7.3.5: the spacing gives way) */
    double gap = 2 * st.lh, lines = sig->nlines * st.lh;
    if (avail(L) < lines + gap && avail(L) >= lines + st.lh / 2) gap = avail(L) - lines;
    pdf_page_ensure(L, lines + gap);
    L->y -= gap;
    if (is_last_block(L, s, b)) L->y = L->bottom + sig->nlines * st.lh;
    double w = block_w(L) - 2 * BODY_PT;
    for (int i = 0; i < sig->nlines; i++) {
        uint32_t len, off = pdf_text_clean(L->c, F_SONG, sig->lines[i], &len);
        tw_line one = {0, len, pdf_text_width(L->c, F_SONG, BODY_PT, L->c->dl.pool + off, len), 1};
        tw_lines ls = {&one, 1, 1};
        pdf_lines_draw(L, &st, L->x0, w, off, &ls);
    }
}

typedef struct {
    int style, bold, align;
    float fill;  /* < 0: none */
} cstyle;

static cstyle cell_style(const rtable *t, const rcell *row, int col)
{
    if (!row) return (cstyle){F_HEI, 0, ALIGN_CENTER, HEADER_GRAY};
    cstyle st = {F_SONG, 0, (int)t->cols[col].align, -1};
    if (row[col].emph == EMPH_FINDING) { st.bold = 1; st.fill = FINDING_GRAY; }
    else if (row[col].emph == EMPH_STRONG) st.bold = 1;
    return st;
}

/* Row i of t (through its row source when it has one); NULL when the
   source fails: the row is drawn empty. */
static const rcell *table_row_at(tstore *ts, const rtable *t, size_t i)
{
    ts->rowbuf = pdf_array_grow(ts->rowbuf, &ts->caprowbuf, (size_t)t->ncols, sizeof *ts->rowbuf);
    return rtable_row(t, i, ts->rowbuf);
}

static const char *cell_text(const rtable *t, const rcell *row, int i)
{
    if (!row) return t->cols[i].title ? t->cols[i].title : "";
    return row[i].text ? row[i].text : "";
}

/* What a cell needs of its column: the widest piece that may not break (a
   number with its unit, a date, a short term: text_wrap.h) and its width
   unbroken.  A text of at most TW_SHORT_WORD characters without a space is
   one piece (most cells: names, figures, dates, one-word states), measured
   without the line breaker. */
static void cell_extent(layout *L, const tcell *tc, double have, double *atom, double *nat)
{
    pdf_ctx *c = L->c;
    int style = tc->style;
    uint32_t len = tc->len;
    const char *t = c->dl.pool + tc->off;
    size_t chars = 0;
    int plain = 1;
    for (size_t i = 0; i < len && plain;) {
        uint32_t cp = tw_utf8_next(t, len, &i);
        plain = cp != ' ' && cp != '\n' && ++chars <= TW_SHORT_WORD;
    }
    meter m = {c, style, TBL_PT};
    if (plain) {
        *atom = *nat = pdf_text_width(c, style, TBL_PT, t, len);
    } else {
        /* the unbroken lines; the pieces only when they could be wider than
           the widest the column has (`have`): most cells cannot */
        double w = 0;
        for (uint32_t s = 0; s <= len;) {
            const char *nl = memchr(t + s, '\n', len - s);
            uint32_t e = nl ? (uint32_t)(nl - t) : len;
            w = fmax(w, pdf_text_width(c, style, TBL_PT, t + s, e - s));
            s = e + 1;
        }
        *nat = w;
        *atom = w;
        if (w > have && (*atom = tw_atom_bound(t, len, have, pdf_text_measure, &m)) > have &&
            tw_extent(c->tw, t, len, TW_KEEP_WORDS, pdf_text_measure, &m, atom, nat) != 0)
            *atom = *nat = w;
    }
}

/* Row r of the table (0: the header, then rows[r - 1], NULL when a source
   failed: drawn empty) cleaned into the pool with the style of its cells. */
static void cells_fill(pdf_ctx *c, tstore *ts, const rtable *t, size_t r, const rcell *row)
{
    for (int i = 0; i < t->ncols; i++) {
        tcell *tc = &ts->cells[r * (size_t)t->ncols + (size_t)i];
        cstyle st = r && !row ? (cstyle){F_SONG, 0, ALIGN_LEFT, -1} : cell_style(t, row, i);
        tc->style = (uint8_t)st.style;
        tc->bold = (uint8_t)st.bold;
        tc->align = (uint8_t)st.align;
        tc->fill = st.fill;
        tc->off = pdf_text_clean(c, st.style, r && !row ? "" : cell_text(t, row, i), &tc->len);
        tc->one_line = 0;
    }
}

/* Give `slack` to the columns below their target, in proportion to their
   weights, none beyond its target (water filling); returns what is left. */
static double fill_toward(double *w, const double *target, const double *weight, int n, double slack)
{
    for (int round = 0; round <= n && slack > 0.01; round++) {
        double wsum = 0;
        for (int i = 0; i < n; i++)
            if (w[i] < target[i] - 0.01) wsum += weight[i];
        if (wsum <= 0) break;
        double given = 0;
        int capped = 0;
        for (int i = 0; i < n; i++) {
            if (w[i] >= target[i] - 0.01) continue;
            double g = slack * weight[i] / wsum;
            if (w[i] + g > target[i]) g = target[i] - w[i], capped = 1;
            w[i] += g;
            given += g;
        }
        slack -= given;
        if (!capped) break;
    }
    return slack;
}

/*
 * Column widths from the content.  Every column first gets what its widest
 * unbreakable piece needs (header included), so no number loses its unit
 * and no short term wraps; the rest of the text block goes, in proportion
 * to the model's widths (rcolumn.width, a preference), first to the columns
 * whose cells would wrap, then to those whose header would, then towards
 * the model's proportions, then by them.  A column of empty cells (data
 * the branch does not have, or room to write by hand) gets its header's
 * width first and its proportion only from what is left.  One pass over
 * the rows.
 */
static void column_widths(layout *L, tstore *ts, const rtable *t)
{
    int n = t->ncols;
    double W = block_w(L), pad = 2 * TBL_HPAD;
    ts->need = pdf_array_grow(ts->need, &ts->capneed, (size_t)n * 6, sizeof *ts->need);
    double *atom = ts->need, *body = atom + n, *head = body + n, *pref = head + n, *w = pref + n, *tgt = w + n;
    double psum = 0;
    for (int i = 0; i < n; i++) psum += t->cols[i].width > 0 ? t->cols[i].width : 0;
    for (int i = 0; i < n; i++) {
        pref[i] = psum > 0 ? (t->cols[i].width > 0 ? t->cols[i].width : 0) / psum : 1.0 / n;
        if (pref[i] <= 0) pref[i] = 0.01;
        atom[i] = body[i] = 0;
    }
    cells_fill(L->c, ts, t, 0, NULL);
    for (int i = 0; i < n; i++) cell_extent(L, &ts->cells[i], 0, &atom[i], &head[i]);
    for (int i = 0; i < n; i++) ts->cells[i].nat = (float)head[i];
    for (size_t r = 1; r <= t->nrows; r++) {
        cells_fill(L->c, ts, t, r, table_row_at(ts, t, r - 1));
        if (L->c->naive & NAIVE_WIDTHS) continue;
        for (int i = 0; i < n; i++) {
            tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
            if (!tc->len) continue;
            double a, nat;
            cell_extent(L, tc, atom[i], &a, &nat);
            atom[i] = fmax(atom[i], a);
            body[i] = fmax(body[i], nat);
            tc->nat = (float)nat;
            tc->one_line = !memchr(L->c->dl.pool + tc->off, '\n', tc->len) && L->c->dl.pool[tc->off + tc->len - 1] != ' ';
        }
    }
    ts->x = pdf_array_grow(ts->x, &ts->capx, (size_t)n + 1, sizeof *ts->x);
    if (L->c->naive & NAIVE_WIDTHS) {  /* the model's proportions, as before */
        ts->x[0] = L->x0;
        for (int i = 0; i < n; i++) ts->x[i + 1] = ts->x[i] + pref[i] * W;
        ts->x[n] = L->x1;
        return;
    }
    double msum = 0;
    for (int i = 0; i < n; i++) {
        atom[i] = fmax(atom[i] + pad, TBL_PT + pad);
        body[i] = fmax(body[i] + pad, atom[i]);
        head[i] = fmax(head[i] + pad, body[i]);
        w[i] = atom[i];
        msum += atom[i];
    }
    if (msum >= W) {  /* not even the pieces fit: shrink them alike */
        for (int i = 0; i < n; i++) w[i] = atom[i] * W / msum;
    } else {
        double slack = W - msum;
        slack = fill_toward(w, body, pref, n, slack);
        slack = fill_toward(w, head, pref, n, slack);
        for (int i = 0; i < n; i++) tgt[i] = fmax(w[i], pref[i] * W);
        slack = fill_toward(w, tgt, pref, n, slack);
        for (int i = 0; i < n; i++) w[i] += slack * pref[i];
    }
    ts->x[0] = L->x0;
    for (int i = 0; i < n; i++) ts->x[i + 1] = ts->x[i] + w[i];
    ts->x[n] = L->x1;
}

static double row_height(size_t nlines) { return (double)nlines * TBL_PT * TBL_LEADING + 2 * TBL_VPAD; }

/* Lay the table out once: every row cleaned (row 0 the header), its
   columns measured, every row wrapped, all kept until drawn — two passes
   over the rows.  Done again only for another table or another text block
   width. */
static tstore *table_prepare(layout *L, const rtable *t)
{
    pdf_ctx *c = L->c;
    tstore *ts = &c->ts;
    if (ts->t == t && ts->bw == block_w(L)) return ts;
    int n = t->ncols;
    size_t rows = t->nrows + 1;
    ts->cells = pdf_array_grow(ts->cells, &ts->capcells, rows * (size_t)n, sizeof *ts->cells);
    ts->rl = pdf_array_grow(ts->rl, &ts->caprl, rows, sizeof *ts->rl);
    column_widths(L, ts, t);  /* cleans every cell into the pool, once */
    ts->nlines = 0;
    for (size_t r = 0; r < rows; r++) {
        uint32_t most = 1;
        for (int i = 0; i < n; i++) {
            tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
            /* (a column as wide as its widest piece holds it: no rounding cuts it) */
            double w = ts->x[i + 1] - ts->x[i] - 2 * TBL_HPAD + 0.01;
            if (tc->one_line && tc->nat <= w) { /* measured already: one line */
                c->lines.n = 0;
                c->lines.v = pdf_array_grow(c->lines.v, &c->lines.cap, 1, sizeof *c->lines.v);
                c->lines.v[c->lines.n++] = (tw_line){0, tc->len, tc->nat, 1};
            } else {
                pdf_text_wrap(c, tc->style, TBL_PT, tc->off, tc->len, w, w, TW_KEEP_WORDS, &c->lines);
            }
            ts->lines = pdf_array_grow(ts->lines, &ts->caplines, ts->nlines + c->lines.n, sizeof *ts->lines);
            memcpy(ts->lines + ts->nlines, c->lines.v, c->lines.n * sizeof *ts->lines);
            tc->line0 = (uint32_t)ts->nlines;
            tc->nlines = (uint32_t)c->lines.n;
            ts->nlines += c->lines.n;
            if (tc->nlines > most) most = tc->nlines;
        }
        ts->rl[r] = most;
    }
    ts->t = t;
    ts->bw = block_w(L);
    ts->ncols = n;
    return ts;
}

/* Height of body rows [a, b) (0-based). */
static double rows_height(const tstore *ts, size_t a, size_t b)
{
    double h = 0;
    for (size_t i = a; i < b; i++) h += row_height(ts->rl[i + 1]);
    return h;
}

/* Rows a table needs at its start: all of a table too short to be split
   with MIN_ROWS on each page, else MIN_ROWS. */
static size_t start_rows(size_t n) { return n < 2 * MIN_ROWS ? n : MIN_ROWS; }

/* Height of a table's start: caption, header and the rows that must come
   with them (an empty table: its caption and its one line). */
static double pdf_table_start_height(layout *L, const rtable *t)
{
    if (t->ncols <= 0) return 0;
    if (t->nrows == 0) return caption_h(t) + pdf_para_style.lh;
    tstore *ts = table_prepare(L, t);
    size_t k = L->c->naive & NAIVE_ROWS ? 1 : start_rows(t->nrows);
    return caption_h(t) + row_height(ts->rl[0]) + rows_height(ts, 0, k);
}

/* Draw lines [from, from + count) of prepared row r (0: the header) at the
   cursor, with fills, text and rules; cells are centred vertically. */
static void draw_row(layout *L, const tstore *ts, size_t r, size_t from, size_t count, int top_rule)
{
    int n = ts->ncols;
    const double *x = ts->x;
    double lh = TBL_PT * TBL_LEADING, h = row_height(count), top = L->y, bot = top - h;
    for (int i = 0; i < n; i++) {
        const tcell *tc = &ts->cells[r * (size_t)n + (size_t)i];
        if (tc->fill >= 0) pdf_fill_add(L, x[i], bot, x[i + 1] - x[i], h, tc->fill);
        size_t have = tc->nlines > from ? tc->nlines - from : 0;
        size_t k = have < count ? have : count;
        double y = top - TBL_VPAD - (double)(count - k) * lh / 2;
        for (size_t j = 0; j < k; j++, y -= lh) {
            const tw_line *l = &ts->lines[tc->line0 + from + j];
            double lx = x[i] + TBL_HPAD, w = x[i + 1] - x[i] - 2 * TBL_HPAD;
            if (tc->align == ALIGN_CENTER) lx += (w - l->width) / 2;
            else if (tc->align == ALIGN_RIGHT) lx += w - l->width;
            pdf_text_add(L, tc->style, TBL_PT, lx, baseline_in(y, lh, TBL_PT), tc->off + (uint32_t)l->start,
                     (uint32_t)l->len, tc->bold, 0, 0);
        }
    }
    if (top_rule) pdf_line_add(L, x[0], top, x[n], top, RULE_W, 0, 0);
    pdf_line_add(L, x[0], bot, x[n], bot, RULE_W, 0, 0);
    for (int i = 0; i <= n; i++) {
        pdf_line_add(L, x[i], top, x[i], bot, RULE_W, 0, 0);
        L->c->dl.v[L->c->dl.n - 1].style = LINE_COLUMN_RULE;
    }
    L->y = bot;
}

/* A new page for the table's next rows, its header row first. */
static void table_page(layout *L, const tstore *ts)
{
    pdf_page_break(L);
    pdf_page_need(L);
    draw_row(L, ts, 0, 0, ts->rl[0], 1);
}

static size_t lines_fitting(double h)
{
    double n = floor((h - 2 * TBL_VPAD) / (TBL_PT * TBL_LEADING) + 1e-6);
    return n > 0 ? (size_t)n : 0;
}

/* A row taller than a page: split between its lines, over as many pages as
   it takes. */
static void split_row(layout *L, const tstore *ts, size_t r)
{
    size_t nl = ts->rl[r], from = 0;
    while (from < nl) {
        size_t fit = lines_fitting(avail(L));
        if (fit == 0) {
            table_page(L, ts);
            fit = lines_fitting(avail(L));
            if (fit == 0) fit = 1;  /* a header taller than the page: one line anyway */
        }
        size_t count = nl - from < fit ? nl - from : fit;
        draw_row(L, ts, r, from, count, 0);
        from += count;
        if (from < nl) table_page(L, ts);
    }
}

/* An empty table is one line, its empty text ("无" unless the model says
   otherwise), under its caption (centred) or its heading (as a paragraph). */
static void empty_table(layout *L, const rtable *t)
{
    const char *txt = t->empty_text && *t->empty_text ? t->empty_text : "\xE6\x97\xA0";
    pdf_page_ensure(L, caption_h(t) + pdf_para_style.lh);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        pdf_prose_add(L, &st, t->caption);
        pstyle line = pdf_para_style;
        line.indent = 0;
        line.align = ALIGN_CENTER;
        line.justify = 0;
        pdf_prose_add(L, &line, txt);
    } else {
        pdf_prose_add(L, &pdf_para_style, txt);
    }
    L->y -= BODY_PT * 0.4;
}

/*
 * A table: caption, header and its first rows kept together (start_rows);
 * the header repeated on every page it goes on to; a page holds the rows
 * that fit, but when fewer than MIN_ROWS would be left for the next page,
 * rows move over with them (widow control).  A long table starts on the
 * page it follows, however full, once its start fits there.  Rows are
 * never split unless taller than a page.  `trailer` (pdf_trailer_height: what
 * follows the table before the page must end anyway, or -1): when it does
 * not fit under the table's last rows, MIN_ROWS rows go over with it, so
 * that it does not stand alone on a page.
 */
static void pdf_table_add(layout *L, const rtable *t, double trailer)
{
    if (t->ncols <= 0) return;
    if (t->nrows == 0) {
        empty_table(L, t);
        return;
    }
    int naive = L->c->naive & NAIVE_ROWS;
    pdf_page_ensure_keep(L, pdf_table_start_height(L, t) + (trailer > 0 && t->nrows < 2 * MIN_ROWS ? trailer : 0));
    tstore *ts = table_prepare(L, t);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        pdf_prose_add(L, &st, t->caption);
    }
    draw_row(L, ts, 0, 0, ts->rl[0], 1);
    size_t n = t->nrows, i = 0, here = 0;  /* rows of the table on this page */
    while (i < n) {
        double room = avail(L) + 0.01, acc = 0;
        size_t f = 0;
        while (i + f < n && acc + row_height(ts->rl[i + f + 1]) <= room) acc += row_height(ts->rl[i + f + 1]), f++;
        if (f == 0) {
            if (here == 0) {  /* not even on a page of its own */
                split_row(L, ts, i + 1);
                i++, here++;
            } else {
                table_page(L, ts);
                here = 0;
            }
            continue;
        }
        size_t e = i + f;
        int short_end = e < n ? n - e < MIN_ROWS : trailer > 0 && acc + BODY_PT * 0.8 + trailer > room;
        if (short_end && !naive && n >= MIN_ROWS && n - MIN_ROWS > i && here + (n - MIN_ROWS - i) >= MIN_ROWS)
            e = n - MIN_ROWS;
        here += e - i;
        for (; i < e; i++) draw_row(L, ts, i + 1, 0, ts->rl[i + 1], 0);
        if (i < n) {
            table_page(L, ts);
            here = 0;
        }
    }
    L->y -= BODY_PT * 0.8;
}

/* The height block j of a section needs at the top of what is left of a
   page, so that it does not end a page alone: a heading with what follows
   it; a paragraph of at most three lines whole (with the table, chart or
   list it introduces), a longer one two lines; a table its caption, header
   and first rows (pdf_table_start_height); a chart at its smallest; a list its first
   line; a signature block whole. */
static double pdf_block_need(layout *L, const rsection *s, size_t j, int depth)
{
    if (j >= s->nblocks || depth > 4) return 0;
    const rblock *b = &s->blocks[j];
    const rblock *nx = j + 1 < s->nblocks ? &s->blocks[j + 1] : NULL;
    switch (b->kind) {
    case BLK_HEADING:
        return pdf_heading_height(L, b) + pdf_block_need(L, s, j + 1, depth + 1);
    case BLK_PARAGRAPH: {
        if (!b->text || !*b->text) return pdf_block_need(L, s, j + 1, depth + 1);
        size_t nl = pdf_prose_lines(L, &pdf_para_style, b->text);
        if (nl <= 3 && nx && (nx->kind == BLK_TABLE || nx->kind == BLK_CHART || nx->kind == BLK_KV))
            return (double)nl * pdf_para_style.lh + pdf_block_need(L, s, j + 1, depth + 1);
        return (double)(nl <= 3 ? nl : 2) * pdf_para_style.lh;
    }
    case BLK_TABLE:
        return b->table ? pdf_table_start_height(L, b->table) + table_trailer(L, b->table, s, j) : 0;
    case BLK_CHART:
        return b->chart ? CHART_MIN_H + fmax(0, pdf_trailer_height(L, s, j)) : 0;
    case BLK_KV:
        return b->kv && b->kv->nitems ? KV_PT * 1.7 : 0;
    case BLK_SIGNATURE:
        return b->sig ? (b->sig->nlines + 2) * BODY_PT * LEADING : 0;
    default:
        return 0;
    }
}

/* What follows block j of section s until the page must end anyway (a
   section that starts a page or turns it, a page break, the document's
   end), when it is short enough to go with the end of a table: headings,
   paragraphs, empty tables, signature blocks, together at most a third of
   a page.  Its height, or -1 when something else follows or it is more. */
static double pdf_trailer_height(layout *L, const rsection *s, size_t j)
{
    const rdoc *d = L->doc;
    size_t si = (size_t)(s - d->sections), k = j + 1;
    double h = 0;
    for (;;) {
        for (; k < s->nblocks; k++) {
            const rblock *b = &s->blocks[k];
            if (b->kind == BLK_PAGEBREAK) return h;
            if (b->kind == BLK_HEADING) h += pdf_heading_height(L, b);
            else if (b->kind == BLK_PARAGRAPH) h += (double)pdf_prose_lines(L, &pdf_para_style, b->text) * pdf_para_style.lh;
            else if (b->kind == BLK_TABLE && b->table && b->table->nrows == 0)
                h += caption_h(b->table) + pdf_para_style.lh + BODY_PT * 0.4;
            else if (b->kind == BLK_SIGNATURE && b->sig) h += (b->sig->nlines + 2) * BODY_PT * LEADING;
            else return -1;
            if (h > page_h(L) / 3) return -1;
        }
        if (++si >= d->nsections) return h;
        s = &d->sections[si];
        if (s->page_break || !!s->landscape != L->landscape) return h;
        k = 0;
    }
}

/* What must come with a table's start besides its rows: what follows it
   (pdf_trailer_height) when the table is too short to split and leave rows with it. */
static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j)
{
    if (t->ncols <= 0 || t->nrows >= 2 * MIN_ROWS || (L->c->naive & NAIVE_ROWS)) return 0;
    double h = pdf_trailer_height(L, s, j);
    return h > 0 ? h : 0;
}

static const float series_gray[3] = {0.25f, 0.55f, 0.8f};

static void fmt_value(char *buf, size_t n, double v, int percent)
{
    if (percent) v *= 100;
    int whole = fabs(v - round(v)) < 0.05;
    snprintf(buf, n, whole ? "%.0f%s" : "%.1f%s", v, percent ? "%" : "");
}

/* A round axis maximum and step for the largest value. */
static void axis_scale(const rchart *ch, double *ymax, int *nticks)
{
    double m = 0;
    for (int s = 0; s < ch->nseries; s++)
        for (int i = 0; i < ch->ncats; i++) m = fmax(m, ch->series[s].values[i]);
    if (ch->y_max > 0) {
        *ymax = ch->y_max;
        *nticks = 5;
        return;
    }
    if (m <= 0) m = 1.0;
    double raw = m / 5, p = pow(10, floor(log10(raw))), step = p;
    static const double mult[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < 5; i++)
        if (mult[i] * p >= raw) { step = mult[i] * p; break; }
    /* counts (findings, members) step by whole numbers: no 0.2 people */
    int whole = !ch->percent;
    for (int s = 0; s < ch->nseries && whole; s++)
        for (int i = 0; i < ch->ncats && whole; i++) whole = ch->series[s].values[i] == floor(ch->series[s].values[i]);
    if (whole && step < 1) step = 1;
    *nticks = (int)ceil(m / step - 1e-9);
    if (*nticks < 1) *nticks = 1;
    *ymax = *nticks * step;
}

/* Text of `size` in a style centred on cx at the given baseline. */
static void text_centered(layout *L, int style, double size, double cx, double base, const char *s)
{
    uint32_t len, off = pdf_text_clean(L->c, style, s, &len);
    double w = pdf_text_width(L->c, style, size, L->c->dl.pool + off, len);
    pdf_text_add(L, style, size, cx - w / 2, base, off, len, 0, 0, 0);
}

/* The legend, for two or three series (one is named by the chart's title). */
static double chart_legend(layout *L, const rchart *ch, double top)
{
    pdf_ctx *c = L->c;
    if (ch->nseries < 2) return top;
    double total = 0, sw = CHART_PT, gap = CHART_PT;
    uint32_t off[3], len[3];
    double w[3];
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    for (int s = 0; s < ns; s++) {
        off[s] = pdf_text_clean(c, F_SONG, ch->series[s].name ? ch->series[s].name : "", &len[s]);
        w[s] = pdf_text_width(c, F_SONG, CHART_PT, c->dl.pool + off[s], len[s]);
        total += sw + 3 + w[s] + (s ? 2 * gap : 0);
    }
    double x = (L->x0 + L->x1 - total) / 2, base = top - CHART_PT * 1.1;
    for (int s = 0; s < ns; s++) {
        if (ch->kind == CHART_BAR) pdf_fill_add(L, x, base - 1, sw, sw * 0.8, series_gray[s]);
        else pdf_line_add(L, x, base + sw * 0.3, x + sw, base + sw * 0.3, 1.5, series_gray[s] * 0.8f, s);
        pdf_text_add(L, F_SONG, CHART_PT, x + sw + 3, base, off[s], len[s], 0, 0, 0);
        x += sw + 3 + w[s] + 2 * gap;
    }
    return top - CHART_PT * 1.8;
}

typedef struct {
    double x0, x1, y0, y1;  /* plot area */
    double ymax;
    int nticks;
} plot;

static double plot_y(const plot *p, double v)
{
    v = fmax(0, fmin(v, p->ymax));
    return p->y0 + (p->y1 - p->y0) * v / p->ymax;
}

static void chart_axes(layout *L, const rchart *ch, const plot *p)
{
    char buf[32];
    for (int k = 0; k <= p->nticks; k++) {
        double v = p->ymax * k / p->nticks, y = plot_y(p, v);
        if (k) pdf_line_add(L, p->x0, y, p->x1, y, 0.3, 0.75f, 0);
        fmt_value(buf, sizeof buf, v, ch->percent);
        uint32_t len, off = pdf_text_clean(L->c, F_SONG, buf, &len);
        double w = pdf_text_width(L->c, F_SONG, CHART_PT, L->c->dl.pool + off, len);
        pdf_text_add(L, F_SONG, CHART_PT, p->x0 - 4 - w, y - CHART_PT * 0.35, off, len, 0, 0, 0);
    }
    pdf_line_add(L, p->x0, p->y0, p->x1, p->y0, 0.8, 0, 0);
    pdf_line_add(L, p->x0, p->y0, p->x0, p->y1, 0.8, 0, 0);
    if (ch->y_title && *ch->y_title) {
        uint32_t len, off = pdf_text_clean(L->c, F_SONG, ch->y_title, &len);
        pdf_text_add(L, F_SONG, CHART_PT, L->x0, p->y1 + CHART_PT * 0.8, off, len, 0, 0, 0);
    }
    /* category labels: wrapped into the slot keeping words whole, two lines
       at most, the second shortened with … when more would be needed */
    double slot = (p->x1 - p->x0) / ch->ncats;
    pstyle st = {F_SONG, CHART_PT, CHART_PT * 1.25, 0, 0, ALIGN_CENTER, 0, TW_KEEP_WORDS};
    pdf_ctx *c = L->c;
    for (int i = 0; i < ch->ncats; i++) {
        uint32_t len, off = pdf_text_clean(c, F_SONG, ch->cats[i] ? ch->cats[i] : "", &len);
        pdf_text_wrap(c, F_SONG, CHART_PT, off, len, slot - 2, slot - 2, TW_KEEP_WORDS, &c->lines);
        if (c->lines.n > 2) {
            /* the rest after the first line, cut to fit with an ellipsis */
            tw_line *l = &c->lines.v[1];
            const char *t = c->dl.pool + off;
            size_t end = len, k = l->start, cut = k;
            double ell = pdf_text_width(c, F_SONG, CHART_PT, "\xE2\x80\xA6", 3);
            for (size_t q = k; q < end;) {
                tw_utf8_next(t, end, &q);
                if (pdf_text_width(c, F_SONG, CHART_PT, t + k, q - k) + ell > slot - 2) break;
                cut = q;
            }
            uint32_t nlen, noff = (uint32_t)c->dl.plen;
            pdf_pool_put(&c->dl, t + k, cut - k);
            pdf_pool_put_cp(&c->dl, 0x2026);
            nlen = (uint32_t)(c->dl.plen - noff);
            c->lines.n = 1;
            double save = L->y;
            L->y = p->y0 - 3;
            pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
            tw_line two = {0, nlen, pdf_text_width(c, F_SONG, CHART_PT, c->dl.pool + noff, nlen), 1};
            tw_lines ls = {&two, 1, 1};
            pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, noff, &ls);
            L->y = save;
            continue;
        }
        double save = L->y;
        L->y = p->y0 - 3;
        pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
        L->y = save;
    }
}

static void value_label(layout *L, const rchart *ch, double cx, double y, double v, double room)
{
    char buf[32];
    fmt_value(buf, sizeof buf, v, ch->percent);
    if (pdf_text_width(L->c, F_SONG, CHART_VALUE_PT, buf, strlen(buf)) > room) return;
    text_centered(L, F_SONG, CHART_VALUE_PT, cx, y + 2.5, buf);
}

static void chart_bars(layout *L, const rchart *ch, const plot *p)
{
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    double slot = (p->x1 - p->x0) / ch->ncats, bw = slot * 0.7 / ns;
    for (int i = 0; i < ch->ncats; i++)
        for (int s = 0; s < ns; s++) {
            double v = ch->series[s].values[i];
            double x = p->x0 + i * slot + slot * 0.15 + s * bw, y = plot_y(p, v);
            if (y > p->y0) {
                pdf_fill_add(L, x, p->y0, bw, y - p->y0, series_gray[s]);
                pdf_line_add(L, x, p->y0, x, y, 0.4, 0, 0);
                pdf_line_add(L, x, y, x + bw, y, 0.4, 0, 0);
                pdf_line_add(L, x + bw, y, x + bw, p->y0, 0.4, 0, 0);
            }
            /* with several series an empty bar says nothing: no "0" over it */
            if (v != 0 || ns == 1) value_label(L, ch, x + bw / 2, y, v, bw + slot * 0.15);
        }
}

static void chart_lines(layout *L, const rchart *ch, const plot *p)
{
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    double slot = (p->x1 - p->x0) / ch->ncats;
    for (int s = 0; s < ns; s++) {
        float g = series_gray[s] * 0.8f;
        for (int i = 0; i < ch->ncats; i++) {
            double x = p->x0 + (i + 0.5) * slot, y = plot_y(p, ch->series[s].values[i]);
            if (i) {
                double px = x - slot, py = plot_y(p, ch->series[s].values[i - 1]);
                pdf_line_add(L, px, py, x, y, 1.5, g, s);
            }
            pdf_fill_add(L, x - 2, y - 2, 4, 4, g);
            if (ns <= 2) value_label(L, ch, x, y + 1, ch->series[s].values[i], slot);
        }
    }
}

/* A chart: CHART_H tall, or down to CHART_MIN_H to use the end of a page
   (a chart is never split, and moving it would leave the space blank) —
   with room left for its trailer (pdf_trailer_height: a signature block), which
   must not go to a page of its own. */
static void pdf_chart_add(layout *L, const rchart *ch, double trailer)
{
    if (ch->ncats <= 0 || ch->nseries <= 0) return;
    trailer = fmax(0, trailer);
    pdf_page_ensure_keep(L, CHART_MIN_H + trailer);
    double h = fmax(CHART_MIN_H, fmin(CHART_H, avail(L) - trailer));
    double top = L->y - 4;
    if (ch->title && *ch->title) {
        text_centered(L, F_HEI, CAPTION_PT, (L->x0 + L->x1) / 2, top - CAPTION_PT, ch->title);
        top -= CAPTION_PT * 1.8;
    }
    top = chart_legend(L, ch, top);
    plot p = {0};
    axis_scale(ch, &p.ymax, &p.nticks);
    char buf[32];
    fmt_value(buf, sizeof buf, p.ymax, ch->percent);
    p.x0 = L->x0 + pdf_text_width(L->c, F_SONG, CHART_PT, buf, strlen(buf)) + 8;
    p.x1 = L->x1 - 4;
    p.y1 = top - CHART_PT * 2;
    p.y0 = L->y - h + CHART_PT * 3.5;
    chart_axes(L, ch, &p);
    if (ch->kind == CHART_BAR) chart_bars(L, ch, &p);
    else chart_lines(L, ch, &p);
    L->y -= h + BODY_PT * 0.5;
}

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
static void pdf_audit_mark_add(layout *L)
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

static void layout_section(layout *L, const rsection *s)
{
    for (size_t j = 0; j < s->nblocks; j++) {
        const rblock *b = &s->blocks[j];
        switch (b->kind) {
        case BLK_HEADING: pdf_heading_add(L, s, j); break;
        case BLK_PARAGRAPH: pdf_paragraph_add(L, s, j); break;
        case BLK_KV: if (b->kv) pdf_kv_add(L, b->kv); break;
        case BLK_TABLE: if (b->table) pdf_table_add(L, b->table, pdf_trailer_height(L, s, j)); break;
        case BLK_CHART: if (b->chart) pdf_chart_add(L, b->chart, pdf_trailer_height(L, s, j)); break;
        case BLK_SIGNATURE: if (b->sig) pdf_signature_add(L, s, b); break;
        case BLK_PAGEBREAK: pdf_page_break(L); break;
        }
    }
}

static void layout_doc(pdf_ctx *c, const rdoc *d)
{
    c->dl.n = 0;
    c->dl.plen = 0;
    c->ts.t = NULL;  /* its text was in the pool */
    for (int i = 0; i < c->nfaces; i++) fs_cpset_clear(&c->used[i]);
    layout L = {.c = c, .doc = d};
    pdf_frame_set(&L, d->nsections > 0 && d->sections[0].landscape);
    pdf_title_add(&L);
    for (size_t i = 0; i < d->nsections; i++) {
        const rsection *s = &d->sections[i];
        if (s->page_break || !!s->landscape != L.landscape) pdf_page_break(&L);
        pdf_frame_set(&L, !!s->landscape);
        layout_section(&L, s);
    }
    pdf_page_need(&L); /* an empty document is one page */
    pdf_audit_mark_add(&L);
}

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud)
{
    hpdf_error *e = ud;
    if (!e->code) {
        e->code = code;
        e->detail = detail;
        e->sys_errno = errno;
    }
}

/* The one place a libharu status becomes a message.  A failed write shows
   as HPDF_FILE_IO_ERROR, or as HPDF_ZLIB_ERROR (0x1066) with it as the
   detail when the deflate stream was writing. */
static void hpdf_failure(const hpdf_error *he, const char *stage, const char *path, char *err, size_t errlen)
{
    int io = he->code == HPDF_FILE_IO_ERROR || he->detail == HPDF_FILE_IO_ERROR;
    if (io && (he->sys_errno == ENOSPC || he->sys_errno == EDQUOT))
        snprintf(err, errlen, "磁盘空间不足：写入 %s 失败", path);
    else if (io)
        snprintf(err, errlen, "写入 %s 失败（系统错误 %d）", path, he->sys_errno);
    else
        snprintf(err, errlen, "PDF 库出错（0x%04X，详情 %u），%s：%s", (unsigned)he->code, (unsigned)he->detail,
                 stage, path);
}

static int emit_doc(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    hpdf_error he = {0, 0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &he);
    if (!pdf) {
        snprintf(err, errlen, "PDF 库无法建立文档");
        return -1;
    }
    emitter e = {.pdf = pdf, .c = c, .err = &he};
    const char *stage = "建立文档时";
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    int rc = -1;
    if (he.code) goto fail;
    if (pdf_fonts_load(c, &e, err, errlen) != 0) goto out;
    stage = "写入文档信息时";
    pdf_info_set(pdf, d);
    if (he.code) goto fail;
    stage = "绘制页面时";
    for (size_t i = 0; i < c->dl.n && !he.code; i++) pdf_op_emit(&e, &c->dl.v[i], c->dl.pool);
    pdf_page_flush(&e);
    if (he.code) goto fail;
    stage = "写出文件时";
    HPDF_SaveToFile(pdf, path);
    if (he.code) goto fail;
    rc = 0;
    goto out;
fail:
    hpdf_failure(&he, stage, path, err, errlen);
out:
    free(e.buf);
    free(e.cols);
    HPDF_Free(pdf);
    return rc;
}

int pdf_render(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    if (!c || !d || !path) {
        snprintf(err, errlen, "pdf_render：缺少参数");
        return -1;
    }
    c->cut_note = d->cut_note && *d->cut_note ? d->cut_note : DEFAULT_CUT_NOTE;
    layout_doc(c, d);
    return emit_doc(c, d, path, err, errlen);
}
