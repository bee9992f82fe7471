/*
 * pdf_internal.h — what the files of the PDF renderer share: the page frame
 * and type sizes, the display list, the context, the state of the layout
 * and emit passes, and the functions one file calls in another.  Nothing
 * here is exported: render_pdf.h is the renderer's interface.
 *
 * The files, one job each (render_pdf.c tells the two passes):
 *   render_pdf.c   the document walk: the layout pass over the rdoc, block by
 *                  block, then the emit pass over the display list
 *   pdf_faces.c    the context: the faces found and opened, each style's chain,
 *                  the face that draws each character
 *   pdf_dlist.c    the display list and its string pool
 *   pdf_text.c     text cleaned into the pool, measured, wrapped, added as runs
 *   pdf_page.c     the page frame: margins, page numbers (turned on landscape
 *                  pages), the footer, page breaks
 *   pdf_prose.c    title, headings, paragraphs, key/value headers, signatures
 *   pdf_keep.c     keep with next: what a block needs on the page it starts
 *   pdf_table.c    tables: columns from the content, pagination, header rows
 *   pdf_chart.c    bar and line charts
 *   pdf_audit.c    where the audit mark goes on the last page
 *   pdf_fonts.c    the document's fonts: subsets, CMap encoders, ToUnicode maps
 *   pdf_emit.c     the page content written from the display list
 *   pdf_deflate.c  the streams deflated by zhibu, not by libharu
 *   pdf_info.c     the Info dictionary
 * and below them font_subset.c (faces, subsets), text_wrap.c (line
 * breaking) and pdf_mark.c (the audit mark's QR code and Info keys).
 *
 * A function one file calls in another is named pdf_<noun>_<verb>
 * (pdf_table_add: a table added to the display list); the small helpers
 * every file uses are static inline here; the rest is static.
 */
#ifndef ZHIBU_PDF_INTERNAL_H
#define ZHIBU_PDF_INTERNAL_H

#include <hpdf.h>
#include <stddef.h>
#include <stdint.h>

#include "model/report.h"
#include "render/pdf/font_subset.h"
#include "render/pdf/render_pdf.h"
#include "render/pdf/text_wrap.h"

/* --- page frame and type sizes ------------------------------------------- */

#define MM (72.0 / 25.4)
#define A4_SHORT (210 * MM)
#define A4_LONG (297 * MM)

/* styles: each has its own face first in its chain */
enum { F_SONG, F_HEI, F_KAI, NSTYLES };

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
   glyphs (plus one, see add_encoder) keep it within 4 KB.  A face drawing more
   characters in one document gets several fonts. */
#define GLYPHS_PER_FONT 1784

/* The deflate level (libdeflate's) of every stream: font programs, page
   content, maps.  libharu used zlib's default, 6; zlib's level 3 then took
   28 % less CPU for the whole render at 5 % more bytes; libdeflate's level 4
   takes half of zlib 3's time for 3–10 % fewer bytes (tests/bench/BENCH.md). */
#define ZLEVEL 4

/* A libdeflate compressor (its tables are allocated once, not per stream). */
typedef struct libdeflate_compressor pdf_deflater;
static inline uint16_t glyph_code(size_t i) { return (uint16_t)((1 + i / 255) << 8 | (1 + i % 255)); }

/* --- display list and context -------------------------------------------- */

typedef enum { OP_PAGE, OP_TEXT, OP_FILL, OP_LINE, OP_QR } op_kind;

/* LINE ops: style LINE_COLUMN_RULE marks a table's vertical rule, which
   the rules of the rows above and below continue (emit joins them). */
enum { LINE_COLUMN_RULE = 1 };

/* One entry of the display list: a page, a text run, a fill, a rule or
   the QR code. */
