/*
 * xlsx_read.c — see xlsx_read.h.
 *
 * Parts are found the way the OPC says, through the relationships:
 * _rels/.rels → the workbook part → its .rels → worksheets, shared
 * strings, styles (each falling back to Excel's usual name).  Every part
 * is inflated by libzip in chunks straight into expat's buffer, with the
 * byte count checked against the caps as it grows, so a zip bomb is cut
 * off after at most `ratio_from` bytes plus one chunk.
 */
#include "input/xlsx_read.h"
#include "base/arena.h"
#include "base/dates.h"
#include <ctype.h>
#include <errno.h>
#include <expat.h>
#include <fcntl.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zip.h>

enum {
    CHUNK = 64 * 1024,
    MAX_COL = 16384,       /* Excel's grid: A..XFD */
    MAX_ROW = 1048576,
    MB = 1024 * 1024,
};
#define NS_SEP '|'

void xlsx_limits_default(xlsx_limits *l)
{
    l->part_max = (size_t)1024 * MB;    /* a sheet of Excel's 1,048,576 rows fits */
    l->meta_max = (size_t)64 * MB;
    l->total_max = (size_t)4096 * MB;
    l->ratio_from = (size_t)8 * MB;
    l->ratio_max = 250;                 /* real sheets: 5–60; deflate's ceiling: 1032 */
    l->sst_max_count = (size_t)1 << 24;    /* a city's 2.4 M findings saved by Excel: ~10 M */
    l->sst_max_bytes = (size_t)1024 * MB;
    l->text_max = (size_t)1 * MB;       /* Excel's cell limit is 32,767 characters */
}

typedef struct {
    const char *id, *type, *target; /* target resolved to a zip entry name */
} rel;

typedef struct {
    rel *v;
    size_t n, cap;
} rels;

struct xlsx_book {
    zip_t *za;
    const char *name;
    xlsx_limits lim;
    size_t total;             /* bytes inflated so far */
    rarena arena;
    xlsx_sheet *sheets;
    size_t nsheets, cap_sheets;
    int date1904;
    const char *sst_part, *styles_part;
    int aux_loaded;           /* shared strings and styles read */
    char *sst_buf;            /* every shared string, NUL-terminated */
    size_t sst_len, sst_cap;
    uint32_t *sst_off;        /* offsets into sst_buf (its size is capped below 4 GB) */
    size_t sst_n, sst_offcap;
    unsigned char *xf_date;   /* cellXfs index → 1 when a date format */
    size_t nxf, cap_xf;
    void *map;                /* the mapped file, or NULL */
    size_t map_len;
};

/* ---- problems ----------------------------------------------------------- */

/* Drop a UTF-8 sequence that snprintf cut short at the end of s. */
static void utf8_cut(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3) i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xC0) return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < want) s[i - 1] = 0;
}

static void fatal(xlsx_book *b, problems *probs, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static void fatal(xlsx_book *b, problems *probs, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    utf8_cut(msg);
    problem_add(probs, PROB_FATAL, b->name, 0, NULL, "%s", msg);
}

static const char *zip_code_cn(int code)
{
    switch (code) {
    case ZIP_ER_NOZIP: return "找不到 ZIP 目录：文件不完整（被截断）或不是 ZIP 压缩包";
    case ZIP_ER_INCONS: return "ZIP 压缩包内部不一致";
    case ZIP_ER_CRC: return "CRC 校验错误";
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPRESSED_DATA: return "压缩数据损坏";
    case ZIP_ER_EOF: return "文件意外结束（被截断）";
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL: return "读取错误";
    case ZIP_ER_MULTIDISK: return "分卷压缩包";
    case ZIP_ER_COMPNOTSUPP: return "不支持的压缩方式";
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD: return "内容已加密";
    case ZIP_ER_MEMORY: return "内存不足";
    default: return "ZIP 压缩包损坏";
    }
}

/* ---- small helpers ------------------------------------------------------ */

/* The local part of an expat "uri|local" name. */
static const char *local(const char *name)
{
    const char *s = strrchr(name, NS_SEP);
    return s ? s + 1 : name;
}

/* An attribute by local name; `ns` 1 = only a namespaced one (r:id), 0 = only a plain one. */
static const char *attr(const char **atts, const char *want, int ns)
{
    for (int i = 0; atts[i]; i += 2) {
        int has_ns = strchr(atts[i], NS_SEP) != NULL;
        if (has_ns == ns && !strcmp(local(atts[i]), want)) return atts[i + 1];
    }
    return NULL;
}

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
}

const char *xlsx_col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

/* "AB12" → col 27, row 12; row 0 when the reference has no digits.  -1 when malformed. */
static int cell_ref(const char *s, int *col, int *row)
{
    int c = 0, n = 0;
    while (isalpha((unsigned char)*s) && n < 4) {
        c = c * 26 + (toupper((unsigned char)*s) - 'A' + 1);
        s++;
        n++;
    }
    if (n == 0 || n > 3 || c > MAX_COL) return -1;
    long r = 0;
    int nd = 0;
    while (isdigit((unsigned char)*s) && nd < 8) r = r * 10 + (*s++ - '0'), nd++;
    if (*s || r > MAX_ROW || (nd && r < 1)) return -1;
    *col = c - 1;
    *row = (int)r;
    return 0;
}

