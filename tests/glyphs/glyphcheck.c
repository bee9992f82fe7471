/*
 * glyphcheck.c — the composite-glyph proof (run by tests/e2e/glyphs.sh).
 *
 * libharu 2.3.0 mishandles composite glyphs (component indexes above 32767,
 * nested composites), so parts of characters can vanish from the embedded
 * font.  This tool checks the whole path the reports take:
 *
 *   glyphcheck render OUT.pdf CHARS.txt [SONG IDX HEI IDX KAI IDX]
 *       renders an rdoc holding every character of CHARS.txt once in each
 *       face (level-1 headings: Hei, level-2 headings: Kai, paragraphs:
 *       Song, 1,000 characters each) through pdf_render; with font files
 *       given, they replace the fontconfig faces (and the list of refused
 *       fonts).  Prints one line
 *       "FACE FILE INDEX" per face.
 *
 *   glyphcheck compare SRC IDX CHARS.txt DIR
 *       compares, character by character, the outline FreeType builds from
 *       the source face with the ones it builds from the fonts embedded in
 *       the PDF: DIR holds N.ttf (FontFile2), N.map (CIDToGIDMap) and N.tu
 *       (ToUnicode) of each embedded font, as tests/tools/pdf_fonts.py
 *       extract writes them.  A character is intact when some embedded
 *       glyph whose ToUnicode entry is that character has exactly the
 *       source's outline (unscaled, unhinted: same contours, same points,
 *       same on/off-curve flags) — a composite whose component was lost has
 *       fewer points, and a glyph taken from another face differs.  Exit 0:
 *       all intact; 1: some lost or drawn from another face (listed);
 *       2: error.
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
        c = pdf_ctx_new_files(paths, idx, 3, err, sizeof err);
    } else {
        for (int i = 0; i < 3; i++) {
            if (fs_find_family(fam[i], found[i], sizeof found[i], &idx[i], err, sizeof err) != 0) {
                fprintf(stderr, "%s\n", err);
                free(chars);
                return 2;
            }
            paths[i] = found[i];
        }
        pdf_font_names names = {fam[0], fam[1], fam[2], NULL, 0, NULL};
        c = pdf_ctx_new(&names, err, sizeof err);  /* the production path */
    }
    if (!c) { fprintf(stderr, "%s\n", err); free(chars); return 2; }
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "字形完整性检查");
    d->date = rdoc_strdup(d, "2022-01-01");
    rsection *s = rdoc_add_section(d, NULL);
    /* in pieces of 1,000 characters: the renderer cuts a text at 2,000 */
    for (int style = 0; style < 3; style++)
        for (size_t at = 0; at < len;) {
            size_t end = at;
            for (int n = 0; n < 1000 && end < len; n++) tw_utf8_next(chars, len, &end);
            char *piece = strndup(chars + at, end - at);
            if (style == 0) rsec_add_heading(d, s, 1, piece);       /* Hei */
            else if (style == 1) rsec_add_heading(d, s, 2, piece);  /* Kai */
            else rsec_add_paragraph(d, s, piece);                   /* Song */
            free(piece);
            at = end;
        }
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

/* The (code, character) pairs of a ToUnicode map's bfchar entries. */
typedef struct {
    unsigned code;
    uint32_t cp;
} tu_entry;

static size_t parse_tounicode(const char *t, tu_entry **out)
{
    size_t n = 0, cap = 0;
    *out = NULL;
    for (const char *p = t; (p = strstr(p, "beginbfchar")) != NULL;) {
        const char *end = strstr(p, "endbfchar");
        if (!end) break;
        for (p += 11; p < end;) {
            unsigned code, hi, lo;
            int used = 0;
            const char *lt = strchr(p, '<');
            if (!lt || lt >= end) break;
            if (sscanf(lt, "<%x> <%4x%4x>%n", &code, &hi, &lo, &used) == 3 && used) {
                if (n == cap) *out = realloc(*out, (cap = cap ? 2 * cap : 256) * sizeof **out);
                (*out)[n++] = (tu_entry){code, 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00)};
            } else if (sscanf(lt, "<%x> <%x>%n", &code, &hi, &used) == 2 && used) {
                if (n == cap) *out = realloc(*out, (cap = cap ? 2 * cap : 256) * sizeof **out);
                (*out)[n++] = (tu_entry){code, hi};
            } else {
                break;
            }
            p = lt + used;
        }
        p = end;
    }
    return n;
}

