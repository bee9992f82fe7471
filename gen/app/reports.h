/*
 * reports.h — the outputs of a run (findings.csv, evaluation.csv, a PDF per
 * branch, one XLSX workbook): builders turn the facts into report models
 * (report.h) from the templates; the renderers write the files.
 */
#ifndef ZHIBU_REPORTS_H
#define ZHIBU_REPORTS_H
#include "app/output.h"
#include "build/build.h"

typedef struct {
    build_input in;          /* what the builders read */
    int jobs, quiet, no_pdf, no_xlsx;
    size_t skipped_rows;
} report_ctx;

/** Build and render every output of the run into the output set. 0 ok. */
int reports_write(const report_ctx *c, output_set *out);

#endif
