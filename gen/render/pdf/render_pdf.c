/*
 * render_pdf.c — the PDF renderer (see render_pdf.h and doc/pdf.md).
 *
 * Two passes per document:
 *   1. layout: the rdoc is laid out into a display list (pages, text runs,
 *      rules, fills) measured with the faces' own advances; every character
 *      drawn is recorded in the set of its face;
 *   2. emit: each face is subset to exactly its set (harfbuzz), the subsets
 *      are loaded into a fresh libharu document and the display list is
 *      replayed onto its pages.
 * Laying out first is what makes the subsets exact (repeated table headers,
 * page numbers and substitutes included) without a second walk of the rdoc
 * that could disagree with the first.
 *
 * Coordinates are PDF points, origin at the bottom left of the page.
 */
#include "render/pdf/render_pdf.h"
#include "render/pdf/font_subset.h"
#include "render/pdf/pdf_mark.h"
#include "render/pdf/text_wrap.h"

#include <errno.h>
#include <hpdf.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* --- page frame and type sizes ------------------------------------------- */

#define MM (72.0 / 25.4)
#define A4_SHORT (210 * MM)
#define A4_LONG (297 * MM)

enum { F_SONG, F_HEI, F_KAI, NFACES };
static const char *const face_key[NFACES] = {"song", "hei", "kai"};

#define TITLE_PT 22.0
#define SUBTITLE_PT 16.0
#define H1_PT 16.0
#define H2_PT 16.0
#define BODY_PT 14.0
#define LEADING 1.75       /* body line pitch / size (GB/T: 28.9 pt for 16 pt) */
#define KV_PT 12.0
#define TBL_PT 10.5
#define TBL_LEADING 1.3
#define TBL_HPAD 3.0
#define TBL_VPAD 3.0
#define CAPTION_PT 12.0
#define RULE_W 0.5
#define PAGENO_PT 14.0
#define FOOTER_PT 9.0
#define CHART_H 210.0      /* whole chart block, title and legend included */
#define CHART_PT 9.0
#define HEADER_GRAY 0.85f
#define FINDING_GRAY 0.88f
#define BOLD_STROKE 0.03   /* fake-bold stroke width / size */
#define SUBSTITUTE 0x3013u /* 〓 */

/* --- display list -------------------------------------------------------- */

typedef enum { OP_PAGE, OP_TEXT, OP_FILL, OP_LINE, OP_QR } op_kind;

typedef struct {
    uint8_t kind, face, bold, dash;
    float x, y, w, h;   /* TEXT: origin; FILL, QR: rect; LINE: (x,y)-(w,h); PAGE: w,h size */
    float size;         /* TEXT: font size; LINE: line width */
    float gray;         /* fill gray (TEXT, FILL) or stroke gray (LINE) */
    float cs;           /* TEXT: extra space after each character (justification) */
    uint32_t str, len;  /* TEXT: bytes in the string pool; QR: the text encoded */
} op;

typedef struct {
    op *v;
    size_t n, cap;
    char *pool;         /* cleaned UTF-8 strings; ops point in by offset */
    size_t plen, pcap;
} dlist;

/* Per-cell scratch of a table row: the cleaned text and its lines. */
typedef struct {
    uint32_t off, len;
    int face;
    tw_lines lines;
} cellbuf;

struct pdf_ctx {
    fs_face *face[NFACES];
    tw_breaker *tw;
    fs_cpset used[NFACES];
    dlist dl;
    tw_lines lines;
    cellbuf *cells;
    int ncells;
};

static void *xgrow(void *p, size_t *cap, size_t need, size_t elem)
{
    if (need <= *cap) return p;
    size_t c = *cap ? *cap : 64;
    while (c < need) c *= 2;
    void *q = realloc(p, c * elem);
    if (!q) {
        fputs("zhibu: out of memory\n", stderr);
        abort();
    }
    *cap = c;
    return q;
}

static op *dl_add(dlist *d, op_kind kind)
{
    d->v = xgrow(d->v, &d->cap, d->n + 1, sizeof *d->v);
    op *o = &d->v[d->n++];
    memset(o, 0, sizeof *o);
    o->kind = (uint8_t)kind;
    return o;
}

/* --- context ------------------------------------------------------------- */

/* Fonts whose composite glyphs libharu 2.3.0 breaks (STACK-NOTES.md). */
static int refused_font(const char *family, const char *path)
{
    static const char *const bad[] = {"droid sans fallback", "wenquanyi micro hei",
                                      "droidsansfallback", "wqy-microhei"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strcasestr(family, bad[i]) || strcasestr(path, bad[i])) return 1;
    return 0;
}

static pdf_ctx *ctx_alloc(char *err, size_t errlen)
{
    pdf_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "out of memory");
        return NULL;
    }
    c->tw = tw_breaker_new(err, errlen);
    if (!c->tw) {
        free(c);
        return NULL;
    }
    return c;
}

pdf_ctx *pdf_ctx_new_files(const char *const paths[3], const int indexes[3],
                           char *err, size_t errlen)
{
    pdf_ctx *c = ctx_alloc(err, errlen);
    for (int i = 0; c && i < NFACES; i++) {
        char label[32];
        snprintf(label, sizeof label, "[fonts] %s", face_key[i]);
        c->face[i] = fs_face_open(paths[i], indexes[i], label, err, errlen);
        if (!c->face[i]) {
            pdf_ctx_free(c);
            c = NULL;
        }
    }
    return c;
}

/* Look up one family; 0, or -1 with a message naming the [fonts] key. */
static int find_face(int i, const char *family, char *path, size_t pathlen, int *index,
                     char *err, size_t errlen)
{
    char why[256];
    if (!family || !*family) {
        snprintf(err, errlen, "[fonts] %s: no font family given", face_key[i]);
        return -1;
    }
    if (fs_find_family(family, path, pathlen, index, why, sizeof why) != 0) {
        snprintf(err, errlen, "[fonts] %s: %s", face_key[i], why);
        return -1;
    }
    if (refused_font(family, path)) {
        snprintf(err, errlen, "[fonts] %s: \"%s\" (%s) loses parts of characters in the PDF "
                 "library; use a TrueType face such as AR PL UMing CN, AR PL UKai CN or "
                 "WenQuanYi Zen Hei", face_key[i], family, path);
        return -1;
    }
    return 0;
}

