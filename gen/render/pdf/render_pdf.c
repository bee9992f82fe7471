/*
 * render_pdf.c — the PDF renderer (see render_pdf.h and doc/pdf.md).
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
 * those codes to its glyphs (font_subset.c), and a ToUnicode map written
 * here (surrogate pairs above U+FFFF).  See doc/pdf.md.
 *
 * Coordinates are PDF points, origin at the bottom left of the page.
 */
#include "render/pdf/render_pdf.h"
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

/* --- page frame and type sizes ------------------------------------------- */

#define MM (72.0 / 25.4)
#define A4_SHORT (210 * MM)
#define A4_LONG (297 * MM)

/* styles: each has its own face first in its chain */
enum { F_SONG, F_HEI, F_KAI, NSTYLES };
static const char *const style_key[NSTYLES] = {"song", "hei", "kai"};
static const char *const style_name[NSTYLES] = {"宋体（标题、正文、表格）", "黑体（一级标题、表头）", "楷体（二级标题）"};
enum { MAX_FACES = 16 };

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
#define CHART_MIN_H 160.0  /* a chart shrinks to this to fill a page's end rather than leave it blank */
#define CHART_PT 9.0       /* axis and category labels */
#define CHART_VALUE_PT 8.0 /* value labels over the bars and points */
#define HEADER_GRAY 0.85f
#define FINDING_GRAY 0.88f
#define BOLD_STROKE 0.03   /* fake-bold stroke width / size */
#define SUBSTITUTE 0x3013u /* 〓 */
/* A text longer than this many characters (a 10 MB cell of an export) is
   cut, with the document's cut_note after it: layout stays linear and a
   page of text is what a printed report can use. */
#define TEXT_MAX_CHARS 2000
#define DEFAULT_CUT_NOTE "（内容过长，以下从略，全文见工作簿）"

/* Codes of the embedded fonts: glyph i of a font has code (1 + i / 255,
   1 + i % 255) — two bytes, never 0x00 (libharu takes NUL-terminated
   strings).  With Identity-H the code is the CID, and libharu writes a
   CIDToGIDMap of 2 bytes per CID up to the largest: at most GLYPHS_PER_FONT
   glyphs (plus one, see load_font) keep it within 4 KB.  A face drawing more
   characters in one document gets several fonts. */
#define GLYPHS_PER_FONT 1784

/* The deflate level of every stream (font programs, page content, maps).
   libharu used zlib's default, 6; measured on 101 annual packets, level 3
   takes 28 % less CPU for the whole render at 5 % more bytes (still 12 %
   fewer bytes per page than libharu's own output before). */
#define ZLEVEL 3
static uint16_t glyph_code(size_t i) { return (uint16_t)((1 + i / 255) << 8 | (1 + i % 255)); }

/* --- display list -------------------------------------------------------- */

typedef enum { OP_PAGE, OP_TEXT, OP_FILL, OP_LINE, OP_QR } op_kind;

/* LINE ops: style LINE_COLUMN_RULE marks a table's vertical rule, which
   the rules of the rows above and below continue (emit joins them). */
enum { LINE_COLUMN_RULE = 1 };

typedef struct {
    uint8_t kind, style, bold, dash;
    uint8_t rot;        /* TEXT: 1 = turned a quarter clockwise (reads downward; see page_furniture) */
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

/* A cell of the table being laid out: its cleaned text, its lines and how
   it is drawn. */
typedef struct {
    uint32_t off, len;      /* the text in the pool */
    uint32_t line0, nlines; /* its lines in tstore.lines */
    uint8_t style, bold, align;
    uint8_t one_line;       /* no newline: `nat` is its width on one line */
    float fill;             /* < 0: none */
    float nat;              /* its widest line unbroken (measured with the columns) */
} tcell;

/* The table being laid out, from measuring to drawing: its column edges and
   every row wrapped once (row 0 is the header row).  A heading's keep with
   what follows lays its table out early; the table then uses it as it is. */
typedef struct {
    const rtable *t;        /* the table held; NULL: none */
    double bw;              /* the text block width it was laid out for */
    int ncols;
    double *x;              /* ncols + 1 column edges */
    tcell *cells;           /* (nrows + 1) * ncols */
    tw_line *lines;
    size_t nlines;
    uint32_t *rl;           /* lines of each row */
    double *need;           /* per column: atom, body natural, header natural (3 each) */
    rcell *rowbuf;          /* ncols cells: a row of a row source */
    size_t capx, capcells, caplines, caprl, capneed, caprowbuf;
} tstore;

/* Layout rules that ZHIBU_PDF_NAIVE switches off, for the layout test's
   negative controls (tests/e2e/layout.sh): "widths" (columns by the model's
   proportions, words broken anywhere), "keep" (a heading kept with its own
   line only), "rows" (a table starts with one row and ends with any). */
enum { NAIVE_WIDTHS = 1, NAIVE_KEEP = 2, NAIVE_ROWS = 4 };

static int naive_rules(const char *v)
{
    if (!v) return 0;
    return (strstr(v, "widths") ? NAIVE_WIDTHS : 0) | (strstr(v, "keep") ? NAIVE_KEEP : 0) |
           (strstr(v, "rows") ? NAIVE_ROWS : 0);
}

/* A face of the document's fonts: its characters in code order, and the
   libharu font of each run of GLYPHS_PER_FONT of them. */
typedef struct {
    uint32_t *cps;
    size_t n, cap;
    HPDF_Font *font;
    size_t nfont, capfont;
} face_fonts;

/* A font program kept for the next documents: the Hei and Kai subsets of
   one kind of report hold the same characters in every branch's document
   (they draw the templates' wording), so each is built and deflated once. */
typedef struct {
    int face;
    char suffix[32];
    uint32_t *cps;            /* the characters, in code order */
    size_t n;
    unsigned char *raw, *z;   /* the program; deflated */
    size_t nraw, nz;
    unsigned long stamp;      /* last use, for eviction */
} zfont;

enum { ZFONT_CACHE = 8 };

struct pdf_ctx {
    fs_face *face[MAX_FACES];
    char *family[MAX_FACES];       /* as configured, for messages */
    int nfaces;
    uint8_t chain[NSTYLES][MAX_FACES];
    int nchain[NSTYLES];
    /* the face of ASCII letters, digits and punctuation of a style, in front
       of its chain ([fonts] latin: Song and Kai); -1: none */
    int latin[NSTYLES];
    /* each BMP character per style: 0 until asked, PICK_NONE when no face
       of the chain has it, else (face + 1) << 16 | advance (1/1000 em) */
    uint32_t pick[NSTYLES][65536];
    tw_breaker *tw;
    fs_cpset used[MAX_FACES];
    face_fonts ff[MAX_FACES];
    dlist dl;
    tw_lines lines;
    const char *cut_note;          /* of the document being rendered */
    zfont zcache[ZFONT_CACHE];
    unsigned long zclock;
    int libharu_embed;             /* ZHIBU_PDF_LIBHARU_EMBED=1: see attach_program */
    int naive;                     /* ZHIBU_PDF_NAIVE: layout rules switched off (NAIVE_*) */
    tstore ts;                     /* the table being laid out */
};

#define PICK_NONE 0xFFFFFFFFu

static void *xgrow(void *p, size_t *cap, size_t need, size_t elem)
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

/* The [fonts] key of face i, for messages (LATIN_KEY: the Latin face). */
#define LATIN_KEY (-1)
static const char *face_key(int i) { return i == LATIN_KEY ? "latin" : i < NSTYLES ? style_key[i] : "fallback"; }

/* The styles whose digits and letters come from the Latin face: Song (body,
   tables: Liberation Serif is metric-compatible with the Times New Roman
   that 仿宋 is paired with) and Kai; Hei keeps its own sans digits, which
   match its strokes (headings, header rows, captions). */
static const int style_latin[NSTYLES] = {[F_SONG] = 1, [F_HEI] = 0, [F_KAI] = 1};

/* A context over the faces opened from paths[] (0..2 the styles' faces,
   3.. the fallback chain) and the Latin face latin_path (NULL: none).  The
   same file opened twice is one face. */
static pdf_ctx *ctx_open(const char *const *paths, const int *indexes, const char *const *families,
                         int n, const char *latin_path, int latin_index, const char *latin_family,
                         char *err, size_t errlen)
{
    if (n < NSTYLES || n > MAX_FACES - 1) {
        snprintf(err, errlen, "PDF 字体：须有宋体、黑体、楷体三种字体，备用字体最多 %d 种", MAX_FACES - 1 - NSTYLES);
        return NULL;
    }
    pdf_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "内存不足");
        return NULL;
    }
    c->tw = tw_breaker_new(err, errlen);
    if (!c->tw) {
        free(c);
        return NULL;
    }
    const char *le = getenv("ZHIBU_PDF_LIBHARU_EMBED");
    c->libharu_embed = le && *le == '1';
    c->naive = naive_rules(getenv("ZHIBU_PDF_NAIVE"));
    uint8_t slot[MAX_FACES];
    for (int i = 0; i < n; i++) {
        int same = -1;
        for (int k = 0; k < i && same < 0; k++)
            if (!strcmp(paths[k], paths[i]) && indexes[k] == indexes[i]) same = slot[k];
        if (same >= 0) {
            slot[i] = (uint8_t)same;
            continue;
        }
        char label[160];
        snprintf(label, sizeof label, "[fonts] %s：字体“%s”", face_key(i), families ? families[i] : paths[i]);
        c->face[c->nfaces] = fs_face_open(paths[i], indexes[i], label, err, errlen);
        if (!c->face[c->nfaces]) {
            pdf_ctx_free(c);
            return NULL;
        }
        c->family[c->nfaces] = strdup(families ? families[i] : paths[i]);
        slot[i] = (uint8_t)c->nfaces++;
    }
    for (int s = 0; s < NSTYLES; s++) c->latin[s] = -1;
    if (latin_path) {
        char label[160];
        snprintf(label, sizeof label, "[fonts] latin：字体“%s”", latin_family ? latin_family : latin_path);
        c->face[c->nfaces] = fs_face_open(latin_path, latin_index, label, err, errlen);
        if (!c->face[c->nfaces]) {
            pdf_ctx_free(c);
            return NULL;
        }
        c->family[c->nfaces] = strdup(latin_family ? latin_family : latin_path);
        for (int s = 0; s < NSTYLES; s++)
            if (style_latin[s]) c->latin[s] = c->nfaces;
        c->nfaces++;
    }
    /* each style: its face, then the fallbacks in order (a face once) */
    for (int s = 0; s < NSTYLES; s++) {
        for (int i = s; i < n; i = i == s ? NSTYLES : i + 1) {
            int dup = 0;
            for (int k = 0; k < c->nchain[s]; k++) dup |= c->chain[s][k] == slot[i];
            if (!dup) c->chain[s][c->nchain[s]++] = slot[i];
        }
    }
    return c;
}