/* A row number attribute: 1..MAX_ROW, else -1. */
static int parse_row(const char *s)
{
    char *end;
    errno = 0;
    long r = strtol(s, &end, 10);
    if (end == s || *end || errno || r < 1 || r > MAX_ROW) return -1;
    return (int)r;
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
static size_t x_unescape(char *s, size_t n)
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

/* Resolve a relationship target against the folder of its source part. */
static const char *part_resolve(rarena *a, const char *dir, const char *target)
{
    char buf[2048];
    if (target[0] == '/') snprintf(buf, sizeof buf, "%s", target + 1);
    else snprintf(buf, sizeof buf, "%s%s", dir, target);
    /* remove "." and ".." segments */
    char *segs[256];
    int n = 0;
    char *save = NULL;
    for (char *tok = strtok_r(buf, "/", &save); tok; tok = strtok_r(NULL, "/", &save)) {
        if (!strcmp(tok, ".")) continue;
        if (!strcmp(tok, "..")) { if (n) n--; continue; }
        if (n < 256) segs[n++] = tok;
    }
    char out[2048];
    size_t len = 0;
    out[0] = 0;
    for (int i = 0; i < n; i++) {
        int w = snprintf(out + len, sizeof out - len, "%s%s", i ? "/" : "", segs[i]);
        if (w < 0 || (size_t)w >= sizeof out - len) break;
        len += (size_t)w;
    }
    return arena_strdup(a, out);
}

/* The folder of a part, with its trailing slash ("xl/" for "xl/workbook.xml"). */
static const char *part_dir(rarena *a, const char *part)
{
    const char *slash = strrchr(part, '/');
    return slash ? arena_strndup(a, part, (size_t)(slash - part) + 1) : "";
}

/* ---- reading one XML part ---------------------------------------------- */

/* The first member of every parser state. */
typedef struct {
    XML_Parser p;
    xlsx_book *b;
    const char *err;   /* our reason to stop (a clause), or NULL */
    int damage;        /* err says the file is damaged (else: refused as hostile or too big) */
    int stopped;       /* the row callback asked to stop */
} xml_base;

static void xml_stop(xml_base *x, int damage, const char *err)
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
    xml_stop(ud, 0, "含有 DOCTYPE 声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取");
}

static void on_entity(void *ud, const XML_Char *name, int param, const XML_Char *value, int len,
                      const XML_Char *base, const XML_Char *sys, const XML_Char *pub, const XML_Char *notation)
{
    (void)name, (void)param, (void)value, (void)len, (void)base, (void)sys, (void)pub, (void)notation;
    xml_stop(ud, 0, "含有实体声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取");
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

/* Locate a part (case-insensitive, as OPC part names are); -1 when absent. */
static zip_int64_t part_find(xlsx_book *b, const char *part)
{
    return part && *part ? zip_name_locate(b->za, part, ZIP_FL_NOCASE) : -1;
}

/* Inflate part `part` into an expat parser with the given handlers; `what`
   names it in messages (NULL: "部件 <part>").  0 ok (or stopped by the
   callback); -1 after a PROB_FATAL. */
static int part_parse(xlsx_book *b, const char *part, const char *what, int big, xml_base *x,
                      XML_StartElementHandler start, XML_EndElementHandler end, XML_CharacterDataHandler text,
                      problems *probs)
{
    char whatbuf[512];
    if (!what) {
        snprintf(whatbuf, sizeof whatbuf, "部件 %s", part);
        what = whatbuf;
    }
    zip_int64_t idx = part_find(b, part);
    if (idx < 0) {
        fatal(b, probs, "文件损坏：缺少部件 %s", part);
        return -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(b->za, (zip_uint64_t)idx, 0, &st) != 0) {
        fatal(b, probs, "文件损坏：%s 无法读取", what);
        return -1;
    }
    size_t cap = big ? b->lim.part_max : b->lim.meta_max;
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size ? st.comp_size : 1;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        fatal(b, probs, "%s 已加密，无法读取：请在 Excel 或 WPS 中取消密码后另存", what);
        return -1;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
        fatal(b, probs, "%s 使用了不支持的压缩方式（%d）：Excel、WPS、LibreOffice 只用 deflate，文件可能已损坏",
              what, (int)st.comp_method);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > cap) {
        fatal(b, probs, "%s 解压后有 %llu MB，超过上限 %zu MB，拒绝读取（可能是“压缩炸弹”）", what,
              (unsigned long long)(st.size / MB), cap / MB);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > b->lim.ratio_from && st.size / comp > b->lim.ratio_max) {
        fatal(b, probs, "%s 的压缩比超过 %u:1，拒绝读取（可能是“压缩炸弹”）", what, b->lim.ratio_max);
        return -1;
    }
    zip_file_t *zf = zip_fopen_index(b->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        zip_error_t *ze = zip_get_error(b->za);
        fatal(b, probs, "文件损坏：%s 无法解压（%s）", what, zip_code_cn(zip_error_code_zip(ze)));
        return -1;
    }
    XML_Parser p = XML_ParserCreateNS(NULL, NS_SEP);
    if (!p) {
        zip_fclose(zf);
        fatal(b, probs, "内存不足");
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
    size_t got = 0;
    for (;;) {
        void *buf = XML_GetBuffer(p, CHUNK);
        if (!buf) {
            fatal(b, probs, "内存不足");
            rc = -1;
            break;
        }
        zip_int64_t n = zip_fread(zf, buf, CHUNK);
        if (n < 0) {
            fatal(b, probs, "文件损坏：%s 无法解压（%s）", what,
                  zip_code_cn(zip_error_code_zip(zip_file_get_error(zf))));
            rc = -1;
            break;
        }
        got += (size_t)n;
        b->total += (size_t)n;
        if (got > cap) {
            fatal(b, probs, "%s 解压后超过上限 %zu MB，拒绝读取（可能是“压缩炸弹”）", what, cap / MB);
            rc = -1;
            break;
        }
        if (got > b->lim.ratio_from && got / comp > b->lim.ratio_max) {
            fatal(b, probs, "%s 的压缩比超过 %u:1，拒绝读取（可能是“压缩炸弹”）", what, b->lim.ratio_max);
            rc = -1;
            break;
        }
        if (b->total > b->lim.total_max) {
            fatal(b, probs, "工作簿解压后总计超过上限 %zu MB，拒绝读取", b->lim.total_max / MB);
            rc = -1;
            break;
        }
        if (XML_ParseBuffer(p, (int)n, n == 0) != XML_STATUS_OK) {
            if (x->stopped) break;
            if (x->err) fatal(b, probs, "%s%s：%s", x->damage ? "文件损坏：" : "", what, x->err);
            else
                fatal(b, probs, "文件损坏：%s 第 %lu 行：%s（%s）", what, (unsigned long)XML_GetCurrentLineNumber(p),
                      expat_cn(XML_GetErrorCode(p), got), XML_ErrorString(XML_GetErrorCode(p)));
            rc = -1;
            break;
        }
        if (n == 0) break;
    }
    XML_ParserFree(p);
    zip_fclose(zf);
    return rc;
}

/* ---- relationships -------------------------------------------------------- */

typedef struct {
    xml_base x;
    rels *r;
    const char *dir;
} rels_state;

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_state *s = ud;
    if (strcmp(local(name), "Relationship")) return;
    const char *id = attr(atts, "Id", 0), *type = attr(atts, "Type", 0), *target = attr(atts, "Target", 0);
    const char *mode = attr(atts, "TargetMode", 0);
    if (!id || !type || !target || (mode && !strcmp(mode, "External"))) return;
    rarena *a = &s->x.b->arena;
    GROW(s->r->v, s->r->cap, s->r->n);
    rel *e = &s->r->v[s->r->n++];
    e->id = arena_strdup(a, id);
    e->type = arena_strdup(a, type);
    e->target = part_resolve(a, s->dir, target);
}