pdf_ctx *pdf_ctx_new(const pdf_font_names *names, char *err, size_t errlen)
{
    const char *fam[NFACES] = {names->song, names->hei, names->kai};
    char path[NFACES][1024];
    int index[NFACES], bad = 0;
    for (int i = 0; i < NFACES && !bad; i++)
        bad = find_face(i, fam[i], path[i], sizeof path[i], &index[i], err, errlen);
    fs_find_done();  /* the only lookups of the run */
    if (bad) return NULL;
    const char *const p[NFACES] = {path[0], path[1], path[2]};
    return pdf_ctx_new_files(p, index, err, errlen);
}

void pdf_ctx_free(pdf_ctx *c)
{
    if (!c) return;
    for (int i = 0; i < NFACES; i++) fs_face_free(c->face[i]);
    tw_breaker_free(c->tw);
    free(c->dl.v);
    free(c->dl.pool);
    tw_lines_free(&c->lines);
    for (int i = 0; i < c->ncells; i++) tw_lines_free(&c->cells[i].lines);
    free(c->cells);
    free(c);
}

/* --- text: cleaning and measuring ---------------------------------------- */

static void pool_put(dlist *d, const void *p, size_t n)
{
    d->pool = xgrow(d->pool, &d->pcap, d->plen + n + 1, 1);
    memcpy(d->pool + d->plen, p, n);
    d->plen += n;
}

static void pool_put_cp(dlist *d, uint32_t cp)
{
    char b[4];
    size_t n;
    if (cp < 0x80) { b[0] = (char)cp; n = 1; }
    else if (cp < 0x800) { b[0] = (char)(0xC0 | cp >> 6); b[1] = (char)(0x80 | (cp & 0x3F)); n = 2; }
    else { b[0] = (char)(0xE0 | cp >> 12); b[1] = (char)(0x80 | (cp >> 6 & 0x3F)); b[2] = (char)(0x80 | (cp & 0x3F)); n = 3; }
    pool_put(d, b, n);
}

/* What a face can draw of cp: itself, nothing (0: control characters), or
   the substitute.  Newlines stay for the line breaker. */
static uint32_t drawable(fs_face *f, uint32_t cp)
{
    if (cp == '\n') return cp;
    if (cp == '\t') return ' ';
    if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF) return 0;
    if (cp <= 0xFFFF && cp != 0xFFFD && fs_face_has(f, cp)) return cp;
    return fs_face_has(f, SUBSTITUTE) ? SUBSTITUTE : '?';
}

/* Copy s into the pool as text the face can draw; returns its offset. */
static uint32_t clean(pdf_ctx *c, int face, const char *s, uint32_t *len)
{
    dlist *d = &c->dl;
    size_t start = d->plen, n = s ? strlen(s) : 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = drawable(c->face[face], tw_utf8_next(s, n, &i));
        if (cp) pool_put_cp(d, cp);
    }
    *len = (uint32_t)(d->plen - start);
    return (uint32_t)start;
}

typedef struct {
    pdf_ctx *c;
    int face;
    double size;
} meter;

static double measure(void *ud, const char *s, size_t n)
{
    const meter *m = ud;
    long units = 0;
    for (size_t i = 0; i < n;) units += fs_face_advance(m->c->face[m->face], tw_utf8_next(s, n, &i));
    return (double)units * m->size / 1000.0;
}

static double text_width(pdf_ctx *c, int face, double size, const char *s, size_t n)
{
    meter m = {c, face, size};
    return measure(&m, s, n);
}

/* Wrap pool text into `lines` (cleared first). */
static void wrap(pdf_ctx *c, int face, double size, uint32_t off, uint32_t len,
                 double first_w, double w, tw_lines *lines)
{
    meter m = {c, face, size};
    lines->n = 0;
    if (tw_wrap(c->tw, c->dl.pool + off, len, first_w, w, measure, &m, lines) != 0 || lines->n == 0) {
        /* ICU failed (it does not on valid UTF-8): one unwrapped line */
        lines->n = 0;
        tw_line l = {0, len, text_width(c, face, size, c->dl.pool + off, len), 1};
        lines->v = xgrow(lines->v, &lines->cap, 1, sizeof *lines->v);
        lines->v[lines->n++] = l;
    }
}

/* --- layout state -------------------------------------------------------- */

typedef struct {
    pdf_ctx *c;
    const rdoc *doc;
    int landscape;      /* orientation of the next page */
    int page_open;      /* a page is started */
    int page_used;      /* it holds content besides page number and footer */
    int page_no;
    double pw, ph;      /* page size */
    double x0, x1;      /* text block, left and right */
    double top, bottom; /* text block, top and bottom */
    double y;           /* top of the space left on the page */
} layout;

static void add_text(layout *L, int face, double size, double x, double baseline,
                     uint32_t off, uint32_t len, int bold, float gray, double cs)
{
    if (len == 0) return;
    pdf_ctx *c = L->c;
    const char *s = c->dl.pool + off;
    for (size_t i = 0; i < len;) fs_cpset_add(&c->used[face], tw_utf8_next(s, len, &i));
    op *o = dl_add(&c->dl, OP_TEXT);
    o->face = (uint8_t)face;
    o->bold = (uint8_t)bold;
    o->x = (float)x;
    o->y = (float)baseline;
    o->size = (float)size;
    o->gray = gray;
    o->cs = (float)cs;
    o->str = off;
    o->len = len;
}

static void add_fill(layout *L, double x, double y, double w, double h, float gray)
{
    op *o = dl_add(&L->c->dl, OP_FILL);
    o->x = (float)x, o->y = (float)y, o->w = (float)w, o->h = (float)h;
    o->gray = gray;
}