typedef struct {
    uint8_t kind, style, bold, dash;
    uint8_t rot;        /* TEXT: 1 = turned a quarter clockwise (reads downward; see page_furniture) */
    float x, y, w, h;   /* TEXT: origin; FILL, QR: rect; LINE: (x,y)-(w,h); PAGE: w,h size */
    float size;         /* TEXT: font size; LINE: line width */
    float gray;         /* fill gray (TEXT, FILL) or stroke gray (LINE) */
    float cs;           /* TEXT: extra space after each character (justification) */
    uint32_t str, len;  /* TEXT: bytes in the string pool; QR: the text encoded */
} op;

/* The display list of the document being rendered: its ops in drawing
   order and the pool of strings they point into. */
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
    char suffix[48];
    uint32_t *cps;            /* the characters, in code order */
    size_t n;
    unsigned char *raw, *z;   /* the program; deflated */
    size_t nraw, nz;
    unsigned long stamp;      /* last use, for eviction */
} zfont;

enum { ZFONT_CACHE = 8 };

/* The renderer's context (render_pdf.h): the faces and each style's chain,
   kept for the run; the display list, the table being laid out and the
   font programs, reused from one document to the next. */
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
    pdf_deflater *deflater;
    int libharu_embed;             /* ZHIBU_PDF_LIBHARU_EMBED=1: see attach_program */
    int naive;                     /* ZHIBU_PDF_NAIVE: layout rules switched off (NAIVE_*) */
    tstore ts;                     /* the table being laid out */
};

#define PICK_NONE 0xFFFFFFFFu

/* --- the face of each character (pdf_faces.c) ---------------------------- */

/** pick_entry's answer when it has none kept: the face that draws cp in
    a style and its advance (kept for the BMP). */
uint32_t pdf_pick_slow(pdf_ctx *c, int style, uint32_t cp);

/* The entry of cp in a style: kept for the BMP (pdf_ctx.pick), asked for
   once. */
static inline uint32_t pick_entry(pdf_ctx *c, int style, uint32_t cp)
{
    uint32_t v = cp <= 0xFFFF ? c->pick[style][cp] : 0;
    return v ? v : pdf_pick_slow(c, style, cp);
}

/* The face that draws cp in a style, or -1 when no face of its chain
   has it. */
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

/* --- layout -------------------------------------------------------------- */

/* What pdf_text_measure measures with: the ud of a tw_measure_fn. */
typedef struct {
    pdf_ctx *c;
    int style;
    double size;
} meter;

/* The layout pass's state: the document, the page frame and the cursor. */
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
    /* pdf_prose_lines' last answers: the keep rules ask for the same paragraphs
       more than once */
    struct { const char *text; const void *st; double w; size_t n; } tl[4];
    unsigned ntl;
} layout;

/* Baseline of a line of `size` type centred in a line box of height lh whose
   top is at `top`.  CJK faces put about 0.88 em above the baseline. */
static inline double baseline_in(double top, double lh, double size)
{
    return top - (lh - size) / 2 - 0.88 * size;
}

/* The text block: its height left below the cursor, its width, its height. */
static inline double avail(const layout *L) { return L->y - L->bottom; }
static inline double block_w(const layout *L) { return L->x1 - L->x0; }
static inline double page_h(const layout *L) { return L->top - L->bottom; }

/* How a block of text is set: its style, size and line pitch, the first
   line's indent, weight, alignment, justification and wrap flags. */
typedef struct {
    int style;
    double size, lh;
    double indent;   /* first line */
    int bold;
    int align;       /* ralign */
    int justify;     /* spread full lines to the block width */
    int flags;       /* wrap flags (TW_KEEP_WORDS) */
} pstyle;

/* A table needs this many rows on a page: at its start (with its header)
   and, when it goes on, on the next page, unless it has fewer. */
#define MIN_ROWS 3

static inline double caption_h(const rtable *t) { return t->caption && *t->caption ? CAPTION_PT * 1.8 : 0; }

/* --- emit ---------------------------------------------------------------- */

/* The first error libharu reported for the document being written. */
typedef struct {
    HPDF_STATUS code, detail;
    int sys_errno;              /* errno when it happened: ENOSPC for a full disk */
} hpdf_error;

