/*
 * pdf_fonts.c — the document's fonts: for each face it draws from, subsets
 * of at most GLYPHS_PER_FONT characters (font_subset.c builds them; the
 * programs are kept for the next documents), each loaded into libharu with
 * a CMap encoder of ours, a ToUnicode map and its own font program.  See
 * the glyph path in render_pdf.c.
 */
#include "render/pdf/pdf_internal.h"

#include <hpdf_conf.h>
#include <hpdf_doc.h>
#include <hpdf_encoder.h>
#include <hpdf_font.h>
#include <hpdf_objects.h>
#include <hpdf_streams.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static HPDF_BOOL any_byte(HPDF_Encoder enc, HPDF_BYTE b)
{
    (void)enc, (void)b;
    return HPDF_TRUE;
}

/*
 * The encoder of one embedded font: codes glyph_code(0 .. n) are CIDs of
 * the same value (Identity-H), each code's "unicode" — what libharu looks
 * up in the font's cmap — is the code itself (font_subset.c maps it to the
 * glyph).  One code more than the font has glyphs: libharu sizes the
 * CIDToGIDMap and /W by the largest CID but fills them only below it.
 * Registered on the document (freed with it) under `name`.
 */
static int add_encoder(HPDF_Doc pdf, const char *name, size_t n)
{
    HPDF_Encoder enc = HPDF_CMapEncoder_New(pdf->mmgr, (char *)name, NULL);
    if (!enc) return -1;
    /* what HPDF_CMapEncoder_InitAttr does, without its byte-by-byte clearing
       of 256 KB and filling of the unicode map for all 65,536 codes (only
       the codes defined below are ever looked up) */
    HPDF_CMapEncoderAttr attr = HPDF_GetMem(enc->mmgr, sizeof *attr);
    if (!attr) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    memset(attr, 0, sizeof *attr);
    enc->attr = attr;
    attr->cmap_range = HPDF_List_New(enc->mmgr, HPDF_DEF_RANGE_TBL_NUM);
    attr->notdef_range = HPDF_List_New(enc->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
    attr->code_space_range = HPDF_List_New(enc->mmgr, HPDF_DEF_ITEMS_PER_BLOCK);
    if (!attr->cmap_range || !attr->notdef_range || !attr->code_space_range) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    size_t total = n + 1, nblocks = (total + 254) / 255;
    HPDF_CidRange_Rec range[GLYPHS_PER_FONT / 255 + 3];
    for (size_t b = 0; b < nblocks; b++) {
        size_t m = total - b * 255 < 255 ? total - b * 255 : 255;
        range[b].from = glyph_code(b * 255);
        range[b].to = (HPDF_UINT16)(range[b].from + m - 1);
        range[b].cid = range[b].from;
    }
    range[nblocks] = (HPDF_CidRange_Rec){0xFFFF, 0xFFFF, 0};
    HPDF_CidRange_Rec space = {0x0000, 0xFFFF, 0};
    if (HPDF_CMapEncoder_AddCMap(enc, range) != HPDF_OK ||
        HPDF_CMapEncoder_AddCodeSpaceRange(enc, space) != HPDF_OK) {
        HPDF_Encoder_Free(enc);
        return -1;
    }
    for (size_t i = 0; i < total; i++) {
        uint16_t code = glyph_code(i);
        attr->unicode_map[code & 0xFF][code >> 8] = code;
    }
    attr->is_lead_byte_fn = any_byte;
    attr->is_trial_byte_fn = any_byte;
    snprintf(attr->registry, sizeof attr->registry, "Adobe");
    snprintf(attr->ordering, sizeof attr->ordering, "Identity-H");
    attr->suppliment = 0;
    attr->writing_mode = HPDF_WMODE_HORIZONTAL;
    enc->type = HPDF_ENCODER_TYPE_DOUBLE_BYTE;
    return HPDF_Doc_RegisterEncoder(pdf, enc) == HPDF_OK ? 0 : -1;  /* frees enc on failure */
}

/* The ToUnicode map of a font: each code back to its character, as UTF-16
   (surrogate pairs above U+FFFF) — written into the stream libharu made
   (whose cidrange form is not a valid ToUnicode map), deflated here; the
   CIDToGIDMap libharu wrote is deflated here too (see pdf_stream_deflate). */
static int write_tounicode(pdf_deflater *d, HPDF_Font font, const uint32_t *cps, size_t n)
{
    static const char hex[] = "0123456789ABCDEF";
    HPDF_Dict tu = HPDF_Dict_GetItem(font, "ToUnicode", HPDF_OCLASS_DICT);
    HPDF_Dict map = ((HPDF_FontAttr)font->attr)->map_stream;
    if (!tu || !tu->stream) return -1;
    static const char *const drop[] = {"Type", "CMapName", "CIDSystemInfo", "WMode"};
    for (size_t i = 0; i < sizeof drop / sizeof drop[0]; i++) HPDF_Dict_RemoveElement(tu, drop[i]);
    static const char head[] =
        "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n"
        "/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n"
        "/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n"
        "1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n";
    static const char tail[] = "endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n";
    char *t = malloc(sizeof head + sizeof tail + 24 * n + 32 * (n / 100 + 1));
    if (!t) abort();
    size_t k = 0;
    memcpy(t, head, sizeof head - 1), k = sizeof head - 1;
    for (size_t i = 0; i < n; i += 100) {
        size_t m = n - i < 100 ? n - i : 100;
        k += (size_t)sprintf(t + k, "%zu beginbfchar\n", m);
        for (size_t j = i; j < i + m; j++) {
            uint16_t code = glyph_code(j);
            uint32_t cp = cps[j], u[2] = {cp, 0};
            int nu = 1;
            if (cp > 0xFFFF) u[0] = 0xD800 + ((cp - 0x10000) >> 10), u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF), nu = 2;
            t[k++] = '<';
            for (int sh = 12; sh >= 0; sh -= 4) t[k++] = hex[code >> sh & 15];
            t[k++] = '>', t[k++] = ' ', t[k++] = '<';
            for (int q = 0; q < nu; q++)
                for (int sh = 12; sh >= 0; sh -= 4) t[k++] = hex[u[q] >> sh & 15];
            t[k++] = '>', t[k++] = '\n';
        }
        memcpy(t + k, "endbfchar\n", 10), k += 10;
    }
    memcpy(t + k, tail, sizeof tail - 1), k += sizeof tail - 1;
    int rc = pdf_stream_deflate(d, tu, t, k);
    free(t);
    if (rc == 0 && map && map->stream) {
        /* libharu's CIDToGIDMap, a few hundred bytes */
        HPDF_UINT len = HPDF_Stream_Size(map->stream);
        unsigned char *raw = malloc(len ? len : 1);
        if (!raw) abort();
        if (HPDF_Stream_Seek(map->stream, 0, HPDF_SEEK_SET) != HPDF_OK ||
            HPDF_Stream_Read(map->stream, raw, &len) != HPDF_OK || pdf_stream_deflate(d, map, raw, len) != 0)
            rc = -1;
        free(raw);
    }
    /* at saving, libharu gives the map and ToUnicode streams the font's
       filter: none, they are deflated already */
    font->filter = HPDF_STREAM_FILTER_NONE;
    return rc;
}

