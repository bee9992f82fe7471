/* meta_read.c — see meta_read.h. */
#include "audit/meta_read.h"
#include "base/arena.h"
#include "base/sys_error.h"
#include <errno.h>
#include <expat.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>
#include <zip.h>
#include <zlib.h>

int docfile_kind_of(const char *path, docfile_kind *k, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        char eb[64];
        snprintf(err, errlen, "%s: 无法读取：%s", path, sys_error_text(errno, eb, sizeof eb));
        return -1;
    }
    char head[16] = {0};
    size_t n = fread(head, 1, sizeof head, f);
    fclose(f);
    *k = DOCFILE_OTHER;
    if (n >= 5 && !memcmp(head, "%PDF-", 5)) *k = DOCFILE_PDF;
    else if (n >= 4 && !memcmp(head, "PK\x03\x04", 4)) *k = DOCFILE_XLSX;
    else if (n >= 12 && !memcmp(head, "fingerprint ", 12)) *k = DOCFILE_MANIFEST;
    return 0;
}

char *file_slurp(const char *path, size_t max, size_t *len, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        char eb[64];
        snprintf(err, errlen, "%s: 无法读取：%s", path, sys_error_text(errno, eb, sizeof eb));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0, got;
    char *buf = xmalloc(cap + 1);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            if (cap >= max) {
                snprintf(err, errlen, "%s: 文件太大", path);
                free(buf);
                fclose(f);
                return NULL;
            }
            cap *= 2;
            buf = xrealloc(buf, cap + 1);
        }
    }
    int bad = ferror(f);
    fclose(f);
    if (bad) {
        snprintf(err, errlen, "%s: 无法读取", path);
        free(buf);
        return NULL;
    }
    buf[n] = 0;
    if (len) *len = n;
    return buf;
}

/* --- PDF Info strings ----------------------------------------------------- */

static int pdf_white(char c) { return c == ' ' || c == '\n' || c == '\r' || c == '\t' || c == '\f' || c == 0; }
static int pdf_delim(char c) { return pdf_white(c) || strchr("()<>[]{}/%", c) != NULL; }

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The bytes of the PDF string object at p (literal "(…)" or hex "<…>");
   malloc'ed, length in *out_n; NULL when p holds no string. */
static char *pdf_string_bytes(const char *p, const char *end, size_t *out_n)
{
    char *out = xmalloc((size_t)(end - p) + 1);
    size_t o = 0;
    if (p < end && *p == '(') {
        int depth = 1;
        for (p++; p < end; p++) {
            char c = *p;
            if (c == '\\' && p + 1 < end) {
                char e = *++p;
                switch (e) {
                case 'n': out[o++] = '\n'; break;
                case 'r': out[o++] = '\r'; break;
                case 't': out[o++] = '\t'; break;
                case 'b': out[o++] = '\b'; break;
                case 'f': out[o++] = '\f'; break;
                case '\r': if (p + 1 < end && p[1] == '\n') p++; break; /* line continuation */
                case '\n': break;
                default:
                    if (e >= '0' && e <= '7') {
                        int v = e - '0';
                        for (int k = 0; k < 2 && p + 1 < end && p[1] >= '0' && p[1] <= '7'; k++) v = v * 8 + (*++p - '0');
                        out[o++] = (char)(v & 0xFF);
                    } else {
                        out[o++] = e; /* \( \) \\ and unknown escapes */
                    }
                }
                continue;
            }
            if (c == '(') depth++;
            if (c == ')' && --depth == 0) {
                *out_n = o;
                return out;
            }
            out[o++] = c;
        }
    } else if (p < end && *p == '<' && (p + 1 >= end || p[1] != '<')) {
        int hi = -1;
        for (p++; p < end && *p != '>'; p++) {
            int v = hexval(*p);
            if (v < 0) {
                if (pdf_white(*p)) continue;
                break;
            }
            if (hi < 0) {
                hi = v;
            } else {
                out[o++] = (char)(hi * 16 + v);
                hi = -1;
            }
        }
        if (p < end && *p == '>') {
            if (hi >= 0) out[o++] = (char)(hi * 16); /* odd digit count: a trailing 0 */
            *out_n = o;
            return out;
        }
    }
    free(out);
    return NULL;
}

