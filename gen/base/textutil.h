/*
 * textutil.h — UTF-8 text helpers shared by the loaders and the builders.
 */
#ifndef ZHIBU_TEXTUTIL_H
#define ZHIBU_TEXTUTIL_H
#include <stddef.h>

/** 1 when s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/** Decode one code point at s (n bytes available); sets *len; returns -1 on bad input. */
int utf8_decode(const char *s, size_t n, int *len);
/** Number of code points in a NUL-terminated UTF-8 string. */
size_t utf8_len(const char *s);

/**
 * The matching key of a header or an enumerated value: NFKC, white space
 * removed, case folded (SPEC Settled detail 11).  Writes at most cap bytes
 * (NUL included) into out; returns out.
 */
char *text_key(const char *s, char *out, size_t cap);
/** text_key without the fast path for ASCII and CJK ideographs (for tests). */
char *text_key_icu(const char *s, char *out, size_t cap);
/** 1 when a and b have the same text_key. */
int text_key_eq(const char *a, const char *b);

/** Trim ASCII and Unicode white space (incl. U+3000 and U+00A0) in place; returns s. */
char *text_trim(char *s);
/** 1 when s is empty or only white space. */
int text_blank(const char *s);

/**
 * Split a list value on , ， ; ； 、 (and the extra separator bytes given in
 * `extra`, may be NULL).  Calls fn for each trimmed non-empty item.
 */
void text_split_list(const char *s, void (*fn)(const char *item, void *ctx), void *ctx);

/**
 * s as quoted in a message: itself when shorter than 60 bytes, else its
 * first 57 bytes or less (cut on a character boundary) and "…" in buf, so a
 * 10 MB cell cannot flood the message.  buf wants 64 bytes.
 */
const char *text_quote(const char *s, char *buf, size_t n);
/** Replace bytes that are not valid UTF-8 with U+FFFD; returns a malloc'ed copy. */
char *utf8_sanitize(const char *s);

#endif