static void no_end(void *ud, const XML_Char *name) { (void)ud, (void)name; }
static void no_text(void *ud, const XML_Char *s, int len) { (void)ud, (void)s, (void)len; }

/* Read the relationships of `part` (absent = none); -1 on damage. */
static int rels_read(xlsx_book *b, const char *part, rels *r, problems *probs)
{
    const char *dir = part_dir(&b->arena, part);
    const char *base = part + strlen(dir);
    char *rp = arena_printf(&b->arena, "%s_rels/%s.rels", dir, base);
    if (part_find(b, rp) < 0) return 0;
    rels_state s = {.r = r, .dir = dir};
    return part_parse(b, rp, NULL, 0, &s.x, rels_start, no_end, no_text, probs);
}

static const rel *rel_by_type(const rels *r, const char *type_tail)
{
    for (size_t i = 0; i < r->n; i++)
        if (ends_with(r->v[i].type, type_tail)) return &r->v[i];
    return NULL;
}

static const rel *rel_by_id(const rels *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].id, id)) return &r->v[i];
    return NULL;
}

/* ---- workbook.xml --------------------------------------------------------- */

/* A sheet name as messages show it: Excel allows 31 characters and no
   control characters; a hostile file's name is cut (at a character) and
   cleaned so that a message stays one line. */
static const char *sheet_name_keep(rarena *a, const char *nm)
{
    char buf[128];
    snprintf(buf, sizeof buf, "%s", nm);
    utf8_cut(buf);
    for (char *p = buf; *p; p++)
        if ((unsigned char)*p < 0x20 || *p == 0x7F) *p = ' ';
    return arena_strdup(a, buf);
}

typedef struct {
    xml_base x;
    const char **rids; /* r:id of each sheet */
    size_t cap_rids;
    int root;          /* 1 = the root element was seen; 2 = and it is <workbook> */
} wb_state;

static void wb_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    wb_state *s = ud;
    xlsx_book *b = s->x.b;
    const char *ln = local(name);
    if (!s->root) s->root = 1 + !strcmp(ln, "workbook");
    if (s->root != 2) return;
    if (!strcmp(ln, "workbookPr")) {
        const char *v = attr(atts, "date1904", 0);
        b->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(ln, "sheet")) {
        const char *nm = attr(atts, "name", 0), *rid = attr(atts, "id", 1), *state = attr(atts, "state", 0);
        GROW(b->sheets, b->cap_sheets, b->nsheets);
        GROW(s->rids, s->cap_rids, b->nsheets);
        xlsx_sheet *sh = &b->sheets[b->nsheets];
        memset(sh, 0, sizeof *sh);
        sh->name = sheet_name_keep(&b->arena, nm ? nm : "");
        sh->kind = XLSX_OTHER_SHEET;
        sh->hidden = state && (!strcmp(state, "hidden") || !strcmp(state, "veryHidden"));
        s->rids[b->nsheets++] = rid ? arena_strdup(&b->arena, rid) : NULL;
    }
}

/* ---- opening -------------------------------------------------------------- */