typedef struct {
    FT_Face face;
    unsigned char *map;
    size_t maplen;
    tu_entry *tu;
    size_t ntu;
} embedded;

static int compare(char **argv)
{
    size_t clen;
    char *chars = slurp(argv[4], &clen);
    FT_Library lib;
    FT_Face src;
    if (!chars || FT_Init_FreeType(&lib)) { fprintf(stderr, "cannot read inputs\n"); return 2; }
    if (FT_New_Face(lib, argv[2], atoi(argv[3]), &src)) {
        fprintf(stderr, "FreeType cannot open %s\n", argv[2]);
        return 2;
    }
    embedded emb[64];
    int nemb = 0;
    for (; nemb < 64; nemb++) {
        char path[4096];
        size_t len;
        snprintf(path, sizeof path, "%s/%d.tu", argv[5], nemb);
        char *tu = slurp(path, &len);
        if (!tu) break;
        embedded *e = &emb[nemb];
        e->ntu = parse_tounicode(tu, &e->tu);
        free(tu);
        snprintf(path, sizeof path, "%s/%d.map", argv[5], nemb);
        e->map = (unsigned char *)slurp(path, &e->maplen);
        snprintf(path, sizeof path, "%s/%d.ttf", argv[5], nemb);
        if (!e->map || FT_New_Face(lib, path, 0, &e->face)) {
            fprintf(stderr, "FreeType cannot open %s\n", path);
            return 2;
        }
    }
    if (!nemb) { fprintf(stderr, "no embedded fonts in %s\n", argv[5]); return 2; }
    int total = 0, lost = 0, missing = 0;
    for (size_t i = 0; i < clen;) {
        size_t at = i;
        uint32_t cp = tw_utf8_next(chars, clen, &i);
        if (cp == '\n' || cp == '\r') continue;
        total++;
        FT_UInt sg = FT_Get_Char_Index(src, cp);
        if (!sg) { missing++; continue; }  /* not in the font: drawn from another */
        int ok = 0;
        if (load_outline(src, sg)) {
            FT_Outline a = src->glyph->outline, b;
            FT_Outline_New(lib, (FT_UInt)a.n_points, a.n_contours, &b);
            FT_Outline_Copy(&a, &b);
            for (int k = 0; k < nemb && !ok; k++)
                for (size_t j = 0; j < emb[k].ntu && !ok; j++) {
                    if (emb[k].tu[j].cp != cp) continue;
                    unsigned cid = emb[k].tu[j].code;
                    FT_UInt eg = 2 * (size_t)cid + 1 < emb[k].maplen
                                     ? (FT_UInt)(emb[k].map[2 * cid] << 8 | emb[k].map[2 * cid + 1]) : 0;
                    ok = eg && load_outline(emb[k].face, eg) && same_outline(&b, &emb[k].face->glyph->outline);
                }
            FT_Outline_Done(lib, &b);
        }
        if (!ok) {
            if (lost < 40) printf("lost U+%04X %.*s\n", (unsigned)cp, (int)(i - at), chars + at);
            lost++;
        }
    }
    printf("%d characters, %d missing from the source font, %d damaged in the PDF\n", total, missing, lost);
    for (int k = 0; k < nemb; k++) {
        FT_Done_Face(emb[k].face);
        free(emb[k].map);
        free(emb[k].tu);
    }
    FT_Done_Face(src);
    FT_Done_FreeType(lib);
    free(chars);
    return lost ? 1 : 0;
}

int main(int argc, char **argv)
{
    if (argc >= 4 && !strcmp(argv[1], "render")) return render(argc, argv);
    if (argc == 6 && !strcmp(argv[1], "compare")) return compare(argv);
    fprintf(stderr, "usage: glyphcheck render OUT.pdf CHARS [SONG IDX HEI IDX KAI IDX]\n"
                    "       glyphcheck compare SRC IDX CHARS DIR\n");
    return 2;
}
