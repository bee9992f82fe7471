/* font_check.c — the run's PDF faces and the characters they must draw (see font_check.h). */
#include "app/font_check.h"
#include "base/textutil.h"
#include "input/ini_file.h"
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* --- the reports' wording ---------------------------------------------------- */

/* Append every value of template dir/name to *text (a missing template is
   left to the report phase, which names it). */
static void add_template_text(const char *dir, const char *name, char **text, size_t *len)
{
    char path[4096], err[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    ini_file ini;
    if (ini_file_load(&ini, path, err, sizeof err) != 0) return;
    for (ssize_t i = 0; i < ini.dict->size; i++) {
        const char *v = ini.dict->val[i];
        if (!ini.dict->key[i] || !v) continue;
        size_t n = strlen(v);
        char *t = realloc(*text, *len + n + 2);
        if (!t) abort();
        memcpy(t + *len, v, n);
        t[*len + n] = '\n';
        t[*len + n + 1] = 0;
        *text = t;
        *len += n + 1;
    }
    ini_file_free(&ini);
}

pdf_ctx *fonts_open(const config *cfg, const char *tdir, run_kind kind, char *err, size_t errlen)
{
    pdf_font_names names = {cfg->font_song, cfg->font_hei, cfg->font_kai, cfg->font_fallback,
                            cfg->nfont_fallback, cfg->font_latin};
    pdf_ctx *pdf = pdf_ctx_new(&names, err, errlen);
    if (!pdf) return NULL;
    static const char *const templates[][3] = {
        [RUN_MONTHLY] = {"monthly.ini"},
        [RUN_HALFYEAR] = {"halfyear.ini"},
        [RUN_ANNUAL] = {"annual.ini", "unit-annual.ini"},
        [RUN_CHECK] = {"monthly.ini", "halfyear.ini", "annual.ini"},
    };
    char *text = NULL;
    size_t len = 0;
    for (int i = 0; i < 3 && templates[kind][i]; i++) add_template_text(tdir, templates[kind][i], &text, &len);
    add_template_text(tdir, "wording.ini", &text, &len);
    int rc = pdf_ctx_check_wording(pdf, text ? text : "", err, errlen);
    free(text);
    if (rc) {
        pdf_ctx_free(pdf);
        return NULL;
    }
    return pdf;
}

/* --- the data ------------------------------------------------------------------ */

/* Characters found missing: (field, code point) → occurrences and the
   first line, in an open-addressing table. */
typedef struct {
    uint64_t key;     /* field << 21 | cp, + 1 (0 = empty slot) */
    size_t count;
    int line;
} miss;

typedef struct {
    pdf_ctx *pdf;
    unsigned char ascii_ok[128];
    miss *v;
    size_t n, cap;
    const char **seen;  /* strings already found clean (interned ones repeat) */
    size_t nseen, capseen;
} scan;

static size_t hash64(uint64_t k)
{
    k ^= k >> 33;
    k *= 0xff51afd7ed558ccdULL;
    k ^= k >> 33;
    return (size_t)k;
}

static miss *miss_slot(scan *s, uint64_t key)
{
    if (2 * (s->n + 1) > s->cap) {
        size_t cap = s->cap ? 2 * s->cap : 64;
        miss *v = calloc(cap, sizeof *v);
        if (!v) abort();
        for (size_t i = 0; i < s->cap; i++)
            if (s->v[i].key) {
                size_t j = hash64(s->v[i].key) & (cap - 1);
                while (v[j].key) j = (j + 1) & (cap - 1);
                v[j] = s->v[i];
            }
        free(s->v);
        s->v = v;
        s->cap = cap;
    }
    size_t j = hash64(key) & (s->cap - 1);
    while (s->v[j].key && s->v[j].key != key) j = (j + 1) & (s->cap - 1);
    if (!s->v[j].key) {
        s->v[j].key = key;
        s->n++;
    }
    return &s->v[j];
}

static int seen_has(scan *s, const char *p, int add)
{
    if (add && 2 * (s->nseen + 1) > s->capseen) {
        size_t cap = s->capseen ? 2 * s->capseen : 256;
        const char **v = calloc(cap, sizeof *v);
        if (!v) abort();
        for (size_t i = 0; i < s->capseen; i++)
            if (s->seen[i]) {
                size_t j = hash64((uintptr_t)s->seen[i]) & (cap - 1);
                while (v[j]) j = (j + 1) & (cap - 1);
                v[j] = s->seen[i];
            }
        free(s->seen);
        s->seen = v;
        s->capseen = cap;
    }
    if (!s->capseen) return 0;
    size_t j = hash64((uintptr_t)p) & (s->capseen - 1);
    while (s->seen[j] && s->seen[j] != p) j = (j + 1) & (s->capseen - 1);
    if (s->seen[j]) return 1;
    if (add) {
        s->seen[j] = p;
        s->nseen++;
    }
    return 0;
}

/* Check one text of field `field` at `line`. */
static void check_text(scan *s, int field, const char *text, int line)
{
    if (!text || !*text || seen_has(s, text, 0)) return;
    const unsigned char *p = (const unsigned char *)text;
    size_t n = strlen(text);
    int clean = 1;
    for (size_t i = 0; i < n;) {
        if (p[i] < 0x80 && s->ascii_ok[p[i]]) { i++; continue; }
        int len, v = utf8_decode(text + i, n - i, &len); /* -1: a broken byte, shown as 〓 */
        uint32_t cp = v < 0 ? 0xFFFD : (uint32_t)v;
        i += (size_t)len;
        /* control characters are dropped, not drawn */
        if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0) || cp == 0xFEFF) continue;
        if (cp != 0xFFFD && pdf_ctx_covers(s->pdf, cp)) continue;
        clean = 0;
        miss *m = miss_slot(s, ((uint64_t)field << 21 | cp) + 1);
        if (!m->count++) m->line = line;
    }
    if (clean) seen_has(s, text, 1);
}

