/*
 * build_reports.h — the report builders: each returns a report model for
 * one document, from the run's data and the template loaded in b->tmpl.
 */
#ifndef ZHIBU_BUILD_REPORTS_H
#define ZHIBU_BUILD_REPORTS_H
#include "build/build.h"

/** templates/monthly.ini: one branch's monthly report. */
rdoc *build_monthly_branch(build_ctx *b, int branch);
/** templates/annual.ini: one branch's year-end assessment packet. */
rdoc *build_annual_branch(build_ctx *b, int branch);
/** templates/unit-annual.ini: the unit's annual 双报告 (all branches of the run). */
rdoc *build_annual_unit(build_ctx *b);
/** templates/halfyear.ini: one branch's 个人下沉社区情况报告表 forms. */
rdoc *build_halfyear_branch(build_ctx *b, int branch);
/** templates/workbook.ini: the run's workbook (every kind of run). */
rdoc *build_workbook(build_ctx *b);
/** findings.csv: one table, its rows made on demand (SPEC: Outputs). */
rdoc *build_findings_csv(build_ctx *b);
/** evaluation.csv (annual): one table, its rows made on demand. */
rdoc *build_evaluation_csv(build_ctx *b);
/** warnings.csv (monthly, half-year): findings.csv's columns, one row per warning. */
rdoc *build_warnings_csv(build_ctx *b);

/* ---- 预警 and 整改 (build_warnings.c, build_ledger.c): one call per template section ---- */

/** The 预警名单 section of a branch PDF (monthly, half-year): heading, then the branch's
    warnings, or one line when there are none. */
void build_warnings_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, const tvars *v);
/** The 问题整改情况 section of a branch PDF (monthly, annual): the ledger carried forward. */
void build_rectification_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, const tvars *v);
/** Workbook sheets: 预警 (not in annual runs), 问题清单 (the run's findings with their
    problem_id and the ledger columns), 整改台账 (monthly and annual runs). */
void build_warnings_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *v);
void build_findings_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *v);
void build_ledger_sheet(build_ctx *b, rdoc *d, const char *sec, const tvars *v);

/* shared rows */
/** The meetings table's columns (keys: date kind topic actions_done actions_missing
    minutes signed_in on_time meeting_id branch) and one row of it for meeting k. */
extern const coldef meeting_cols[];
extern const int meeting_ncols;
void build_meeting_row(build_ctx *b, rdoc *d, btable *bt, int k);
/** Dues of member m for ym (keys: member_id name category due paid paid_on status branch month). */
extern const coldef dues_cols[];
extern const int dues_ncols;
void build_dues_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym);
/** The note of member m's service month mo (exempt, none confirmed, unconfirmed records); *finding set when it is a problem. */
const char *service_note(const build_ctx *b, rdoc *d, int m, int mo, int *finding);
/** Community service of member m in ym and year to date (keys: member_id name special_post
    month_count month_hours ytd_count ytd_hours year_minimum note branch). */
extern const coldef service_cols[];
extern const int service_ncols;
void build_service_row(build_ctx *b, rdoc *d, btable *bt, int m, int ym);

#endif