/* The program of face f's characters cps[0..n), built and deflated, or
   found from an earlier document; NULL with a message. */
static const zfont *font_program(pdf_ctx *c, int f, const uint32_t *cps, size_t n, const char *suffix,
                                 char *err, size_t errlen)
{
    zfont *slot = &c->zcache[0];
    for (int i = 0; i < ZFONT_CACHE; i++) {
        zfont *z = &c->zcache[i];
        if (z->raw && z->face == f && z->n == n && !strcmp(z->suffix, suffix) &&
            memcmp(z->cps, cps, n * sizeof *cps) == 0) {
            z->stamp = ++c->zclock;
            return z;
        }
        if (z->stamp < slot->stamp) slot = z;
    }
    uint16_t codes[GLYPHS_PER_FONT];
    for (size_t i = 0; i < n; i++) codes[i] = glyph_code(i);
    unsigned char *raw;
    size_t nraw;
    if (fs_subset_build(c->face[f], cps, codes, n, suffix, &raw, &nraw, err, errlen) != 0) return NULL;
    size_t nz;
    unsigned char *zb = pdf_deflate(c->deflater, raw, nraw, &nz);
    uint32_t *copy = malloc(n * sizeof *copy + 1);
    if (!zb || !copy) {
        snprintf(err, errlen, "内存不足：无法压缩字体");
        free(raw);
        free(zb);
        free(copy);
        return NULL;
    }
    memcpy(copy, cps, n * sizeof *copy);
    free(slot->cps);
    free(slot->raw);
    free(slot->z);
    *slot = (zfont){f, "", copy, n, raw, zb, nraw, nz, ++c->zclock};
    snprintf(slot->suffix, sizeof slot->suffix, "%s", suffix);
    return slot;
}

/*
 * The font descriptor and its FontFile2, made here before libharu would
 * make them while saving (it then keeps ours).  libharu's way reads the
 * loaded font back four bytes at a time and rebuilds its glyf table with
 * the glyphs its text-width calls marked plus their direct components
 * only, so nested composites lose parts (ü ǖ ǘ ǚ ǜ in AR PL UMing / UKai).
 * The program embedded here is the harfbuzz subset as built (every glyph
 * in it is drawn, components included), deflated once for all the
 * documents that embed the same bytes.  The descriptor's entries are
 * libharu's, from the parsed font.
 */
