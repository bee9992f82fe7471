/* encoding.c — see encoding.h.  Conversion through glibc's iconv. */
#include "input/encoding.h"
#include "base/textutil.h"
#include "base/arena.h"
#include <iconv.h>
#include <errno.h>
#include <string.h>
#include <stdlib.h>

const char *encoding_name(text_encoding e)
{
    switch (e) {
    case ENC_UTF8: return "UTF-8";
    case ENC_UTF8_BOM: return "UTF-8（带 BOM）";
    case ENC_GB18030: return "GB18030/GBK";
    }
    return "?";
}

static int line_of(const char *data, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++)
        if (data[i] == '\n') line++;
    return line;
}

/* Offset of the first invalid UTF-8 byte, or n. */
static size_t first_invalid_utf8(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if ((unsigned char)s[i] < 0x80) { i++; continue; }
        int len;
        if (utf8_decode(s + i, n - i, &len) < 0) return i;
        i += (size_t)len;
    }
    return n;
}

/* 1 when some line holds at least two multi-byte UTF-8 characters and is
   valid UTF-8: such a line is almost never GBK by chance, so a file that
   also has invalid lines mixes the two encodings. */
static int has_utf8_chinese_line(const char *s, size_t n)
{
    size_t start = 0;
    while (start < n) {
        const char *nl = memchr(s + start, '\n', n - start);
        size_t end = nl ? (size_t)(nl - s) : n;
        int multi = 0, ok = 1;
        for (size_t i = start; i < end && ok;) {
            if ((unsigned char)s[i] < 0x80) { i++; continue; }
            int len;
            if (utf8_decode(s + i, end - i, &len) < 0) ok = 0;
            else { multi++; i += (size_t)len; }
        }
        if (ok && multi >= 2) return 1;
        start = end + 1;
    }
    return 0;
}

char *encoding_decode(const char *data, size_t n, text_encoding *enc, size_t *outlen,
                      int *bad_line, const char **reason)
{
    if (n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3)) {
        size_t bad = first_invalid_utf8(data + 3, n - 3);
        if (bad < n - 3) {
            *bad_line = line_of(data, bad + 3);
            *reason = "文件以 UTF-8 BOM 开头，但含有不是 UTF-8 的字节（编码混杂）";
            return NULL;
        }
        *enc = ENC_UTF8_BOM;
        *outlen = n - 3;
        return xstrndup(data + 3, n - 3);
    }
    size_t bad = first_invalid_utf8(data, n);
    if (bad == n) {
        *enc = ENC_UTF8;
        *outlen = n;
        return xstrndup(data, n);
    }
    if (has_utf8_chinese_line(data, n)) {
        *bad_line = line_of(data, bad);
        *reason = "编码混杂：文件中既有 UTF-8 行，又有不是 UTF-8 的字节（请统一另存为 UTF-8）";
        return NULL;
    }
    iconv_t cd = iconv_open("UTF-8", "GB18030");
    if (cd == (iconv_t)-1) {
        *bad_line = 0;
        *reason = "系统不支持 GB18030 转换";
        return NULL;
    }
    size_t cap = n * 2 + 16;
    char *out = xmalloc(cap);
    char *in = (char *)data, *o = out;
    size_t inleft = n, oleft = cap - 1;
    while (inleft) {
        if (iconv(cd, &in, &inleft, &o, &oleft) == (size_t)-1) {
            if (errno == E2BIG) { /* cannot happen with 2× but stay safe */
                size_t used = (size_t)(o - out);
                cap *= 2;
                out = xrealloc(out, cap);
                o = out + used;
                oleft = cap - used - 1;
                continue;
            }
            *bad_line = line_of(data, (size_t)(in - data));
            *reason = "无法识别的字节：既不是 UTF-8，也不是 GB18030/GBK";
            free(out);
            iconv_close(cd);
            return NULL;
        }
    }
    iconv_close(cd);
    *o = 0;
    *enc = ENC_GB18030;
    *outlen = (size_t)(o - out);
    return out;
}
