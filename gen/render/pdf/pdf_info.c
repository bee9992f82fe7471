/*
 * pdf_info.c — the document information dictionary: its texts as UTF-16,
 * its dates from the report's period, never from the clock.
 */
#include "render/pdf/pdf_internal.h"
#include "render/pdf/pdf_mark.h"

#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int parse_date(const char *s, HPDF_Date *d)
{
    int y, m, day;
    if (!s || sscanf(s, "%4d-%2d-%2d", &y, &m, &day) != 3 || m < 1 || m > 12 || day < 1 || day > 31)
        return -1;
    memset(d, 0, sizeof *d);
    d->year = y;
    d->month = m;
    d->day = day;
    d->ind = 'Z';
    return 0;
}

/* An info entry as a UTF-16BE text string (surrogate pairs above U+FFFF):
   libharu's own path goes through a BMP-only encoder. */
static void info_text(HPDF_Doc pdf, const char *key, const char *s)
{
    size_t n = strlen(s), k = 2;
    HPDF_BYTE *b = malloc(2 + 4 * n);
    if (!b) abort();
    b[0] = 0xFE, b[1] = 0xFF;
    for (size_t i = 0; i < n;) {
        uint32_t cp = tw_utf8_next(s, n, &i);
        uint32_t u[2] = {cp, 0};
        int m = 1;
        if (cp > 0xFFFF) u[0] = 0xD800 + ((cp - 0x10000) >> 10), u[1] = 0xDC00 + ((cp - 0x10000) & 0x3FF), m = 2;
        for (int j = 0; j < m; j++) b[k++] = (HPDF_BYTE)(u[j] >> 8), b[k++] = (HPDF_BYTE)u[j];
    }
    HPDF_Binary v = HPDF_Binary_New(pdf->mmgr, b, (HPDF_UINT)k);
    if (v) HPDF_Dict_Add(pdf->info, key, v);
    free(b);
}

void pdf_info_set(HPDF_Doc pdf, const rdoc *d)
{
    /* the first entry makes the info dictionary */
    HPDF_SetInfoAttr(pdf, HPDF_INFO_CREATOR, "zhibu");
    if (!pdf->info) return;
    if (d->title) info_text(pdf, "Title", d->title);
    if (d->author) info_text(pdf, "Author", d->author);
    if (d->subject) info_text(pdf, "Subject", d->subject);
    HPDF_Date date;
    /* from the report's period, never the clock: reruns are byte-identical */
    if (parse_date(d->date, &date) == 0) {
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_CREATION_DATE, date);
        HPDF_SetInfoDateAttr(pdf, HPDF_INFO_MOD_DATE, date);
    }
    pdf_mark_info(pdf, &d->audit);
}