static void add_line(layout *L, double x1, double y1, double x2, double y2,
                     double width, float gray, int dash)
{
    op *o = dl_add(&L->c->dl, OP_LINE);
    o->x = (float)x1, o->y = (float)y1, o->w = (float)x2, o->h = (float)y2;
    o->size = (float)width;
    o->gray = gray;
    o->dash = (uint8_t)dash;
}

/* Baseline of a line of `size` type centred in a line box of height lh whose
   top is at `top`.  CJK faces put about 0.88 em above the baseline. */
static double baseline_in(double top, double lh, double size)
{
    return top - (lh - size) / 2 - 0.88 * size;
}

/* Page number "— N —" 7 mm below the text block, one character in from the
   outer edge: right on odd pages, left on even ones (GB/T 9704 7.5). */
static void page_furniture(layout *L)
{
    pdf_ctx *c = L->c;
    char num[48];
    snprintf(num, sizeof num, "\xE2\x80\x94 %d \xE2\x80\x94", L->page_no);
    uint32_t len, off = clean(c, F_SONG, num, &len);
    double w = text_width(c, F_SONG, PAGENO_PT, c->dl.pool + off, len);
    double base = L->bottom - 7 * MM - 0.88 * PAGENO_PT;
    double x = L->page_no % 2 ? L->x1 - PAGENO_PT - w : L->x0 + PAGENO_PT;
    add_text(L, F_SONG, PAGENO_PT, x, base, off, len, 0, 0, 0);
    if (!L->doc->footer || !*L->doc->footer) return;
    /* the footer sits centred between the page number positions, shrunk if long */
    off = clean(c, F_SONG, L->doc->footer, &len);
    double room = (L->x1 - L->x0) - 2 * (PAGENO_PT + w + PAGENO_PT);
    double size = FOOTER_PT, fw = text_width(c, F_SONG, size, c->dl.pool + off, len);
    if (fw > room && fw > 0) {
        size = fmax(5.0, size * room / fw);
        fw = text_width(c, F_SONG, size, c->dl.pool + off, len);
    }
    add_text(L, F_SONG, size, (L->x0 + L->x1 - fw) / 2, base, off, len, 0, 0, 0);
}

/* The page frame for the current orientation (set before anything is
   measured against the text block, even when no page is open yet). */
static void set_frame(layout *L, int landscape)
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
    op *o = dl_add(&L->c->dl, OP_PAGE);
    o->w = (float)L->pw;
    o->h = (float)L->ph;
    L->page_no++;
    L->page_open = 1;
    L->page_used = 0;
    page_furniture(L);
}

/* Make sure a page is open before drawing; mark it used. */
static void need_page(layout *L)
{
    if (!L->page_open) open_page(L);
    L->page_used = 1;
}

/* End the page if it holds anything: the next content starts a new one. */
static void break_page(layout *L)
{
    if (L->page_open && L->page_used) L->page_open = 0;
}

/* Room for h points of content, from a fresh page when the current one has
   less (a block taller than a page starts on a fresh page and overflows). */
static void ensure(layout *L, double h)
{
    need_page(L);
    if (L->y - h < L->bottom - 0.01 && L->y < L->top) {
        break_page(L);
        need_page(L);
    }
}

static double avail(const layout *L) { return L->y - L->bottom; }
static double block_w(const layout *L) { return L->x1 - L->x0; }

/* --- prose: title, headings, paragraphs, kv, signature ------------------- */

typedef struct {
    int face;
    double size, lh;
    double indent;   /* first line */
    int bold;
    int align;       /* ralign */
    int justify;     /* spread full lines to the block width */
} pstyle;

/* Draw wrapped lines of pool text within [x, x + w), page-breaking between
   lines.  `lines` must be ctx->lines or owned by the caller. */
static void draw_lines(layout *L, const pstyle *st, double x, double w, uint32_t off,
                       const tw_lines *lines)
{
    for (size_t i = 0; i < lines->n; i++) {
        const tw_line *l = &lines->v[i];
        ensure(L, st->lh);
        double lx = x + (i == 0 ? st->indent : 0), lw = w - (i == 0 ? st->indent : 0);
        double cs = 0;
        size_t nch = 0;
        for (size_t k = 0; k < l->len;) tw_utf8_next(L->c->dl.pool + off + l->start, l->len, &k), nch++;
        if (st->justify && !l->hard && nch > 1 && lw - l->width < 0.3 * st->size * (double)(nch - 1))
            cs = (lw - l->width) / (double)(nch - 1);
        if (st->align == ALIGN_CENTER) lx += (lw - l->width) / 2;
        else if (st->align == ALIGN_RIGHT) lx += lw - l->width;
        add_text(L, st->face, st->size, lx, baseline_in(L->y, st->lh, st->size),
                 off + (uint32_t)l->start, (uint32_t)l->len, st->bold, 0, cs);
        L->y -= st->lh;
    }
}

static void prose(layout *L, const pstyle *st, const char *text)
{
    pdf_ctx *c = L->c;
    uint32_t len, off = clean(c, st->face, text, &len);
    wrap(c, st->face, st->size, off, len, block_w(L) - st->indent, block_w(L), &c->lines);
    draw_lines(L, st, L->x0, block_w(L), off, &c->lines);
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
        double a = text_width(L->c, F_SONG, size, t, i);
        double b = text_width(L->c, F_SONG, size, t + i + 1, len - i - 1);
        if (a <= block_w(L) && b <= block_w(L) && (best < 0 || fmax(a, b) < best)) {
            best = fmax(a, b);
            at = i;
        }
    }
    if (best < 0) return 0;
    out->v = xgrow(out->v, &out->cap, 2, sizeof *out->v);
    out->v[0] = (tw_line){0, at, text_width(L->c, F_SONG, size, t, at), 1};
    out->v[1] = (tw_line){at + 1, len - at - 1, text_width(L->c, F_SONG, size, t + at + 1, len - at - 1), 1};
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
        wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), out);
        if (out->n == 1 || title_split_at_space(L, s, off, len, out)) return s;
    }
    for (double s = TITLE_PT; s >= 18.0; s -= 2.0) {
        wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), out);
        if (out->n <= 2) return s;
    }
    wrap(c, F_SONG, TITLE_PT, off, len, block_w(L), block_w(L), out);
    return TITLE_PT;
}

