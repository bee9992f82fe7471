/* template.c — see template.h. */
#include "build/template.h"
#include "base/arena.h"
#include "base/textutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int template_load(template *t, const char *dir, const char *name, char *err, size_t errlen)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    return ini_file_load(&t->ini, path, err, errlen);
}

void template_free(template *t) { ini_file_free(&t->ini); }

static void entry(char *buf, size_t n, const char *section, const char *key)
{
    /* iniparser lower-cases section and key names */
    snprintf(buf, n, "%s:%s", section, key);
    for (char *p = buf; *p; p++)
        if (*p >= 'A' && *p <= 'Z') *p = (char)(*p - 'A' + 'a');
}

const char *tmpl_get(const template *t, const char *section, const char *key, const char *def)
{
    if (!t || !t->ini.dict) return def;
    char e[512];
    entry(e, sizeof e, section, key);
    return iniparser_getstring(t->ini.dict, e, def);
}

int tmpl_has(const template *t, const char *section, const char *key)
{
    if (!t || !t->ini.dict) return 0;
    char e[512];
    entry(e, sizeof e, section, key);
    return iniparser_find_entry(t->ini.dict, e);
}

void tvars_set(tvars *v, const char *name, const char *fmt, ...)
{
    int i = 0;
    while (i < v->n && strcmp(v->name[i], name)) i++;
    if (i == v->n) {
        if (v->n == TVARS_MAX) return;
        v->name[v->n++] = name;
    }
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(v->value[i], sizeof v->value[i], fmt, ap);
    va_end(ap);
}

/* The value of the placeholder at p ("{name}…"), or NULL; *end is past its "}". */
static const char *placeholder(const char *p, const tvars *v, const char **end)
{
    const char *close = *p == '{' ? strchr(p, '}') : NULL;
    if (!close || !v) return NULL;
    for (int i = 0; i < v->n; i++)
        if (strlen(v->name[i]) == (size_t)(close - p - 1) && !strncmp(p + 1, v->name[i], (size_t)(close - p - 1))) {
            *end = close + 1;
            return v->value[i];
        }
    return NULL;
}

const char *tmpl_expand_buf(const char *text, const tvars *v, char *buf, size_t n)
{
    size_t o = 0;
    if (!n) return buf;
    for (const char *p = text ? text : ""; *p && o + 1 < n;) {
        const char *end = p + 1, *val = placeholder(p, v, &end);
        const char *src = val ? val : p;
        size_t len = val ? strlen(val) : 1;
        if (len > n - 1 - o) { /* cut, but never inside a character */
            len = n - 1 - o;
            while (len > 0 && ((unsigned char)src[len] & 0xC0) == 0x80) len--;
            memcpy(buf + o, src, len);
            o += len;
            break;
        }
        memcpy(buf + o, src, len);
        o += len;
        p = end;
    }
    /* a character of the text itself may have been cut by the end of buf */
    size_t k = o;
    while (k > 0 && ((unsigned char)buf[k - 1] & 0xC0) == 0x80) k--;
    if (k > 0 && (unsigned char)buf[k - 1] >= 0xC0) {
        unsigned char lead = (unsigned char)buf[k - 1];
        size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
        if (o - (k - 1) < want) o = k - 1;
    }
    buf[o] = 0;
    return buf;
}

const char *tmpl_expand(rdoc *d, const char *text, const tvars *v)
{
    if (!text) return NULL;
    size_t cap = strlen(text) + 1, n = 0;
    char *out = xmalloc(cap);
    for (const char *p = text; *p;) {
        const char *close = *p == '{' ? strchr(p, '}') : NULL;
        const char *val = NULL;
        if (close && v) {
            for (int i = 0; i < v->n && !val; i++)
                if (strlen(v->name[i]) == (size_t)(close - p - 1) && !strncmp(p + 1, v->name[i], (size_t)(close - p - 1)))
                    val = v->value[i];
        }
        const char *src = val ? val : p;
        size_t len = val ? strlen(val) : 1;
        if (n + len + 1 > cap) {
            cap = (n + len + 1) * 2;
            out = xrealloc(out, cap);
        }
        memcpy(out + n, src, len);
        n += len;
        p = val ? close + 1 : p + 1;
    }
    out[n] = 0;
    const char *r = rdoc_strdup(d, out);
    free(out);
    return r;
}

const char *tmpl_text(rdoc *d, const template *t, const char *section, const char *key, const char *def,
                      const tvars *v)
{
    const char *s = tmpl_get(t, section, key, def);
    return s ? tmpl_expand(d, s, v) : NULL;
}

void tmpl_list(const template *t, const char *section, const char *key, const char *def,
               void (*fn)(const char *item, void *ctx), void *ctx)
{
    const char *s = tmpl_get(t, section, key, def);
    if (s) text_split_list(s, fn, ctx);
}
