/*
 * reports.h — the outputs of a run (findings.csv, evaluation.csv, a PDF per
 * branch, one XLSX workbook): builders turn the facts into report models
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
    raudit audit;            /* the run's audit trail; each document adds which one it is */
    const char *only_document; /* zhibu verify: only this one ("branch:NAME", "unit", "workbook"), else NULL */
} report_ctx;

/** The document names of the audit trail (raudit.document). */
#define REPORT_DOC_BRANCH "branch:"
#define REPORT_DOC_UNIT "unit"
#define REPORT_DOC_WORKBOOK "workbook"

/**
 * Build and render every report of the run into the output set (or only
 * rc->only_document).  Every name is reserved before anything is rendered:
 * when the set is refused (output_refused) nothing is written.  0 ok.
 * Frees c->pdf (in the parent as soon as the PDF workers are forked: the
 * workbook is built without the faces' memory).
 */
int reports_write(report_ctx *c, output_set *out);

#endif
