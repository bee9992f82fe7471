/*
 * pdf_faces.c — the context's faces (see render_pdf.h): the families found
 * through fontconfig and opened once for the run, each style's chain (its
 * own face, the Latin face for its digits and letters, the fallbacks), the
 * face that draws each character, and the checks of coverage and of the
 * reports' wording.
 */
#include "render/pdf/pdf_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const style_key[NSTYLES] = {"song", "hei", "kai"};
static const char *const style_name[NSTYLES] = {"宋体（标题、正文、表格）", "黑体（一级标题、表头）", "楷体（二级标题）"};

/* The NAIVE_* rules a value of ZHIBU_PDF_NAIVE names. */
static int naive_rules(const char *v)
{
    if (!v) return 0;
    return (strstr(v, "widths") ? NAIVE_WIDTHS : 0) | (strstr(v, "keep") ? NAIVE_KEEP : 0) |
           (strstr(v, "rows") ? NAIVE_ROWS : 0);
}

/* Fonts whose composite glyphs libharu 2.3.0 breaks (STACK-NOTES.md). */
static int refused_font(const char *family, const char *path)
{
    static const char *const bad[] = {"droid sans fallback", "wenquanyi micro hei",
                                      "droidsansfallback", "wqy-microhei"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (strcasestr(family, bad[i]) || strcasestr(path, bad[i])) return 1;
    return 0;
}

/* The [fonts] key of face i, for messages (LATIN_KEY: the Latin face). */
#define LATIN_KEY (-1)
static const char *face_key(int i) { return i == LATIN_KEY ? "latin" : i < NSTYLES ? style_key[i] : "fallback"; }

/* The styles whose digits and letters come from the Latin face: Song (body,
   tables: Liberation Serif is metric-compatible with the Times New Roman
   that 仿宋 is paired with) and Kai; Hei keeps its own sans digits, which
   match its strokes (headings, header rows, captions). */
static const int style_latin[NSTYLES] = {[F_SONG] = 1, [F_HEI] = 0, [F_KAI] = 1};

/* A context over the faces opened from paths[] (0..2 the styles' faces,
   3.. the fallback chain) and the Latin face latin_path (NULL: none).  The
   same file opened twice is one face. */
static pdf_ctx *ctx_open(const char *const *paths, const int *indexes, const char *const *families,
                         int n, const char *latin_path, int latin_index, const char *latin_family,
                         char *err, size_t errlen)
{
    if (n < NSTYLES || n > MAX_FACES - 1) {
        snprintf(err, errlen, "PDF 字体：须有宋体、黑体、楷体三种字体，备用字体最多 %d 种", MAX_FACES - 1 - NSTYLES);
        return NULL;
    }
    pdf_ctx *c = calloc(1, sizeof *c);
    if (!c) {
        snprintf(err, errlen, "内存不足");
        return NULL;
    }
    c->tw = tw_breaker_new(err, errlen);
    c->deflater = pdf_deflater_new();
    if (!c->tw || !c->deflater) {
        if (c->tw && !c->deflater) snprintf(err, errlen, "内存不足");
        tw_breaker_free(c->tw);
        pdf_deflater_free(c->deflater);
        free(c);
        return NULL;
    }
    const char *le = getenv("ZHIBU_PDF_LIBHARU_EMBED");
    c->libharu_embed = le && *le == '1';
    c->naive = naive_rules(getenv("ZHIBU_PDF_NAIVE"));
    uint8_t slot[MAX_FACES];
    for (int i = 0; i < n; i++) {
        int same = -1;
        for (int k = 0; k < i && same < 0; k++)
            if (!strcmp(paths[k], paths[i]) && indexes[k] == indexes[i]) same = slot[k];
        if (same >= 0) {
            slot[i] = (uint8_t)same;
            continue;
        }
        char label[160];
        snprintf(label, sizeof label, "[fonts] %s：字体“%s”", face_key(i), families ? families[i] : paths[i]);
        c->face[c->nfaces] = fs_face_open(paths[i], indexes[i], label, err, errlen);
        if (!c->face[c->nfaces]) {
            pdf_ctx_free(c);
            return NULL;
        }
        c->family[c->nfaces] = strdup(families ? families[i] : paths[i]);
        slot[i] = (uint8_t)c->nfaces++;
    }
    for (int s = 0; s < NSTYLES; s++) c->latin[s] = -1;
    if (latin_path) {
        char label[160];
        snprintf(label, sizeof label, "[fonts] latin：字体“%s”", latin_family ? latin_family : latin_path);
        c->face[c->nfaces] = fs_face_open(latin_path, latin_index, label, err, errlen);
        if (!c->face[c->nfaces]) {
            pdf_ctx_free(c);
            return NULL;
        }
        c->family[c->nfaces] = strdup(latin_family ? latin_family : latin_path);
        for (int s = 0; s < NSTYLES; s++)
            if (style_latin[s]) c->latin[s] = c->nfaces;
        c->nfaces++;
    }
    /* each style: its face, then the fallbacks in order (a face once) */
    for (int s = 0; s < NSTYLES; s++) {
        for (int i = s; i < n; i = i == s ? NSTYLES : i + 1) {
            int dup = 0;
            for (int k = 0; k < c->nchain[s]; k++) dup |= c->chain[s][k] == slot[i];
            if (!dup) c->chain[s][c->nchain[s]++] = slot[i];
        }
    }
    return c;
}

pdf_ctx *pdf_ctx_new_files(const char *const *paths, const int *indexes, int nfaces,
                           char *err, size_t errlen)
{
    return ctx_open(paths, indexes, NULL, nfaces, NULL, 0, NULL, err, errlen);
}

/* Look up one family; 0, or -1 with a message naming the [fonts] key. */
static int find_face(const char *key, const char *family, char *path, size_t pathlen, int *index,
                     char *err, size_t errlen)
{
    char why[512];
    if (!family || !*family) {
        snprintf(err, errlen, "[fonts] %s：没有给出字体名", key);
        return -1;
    }
    if (fs_find_family(family, path, pathlen, index, why, sizeof why) != 0) {
        snprintf(err, errlen, "[fonts] %s：%s", key, why);
        return -1;
    }
    if (refused_font(family, path)) {
        snprintf(err, errlen, "[fonts] %s：“%s”（%s）的复合字形在 PDF 库中会丢失笔画，不能使用；"
                 "请改用 AR PL UMing CN、AR PL UKai CN 或 WenQuanYi Zen Hei 等 TrueType 字体",
                 key, family, path);
        return -1;
    }
    return 0;
}

pdf_ctx *pdf_ctx_new(const pdf_font_names *names, char *err, size_t errlen)
{
    int n = NSTYLES + (names->nfallback > 0 ? names->nfallback : 0);
    if (n > MAX_FACES - 1) {
        snprintf(err, errlen, "[fonts] fallback：备用字体最多 %d 种", MAX_FACES - 1 - NSTYLES);
        return NULL;
    }
    const char *fam[MAX_FACES] = {names->song, names->hei, names->kai};
    for (int i = NSTYLES; i < n; i++) fam[i] = names->fallback[i - NSTYLES];
    char path[MAX_FACES][1024];
    const char *p[MAX_FACES];
    int index[MAX_FACES], bad = 0;
    for (int i = 0; i < n && !bad; i++) {
        bad = find_face(face_key(i), fam[i], path[i], sizeof path[i], &index[i], err, errlen);
        p[i] = path[i];
    }
    char lpath[1024];
    int lindex = 0, latin = names->latin && *names->latin;
    if (!bad && latin) bad = find_face("latin", names->latin, lpath, sizeof lpath, &lindex, err, errlen);
    fs_find_done();  /* the only lookups of the run */
    if (bad) return NULL;
    return ctx_open(p, index, fam, n, latin ? lpath : NULL, lindex, names->latin, err, errlen);
}

void pdf_ctx_free(pdf_ctx *c)
{
    if (!c) return;
    for (int i = 0; i < c->nfaces; i++) {
        fs_face_free(c->face[i]);
        free(c->family[i]);
        fs_cpset_free(&c->used[i]);
        free(c->ff[i].cps);
        free(c->ff[i].font);
    }
    tw_breaker_free(c->tw);
    pdf_deflater_free(c->deflater);
    free(c->dl.v);
    free(c->dl.pool);
    tw_lines_free(&c->lines);
    free(c->ts.x);
    free(c->ts.cells);
    free(c->ts.lines);
    free(c->ts.rl);
    free(c->ts.need);
    free(c->ts.rowbuf);
    for (int i = 0; i < ZFONT_CACHE; i++) {
        free(c->zcache[i].cps);
        free(c->zcache[i].raw);
        free(c->zcache[i].z);
    }
    free(c);
}

/* The face that draws cp in a style — the first of the style's chain that
   has it, or -1 — and its advance there.  Every character measured or
   drawn comes here, so the BMP answers are kept. */
uint32_t pdf_pick_slow(pdf_ctx *c, int style, uint32_t cp)
{
    int f = -1;
    /* the Latin face draws ASCII letters, digits and punctuation only (the
       space stays the Chinese face's: it separates Chinese words) */
    if (cp > 0x20 && cp < 0x7F && c->latin[style] >= 0 && fs_face_has(c->face[c->latin[style]], cp))
        f = c->latin[style];
    for (int i = 0; i < c->nchain[style] && f < 0; i++)
        if (fs_face_has(c->face[c->chain[style][i]], cp)) f = c->chain[style][i];
    uint32_t v = f < 0 ? PICK_NONE : (uint32_t)(f + 1) << 16 | (uint16_t)fs_face_advance(c->face[f], cp);
    if (cp <= 0xFFFF) c->pick[style][cp] = v;
    return v;
}

int pdf_ctx_covers(pdf_ctx *c, uint32_t cp)
{
    for (int s = 0; s < NSTYLES; s++)
        if (pick(c, s, cp) < 0) return 0;
    return 1;
}

/* Chinese characters and punctuation: what a face for Chinese text must have. */
static int is_cjk(uint32_t cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) ||
           (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF01 && cp <= 0xFF5E) || cp >= 0x20000;
}

