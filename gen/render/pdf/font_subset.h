/*
 * font_subset.h — the faces of the PDF renderer: fontconfig lookup, glyph
 * coverage and advances, and per-document font programs built with
 * harfbuzz for libharu.
 *
 * A face is opened once per process (the hb_face_t and its blob stay in
 * memory), because a city run renders thousands of PDFs: per document only
 * the subsets are made.  libharu 2.3.0 can load fonts from files only, so a
 * subset is handed over as a memfd seen through /proc/self/fd/N (or, where
 * that is not possible, a temporary file that is unlinked as soon as the
 * font has been loaded).
 *
 * A subset is shaped for the renderer's own libharu encoder (render_pdf.c):
 * its cmap maps small 16-bit codes — not Unicode — to its glyphs, so any
 * character (above U+FFFF too) is one code, and libharu's per-font tables
 * (CIDToGIDMap, /W) stay as small as the document's character set.
 */
#ifndef ZHIBU_FONT_SUBSET_H
#define ZHIBU_FONT_SUBSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct fs_face fs_face;

/** A set of code points: the BMP in a bitmap, the rest in a sorted array. */
typedef struct {
    uint64_t bits[65536 / 64];
    uint32_t *astral;
    size_t nastral, capastral;
    unsigned count;
} fs_cpset;

/** Empty the set (its memory is kept for reuse). */
void fs_cpset_clear(fs_cpset *s);
/** Release the set's memory. */
void fs_cpset_free(fs_cpset *s);
void fs_cpset_add(fs_cpset *s, uint32_t cp);
/** 1 when cp is in the set. */
int fs_cpset_has(const fs_cpset *s, uint32_t cp);
/** Write the set's count code points in ascending order to out. */
void fs_cpset_list(const fs_cpset *s, uint32_t *out);
/** Index of the first of the ascending cps[0..n) that is >= cp (n when
    none): where cp is, or would go. */
size_t fs_cp_index(const uint32_t *cps, size_t n, uint32_t cp);

/**
 * Find a font family through fontconfig.  Only an exact family match is
 * accepted (fontconfig would otherwise substitute any face, silently).
 * Writes the file and its face index in a collection.  Returns 0, or -1
 * with a message (in Chinese, naming the family) in err.
 */
int fs_find_family(const char *family, char *path, size_t pathlen, int *index,
                   char *err, size_t errlen);

/**
 * Release fontconfig's global state once the lookups are done (fonts are
 * looked up once per run; this also keeps leak checkers quiet, as
 * fontconfig's configuration is otherwise never freed).
 */
void fs_find_done(void);

/**
 * Open face `index` of a TrueType file or collection.  `label` names the face
 * in messages.  Returns NULL with a message when the file cannot be read,
 * is not TrueType-flavoured (libharu reads no CFF) or has no glyphs.
 */
fs_face *fs_face_open(const char *path, int index, const char *label,
                      char *err, size_t errlen);
void fs_face_free(fs_face *f);

/** 1 when the face maps the code point to a glyph. */
int fs_face_has(fs_face *f, uint32_t cp);
/**
 * Advance width of a code point in 1/1000 em, computed exactly as libharu
 * does (advance * 1000 / units_per_em, truncated), so that measured lines
 * match what libharu draws.  Missing characters measure as the .notdef glyph.
 */
int fs_face_advance(fs_face *f, uint32_t cp);
/** Path and index the face was opened from. */
const char *fs_face_path(const fs_face *f);
int fs_face_index(const fs_face *f);

/**
 * Build the font program of the n characters cps[] (each one the face has):
 *   - a harfbuzz subset holding exactly their glyphs (plus .notdef and the
 *     components of composite glyphs), without the tables libharu does not
 *     embed and without hinting;
 *   - a cmap (3,1) format 4 that maps codes[i] to the glyph of cps[i]
 *     (codes ascending, none of them 0xFFFF);
 *   - a name table whose PostScript name carries `suffix` (libharu keeps one
 *     font per name in a document: two subsets of one face need two names);
 *   - a small 'prep' table (see prep_program in font_subset.c).
 * Returns 0 with the bytes in *data (malloc'd, the caller frees them), or
 * -1 with a message.
 */
int fs_subset_build(fs_face *f, const uint32_t *cps, const uint16_t *codes, size_t n, const char *suffix,
                    unsigned char **data, size_t *len, char *err, size_t errlen);

/** A font file on its way to libharu, which loads fonts from files only. */
typedef struct {
    int fd;            /* memfd or temporary file; -1 when none */
    int is_file;       /* 1: `path` is a real file to unlink */
    char path[128];    /* what to hand to HPDF_LoadTTFontFromFile */
} fs_tmpfont;

/**
 * Write len bytes where libharu can load them (a memfd seen through
 * /proc/self/fd/N, else a temporary file).  Returns 0, or -1 with a
 * message.  Call fs_tmpfont_release() once the font is loaded (libharu
 * keeps its own descriptor until the document is freed).
 */
int fs_tmpfont_write(const void *data, size_t len, fs_tmpfont *out, char *err, size_t errlen);
void fs_tmpfont_release(fs_tmpfont *t);

#endif
