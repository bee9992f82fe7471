/*
 * xlsx_xml.c — reading one XML part of a workbook with expat: the part is
 * inflated (xlsx_zip.c) straight into expat's buffer; a DOCTYPE or an
 * entity declaration is refused; damage is told in Chinese with the line.
 * Also the helpers every part's handlers use: names, attributes, text.
 */
#include "input/xlsx_read_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The local part of an expat "uri|local" name. */
const char *xr_local(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* An attribute by local name; `ns` 1 = only a namespaced one (r:id), 0 = only a plain one. */
const char *xr_attr(const char **atts, const char *want, int ns)
{
    for (int i = 0; atts[i]; i += 2) {
        int has_ns = strchr(atts[i], NS_SEP) != NULL;
        if (has_ns == ns && !strcmp(xr_local(atts[i]), want)) return atts[i + 1];
    }
    return NULL;
}

int xr_int_attr(const char **atts, const char *nm, int def)
{
    const char *v = xr_attr(atts, nm, 0);
    if (!v) return def;
    char *end;
    long x = strtol(v, &end, 10);
    return end == v || x < 0 || x > 1000000 ? def : (int)x;
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
}

static int x_escape(const char *p, unsigned *u)
{
    if (p[0] != '_' || p[1] != 'x') return 0;
    unsigned v = 0;
    for (int i = 2; i < 6; i++) {
        int h = hexval((unsigned char)p[i]);
        if (h < 0) return 0;
        v = v * 16 + (unsigned)h;
    }
    if (p[6] != '_') return 0;
    *u = v;
    return 1;
}

static size_t put_utf8(char *o, unsigned u)
{
    if (u < 0x80) { o[0] = (char)u; return 1; }
    if (u < 0x800) { o[0] = (char)(0xC0 | u >> 6); o[1] = (char)(0x80 | (u & 0x3F)); return 2; }
    if (u < 0x10000) {
        o[0] = (char)(0xE0 | u >> 12); o[1] = (char)(0x80 | (u >> 6 & 0x3F)); o[2] = (char)(0x80 | (u & 0x3F));
        return 3;
    }
    o[0] = (char)(0xF0 | u >> 18); o[1] = (char)(0x80 | (u >> 12 & 0x3F));
    o[2] = (char)(0x80 | (u >> 6 & 0x3F)); o[3] = (char)(0x80 | (u & 0x3F));
    return 4;
}

/* Decode OOXML's _xHHHH_ escapes (ST_Xstring) in place; returns the new length.
   A surrogate pair is joined; a lone surrogate, NUL or U+FFFE/FFFF stays as
   written, so the result is always valid UTF-8.  Output never outgrows input. */
size_t xr_x_unescape(char *s, size_t n)
{
    if (!memmem(s, n, "_x", 2)) return n;
    size_t i = 0, o = 0;
    while (i < n) {
        unsigned u, lo;
        if (i + 7 <= n && x_escape(s + i, &u)) {
            if (u >= 0xD800 && u <= 0xDBFF && i + 14 <= n && x_escape(s + i + 7, &lo) && lo >= 0xDC00 &&
                lo <= 0xDFFF) {
                o += put_utf8(s + o, 0x10000 + ((u - 0xD800) << 10) + (lo - 0xDC00));
                i += 14;
                continue;
            }
            if (u != 0 && !(u >= 0xD800 && u <= 0xDFFF) && u != 0xFFFE && u != 0xFFFF) {
                o += put_utf8(s + o, u);
                i += 7;
                continue;
            }
        }
        s[o++] = s[i++];
    }
    s[o] = 0;
    return o;
}

/* Append, failing (-1) beyond max bytes. */
int xr_tbuf_add(tbuf *t, const char *s, size_t n, size_t max)
{
    if (t->n + n > max) return -1;
    GROW(t->s, t->cap, t->n + n);
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
    return 0;
}

void xr_xml_stop(xml_base *x, int damage, const char *err)
{
    if (!x->err && !x->stopped) {
        x->err = err;
        x->damage = damage;
        XML_StopParser(x->p, XML_FALSE);
    }
}

/* OOXML has no DTD: a DOCTYPE or an entity declaration is refused outright. */
static void on_doctype(void *ud, const XML_Char *name, const XML_Char *sys, const XML_Char *pub, int subset)
{
    (void)name, (void)sys, (void)pub, (void)subset;
    xr_xml_stop(ud, 0, "含有 DOCTYPE 声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取");
}

static void on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
                      const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    xr_xml_stop(ud, 0, "含有实体声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取");
}

static const char *expat_cn(enum XML_Error e, size_t got)
{
    switch (e) {
    case XML_ERROR_INVALID_TOKEN: return "含有非法字符，或有不是 UTF-8 的字节";
    case XML_ERROR_UNKNOWN_ENCODING:
    case XML_ERROR_INCORRECT_ENCODING: return "使用了不支持的字符编码，应为 UTF-8";
    case XML_ERROR_NO_ELEMENTS: return got ? "内容不完整（在中途结束）" : "内容是空的";
    case XML_ERROR_UNCLOSED_TOKEN:
    case XML_ERROR_PARTIAL_CHAR: return "内容不完整（在中途结束）";
    case XML_ERROR_TAG_MISMATCH: return "标签不配对";
    case XML_ERROR_JUNK_AFTER_DOC_ELEMENT: return "根元素之后还有内容";
    case XML_ERROR_UNDEFINED_ENTITY: return "使用了未定义的实体";
    case XML_ERROR_AMPLIFICATION_LIMIT_BREACH: return "实体展开过度（可能是恶意构造的文件）";
    default: return "XML 格式错误";
    }
}

/* Inflate part `part` into an expat parser with the given handlers; `what`
   names it in messages (NULL: "部件 <part>").  0 ok (or stopped by the
   callback); -1 after a PROB_FATAL. */
int xr_part_parse(xlsx_book *b, const char *part, const char *what, int big, xml_base *x,
                  XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                  problems *probs)
{
    char whatbuf[512];
    if (!what) {
        snprintf(whatbuf, sizeof whatbuf, "部件 %s", part);
        what = whatbuf;
    }
    xr_entry e;
    if (xr_entry_open(b, part, what, big, &e, probs)) return -1;
    XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p) {
        xr_entry_close(&e);
        xr_fatal(b, probs, "内存不足");
        return -1;
    }
    x->p = p;
    x->b = b;
    XML_SetUserData(p, x);
    XML_SetElementHandler(p, start, end);
    XML_SetCharacterDataHandler(p, text);
    XML_SetStartDoctypeDeclHandler(p, on_doctype);
    XML_SetEntityDeclHandler(p, on_entity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    int rc = 0;
    for (;;) {
        void *buf = XML_GetBuffer(p, CHUNK);
        if (!buf) {
            xr_fatal(b, probs, "内存不足");
            rc = -1;
            break;
        }
        zip_int64_t n = xr_entry_read(b, &e, buf, CHUNK, probs);
        if (n < 0) {
            rc = -1;
            break;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            if (x->stopped) break;
            if (x->err) xr_fatal(b, probs, "%s%s：%s", x->damage ? "文件损坏：" : "", what, x->err);
            else
                xr_fatal(b, probs, "文件损坏：%s 第 %lu 行：%s（%s）", what, (unsigned long)XML_GetCurrentLineNumber(p),
                         expat_cn(XML_GetErrorCode(p), e.got), XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(p);
    xr_entry_close(&e);
    return rc;
}

void xr_no_end(void *ud, const XML_Char *name) { (void)ud, (void)name; }
void xr_no_text(void *ud, const XML_Char *s, int len) { (void)ud, (void)s, (void)len; }
