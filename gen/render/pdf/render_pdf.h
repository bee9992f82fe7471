/*
 * render_pdf.h — render a report (rdoc, see report.h) as a PDF for filing.
 *
 * Layout after GB/T 9704 (A4, top margin 37 mm, binding margin 28 mm, text
 * block 156 x 225 mm; landscape sections use the same frame turned), title
 * in Song made heavier, headings in Hei / Kai, body in Song (no free
 * TrueType 仿宋 exists), tables with repeated header rows, vector charts,
 * page numbers "— N —" alternating right / left.  See doc/pdf.md.
 *
 * Fonts: three TrueType faces (Song, Hei, Kai), a Latin face for the digits
 * and letters of Song and Kai, and a fallback chain found
 * through fontconfig once, kept in memory for the whole run.  Each
 * character is drawn from the first face of its style's chain that has it
 * (the style's face, then the fallbacks in order), characters above U+FFFF
 * included; every document embeds subsets holding just the characters it
 * draws, with a ToUnicode map that gives every character back.  Output is
 * reproducible byte for byte: the document dates come from rdoc.date,
 * never from the clock.
 *
 * Typical use, one context for many documents:
 *
 *     const char *fb[] = {"BabelStone Han", "HanaMinA", "HanaMinB"};
 *     pdf_font_names names = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN", fb, 3,
 *                             "Liberation Serif"};
 *     char err[256];
 *     pdf_ctx *ctx = pdf_ctx_new(&names, err, sizeof err);
 *     if (!ctx) die(err);
 *     for (each report)
 *         if (pdf_render(ctx, doc, tmp_path, err, sizeof err) != 0) warn(err);
 *     pdf_ctx_free(ctx);
 *
 * A context is not thread-safe: use one per thread (or open it before
 * fork(): the faces are read-only mappings of the font files).
 */
#ifndef ZHIBU_RENDER_PDF_H
#define ZHIBU_RENDER_PDF_H

#include <stddef.h>
#include <stdint.h>
#include "model/report.h"

typedef struct pdf_ctx pdf_ctx;

/** fontconfig family names: the three styles' faces ([fonts] song, hei,
    kai) and the fallback chain ([fonts] fallback), in order. */
typedef struct {
    const char *song; /* body, title, tables: e.g. "AR PL UMing CN"      */
    const char *hei;  /* level-1 headings, table headers: "WenQuanYi Zen Hei" */
    const char *kai;  /* level-2 headings, subtitle: "AR PL UKai CN"      */
    const char *const *fallback; /* e.g. "BabelStone Han", "HanaMinA", "HanaMinB" */
    int nfallback;
    /* digits, Latin letters and ASCII punctuation of the Song and Kai styles
       ([fonts] latin): e.g. "Liberation Serif"; NULL or "": the styles'
       own faces draw them */
    const char *latin;
} pdf_font_names;

/**
 * Find the families through fontconfig and load each face once.
 * Families whose composite glyphs libharu breaks (Droid Sans Fallback,
 * WenQuanYi Micro Hei), missing families and non-TrueType faces are
 * refused.  Returns NULL with a message (Chinese) naming the family and its
 * [fonts] key in err.
 */
pdf_ctx *pdf_ctx_new(const pdf_font_names *names, char *err, size_t errlen);

/**
 * Like pdf_ctx_new, but from font files and face indexes: paths[0..2] the
 * Song, Hei and Kai faces, paths[3..nfaces) the fallback chain; without
 * fontconfig and without the list of refused fonts.  For tests (the
 * composite-glyph check proves it catches a known-bad font).
 */
pdf_ctx *pdf_ctx_new_files(const char *const *paths, const int *indexes, int nfaces,
                           char *err, size_t errlen);

/**
 * Check that each style's own face (not its fallbacks) has every Chinese
 * character and punctuation mark of `text` — the wording of the reports
 * (template texts), which the caller gathers.  A face made for Latin text
 * fails.  Returns 0, or -1 with a message naming the [fonts] key, the
 * family and the first missing character.
 */
int pdf_ctx_check_wording(pdf_ctx *ctx, const char *text, char *err, size_t errlen);

/** 1 when every style can draw cp (its face or a fallback has it); 0 when
    some style would draw the substitute 〓. */
int pdf_ctx_covers(pdf_ctx *ctx, uint32_t cp);

/**
 * Render doc into the file `path` (written as is: the caller writes to a
 * temporary name and renames).  Returns 0, or -1 with a message in err; on
 * error a partial file may be left at `path`.
 *
 * Characters no face of the style has are drawn as 〓 (U+3013, the geta
 * mark Chinese typesetting uses for a missing character); control
 * characters are dropped and invalid UTF-8 is drawn as 〓.  A text longer
 * than 2,000 characters (a table cell, a paragraph) is cut there and
 * followed by doc->cut_note (default "（内容过长，以下从略，全文见工作簿）").
 */
int pdf_render(pdf_ctx *ctx, const rdoc *doc, const char *path, char *err, size_t errlen);

/** Free the context (NULL is fine). */
void pdf_ctx_free(pdf_ctx *ctx);

#endif
