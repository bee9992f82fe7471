/*
 * reports.h — the human reports of a run (PDF per branch, one XLSX
 * workbook): builders turn the rule results into report models
 * (report.h) from the templates; the renderers write the files.
 */
#ifndef ZHIBU_REPORTS_H
#define ZHIBU_REPORTS_H
#include "evaluation.h"
#include "output.h"

typedef struct {
    const dataset *ds;
    const config *cfg;
    const rules_result *rr;
    const evaluations *ev;   /* annual only, else NULL */
    const problems *probs;
    const char *templates_dir;
    int jobs, quiet, no_pdf, no_xlsx;
    size_t skipped_rows;
} report_ctx;

/** Build and render every report of the run into the output set. 0 ok. */
int reports_write(const report_ctx *c, output_set *out);

#endif
