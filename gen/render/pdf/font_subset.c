/* font_subset.c — CJK faces: fontconfig lookup, advances, hb-subset (see font_subset.h). */
#include "render/pdf/font_subset.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <ft2build.h>
#include FT_FREETYPE_H
#include <hb-subset.h>
#include <hb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <unistd.h>

#define ADV_UNKNOWN INT16_MIN

struct fs_face {
    hb_blob_t *blob;
    hb_face_t *face;
    hb_font_t *font;   /* scale = units per em: advances in font units */
    unsigned upem;
    int index;
    int flatten;        /* 0 only for the glyph test's negative control */
    FT_Library ft;      /* resolves composites when flattening */
    char *path;
    int16_t adv[65536]; /* lazily filled cache, 1/1000 em */
};

void fs_cpset_clear(fs_cpset *s) { memset(s, 0, sizeof *s); }

void fs_cpset_add(fs_cpset *s, uint32_t cp)
{
    if (cp > 0xFFFF) return;
    uint64_t bit = (uint64_t)1 << (cp & 63);
    if (!(s->bits[cp >> 6] & bit)) {
        s->bits[cp >> 6] |= bit;
        s->count++;
    }
}

int fs_cpset_has(const fs_cpset *s, uint32_t cp)
{
    return cp <= 0xFFFF && (s->bits[cp >> 6] >> (cp & 63) & 1);
}

/* --- fontconfig ------------------------------------------------------------ */

/* fontconfig always answers with *some* font; accept it only when one of its
   family names is the one asked for. */
static int family_matches(FcPattern *font, const char *family)
{
    FcChar8 *name;
    for (int i = 0; FcPatternGetString(font, FC_FAMILY, i, &name) == FcResultMatch; i++)
        if (strcasecmp((const char *)name, family) == 0) return 1;
    return 0;
}

int fs_find_family(const char *family, char *path, size_t pathlen, int *index,
                   char *err, size_t errlen)
{
    if (!FcInit()) {
        snprintf(err, errlen, "fontconfig could not be initialised");
        return -1;
    }
    FcPattern *pat = FcPatternCreate();
    FcPatternAddString(pat, FC_FAMILY, (const FcChar8 *)family);
    FcConfigSubstitute(NULL, pat, FcMatchPattern);
    FcDefaultSubstitute(pat);
    FcResult res;
    FcPattern *font = FcFontMatch(NULL, pat, &res);
    FcPatternDestroy(pat);
    int rc = -1;
    FcChar8 *file;
    if (!font || !family_matches(font, family)) {
        snprintf(err, errlen, "font family \"%s\" not found by fontconfig", family);
    } else if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) {
        snprintf(err, errlen, "font family \"%s\": fontconfig gives no file", family);
    } else if (snprintf(path, pathlen, "%s", (const char *)file) >= (int)pathlen) {
        snprintf(err, errlen, "font family \"%s\": path too long", family);
    } else {
        if (FcPatternGetInteger(font, FC_INDEX, 0, index) != FcResultMatch) *index = 0;
        rc = 0;
    }
    if (font) FcPatternDestroy(font);
    return rc;
}

void fs_find_done(void) { FcFini(); }

/* --- faces ----------------------------------------------------------------- */

fs_face *fs_face_open(const char *path, int index, const char *label,
                      char *err, size_t errlen)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        snprintf(err, errlen, "%s: cannot read font file %s", label, path);
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    /* libharu reads only TrueType outlines: a CFF face (Noto CJK) would load
       and then draw nothing. */
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glyf_len = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    if (hb_face_get_glyph_count(face) == 0 || glyf_len == 0) {
        snprintf(err, errlen, "%s: %s (index %d) is not a TrueType (glyf) font", label, path, index);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return NULL;
    }
    fs_face *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "out of memory");
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return NULL;
    }
    f->blob = blob;
    f->face = face;
    f->font = hb_font_create(face);
    f->upem = hb_face_get_upem(face);
    hb_font_set_scale(f->font, (int)f->upem, (int)f->upem);
    f->index = index;
    f->path = strdup(path);
    const char *nf = getenv("ZHIBU_PDF_NO_FLATTEN");
    f->flatten = !(nf && *nf == '1');
    if (f->flatten && FT_Init_FreeType(&f->ft) != 0) {
        snprintf(err, errlen, "%s: FreeType cannot be initialised", label);
        fs_face_free(f);
        return NULL;
    }
    for (size_t i = 0; i < 65536; i++) f->adv[i] = ADV_UNKNOWN;
    return f;
}

