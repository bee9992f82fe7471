/* sheet_name.c — sheet names, UTF-8 repair and text width for XLSX (see sheet_name.h). */
#include "render/xlsx/sheet_name.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define REPLACEMENT 0xFFFDL

/* Decode one code point at p; invalid sequences give -1 and consume 1 byte.
   Strings are NUL-terminated, and NUL is never a continuation byte, so no
   read goes past the terminator. */
static size_t u8_decode(const unsigned char *p, long *cp)
{
    unsigned c = p[0];
    if (c < 0x80) { *cp = (long)c; return 1; }
    size_t n;
    long v, min;
    if (c >= 0xC2 && c <= 0xDF) { n = 2; v = c & 0x1F; min = 0x80; }
    else if (c >= 0xE0 && c <= 0xEF) { n = 3; v = c & 0x0F; min = 0x800; }
    else if (c >= 0xF0 && c <= 0xF4) { n = 4; v = c & 0x07; min = 0x10000; }
    else { *cp = -1; return 1; }
    for (size_t i = 1; i < n; i++) {
        if ((p[i] & 0xC0) != 0x80) { *cp = -1; return 1; }
        v = (v << 6) | (p[i] & 0x3F);
    }
    if (v < min || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF)) { *cp = -1; return 1; }
    *cp = v;
    return n;
}

