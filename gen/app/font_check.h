/*
 * font_check.h — the PDF faces of a run, checked before anything is
 * written (SPEC item 23):
 *   - the [fonts] families exist, are TrueType, and each style's face has
 *     the Chinese characters of the reports' own wording (the templates):
 *     otherwise a configuration error (exit status 2);
 *   - every character of the data that the PDFs show (names, branches,
 *     topics, service records …) is in some face; a character no face has
 *     is a warning `file:line: column: … U+XXXXX …` in the problems list
 *     (stderr, the workbook's 输入问题 sheet), and the PDF shows 〓.
 * The faces are opened once, in the parent: the PDF workers fork() after
 * and share them.
 */
#ifndef ZHIBU_FONT_CHECK_H
#define ZHIBU_FONT_CHECK_H
#include "check/rules.h"
#include "input/config.h"
#include "input/dataset.h"
#include "render/pdf/render_pdf.h"

/**
 * Open the faces of cfg's [fonts] and check them against the wording of
 * the templates in tdir that a run of `kind` uses.  NULL with a message
 * (Chinese) on a configuration error.
 */
pdf_ctx *fonts_open(const config *cfg, const char *tdir, run_kind kind, char *err, size_t errlen);

/** Add a warning to probs for each character of the shown data no face has. */
void fonts_check_data(pdf_ctx *pdf, const dataset *ds, problems *probs);

#endif