static void title_block(layout *L)
{
    pdf_ctx *c = L->c;
    const rdoc *d = L->doc;
    if (d->title && *d->title) {
        uint32_t len, off = clean(c, F_SONG, d->title, &len);
        double size = title_lines(L, off, len, &c->lines);
        pstyle st = {F_SONG, size, size * 1.5, 0, 1, ALIGN_CENTER, 0};
        need_page(L);
        draw_lines(L, &st, L->x0, block_w(L), off, &c->lines);
    }
    if (d->subtitle && *d->subtitle) {
        pstyle st = {F_KAI, SUBTITLE_PT, SUBTITLE_PT * 1.6, 0, 0, ALIGN_CENTER, 0};
        prose(L, &st, d->subtitle);
    }
    if (L->page_open) L->y -= BODY_PT; /* a blank half line before the body */
}

static void heading(layout *L, const rblock *b, const rblock *next)
{
    static const pstyle styles[] = {
        {F_HEI, H1_PT, H1_PT * LEADING, 2 * H1_PT, 0, ALIGN_LEFT, 0},
        {F_KAI, H2_PT, H2_PT * LEADING, 2 * H2_PT, 0, ALIGN_LEFT, 0},
        {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 0},
    };
    int lv = b->level < 1 ? 1 : b->level > 3 ? 3 : b->level;
    const pstyle *st = &styles[lv - 1];
    /* keep with what follows: the heading and two body lines on one page,
       or the whole chart when a chart follows */
    ensure(L, st->lh + (next && next->kind == BLK_CHART ? CHART_H : 2 * BODY_PT * LEADING));
    if (L->y < L->top) L->y -= st->size * 0.4;
    prose(L, st, b->text);
}

static void paragraph(layout *L, const rblock *b)
{
    static const pstyle st = {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 1};
    prose(L, &st, b->text);
}

/* Key/value header: keys in Hei, values in Song, borderless.  Two items a
   row when every item fits half the block, else one. */
