/*
 * render_pdf.c — the PDF renderer (see render_pdf.h and doc/pdf.md): the
 * document walk, which lays out each block and emits each op through the
 * files pdf_internal.h lists.
 *
 * Two passes per document:
 *   1. layout: the rdoc is laid out into a display list (pages, text runs,
 *      rules, fills) measured with the faces' own advances; every character
 *      drawn is recorded in the set of the face that draws it;
 *   2. emit: each face is subset to exactly its set (harfbuzz), the subsets
 *      are loaded into a fresh libharu document, each with an encoder of
 *      our own, and the display list is replayed onto its pages.
 * Laying out first is what makes the subsets exact (repeated table headers,
 * page numbers and substitutes included) without a second walk of the rdoc
 * that could disagree with the first.
 *
 * Faces and styles: a style (Song, Hei, Kai) draws each character from the
 * first face of its chain that has it — the style's own face, then the
 * fallback faces — so one line may use several fonts.
 *
 * Glyph path: libharu's UTF-8 encoder would make CID = Unicode (BMP only,
 * a 131,070-byte CIDToGIDMap per font and a linear cmap search for all
 * 65,536 code points).  Instead each embedded font gets a CMap encoder of
 * ours whose two-byte codes are small CIDs 0x0101, 0x0102, … for the
 * characters the document draws in that face, a subset whose cmap maps
 * those codes to its glyphs (font_subset.c), and a ToUnicode map
 * (surrogate pairs above U+FFFF) written by pdf_fonts.c.  See doc/pdf.md.
 *
 * Coordinates are PDF points, origin at the bottom left of the page.
 */
#include "render/pdf/pdf_internal.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

/* --- the layout pass ----------------------------------------------------- */

/* The blocks of a section, each laid out by the file of its kind. */
static void layout_section(layout *L, const rsection *s)
{
    for (size_t j = 0; j < s->nblocks; j++) {
        const rblock *b = &s->blocks[j];
        switch (b->kind) {
        case BLK_HEADING: pdf_heading_add(L, s, j); break;
        case BLK_PARAGRAPH: pdf_paragraph_add(L, s, j); break;
        case BLK_KV: if (b->kv) pdf_kv_add(L, b->kv); break;
        case BLK_TABLE: if (b->table) pdf_table_add(L, b->table, pdf_trailer_height(L, s, j)); break;
        case BLK_CHART: if (b->chart) pdf_chart_add(L, b->chart, pdf_trailer_height(L, s, j)); break;
        case BLK_SIGNATURE: if (b->sig) pdf_signature_add(L, s, b); break;
        case BLK_PAGEBREAK: pdf_page_break(L); break;
        }
    }
}

/* The rdoc into the display list: the title, the sections (a new page where
   one asks for it or turns), the audit mark on the last page. */
static void layout_doc(pdf_ctx *c, const rdoc *d)
{
    c->dl.n = 0;
    c->dl.plen = 0;
    c->ts.t = NULL;  /* its text was in the pool */
    for (int i = 0; i < c->nfaces; i++) fs_cpset_clear(&c->used[i]);
    layout L = {.c = c, .doc = d};
    pdf_frame_set(&L, d->nsections > 0 && d->sections[0].landscape);
    pdf_title_add(&L);
    for (size_t i = 0; i < d->nsections; i++) {
        const rsection *s = &d->sections[i];
        if (s->page_break || !!s->landscape != L.landscape) pdf_page_break(&L);
        pdf_frame_set(&L, !!s->landscape);
        layout_section(&L, s);
    }
    pdf_page_need(&L); /* an empty document is one page */
    pdf_audit_mark_add(&L);
}

/* --- the emit pass (libharu) --------------------------------------------- */

static void on_hpdf_error(HPDF_STATUS code, HPDF_STATUS detail, void *ud)
{
    hpdf_error *e = ud;
    if (!e->code) {
        e->code = code;
        e->detail = detail;
        e->sys_errno = errno;
    }
}

/* The one place a libharu status becomes a message.  A failed write shows
   as HPDF_FILE_IO_ERROR, or as HPDF_ZLIB_ERROR (0x1066) with it as the
   detail when the deflate stream was writing. */
static void hpdf_failure(const hpdf_error *he, const char *stage, const char *path, char *err, size_t errlen)
{
    int io = he->code == HPDF_FILE_IO_ERROR || he->detail == HPDF_FILE_IO_ERROR;
    if (io && (he->sys_errno == ENOSPC || he->sys_errno == EDQUOT))
        snprintf(err, errlen, "磁盘空间不足：写入 %s 失败", path);
    else if (io)
        snprintf(err, errlen, "写入 %s 失败（系统错误 %d）", path, he->sys_errno);
    else
        snprintf(err, errlen, "PDF 库出错（0x%04X，详情 %u），%s：%s", (unsigned)he->code, (unsigned)he->detail,
                 stage, path);
}

/* The display list into a libharu document saved at `path`: the fonts, the
   Info dictionary, the pages. */
static int emit_doc(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    hpdf_error he = {0, 0, 0};
    HPDF_Doc pdf = HPDF_New(on_hpdf_error, &he);
    if (!pdf) {
        snprintf(err, errlen, "PDF 库无法建立文档");
        return -1;
    }
    emitter e = {.pdf = pdf, .c = c, .err = &he};
    const char *stage = "建立文档时";
    HPDF_SetCompressionMode(pdf, HPDF_COMP_ALL);
    int rc = -1;
    if (he.code) goto fail;
    if (pdf_fonts_load(c, &e, err, errlen) != 0) goto out;
    stage = "写入文档信息时";
    pdf_info_set(pdf, d);
    if (he.code) goto fail;
    stage = "绘制页面时";
    for (size_t i = 0; i < c->dl.n && !he.code; i++) pdf_op_emit(&e, &c->dl.v[i], c->dl.pool);
    pdf_page_flush(&e);
    if (he.code) goto fail;
    stage = "写出文件时";
    HPDF_SaveToFile(pdf, path);
    if (he.code) goto fail;
    rc = 0;
    goto out;
fail:
    hpdf_failure(&he, stage, path, err, errlen);
out:
    free(e.buf);
    free(e.cols);
    HPDF_Free(pdf);
    return rc;
}

int pdf_render(pdf_ctx *c, const rdoc *d, const char *path, char *err, size_t errlen)
{
    if (!c || !d || !path) {
        snprintf(err, errlen, "pdf_render：缺少参数");
        return -1;
    }
    c->cut_note = d->cut_note && *d->cut_note ? d->cut_note : DEFAULT_CUT_NOTE;
    layout_doc(c, d);
    return emit_doc(c, d, path, err, errlen);
}