/* Say what a zip without a workbook is. */
static void foreign_zip(xlsx_book *b, const char *office_target, problems *probs)
{
    const char *t = office_target ? office_target : "";
    if (part_find(b, "word/document.xml") >= 0 || strstr(t, "word/"))
        fatal(b, probs, "这是 Word 文档（DOCX），不是 Excel 工作簿");
    else if (part_find(b, "ppt/presentation.xml") >= 0 || strstr(t, "ppt/"))
        fatal(b, probs, "这是 PowerPoint 演示文稿（PPTX），不是 Excel 工作簿");
    else if (part_find(b, "xl/workbook.bin") >= 0 || ends_with(t, ".bin"))
        fatal(b, probs, "这是 Excel 二进制工作簿（XLSB）：请在 Excel 中另存为“Excel 工作簿（*.xlsx）”");
    else if (part_find(b, "content.xml") >= 0 && part_find(b, "mimetype") >= 0)
        fatal(b, probs, "这是 OpenDocument 文件（如 ODS），不是 XLSX：请在 WPS 或 LibreOffice 中另存为“Excel 工作簿（*.xlsx）”");
    else
        fatal(b, probs, "不是 XLSX 工作簿：压缩包里没有工作簿部件（xl/workbook.xml）");
}

static int book_init(xlsx_book *b, problems *probs)
{
    rels root = {0};
    if (rels_read(b, "", &root, probs)) { free(root.v); return -1; }
    const rel *od = rel_by_type(&root, "/officeDocument");
    const char *wb_part = od ? od->target : "xl/workbook.xml";
    int ok_target = ends_with(wb_part, ".xml") && part_find(b, wb_part) >= 0 && strncmp(wb_part, "word/", 5) &&
                    strncmp(wb_part, "ppt/", 4);
    if (!ok_target) {
        foreign_zip(b, od ? od->target : NULL, probs);
        free(root.v);
        return -1;
    }
    free(root.v);
    wb_state ws = {0};
    if (part_parse(b, wb_part, NULL, 0, &ws.x, wb_start, no_end, no_text, probs)) {
        free(ws.rids);
        return -1;
    }
    if (ws.root != 2) {
        foreign_zip(b, wb_part, probs);
        free(ws.rids);
        return -1;
    }
    rels wr = {0};
    if (rels_read(b, wb_part, &wr, probs)) {
        free(ws.rids);
        free(wr.v);
        return -1;
    }
    const char *dir = part_dir(&b->arena, wb_part);
    for (size_t i = 0; i < b->nsheets; i++) {
        const rel *r = ws.rids[i] ? rel_by_id(&wr, ws.rids[i]) : NULL;
        if (!r) continue;
        b->sheets[i].part = r->target;
        b->sheets[i].kind = ends_with(r->type, "/worksheet")    ? XLSX_WORKSHEET
                            : ends_with(r->type, "/chartsheet") ? XLSX_CHARTSHEET
                                                                : XLSX_OTHER_SHEET;
    }
    const rel *sr = rel_by_type(&wr, "/sharedStrings"), *st = rel_by_type(&wr, "/styles");
    b->sst_part = sr ? sr->target : part_resolve(&b->arena, dir, "sharedStrings.xml");
    b->styles_part = st ? st->target : part_resolve(&b->arena, dir, "styles.xml");
    free(ws.rids);
    free(wr.v);
    if (b->nsheets == 0) {
        fatal(b, probs, "工作簿里没有工作表");
        return -1;
    }
    return 0;
}

/* Not a zip at all: say what it looks like. */
static void not_zip(xlsx_book *b, const unsigned char *d, size_t n, problems *probs)
{
    if (n == 0) fatal(b, probs, "文件是空的");
    else if (n >= 8 && !memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        fatal(b, probs, "这是旧版 Excel（XLS）文件或设了密码的工作簿：请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”，不设密码");
    else if ((n >= 5 && !memcmp(d, "<?xml", 5)) || (n >= 8 && !memcmp(d, "\xEF\xBB\xBF<?xml", 8)))
        fatal(b, probs, "这是 XML 文本（可能是“XML 电子表格 2003”），不是 XLSX：请另存为“Excel 工作簿（*.xlsx）”");
    else if (n >= 4 && !memcmp(d, "%PDF", 4))
        fatal(b, probs, "这是 PDF 文件，不是 XLSX 工作簿");
    else
        fatal(b, probs, "不是 XLSX 工作簿（不是 ZIP 压缩包）：若是 CSV 文件，请把扩展名改为 .csv");
}

xlsx_book *xlsx_open_bytes(const void *data, size_t n, const char *name, const xlsx_limits *limits, problems *probs)
{
    xlsx_book *b = xcalloc(1, sizeof *b);
    b->name = arena_strdup(&b->arena, name);
    if (limits) b->lim = *limits;
    else xlsx_limits_default(&b->lim);
    if (n < 4 || memcmp(data, "PK", 2)) {
        not_zip(b, data, n, probs);
        xlsx_close(b);
        return NULL;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
    if (src) {
        b->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!b->za) zip_source_free(src);
    }
    if (!b->za) {
        fatal(b, probs, "ZIP 压缩包损坏：%s（%s）", zip_code_cn(zip_error_code_zip(&ze)), zip_error_strerror(&ze));
        zip_error_fini(&ze);
        xlsx_close(b);
        return NULL;
    }
    zip_error_fini(&ze);
    if (book_init(b, probs)) {
        xlsx_close(b);
        return NULL;
    }
    return b;
}

xlsx_book *xlsx_open_file(const char *path, const char *name, const xlsx_limits *limits, problems *probs)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        problem_add(probs, PROB_FATAL, name, 0, NULL, "无法打开文件：%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        problem_add(probs, PROB_FATAL, name, 0, NULL, "读取失败（可能是目录或设备）");
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *map = NULL;
    if (len > 0) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            close(fd);
            problem_add(probs, PROB_FATAL, name, 0, NULL, "读取失败：%s", strerror(errno));
            return NULL;
        }
    }
    close(fd);
    xlsx_book *b = xlsx_open_bytes(map ? map : "", len, name, limits, probs);
    if (!b) {
        if (map) munmap(map, len);
        return NULL;
    }
    b->map = map;
    b->map_len = len;
    return b;
}

