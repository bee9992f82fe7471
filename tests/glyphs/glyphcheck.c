/*
 * glyphcheck.c — the composite-glyph proof (run by tests/e2e/glyphs.sh).
 *
 * libharu 2.3.0 mishandles composite glyphs (component indexes above 32767,
 * nested composites), so parts of characters can vanish from the embedded
 * font.  This tool checks the whole path the reports take:
 *
 *   glyphcheck render OUT.pdf CHARS.txt [SONG IDX HEI IDX KAI IDX]
 *       renders an rdoc holding every character of CHARS.txt once in each
 *       face (a level-1 heading: Hei, a level-2 heading: Kai, a paragraph:
 *       Song) through pdf_render; with font files given, they replace the
 *       fontconfig faces (and the list of refused fonts).  Prints one line
 *       "FACE FILE INDEX" per face.
 *
 *   glyphcheck compare SRC IDX EMBEDDED.ttf CIDTOGID.bin CHARS.txt
 *       compares, character by character, the outline FreeType builds from
 *       the source face with the one it builds from the font embedded in the
 *       PDF (its FontFile2 stream; CIDToGIDMap maps CID = Unicode to the
 *       embedded glyph).  Unscaled, unhinted outlines must be identical:
 *       same contours, same points, same on/off-curve flags.  A composite
 *       whose component was lost has fewer points.  Exit 0: all intact;
 *       1: some lost (listed); 2: error.
 */
#include "render/pdf/font_subset.h"
#include "render/pdf/render_pdf.h"
#include "render/pdf/text_wrap.h"

#include <ft2build.h>
#include FT_FREETYPE_H
#include FT_OUTLINE_H

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    char *buf = NULL;
    size_t cap = 0, n = 0, r;
    do {
        if (n + 65536 > cap) {
            cap = (n + 65536) * 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) { free(buf); fclose(f); return NULL; }
            buf = nb;
        }
        r = fread(buf + n, 1, cap - n, f);
        n += r;
    } while (r > 0);
    fclose(f);
    buf[n] = 0;
    *len = n;
    return buf;
}

/* --- render ---------------------------------------------------------------- */

static int render(int argc, char **argv)
{
    size_t len;
    char *chars = slurp(argv[3], &len), err[512];
    if (!chars) { perror(argv[3]); return 2; }
    while (len && (chars[len - 1] == '\n' || chars[len - 1] == '\r')) chars[--len] = 0;
    static const char *const fam[3] = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN"};
    static const char *const key[3] = {"song", "hei", "kai"};
    const char *paths[3];
    int idx[3];
    char found[3][1024];
    pdf_ctx *c;
    if (argc >= 10) {
        for (int i = 0; i < 3; i++) paths[i] = argv[4 + 2 * i], idx[i] = atoi(argv[5 + 2 * i]);
        c = pdf_ctx_new_files(paths, idx, err, sizeof err);
    } else {
        for (int i = 0; i < 3; i++) {
            if (fs_find_family(fam[i], found[i], sizeof found[i], &idx[i], err, sizeof err) != 0) {
                fprintf(stderr, "%s\n", err);
                free(chars);
                return 2;
            }
            paths[i] = found[i];
        }
        pdf_font_names names = {fam[0], fam[1], fam[2]};
        c = pdf_ctx_new(&names, err, sizeof err);  /* the production path */
    }
    if (!c) { fprintf(stderr, "%s\n", err); free(chars); return 2; }
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "字形完整性检查");
    d->date = rdoc_strdup(d, "2022-01-01");
    rsection *s = rdoc_add_section(d, NULL);
    rsec_add_heading(d, s, 1, chars);   /* Hei */
    rsec_add_heading(d, s, 2, chars);   /* Kai */
    rsec_add_paragraph(d, s, chars);    /* Song */
    int rc = pdf_render(c, d, argv[2], err, sizeof err);
    if (rc != 0) fprintf(stderr, "%s\n", err);
    else for (int i = 0; i < 3; i++) printf("%s %s %d\n", key[i], paths[i], idx[i]);
    rdoc_free(d);
    pdf_ctx_free(c);
    free(chars);
    return rc ? 2 : 0;
}

/* --- compare --------------------------------------------------------------- */

static int load_outline(FT_Face f, FT_UInt gid)
{
    return FT_Load_Glyph(f, gid, FT_LOAD_NO_SCALE | FT_LOAD_NO_HINTING | FT_LOAD_NO_BITMAP) == 0 &&
           f->glyph->format == FT_GLYPH_FORMAT_OUTLINE;
}

/* 1 when the two outlines are the same, point for point. */
static int same_outline(const FT_Outline *a, const FT_Outline *b)
{
    if (a->n_contours != b->n_contours || a->n_points != b->n_points) return 0;
    for (int i = 0; i < a->n_contours; i++)
        if (a->contours[i] != b->contours[i]) return 0;
    for (int i = 0; i < a->n_points; i++)
        if (a->points[i].x != b->points[i].x || a->points[i].y != b->points[i].y ||
            (a->tags[i] & 1) != (b->tags[i] & 1))
            return 0;
    return 1;
}

static int compare(char **argv)
{
    size_t clen, mlen;
    char *chars = slurp(argv[6], &clen);
    unsigned char *map = (unsigned char *)slurp(argv[5], &mlen);
    FT_Library lib;
    FT_Face src, emb;
    if (!chars || !map || FT_Init_FreeType(&lib)) { fprintf(stderr, "cannot read inputs\n"); return 2; }
    if (FT_New_Face(lib, argv[2], atoi(argv[3]), &src) || FT_New_Face(lib, argv[4], 0, &emb)) {
        fprintf(stderr, "FreeType cannot open %s or %s\n", argv[2], argv[4]);
        return 2;
    }
    int total = 0, lost = 0, missing = 0;
    for (size_t i = 0; i < clen;) {
        size_t at = i;
        uint32_t cp = tw_utf8_next(chars, clen, &i);
        if (cp == '\n' || cp == '\r') continue;
        total++;
        FT_UInt sg = FT_Get_Char_Index(src, cp);
        if (!sg) { missing++; continue; }  /* not in the font: drawn as a substitute */
        FT_UInt eg = 2 * (size_t)cp + 1 < mlen ? (FT_UInt)(map[2 * cp] << 8 | map[2 * cp + 1]) : 0;
        int ok = load_outline(src, sg);
        FT_Outline a = src->glyph->outline, b;
        FT_Outline_New(lib, (FT_UInt)a.n_points, a.n_contours, &b);
        FT_Outline_Copy(&a, &b);
        ok = ok && eg && load_outline(emb, eg) && same_outline(&b, &emb->glyph->outline);
        FT_Outline_Done(lib, &b);
        if (!ok) {
            if (lost < 40) printf("lost U+%04X %.*s\n", (unsigned)cp, (int)(i - at), chars + at);
            lost++;
        }
    }
    printf("%d characters, %d missing from the source font, %d damaged in the PDF\n", total, missing, lost);
    FT_Done_Face(src);
    FT_Done_Face(emb);
    FT_Done_FreeType(lib);
    free(chars);
    free(map);
    return lost ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "render")) return render(argc, argv);
    if (argc == 7 && !strcmp(argv[1], "compare")) return compare(argv);
    fprintf(stderr, "usage: glyphcheck render OUT.pdf CHARS [SONG IDX HEI IDX KAI IDX]\n"
                    "       glyphcheck compare SRC IDX EMBEDDED.ttf CIDTOGID.bin CHARS\n");
    return 2;
}
