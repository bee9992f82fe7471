/* textutil.c — see textutil.h.  Normalization and case folding use ICU. */
#include "base/textutil.h"
#include "base/arena.h"
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <unicode/unorm2.h>
#include <unicode/ustring.h>
#include <unicode/uchar.h>

int utf8_decode(const char *s, size_t n, int *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (n == 0) { *len = 0; return -1; }
    unsigned c = u[0];
    int need, cp;
    if (c < 0x80) { *len = 1; return (int)c; }
    if (c >= 0xC2 && c <= 0xDF) { need = 1; cp = c & 0x1F; }
    else if (c >= 0xE0 && c <= 0xEF) { need = 2; cp = c & 0x0F; }
    else if (c >= 0xF0 && c <= 0xF4) { need = 3; cp = c & 0x07; }
    else { *len = 1; return -1; }
    if ((size_t)need >= n) { *len = 1; return -1; }
    for (int i = 1; i <= need; i++) {
        if ((u[i] & 0xC0) != 0x80) { *len = 1; return -1; }
        cp = (cp << 6) | (u[i] & 0x3F);
    }
    if ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
        (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))) { *len = 1; return -1; }
    *len = need + 1;
    return cp;
}

int utf8_valid(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) {
            /* runs of ASCII eight bytes at a time */
            while (i + 8 <= n) {
                unsigned long long w;
                memcpy(&w, s + i, 8);
                if (w & 0x8080808080808080ULL) break;
                i += 8;
            }
            if (i < n && (unsigned char)s[i] < 0x80) i++;
            continue;
        }
        int len;
        if (utf8_decode(s + i, n - i, &len) < 0) return 0;
        i += (size_t)len;
    }
    return 1;
}

size_t utf8_len(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        if (((unsigned char)*s & 0xC0) != 0x80) n++;
    return n;
}

char *utf8_sanitize(const char *s)
{
    size_t n = strlen(s), o = 0;
    char *out = xmalloc(n * 3 + 1);
    for (size_t i = 0; i < n;) {
        int len;
        if (utf8_decode(s + i, n - i, &len) < 0) {
            memcpy(out + o, "\xEF\xBF\xBD", 3);
            o += 3;
            i += 1;
        } else {
            memcpy(out + o, s + i, (size_t)len);
            o += (size_t)len;
            i += (size_t)len;
        }
    }
    out[o] = 0;
    return out;
}

static int is_space_cp(UChar32 c)
{
    return u_isUWhiteSpace(c) || c == 0x3000 || c == 0xFEFF || c == 0x200B;
}

/*
 * Fast path for the common cells: printable ASCII, ASCII white space, U+3000
 * and CJK unified ideographs U+4E00–U+9FFF.  All of these are NFKC-stable
 * (quick check Yes, combining class 0, no composition between them), the
 * only case folding among them is A–Z, and U+3000 normalizes to a space
 * that is then removed.  Returns 0 (and leaves the work to ICU) for any
 * other byte, a result that would not fit, or an input longer than the
 * ICU path's 511 UTF-16 units, so the result is always the ICU one.
 */
static int text_key_fast(const char *s, char *out, size_t cap)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t o = 0, units = 0;
    while (*p) {
        unsigned c = *p;
        if (c < 0x80) {
            units++;
            p++;
            if (c == ' ' || (c >= 0x09 && c <= 0x0D)) continue;
            if (c < 0x20 || c == 0x7F) return 0;
            if (c >= 'A' && c <= 'Z') c += 'a' - 'A';
            if (o + 1 >= cap) return 0;
            out[o++] = (char)c;
            continue;
        }
        if (c < 0xE0 || c > 0xEF || (p[1] & 0xC0) != 0x80 || (p[2] & 0xC0) != 0x80) return 0;
        unsigned cp = ((c & 0x0F) << 12) | ((p[1] & 0x3Fu) << 6) | (p[2] & 0x3Fu);
        units++;
        if (cp == 0x3000) { p += 3; continue; }
        if (cp < 0x4E00 || cp > 0x9FFF) return 0;
        if (o + 3 >= cap) return 0;
        memcpy(out + o, p, 3);
        o += 3;
        p += 3;
    }
    if (units > 511) return 0;
    out[o] = 0;
    return 1;
}

