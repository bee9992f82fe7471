/* font_subset.c — CJK faces: fontconfig lookup, advances, hb-subset (see font_subset.h). */
#include "font_subset.h"

#include <errno.h>
#include <fcntl.h>
#include <fontconfig/fontconfig.h>
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
    for (size_t i = 0; i < 65536; i++) f->adv[i] = ADV_UNKNOWN;
    return f;
}

void fs_face_free(fs_face *f)
{
    if (!f) return;
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
    hb_blob_t *blob = hb_face_reference_blob(sub);
    unsigned len;
    const char *data = hb_blob_get_data(blob, &len);
    int rc = -1;
    if (!len) {
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
