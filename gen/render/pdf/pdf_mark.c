/* pdf_mark.c — see pdf_mark.h. */
#include "render/pdf/pdf_mark.h"
#include <hpdf_doc.h>
#include <hpdf_objects.h>
#include <qrencode.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ustring.h>

void pdf_mark_caption(const char *fingerprint, char *buf, size_t n)
{
    snprintf(buf, n, "数据指纹：%.16s", fingerprint ? fingerprint : "");
}

int pdf_mark_qr(const char *text, double x, double y, double size, pdf_mark_rect_fn rect, void *ud)
{
    QRcode *qr = QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1);
    if (!qr) return -1;
    int w = qr->width;
    double m = size / w;
    int any = 0;
    for (int row = 0; row < w; row++) {
        const unsigned char *d = qr->data + (size_t)row * (size_t)w;
        double top = y + size - row * m; /* row 0 is the top row */
        for (int col = 0; col < w;) {
            if (!(d[col] & 1)) {
                col++;
                continue;
            }
            int start = col;
            while (col < w && (d[col] & 1)) col++;
            rect(ud, x + start * m, top - m, (col - start) * m, m);
            any++;
        }
    }
    QRcode_free(qr);
    return any;
}

/* A text string into the Info dictionary: ASCII as a literal string, other
   text as UTF-16BE with a byte order mark (a PDF text string any viewer
   shows), whatever the document's current encoder is. */
static void info_put(HPDF_Doc pdf, const char *key, const char *value)
{
    if (!value || !pdf->info) return;
    int ascii = 1;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++)
        if (*p < 0x20 || *p > 0x7E) ascii = 0;
    if (ascii) {
        HPDF_String s = HPDF_String_New(pdf->mmgr, value, NULL);
        if (s) HPDF_Dict_Add(pdf->info, key, s);
        return;
    }
    UErrorCode st = U_ZERO_ERROR;
    int32_t units = 0;
    u_strFromUTF8WithSub(NULL, 0, &units, value, -1, 0xFFFD, NULL, &st);
    st = U_ZERO_ERROR;
    UChar *u = malloc(((size_t)units + 1) * sizeof *u);
    HPDF_BYTE *b = malloc(2 * (size_t)units + 2);
    if (!u || !b) {
        free(u);
        free(b);
        return;
    }
    u_strFromUTF8WithSub(u, units + 1, &units, value, -1, 0xFFFD, NULL, &st);
    b[0] = 0xFE;
    b[1] = 0xFF;
    for (int32_t i = 0; i < units; i++) {
        b[2 + 2 * i] = (HPDF_BYTE)(u[i] >> 8);
        b[3 + 2 * i] = (HPDF_BYTE)(u[i] & 0xFF);
    }
    if (U_SUCCESS(st)) {
        HPDF_Binary bin = HPDF_Binary_New(pdf->mmgr, b, (HPDF_UINT)(2 * units + 2));
        if (bin) HPDF_Dict_Add(pdf->info, key, bin);
    }
    free(u);
    free(b);
}

/* One of zhibu's own keys, read back by `zhibu verify`: always an ASCII
   literal string, bytes outside printable ASCII (and '%') as %XX, so any
   PDF library's plain string access reads it (doc/audit.md). */
static void info_put_key(HPDF_Doc pdf, const char *key, const char *value)
{
    if (!value || !pdf->info) return;
    size_t n = strlen(value);
    char *enc = malloc(3 * n + 1);
    if (!enc) return;
    size_t o = 0;
    for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
        if (*p < 0x20 || *p > 0x7E || *p == '%') o += (size_t)sprintf(enc + o, "%%%02X", *p);
        else enc[o++] = (char)*p;
    }
    enc[o] = 0;
    HPDF_String s = HPDF_String_New(pdf->mmgr, enc, NULL);
    if (s) HPDF_Dict_Add(pdf->info, key, s);
    free(enc);
}

void pdf_mark_info(HPDF_Doc pdf, const raudit *a)
{
    if (!a->fingerprint) return;
    char kw[128];
    snprintf(kw, sizeof kw, "数据指纹 %s", a->fingerprint);
    info_put(pdf, "Keywords", kw);
    info_put_key(pdf, RAUDIT_KEY_FINGERPRINT, a->fingerprint);
    info_put_key(pdf, RAUDIT_KEY_VERSION, a->version);
    info_put_key(pdf, RAUDIT_KEY_RUN, a->run);
    info_put_key(pdf, RAUDIT_KEY_OPTIONS, a->options);
    info_put_key(pdf, RAUDIT_KEY_DOCUMENT, a->document);
}