static int attach_program(pdf_ctx *c, HPDF_Doc pdf, HPDF_Font font, const zfont *z)
{
    /* The glyph test's negative control: libharu rebuilds the font by
       itself from the glyphs its text-width calls mark as the text is drawn
       (emit_text), with their direct components only. */
    if (c->libharu_embed) return 0;
    HPDF_FontDef def = ((HPDF_FontAttr)font->attr)->fontdef;
    HPDF_TTFontDefAttr da = def->attr;
    HPDF_Dict desc = HPDF_Dict_New(pdf->mmgr), prog = HPDF_DictStream_New(pdf->mmgr, pdf->xref);
    if (!desc || !prog || HPDF_Xref_Add(pdf->xref, desc) != HPDF_OK) return -1;
    HPDF_STATUS rc = HPDF_Stream_Write(prog->stream, z->z, (HPDF_UINT)z->nz);
    prog->filter = HPDF_STREAM_FILTER_NONE;
    prog->write_fn = pdf_flate_filter_write;
    rc += HPDF_Dict_AddNumber(prog, "Length1", (HPDF_INT32)z->nraw);
    rc += HPDF_Dict_AddName(desc, "Type", "FontDescriptor");
    rc += HPDF_Dict_AddNumber(desc, "Ascent", def->ascent);
    rc += HPDF_Dict_AddNumber(desc, "Descent", def->descent);
    rc += HPDF_Dict_AddNumber(desc, "CapHeight", def->cap_height ? def->cap_height : def->ascent);
    rc += HPDF_Dict_AddNumber(desc, "Flags", (HPDF_INT32)def->flags);
    rc += HPDF_Dict_Add(desc, "FontBBox", HPDF_Box_Array_New(pdf->mmgr, def->font_bbox));
    rc += HPDF_Dict_AddName(desc, "FontName", da->base_font);
    rc += HPDF_Dict_AddNumber(desc, "ItalicAngle", def->italic_angle);
    rc += HPDF_Dict_AddNumber(desc, "StemV", def->stemv);
    rc += HPDF_Dict_AddNumber(desc, "XHeight", def->x_height);
    rc += HPDF_Dict_Add(desc, "FontFile2", prog);
    if (rc != HPDF_OK) return -1;
    def->descriptor = desc;
    return 0;
}

/* Subset each face used, in fonts of at most GLYPHS_PER_FONT characters,
   and load them with their encoders and ToUnicode maps. */
int pdf_fonts_load(pdf_ctx *c, emitter *e, char *err, size_t errlen)
{
    const char **names = NULL;  /* fonts loaded so far (libharu owns the strings) */
    size_t nnames = 0, capnames = 0;
    int rc = 0;
    for (int f = 0; f < c->nfaces; f++) {
        face_fonts *ff = &c->ff[f];
        ff->n = ff->nfont = 0;
        if (!c->used[f].count) continue;
        ff->n = c->used[f].count;
        ff->cps = pdf_array_grow(ff->cps, &ff->cap, ff->n, sizeof *ff->cps);
        fs_cpset_list(&c->used[f], ff->cps);
        size_t nfont = (ff->n + GLYPHS_PER_FONT - 1) / GLYPHS_PER_FONT;
        ff->font = pdf_array_grow(ff->font, &ff->capfont, nfont, sizeof *ff->font);
        for (size_t k = 0; k < nfont; k++) {
            size_t at = k * GLYPHS_PER_FONT, m = ff->n - at < GLYPHS_PER_FONT ? ff->n - at : GLYPHS_PER_FONT;
            char suffix[48] = "", enc[48]; /* room for any size_t and int: no truncation */
            const char *name = NULL;
            const zfont *z = NULL;
            /* libharu keeps one font per name in a document: the second
               font of a face, or another face of the same name, is renamed */
            if (k) snprintf(suffix, sizeof suffix, "-%zu", k + 1);
            for (int tries = 0; tries < 16 && !name; tries++) {
                fs_tmpfont tf;
                if (!(z = font_program(c, f, ff->cps + at, m, suffix, err, errlen)) ||
                    fs_tmpfont_write(z->raw, z->nraw, &tf, err, errlen) != 0) {
                    rc = -1;
                    goto done;
                }
                name = HPDF_LoadTTFontFromFile(e->pdf, tf.path, HPDF_TRUE);
                fs_tmpfont_release(&tf);  /* libharu holds its own descriptor of the file */
                for (size_t i = 0; name && i < nnames; i++)
                    if (!strcmp(names[i], name)) name = NULL;
                if (name || e->err->code) break;
                snprintf(suffix, sizeof suffix, "-%zu-%d", k + 1, tries + 2);
            }
            snprintf(enc, sizeof enc, "ZB-%d-%zu", f, k);
            HPDF_Font font = NULL;
            if (name && add_encoder(e->pdf, enc, m) == 0) {
                names = pdf_array_grow(names, &capnames, nnames + 1, sizeof *names);
                names[nnames++] = name;
                font = HPDF_GetFont(e->pdf, name, enc);
            }
            if (!font || e->err->code || write_tounicode(e->c->deflater, font, ff->cps + at, m) != 0 ||
                attach_program(c, e->pdf, font, z) != 0) {
                snprintf(err, errlen, "PDF 库无法载入字体 %s 的子集（错误 0x%04X，详情 %u）", fs_face_path(c->face[f]),
                         (unsigned)e->err->code, (unsigned)e->err->detail);
                rc = -1;
                goto done;
            }
            ff->font[k] = font;
            ff->nfont = k + 1;
        }
    }
done:
    free(names);
    return rc;
}
