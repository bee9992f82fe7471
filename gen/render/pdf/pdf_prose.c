/*
 * pdf_prose.c — the blocks of running text: the title, headings (kept with
 * what follows them), paragraphs, key/value headers and signature lines.
 */
#include "render/pdf/pdf_internal.h"

#include <math.h>
#include <string.h>

void pdf_prose_add(layout *L, const pstyle *st, const char *text)
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

void pdf_title_add(layout *L)
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
const pstyle pdf_para_style = {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 1, 0};

static const pstyle *heading_style(const rblock *b)
{
    return &heading_styles[b->level < 0 ? 1 : b->level > 3 ? 3 : b->level];
}

/* Lines of a text in a style, measured only (the pool is left as it was). */
size_t pdf_prose_lines(layout *L, const pstyle *st, const char *text)
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

double pdf_heading_height(layout *L, const rblock *b)
{
    const pstyle *st = heading_style(b);
    return (double)pdf_prose_lines(L, st, b->text) * st->lh + st->size * 0.4;
}

/* A heading stays with what follows it (pdf_block_need): never the last thing
   on a page. */
void pdf_heading_add(layout *L, const rsection *s, size_t j)
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
void pdf_paragraph_add(layout *L, const rsection *s, size_t j)
{
    if (!(L->c->naive & NAIVE_KEEP)) pdf_page_ensure_keep(L, pdf_block_need(L, s, j, 0));
    pdf_prose_add(L, &pdf_para_style, s->blocks[j].text);
}

/* Key/value header: keys in Hei, values in Song, borderless.  Two items a
   row when the builder asks for pairs and every item fits half the block,
   else one. */
void pdf_kv_add(layout *L, const rkv *kv)
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
    int per_row = kv->pairs >= 2 && keyw + gap + valw <= block_w(L) / 2 - gap ? 2 : 1;
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
void pdf_signature_add(layout *L, const rsection *s, const rblock *b)
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
