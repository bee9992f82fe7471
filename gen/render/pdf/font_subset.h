/*
 * font_subset.h — the CJK faces of the PDF renderer: fontconfig lookup,
 * glyph advances, and per-document subsetting with harfbuzz.
 *
 * A face is opened once per process (the hb_face_t and its blob stay in
 * memory), because a city run renders thousands of PDFs: per document only
 * the subset is made.  libharu 2.3.0 can load fonts from files only, so a
 * subset is handed over as a memfd seen through /proc/self/fd/N (or, where
 * that is not possible, a temporary file that is unlinked as soon as the
 * font has been loaded).
 *
 * Only the Basic Multilingual Plane is handled: libharu's UTF-8 encoder
 * turns anything above U+FFFF into a space, so callers substitute those
 * characters before measuring or drawing (see render_pdf.c).
 */
#ifndef ZHIBU_FONT_SUBSET_H
#define ZHIBU_FONT_SUBSET_H

#include <stddef.h>
#include <stdint.h>

typedef struct fs_face fs_face;

/** A set of BMP code points (the characters one face draws in a document). */
typedef struct {
    uint64_t bits[65536 / 64];
    unsigned count;
} fs_cpset;

/** Empty the set. */
void fs_cpset_clear(fs_cpset *s);
/** Add a BMP code point (values above U+FFFF are ignored). */
void fs_cpset_add(fs_cpset *s, uint32_t cp);
/** 1 when cp is in the set. */
int fs_cpset_has(const fs_cpset *s, uint32_t cp);

/**
 * Find a font family through fontconfig.  Only an exact family match is
 * accepted (fontconfig would otherwise substitute any CJK face, silently).
 * Writes the file and its face index in a collection.  Returns 0, or -1 with
 * a message in err.
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

/** A subset font on its way to libharu. */
typedef struct {
    int fd;            /* memfd or temporary file; -1 when none */
    int is_file;       /* 1: `path` is a real file to unlink */
    char path[128];    /* what to hand to HPDF_LoadTTFontFromFile */
    size_t size;       /* bytes of the subset font */
} fs_tmpfont;

/**
 * Subset the face to exactly the code points in `set` (plus .notdef; the
 * glyphs composites need are kept by harfbuzz's closure), drop the tables
 * libharu does not use, and write the result where libharu can load it.
 * Returns 0, or -1 with a message.  Call fs_tmpfont_release() once the font
 * is loaded (libharu keeps its own descriptor open until the document is
 * freed, so the data stays reachable).
 */
int fs_subset_write(fs_face *f, const fs_cpset *set, fs_tmpfont *out,
                    char *err, size_t errlen);
void fs_tmpfont_release(fs_tmpfont *t);

#endif
