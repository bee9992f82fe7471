/*
 * text_wrap.h — line breaking for Chinese (and mixed) text by measured width.
 *
 * Break opportunities come from ICU's line break iterator (UAX #14, locale
 * "zh"), which already keeps closing punctuation (，。、；：？！）」》…) off
 * the start of a line and opening punctuation (（《「“) off its end.  When a
 * single unbreakable run is wider than the line, it is cut between
 * characters, still obeying those two rules (禁则).
 *
 * The module knows nothing of fonts: the caller measures.  Example:
 *
 *     tw_breaker *b = tw_breaker_new(err, sizeof err);
 *     tw_lines lines = {0};
 *     tw_wrap(b, text, strlen(text), 400 - indent, 400, measure, font, &lines);
 *     for (size_t i = 0; i < lines.n; i++)
 *         draw(text + lines.v[i].start, lines.v[i].len);
 *     tw_lines_free(&lines);
 *     tw_breaker_free(b);
 */
#ifndef ZHIBU_TEXT_WRAP_H
#define ZHIBU_TEXT_WRAP_H

#include <stddef.h>
#include <stdint.h>

typedef struct tw_breaker tw_breaker;

/**
 * Width of the UTF-8 bytes s[0..len) in the caller's unit.  It must be
 * additive — width(ab) == width(a) + width(b) — which holds for CJK fonts
 * drawn without kerning, as libharu draws them.
 */
typedef double (*tw_measure_fn)(void *ud, const char *s, size_t len);

/** One line: a byte range of the text, trailing spaces and newlines left out. */
typedef struct {
    size_t start, len;
    double width;  /* measured width of the range */
    int hard;      /* 1 when the line ends at a newline or the end of text */
} tw_line;

typedef struct {
    tw_line *v;
    size_t n, cap;
} tw_lines;

/**
 * Open a line break iterator (expensive: do it once, reuse for every text).
 * Returns NULL with a message in err.
 */
tw_breaker *tw_breaker_new(char *err, size_t errlen);
void tw_breaker_free(tw_breaker *b);

/**
 * Break text[0..len) (valid UTF-8) into lines no wider than first_width
 * (first line) and width (the others); a line is wider only when it holds a
 * single character that does not fit.  Newlines force breaks.  Lines are
 * appended to out (which the caller zero-initialises and frees with
 * tw_lines_free).  An empty text gives one empty line.
 * Returns 0, or -1 when ICU fails or memory runs out.
 */
int tw_wrap(tw_breaker *b, const char *text, size_t len, double first_width,
            double width, tw_measure_fn measure, void *ud, tw_lines *out);

void tw_lines_free(tw_lines *l);

/** 1 for characters that must not start a line (closing punctuation). */
int tw_no_line_start(uint32_t cp);
/** 1 for characters that must not end a line (opening punctuation). */
int tw_no_line_end(uint32_t cp);

/**
 * Decode one UTF-8 character at s[*i] (advancing *i); invalid bytes decode
 * as U+FFFD, one byte at a time.
 */
uint32_t tw_utf8_next(const char *s, size_t len, size_t *i);

#endif