/* A PDF text string as UTF-8: UTF-16BE after a byte order mark, else the
   bytes as they are (zhibu's ASCII values; PDFDocEncoding agrees on ASCII). */
static char *pdf_text_utf8(char *bytes, size_t n)
{
    if (n < 2 || (unsigned char)bytes[0] != 0xFE || (unsigned char)bytes[1] != 0xFF) {
        bytes[n] = 0;
        return bytes;
    }
    size_t units = (n - 2) / 2;
    UChar *u = xmalloc((units + 1) * sizeof *u);
    for (size_t i = 0; i < units; i++)
        u[i] = (UChar)(((unsigned char)bytes[2 + 2 * i] << 8) | (unsigned char)bytes[3 + 2 * i]);
    UErrorCode st = U_ZERO_ERROR;
    int32_t need = 0;
    u_strToUTF8WithSub(NULL, 0, &need, u, (int32_t)units, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    char *out = xmalloc((size_t)need + 1);
    u_strToUTF8WithSub(out, need + 1, &need, u, (int32_t)units, 0xFFFD, NULL, &st);
    out[need] = 0;
    free(u);
    free(bytes);
    if (U_FAILURE(st)) {
        free(out);
        return NULL;
    }
    return out;
}

/* The value after the last "/key" in buf[0..n), or NULL. */
static char *info_in(const char *buf, size_t n, const char *key)
{
    size_t kl = strlen(key);
    const char *end = buf + n, *found = NULL, *p = buf;
    while (p < end) {
        const char *hit = memmem(p, (size_t)(end - p), key, kl);
        if (!hit) break;
        if (hit > buf && hit[-1] == '/' && (hit + kl == end || pdf_delim(hit[kl]))) found = hit + kl;
        p = hit + 1;
    }
    if (!found) return NULL;
    while (found < end && pdf_white(*found)) found++;
    size_t len;
    char *bytes = pdf_string_bytes(found, end, &len);
    return bytes ? pdf_text_utf8(bytes, len) : NULL;
}

/* The decompressed bytes of the Flate stream starting at p (zlib: inflate
   stops at the stream's end by itself), at most `cap` bytes; NULL when it
   is not one. */
static char *inflate_at(const char *p, const char *end, size_t cap, size_t *out_n)
{
    z_stream z;
    memset(&z, 0, sizeof z);
    if (inflateInit(&z) != Z_OK) return NULL;
    size_t size = 1 << 16;
    char *out = xmalloc(size);
    z.next_in = (Bytef *)p;
    z.avail_in = (uInt)((size_t)(end - p) > 0x7FFFFFFF ? 0x7FFFFFFF : (size_t)(end - p));
    int st = Z_OK;
    while (st == Z_OK) {
        if (z.total_out == size) {
            if (size >= cap) break;
            size *= 2;
            out = xrealloc(out, size);
        }
        z.next_out = (Bytef *)out + z.total_out;
        z.avail_out = (uInt)(size - z.total_out);
        st = inflate(&z, Z_NO_FLUSH);
    }
    *out_n = z.total_out;
    inflateEnd(&z);
    if (st != Z_STREAM_END && st != Z_OK) {
        free(out);
        return NULL;
    }
    return out;
}

char *pdf_info_get(const char *buf, size_t n, const char *key)
{
    char *v = info_in(buf, n, key);
    if (v) return v;
    /* a rewrite with object streams (PDF 1.5) may have moved the Info
       dictionary into one: look inside each, the last one first */
    const char *end = buf + n, *p = end;
    while (!v && p > buf) {
        const char *hit = NULL;
        for (const char *q = buf; q < p;) {
            const char *h = memmem(q, (size_t)(p - q), "/ObjStm", 7);
            if (!h) break;
            hit = h;
            q = h + 1;
        }
        if (!hit) break;
        p = hit;
        const char *s = memmem(hit, (size_t)(end - hit), "stream", 6);
        if (!s) continue;
        s += 6;
        if (s < end && *s == '\r') s++;
        if (s < end && *s == '\n') s++;
        size_t m;
        char *data = inflate_at(s, end, (size_t)64 << 20, &m);
        if (!data) continue;
        v = info_in(data, m, key);
        free(data);
    }
    return v;
}

/* --- XLSX custom properties ----------------------------------------------- */

typedef struct {
    const char *const *names;
    char **values;
    int n;
    int cur;        /* the property being read, or -1 */
    int in_value;   /* inside its value element */
    size_t len;
} custom_parse;

static const char *local_name(const char *name)
{
    const char *c = strrchr(name, ':');
    return c ? c + 1 : name;
}

static void on_start(void *ud, const char *name, const char **attrs)
{
    custom_parse *cp = ud;
    if (!strcmp(local_name(name), "property")) {
        cp->cur = -1;
        for (int i = 0; attrs[i]; i += 2)
            if (!strcmp(attrs[i], "name"))
                for (int k = 0; k < cp->n; k++)
                    if (!strcmp(attrs[i + 1], cp->names[k])) cp->cur = k;
        if (cp->cur >= 0) {
            free(cp->values[cp->cur]);
            cp->values[cp->cur] = xstrdup("");
            cp->len = 0;
        }
    } else if (cp->cur >= 0) {
        cp->in_value = 1;
    }
}

static void on_end(void *ud, const char *name)
{
    custom_parse *cp = ud;
    if (!strcmp(local_name(name), "property")) cp->cur = -1;
    cp->in_value = 0;
}

static void on_text(void *ud, const char *s, int len)
{
    custom_parse *cp = ud;
    if (cp->cur < 0 || !cp->in_value || len <= 0) return;
    char **v = &cp->values[cp->cur];
    *v = xrealloc(*v, cp->len + (size_t)len + 1);
    memcpy(*v + cp->len, s, (size_t)len);
    cp->len += (size_t)len;
    (*v)[cp->len] = 0;
}

int xlsx_custom_get(const char *path, const char *const *names, char **values, int n, char *err,
                    size_t errlen)
{
    for (int i = 0; i < n; i++) values[i] = NULL;
    int zerr = 0;
    zip_t *za = zip_open(path, ZIP_RDONLY, &zerr);
    if (!za) {
        snprintf(err, errlen, "%s: 不是可读的 XLSX 工作簿", path);
        return -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za, "docProps/custom.xml", 0, &st) != 0) {
        zip_close(za);
        return 0; /* no custom properties at all */
    }
    /* zhibu's part is a few hundred bytes; refuse a bomb */
    if (!(st.valid & ZIP_STAT_SIZE) || st.size > (1u << 20)) {
        zip_close(za);
        snprintf(err, errlen, "%s: docProps/custom.xml 太大", path);
        return -1;
    }
    zip_file_t *zf = zip_fopen(za, "docProps/custom.xml", 0);
    char *xml = xmalloc((size_t)st.size + 1);
    zip_int64_t got = zf ? zip_fread(zf, xml, st.size) : -1;
    if (zf) zip_fclose(zf);
    zip_close(za);
    if (got < 0 || (zip_uint64_t)got != st.size) {
        free(xml);
        snprintf(err, errlen, "%s: 无法读取 docProps/custom.xml", path);
        return -1;
    }
    custom_parse cp = {names, values, n, -1, 0, 0};
    XML_Parser xp = XML_ParserCreate(NULL);
    XML_SetUserData(xp, &cp);
    XML_SetElementHandler(xp, on_start, on_end);
    XML_SetCharacterDataHandler(xp, on_text);
    int ok = XML_Parse(xp, xml, (int)got, 1) == XML_STATUS_OK;
    XML_ParserFree(xp);
    free(xml);
    if (!ok) {
        for (int i = 0; i < n; i++) {
            free(values[i]);
            values[i] = NULL;
        }
        snprintf(err, errlen, "%s: docProps/custom.xml 不是合法的 XML", path);
        return -1;
    }
    return 0;
}