void xlsx_close(xlsx_book *b)
{
    if (!b) return;
    if (b->za) zip_discard(b->za);
    if (b->map) munmap(b->map, b->map_len);
    free(b->sheets);
    free(b->sst_buf);
    free(b->sst_off);
    free(b->xf_date);
    arena_free(&b->arena);
    free(b);
}

int xlsx_sheet_count(const xlsx_book *b) { return (int)b->nsheets; }
const xlsx_sheet *xlsx_sheet_at(const xlsx_book *b, int i)
{
    return i >= 0 && (size_t)i < b->nsheets ? &b->sheets[i] : NULL;
}
int xlsx_date1904(const xlsx_book *b) { return b->date1904; }

/* ---- text collection ------------------------------------------------------ */

typedef struct {
    char *s;
    size_t n, cap;
} tbuf;

/* Append, failing (-1) beyond max bytes. */
static int tbuf_add(tbuf *t, const char *s, size_t n, size_t max)
{
    if (t->n + n > max) return -1;
    GROW(t->s, t->cap, t->n + n);
    memcpy(t->s + t->n, s, n);
    t->n += n;
    t->s[t->n] = 0;
    return 0;
}

/* ---- sharedStrings.xml ------------------------------------------------------ */

typedef struct {
    xml_base x;
    int in_si, in_t, in_rph;
    tbuf cur;
    char msg[160];
} sst_state;

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_state *s = ud;
    const char *ln = local(name);
    if (!strcmp(ln, "sst")) {
        /* a declared count over the cap is refused before any string is read
           (an undeclared or understated count is caught by the counting below) */
        const char *u = attr(atts, "uniqueCount", 0);
        unsigned long long k = u ? strtoull(u, NULL, 10) : 0;
        if (k > s->x.b->lim.sst_max_count) {
            snprintf(s->msg, sizeof s->msg, "声明了 %llu 个共享字符串，超过上限 %zu 个，拒绝读取", k,
                     s->x.b->lim.sst_max_count);
            xml_stop(&s->x, 0, s->msg);
        }
    } else if (!strcmp(ln, "si")) {
        s->in_si = 1;
        s->cur.n = 0;
    } else if (s->in_si && !strcmp(ln, "rPh")) s->in_rph++;
    else if (s->in_si && !s->in_rph && !strcmp(ln, "t")) s->in_t = 1;
}

static void sst_end(void *ud, const XML_Char *name)
{
    sst_state *s = ud;
    xlsx_book *b = s->x.b;
    const char *ln = local(name);
    if (!strcmp(ln, "t")) s->in_t = 0;
    else if (!strcmp(ln, "rPh")) { if (s->in_rph) s->in_rph--; }
    else if (!strcmp(ln, "si") && s->in_si) {
        s->in_si = 0;
        size_t n = s->cur.s ? x_unescape(s->cur.s, s->cur.n) : 0;
        if (b->sst_n >= b->lim.sst_max_count) {
            snprintf(s->msg, sizeof s->msg, "共享字符串超过 %zu 个，拒绝读取", b->lim.sst_max_count);
            xml_stop(&s->x, 0, s->msg);
            return;
        }
        if (b->sst_len + n + 1 > b->lim.sst_max_bytes || b->sst_len + n + 1 > UINT32_MAX) {
            snprintf(s->msg, sizeof s->msg, "共享字符串总长超过 %zu MB，拒绝读取", b->lim.sst_max_bytes / MB);
            xml_stop(&s->x, 0, s->msg);
            return;
        }
        GROW(b->sst_off, b->sst_offcap, b->sst_n);
        GROW(b->sst_buf, b->sst_cap, b->sst_len + n);
        b->sst_off[b->sst_n++] = (uint32_t)b->sst_len;
        if (n) memcpy(b->sst_buf + b->sst_len, s->cur.s, n);
        b->sst_buf[b->sst_len + n] = 0;
        b->sst_len += n + 1;
    }
}

static void sst_text(void *ud, const XML_Char *t, int len)
{
    sst_state *s = ud;
    if (s->in_t && tbuf_add(&s->cur, t, (size_t)len, s->x.b->lim.text_max)) {
        snprintf(s->msg, sizeof s->msg, "有一个字符串超过 %zu KB，拒绝读取", s->x.b->lim.text_max / 1024);
        xml_stop(&s->x, 0, s->msg);
    }
}

/* ---- styles.xml ------------------------------------------------------------- */

typedef struct {
    int id;
    int date;
} numfmt;

typedef struct {
    xml_base x;
    int in_xfs;
    numfmt *fmts;
    size_t nfmts, cap_fmts;
    int *xf_fmt;
    size_t nxf, cap_xf;
} styles_state;

/* A custom number format is a date format when its first section has y or
   d, or m without h or s (m next to h or s is minutes), outside quoted
   text, escapes and [..] (where [h], [m], [s] are elapsed time). */
static int numfmt_is_date(const char *code)
{
    int ymd = 0, m = 0, hs = 0;
    for (const char *p = code; *p; p++) {
        char c = *p;
        if (c == '"') {
            while (p[1] && p[1] != '"') p++;
            if (p[1]) p++;
            continue;
        }
        if (c == '\\' || c == '_' || c == '*') {
            if (p[1]) p++;
            continue;
        }
        if (c == '[') {
            const char *q = p + 1;
            int time = 1;
            while (*q && *q != ']') {
                char l = (char)tolower((unsigned char)*q);
                if (l != 'h' && l != 'm' && l != 's') time = 0;
                q++;
            }
            if (time && q > p + 1) hs = 1;
            if (!*q) break;
            p = q;
            continue;
        }
        if (c == ';') break;
        char l = (char)tolower((unsigned char)c);
        if (l == 'y' || l == 'd') ymd = 1;
        else if (l == 'm') m = 1;
        else if (l == 'h' || l == 's') hs = 1;
    }
    return ymd || (m && !hs);
}