pdf_ctx *pdf_ctx_new_files(const char *const *paths, const int *indexes, int nfaces,
                           char *err, size_t errlen)
{
    return ctx_open(paths, indexes, NULL, nfaces, NULL, 0, NULL, err, errlen);
}

/* Look up one family; 0, or -1 with a message naming the [fonts] key. */
static int find_face(const char *key, const char *family, char *path, size_t pathlen, int *index,
                     char *err, size_t errlen)
{
    char why[512];
    if (!family || !*family) {
        snprintf(err, errlen, "[fonts] %s：没有给出字体名", key);
        return -1;
    }
    if (fs_find_family(family, path, pathlen, index, why, sizeof why) != 0) {
        snprintf(err, errlen, "[fonts] %s：%s", key, why);
        return -1;
    }
    if (refused_font(family, path)) {
        snprintf(err, errlen, "[fonts] %s：“%s”（%s）的复合字形在 PDF 库中会丢失笔画，不能使用；"
                 "请改用 AR PL UMing CN、AR PL UKai CN 或 WenQuanYi Zen Hei 等 TrueType 字体",
                 key, family, path);
        return -1;
    }
    return 0;
}

pdf_ctx *pdf_ctx_new(const pdf_font_names *names, char *err, size_t errlen)
{
    int n = NSTYLES + (names->nfallback > 0 ? names->nfallback : 0);
    if (n > MAX_FACES - 1) {
        snprintf(err, errlen, "[fonts] fallback：备用字体最多 %d 种", MAX_FACES - 1 - NSTYLES);
        return NULL;
    }
    const char *fam[MAX_FACES] = {names->song, names->hei, names->kai};
    for (int i = NSTYLES; i < n; i++) fam[i] = names->fallback[i - NSTYLES];
    char path[MAX_FACES][1024];
    const char *p[MAX_FACES];
    int index[MAX_FACES], bad = 0;
    for (int i = 0; i < n && !bad; i++) {
        bad = find_face(face_key(i), fam[i], path[i], sizeof path[i], &index[i], err, errlen);
        p[i] = path[i];
    }
    char lpath[1024];
    int lindex = 0, latin = names->latin && *names->latin;
    if (!bad && latin) bad = find_face("latin", names->latin, lpath, sizeof lpath, &lindex, err, errlen);
    fs_find_done();  /* the only lookups of the run */
    if (bad) return NULL;
    return ctx_open(p, index, fam, n, latin ? lpath : NULL, lindex, names->latin, err, errlen);
}

void pdf_ctx_free(pdf_ctx *c)
{
    if (!c) return;
    for (int i = 0; i < c->nfaces; i++) {
        fs_face_free(c->face[i]);
        free(c->family[i]);
        fs_cpset_free(&c->used[i]);
        free(c->ff[i].cps);
        free(c->ff[i].font);
    }
    tw_breaker_free(c->tw);
    free(c->dl.v);
    free(c->dl.pool);
    tw_lines_free(&c->lines);
    free(c->ts.x);
    free(c->ts.cells);
    free(c->ts.lines);
    free(c->ts.rl);
    free(c->ts.need);
    free(c->ts.rowbuf);
    for (int i = 0; i < ZFONT_CACHE; i++) {
        free(c->zcache[i].cps);
        free(c->zcache[i].raw);
        free(c->zcache[i].z);
    }
    free(c);
}

/* --- faces per character ----------------------------------------------------- */

/* The face that draws cp in a style — the first of the style's chain that
   has it, or -1 — and its advance there.  Every character measured or
   drawn comes here, so the BMP answers are kept. */
static uint32_t pick_slow(pdf_ctx *c, int style, uint32_t cp)
{
    int f = -1;
    /* the Latin face draws ASCII letters, digits and punctuation only (the
       space stays the Chinese face's: it separates Chinese words) */
    if (cp > 0x20 && cp < 0x7F && c->latin[style] >= 0 && fs_face_has(c->face[c->latin[style]], cp))
        f = c->latin[style];
    for (int i = 0; i < c->nchain[style] && f < 0; i++)
        if (fs_face_has(c->face[c->chain[style][i]], cp)) f = c->chain[style][i];
    uint32_t v = f < 0 ? PICK_NONE : (uint32_t)(f + 1) << 16 | (uint16_t)fs_face_advance(c->face[f], cp);
    if (cp <= 0xFFFF) c->pick[style][cp] = v;
    return v;
}

