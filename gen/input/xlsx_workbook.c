/*
 * xlsx_workbook.c — the parts that say what is in a workbook.  Parts are
 * found the way the OPC says, through the relationships: _rels/.rels → the
 * workbook part → its .rels → worksheets, shared strings, styles (each
 * falling back to Excel's usual name); workbook.xml gives the sheets, in
 * tab order, and the date system.
 */
#include "input/xlsx_read_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    const char *id, *type, *target; /* target resolved to a zip entry name */
} rel;

typedef struct {
    rel *v;
    size_t n, cap;
} rels;

static int ends_with(const char *s, const char *tail)
{
    size_t n = strlen(s), m = strlen(tail);
    return n >= m && !strcmp(s + n - m, tail);
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

/* ---- relationships -------------------------------------------------------- */

typedef struct {
    xml_base x;
    rels *r;
    const char *dir;
} rels_state;

static void rels_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    rels_state *s = ud;
    if (strcmp(xr_local(name), "Relationship")) return;
    const char *id = xr_attr(atts, "Id", 0), *type = xr_attr(atts, "Type", 0), *target = xr_attr(atts, "Target", 0);
    const char *mode = xr_attr(atts, "TargetMode", 0);
    if (!id || !type || !target || (mode && !strcmp(mode, "External"))) return;
    rarena *a = &s->x.b->arena;
    GROW(s->r->v, s->r->cap, s->r->n);
    rel *e = &s->r->v[s->r->n++];
    e->id = arena_strdup(a, id);
    e->type = arena_strdup(a, type);
    e->target = part_resolve(a, s->dir, target);
}

/* Read the relationships of `part` (absent = none); -1 on damage. */
static int rels_read(xlsx_book *b, const char *part, rels *r, problems *probs)
{
    const char *dir = part_dir(&b->arena, part);
    const char *base = part + strlen(dir);
    char *rp = arena_printf(&b->arena, "%s_rels/%s.rels", dir, base);
    if (xr_part_find(b, rp) < 0) return 0;
    rels_state s = {.r = r, .dir = dir};
    return xr_part_parse(b, rp, NULL, 0, &s.x, rels_start, xr_no_end, xr_no_text, probs);
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
    xr_utf8_cut(buf);
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
    const char *ln = xr_local(name);
    if (!s->root) s->root = 1 + !strcmp(ln, "workbook");
    if (s->root != 2) return;
    if (!strcmp(ln, "workbookPr")) {
        const char *v = xr_attr(atts, "date1904", 0);
        b->date1904 = v && (!strcmp(v, "1") || !strcmp(v, "true"));
    } else if (!strcmp(ln, "sheet")) {
        const char *nm = xr_attr(atts, "name", 0), *rid = xr_attr(atts, "id", 1), *state = xr_attr(atts, "state", 0);
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

/* ---- the workbook --------------------------------------------------------- */

/* Say what a zip without a workbook is. */
static void foreign_zip(xlsx_book *b, const char *office_target, problems *probs)
{
    const char *t = office_target ? office_target : "";
    if (xr_part_find(b, "word/document.xml") >= 0 || strstr(t, "word/"))
        xr_fatal(b, probs, "这是 Word 文档（DOCX），不是 Excel 工作簿");
    else if (xr_part_find(b, "ppt/presentation.xml") >= 0 || strstr(t, "ppt/"))
        xr_fatal(b, probs, "这是 PowerPoint 演示文稿（PPTX），不是 Excel 工作簿");
    else if (xr_part_find(b, "xl/workbook.bin") >= 0 || ends_with(t, ".bin"))
        xr_fatal(b, probs, "这是 Excel 二进制工作簿（XLSB）：请在 Excel 中另存为“Excel 工作簿（*.xlsx）”");
    else if (xr_part_find(b, "content.xml") >= 0 && xr_part_find(b, "mimetype") >= 0)
        xr_fatal(b, probs, "这是 OpenDocument 文件（如 ODS），不是 XLSX：请在 WPS 或 LibreOffice 中另存为“Excel 工作簿（*.xlsx）”");
    else
        xr_fatal(b, probs, "不是 XLSX 工作簿：压缩包里没有工作簿部件（xl/workbook.xml）");
}

int xr_book_init(xlsx_book *b, problems *probs)
{
    rels root = {0};
    if (rels_read(b, "", &root, probs)) { free(root.v); return -1; }
    const rel *od = rel_by_type(&root, "/officeDocument");
    const char *wb_part = od ? od->target : "xl/workbook.xml";
    int ok_target = ends_with(wb_part, ".xml") && xr_part_find(b, wb_part) >= 0 && strncmp(wb_part, "word/", 5) &&
                    strncmp(wb_part, "ppt/", 4);
    if (!ok_target) {
        foreign_zip(b, od ? od->target : NULL, probs);
        free(root.v);
        return -1;
    }
    free(root.v);
    wb_state ws = {0};
    if (xr_part_parse(b, wb_part, NULL, 0, &ws.x, wb_start, xr_no_end, xr_no_text, probs)) {
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
        xr_fatal(b, probs, "工作簿里没有工作表");
        return -1;
    }
    return 0;
}
