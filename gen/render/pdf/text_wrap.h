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

/*
 * Table cells, kv values and chart labels keep words whole (TW_KEEP_WORDS):
 * of ICU's break opportunities those are dropped that would
 *   - tear a number from its unit: 135元, 2.5小时, 12个月 (a digit, then a
 *     Chinese character, or one of a few two-character units);
 *   - break a date: 2022年9月13日 (年 and 月 between digits), 第137行;
 *   - break a short term: a run of at most TW_SHORT_WORD Chinese characters
 *     (本月次数, 中小学教师, 紫荆花园社区);
 *   - leave one character of a longer run alone at its start or end
 *     (本月无确认的服 / 务), or alone before a number (共 / 2.5小时).
 * A run longer than TW_SHORT_WORD may still break between any two of its
 * characters; in a line at least three characters wide, no line then holds
 * a single character of such a run (tw_extent counts that width in).
 * Running text (paragraphs) breaks as Chinese typesetting does, anywhere.
 */
enum { TW_KEEP_WORDS = 1 };
#define TW_SHORT_WORD 6

/** tw_wrap with flags (TW_KEEP_WORDS or 0). */
int tw_wrap_ex(tw_breaker *b, const char *text, size_t len, double first_width,
               double width, int flags, tw_measure_fn measure, void *ud, tw_lines *out);

/**
 * The widths a column needs for text[0..len): *atom, the widest piece that
 * may not be broken under `flags` (with TW_KEEP_WORDS, at least three
 * characters of a long run of Chinese), and *natural, the widest line when
 * nothing but newlines breaks it.  Trailing spaces are not counted.
 * Linear in the text.  Returns 0, or -1 when ICU fails.
 */
int tw_extent(tw_breaker *b, const char *text, size_t len, int flags, tw_measure_fn measure, void *ud,
              double *atom, double *natural);

/**
 * An upper bound of tw_extent's *atom under TW_KEEP_WORDS, without the line
 * breaker: the text cut only where the line breaker certainly allows a
 * break (between two Chinese characters that keep no word together, after
 * spaces), so its widest piece is at least as wide.  For a column whose
 * widest piece is already known wider, the line breaker is not needed.
 * Stops once the bound passes `limit` (it is then above it).
 */
double tw_atom_bound(const char *text, size_t len, double limit, tw_measure_fn measure, void *ud);

/** 1 for a Chinese ideograph (the unified blocks, extensions, compatibility, 〇). */
int tw_is_han(uint32_t cp);

void tw_lines_free(tw_lines *l);

/** 1 for characters that must not start a line (closing punctuation). */
int tw_no_line_start(uint32_t cp);
/** 1 for characters that must not end a line (opening punctuation). */
int tw_no_line_end(uint32_t cp);

/**
 * Decode one UTF-8 character at s[*i] (advancing *i); invalid bytes decode
 * as U+FFFD, one byte at a time.  Inline: every character measured, drawn
 * or broken passes here, from both files of the renderer.
 */
static inline uint32_t tw_utf8_next(const char *s, size_t len, size_t *i)
{
    const unsigned char *p = (const unsigned char *)s + *i;
    size_t left = len - *i;
    uint32_t c = p[0];
    size_t n = c < 0x80 ? 1 : (c & 0xE0) == 0xC0 ? 2 : (c & 0xF0) == 0xE0 ? 3 : (c & 0xF8) == 0xF0 ? 4 : 0;
    if (n == 0 || n > left) goto bad;
    if (n == 1) { *i += 1; return c; }
    c &= 0x7Fu >> n;
    for (size_t k = 1; k < n; k++) {
        if ((p[k] & 0xC0) != 0x80) goto bad;
        c = c << 6 | (p[k] & 0x3F);
    }
    /* overlong forms and surrogates are invalid too */
    if (c < (n == 2 ? 0x80u : n == 3 ? 0x800u : 0x10000u) || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) goto bad;
    *i += n;
    return c;
bad:
    *i += 1;
    return 0xFFFD;
}

#endif