typedef struct {
    input_file file;
    const char *column;
} field_def;

enum { FD_MEMBER_ID, FD_NAME, FD_UNIT, FD_BRANCH, FD_MEETING_ID, FD_TOPIC, FD_ACTIONS, FD_REASON,
       FD_COMMUNITY, FD_CONTENT, FD_CONFIRMED_BY, FD_RATING, FD_TYPE, FD_COUNT };

static const field_def fields[FD_COUNT] = {
    [FD_MEMBER_ID] = {F_MEMBERS, "member_id"},   [FD_NAME] = {F_MEMBERS, "name"},
    [FD_UNIT] = {F_MEMBERS, "unit"},             [FD_BRANCH] = {F_MEMBERS, "branch"},
    [FD_MEETING_ID] = {F_MEETINGS, "meeting_id"}, [FD_TOPIC] = {F_MEETINGS, "topic"},
    [FD_ACTIONS] = {F_MEETINGS, "actions"},      [FD_REASON] = {F_ATTENDANCE, "reason"},
    [FD_COMMUNITY] = {F_SERVICE, "community"},   [FD_CONTENT] = {F_SERVICE, "content"},
    [FD_CONFIRMED_BY] = {F_SERVICE, "confirmed_by"}, [FD_RATING] = {F_SERVICE, "rating"},
    [FD_TYPE] = {F_EXEMPTIONS, "type"},
};

static int by_field_line(const void *a, const void *b)
{
    const miss *x = a, *y = b;
    uint64_t fx = x->key >> 21, fy = y->key >> 21;
    if (fx != fy) return fx < fy ? -1 : 1;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return x->key < y->key ? -1 : x->key > y->key;
}

/* At most this many characters are named per column; the rest are counted. */
enum { MAX_NAMED = 20 };