static inline uint32_t pick_entry(pdf_ctx *c, int style, uint32_t cp)
{
    uint32_t v = cp <= 0xFFFF ? c->pick[style][cp] : 0;
    return v ? v : pick_slow(c, style, cp);
}

static inline int pick(pdf_ctx *c, int style, uint32_t cp)
{
    uint32_t v = pick_entry(c, style, cp);
    return v == PICK_NONE ? -1 : (int)(v >> 16) - 1;
}

/* Advance in 1/1000 em of cp in the style's face for it; 0 when none. */
static inline int pick_advance(pdf_ctx *c, int style, uint32_t cp)
{
    uint32_t v = pick_entry(c, style, cp);
    return v == PICK_NONE ? 0 : (int)(int16_t)(v & 0xFFFF);
}

int pdf_ctx_covers(pdf_ctx *c, uint32_t cp)
{
    for (int s = 0; s < NSTYLES; s++)
        if (pick(c, s, cp) < 0) return 0;
    return 1;
}

/* Chinese characters and punctuation: what a face for Chinese text must have. */
static int is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF5E) || cp >= 0x20000;
}

/* UTF-8 of cp into out (4 bytes of room); returns its length. */
static size_t utf8_put(char *out, uint32_t cp)
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

int pdf_ctx_check_wording(pdf_ctx *c, const char *text, char *err, size_t errlen)
{
    static const char *const example[NSTYLES] = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN"};
    size_t n = text ? strlen(text) : 0;
    int rc = 0;
    fs_cpset seen = {0};
    for (int s = 0; s < NSTYLES && rc == 0; s++) {
        fs_face *f = c->face[c->chain[s][0]];
        uint32_t first = 0;
        size_t missing = 0;
        fs_cpset_clear(&seen);
        for (size_t i = 0; i < n;) {
            uint32_t cp = tw_utf8_next(text, n, &i);
            if (!is_cjk(cp) || fs_cpset_has(&seen, cp)) continue;
            fs_cpset_add(&seen, cp);
            if (!fs_face_has(f, cp) && !missing++) first = cp;
        }
        if (missing) {
            char ch[8] = {0}, more[48] = "";
            utf8_put(ch, first);
            if (missing > 1) snprintf(more, sizeof more, "等 %zu 个字", missing);
            snprintf(err, errlen, "[fonts] %s：字体“%s”没有报告用字“%s”（U+%04X）%s，不能用作%s；"
                     "请改用含中文的 TrueType 字体，如 %s",
                     style_key[s], c->family[c->chain[s][0]], ch, (unsigned)first, more, style_name[s],
                     example[s]);
            rc = -1;
        }
    }
    fs_cpset_free(&seen);
    return rc;
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
    pool_put(d, b, utf8_put(b, cp));
}

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
static uint32_t clean(pdf_ctx *c, int style, const char *s, uint32_t *len)
{
    dlist *d = &c->dl;
    size_t start = d->plen, n = s ? strlen(s) : 0, chars = 0, i = 0;
    while (i < n && chars < TEXT_MAX_CHARS) {
        uint32_t cp = drawable(c, style, tw_utf8_next(s, n, &i));
        if (cp) pool_put_cp(d, cp), chars++;
    }
    while (i < n && !drawable(c, style, tw_utf8_next(s, n, &i))) {}
    if (i < n) {  /* more to draw: cut */
        const char *note = c->cut_note;
        for (size_t k = 0, m = strlen(note); k < m;) {
            uint32_t cp = drawable(c, style, tw_utf8_next(note, m, &k));
            if (cp) pool_put_cp(d, cp);
        }
    }
    *len = (uint32_t)(d->plen - start);
    return (uint32_t)start;
}

typedef struct {
    pdf_ctx *c;
    int style;
    double size;
} meter;

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
static int punct_kern(uint32_t a, int aw, uint32_t b, int bw)
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
        if (pside && side) units -= punct_kern(prev, pw, cp, w);
        units += w;
        prev = cp;
        pw = w;
        pside = side;
    }
    return units;
}

static double measure(void *ud, const char *s, size_t n)
{
    const meter *m = ud;
    return (double)text_units(m->c, m->style, s, n) * m->size / 1000.0;
}

static double text_width(pdf_ctx *c, int style, double size, const char *s, size_t n)
{
    return (double)text_units(c, style, s, n) * size / 1000.0;
}

/* Wrap pool text into `lines` (cleared first); flags: TW_KEEP_WORDS for
   table cells, kv values and chart labels (text_wrap.h). */
static void wrap(pdf_ctx *c, int style, double size, uint32_t off, uint32_t len,
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
        double tw = text_width(c, style, size, t, te);
        if (tw <= first_w) {
            lines->v = xgrow(lines->v, &lines->cap, 1, sizeof *lines->v);
            lines->v[lines->n++] = (tw_line){0, te, tw, 1};
            return;
        }
    }
    if (c->naive & NAIVE_WIDTHS) flags = 0;
    if (tw_wrap_ex(c->tw, c->dl.pool + off, len, first_w, w, flags, measure, &m, lines) != 0 || lines->n == 0) {
        /* ICU failed (it does not on valid UTF-8): one unwrapped line */
        lines->n = 0;
        tw_line l = {0, len, text_width(c, style, size, c->dl.pool + off, len), 1};
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
    /* text_lines' last answers: the keep rules ask for the same paragraphs
       more than once */
    struct { const char *text; const void *st; double w; size_t n; } tl[4];
    unsigned ntl;
} layout;

/* A line of pool text in a style; its characters join their faces' sets.
   Returns the op (NULL for an empty line). */
static op *add_text(layout *L, int style, double size, double x, double baseline,
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
    op *o = dl_add(&c->dl, OP_TEXT);
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
    uint32_t len, off = clean(c, F_SONG, num, &len);
    double w = text_width(c, F_SONG, PAGENO_PT, c->dl.pool + off, len);
    /* on the bound sheet: the baseline below the block, the line's ends */
    double lo = L->landscape ? L->bottom : L->x0, hi = L->landscape ? L->top : L->x1;
    double base = (L->landscape ? L->x0 : L->bottom) - 7 * MM - 0.88 * PAGENO_PT;
    double at = L->page_no % 2 ? hi - PAGENO_PT - w : lo + PAGENO_PT;  /* where it starts, portrait */
    op *o;
    if (!L->landscape) {
        add_text(L, F_SONG, PAGENO_PT, at, base, off, len, 0, 0, 0);
    } else if ((o = add_text(L, F_SONG, PAGENO_PT, base, lo + hi - at, off, len, 0, 0, 0))) {
        o->rot = 1;  /* reads downward from the mirrored start */
    }
    if (!L->doc->footer || !*L->doc->footer) return;
    /* the footer sits centred between the page number positions, shrunk if long */
    off = clean(c, F_SONG, L->doc->footer, &len);
    double room = (hi - lo) - 2 * (PAGENO_PT + w + PAGENO_PT);
    double size = FOOTER_PT, fw = text_width(c, F_SONG, size, c->dl.pool + off, len);
    if (fw > room && fw > 0) {
        size = fmax(5.0, size * room / fw);
        fw = text_width(c, F_SONG, size, c->dl.pool + off, len);
    }
    if (!L->landscape) add_text(L, F_SONG, size, (lo + hi - fw) / 2, base, off, len, 0, 0, 0);
    else if ((o = add_text(L, F_SONG, size, base, (lo + hi + fw) / 2, off, len, 0, 0, 0))) o->rot = 1;
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
static double page_h(const layout *L) { return L->top - L->bottom; }

/* Room for a block and what must stay with it (keep-with-next): h capped
   at a page, so that a chain taller than a page starts a page and no more. */
static void ensure_keep(layout *L, double h) { ensure(L, fmin(h, page_h(L))); }

static double block_need(layout *L, const rsection *s, size_t j, int depth);
static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j);
static double trailer_h(layout *L, const rsection *s, size_t j);

