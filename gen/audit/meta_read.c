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
#include <qpdf/qpdf-c.h>

/* fopen for reading, or NULL with `path: 无法读取：why` in err. */
static FILE *open_read(const char *path, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        char eb[64];
        snprintf(err, errlen, "%s: 无法读取：%s", path, sys_error_text(errno, eb, sizeof eb));
    }
    return f;
}

int docfile_kind_of(const char *path, docfile_kind *k, char *err, size_t errlen)
{
    FILE *f = open_read(path, err, errlen);
    if (!f) return -1;
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
    FILE *f = open_read(path, err, errlen);
    if (!f) return NULL;
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

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

/* The UTF-8 text of a value zhibu wrote percent-encoded (pdf_mark.c):
   malloc'ed; NULL when it is not one (a %-escape cut short). */
static char *percent_decode(const char *v)
{
    char *out = xmalloc(strlen(v) + 1);
    size_t o = 0;
    for (const char *p = v; *p; p++) {
        if (*p != '%') {
            out[o++] = *p;
            continue;
        }
        int hi = hexval(p[1]), lo = hi < 0 ? -1 : hexval(p[2]);
        if (lo < 0) {
            free(out);
            return NULL;
        }
        out[o++] = (char)(hi * 16 + lo);
        p += 2;
    }
    out[o] = 0;
    return out;
}

char *pdf_info_get(const char *buf, size_t n, const char *key)
{
    /* qpdf reads the file as a PDF reader would: cross-reference tables or
       streams, object streams, incremental updates (the last Info wins) */
    qpdf_data q = qpdf_init();
    qpdf_silence_errors(q);
    qpdf_set_suppress_warnings(q, QPDF_TRUE);
    char *v = NULL;
    if (!(qpdf_read_memory(q, "pdf", buf, (unsigned long long)n, NULL) & QPDF_ERRORS)) {
        char k[128];
        snprintf(k, sizeof k, "/%s", key);
        const char *raw = qpdf_get_info_key(q, k);
        /* zhibu's own keys are ASCII (a UTF-16 text string would be cut at
           its first NUL by this C interface, so it is not taken) */
        if (raw && (unsigned char)raw[0] != 0xFE) v = percent_decode(raw);
    }
    /* taking the error marks it handled: qpdf then prints nothing at cleanup */
    if (qpdf_has_error(q)) (void)qpdf_get_error(q);
    qpdf_cleanup(&q);
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
