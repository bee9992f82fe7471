/*
 * render_pdf.h — render a report (rdoc, see report.h) as a PDF for filing.
 *
 * Layout after GB/T 9704 (A4, top margin 37 mm, binding margin 28 mm, text
 * block 156 x 225 mm; landscape sections use the same frame turned), title
 * in Song made heavier, headings in Hei / Kai, body in Song (no free
 * TrueType 仿宋 exists), tables with repeated header rows, vector charts,
 * page numbers "— N —" alternating right / left.  See doc/pdf.md.
 *
 * Fonts: three TrueType faces found through fontconfig once, kept in memory
 * for the whole run; every document embeds subsets (harfbuzz) holding just
 * the characters it draws.  Output is reproducible byte for byte: the
 * document dates come from rdoc.date, never from the clock.
 *
 * Typical use, one context for many documents:
 *
 *     pdf_font_names names = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN"};
 *     char err[256];
 *     pdf_ctx *ctx = pdf_ctx_new(&names, err, sizeof err);
 *     if (!ctx) die(err);
 *     for (each report)
 *         if (pdf_render(ctx, doc, tmp_path, err, sizeof err) != 0) warn(err);
 *     pdf_ctx_free(ctx);
 *
 * A context is not thread-safe: use one per thread.
 */
#ifndef ZHIBU_RENDER_PDF_H
#define ZHIBU_RENDER_PDF_H

#include <stddef.h>
#include "model/report.h"

typedef struct pdf_ctx pdf_ctx;

/** fontconfig family names of the three faces (the [fonts] keys song, hei, kai). */
typedef struct {
    const char *song; /* body, title, tables: e.g. "AR PL UMing CN"      */
    const char *hei;  /* level-1 headings, table headers: "WenQuanYi Zen Hei" */
    const char *kai;  /* level-2 headings, subtitle: "AR PL UKai CN"      */
} pdf_font_names;

/**
 * Find the three families through fontconfig and load each face once.
 * Families whose composite glyphs libharu breaks (Droid Sans Fallback,
 * WenQuanYi Micro Hei) and non-TrueType faces are refused.  Returns NULL
 * with a message naming the family and its [fonts] key in err.
 */
pdf_ctx *pdf_ctx_new(const pdf_font_names *names, char *err, size_t errlen);

/**
 * Like pdf_ctx_new, but from font files and face indexes (song, hei, kai),
 * without fontconfig and without the list of refused fonts.  For tests
 * (the composite-glyph check proves it catches a known-bad font).
 */
pdf_ctx *pdf_ctx_new_files(const char *const paths[3], const int indexes[3],
                           char *err, size_t errlen);

/**
 * Render doc into the file `path` (written as is: the caller writes to a
 * temporary name and renames).  Returns 0, or -1 with a message in err; on
 * error a partial file may be left at `path`.
 *
 * Characters the faces cannot draw — those above U+FFFF (libharu would
 * print a space) and those missing from the face — are drawn as 〓 (U+3013,
 * the geta mark Chinese typesetting uses for a missing character);
 * control characters are dropped and invalid UTF-8 is drawn as 〓.
 */
int pdf_render(pdf_ctx *ctx, const rdoc *doc, const char *path, char *err, size_t errlen);

/** Free the context (NULL is fine). */
void pdf_ctx_free(pdf_ctx *ctx);

#endif