/* --- prose: title, headings, paragraphs, kv, signature ------------------- */

typedef struct {
    int style;
    double size, lh;
    double indent;   /* first line */
    int bold;
    int align;       /* ralign */
    int justify;     /* spread full lines to the block width */
    int flags;       /* wrap flags (TW_KEEP_WORDS) */
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
        add_text(L, st->style, st->size, lx, baseline_in(L->y, st->lh, st->size),
                 off + (uint32_t)l->start, (uint32_t)l->len, st->bold, 0, cs);
        L->y -= st->lh;
    }
}

static void prose(layout *L, const pstyle *st, const char *text)
{
    pdf_ctx *c = L->c;
    uint32_t len, off = clean(c, st->style, text, &len);
    wrap(c, st->style, st->size, off, len, block_w(L) - st->indent, block_w(L), st->flags, &c->lines);
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
        wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), 0, out);
        if (out->n == 1 || title_split_at_space(L, s, off, len, out)) return s;
    }
    for (double s = TITLE_PT; s >= 18.0; s -= 2.0) {
        wrap(c, F_SONG, s, off, len, block_w(L), block_w(L), 0, out);
        if (out->n <= 2) return s;
    }
    wrap(c, F_SONG, TITLE_PT, off, len, block_w(L), block_w(L), 0, out);
    return TITLE_PT;
}

static void title_block(layout *L)
{
    pdf_ctx *c = L->c;
    const rdoc *d = L->doc;
    if (d->title && *d->title) {
        uint32_t len, off = clean(c, F_SONG, d->title, &len);
        double size = title_lines(L, off, len, &c->lines);
        pstyle st = {F_SONG, size, size * 1.5, 0, 1, ALIGN_CENTER, 0, 0};
        need_page(L);
        draw_lines(L, &st, L->x0, block_w(L), off, &c->lines);
    }
    if (d->subtitle && *d->subtitle) {
        pstyle st = {F_KAI, SUBTITLE_PT, SUBTITLE_PT * 1.6, 0, 0, ALIGN_CENTER, 0, 0};
        prose(L, &st, d->subtitle);
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
static const pstyle para_style = {F_SONG, BODY_PT, BODY_PT * LEADING, 2 * BODY_PT, 0, ALIGN_LEFT, 1, 0};

static const pstyle *heading_style(const rblock *b)
{
    return &heading_styles[b->level < 0 ? 1 : b->level > 3 ? 3 : b->level];
}

/* Lines of a text in a style, measured only (the pool is left as it was). */
static size_t text_lines(layout *L, const pstyle *st, const char *text)
{
    for (unsigned k = 0; k < 4; k++)
        if (L->tl[k].text == text && L->tl[k].st == st && L->tl[k].w == block_w(L)) return L->tl[k].n;
    pdf_ctx *c = L->c;
    size_t mark = c->dl.plen;
    uint32_t len, off = clean(c, st->style, text, &len);
    wrap(c, st->style, st->size, off, len, block_w(L) - st->indent, block_w(L), st->flags, &c->lines);
    c->dl.plen = mark;
    unsigned k = L->ntl++ % 4;
    L->tl[k].text = text, L->tl[k].st = st, L->tl[k].w = block_w(L), L->tl[k].n = c->lines.n;
    return c->lines.n;
}

static double heading_h(layout *L, const rblock *b)
{
    const pstyle *st = heading_style(b);
    return (double)text_lines(L, st, b->text) * st->lh + st->size * 0.4;
}

/* A heading stays with what follows it (block_need): never the last thing
   on a page. */
static void heading(layout *L, const rsection *s, size_t j)
{
    const rblock *b = &s->blocks[j];
    const pstyle *st = heading_style(b);
    if (L->c->naive & NAIVE_KEEP) ensure(L, st->lh);
    else ensure_keep(L, heading_h(L, b) + block_need(L, s, j + 1, 0));
    if (L->y < L->top) L->y -= st->size * 0.4;
    prose(L, st, b->text);
}

/* A paragraph keeps two lines on its first page; an introduction of at most
   three lines stays whole with the table, chart or list it introduces. */
static void paragraph(layout *L, const rsection *s, size_t j)
{
    if (!(L->c->naive & NAIVE_KEEP)) ensure_keep(L, block_need(L, s, j, 0));
    prose(L, &para_style, s->blocks[j].text);
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
            uint32_t len, off = clean(c, F_HEI, key, &len);
            if (!has_colon) { pool_put_cp(&c->dl, 0xFF1A); len += 3; }
            ensure(L, kst.lh);
            if (L->page_no != page) { row_top = L->y; page = L->page_no; }
            wrap(c, F_HEI, KV_PT, off, len, keyw, keyw, TW_KEEP_WORDS, &c->lines);
            draw_lines(L, &kst, x, keyw, off, &c->lines);
            double after_key = L->y;
            L->y = row_top;
            off = clean(c, F_SONG, kv->values[i + j], &len);
            wrap(c, F_SONG, KV_PT, off, len, colw - keyw - gap, colw - keyw - gap, TW_KEEP_WORDS, &c->lines);
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
    pstyle st = {F_SONG, BODY_PT, BODY_PT * LEADING, 0, 0, ALIGN_RIGHT, 0, 0};
    /* two blank lines above it, or down to half a line rather than a page
       of its own (GB/T 9704 7.3.5: the spacing gives way) */
    double gap = 2 * st.lh, lines = sig->nlines * st.lh;
    if (avail(L) < lines + gap && avail(L) >= lines + st.lh / 2) gap = avail(L) - lines;
    ensure(L, lines + gap);
    L->y -= gap;
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

/* A table needs this many rows on a page: at its start (with its header)
   and, when it goes on, on the next page, unless it has fewer. */
#define MIN_ROWS 3

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
    ts->rowbuf = xgrow(ts->rowbuf, &ts->caprowbuf, (size_t)t->ncols, sizeof *ts->rowbuf);
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
        *atom = *nat = text_width(c, style, TBL_PT, t, len);
    } else {
        /* the unbroken lines; the pieces only when they could be wider than
           the widest the column has (`have`): most cells cannot */
        double w = 0;
        for (uint32_t s = 0; s <= len;) {
            const char *nl = memchr(t + s, '\n', len - s);
            uint32_t e = nl ? (uint32_t)(nl - t) : len;
            w = fmax(w, text_width(c, style, TBL_PT, t + s, e - s));
            s = e + 1;
        }
        *nat = w;
        *atom = w;
        if (w > have && (*atom = tw_atom_bound(t, len, have, measure, &m)) > have &&
            tw_extent(c->tw, t, len, TW_KEEP_WORDS, measure, &m, atom, nat) != 0)
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
        tc->off = clean(c, st.style, r && !row ? "" : cell_text(t, row, i), &tc->len);
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
    ts->need = xgrow(ts->need, &ts->capneed, (size_t)n * 6, sizeof *ts->need);
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
    ts->x = xgrow(ts->x, &ts->capx, (size_t)n + 1, sizeof *ts->x);
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
    ts->cells = xgrow(ts->cells, &ts->capcells, rows * (size_t)n, sizeof *ts->cells);
    ts->rl = xgrow(ts->rl, &ts->caprl, rows, sizeof *ts->rl);
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
                c->lines.v = xgrow(c->lines.v, &c->lines.cap, 1, sizeof *c->lines.v);
                c->lines.v[c->lines.n++] = (tw_line){0, tc->len, tc->nat, 1};
            } else {
                wrap(c, tc->style, TBL_PT, tc->off, tc->len, w, w, TW_KEEP_WORDS, &c->lines);
            }
            ts->lines = xgrow(ts->lines, &ts->caplines, ts->nlines + c->lines.n, sizeof *ts->lines);
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

static double caption_h(const rtable *t) { return t->caption && *t->caption ? CAPTION_PT * 1.8 : 0; }

/* Rows a table needs at its start: all of a table too short to be split
   with MIN_ROWS on each page, else MIN_ROWS. */
static size_t start_rows(size_t n) { return n < 2 * MIN_ROWS ? n : MIN_ROWS; }

/* Height of a table's start: caption, header and the rows that must come
   with them (an empty table: its caption and its one line). */
static double table_start_h(layout *L, const rtable *t)
{
    if (t->ncols <= 0) return 0;
    if (t->nrows == 0) return caption_h(t) + para_style.lh;
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
        if (tc->fill >= 0) add_fill(L, x[i], bot, x[i + 1] - x[i], h, tc->fill);
        size_t have = tc->nlines > from ? tc->nlines - from : 0;
        size_t k = have < count ? have : count;
        double y = top - TBL_VPAD - (double)(count - k) * lh / 2;
        for (size_t j = 0; j < k; j++, y -= lh) {
            const tw_line *l = &ts->lines[tc->line0 + from + j];
            double lx = x[i] + TBL_HPAD, w = x[i + 1] - x[i] - 2 * TBL_HPAD;
            if (tc->align == ALIGN_CENTER) lx += (w - l->width) / 2;
            else if (tc->align == ALIGN_RIGHT) lx += w - l->width;
            add_text(L, tc->style, TBL_PT, lx, baseline_in(y, lh, TBL_PT), tc->off + (uint32_t)l->start,
                     (uint32_t)l->len, tc->bold, 0, 0);
        }
    }
    if (top_rule) add_line(L, x[0], top, x[n], top, RULE_W, 0, 0);
    add_line(L, x[0], bot, x[n], bot, RULE_W, 0, 0);
    for (int i = 0; i <= n; i++) {
        add_line(L, x[i], top, x[i], bot, RULE_W, 0, 0);
        L->c->dl.v[L->c->dl.n - 1].style = LINE_COLUMN_RULE;
    }
    L->y = bot;
}

/* A new page for the table's next rows, its header row first. */
static void table_page(layout *L, const tstore *ts)
{
    break_page(L);
    need_page(L);
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
    ensure(L, caption_h(t) + para_style.lh);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        prose(L, &st, t->caption);
        pstyle line = para_style;
        line.indent = 0;
        line.align = ALIGN_CENTER;
        line.justify = 0;
        prose(L, &line, txt);
    } else {
        prose(L, &para_style, txt);
    }
    L->y -= BODY_PT * 0.4;
}