/* The emit pass's state: the libharu document, the page being written,
   its content (pdf_emit.c writes the operators itself) and the graphics
   state last set, so that what does not change is not written again. */
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

/* --- pdf_dlist.c --------------------------------------------------------- */

/** p, an array of *cap elements of elem bytes, grown (doubling) to hold
    need of them; aborts with a message when memory runs out. */
void *pdf_array_grow(void *p, size_t *cap, size_t need, size_t elem);

/** A new op of that kind, zeroed, at the end of the display list. */
op *pdf_dl_add(dlist *d, op_kind kind);

/** UTF-8 of cp into out (4 bytes of room); returns its length. */
size_t pdf_utf8_put(char *out, uint32_t cp);

/** n bytes appended to the display list's string pool. */
void pdf_pool_put(dlist *d, const void *p, size_t n);

/** cp appended to the pool as UTF-8. */
void pdf_pool_put_cp(dlist *d, uint32_t cp);

/** A rectangle filled with gray. */
void pdf_fill_add(layout *L, double x, double y, double w, double h, float gray);

/** A rule from (x1, y1) to (x2, y2); dash 0 solid, 1 dashed, 2 dotted. */
void pdf_line_add(layout *L, double x1, double y1, double x2, double y2,
                  double width, float gray, int dash);

/* --- pdf_text.c ---------------------------------------------------------- */

/** s copied into the pool as text the style can draw (control characters
    dropped, what no face has as 〓, cut after TEXT_MAX_CHARS characters
    with the cut note); returns its offset, its length in *len. */
uint32_t pdf_text_clean(pdf_ctx *c, int style, const char *s, uint32_t *len);

/** The tw_measure_fn of a meter: width in points. */
double pdf_text_measure(void *ud, const char *s, size_t n);

/** Width in points of UTF-8 text in a style and size, each character in
    its face, punctuation pairs compressed. */
double pdf_text_width(pdf_ctx *c, int style, double size, const char *s, size_t n);

/** Pool text wrapped into `lines` (cleared first), its first line first_w
    wide and the others w; flags: TW_KEEP_WORDS or 0 (text_wrap.h). */
void pdf_text_wrap(pdf_ctx *c, int style, double size, uint32_t off, uint32_t len,
                   double first_w, double w, int flags, tw_lines *lines);

/** 1/1000 em taken off between the punctuation marks a and b (advances
    aw, bw): punctuation compression, as laid out and as drawn. */
int pdf_punct_kern(uint32_t a, int aw, uint32_t b, int bw);

/** A line of pool text with its baseline at (x, baseline); its characters
    join their faces' sets (what the document's subsets hold).  Returns the
    op, NULL for an empty line. */
op *pdf_text_add(layout *L, int style, double size, double x, double baseline,
                 uint32_t off, uint32_t len, int bold, float gray, double cs);

/** Wrapped lines of pool text drawn within [x, x + w) from the cursor
    down, page-breaking between lines. */
void pdf_lines_draw(layout *L, const pstyle *st, double x, double w, uint32_t off,
                    const tw_lines *lines);

/* --- pdf_page.c ---------------------------------------------------------- */

/** The page size and text block of an orientation (GB/T 9704). */
void pdf_frame_set(layout *L, int landscape);

/** A page open (with its number and footer) before drawing; marked used. */
void pdf_page_need(layout *L);

/** The page ended if it holds anything: the next content starts a new one. */
void pdf_page_break(layout *L);

/** Room for h points from the cursor: a fresh page when there is less. */
void pdf_page_ensure(layout *L, double h);

/** Room for a block and what must stay with it, h capped at a page. */
void pdf_page_ensure_keep(layout *L, double h);

/* --- pdf_prose.c --------------------------------------------------------- */

/** Body paragraphs: Song, first line indented two characters, justified. */
extern const pstyle pdf_para_style;

