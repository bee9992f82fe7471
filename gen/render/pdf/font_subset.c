/* font_subset.c — faces: fontconfig lookup, coverage, advances, font programs for libharu (see font_subset.h). */
#include "render/pdf/font_subset.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
#include <hb-ot.h>
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
    hb_font_t *font;    /* scale = units per em: advances in font units */
    hb_set_t *drop;     /* the face's tables libharu does not embed */
    unsigned upem;
    int index;
    char *path;
    char psname[64];    /* PostScript name (name id 6), PDF-name safe */
    char style[32];     /* subfamily (name id 2), e.g. Light */
    char family[64];    /* family (name id 1) */
    int16_t adv[65536]; /* lazily filled cache, 1/1000 em */
};

/* --- sets of code points --------------------------------------------------- */

void fs_cpset_clear(fs_cpset *s)
{
    if (s->count > s->nastral) memset(s->bits, 0, sizeof s->bits);
    s->nastral = 0;
    s->count = 0;
}

void fs_cpset_free(fs_cpset *s)
{
    free(s->astral);
    memset(s, 0, sizeof *s);
}

size_t fs_cp_index(const uint32_t *cps, size_t n, uint32_t cp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (cps[mid] < cp) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

/* Index of the first astral entry >= cp. */
static size_t astral_at(const fs_cpset *s, uint32_t cp) { return fs_cp_index(s->astral, s->nastral, cp); }

void fs_cpset_add(fs_cpset *s, uint32_t cp)
{
    if (cp <= 0xFFFF) {
        uint64_t bit = (uint64_t)1 << (cp & 63);
        if (!(s->bits[cp >> 6] & bit)) {
            s->bits[cp >> 6] |= bit;
            s->count++;
        }
        return;
    }
    size_t at = astral_at(s, cp);
    if (at < s->nastral && s->astral[at] == cp) return;
    if (s->nastral == s->capastral) {
        size_t cap = s->capastral ? s->capastral * 2 : 16;
        uint32_t *v = realloc(s->astral, cap * sizeof *v);
        if (!v) abort();
        s->astral = v;
        s->capastral = cap;
    }
    memmove(s->astral + at + 1, s->astral + at, (s->nastral - at) * sizeof *s->astral);
    s->astral[at] = cp;
    s->nastral++;
    s->count++;
}

int fs_cpset_has(const fs_cpset *s, uint32_t cp)
{
    if (cp <= 0xFFFF) return s->bits[cp >> 6] >> (cp & 63) & 1;
    size_t at = astral_at(s, cp);
    return at < s->nastral && s->astral[at] == cp;
}

void fs_cpset_list(const fs_cpset *s, uint32_t *out)
{
    size_t n = 0, bmp = s->count - s->nastral;
    for (uint32_t w = 0; w < 65536 / 64 && n < bmp; w++)
        for (uint64_t b = s->bits[w]; b; b &= b - 1) out[n++] = w * 64 + (uint32_t)__builtin_ctzll(b);
    if (s->nastral) memcpy(out + n, s->astral, s->nastral * sizeof *out);
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
        snprintf(err, errlen, "fontconfig 无法初始化");
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
        snprintf(err, errlen, "本机没有字体“%s”（fontconfig 找不到这个字族名；fc-list 列出已安装的字体）", family);
    } else if (FcPatternGetString(font, FC_FILE, 0, &file) != FcResultMatch) {
        snprintf(err, errlen, "字体“%s”：fontconfig 没有给出字体文件", family);
    } else if (snprintf(path, pathlen, "%s", (const char *)file) >= (int)pathlen) {
        snprintf(err, errlen, "字体“%s”：文件路径太长", family);
    } else {
        if (FcPatternGetInteger(font, FC_INDEX, 0, index) != FcResultMatch) *index = 0;
        rc = 0;
    }
    if (font) FcPatternDestroy(font);
    return rc;
}

void fs_find_done(void) { FcFini(); }

/* --- faces ----------------------------------------------------------------- */

/* The tables libharu embeds (hpdf_fontdef_tt.c, REQUIRED_TAGS) that the
   subset takes from the face; cmap, name and prep are made here, cvt and
   fpgm go with the hinting. */
static const hb_tag_t kept_tables[] = {
    HB_TAG('O', 'S', '/', '2'), HB_TAG('g', 'l', 'y', 'f'), HB_TAG('h', 'e', 'a', 'd'),
    HB_TAG('h', 'h', 'e', 'a'), HB_TAG('h', 'm', 't', 'x'), HB_TAG('l', 'o', 'c', 'a'),
    HB_TAG('m', 'a', 'x', 'p'), HB_TAG('p', 'o', 's', 't'),
};

