/*
 * xlsx_formats.c — the workbook's formats: its font (等线 unless the
 * template names another) on the default style and every format, the cell
 * formats made on demand and cached by number format, emphasis, alignment
 * and wrapping, and the fixed formats of headers, text rows and marks.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include <stdio.h>
#include <string.h>

#define DEFAULT_FONT "等线" /* Office's Chinese default (DengXian); rdoc.workbook_font overrides */

static lxw_format *new_format(xw *x)
{
    lxw_format *f = workbook_add_format(x->wb);
    if (!f) {
        xw_fail(x, "xlsx: out of memory (format)");
        return NULL;
    }
    format_set_font_name(f, x->font);
    format_set_font_family(f, 2);
    return f;
}

lxw_format *xw_cell_fmt(xw *x, int nf, int em, ralign al, int wrap)
{
    int a = al == ALIGN_CENTER ? 1 : al == ALIGN_RIGHT ? 2 : 0;
    lxw_format **slot = &x->cell[nf][em][a][wrap ? 1 : 0];
    if (*slot) return *slot;
    lxw_format *f = new_format(x);
    if (!f) return NULL;
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, a == 1 ? LXW_ALIGN_CENTER : a == 2 ? LXW_ALIGN_RIGHT : LXW_ALIGN_LEFT);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (wrap) format_set_text_wrap(f);
    if (nf >= NF_NUM && nf < NF_PCT) {
        char nfs[32] = "0";
        int d = nf - NF_NUM;
        if (d > 0) { strcat(nfs, "."); for (int i = 0; i < d; i++) strcat(nfs, "0"); }
        format_set_num_format(f, nfs);
    } else if (nf >= NF_PCT && nf < NF_DATE) {
        char nfs[32] = "0";
        int d = nf - NF_PCT;
        if (d > 0) { strcat(nfs, "."); for (int i = 0; i < d; i++) strcat(nfs, "0"); }
        strcat(nfs, "%");
        format_set_num_format(f, nfs);
    } else if (nf == NF_DATE) {
        format_set_num_format(f, "yyyy-mm-dd");
    }
    if (em == EM_FINDING) {
        format_set_bg_color(f, 0xFFC7CE); /* Excel's "light red fill" */
        format_set_font_color(f, 0x9C0006);
    } else if (em == EM_STRONG) {
        format_set_bold(f);
    }
    *slot = f;
    return f;
}

int xw_make_formats(xw *x, const rdoc *doc)
{
    /* The workbook's default (Normal) style is libxlsxwriter's first format:
       its font becomes the workbook's, so blank cells, new rows and the
       column width unit all take it (1.1.4 has no setter; the struct is public). */
    const char *fn = xw_txt(x, doc->workbook_font && *doc->workbook_font ? doc->workbook_font : DEFAULT_FONT,
                            XLSX_CLEAN_CTRL, 31);
    if (!fn) return -1;
    snprintf(x->font, sizeof x->font, "%s", fn);
    lxw_format *def = STAILQ_FIRST(x->wb->formats);
    if (!def) return xw_fail(x, "xlsx: no default format");
    format_set_font_name(def, x->font);
    format_set_font_family(def, 2);

    lxw_format *f = x->header = new_format(x);
    if (!f) return -1;
    format_set_bold(f);
    format_set_bg_color(f, 0xD9D9D9);
    format_set_border(f, LXW_BORDER_THIN);
    format_set_align(f, LXW_ALIGN_CENTER);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    format_set_text_wrap(f);
    for (int w = 0; w < 2; w++)
        for (int i = 0; i < TF_COUNT; i++) {
            f = new_format(x);
            if (!f) return -1;
            (w ? x->wrapped : x->text)[i] = f;
            format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
            if (w) {
                format_set_text_wrap(f);
                format_set_align(f, LXW_ALIGN_LEFT);
            }
            switch (i) {
            case TF_HEADING1: format_set_bold(f); format_set_font_size(f, 14); break;
            case TF_HEADING2: format_set_bold(f); format_set_font_size(f, 12); break;
            case TF_KEY: format_set_bold(f); break;
            case TF_CAPTION: format_set_bold(f); format_set_font_size(f, 12); break;
            default: break;
            }
        }
    /* the tones of conditional formats: Excel's bad / neutral / good styles */
    static const lxw_color_t bg[TONES] = {0xFFC7CE, 0xFFEB9C, 0xC6EFCE};
    static const lxw_color_t fg[TONES] = {0x9C0006, 0x9C5700, 0x006100};
    for (int i = 0; i < TONES; i++) {
        if (!(f = x->tone[i] = new_format(x))) return -1;
        format_set_bg_color(f, bg[i]);
        format_set_font_color(f, fg[i]);
    }
    return 0;
}
