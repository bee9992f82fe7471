/* build_workbook.c — the run's workbook (in progress). */
#include "build_reports.h"
rdoc *build_workbook(build_ctx *b) { return build_monthly_branch(b, 0); }