static void kv_block(layout *L, const rkv *kv)
{
    pdf_ctx *c = L->c;
    double keyw = 0, valw = 0, gap = KV_PT;
    for (int i = 0; i < kv->nitems; i++) {
        size_t mark = c->dl.plen; /* measuring only: the copies are dropped again */
        uint32_t len, off = clean(c, F_HEI, kv->keys[i], &len);
        keyw = fmax(keyw, text_width(c, F_HEI, KV_PT, c->dl.pool + off, len));
        off = clean(c, F_SONG, kv->values[i], &len);
        valw = fmax(valw, text_width(c, F_SONG, KV_PT, c->dl.pool + off, len));
        c->dl.plen = mark;
    }
    keyw = fmin(keyw + KV_PT, block_w(L) * 0.35);  /* one character for the colon */
    int per_row = keyw + gap + valw <= block_w(L) / 2 - gap ? 2 : 1;
    double colw = block_w(L) / per_row;
    pstyle kst = {F_HEI, KV_PT, KV_PT * 1.7, 0, 0, ALIGN_LEFT, 0};
    pstyle vst = {F_SONG, KV_PT, KV_PT * 1.7, 0, 0, ALIGN_LEFT, 0};
    for (int i = 0; i < kv->nitems; i += per_row) {
        double row_top = L->y, row_bottom = L->y;
        int page = L->page_no;
        for (int j = 0; j < per_row && i + j < kv->nitems; j++) {
            double x = L->x0 + j * colw;
            L->y = row_top;
            const char *key = kv->keys[i + j];
            size_t kl = strlen(key);
            int has_colon = kl && (key[kl - 1] == ':' || (kl >= 3 && !strcmp(key + kl - 3, "\xEF\xBC\x9A")));
            uint32_t len, off = clean(c, F_HEI, key, &len);
            if (!has_colon) { pool_put_cp(&c->dl, 0xFF1A); len += 3; }
            ensure(L, kst.lh);
            if (L->page_no != page) { row_top = L->y; page = L->page_no; }
            wrap(c, F_HEI, KV_PT, off, len, keyw, keyw, &c->lines);
            draw_lines(L, &kst, x, keyw, off, &c->lines);
            double after_key = L->y;
            L->y = row_top;
            off = clean(c, F_SONG, kv->values[i + j], &len);
            wrap(c, F_SONG, KV_PT, off, len, colw - keyw - gap, colw - keyw - gap, &c->lines);
            draw_lines(L, &vst, x + keyw, colw - keyw - gap, off, &c->lines);
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
static void signature(layout *L, const rsection *s, const rblock *b)
{
    const rsignature *sig = b->sig;
    pstyle st = {F_SONG, BODY_PT, BODY_PT * LEADING, 0, 0, ALIGN_RIGHT, 0};
    double h = sig->nlines * st.lh + 2 * st.lh;
    ensure(L, h);
    L->y -= 2 * st.lh;
    if (is_last_block(L, s, b)) L->y = L->bottom + sig->nlines * st.lh;
    double w = block_w(L) - 2 * BODY_PT;
    for (int i = 0; i < sig->nlines; i++) {
        uint32_t len, off = clean(L->c, F_SONG, sig->lines[i], &len);
        tw_line one = {0, len, text_width(L->c, F_SONG, BODY_PT, L->c->dl.pool + off, len), 1};
        tw_lines ls = {&one, 1, 1};
        draw_lines(L, &st, L->x0, w, off, &ls);
    }
}

/* --- tables -------------------------------------------------------------- */

typedef struct {
    int face, bold, align;
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

static cellbuf *cell_scratch(pdf_ctx *c, int n)
{
    if (n > c->ncells) {
        cellbuf *v = realloc(c->cells, (size_t)n * sizeof *v);
        if (!v) abort();
        memset(v + c->ncells, 0, (size_t)(n - c->ncells) * sizeof *v);
        c->cells = v;
        c->ncells = n;
    }
    return c->cells;
}

/* A row to draw: n cells over the column edges x[0..n]. */
typedef struct {
    const rtable *t;
    const rcell *row;  /* NULL: the header row */
    int n;
    const double *x;
    const char *const *text;  /* when not NULL, overrides the cells' text */
} rowspec;

static const char *row_text(const rowspec *r, int i)
{
    if (r->text) return r->text[i];
    return r->row ? r->row[i].text : r->t->cols[i].title;
}

/* Clean and wrap every cell of the row; returns the row's line count. */
static size_t prepare_row(layout *L, const rowspec *r)
{
    pdf_ctx *c = L->c;
    cellbuf *cb = cell_scratch(c, r->n);
    size_t most = 1;
    for (int i = 0; i < r->n; i++) {
        cstyle st = cell_style(r->t, r->row, i);
        double w = r->x[i + 1] - r->x[i] - 2 * TBL_HPAD;
        cb[i].face = st.face;
        cb[i].off = clean(c, st.face, row_text(r, i), &cb[i].len);
        wrap(c, st.face, TBL_PT, cb[i].off, cb[i].len, w, w, &cb[i].lines);
        if (cb[i].lines.n > most) most = cb[i].lines.n;
    }
    return most;
}

static double row_height(size_t nlines) { return (double)nlines * TBL_PT * TBL_LEADING + 2 * TBL_VPAD; }

/* Draw lines [from, from + count) of the prepared row at the cursor, with
   fills, text and rules; cells are centred vertically. */
static void draw_row(layout *L, const rowspec *r, size_t from, size_t count, int top_rule)
{
    pdf_ctx *c = L->c;
    cellbuf *cb = c->cells;
    double lh = TBL_PT * TBL_LEADING, h = row_height(count), top = L->y, bot = top - h;
    for (int i = 0; i < r->n; i++) {
        cstyle st = cell_style(r->t, r->row, i);
        if (st.fill >= 0) add_fill(L, r->x[i], bot, r->x[i + 1] - r->x[i], h, st.fill);
        size_t have = cb[i].lines.n > from ? cb[i].lines.n - from : 0;
        size_t n = have < count ? have : count;
        double y = top - TBL_VPAD - (double)(count - n) * lh / 2;
        for (size_t k = 0; k < n; k++, y -= lh) {
            const tw_line *l = &cb[i].lines.v[from + k];
            double x = r->x[i] + TBL_HPAD, w = r->x[i + 1] - r->x[i] - 2 * TBL_HPAD;
            if (st.align == ALIGN_CENTER) x += (w - l->width) / 2;
            else if (st.align == ALIGN_RIGHT) x += w - l->width;
            add_text(L, cb[i].face, TBL_PT, x, baseline_in(y, lh, TBL_PT),
                     cb[i].off + (uint32_t)l->start, (uint32_t)l->len, st.bold, 0, 0);
        }
    }
    if (top_rule) add_line(L, r->x[0], top, r->x[r->n], top, RULE_W, 0, 0);
    add_line(L, r->x[0], bot, r->x[r->n], bot, RULE_W, 0, 0);
    for (int i = 0; i <= r->n; i++) add_line(L, r->x[i], top, r->x[i], bot, RULE_W, 0, 0);
    L->y = bot;
}

/* Column edges from the width proportions, scaled to the text block. */
static double *column_edges(const layout *L, const rtable *t)
{
    double *x = malloc(sizeof *x * (size_t)(t->ncols + 1));
    if (!x) abort();
    double sum = 0;
    for (int i = 0; i < t->ncols; i++) sum += t->cols[i].width > 0 ? t->cols[i].width : 0;
    x[0] = L->x0;
    for (int i = 0; i < t->ncols; i++) {
        double p = sum > 0 ? (t->cols[i].width > 0 ? t->cols[i].width : 0) / sum : 1.0 / t->ncols;
        x[i + 1] = x[i] + p * block_w(L);
    }
    x[t->ncols] = L->x1;
    return x;
}

/* The header row at the top of the table and of every page it continues on. */
static void draw_header(layout *L, const rtable *t, const double *x)
{
    rowspec h = {t, NULL, t->ncols, x, NULL};
    size_t n = prepare_row(L, &h);
    draw_row(L, &h, 0, n, 1);
}

static double header_height(layout *L, const rtable *t, const double *x)
{
    rowspec h = {t, NULL, t->ncols, x, NULL};
    return row_height(prepare_row(L, &h));
}

static size_t lines_fitting(double h)
{
    double n = floor((h - 2 * TBL_VPAD) / (TBL_PT * TBL_LEADING) + 1e-6);
    return n > 0 ? (size_t)n : 0;
}

/* One body row: moved whole to the next page when it does not fit; split
   between lines only when it is taller than a page can hold. */
static void table_row(layout *L, const rowspec *r, const double *x)
{
    size_t page_lines = lines_fitting(L->top - L->bottom - header_height(L, r->t, x));
    size_t n = prepare_row(L, r), from = 0;  /* after header_height: shared scratch */
    int fresh = 0;
    while (from < n) {
        size_t fit = lines_fitting(avail(L)), left = n - from;
        if (fit < left && (left <= page_lines || fit == 0) && !(fresh && fit == 0)) {
            break_page(L);
            need_page(L);
            draw_header(L, r->t, x);
            prepare_row(L, r);
            fresh = 1;
            continue;
        }
        size_t count = left < fit ? left : fit ? fit : 1;
        draw_row(L, r, from, count, 0);
        from += count;
        fresh = 0;
    }
}

static void table_block(layout *L, const rtable *t)
{
    if (t->ncols <= 0) return;
    double *x = column_edges(L, t);
    double cap_lh = CAPTION_PT * 1.8, first = 0;
    if (t->nrows > 0) {
        rowspec r0 = {t, t->cells, t->ncols, x, NULL};
        first = row_height(prepare_row(L, &r0));
    } else {
        first = row_height(1);
    }
    /* caption, header and the first row stay together */
    ensure(L, (t->caption && *t->caption ? cap_lh : 0) + header_height(L, t, x) + first);
    if (t->caption && *t->caption) {
        pstyle st = {F_HEI, CAPTION_PT, cap_lh, 0, 0, ALIGN_CENTER, 0};
        prose(L, &st, t->caption);
    }
    draw_header(L, t, x);
    for (size_t i = 0; i < t->nrows; i++) {
        rowspec r = {t, &t->cells[i * (size_t)t->ncols], t->ncols, x, NULL};
        table_row(L, &r, x);
    }
    if (t->nrows == 0) {
        /* one cell across the table with the empty text ("无") */
        double span[2] = {x[0], x[t->ncols]};
        const char *txt[1] = {t->empty_text && *t->empty_text ? t->empty_text : "\xE6\x97\xA0"};
        rcell pseudo = {.type = CELL_TEXT, .text = txt[0]};
        rcolumn col = {.title = "", .width = 1, .align = ALIGN_CENTER};
        rtable one = {.ncols = 1, .cols = &col};
        rowspec r = {&one, &pseudo, 1, span, txt};
        table_row(L, &r, span);
    }
    free(x);
    L->y -= BODY_PT * 0.8;
}

/* --- charts -------------------------------------------------------------- */

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
    if (m <= 0) m = ch->percent ? 1.0 : 1.0;
    double raw = m / 5, p = pow(10, floor(log10(raw))), step = p;
    static const double mult[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < 5; i++)
        if (mult[i] * p >= raw) { step = mult[i] * p; break; }
    *nticks = (int)ceil(m / step - 1e-9);
    if (*nticks < 1) *nticks = 1;
    *ymax = *nticks * step;
}

/* Text of `size` in face centred on cx at the given baseline. */
static void text_centered(layout *L, int face, double size, double cx, double base, const char *s)
{
    uint32_t len, off = clean(L->c, face, s, &len);
    double w = text_width(L->c, face, size, L->c->dl.pool + off, len);
    add_text(L, face, size, cx - w / 2, base, off, len, 0, 0, 0);
}

static double chart_legend(layout *L, const rchart *ch, double top)
{
    pdf_ctx *c = L->c;
    double total = 0, sw = CHART_PT, gap = CHART_PT;
    uint32_t off[3], len[3];
    double w[3];
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    for (int s = 0; s < ns; s++) {
        off[s] = clean(c, F_SONG, ch->series[s].name ? ch->series[s].name : "", &len[s]);
        w[s] = text_width(c, F_SONG, CHART_PT, c->dl.pool + off[s], len[s]);
        total += sw + 3 + w[s] + (s ? 2 * gap : 0);
    }
    double x = (L->x0 + L->x1 - total) / 2, base = top - CHART_PT * 1.1;
    for (int s = 0; s < ns; s++) {
        if (ch->kind == CHART_BAR) add_fill(L, x, base - 1, sw, sw * 0.8, series_gray[s]);
        else add_line(L, x, base + sw * 0.3, x + sw, base + sw * 0.3, 1.5, series_gray[s] * 0.8f, s);
        add_text(L, F_SONG, CHART_PT, x + sw + 3, base, off[s], len[s], 0, 0, 0);
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
        if (k) add_line(L, p->x0, y, p->x1, y, 0.3, 0.75f, 0);
        fmt_value(buf, sizeof buf, v, ch->percent);
        uint32_t len, off = clean(L->c, F_SONG, buf, &len);
        double w = text_width(L->c, F_SONG, CHART_PT, L->c->dl.pool + off, len);
        add_text(L, F_SONG, CHART_PT, p->x0 - 4 - w, y - CHART_PT * 0.35, off, len, 0, 0, 0);
    }
    add_line(L, p->x0, p->y0, p->x1, p->y0, 0.8, 0, 0);
    add_line(L, p->x0, p->y0, p->x0, p->y1, 0.8, 0, 0);
    if (ch->y_title && *ch->y_title) {
        uint32_t len, off = clean(L->c, F_SONG, ch->y_title, &len);
        add_text(L, F_SONG, CHART_PT, L->x0, p->y1 + CHART_PT * 0.8, off, len, 0, 0, 0);
    }
    /* category labels: wrapped into the slot, two lines at most */
    double slot = (p->x1 - p->x0) / ch->ncats;
    pstyle st = {F_SONG, CHART_PT, CHART_PT * 1.25, 0, 0, ALIGN_CENTER, 0};
    for (int i = 0; i < ch->ncats; i++) {
        uint32_t len, off = clean(L->c, F_SONG, ch->cats[i] ? ch->cats[i] : "", &len);
        wrap(L->c, F_SONG, CHART_PT, off, len, slot - 2, slot - 2, &L->c->lines);
        if (L->c->lines.n > 2) L->c->lines.n = 2;
        double save = L->y;
        L->y = p->y0 - 3;
        draw_lines(L, &st, p->x0 + i * slot + 1, slot - 2, off, &L->c->lines);
        L->y = save;
    }
}

static void value_label(layout *L, const rchart *ch, double cx, double y, double v, double room)
{
    char buf[32];
    fmt_value(buf, sizeof buf, v, ch->percent);
    if (text_width(L->c, F_SONG, 7, buf, strlen(buf)) > room) return;
    text_centered(L, F_SONG, 7, cx, y + 2.5, buf);
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
                add_fill(L, x, p->y0, bw, y - p->y0, series_gray[s]);
                add_line(L, x, p->y0, x, y, 0.4, 0, 0);
                add_line(L, x, y, x + bw, y, 0.4, 0, 0);
                add_line(L, x + bw, y, x + bw, p->y0, 0.4, 0, 0);
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
                add_line(L, px, py, x, y, 1.5, g, s);
            }
            add_fill(L, x - 2, y - 2, 4, 4, g);
            if (ns <= 2) value_label(L, ch, x, y + 1, ch->series[s].values[i], slot);
        }
    }
}