void fonts_check_data(pdf_ctx *pdf, const dataset *ds, problems *probs)
{
    scan s = {.pdf = pdf};
    for (uint32_t c = 0; c < 128; c++) s.ascii_ok[c] = c >= 0x20 && c < 0x7F && pdf_ctx_covers(pdf, c);
    unsigned char *branch_seen = calloc(ds->nbranches + 1, 1);
    if (!branch_seen) abort();
    for (size_t i = 0; i < ds->nmembers; i++) {
        const member *m = &ds->members[i];
        check_text(&s, FD_MEMBER_ID, m->id, m->line);
        check_text(&s, FD_NAME, m->name, m->line);
        check_text(&s, FD_UNIT, m->unit, m->line);
        if (m->branch >= 0 && (size_t)m->branch < ds->nbranches && !branch_seen[m->branch]) {
            branch_seen[m->branch] = 1;
            check_text(&s, FD_BRANCH, ds->branches[m->branch].name, m->line);
        }
    }
    free(branch_seen);
    for (size_t i = 0; i < ds->nmeetings; i++) {
        const meeting *m = &ds->meetings[i];
        check_text(&s, FD_MEETING_ID, m->id, m->line);
        check_text(&s, FD_TOPIC, m->topic, m->line);
        check_text(&s, FD_ACTIONS, m->actions, m->line);
    }
    for (size_t i = 0; i < ds->natt; i++) check_text(&s, FD_REASON, ds->att[i].reason, ds->att[i].line);
    for (size_t i = 0; i < ds->nsvc; i++) {
        const service_record *r = &ds->svc[i];
        check_text(&s, FD_COMMUNITY, r->community, r->line);
        check_text(&s, FD_CONTENT, r->content, r->line);
        check_text(&s, FD_CONFIRMED_BY, r->confirmer, r->line);
        check_text(&s, FD_RATING, r->rating, r->line);
    }
    for (size_t i = 0; i < ds->nexm; i++) check_text(&s, FD_TYPE, ds->exm[i].type, ds->exm[i].line);

    /* one warning per column and character, at its first line */
    size_t k = 0;
    for (size_t i = 0; i < s.cap; i++)
        if (s.v[i].key) s.v[k++] = s.v[i];
    if (k) qsort(s.v, k, sizeof *s.v, by_field_line);
    for (size_t i = 0; i < k;) {
        int field = (int)(s.v[i].key >> 21);
        const field_def *fd = &fields[field];
        size_t named = 0, more = 0, more_count = 0;
        for (; i < k && (int)(s.v[i].key >> 21) == field; i++) {
            const miss *m = &s.v[i];
            uint32_t cp = (uint32_t)((m->key - 1) & 0x1FFFFF);
            if (named == MAX_NAMED) {
                more++;
                more_count += m->count;
                continue;
            }
            named++;
            char ch[8] = "";
            if (cp != 0xFFFD) {
                unsigned char *q = (unsigned char *)ch;
                if (cp < 0x800) q[0] = (unsigned char)(0xC0 | cp >> 6), q[1] = (unsigned char)(0x80 | (cp & 0x3F));
                else if (cp < 0x10000)
                    q[0] = (unsigned char)(0xE0 | cp >> 12), q[1] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)),
                    q[2] = (unsigned char)(0x80 | (cp & 0x3F));
                else
                    q[0] = (unsigned char)(0xF0 | cp >> 18), q[1] = (unsigned char)(0x80 | (cp >> 12 & 0x3F)),
                    q[2] = (unsigned char)(0x80 | (cp >> 6 & 0x3F)), q[3] = (unsigned char)(0x80 | (cp & 0x3F));
            }
            char where[64] = "";
            if (m->count > 1) snprintf(where, sizeof where, "（本列共 %zu 处，这是第一处）", m->count);
            problem_add(probs, PROB_WARNING, ds->files[fd->file].name, m->line, fd->column,
                        "字符“%s”（U+%04X）在 PDF 的所有字体中都没有，PDF 中显示为〓%s；"
                        "可在 [fonts] fallback 中加入有这个字的字体",
                        ch, (unsigned)cp, where);
        }
        if (more)
            problem_add(probs, PROB_WARNING, ds->files[fd->file].name, 0, fd->column,
                        "另有 %zu 种字符（共 %zu 处）在 PDF 的所有字体中都没有，PDF 中显示为〓", more, more_count);
    }
    free(s.v);
    free(s.seen);
}