/*
 * A table: caption, header and its first rows kept together (start_rows);
 * the header repeated on every page it goes on to; a page holds the rows
 * that fit, but when fewer than MIN_ROWS would be left for the next page,
 * rows move over with them (widow control).  A long table starts on the
 * page it follows, however full, once its start fits there.  Rows are
 * never split unless taller than a page.  `trailer` (trailer_h: what
 * follows the table before the page must end anyway, or -1): when it does
 * not fit under the table's last rows, MIN_ROWS rows go over with it, so
 * that it does not stand alone on a page.
 */
static void table_block(layout *L, const rtable *t, double trailer)
{
    if (t->ncols <= 0) return;
    if (t->nrows == 0) {
        empty_table(L, t);
        return;
    }
    int naive = L->c->naive & NAIVE_ROWS;
    ensure_keep(L, table_start_h(L, t) + (trailer > 0 && t->nrows < 2 * MIN_ROWS ? trailer : 0));
    tstore *ts = table_prepare(L, t);
    if (caption_h(t) > 0) {
        pstyle st = {F_HEI, CAPTION_PT, CAPTION_PT * 1.8, 0, 0, ALIGN_CENTER, 0, 0};
        prose(L, &st, t->caption);
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

/* --- keep with next ------------------------------------------------------ */

/* The height block j of a section needs at the top of what is left of a
   page, so that it does not end a page alone: a heading with what follows
   it; a paragraph of at most three lines whole (with the table, chart or
   list it introduces), a longer one two lines; a table its caption, header
   and first rows (table_start_h); a chart at its smallest; a list its first
   line; a signature block whole. */
static double block_need(layout *L, const rsection *s, size_t j, int depth)
{
    if (j >= s->nblocks || depth > 4) return 0;
    const rblock *b = &s->blocks[j];
    const rblock *nx = j + 1 < s->nblocks ? &s->blocks[j + 1] : NULL;
    switch (b->kind) {
    case BLK_HEADING:
        return heading_h(L, b) + block_need(L, s, j + 1, depth + 1);
    case BLK_PARAGRAPH: {
        if (!b->text || !*b->text) return block_need(L, s, j + 1, depth + 1);
        size_t nl = text_lines(L, &para_style, b->text);
        if (nl <= 3 && nx && (nx->kind == BLK_TABLE || nx->kind == BLK_CHART || nx->kind == BLK_KV))
            return (double)nl * para_style.lh + block_need(L, s, j + 1, depth + 1);
        return (double)(nl <= 3 ? nl : 2) * para_style.lh;
    }
    case BLK_TABLE:
        return b->table ? table_start_h(L, b->table) + table_trailer(L, b->table, s, j) : 0;
    case BLK_CHART:
        return b->chart ? CHART_MIN_H + fmax(0, trailer_h(L, s, j)) : 0;
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
static double trailer_h(layout *L, const rsection *s, size_t j)
{
    const rdoc *d = L->doc;
    size_t si = (size_t)(s - d->sections), k = j + 1;
    double h = 0;
    for (;;) {
        for (; k < s->nblocks; k++) {
            const rblock *b = &s->blocks[k];
            if (b->kind == BLK_PAGEBREAK) return h;
            if (b->kind == BLK_HEADING) h += heading_h(L, b);
            else if (b->kind == BLK_PARAGRAPH) h += (double)text_lines(L, &para_style, b->text) * para_style.lh;
            else if (b->kind == BLK_TABLE && b->table && b->table->nrows == 0)
                h += caption_h(b->table) + para_style.lh + BODY_PT * 0.4;
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
   (trailer_h) when the table is too short to split and leave rows with it. */
static double table_trailer(layout *L, const rtable *t, const rsection *s, size_t j)
{
    if (t->ncols <= 0 || t->nrows >= 2 * MIN_ROWS || (L->c->naive & NAIVE_ROWS)) return 0;
    double h = trailer_h(L, s, j);
    return h > 0 ? h : 0;
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
    uint32_t len, off = clean(L->c, style, s, &len);
    double w = text_width(L->c, style, size, L->c->dl.pool + off, len);
    add_text(L, style, size, cx - w / 2, base, off, len, 0, 0, 0);
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
    /* category labels: wrapped into the slot keeping words whole, two lines
       at most, the second shortened with … when more would be needed */
    double slot = (p->x1 - p->x0) / ch->ncats;
    pstyle st = {F_SONG, CHART_PT, CHART_PT * 1.25, 0, 0, ALIGN_CENTER, 0, TW_KEEP_WORDS};
    pdf_ctx *c = L->c;
    for (int i = 0; i < ch->ncats; i++) {
        uint32_t len, off = clean(c, F_SONG, ch->cats[i] ? ch->cats[i] : "", &len);
        wrap(c, F_SONG, CHART_PT, off, len, slot - 2, slot - 2, TW_KEEP_WORDS, &c->lines);
        if (c->lines.n > 2) {
            /* the rest after the first line, cut to fit with an ellipsis */
            tw_line *l = &c->lines.v[1];
            const char *t = c->dl.pool + off;
            size_t end = len, k = l->start, cut = k;
            double ell = text_width(c, F_SONG, CHART_PT, "\xE2\x80\xA6", 3);
            for (size_t q = k; q < end;) {
                tw_utf8_next(t, end, &q);
                if (text_width(c, F_SONG, CHART_PT, t + k, q - k) + ell > slot - 2) break;
                cut = q;
            }
            uint32_t nlen, noff = (uint32_t)c->dl.plen;
            pool_put(&c->dl, t + k, cut - k);
            pool_put_cp(&c->dl, 0x2026);
            nlen = (uint32_t)(c->dl.plen - noff);
            c->lines.n = 1;
            double save = L->y;
            L->y = p->y0 - 3;
            draw_lines(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
            tw_line two = {0, nlen, text_width(c, F_SONG, CHART_PT, c->dl.pool + noff, nlen), 1};
            tw_lines ls = {&two, 1, 1};
            draw_lines(L, &st, p->x0 + i * slot + 1, slot - 2, noff, &ls);
            L->y = save;
            continue;
        }
        double save = L->y;
        L->y = p->y0 - 3;
        draw_lines(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
        L->y = save;
    }
}

static void value_label(layout *L, const rchart *ch, double cx, double y, double v, double room)
{
    char buf[32];
    fmt_value(buf, sizeof buf, v, ch->percent);
    if (text_width(L->c, F_SONG, CHART_VALUE_PT, buf, strlen(buf)) > room) return;
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

/* A chart: CHART_H tall, or down to CHART_MIN_H to use the end of a page
   (a chart is never split, and moving it would leave the space blank) —
   with room left for its trailer (trailer_h: a signature block), which
   must not go to a page of its own. */
static void chart_block(layout *L, const rchart *ch, double trailer)
{
    if (ch->ncats <= 0 || ch->nseries <= 0) return;
    trailer = fmax(0, trailer);
    ensure_keep(L, CHART_MIN_H + trailer);
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
    p.x0 = L->x0 + text_width(L->c, F_SONG, CHART_PT, buf, strlen(buf)) + 8;
    p.x1 = L->x1 - 4;
    p.y1 = top - CHART_PT * 2;
    p.y0 = L->y - h + CHART_PT * 3.5;
    chart_axes(L, ch, &p);
    if (ch->kind == CHART_BAR) chart_bars(L, ch, &p);
    else chart_lines(L, ch, &p);
    L->y -= h + BODY_PT * 0.5;
}

/* --- the audit mark (doc/audit.md; pdf_mark.c knows the QR code) -------- */

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
            b0 = o->y - text_width(L->c, o->style, o->size, d->pool + o->str, o->len);
            b1 = o->y;
        } else if (o->kind == OP_TEXT) {
            a0 = o->x;
            a1 = o->x + text_width(L->c, o->style, o->size, d->pool + o->str, o->len);
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
        case BLK_HEADING: heading(L, s, j); break;
        case BLK_PARAGRAPH: paragraph(L, s, j); break;
        case BLK_KV: if (b->kv) kv_block(L, b->kv); break;
        case BLK_TABLE: if (b->table) table_block(L, b->table, trailer_h(L, s, j)); break;
        case BLK_CHART: if (b->chart) chart_block(L, b->chart, trailer_h(L, s, j)); break;
        case BLK_SIGNATURE: if (b->sig) signature(L, s, b); break;
        case BLK_PAGEBREAK: break_page(L); break;
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

/* Written inside the dictionary of a stream whose data is already deflated
   (libharu writes /Filter only for streams it compresses itself). */
static HPDF_STATUS write_flate_filter(HPDF_Dict obj, HPDF_Stream stream)
{
    (void)obj;
    return HPDF_Stream_WriteStr(stream, "/Filter /FlateDecode\012");
}

/*
 * Replace the data of a stream object with `n` bytes deflated at ZLEVEL,
 * with a window and hash sized to the data: libharu sets up a full 32 KB
 * window and 64 KB hash (and clears them) for every stream, however small —
 * a page, a ToUnicode map, a CIDToGIDMap.  0, or -1 when zlib or libharu
 * fail.
 */
static int set_deflated(HPDF_Dict obj, const void *data, size_t n)
{
    int wbits = 9;
    while (wbits < 15 && ((size_t)1 << wbits) < n + 262) wbits++;
    z_stream z;
    memset(&z, 0, sizeof z);
    if (deflateInit2(&z, ZLEVEL, Z_DEFLATED, wbits, wbits - 7 < 1 ? 1 : wbits - 7,
                     Z_DEFAULT_STRATEGY) != Z_OK)
        return -1;
    uLong cap = deflateBound(&z, (uLong)n);
    unsigned char *buf = malloc(cap ? cap : 1);
    if (!buf) abort();
    z.next_in = (Bytef *)data;
    z.avail_in = (uInt)n;
    z.next_out = buf;
    z.avail_out = (uInt)cap;
    int zr = deflate(&z, Z_FINISH);
    size_t out = cap - z.avail_out;
    deflateEnd(&z);
    int rc = -1;
    if (zr == Z_STREAM_END) {
        HPDF_MemStream_FreeData(obj->stream);
        if (HPDF_Stream_Write(obj->stream, buf, (HPDF_UINT)out) == HPDF_OK) {
            obj->filter = HPDF_STREAM_FILTER_NONE;
            obj->write_fn = write_flate_filter;
            rc = 0;
        }
    }
    free(buf);
    return rc;
}

/*
 * The page content is written here, not through libharu's drawing calls:
 * each of those formats its numbers through a 512-byte buffer it clears
 * byte by byte and checks the graphics mode — most of libharu's time per
 * page.  The operators are the same (g G w d re f m l S BT Tr Tc Td Tf Tj
 * ET), numbers have two decimals (1/100 pt) and consecutive rules of one
 * stroke share a path.  libharu still owns the page: its resources (the
 * fonts, through HPDF_Page_GetLocalFontName) and its content stream, which
 * it compresses when the document is saved.
 */
typedef struct {
    HPDF_Doc pdf;
    HPDF_Page page;
    pdf_ctx *c;
    hpdf_error *err;
    HPDF_Font font;
    float size, fill, stroke, lw, cs;
    int bold, dash;
    int path;           /* a path of rules is open (S still to come) */
    int in_text;        /* a text object is open (ET still to come) */
    double tx, ty;      /* its line origin, as the viewer computes it */
    char *buf;          /* the page's content */
    size_t n, cap;
    const op **cols;    /* the page's column rules, drawn joined at its end */
    size_t ncols, capcols;
} emitter;

static void out(emitter *e, const char *s, size_t n)
{
    e->buf = xgrow(e->buf, &e->cap, e->n + n + 1, 1);
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
   loses its blank half-square inside the TJ array (punct_kern, the same
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
        int w = pick_advance(c, o->style, cp), kern = punct_kern(prev, pw, cp, w);
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
static void end_page(emitter *e)
{
    if (!e->page) return;
    end_text(e);
    emit_columns(e);
    end_path(e);
    if (set_deflated(((HPDF_PageAttr)e->page->attr)->contents, e->buf, e->n) != 0)
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

static void emit_op(emitter *e, const op *o, const char *pool)
{
    switch ((op_kind)o->kind) {
    case OP_PAGE:
        end_page(e);
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
            e->cols = xgrow(e->cols, &e->capcols, e->ncols + 1, sizeof *e->cols);
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

/* An info entry as a UTF-16BE text string (surrogate pairs above U+FFFF):
   libharu's own path goes through a BMP-only encoder. */
static void info_text(HPDF_Doc pdf, const char *key, const char *s)
{
    size_t n = strlen(s), k = 2;
    HPDF_BYTE *b = malloc(2 + 4 * n);
    if (!b) abort();
    b[0] = 0xFE, b[1] = 0xFF;
    for (size_t i = 0; i < n;) {
        uint32_t cp = tw_utf8_next(s, n, &i);
        uint32_t u[2] = {cp, 0};
        int m = 1;
        if (cp > 0xFFFF) u[0] = 0xD800 + ((cp - 0x10000) >> 10), u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF), m = 2;
        for (int j = 0; j < m; j++) b[k++] = (HPDF_BYTE)(u[j] >> 8), b[k++] = (HPDF_BYTE)u[j];
    }
    HPDF_Binary v = HPDF_Binary_New(pdf->mmgr, b, (HPDF_UINT)k);
    if (v) HPDF_Dict_Add(pdf->info, key, v);
    free(b);
}

static void set_info(HPDF_Doc pdf, const rdoc *d)
{
    /* the first entry makes the info dictionary */
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "zhibu");
    if (!pdf->info) return;
    if (d->title) info_text(pdf, "Title", d->title);
    if (d->author) info_text(pdf, "Author", d->author);
    if (d->subject) info_text(pdf, "Subject", d->subject);
    HPDF_Date date;
    /* from the report's period, never the clock: reruns are byte-identical */
    if (parse_date(d->date, &date) == 0) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    }
    pdf_mark_info(pdf, &d->audit);
}

static HPDF_BOOL any_byte(HPDF_Encoder enc, HPDF_BYTE b)
{
    (void)enc, (void)b;
    return HPDF_TRUE;
}

/*
 * The encoder of one embedded font: codes glyph_code(0 .. n) are CIDs of
 * the same value (Identity-H), each code's "unicode" — what libharu looks
 * up in the font's cmap — is the code itself (font_subset.c maps it to the
 * glyph).  One code more than the font has glyphs: libharu sizes the
 * CIDToGIDMap and /W by the largest CID but fills them only below it.
 * Registered on the document (freed with it) under `name`.
 */
static int add_encoder(HPDF_Doc pdf, const char *name, size_t n)
{
    HPDF_Encoder enc = HPDF_CMapEncoder_New(pdf->mmgr, (char *)name, NULL);
    if (!enc) return -1;
    /* what HPDF_CMapEncoder_InitAttr does, without its byte-by-byte clearing
       of 256 KB and filling of the unicode map for all 65,536 codes (only
       the codes defined below are ever looked up) */
    HPDF_CMapEncoderAttr attr = HPDF_GetMem(enc->mmgr, sizeof *attr);
    if (!attr) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    memset(attr, 0, sizeof *attr);
    enc->attr = attr;
    attr->cmap_range = HPDF_List_New(enc->mmgr, HPDF_DEF_RANGE_TBL_NUM);
    attr->notdef_range = HPDF_List_New(enc->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
    attr->code_space_range = HPDF_List_New(enc->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
    if (!attr->cmap_range || !attr->notdef_range || !attr->code_space_range) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    size_t total = n + 1, nblocks = (total + 254) / 255;
    HPDF_CidRange_Rec range[GLYPHS_PER_FONT / 255 + 3];
    for (size_t b = 0; b < nblocks; b++) {
        size_t m = total - b * 255 < 255 ? total - b * 255 : 255;
        range[b].from = glyph_code(b * 255);
        range[b].to = (HPDF_UINT16)(range[b].from + m - 1);
        range[b].cid = range[b].from;
    }
    range[nblocks] = (HPDF_CidRange_Rec){0xFFFF, 0xFFFF, 0};
    HPDF_CidRange_Rec space = {0x0000, 0xFFFF, 0};
    if (HPDF_CMapEncoder_AddCMap(enc, range) != HPDF_OK ||
        HPDF_CMapEncoder_AddCodeSpaceRange(enc, space) != HPDF_OK) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    for (size_t i = 0; i < total; i++) {
        uint16_t code = glyph_code(i);
        attr->unicode_map[code & 0xFF][code >> 8] = code;
    }
    attr->is_lead_byte_fn = any_byte;
    attr->is_trial_byte_fn = any_byte;
    snprintf(attr->registry, sizeof attr->registry, "Adobe");
    snprintf(attr->ordering, sizeof attr->ordering, "Identity-H");
    attr->suppliment = 0;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    enc->type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
    return HPDF_Doc_RegisterEncoder(pdf, enc) == HPDF_OK ? 0 : -1;  /* frees enc on failure */
}

/* The ToUnicode map of a font: each code back to its character, as UTF-16
   (surrogate pairs above U+FFFF) — written into the stream libharu made
   (whose cidrange form is not a valid ToUnicode map), deflated here; the
   CIDToGIDMap libharu wrote is deflated here too (see set_deflated). */
static int write_tounicode(HPDF_Font font, const uint32_t *cps, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    HPDF_Dict map = ((HPDF_FontAttr)font->attr)->map_stream;
    if (!tu || !tu->stream) return -1;
    static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) HPDF_Dict_RemoveElement(tu, drop[i]);
    static const char head[] =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    static const char tail[] = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    char *t = malloc(sizeof head + sizeof tail + 24 * n + 32 * (n / 100 + 1));
    if (!t) abort();
    size_t k = 0;
    memcpy(t, head, sizeof head - 1), k = sizeof head - 1;
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        k += (size_t)sprintf(t + k, "%zu beginbfchar\n", m);
        for (size_t j = i; j < i + m; j++) {
            uint16_t code = glyph_code(j);
            uint32_t cp = cps[j], u[2] = {cp, 0};
            int nu = 1;
            if (cp > 0xFFFF) u[0] = 0xD800 + ((cp - 0x10000) >> 10), u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF), nu = 2;
            t[k++] = '<';
            for (int sh = 12; sh >= 0; sh -= 4) t[k++] = hex[code >> sh & 15];
            t[k++] = '>', t[k++] = ' ', t[k++] = '<';
            for (int q = 0; q < nu; q++)
                for (int sh = 12; sh >= 0; sh -= 4) t[k++] = hex[u[q] >> sh & 15];
            t[k++] = '>', t[k++] = '\n';
        }
        memcpy(t + k, "endbfchar\n", 10), k += 10;
    }
    memcpy(t + k, tail, sizeof tail - 1), k += sizeof tail - 1;
    int rc = set_deflated(tu, t, k);
    free(t);
    if (rc == 0 && map && map->stream) {
        /* libharu's CIDToGIDMap, a few hundred bytes */
        HPDF_UINT len = HPDF_Stream_Size(map->stream);
        unsigned char *raw = malloc(len ? len : 1);
        if (!raw) abort();
        if (HPDF_Stream_Seek(map->stream, 0, HPDF_SEEK_SET) != HPDF_OK ||
            HPDF_Stream_Read(map->stream, raw, &len) != HPDF_OK || set_deflated(map, raw, len) != 0)
            rc = -1;
        free(raw);
    }
    /* at saving, libharu gives the map and ToUnicode streams the font's
       filter: none, they are deflated already */
    font->filter = HPDF_STREAM_FILTER_NONE;
    return rc;
}

/* The program of face f's characters cps[0..n), built and deflated, or
   found from an earlier document; NULL with a message. */
static const zfont *font_program(pdf_ctx *c, int f, const uint32_t *cps, size_t n, const char *suffix,
                                 char *err, size_t errlen)
{
    zfont *slot = &c->zcache[0];
    for (int i = 0; i < ZFONT_CACHE; i++) {
        zfont *z = &c->zcache[i];
        if (z->raw && z->face == f && z->n == n && !strcmp(z->suffix, suffix) &&
            memcmp(z->cps, cps, n * sizeof *cps) == 0) {
            z->stamp = ++c->zclock;
            return z;
        }
        if (z->stamp < slot->stamp) slot = z;
    }
    uint16_t codes[GLYPHS_PER_FONT];
    for (size_t i = 0; i < n; i++) codes[i] = glyph_code(i);
    unsigned char *raw;
    size_t nraw;
    if (fs_subset_build(c->face[f], cps, codes, n, suffix, &raw, &nraw, err, errlen) != 0) return NULL;
    uLongf nz = compressBound((uLong)nraw);
    unsigned char *zb = malloc(nz);
    uint32_t *copy = malloc(n * sizeof *copy + 1);
    if (!zb || !copy || compress2(zb, &nz, raw, (uLong)nraw, ZLEVEL) != Z_OK) {
        snprintf(err, errlen, "内存不足：无法压缩字体");
        free(raw);
        free(zb);
        free(copy);
        return NULL;
    }
    memcpy(copy, cps, n * sizeof *copy);
    free(slot->cps);
    free(slot->raw);
    free(slot->z);
    *slot = (zfont){f, "", copy, n, raw, zb, nraw, nz, ++c->zclock};
    snprintf(slot->suffix, sizeof slot->suffix, "%s", suffix);
    return slot;
}

/*
 * The font descriptor and its FontFile2, made here before libharu would
 * make them while saving (it then keeps ours).  libharu's way reads the
 * loaded font back four bytes at a time and rebuilds its glyf table with
 * the glyphs its text-width calls marked plus their direct components
 * only, so nested composites lose parts (ü ǖ ǘ ǚ ǜ in AR PL UMing / UKai).
 * The program embedded here is the harfbuzz subset as built (every glyph
 * in it is drawn, components included), deflated once for all the
 * documents that embed the same bytes.  The descriptor's entries are
 * libharu's, from the parsed font.
 */
static int attach_program(pdf_ctx *c, HPDF_Doc pdf, HPDF_Font font, const zfont *z)
{
    /* The glyph test's negative control: libharu rebuilds the font by
       itself from the glyphs its text-width calls mark as the text is drawn
       (emit_text), with their direct components only. */
    if (c->libharu_embed) return 0;
    HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
    HPDF_TTFontDefAttr da = def->attr;
    HPDF_Dict desc = HPDF_Dict_New(pdf->mmgr), prog = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!desc || !prog || HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK) return -1;
    HPDF_STATUS rc = HPDF_Stream_Write(prog->stream, z->z, (HPDF_UINT)z->nz);
    prog->filter = HPDF_STREAM_FILTER_NONE;
    prog->write_fn = write_flate_filter;
    rc += HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)z->nraw);
    rc += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    rc += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    rc += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    rc += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height ? def->cap_height : def->ascent);
    rc += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    rc += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    rc += HPDF_Dict_AddName(desc, "FontName", da->base_font);
    rc += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    rc += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    rc += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    rc += HPDF_Dict_Add(desc, "FontFile2", prog);
    if (rc != HPDF_OK) return -1;
    def->descriptor = desc;
    return 0;
}

/* Subset each face used, in fonts of at most GLYPHS_PER_FONT characters,
   and load them with their encoders and ToUnicode maps. */
static int load_fonts(pdf_ctx *c, emitter *e, char *err, size_t errlen)
{
    const char **names = NULL;  /* fonts loaded so far (libharu owns the strings) */
    size_t nnames = 0, capnames = 0;
    int rc = 0;
    for (int f = 0; f < c->nfaces; f++) {
        face_fonts *ff = &c->ff[f];
        ff->n = ff->nfont = 0;
        if (!c->used[f].count) continue;
        ff->n = c->used[f].count;
        ff->cps = xgrow(ff->cps, &ff->cap, ff->n, sizeof *ff->cps);
        fs_cpset_list(&c->used[f], ff->cps);
        size_t nfont = (ff->n + GLYPHS_PER_FONT - 1) / GLYPHS_PER_FONT;
        ff->font = xgrow(ff->font, &ff->capfont, nfont, sizeof *ff->font);
        for (size_t k = 0; k < nfont; k++) {
            size_t at = k * GLYPHS_PER_FONT, m = ff->n - at < GLYPHS_PER_FONT ? ff->n - at : GLYPHS_PER_FONT;
            char suffix[32] = "", enc[32];
            const char *name = NULL;
            const zfont *z = NULL;
            /* libharu keeps one font per name in a document: the second
               font of a face, or another face of the same name, is renamed */
            if (k) snprintf(suffix, sizeof suffix, "-%zu", k + 1);
            for (int tries = 0; tries < 16 && !name; tries++) {
                fs_tmpfont tf;
                if (!(z = font_program(c, f, ff->cps + at, m, suffix, err, errlen)) ||
                    fs_tmpfont_write(z->raw, z->nraw, &tf, err, errlen) != 0) {
                    rc = -1;
                    goto done;
                }
                name = HPDF_LoadTTFontFromFile(e->pdf, tf.path, HPDF_TRUE);
                fs_tmpfont_release(&tf);  /* libharu holds its own descriptor of the file */
                for (size_t i = 0; name && i < nnames; i++)
                    if (!strcmp(names[i], name)) name = NULL;
                if (name || e->err->code) break;
                snprintf(suffix, sizeof suffix, "-%zu-%d", k + 1, tries + 2);
            }
            snprintf(enc, sizeof enc, "ZB-%d-%zu", f, k);
            HPDF_Font font = NULL;
            if (name && add_encoder(e->pdf, enc, m) == 0) {
                names = xgrow(names, &capnames, nnames + 1, sizeof *names);
                names[nnames++] = name;
                font = HPDF_GetFont(e->pdf, name, enc);
            }
            if (!font || e->err->code || write_tounicode(font, ff->cps + at, m) != 0 ||
                attach_program(c, e->pdf, font, z) != 0) {
                snprintf(err, errlen, "PDF 库无法载入字体 %s 的子集（错误 0x%04X，详情 %u）", fs_face_path(c->face[f]),
                         (unsigned)e->err->code, (unsigned)e->err->detail);
                rc = -1;
                goto done;
            }
            ff->font[k] = font;
            ff->nfont = k + 1;
        }
    }
done:
    free(names);
    return rc;
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
    if (load_fonts(c, &e, err, errlen) != 0) goto out;
    stage = "写入文档信息时";
    set_info(pdf, d);
    if (he.code) goto fail;
    stage = "绘制页面时";
    for (size_t i = 0; i < c->dl.n && !he.code; i++) emit_op(&e, &c->dl.v[i], c->dl.pool);
    end_page(&e);
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