static size_t u8_encode(long cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

static int is_hex(unsigned char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

/* "_xHHHH_" at p: Excel would decode it as an escaped character. */
static int is_xesc(const unsigned char *p)
{
    return p[0] == '_' && p[1] == 'x' && is_hex(p[2]) && is_hex(p[3]) && is_hex(p[4]) &&
           is_hex(p[5]) && p[6] == '_';
}

/* Map one decoded code point to what is written (-1: invalid input). */
static long map_cp(long cp, int flags)
{
    if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) return REPLACEMENT;
    if ((flags & XLSX_CLEAN_CTRL) && (cp < 0x20 || cp == 0x7F) && cp != '\t' && cp != '\n')
        return ' ';
    return cp;
}

const char *xlsx_utf8_clean(const char *s, size_t max_units, int flags, char **buf, size_t *cap)
{
    if (!s) return "";
    const unsigned char *p = (const unsigned char *)s;

    /* Pass 1: does anything need to change? */
    size_t units = 0;
    int change = 0;
    while (*p) {
        long cp;
        size_t n = u8_decode(p, &cp);
        if (map_cp(cp, flags) != cp) { change = 1; break; }
        if ((flags & XLSX_CLEAN_XESC) && is_xesc(p)) { change = 1; break; }
        units += cp > 0xFFFF ? 2 : 1;
        if (units > max_units) { change = 1; break; }
        p += n;
    }
    if (!change) return s;

    /* Pass 2: rebuild.  Per input byte at most 3 output bytes (U+FFFD), plus
       7 bytes of escape per 7 input bytes. */
    size_t len = strlen(s);
    size_t need = len * 3 + (len / 7 + 1) * 7 + 1;
    if (need > *cap) {
        char *nb = realloc(*buf, need);
        if (!nb) return NULL;
        *buf = nb;
        *cap = need;
    }
    char *o = *buf;
    p = (const unsigned char *)s;
    units = 0;
    while (*p) {
        long cp;
        size_t n = u8_decode(p, &cp);
        long m = map_cp(cp, flags);
        if ((flags & XLSX_CLEAN_XESC) && is_xesc(p)) {
            if (units + 7 > max_units) break;
            memcpy(o, "_x005F_", 7); /* the '_' itself, escaped */
            o += 7;
            units += 7;
            p++;
            continue;
        }
        size_t u = m > 0xFFFF ? 2 : 1;
        if (units + u > max_units) break;
        o += u8_encode(m, o);
        units += u;
        p += n;
    }
    *o = '\0';
    return *buf;
}

static int cp_width(long cp)
{
    if ((cp >= 0x0300 && cp <= 0x036F) || (cp >= 0x200B && cp <= 0x200F)) return 0;
    if ((cp >= 0x1100 && cp <= 0x115F) || cp == 0x2329 || cp == 0x232A ||
        (cp >= 0x2E80 && cp <= 0x303E) || (cp >= 0x3041 && cp <= 0x33FF) ||
        (cp >= 0x3400 && cp <= 0x4DBF) || (cp >= 0x4E00 && cp <= 0x9FFF) ||
        (cp >= 0xA000 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
        (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE10 && cp <= 0xFE19) ||
        (cp >= 0xFE30 && cp <= 0xFE6F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
        (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x1F300 && cp <= 0x1F64F) ||
        (cp >= 0x1F900 && cp <= 0x1F9FF) || (cp >= 0x20000 && cp <= 0x3FFFD))
        return 2;
    return 1;
}

/* One pass for both widths: the widest line (breaks at newlines) and the
   widest run (breaks also at spaces and around every wide character, which
   stands alone). */
void xlsx_text_measure(const char *s, int *width, int *run)
{
    int line = 0, word = 0, wbest = 0, rbest = 0;
    const unsigned char *p = (const unsigned char *)(s ? s : "");
    while (*p) {
        long cp;
        p += u8_decode(p, &cp);
        int cw = cp < 0 ? 1 : cp_width(cp);
        if (cp == '\n') {
            if (line > wbest) wbest = line;
            if (word > rbest) rbest = word;
            line = word = 0;
            continue;
        }
        line += cw;
        if (cp == ' ' || cp == 0x3000 || cw == 2) {
            if (word > rbest) rbest = word;
            word = 0;
            if (cw == 2 && cw > rbest) rbest = cw;
            continue;
        }
        word += cw;
    }
    *width = line > wbest ? line : wbest;
    *run = word > rbest ? word : rbest;
}

int xlsx_text_width(const char *s)
{
    int w, u;
    xlsx_text_measure(s, &w, &u);
    return w;
}

int xlsx_text_run_width(const char *s)
{
    int w, u;
    xlsx_text_measure(s, &w, &u);
    return u;
}

int xlsx_text_lines(const char *s, double avail)
{
    if (!s) return 1;
    if (avail < 1) avail = 1;
    const unsigned char *p = (const unsigned char *)s;
    int lines = 0, w = 0;
    for (;;) {
        long cp;
        if (!*p || *p == '\n') {
            int n = (int)((w + avail - 1) / avail); /* ceil(w / avail) */
            lines += n < 1 ? 1 : n;
            if (!*p) break;
            p++;
            w = 0;
            continue;
        }
        p += u8_decode(p, &cp);
        w += cp < 0 ? 1 : cp_width(cp);
    }
    return lines;
}

/* --- sheet names ----------------------------------------------------------- */

static int name_space(long cp) { return cp == ' ' || cp == 0x3000 || cp == 0xA0; }

/* Byte length of the longest prefix of valid UTF-8 s with at most max_units. */
static size_t prefix_units(const char *s, size_t max_units)
{
    const unsigned char *p = (const unsigned char *)s;
    size_t units = 0;
    while (*p) {
        long cp;
        size_t n = u8_decode(p, &cp);
        size_t u = cp > 0xFFFF ? 2 : 1;
        if (units + u > max_units) break;
        units += u;
        p += n;
    }
    return (size_t)(p - (const unsigned char *)s);
}

/* Remove trailing white space and apostrophes from valid UTF-8 in place. */
static void trim_end(char *s)
{
    size_t end = 0;
    const unsigned char *p = (const unsigned char *)s;
    size_t i = 0;
    while (p[i]) {
        long cp;
        size_t n = u8_decode(p + i, &cp);
        i += n;
        if (!name_space(cp) && cp != '\'') end = i;
    }
    s[end] = '\0';
}

void xlsx_sheet_name_clean(const char *raw, char *out)
{
    const unsigned char *p = (const unsigned char *)(raw ? raw : "");
    size_t o = 0, units = 0;
    int started = 0;
    while (*p) {
        long cp;
        p += u8_decode(p, &cp);
        if (cp < 0 || cp == 0xFFFE || cp == 0xFFFF) cp = REPLACEMENT;
        else if (cp < 0x20 || cp == 0x7F) cp = ' ';
        else if (cp < 0x80 && strchr("[]:*?/\\", (int)cp)) cp = '_';
        if (!started && (name_space(cp) || cp == '\'')) continue;
        started = 1;
        size_t u = cp > 0xFFFF ? 2 : 1;
        if (units + u > XLSX_SHEET_NAME_UNITS) break;
        units += u;
        o += u8_encode(cp, out + o);
    }
    out[o] = '\0';
    trim_end(out);
    if (!out[0]) strcpy(out, "工作表");
    else if (strcasecmp(out, "History") == 0) strcat(out, "_");
}

static int name_taken(const xlsx_sheet_names *set, const char *name)
{
    for (size_t i = 0; i < set->n; i++)
        if (strcasecmp(set->names[i], name) == 0) return 1;
    return 0;
}

static int name_add(xlsx_sheet_names *set, const char *name)
{
    if (set->n == set->cap) {
        size_t c = set->cap ? set->cap * 2 : 16;
        char **nn = realloc(set->names, c * sizeof *nn);
        if (!nn) return -1;
        set->names = nn;
        set->cap = c;
    }
    char *copy = strdup(name);
    if (!copy) return -1;
    set->names[set->n++] = copy;
    return 0;
}

/* base (clean) + suffix, base cut so the whole fits in 31 units. */
static void with_suffix(const char *base, const char *suffix, char *out)
{
    size_t su = strlen(suffix); /* ASCII */
    size_t n = prefix_units(base, XLSX_SHEET_NAME_UNITS - su);
    memcpy(out, base, n);
    out[n] = '\0';
    trim_end(out);
    strcat(out, suffix);
}

int xlsx_sheet_name_unique(xlsx_sheet_names *set, const char *raw, char *out)
{
    char base[XLSX_SHEET_NAME_BUF];
    xlsx_sheet_name_clean(raw, base);
    if (!name_taken(set, base)) {
        strcpy(out, base);
        return name_add(set, out);
    }
    for (unsigned k = 2;; k++) {
        char suffix[16];
        snprintf(suffix, sizeof suffix, "~%u", k);
        with_suffix(base, suffix, out);
        if (!name_taken(set, out)) return name_add(set, out);
    }
}

int xlsx_sheet_name_part(xlsx_sheet_names *set, const char *base, int k, char *out)
{
    char clean[XLSX_SHEET_NAME_BUF], cand[XLSX_SHEET_NAME_BUF];
    char suffix[24];
    xlsx_sheet_name_clean(base, clean);
    snprintf(suffix, sizeof suffix, " (%d)", k);
    with_suffix(clean, suffix, cand);
    return xlsx_sheet_name_unique(set, cand, out);
}

void xlsx_sheet_names_free(xlsx_sheet_names *set)
{
    for (size_t i = 0; i < set->n; i++) free(set->names[i]);
    free(set->names);
    set->names = NULL;
    set->n = set->cap = 0;
}