void fs_face_free(fs_face *f)
{
    if (!f) return;
    if (f->ft) FT_Done_FreeType(f->ft);
    hb_font_destroy(f->font);
    hb_face_destroy(f->face);
    hb_blob_destroy(f->blob);
    free(f->path);
    free(f);
}

const char *fs_face_path(const fs_face *f) { return f->path; }
int fs_face_index(const fs_face *f) { return f->index; }

int fs_face_has(fs_face *f, uint32_t cp)
{
    hb_codepoint_t g;
    return hb_font_get_nominal_glyph(f->font, cp, &g) && g != 0;
}

int fs_face_advance(fs_face *f, uint32_t cp)
{
    if (cp > 0xFFFF) cp = 0xFFFD;
    if (f->adv[cp] != ADV_UNKNOWN) return f->adv[cp];
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(f->font, cp, &g)) g = 0;
    unsigned a = (unsigned)hb_font_get_glyph_h_advance(f->font, g);
    f->adv[cp] = (int16_t)(a * 1000 / f->upem);
    return f->adv[cp];
}

/* --- subsetting ------------------------------------------------------------ */

/* Tables libharu neither reads nor embeds: layout, vertical metrics and the
   embedded bitmaps AR PL fonts carry (those alone are megabytes). */
static const hb_tag_t dropped_tables[] = {
    HB_TAG('G', 'S', 'U', 'B'), HB_TAG('G', 'P', 'O', 'S'), HB_TAG('G', 'D', 'E', 'F'),
    HB_TAG('B', 'A', 'S', 'E'), HB_TAG('J', 'S', 'T', 'F'), HB_TAG('E', 'B', 'D', 'T'),
    HB_TAG('E', 'B', 'L', 'C'), HB_TAG('E', 'B', 'S', 'C'), HB_TAG('v', 'h', 'e', 'a'),
    HB_TAG('v', 'm', 't', 'x'), HB_TAG('V', 'O', 'R', 'G'), HB_TAG('g', 'a', 's', 'p'),
    HB_TAG('h', 'd', 'm', 'x'), HB_TAG('L', 'T', 'S', 'H'), HB_TAG('V', 'D', 'M', 'X'),
    HB_TAG('k', 'e', 'r', 'n'), HB_TAG('D', 'S', 'I', 'G'), HB_TAG('m', 'o', 'r', 'x'),
};

static hb_face_t *make_subset(fs_face *f, const fs_cpset *set)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (uint32_t w = 0; w < 65536 / 64; w++)
        for (uint64_t b = set->bits[w]; b; b &= b - 1)
            hb_set_add(u, w * 64 + (uint32_t)__builtin_ctzll(b));
    hb_set_t *drop = hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG);
    for (size_t i = 0; i < sizeof dropped_tables / sizeof dropped_tables[0]; i++)
        hb_set_add(drop, dropped_tables[i]);
    /* Hinting is for screens at small sizes; the PDF viewers do without, and
       it is a good part of the subset's bytes.  libharu writes empty cvt /
       fpgm / prep tables in its place. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_face_t *sub = hb_subset_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    return sub;
}

/* --- flattening composite glyphs ----------------------------------------- *
 * libharu embeds only the glyphs a text uses plus their direct components:
 * components of components are left out (in AR PL UMing / UKai: ü ǖ ǘ ǚ ǜ
 * lose their dots).  So every composite of the subset is replaced by a
 * simple glyph holding the outline FreeType resolves from it; libharu then
 * has nothing to follow.  Glyph ids, metrics and all other tables stay.
 */

typedef struct {
    unsigned char *p;
    size_t n, cap;
} bytes;

static void put(bytes *b, const void *src, size_t n)
{
    if (n == 0) return;
    if (b->n + n > b->cap) {
        size_t cap = b->cap ? b->cap : 4096;
        while (cap < b->n + n) cap *= 2;
        unsigned char *q = realloc(b->p, cap);
        if (!q) abort();
        b->p = q;
        b->cap = cap;
    }
    memcpy(b->p + b->n, src, n);
    b->n += n;
}

static void put16(bytes *b, int v)
{
    unsigned char x[2] = {(unsigned char)((unsigned)v >> 8), (unsigned char)v};
    put(b, x, 2);
}

