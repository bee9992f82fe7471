/*
 * build_typeset.c — the last pass over a document that is printed and
 * filed (the PDFs; never the workbook or the CSVs, which keep the data as
 * the input wrote it, so a secretary can find and match it there).
 *
 * Chinese typography for every text the document shows, its own wording and
 * the data's alike (doc/decisions.md, "Typography"):
 *   - no space between a Chinese character and a digit ("14 名" → "14名",
 *     "第 137 行" → "第137行"), so a search for "14名" finds it;
 *   - ASCII double quotes in a text that holds Chinese become Chinese quotes,
 *     paired in order (学习"喜迎二十大" → 学习“喜迎二十大”); an odd number of
 *     them is left as written (which one is unpaired cannot be known);
 * and the layout rule that a table without rows gets no table: its empty
 * text ("本月未发现问题。") becomes a paragraph in its place.
 */
#include "build/build.h"
#include "base/textutil.h"
#include <stdlib.h>
#include <string.h>

/* Ideographs, CJK punctuation, full-width forms and kana/hangul blocks: the
   characters a Chinese text is set in (not the em dash or other symbols). */
static int is_cjk(int cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFFEF) || (cp >= 0x20000 && cp <= 0x3FFFF);
}

static int is_digit(int cp) { return cp >= '0' && cp <= '9'; }

/* The code point before byte offset i of s (0 at the start). */
static int cp_before(const char *s, size_t i)
{
    if (i == 0) return 0;
    size_t k = i - 1;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80) k--;
    int len;
    int cp = utf8_decode(s + k, i - k, &len);
    return cp < 0 ? 0 : cp;
}

/* The code point at byte i of s, n bytes long. */
static int cp_at(const char *s, size_t i, size_t n)
{
    int len;
    int cp = utf8_decode(s + i, n - i, &len);
    return cp < 0 ? 0 : cp;
}

const char *text_typeset(rdoc *d, const char *s)
{
    if (!s || !*s) return s;
    int cjk = 0, quotes = 0, spaced = 0;
    size_t n = strlen(s);
    for (size_t i = 0; i < n;) {
        int len = 1, cp = (unsigned char)s[i] < 0x80 ? s[i] : utf8_decode(s + i, n - i, &len);
        if (cp < 0) return s; /* not UTF-8: shown as it is */
        if (is_cjk(cp)) cjk = 1;
        if (cp == '"') quotes++;
        if (cp == ' ') spaced = 1;
        i += (size_t)len;
    }
    if (!cjk || (!spaced && (!quotes || quotes % 2))) return s;
    /* at most 3 bytes more per quote */
    char *out = malloc(n + 2 * (size_t)quotes + 1);
    if (!out) abort();
    size_t o = 0;
    int open = 1, pair = quotes % 2 == 0;
    for (size_t i = 0; i < n;) {
        if (s[i] == ' ') {
            size_t j = i;
            while (j < n && s[j] == ' ') j++;
            int a = cp_before(s, i), b = j < n ? cp_at(s, j, n) : 0;
            if ((is_cjk(a) && is_digit(b)) || (is_digit(a) && is_cjk(b))) {
                i = j; /* dropped */
                continue;
            }
            memcpy(out + o, s + i, j - i);
            o += j - i;
            i = j;
            continue;
        }
        if (s[i] == '"' && pair) {
            memcpy(out + o, open ? "\xE2\x80\x9C" : "\xE2\x80\x9D", 3); /* “ ” */
            o += 3;
            open = !open;
            i++;
            continue;
        }
        out[o++] = s[i++];
    }
    out[o] = 0;
    const char *r = strcmp(out, s) ? rdoc_strdup(d, out) : s;
    free(out);
    return r;
}

static void cell_typeset(rdoc *d, rcell *c)
{
    if (c->type == CELL_TEXT || c->type == CELL_EMPTY) c->text = text_typeset(d, c->text);
}

static void table_typeset(rdoc *d, rtable *t)
{
    t->caption = text_typeset(d, t->caption);
    t->empty_text = text_typeset(d, t->empty_text);
    for (int i = 0; i < t->ncols; i++) t->cols[i].title = text_typeset(d, t->cols[i].title);
    if (!t->cells) return; /* a row source: the CSVs only */
    for (size_t k = 0; k < t->nrows * (size_t)t->ncols; k++) cell_typeset(d, &t->cells[k]);
}

void build_finish_pdf(rdoc *d)
{
    d->title = text_typeset(d, d->title);
    d->subtitle = text_typeset(d, d->subtitle);
    d->footer = text_typeset(d, d->footer);
    for (size_t i = 0; i < d->nsections; i++) {
        rsection *s = &d->sections[i];
        for (size_t j = 0; j < s->nblocks; j++) {
            rblock *b = &s->blocks[j];
            switch (b->kind) {
            case BLK_HEADING:
            case BLK_PARAGRAPH: b->text = text_typeset(d, b->text); break;
            case BLK_KV:
                for (int k = 0; k < b->kv->nitems; k++) {
                    b->kv->keys[k] = text_typeset(d, b->kv->keys[k]);
                    b->kv->values[k] = text_typeset(d, b->kv->values[k]);
                }
                break;
            case BLK_TABLE:
                table_typeset(d, b->table);
                if (b->table->nrows == 0) { /* no table without rows: its sentence instead */
                    const char *e = b->table->empty_text;
                    b->kind = BLK_PARAGRAPH;
                    b->text = e && *e ? e : "无";
                    b->table = NULL;
                }
                break;
            case BLK_CHART: {
                rchart *c = b->chart;
                c->title = text_typeset(d, c->title);
                c->y_title = text_typeset(d, c->y_title);
                for (int k = 0; k < c->ncats; k++) c->cats[k] = text_typeset(d, c->cats[k]);
                for (int k = 0; k < c->nseries; k++) c->series[k].name = text_typeset(d, c->series[k].name);
                break;
            }
            case BLK_SIGNATURE:
                for (int k = 0; k < b->sig->nlines; k++) b->sig->lines[k] = text_typeset(d, b->sig->lines[k]);
                break;
            case BLK_PAGEBREAK: break;
            }
        }
    }
}