/* Built-in date and time formats: 14–22 and 45–47 everywhere, 27–36 and
   50–58 in the East Asian (zh-CN …) versions of Excel, where they are
   年月日 forms. */
static int numfmt_builtin_date(int id)
{
    return (id >= 14 && id <= 22) || (id >= 27 && id <= 36) || (id >= 45 && id <= 47) || (id >= 50 && id <= 58);
}

static int int_attr(const char **atts, const char *nm, int def)
{
    const char *v = attr(atts, nm, 0);
    if (!v) return def;
    char *end;
    long x = strtol(v, &end, 10);
    return end == v || x < 0 || x > 1000000 ? def : (int)x;
}

static void styles_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    styles_state *s = ud;
    const char *ln = local(name);
    if (!strcmp(ln, "numFmt")) {
        const char *code = attr(atts, "formatCode", 0);
        int id = int_attr(atts, "numFmtId", -1);
        if (id < 0 || !code) return;
        GROW(s->fmts, s->cap_fmts, s->nfmts);
        s->fmts[s->nfmts++] = (numfmt){id, numfmt_is_date(code)};
    } else if (!strcmp(ln, "cellXfs")) s->in_xfs = 1;
    else if (s->in_xfs && !strcmp(ln, "xf")) {
        GROW(s->xf_fmt, s->cap_xf, s->nxf);
        s->xf_fmt[s->nxf++] = int_attr(atts, "numFmtId", 0);
    }
}

static void styles_end(void *ud, const XML_Char *name)
{
    styles_state *s = ud;
    if (!strcmp(local(name), "cellXfs")) s->in_xfs = 0;
}

static int aux_load(xlsx_book *b, problems *probs)
{
    if (b->aux_loaded) return 0;
    b->aux_loaded = 1;
    if (part_find(b, b->sst_part) >= 0) {
        sst_state s = {0};
        int rc = part_parse(b, b->sst_part, NULL, 1, &s.x, sst_start, sst_end, sst_text, probs);
        free(s.cur.s);
        if (rc) return -1;
    }
    if (part_find(b, b->styles_part) >= 0) {
        styles_state s = {0};
        int rc = part_parse(b, b->styles_part, NULL, 0, &s.x, styles_start, styles_end, no_text, probs);
        if (rc == 0) {
            b->xf_date = xcalloc(s.nxf ? s.nxf : 1, 1);
            b->nxf = s.nxf;
            for (size_t i = 0; i < s.nxf; i++) {
                int id = s.xf_fmt[i], date = numfmt_builtin_date(id);
                /* a custom format (id ≥ 164, or one a writer redefines) wins */
                for (size_t k = 0; k < s.nfmts; k++)
                    if (s.fmts[k].id == id) date = s.fmts[k].date;
                b->xf_date[i] = (unsigned char)date;
            }
        }
        free(s.fmts);
        free(s.xf_fmt);
        if (rc) return -1;
    }
    return 0;
}

/* ---- worksheets ------------------------------------------------------------- */

enum { CT_N, CT_S, CT_STR, CT_INLINE, CT_B, CT_E, CT_D };

typedef struct {
    xlsx_cell c;
    size_t off;     /* text in the row buffer, or (size_t)-1 when c.text is set */
    size_t seq;     /* document order within the row */
} pcell;

typedef struct {
    xml_base x;
    xlsx_row_fn fn;
    void *ctx;
    int in_data;          /* inside sheetData */
    int row, last_row;    /* current row (0 = none yet) and the one before */
    int row_given;        /* the row element had r */
    int next_col;
    /* the cell being read */
    int in_c, in_v, in_is, in_t, in_rph;
    int col, ctype, style, has_f, has_v, has_is;
    tbuf v;               /* <v> text, or <is> text */
    /* the row being assembled */
    pcell *cells;
    size_t ncells, cap_cells, seq;
    tbuf rowtext;
    xlsx_cell *out;
    size_t cap_out;
    char msg[256];
} sheet_state;

/* At most 20 bytes of a value for a message, never cut inside a character. */
static const char *clip20(const char *v, char *buf, size_t n)
{
    snprintf(buf, n < 21 ? n : 21, "%s", v);
    utf8_cut(buf);
    return buf;
}