static void chart_block(layout *L, const rchart *ch)
{
    if (ch->ncats <= 0 || ch->nseries <= 0) return;
    ensure(L, CHART_H);
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
    p.x0 = L->x0 + text_width(L->c, F_SONG, CHART_PT, buf, strlen(buf)) + 8;
    p.x1 = L->x1 - 4;
    p.y1 = top - CHART_PT * 2;
    p.y0 = L->y - CHART_H + CHART_PT * 3.5;
    chart_axes(L, ch, &p);
    if (ch->kind == CHART_BAR) chart_bars(L, ch, &p);
    else chart_lines(L, ch, &p);
    L->y -= CHART_H + BODY_PT * 0.5;
}

/* --- the audit mark (doc/audit.md; pdf_mark.c draws the QR code) -------- */

/* 1 when nothing drawn on the current page reaches into the rectangle. */
static int page_region_free(layout *L, double x0, double y0, double x1, double y1)
{
    const dlist *d = &L->c->dl;
    size_t i = d->n;
    while (i > 0 && d->v[i - 1].kind != OP_PAGE) i--;
    for (; i < d->n; i++) {
        const op *o = &d->v[i];
        double a0, b0, a1, b1;
        if (o->kind == OP_TEXT) {
            a0 = o->x;
            a1 = o->x + text_width(L->c, o->face, o->size, d->pool + o->str, o->len);
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
static void audit_mark(layout *L)
{
    const char *fp = L->doc->audit.fingerprint;
    if (!fp || !*fp) return;
    char cap[96];
    pdf_mark_caption(fp, cap, sizeof cap);
    uint32_t len, off = clean(L->c, F_SONG, cap, &len);
    double cw = text_width(L->c, F_SONG, PDF_MARK_PT, L->c->dl.pool + off, len);
    double lh = BODY_PT * LEADING, side = PDF_MARK_QR_MM * MM, gap = 2 * MM;
    double foot = baseline_in(L->bottom + lh, lh, BODY_PT);
    double qx = L->x0, qy = L->bottom, cx = L->x0 + side + gap, base = foot;
    if (!page_region_free(L, qx - gap, qy, cx + cw + gap, qy + side + gap)) {
        /* the caption under the QR code */
        qy = foot + PDF_MARK_PT + gap / 2;
        cx = L->x0;
        if (!page_region_free(L, qx - gap, L->bottom, qx + fmax(side, cw) + gap, qy + side + gap)) {
            /* the page number's line ends 12 mm below the block */
            qy = L->bottom - 13 * MM - side;
            qx = L->page_no % 2 ? L->x0 : L->x1 - (side + gap + cw);
            cx = qx + side + gap;
            base = qy + 0.25 * PDF_MARK_PT;
        }
    }
    add_text(L, F_SONG, PDF_MARK_PT, cx, base, off, len, 0, 0, 0);
    op *o = dl_add(&L->c->dl, OP_QR);
    o->x = (float)qx, o->y = (float)qy, o->w = o->h = (float)side;
    o->str = (uint32_t)L->c->dl.plen;
    o->len = (uint32_t)strlen(fp);
    pool_put(&L->c->dl, fp, o->len); /* not text: its characters are not drawn from a face */
}

/* --- the layout pass ----------------------------------------------------- */

static void layout_section(layout *L, const rsection *s)
{
    for (size_t j = 0; j < s->nblocks; j++) {
        const rblock *b = &s->blocks[j];
        switch (b->kind) {
        case BLK_HEADING: heading(L, b, j + 1 < s->nblocks ? &s->blocks[j + 1] : NULL); break;
        case BLK_PARAGRAPH: paragraph(L, b); break;
        case BLK_KV: if (b->kv) kv_block(L, b->kv); break;
        case BLK_TABLE: if (b->table) table_block(L, b->table); break;
        case BLK_CHART: if (b->chart) chart_block(L, b->chart); break;
        case BLK_SIGNATURE: if (b->sig) signature(L, s, b); break;
        case BLK_PAGEBREAK: break_page(L); break;
        }
    }
}

static void layout_doc(pdf_ctx *c, const rdoc *d)
{
    c->dl.n = 0;
    c->dl.plen = 0;
    for (int i = 0; i < NFACES; i++) fs_cpset_clear(&c->used[i]);
    layout L = {.c = c, .doc = d};
    set_frame(&L, d->nsections > 0 && d->sections[0].landscape);
    title_block(&L);
    for (size_t i = 0; i < d->nsections; i++) {
        const rsection *s = &d->sections[i];
        if (s->page_break || !!s->landscape != L.landscape) break_page(&L);
        set_frame(&L, !!s->landscape);
        layout_section(&L, s);
    }
    need_page(&L); /* an empty document is one page */
    audit_mark(&L);
}

/* --- the emit pass (libharu) --------------------------------------------- */

typedef struct {
    HPDF_STATUS code, detail;
    int sys_errno;              /* errno when it happened: ENOSPC for a full disk */
} hpdf_error;

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

/* Graphics state of the page being written, to skip redundant operators. */
typedef struct {
    HPDF_Doc pdf;
    HPDF_Page page;
    HPDF_Font font[NFACES];
    hpdf_error *err;
    int face;
    float size, fill, stroke, lw, cs;
    int bold, dash;
} emitter;

static void reset_state(emitter *e)
{
    e->face = -1;
    e->size = e->fill = e->stroke = e->lw = e->cs = -1;
    e->bold = 0;
    e->dash = 0;
}

static void set_fill(emitter *e, float g)
{
    if (e->fill != g) HPDF_Page_SetGrayFill(e->page, g);
    e->fill = g;
}

static void set_stroke(emitter *e, float g, float w, int dash)
{
    static const HPDF_UINT16 dashes[3][2] = {{0, 0}, {4, 2}, {1, 2}};
    if (e->stroke != g) HPDF_Page_SetGrayStroke(e->page, g);
    if (e->lw != w) HPDF_Page_SetLineWidth(e->page, w);
    if (e->dash != dash)
        HPDF_Page_SetDash(e->page, dash ? dashes[dash] : NULL, dash ? 2 : 0, 0);
    e->stroke = g;
    e->lw = w;
    e->dash = dash;
}

static void emit_text(emitter *e, const op *o, const char *pool)
{
    /* TextOut wants a NUL-terminated string */
    char stack[512], *s = o->len < sizeof stack ? stack : malloc(o->len + 1);
    if (!s) abort();
    memcpy(s, pool + o->str, o->len);
    s[o->len] = 0;
    set_fill(e, o->gray);
    if (o->bold) set_stroke(e, o->gray, (float)(o->size * BOLD_STROKE), 0);
    HPDF_Page_BeginText(e->page);
    if (e->face != o->face || e->size != o->size)
        HPDF_Page_SetFontAndSize(e->page, e->font[o->face], o->size);
    if (e->bold != o->bold)
        HPDF_Page_SetTextRenderingMode(e->page, o->bold ? HPDF_FILL_THEN_STROKE : HPDF_FILL);
    if (e->cs != o->cs) HPDF_Page_SetCharSpace(e->page, o->cs);
    HPDF_Page_TextOut(e->page, o->x, o->y, s);
    HPDF_Page_EndText(e->page);
    e->face = o->face;
    e->size = o->size;
    e->bold = o->bold;
    e->cs = o->cs;
    if (s != stack) free(s);
}

static void emit_op(emitter *e, const op *o, const char *pool)
{
    switch ((op_kind)o->kind) {
    case OP_PAGE:
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
        set_fill(e, o->gray);
        HPDF_Page_Rectangle(e->page, o->x, o->y, o->w, o->h);
        HPDF_Page_Fill(e->page);
        break;
    case OP_LINE:
        set_stroke(e, o->gray, o->size, o->dash);
        HPDF_Page_MoveTo(e->page, o->x, o->y);
        HPDF_Page_LineTo(e->page, o->w, o->h);
        HPDF_Page_Stroke(e->page);
        break;
    case OP_QR: {
        char text[128];
        snprintf(text, sizeof text, "%.*s", (int)o->len, pool + o->str);
        set_fill(e, 0);
        if (pdf_mark_qr(e->page, text, o->x, o->y, o->w) && !e->err->code) e->err->code = HPDF_FAILD_TO_ALLOC_MEM;
        break;
    }
    }
}

static int parse_date(const char *s, HPDF_Date *d)
{
    int y, m, day;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 || m > 12 || day < 1 || day > 31)
        return -1;
    memset(d, 0, sizeof *d);
    d->year = y;
    d->month = m;
    d->day = day;
    d->ind = 'Z';
    return 0;
}

static void set_info(HPDF_Doc pdf, const rdoc *d)
{
    if (d->title) HPDF_SetInfoAttr(pdf, HPDF_INFO_TITLE, d->title);
    if (d->author) HPDF_SetInfoAttr(pdf, HPDF_INFO_AUTHOR, d->author);
    if (d->subject) HPDF_SetInfoAttr(pdf, HPDF_INFO_SUBJECT, d->subject);
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "zhibu");
    HPDF_Date date;
    /* from the report's period, never the clock: reruns are byte-identical */
    if (parse_date(d->date, &date) == 0) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    }
    pdf_mark_info(pdf, &d->audit);
}

