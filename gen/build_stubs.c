/* Placeholders for the builders still being written: each falls back to the monthly layout. */
#include "build_reports.h"
rdoc *build_annual_branch(build_ctx *b, int branch) { return build_monthly_branch(b, branch); }
rdoc *build_annual_unit(build_ctx *b) { return build_monthly_branch(b, 0); }
rdoc *build_halfyear_branch(build_ctx *b, int branch) { return build_monthly_branch(b, branch); }