static void put32(bytes *b, uint32_t v)
{
    put16(b, (int)(v >> 16));
    put16(b, (int)(v & 0xFFFF));
}

static unsigned rd16(const unsigned char *p) { return (unsigned)p[0] << 8 | p[1]; }
static uint32_t rd32(const unsigned char *p) { return (uint32_t)rd16(p) << 16 | rd16(p + 2); }

/* A TrueType simple glyph from a resolved outline: no instructions, every
   coordinate a 16-bit delta (small fonts; not worth the short forms). */
static void put_simple_glyph(bytes *b, const FT_Outline *o)
{
    if (o->n_points == 0) return;  /* empty glyph: zero length */
    FT_Pos x0 = o->points[0].x, x1 = x0, y0 = o->points[0].y, y1 = y0;
    for (int i = 1; i < o->n_points; i++) {
        if (o->points[i].x < x0) x0 = o->points[i].x;
        if (o->points[i].x > x1) x1 = o->points[i].x;
        if (o->points[i].y < y0) y0 = o->points[i].y;
        if (o->points[i].y > y1) y1 = o->points[i].y;
    }
    put16(b, o->n_contours);
    put16(b, (int)x0), put16(b, (int)y0), put16(b, (int)x1), put16(b, (int)y1);
    for (int i = 0; i < o->n_contours; i++) put16(b, o->contours[i]);
    put16(b, 0);
    for (int i = 0; i < o->n_points; i++) {
        unsigned char flag = FT_CURVE_TAG(o->tags[i]) == FT_CURVE_TAG_ON ? 1 : 0;
        put(b, &flag, 1);
    }
    for (int i = 0; i < o->n_points; i++) put16(b, (int)(o->points[i].x - (i ? o->points[i - 1].x : 0)));
    for (int i = 0; i < o->n_points; i++) put16(b, (int)(o->points[i].y - (i ? o->points[i - 1].y : 0)));
}

typedef struct {
    const unsigned char *glyf, *loca;
    unsigned glyf_len, loca_len, nglyphs;
    int long_loca;
} glyf_view;

/* Byte range of glyph gid; 0 when the tables are inconsistent. */
static int glyph_range(const glyf_view *g, unsigned gid, uint32_t *start, uint32_t *end)
{
    unsigned need = (gid + 2) * (g->long_loca ? 4u : 2u);
    if (need > g->loca_len) return 0;
    *start = g->long_loca ? rd32(g->loca + gid * 4) : 2 * rd16(g->loca + gid * 2);
    *end = g->long_loca ? rd32(g->loca + gid * 4 + 4) : 2 * rd16(g->loca + gid * 2 + 2);
    return *start <= *end && *end <= g->glyf_len;
}

static int is_composite(const glyf_view *g, unsigned gid)
{
    uint32_t s, e;
    return glyph_range(g, gid, &s, &e) && e - s >= 10 && (int16_t)rd16(g->glyf + s) < 0;
}

/* New glyf and loca (long offsets) with every composite made simple. */
static int rebuild_glyf(FT_Face ft, const glyf_view *g, bytes *glyf, bytes *loca, int *max_pts, int *max_cont)
{
    for (unsigned gid = 0; gid < g->nglyphs; gid++) {
        uint32_t s, e;
        put32(loca, (uint32_t)glyf->n);
        if (!glyph_range(g, gid, &s, &e)) return -1;
        if (!is_composite(g, gid)) {
            put(glyf, g->glyf + s, e - s);
        } else {
            if (FT_Load_Glyph(ft, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) != 0 ||
                ft->glyph->format != FT_GLYPH_FORMAT_OUTLINE)
                return -1;
            const FT_Outline *o = &ft->glyph->outline;
            put_simple_glyph(glyf, o);
            if (o->n_points > *max_pts) *max_pts = o->n_points;
            if (o->n_contours > *max_cont) *max_cont = o->n_contours;
        }
        while (glyf->n % 4) put(glyf, "", 1);
    }
    put32(loca, (uint32_t)glyf->n);
    return 0;
}

