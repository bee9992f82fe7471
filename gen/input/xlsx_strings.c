/*
 * xlsx_strings.c — sharedStrings.xml: every string of the table, rich-text
 * runs joined, phonetic runs left out, `_xHHHH_` escapes decoded, into one
 * buffer of the book (b->sst_buf, b->sst_off), within the count and byte caps.
 */
#include "input/xlsx_read_internal.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    xml_base x;
    int in_si, in_t, in_rph;
    tbuf cur;
    char msg[160];
} sst_state;

static void sst_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sst_state *s = ud;
    const char *ln = xr_local(name);
    if (!strcmp(ln, "sst")) {
        /* a declared count over the cap is refused before any string is read
           (an undeclared or understated count is caught by the counting below) */
        const char *u = xr_attr(atts, "uniqueCount", 0);
        unsigned long long k = u ? strtoull(u, NULL, 10) : 0;
        if (k > s->x.b->lim.sst_max_count) {
            snprintf(s->msg, sizeof s->msg, "声明了 %llu 个共享字符串，超过上限 %zu 个，拒绝读取", k,
                     s->x.b->lim.sst_max_count);
            xr_xml_stop(&s->x, 0, s->msg);
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
    const char *ln = xr_local(name);
    if (!strcmp(ln, "t")) s->in_t = 0;
    else if (!strcmp(ln, "rPh")) { if (s->in_rph) s->in_rph--; }
    else if (!strcmp(ln, "si") && s->in_si) {
        s->in_si = 0;
        size_t n = s->cur.s ? xr_x_unescape(s->cur.s, s->cur.n) : 0;
        if (b->sst_n >= b->lim.sst_max_count) {
            snprintf(s->msg, sizeof s->msg, "共享字符串超过 %zu 个，拒绝读取", b->lim.sst_max_count);
            xr_xml_stop(&s->x, 0, s->msg);
            return;
        }
        if (b->sst_len + n + 1 > b->lim.sst_max_bytes || b->sst_len + n + 1 > UINT32_MAX) {
            snprintf(s->msg, sizeof s->msg, "共享字符串总长超过 %zu MB，拒绝读取", b->lim.sst_max_bytes / MB);
            xr_xml_stop(&s->x, 0, s->msg);
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
    if (s->in_t && xr_tbuf_add(&s->cur, t, (size_t)len, s->x.b->lim.text_max)) {
        snprintf(s->msg, sizeof s->msg, "有一个字符串超过 %zu KB，拒绝读取", s->x.b->lim.text_max / 1024);
        xr_xml_stop(&s->x, 0, s->msg);
    }
}

int xr_strings_load(xlsx_book *b, problems *probs)
{
    sst_state s = {0};
    int rc = xr_part_parse(b, b->sst_part, NULL, 1, &s.x, sst_start, sst_end, sst_text, probs);
    free(s.cur.s);
    return rc;
}