/* Subset each face used and load it; fonts[i] stays NULL for unused faces. */
static int load_fonts(pdf_ctx *c, emitter *e, char *err, size_t errlen)
{
    for (int i = 0; i < NFACES; i++) {
        if (!c->used[i].count) continue;
        fs_tmpfont tf;
        if (fs_subset_write(c->face[i], &c->used[i], &tf, err, errlen) != 0) return -1;
        const char *name = HPDF_LoadTTFontFromFile(e->pdf, tf.path, HPDF_TRUE);
        if (name) e->font[i] = HPDF_GetFont(e->pdf, name, "UTF-8");
        fs_tmpfont_release(&tf);  /* libharu holds its own descriptor */
        if (!e->font[i] || e->err->code) {
            snprintf(err, errlen, "PDF library cannot load the %s font subset of %s "
                     "(error 0x%04X, detail %u)", face_key[i], fs_face_path(c->face[i]),
                     (unsigned)e->err->code, (unsigned)e->err->detail);
            return -1;
        }
    }
    return 0;
}

static int emit_doc(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    hpdf_error he = {0, 0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &he);
    if (!pdf) {
        snprintf(err, errlen, "PDF 库无法创建文档");
        return -1;
    }
    emitter e = {.pdf = pdf, .err = &he};
    const char *stage = "创建文档时";
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    HPDF_UseUTFEncodings(pdf);
    HPDF_SetCurrentEncoder(pdf, "UTF-8");
    int rc = -1;
    if (he.code) goto fail;
    if (load_fonts(c, &e, err, errlen) != 0) goto out;
    stage = "写入文档信息时";
    set_info(pdf, d);
    if (he.code) goto fail;
    stage = "绘制页面时";
    for (size_t i = 0; i < c->dl.n && !he.code; i++) emit_op(&e, &c->dl.v[i], c->dl.pool);
    if (he.code) goto fail;
    stage = "写出文件时";
    HPDF_SaveToFile(pdf, path);
    if (he.code) goto fail;
    rc = 0;
    goto out;
fail:
    hpdf_failure(&he, stage, path, err, errlen);
out:
    HPDF_Free(pdf);
    return rc;
}

int pdf_render(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    if (!c || !d || !path) {
        snprintf(err, errlen, "pdf_render: missing argument");
        return -1;
    }
    layout_doc(c, d);
    return emit_doc(c, d, path, err, errlen);
}
