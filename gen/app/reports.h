/*
 * reports.h — the human reports of a run (PDF per branch, one XLSX
 * workbook): builders turn the rule results into report models
 * (report.h) from the templates; the renderers write the files.
 */
#ifndef ZHIBU_REPORTS_H
#define ZHIBU_REPORTS_H
#include "app/output.h"
#include "build/build.h"
#include "render/pdf/render_pdf.h"

typedef struct {
    build_input in;          /* what the builders read */
    int jobs, quiet, no_pdf, no_xlsx;
    size_t skipped_rows;
    pdf_ctx *pdf;            /* the faces, opened by the run (font_check.h); NULL without PDFs */
} report_ctx;

/** Build and render every report of the run into the output set. 0 ok.
    Frees c->pdf (in the parent as soon as the PDF workers are forked: the
    workbook is built without the faces' memory). */
int reports_write(report_ctx *c, output_set *out);

#endif
