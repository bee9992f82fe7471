/*
 * pdf_mark.h — the audit mark of a filed PDF (doc/audit.md): on the last
 * page, 数据指纹 with the first 16 hex digits of the run's fingerprint under
 * a small QR code of the whole value, drawn as vector squares; and the
 * fingerprint with what rebuilds the document in the Info dictionary.
 *
 * pdf_audit.c decides where the mark goes and draws the caption with the
 * renderer's own text path; this file knows the QR code (libqrencode) and
 * the Info keys (report.h's RAUDIT_KEY_*), nothing of the page layout.
 */
#ifndef ZHIBU_PDF_MARK_H
#define ZHIBU_PDF_MARK_H
#include "model/report.h"
#include <hpdf.h>
#include <stddef.h>

#define PDF_MARK_QR_MM 15.0 /* side of the QR code: 37 modules (version 5-M) of 0.4 mm, printable and scannable */
#define PDF_MARK_PT 9.0     /* caption type size */

/** The caption: "数据指纹：" and the first 16 hex digits of the fingerprint. */
void pdf_mark_caption(const char *fingerprint, char *buf, size_t n);

/** One rectangle of a QR code (a run of dark modules), in points. */
typedef void (*pdf_mark_rect_fn)(void *ud, double x, double y, double w, double h);

/**
 * The QR code of text (error correction level M) as rectangles, one per
 * run of dark modules, for the caller to fill as one path (no seams
 * between modules): lower left corner at (x, y), `size` points wide and
 * high, without a quiet zone (leave 2 mm free around it).  Returns the
 * number of rectangles; -1 when the text cannot be encoded (out of memory).
 */
int pdf_mark_qr(const char *text, double x, double y, double size, pdf_mark_rect_fn rect, void *ud);

/**
 * Store the audit trail in the document's Info dictionary: the
 * RAUDIT_KEY_* strings (ASCII as literal strings, anything else as UTF-16BE
 * text strings) and Keywords "数据指纹 <fingerprint>".  Nothing when
 * a->fingerprint is NULL.  Errors reach the document's error handler.
 */
void pdf_mark_info(HPDF_Doc pdf, const raudit *a);

#endif