/* A copy of table `tag` with 16-bit fields patched: pairs of (offset, value). */
static hb_blob_t *patched(hb_face_t *face, hb_tag_t tag, const int *fix, int nfix)
{
    hb_blob_t *t = hb_face_reference_table(face, tag);
    unsigned len;
    const char *d = hb_blob_get_data(t, &len);
    unsigned char *c = malloc(len ? len : 1);
    if (!c) abort();
    memcpy(c, d, len);
    hb_blob_destroy(t);
    for (int i = 0; i < nfix; i++)
        if ((unsigned)fix[2 * i] + 2 <= len) {
            c[fix[2 * i]] = (unsigned char)((unsigned)fix[2 * i + 1] >> 8);
            c[fix[2 * i] + 1] = (unsigned char)fix[2 * i + 1];
        }
    return hb_blob_create((const char *)c, len, HB_MEMORY_MODE_WRITABLE, c, free);
}

static hb_blob_t *bytes_blob(bytes *b)
{
    unsigned char *p = b->p ? b->p : malloc(1);
    if (!p) abort();
    b->p = NULL;
    return hb_blob_create((const char *)p, (unsigned)b->n, HB_MEMORY_MODE_WRITABLE, p, free);
}

/* The subset font as bytes, composites flattened; NULL on failure. */
static hb_blob_t *flatten(fs_face *f, hb_face_t *builder)
{
    hb_blob_t *font = hb_face_reference_blob(builder);
    if (!f->flatten) return font;
    /* the subset comes as a builder face, which lists no tables: read its bytes */
    hb_face_t *sub = hb_face_create(font, 0);
    hb_blob_t *tglyf = hb_face_reference_table(sub, HB_TAG('g', 'l', 'y', 'f'));
    hb_blob_t *tloca = hb_face_reference_table(sub, HB_TAG('l', 'o', 'c', 'a'));
    hb_blob_t *thead = hb_face_reference_table(sub, HB_TAG('h', 'e', 'a', 'd'));
    glyf_view g = {0};
    unsigned head_len;
    const unsigned char *head = (const unsigned char *)hb_blob_get_data(thead, &head_len);
    g.glyf = (const unsigned char *)hb_blob_get_data(tglyf, &g.glyf_len);
    g.loca = (const unsigned char *)hb_blob_get_data(tloca, &g.loca_len);
    g.nglyphs = hb_face_get_glyph_count(sub);
    g.long_loca = head_len >= 54 && rd16(head + 50) == 1;
    int any = 0;
    for (unsigned gid = 0; gid < g.nglyphs && !any; gid++) any = is_composite(&g, gid);
    hb_blob_t *out = font;
    FT_Face ft = NULL;
    unsigned flen;
    const char *fdata = hb_blob_get_data(font, &flen);
    if (any && FT_New_Memory_Face(f->ft, (const FT_Byte *)fdata, (FT_Long)flen, 0, &ft) == 0) {
        bytes glyf = {0}, loca = {0};
        hb_blob_t *tmaxp = hb_face_reference_table(sub, HB_TAG('m', 'a', 'x', 'p'));
        unsigned maxp_len;
        const unsigned char *maxp = (const unsigned char *)hb_blob_get_data(tmaxp, &maxp_len);
        /* maxPoints / maxContours (version 1.0 maxp) must cover the new glyphs */
        int max_pts = maxp_len >= 10 ? (int)rd16(maxp + 6) : 0;
        int max_cont = maxp_len >= 10 ? (int)rd16(maxp + 8) : 0;
        hb_blob_destroy(tmaxp);
        if (rebuild_glyf(ft, &g, &glyf, &loca, &max_pts, &max_cont) == 0) {
            hb_face_t *b = hb_face_builder_create();
            hb_tag_t tags[64];
            unsigned n = 64;
            hb_face_get_table_tags(sub, 0, &n, tags);
            for (unsigned i = 0; i < n; i++) {
                hb_blob_t *t;
                if (tags[i] == HB_TAG('g', 'l', 'y', 'f')) t = bytes_blob(&glyf);
                else if (tags[i] == HB_TAG('l', 'o', 'c', 'a')) t = bytes_blob(&loca);
                else if (tags[i] == HB_TAG('h', 'e', 'a', 'd')) t = patched(sub, tags[i], (int[]){50, 1}, 1);
                else if (tags[i] == HB_TAG('m', 'a', 'x', 'p')) t = patched(sub, tags[i], (int[]){6, max_pts, 8, max_cont}, 2);
                else t = hb_face_reference_table(sub, tags[i]);
                hb_face_builder_add_table(b, tags[i], t);
                hb_blob_destroy(t);
            }
            out = hb_face_reference_blob(b);
            hb_face_destroy(b);
        }
        free(glyf.p);
        free(loca.p);
    }
    if (ft) FT_Done_Face(ft);
    if (out != font) hb_blob_destroy(font);
    else if (any) out = NULL;  /* composites we could not flatten: refuse */
    hb_blob_destroy(tglyf);
    hb_blob_destroy(tloca);
    hb_blob_destroy(thead);
    hb_face_destroy(sub);
    return out;
}