/** A text in a style, wrapped across the text block from the cursor. */
void pdf_prose_add(layout *L, const pstyle *st, const char *text);

/** The lines a text takes in a style across the text block, measured
    only (the last four answers are kept). */
size_t pdf_prose_lines(layout *L, const pstyle *st, const char *text);

/** Height of a heading, the space above it included. */
double pdf_heading_height(layout *L, const rblock *b);

/** The document's title and subtitle. */
void pdf_title_add(layout *L);

/** Heading j of section s, kept with what follows it. */
void pdf_heading_add(layout *L, const rsection *s, size_t j);

/** Paragraph j of section s (two lines at least on its first page). */
void pdf_paragraph_add(layout *L, const rsection *s, size_t j);

/** A key/value header, one or two items a row. */
void pdf_kv_add(layout *L, const rkv *kv);

/** Signature lines, at the foot of the page at the document's end. */
void pdf_signature_add(layout *L, const rsection *s, const rblock *b);

/* --- pdf_keep.c ---------------------------------------------------------- */

/** The height block j of section s needs at the top of what is left of
    a page, what must come with it included (keep with next).  Callers
    pass depth 0; the blocks after j are followed 4 deep at most. */
double pdf_block_need(layout *L, const rsection *s, size_t j, int depth);

/** Height of what follows block j until the page must end anyway, when
    it is short enough to go with a table's or chart's end; else -1. */
double pdf_trailer_height(layout *L, const rsection *s, size_t j);

/* --- pdf_table.c --------------------------------------------------------- */

/** Height of a table's start: caption, header and the rows that must
    come with them. */
double pdf_table_start_height(layout *L, const rtable *t);

/** A table, its header repeated on each page it goes on to; `trailer`:
    pdf_trailer_height's answer for it. */
void pdf_table_add(layout *L, const rtable *t, double trailer);

/* --- pdf_chart.c --------------------------------------------------------- */

/** A bar or line chart, never split; `trailer`: pdf_trailer_height's
    answer for it. */
void pdf_chart_add(layout *L, const rchart *ch, double trailer);

/* --- pdf_audit.c --------------------------------------------------------- */

/** The audit mark (QR code and caption) on the current page, the last. */
void pdf_audit_mark_add(layout *L);

/* --- pdf_fonts.c --------------------------------------------------------- */

/** The document's fonts: each face used subset, loaded with its encoder
    and ToUnicode map (fonts of at most GLYPHS_PER_FONT characters).
    0, or -1 with a message. */
int pdf_fonts_load(pdf_ctx *c, emitter *e, char *err, size_t errlen);

/* --- pdf_emit.c ---------------------------------------------------------- */

/** One op of the display list into the page content (OP_PAGE: a new page). */
void pdf_op_emit(emitter *e, const op *o, const char *pool);

/** The current page's content handed to libharu, deflated. */
void pdf_page_flush(emitter *e);

/* --- pdf_deflate.c ------------------------------------------------------- */

/** The write_fn of a stream whose data is deflated already: its /Filter. */
HPDF_STATUS pdf_flate_filter_write(HPDF_Dict obj, HPDF_Stream stream);

/** A compressor at ZLEVEL (a context's, for all its documents); NULL when
    out of memory. */
pdf_deflater *pdf_deflater_new(void);
void pdf_deflater_free(pdf_deflater *d);

/** n bytes deflated in the zlib format (malloc'd, its length in *out). */
unsigned char *pdf_deflate(pdf_deflater *d, const void *data, size_t n, size_t *out);

/** A stream object's data replaced with n bytes deflated; 0, or -1 when
    libharu fails. */
int pdf_stream_deflate(pdf_deflater *d, HPDF_Dict obj, const void *data, size_t n);

/* --- pdf_info.c ---------------------------------------------------------- */

/** The Info dictionary: creator, title, author, subject, dates from the
    report's period, the audit keys. */
void pdf_info_set(HPDF_Doc pdf, const rdoc *d);

#endif