char *text_key(const char *s, char *out, size_t cap)
{
    if (cap > 0 && text_key_fast(s, out, cap)) return out;
    return text_key_icu(s, out, cap);
}

char *text_key_icu(const char *s, char *out, size_t cap)
{
    UErrorCode st = U_ZERO_ERROR;
    UChar buf[512], norm[1024], fold[1024];
    int32_t n = 0;
    out[0] = 0;
    u_strFromUTF8Lenient(buf, 512, &n, s, -1, &st);
    if (U_FAILURE(st) && st != U_BUFFER_OVERFLOW_ERROR) return out;
    if (n > 511) n = 511;
    st = U_ZERO_ERROR;
    const UNormalizer2 *nfkc = unorm2_getNFKCInstance(&st);
    int32_t nn = unorm2_normalize(nfkc, buf, n, norm, 1024, &st);
    if (U_FAILURE(st)) return out;
    /* drop white space */
    int32_t k = 0;
    for (int32_t i = 0; i < nn;) {
        UChar32 c;
        int32_t j = i;
        U16_NEXT(norm, i, nn, c);
        if (!is_space_cp(c)) {
            while (j < i) norm[k++] = norm[j++];
        }
    }
    st = U_ZERO_ERROR;
    int32_t fn = u_strFoldCase(fold, 1024, norm, k, U_FOLD_CASE_DEFAULT, &st);
    if (U_FAILURE(st)) return out;
    int32_t outlen = 0;
    st = U_ZERO_ERROR;
    u_strToUTF8(out, (int32_t)cap - 1, &outlen, fold, fn, &st);
    if (U_FAILURE(st) || outlen >= (int32_t)cap) { out[0] = 0; return out; }
    out[outlen] = 0;
    return out;
}

int text_key_eq(const char *a, const char *b)
{
    char ka[1024], kb[1024];
    return strcmp(text_key(a, ka, sizeof ka), text_key(b, kb, sizeof kb)) == 0;
}

/* length of the white-space character at s (0 if none) */
static size_t space_at(const char *s)
{
    unsigned char c = (unsigned char)s[0];
    if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\v' || c == '\f') return 1;
    if (!strncmp(s, "\xE3\x80\x80", 3)) return 3;  /* U+3000 ideographic space */
    if (!strncmp(s, "\xC2\xA0", 2)) return 2;      /* U+00A0 */
    if (!strncmp(s, "\xEF\xBB\xBF", 3)) return 3;  /* stray BOM */
    return 0;
}

char *text_trim(char *s)
{
    size_t k;
    char *p = s;
    while (*p && (k = space_at(p))) p += k;
    if (p != s) memmove(s, p, strlen(p) + 1);
    /* trailing: scan forward, remember the end of the last non-space */
    size_t end = 0, i = 0, n = strlen(s);
    while (i < n) {
        if ((k = space_at(s + i))) i += k;
        else { i++; while (i < n && ((unsigned char)s[i] & 0xC0) == 0x80) i++; end = i; }
    }
    s[end] = 0;
    return s;
}

int text_blank(const char *s)
{
    size_t k;
    while (*s) {
        if (!(k = space_at(s))) return 0;
        s += k;
    }
    return 1;
}

static size_t sep_at(const char *s)
{
    if (*s == ',' || *s == ';') return 1;
    if (!strncmp(s, "，", 3) || !strncmp(s, "；", 3) || !strncmp(s, "、", 3)) return 3;
    return 0;
}

void text_split_list(const char *s, void (*fn)(const char *item, void *ctx), void *ctx)
{
    char item[1024];
    size_t n = 0;
    for (;;) {
        size_t k = *s ? sep_at(s) : 1;
        if (k || !*s) {
            item[n] = 0;
            text_trim(item);
            if (item[0]) fn(item, ctx);
            n = 0;
            if (!*s) break;
            s += k;
            continue;
        }
        if (n < sizeof item - 1) item[n++] = *s;
        s++;
    }
}

const char *text_quote(const char *s, char *buf, size_t n)
{
    size_t len = strlen(s);
    if (len < 60) return s;
    size_t cut = 57;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    snprintf(buf, n, "%.*s…", (int)cut, s);
    return buf;
}