/* A memfd needs no disk and vanishes with the last descriptor; libharu opens
   it again by name through /proc.  Fall back to an unlinked-after-load file. */
static int open_tmp(fs_tmpfont *t)
{
    t->fd = memfd_create("zhibu-font", MFD_CLOEXEC);
    if (t->fd >= 0) {
        snprintf(t->path, sizeof t->path, "/proc/self/fd/%d", t->fd);
        if (access(t->path, R_OK) == 0) return 0;
        close(t->fd);
    }
    const char *dir = getenv("TMPDIR");
    snprintf(t->path, sizeof t->path, "%s/zhibu-font-XXXXXX", dir && *dir ? dir : "/tmp");
    t->fd = mkostemp(t->path, O_CLOEXEC);
    if (t->fd < 0) return -1;
    t->is_file = 1;
    return 0;
}

static int write_all(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            return -1;
        }
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/*
 * libharu 2.3.0 rewrites the font it embeds table by table in its fixed
 * order (…, post, prep) into a memory stream of 4 KB blocks, then seeks to
 * each table again for its checksum.  A table it cannot find is written as
 * an empty table at the current end; when that is 'prep' (the last one) and
 * the font so far is an exact multiple of 4 KB, the seek to the end points
 * past the last block and the whole document fails with HPDF_INVALID_OBJECT
 * (0x1033) — about one font in four thousand.  Subsets without hinting have
 * no 'prep', so give them a harmless one (PUSHB[0] 0, POP): never empty,
 * never at the end.
 */
static hb_blob_t *with_prep(hb_blob_t *font)
{
    hb_face_t *face = hb_face_create(font, 0);
    hb_blob_t *prep = hb_face_reference_table(face, HB_TAG('p', 'r', 'e', 'p'));
    hb_blob_t *out = font;
    if (hb_blob_get_length(prep) == 0) {
        static const char program[] = {(char)0xB0, 0x00, 0x21};
        hb_face_t *b = hb_face_builder_create();
        hb_tag_t tags[64];
        unsigned n = 64;
        hb_face_get_table_tags(face, 0, &n, tags);
        for (unsigned i = 0; i < n; i++) {
            hb_blob_t *t = hb_face_reference_table(face, tags[i]);
            hb_face_builder_add_table(b, tags[i], t);
            hb_blob_destroy(t);
        }
        hb_blob_t *p = hb_blob_create(program, sizeof program, HB_MEMORY_MODE_READONLY, NULL, NULL);
        hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), p);
        hb_blob_destroy(p);
        out = hb_face_reference_blob(b);
        hb_face_destroy(b);
        hb_blob_destroy(font);
    }
    hb_blob_destroy(prep);
    hb_face_destroy(face);
    return out;
}

int fs_subset_write(fs_face *f, const fs_cpset *set, fs_tmpfont *out,
                    char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    hb_face_t *sub = make_subset(f, set);
    if (!sub) {
        snprintf(err, errlen, "harfbuzz could not subset %s", f->path);
        return -1;
    }
    hb_blob_t *blob = flatten(f, sub);
    if (blob) blob = with_prep(blob);
    unsigned len = 0;
    const char *data = blob ? hb_blob_get_data(blob, &len) : NULL;
    int rc = -1;
    if (!blob) {
        snprintf(err, errlen, "cannot flatten the composite glyphs of %s", f->path);
    } else if (!len) {
        snprintf(err, errlen, "harfbuzz gave an empty subset of %s", f->path);
    } else if (open_tmp(out) != 0) {
        snprintf(err, errlen, "cannot create a temporary font file: %s", strerror(errno));
    } else if (write_all(out->fd, data, len) != 0) {
        snprintf(err, errlen, "cannot write a temporary font file: %s", strerror(errno));
        fs_tmpfont_release(out);
    } else {
        out->size = len;
        rc = 0;
    }
    hb_blob_destroy(blob);
    hb_face_destroy(sub);
    return rc;
}

void fs_tmpfont_release(fs_tmpfont *t)
{
    if (t->fd >= 0) close(t->fd);
    if (t->is_file) unlink(t->path);
    t->fd = -1;
    t->is_file = 0;
}