static void sheet_fail(sheet_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sheet_fail(sheet_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    xml_stop(&s->x, 1, s->msg);
}

static int by_col(const void *a, const void *b)
{
    const pcell *x = a, *y = b;
    if (x->c.col != y->c.col) return x->c.col < y->c.col ? -1 : 1;
    /* the same column twice: document order, so the last one is kept */
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort by column and drop all but the last cell of a column. */
static void cells_compact(sheet_state *s)
{
    if (s->ncells < 2) return;
    int sorted = 1;
    for (size_t i = 1; i < s->ncells && sorted; i++) sorted = s->cells[i - 1].c.col < s->cells[i].c.col;
    if (sorted) return;
    qsort(s->cells, s->ncells, sizeof *s->cells, by_col);
    size_t o = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        if (i + 1 < s->ncells && s->cells[i + 1].c.col == s->cells[i].c.col) continue;
        s->cells[o++] = s->cells[i];
    }
    s->ncells = o;
}

static void row_flush(sheet_state *s)
{
    if (!s->row || s->x.err || s->x.stopped) return;
    cells_compact(s);
    if (s->ncells && s->fn) {
        if (s->ncells > s->cap_out) {
            s->cap_out = s->ncells;
            s->out = xrealloc(s->out, sizeof *s->out * s->cap_out);
        }
        for (size_t i = 0; i < s->ncells; i++) {
            s->out[i] = s->cells[i].c;
            if (s->cells[i].off != (size_t)-1) s->out[i].text = s->rowtext.s + s->cells[i].off;
        }
        if (s->fn(s->row, s->out, (int)s->ncells, s->ctx)) {
            s->x.stopped = 1;
            XML_StopParser(s->x.p, XML_FALSE);
        }
    }
    s->ncells = 0;
    s->rowtext.n = 0;
    s->last_row = s->row;
    s->row = 0;
}

/* Keep `t` (n bytes) as the text of cell c in the row buffer. */
static int cell_keep_text(sheet_state *s, pcell *pc, const char *t, size_t n)
{
    /* a row's texts are bounded by a sheet part anyway; this keeps one row sane */
    size_t off = s->rowtext.n;
    if (tbuf_add(&s->rowtext, t, n, s->x.b->lim.part_max) || tbuf_add(&s->rowtext, "", 1, s->x.b->lim.part_max)) {
        sheet_fail(s, "第 %d 行的内容过长", s->row);
        return -1;
    }
    pc->off = off;
    return 0;
}

/* Days since the epoch → YYYYMMDD, for a date cell; 0 when out of range. */
static int serial_ymd(double v, int date1904)
{
    if (!isfinite(v) || v < 0 || v >= 2958466) return 0;
    long d = (long)floor(v);
    if (date1904) return date_add_days(19040101, (int)d);
    if (d < 1 || d == 60) return 0;        /* 1900-01-00 and Lotus' 1900-02-29 */
    if (d < 60) return date_add_days(18991231, (int)d);
    return date_add_days(18991230, (int)d);
}

static void cell_end(sheet_state *s)
{
    xlsx_book *b = s->x.b;
    pcell pc = {.off = (size_t)-1};
    pc.c.col = s->col;
    pc.c.formula = s->has_f;
    pc.c.text = "";
    char *v = s->v.s ? s->v.s : (char *)"";
    size_t vn = s->v.n;
    if (s->has_is) {
        vn = vn ? x_unescape(v, vn) : 0;
        if (!vn && !s->has_f) return;
        pc.c.type = vn ? XLSX_TEXT : XLSX_EMPTY;
        if (vn && cell_keep_text(s, &pc, v, vn)) return;
    } else if (!s->has_v || vn == 0) {
        if (!s->has_f) return;
        pc.c.type = XLSX_EMPTY;
    } else if (s->ctype == CT_S) {
        char *end;
        errno = 0;
        unsigned long long k = strtoull(v, &end, 10);
        if (end == v || *end || errno || v[0] == '-' || k >= b->sst_n) {
            char ref[8], clip[24];
            sheet_fail(s, "单元格 %s%d 引用了不存在的共享字符串（%s）", xlsx_col_name(s->col, ref), s->row,
                       clip20(v, clip, sizeof clip));
            return;
        }
        pc.c.type = XLSX_TEXT;
        pc.c.text = b->sst_buf + b->sst_off[k];
        if (!pc.c.text[0] && !s->has_f) return;
    } else if (s->ctype == CT_STR || s->ctype == CT_INLINE) {
        vn = x_unescape(v, vn);
        pc.c.type = XLSX_TEXT;
        if (cell_keep_text(s, &pc, v, vn)) return;
    } else if (s->ctype == CT_B) {
        pc.c.type = XLSX_BOOL;
        pc.c.num = !strcmp(v, "1") || !strcmp(v, "true");
        pc.c.text = pc.c.num ? "TRUE" : "FALSE";
    } else if (s->ctype == CT_E) {
        pc.c.type = XLSX_ERROR;
        if (cell_keep_text(s, &pc, v, vn)) return;
    } else if (s->ctype == CT_D) {
        /* an ISO 8601 date (strict OOXML): the time, if any, is ignored */
        int y, m, d;
        char tail;
        int k = sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail);
        if ((k == 3 || (k == 4 && tail == 'T')) && date_valid(y, m, d)) {
            pc.c.type = XLSX_DATE;
            pc.c.ymd = y * 10000 + m * 100 + d;
            pc.c.num = (double)date_serial(pc.c.ymd) - (b->date1904 ? 1462 : 0);
            char iso[16];
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
            if (cell_keep_text(s, &pc, iso, strlen(iso))) return;
        } else {
            pc.c.type = XLSX_TEXT;
            if (cell_keep_text(s, &pc, v, vn)) return;
        }
    } else {
        char *end;
        double num = strtod(v, &end);
        while (*end == ' ') end++;
        if (end == v || *end || !isfinite(num)) {
            /* not a number where one should be: keep what is written */
            pc.c.type = XLSX_TEXT;
            if (cell_keep_text(s, &pc, v, vn)) return;
        } else {
            int ymd = s->style >= 0 && (size_t)s->style < b->nxf && b->xf_date[s->style]
                          ? serial_ymd(num, b->date1904) : 0;
            char t[40];
            pc.c.num = num;
            if (ymd) {
                pc.c.type = XLSX_DATE;
                pc.c.ymd = ymd;
                snprintf(t, sizeof t, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
            } else {
                pc.c.type = XLSX_NUMBER;
                /* 15 significant digits, as Excel shows a General number */
                snprintf(t, sizeof t, "%.15G", num);
                if (!strcmp(t, "-0")) strcpy(t, "0");
            }
            if (cell_keep_text(s, &pc, t, strlen(t))) return;
        }
    }
    if (s->ncells >= 2 * MAX_COL) cells_compact(s);
    GROW(s->cells, s->cap_cells, s->ncells);
    pc.seq = s->seq++;
    s->cells[s->ncells++] = pc;
}

static int cell_type(const char *t)
{
    if (!t || !strcmp(t, "n")) return CT_N;
    if (!strcmp(t, "s")) return CT_S;
    if (!strcmp(t, "str")) return CT_STR;
    if (!strcmp(t, "inlineStr")) return CT_INLINE;
    if (!strcmp(t, "b")) return CT_B;
    if (!strcmp(t, "e")) return CT_E;
    if (!strcmp(t, "d")) return CT_D;
    return CT_STR; /* unknown: keep the value as text */
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_state *s = ud;
    const char *ln = local(name);
    char clip[24];
    if (!s->in_data) {
        if (!strcmp(ln, "sheetData")) s->in_data = 1;
        return;
    }
    if (!strcmp(ln, "row")) {
        row_flush(s);
        const char *r = attr(atts, "r", 0);
        s->row_given = r != NULL;
        s->row = r ? parse_row(r) : s->last_row + 1;
        if (s->row < 0 || s->row > MAX_ROW) {
            s->row = 0;
            if (r) sheet_fail(s, "行号“%s”无法识别", clip20(r, clip, sizeof clip));
            else sheet_fail(s, "行数超过 Excel 的上限 %d", MAX_ROW);
            return;
        }
        s->next_col = 0;
    } else if (!strcmp(ln, "c")) {
        if (!s->row) { /* a cell outside a row: start one */
            s->row = s->last_row + 1;
            s->next_col = 0;
        }
        const char *r = attr(atts, "r", 0);
        int col = s->next_col, row = 0;
        if (r && cell_ref(r, &col, &row)) {
            sheet_fail(s, "第 %d 行有无法识别的单元格位置“%s”", s->row, clip20(r, clip, sizeof clip));
            return;
        }
        /* a writer that numbers cells but not rows */
        if (r && row && !s->row_given && s->ncells == 0) s->row = row;
        if (col >= MAX_COL) {
            sheet_fail(s, "第 %d 行的单元格超出 Excel 的列范围（XFD）", s->row);
            return;
        }
        s->col = col;
        s->next_col = col + 1;
        s->ctype = cell_type(attr(atts, "t", 0));
        s->style = int_attr(atts, "s", 0);
        s->in_c = 1;
        s->has_f = s->has_v = s->has_is = 0;
        s->v.n = 0;
        if (s->v.s) s->v.s[0] = 0;
    } else if (s->in_c) {
        if (!strcmp(ln, "v") && !s->has_is) {
            s->in_v = 1;
            s->has_v = 1;
            s->v.n = 0;
        } else if (!strcmp(ln, "f")) {
            s->has_f = 1;
        } else if (!strcmp(ln, "is")) {
            s->in_is = 1;
            s->has_is = 1;
            s->v.n = 0;
        } else if (s->in_is && !strcmp(ln, "rPh")) s->in_rph++;
        else if (s->in_is && !s->in_rph && !strcmp(ln, "t")) s->in_t = 1;
    }
}

static void sheet_end(void *ud, const XML_Char *name)
{
    sheet_state *s = ud;
    if (!s->in_data) return;
    const char *ln = local(name);
    if (!strcmp(ln, "sheetData")) {
        row_flush(s);
        s->in_data = 0;
    } else if (!strcmp(ln, "row")) row_flush(s);
    else if (!strcmp(ln, "c")) {
        if (s->in_c) cell_end(s);
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
    } else if (!strcmp(ln, "v")) s->in_v = 0;
    else if (!strcmp(ln, "is")) s->in_is = 0;
    else if (!strcmp(ln, "t")) s->in_t = 0;
    else if (!strcmp(ln, "rPh")) { if (s->in_rph) s->in_rph--; }
}

static void sheet_text(void *ud, const XML_Char *t, int len)
{
    sheet_state *s = ud;
    if ((s->in_v && !s->has_is) || (s->in_t && s->in_is && !s->in_rph)) {
        if (tbuf_add(&s->v, t, (size_t)len, s->x.b->lim.text_max))
            sheet_fail(s, "第 %d 行有一个超过 %zu MB 的值", s->row, s->x.b->lim.text_max / MB);
    }
}

int xlsx_read_sheet(xlsx_book *b, int i, xlsx_row_fn fn, void *ctx, problems *probs)
{
    const xlsx_sheet *sh = xlsx_sheet_at(b, i);
    if (!sh) return -1;
    if (sh->kind == XLSX_CHARTSHEET) return 0;
    if (!sh->part || part_find(b, sh->part) < 0) {
        fatal(b, probs, "文件损坏：工作表“%s”的内容（%s）不存在", sh->name, sh->part ? sh->part : "无部件");
        return -1;
    }
    if (aux_load(b, probs)) return -1;
    sheet_state s = {.fn = fn, .ctx = ctx};
    char what[512];
    snprintf(what, sizeof what, "工作表“%s”的部件 %s", sh->name, sh->part);
    int rc = part_parse(b, sh->part, what, 1, &s.x, sheet_start, sheet_end, sheet_text, probs);
    if (rc == 0 && !s.x.stopped) row_flush(&s); /* a sheet without </sheetData> */
    free(s.v.s);
    free(s.cells);
    free(s.rowtext.s);
    free(s.out);
    return rc;
}