int pdf_ctx_check_wording(pdf_ctx *c, const char *text, char *err, size_t errlen)
{
    static const char *const example[NSTYLES] = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN"};
    size_t n = text ? strlen(text) : 0;
    int rc = 0;
    fs_cpset seen = {0};
    for (int s = 0; s < NSTYLES && rc == 0; s++) {
        fs_face *f = c->face[c->chain[s][0]];
        uint32_t first = 0;
        size_t missing = 0;
        fs_cpset_clear(&seen);
        for (size_t i = 0; i < n;) {
            uint32_t cp = tw_utf8_next(text, n, &i);
            if (!is_cjk(cp) || fs_cpset_has(&seen, cp)) continue;
            fs_cpset_add(&seen, cp);
            if (!fs_face_has(f, cp) && !missing++) first = cp;
        }
        if (missing) {
            char ch[8] = {0}, more[48] = "";
            pdf_utf8_put(ch, first);
            if (missing > 1) snprintf(more, sizeof more, "等 %zu 个字", missing);
            snprintf(err, errlen, "[fonts] %s：字体“%s”没有报告用字“%s”（U+%04X）%s，不能用作%s；"
                     "请改用含中文的 TrueType 字体，如 %s",
                     style_key[s], c->family[c->chain[s][0]], ch, (unsigned)first, more, style_name[s],
                     example[s]);
            rc = -1;
        }
    }
    fs_cpset_free(&seen);
    return rc;
}