static int kept(hb_tag_t t)
{
    for (size_t i = 0; i < sizeof kept_tables / sizeof kept_tables[0]; i++)
        if (kept_tables[i] == t) return 1;
    return 0;
}

/* A name of the face (English), reduced to characters that are safe in a
   PDF name and in libharu's BaseFont; `fallback` when there is none. */
static void face_name(hb_face_t *face, hb_ot_name_id_t id, char *out, size_t n, const char *fallback)
{
    char buf[256];
    unsigned len = sizeof buf;
    buf[0] = 0;
    if (hb_ot_name_get_utf8(face, id, hb_language_from_string("en", -1), &len, buf) == 0)
        buf[0] = 0;
    size_t k = 0;
    for (const char *p = buf; *p && k + 1 < n; p++)
        if ((*p >= 'A' && *p <= 'Z') || (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-' ||
            *p == '_' || *p == '.')
            out[k++] = *p;
    out[k] = 0;
    if (!k) snprintf(out, n, "%s", fallback);
}

fs_face *fs_face_open(const char *path, int index, const char *label,
                      char *err, size_t errlen)
{
    hb_blob_t *blob = hb_blob_create_from_file_or_fail(path);
    if (!blob) {
        snprintf(err, errlen, "%s：无法读取字体文件 %s", label, path);
        return NULL;
    }
    hb_face_t *face = hb_face_create(blob, (unsigned)index);
    /* libharu reads only TrueType outlines: a CFF face (Noto CJK) would load
       and then draw nothing. */
    hb_blob_t *glyf = hb_face_reference_table(face, HB_TAG('g', 'l', 'y', 'f'));
    unsigned glyf_len = hb_blob_get_length(glyf);
    hb_blob_destroy(glyf);
    if (hb_face_get_glyph_count(face) == 0 || glyf_len == 0) {
        snprintf(err, errlen, "%s（%s）不是 TrueType 字体：PDF 库只能嵌入 TrueType 轮廓", label, path);
        hb_face_destroy(face);
        hb_blob_destroy(blob);
        return NULL;
    }
    fs_face *f = calloc(1, sizeof *f);
    if (!f) {
        snprintf(err, errlen, "内存不足");
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
    /* every table but the kept ones is dropped before subsetting: no layout
       closure, no bitmaps (AR PL fonts carry megabytes of them) */
    f->drop = hb_set_create();
    hb_tag_t tags[64];
    unsigned start = 0, n;
    do {
        n = sizeof tags / sizeof tags[0];
        hb_face_get_table_tags(face, start, &n, tags);
        for (unsigned i = 0; i < n; i++)
            if (!kept(tags[i])) hb_set_add(f->drop, tags[i]);
        start += n;
    } while (n == sizeof tags / sizeof tags[0]);
    face_name(face, HB_OT_NAME_ID_POSTSCRIPT_NAME, f->psname, 48, "zhibu-font");
    face_name(face, HB_OT_NAME_ID_FONT_SUBFAMILY, f->style, sizeof f->style, "Regular");
    face_name(face, HB_OT_NAME_ID_FONT_FAMILY, f->family, 48, f->psname);
    for (size_t i = 0; i < 65536; i++) f->adv[i] = ADV_UNKNOWN;
    return f;
}

void fs_face_free(fs_face *f)
{
    if (!f) return;
    hb_set_destroy(f->drop);
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

static int advance_of(fs_face *f, uint32_t cp)
{
    hb_codepoint_t g = 0;
    if (!hb_font_get_nominal_glyph(f->font, cp, &g)) g = 0;
    unsigned a = (unsigned)hb_font_get_glyph_h_advance(f->font, g);
    return (int)(a * 1000 / f->upem);
}

int fs_face_advance(fs_face *f, uint32_t cp)
{
    if (cp > 0xFFFF) return advance_of(f, cp);
    if (f->adv[cp] == ADV_UNKNOWN) f->adv[cp] = (int16_t)advance_of(f, cp);
    return f->adv[cp];
}

/* --- bytes ------------------------------------------------------------------ */

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


static hb_blob_t *bytes_blob(bytes *b)
{
    unsigned char *p = b->p ? b->p : malloc(1);
    if (!p) abort();
    b->p = NULL;
    return hb_blob_create((const char *)p, (unsigned)b->n, HB_MEMORY_MODE_WRITABLE, p, free);
}

/* --- subsetting ------------------------------------------------------------ */

/* The harfbuzz subset of exactly cps[], and each one's glyph in it. */
static hb_face_t *make_subset(fs_face *f, const uint32_t *cps, size_t n, uint16_t *gids)
{
    hb_subset_input_t *in = hb_subset_input_create_or_fail();
    if (!in) return NULL;
    hb_set_t *u = hb_subset_input_unicode_set(in);
    for (size_t i = 0; i < n; i++) hb_set_add(u, cps[i]);
    hb_set_union(hb_subset_input_set(in, HB_SUBSET_SETS_DROP_TABLE_TAG), f->drop);
    /* Hinting is for screens at small sizes; the PDF viewers do without, and
       it is a good part of the subset's bytes. */
    hb_subset_input_set_flags(in, HB_SUBSET_FLAGS_NO_HINTING);
    hb_subset_plan_t *plan = hb_subset_plan_create_or_fail(f->face, in);
    hb_subset_input_destroy(in);
    if (!plan) return NULL;
    hb_face_t *sub = hb_subset_plan_execute_or_fail(plan);
    const hb_map_t *to_old = hb_subset_plan_unicode_to_old_glyph_mapping(plan);
    const hb_map_t *to_new = hb_subset_plan_old_to_new_glyph_mapping(plan);
    for (size_t i = 0; sub && i < n; i++) {
        hb_codepoint_t g = hb_map_get(to_new, hb_map_get(to_old, cps[i]));
        gids[i] = g == HB_MAP_VALUE_INVALID || g > 0xFFFF ? 0 : (uint16_t)g;
    }
    hb_subset_plan_destroy(plan);
    return sub;
}

/*
 * cmap: one (3,1) format 4 subtable mapping codes[i] to gids[i].  Codes come
 * in runs of consecutive values (render_pdf.c numbers them so); each run is
 * a segment reading its glyphs from glyphIdArray, and the table ends with
 * the 0xFFFF segment the format requires (libharu's lookup needs it too).
 */
static hb_blob_t *make_cmap(const uint16_t *codes, const uint16_t *gids, size_t n)
{
    size_t nseg = 1;
    for (size_t i = 1; i <= n; i++)
        if (i == n || codes[i] != codes[i - 1] + 1) nseg++;
    if (n == 0) nseg = 1;
    bytes b = {0};
    put16(&b, 0);   /* version */
    put16(&b, 1);   /* one subtable */
    put16(&b, 3), put16(&b, 1), put32(&b, 12);
    unsigned len = (unsigned)(16 + 8 * nseg + 2 * n);
    unsigned sr = 2, es = 0;
    while (sr * 2 <= 2 * nseg) sr *= 2, es++;
    put16(&b, 4), put16(&b, (int)len), put16(&b, 0);
    put16(&b, (int)(2 * nseg)), put16(&b, (int)sr), put16(&b, (int)es), put16(&b, (int)(2 * nseg - sr));
    size_t *first = malloc((nseg + 1) * sizeof *first);
    if (!first) abort();
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (i == 0 || codes[i] != codes[i - 1] + 1) first[k++] = i;
    first[k] = n;   /* k == nseg - 1 */
    for (size_t s = 0; s < k; s++) put16(&b, codes[first[s + 1] - 1]);   /* endCode */
    put16(&b, 0xFFFF);
    put16(&b, 0);                                                          /* reservedPad */
    for (size_t s = 0; s < k; s++) put16(&b, codes[first[s]]);            /* startCode */
    put16(&b, 0xFFFF);
    for (size_t s = 0; s < k; s++) put16(&b, 0);                          /* idDelta */
    put16(&b, 1);
    /* idRangeOffset: bytes from this entry to the segment's first glyph id */
    for (size_t s = 0; s < k; s++) put16(&b, (int)(2 * (nseg - s) + 2 * first[s]));
    put16(&b, 0);
    for (size_t i = 0; i < n; i++) put16(&b, gids[i]);
    free(first);
    return bytes_blob(&b);
}

/* name: the family, style and PostScript name in the two encodings libharu
   reads (Macintosh Roman, Windows Unicode).  libharu names the PDF font
   after "PostScriptName,Style" and keeps one font per name in a document. */
static hb_blob_t *make_name(const fs_face *f, const char *suffix)
{
    char ps[96];
    snprintf(ps, sizeof ps, "%s%s", f->psname, suffix);
    const char *text[3] = {f->family, f->style, ps};
    static const int ids[3] = {1, 2, 6};
    bytes b = {0}, str = {0};
    put16(&b, 0), put16(&b, 6), put16(&b, 6 + 12 * 6);
    for (int plat = 0; plat < 2; plat++)
        for (int i = 0; i < 3; i++) {
            size_t len = strlen(text[i]), at = str.n;
            if (plat == 0) {
                put(&str, text[i], len);
            } else {
                for (size_t k = 0; k < len; k++) put16(&str, (unsigned char)text[i][k]);
                len *= 2;
            }
            put16(&b, plat ? 3 : 1), put16(&b, plat ? 1 : 0), put16(&b, plat ? 0x409 : 0);
            put16(&b, ids[i]), put16(&b, (int)len), put16(&b, (int)at);
        }
    put(&b, str.p, str.n);
    free(str.p);
    return bytes_blob(&b);
}

/*
 * libharu 2.3.0 rewrites the font it embeds table by table in its fixed
 * order (…, post, prep) into a memory stream of 4 KB blocks, then seeks to
 * each table again for its checksum.  A table it cannot find is written as
 * an empty table at the current end; when that is 'prep' (the last one) and
 * the font so far is an exact multiple of 4 KB, the seek to the end points
 * past the last block and the whole document fails with HPDF_INVALID_OBJECT
 * (0x1033) — about one font in four thousand.  The renderer embeds the
 * subsets as they are (render_pdf.c, attach_program), but libharu's own
 * embedding is still what the glyph test's negative control uses, so every
 * font keeps a harmless 'prep' (PUSHB[0] 0, POP): never empty, never last.
 */
static const char prep_program[] = {(char)0xB0, 0x00, 0x21};

/* The font program of cps[] with codes[] as its cmap; NULL with a message. */
static hb_blob_t *build_font(fs_face *f, const uint32_t *cps, const uint16_t *codes, size_t n,
                             const char *suffix, char *err, size_t errlen)
{
    uint16_t *gids = calloc(n ? n : 1, sizeof *gids);
    if (!gids) abort();
    hb_face_t *builder = make_subset(f, cps, n, gids);
    if (!builder) {
        snprintf(err, errlen, "harfbuzz 无法取 %s 的子集", f->path);
        free(gids);
        return NULL;
    }
    /* the subset comes as a builder face, which lists no tables: read its bytes */
    hb_blob_t *font = hb_face_reference_blob(builder);
    hb_face_destroy(builder);
    hb_face_t *sub = hb_face_create(font, 0);
    hb_blob_t *out = NULL;
    for (size_t i = 0; i < n; i++)
        if (!gids[i]) {
            snprintf(err, errlen, "%s 的子集缺少 U+%04X 的字形", f->path, (unsigned)cps[i]);
            goto done;
        }
    hb_face_t *b = hb_face_builder_create();
    for (size_t i = 0; i < sizeof kept_tables / sizeof kept_tables[0]; i++) {
        hb_blob_t *t = hb_face_reference_table(sub, kept_tables[i]);
        if (hb_blob_get_length(t)) hb_face_builder_add_table(b, kept_tables[i], t);
        hb_blob_destroy(t);
    }
    hb_blob_t *t = make_cmap(codes, gids, n);
    hb_face_builder_add_table(b, HB_TAG('c', 'm', 'a', 'p'), t);
    hb_blob_destroy(t);
    t = make_name(f, suffix);
    hb_face_builder_add_table(b, HB_TAG('n', 'a', 'm', 'e'), t);
    hb_blob_destroy(t);
    t = hb_blob_create(prep_program, sizeof prep_program, HB_MEMORY_MODE_READONLY, NULL, NULL);
    hb_face_builder_add_table(b, HB_TAG('p', 'r', 'e', 'p'), t);
    hb_blob_destroy(t);
    out = hb_face_reference_blob(b);
    hb_face_destroy(b);
    if (!hb_blob_get_length(out)) {
        snprintf(err, errlen, "harfbuzz 给出的 %s 子集是空的", f->path);
        hb_blob_destroy(out);
        out = NULL;
    }
done:
    hb_face_destroy(sub);
    hb_blob_destroy(font);
    free(gids);
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

static int write_all(int fd, const unsigned char *p, size_t n)
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

int fs_subset_build(fs_face *f, const uint32_t *cps, const uint16_t *codes, size_t n, const char *suffix,
                    unsigned char **data, size_t *len, char *err, size_t errlen)
{
    hb_blob_t *blob = build_font(f, cps, codes, n, suffix, err, errlen);
    if (!blob) return -1;
    unsigned l = 0;
    const char *d = hb_blob_get_data(blob, &l);
    *data = malloc(l ? l : 1);
    if (!*data) abort();
    memcpy(*data, d, l);
    *len = l;
    hb_blob_destroy(blob);
    return 0;
}

int fs_tmpfont_write(const void *data, size_t len, fs_tmpfont *out, char *err, size_t errlen)
{
    memset(out, 0, sizeof *out);
    out->fd = -1;
    if (open_tmp(out) != 0) {
        snprintf(err, errlen, "无法建立临时字体文件：%s", strerror(errno));
        return -1;
    }
    if (write_all(out->fd, data, len) != 0) {
        snprintf(err, errlen, "无法写入临时字体文件：%s", strerror(errno));
        fs_tmpfont_release(out);
        return -1;
    }
    return 0;
}

void fs_tmpfont_release(fs_tmpfont *t)
{
    if (t->fd >= 0) close(t->fd);
    if (t->is_file) unlink(t->path);
    t->fd = -1;
    t->is_file = 0;
}
