/*
 * report_csv.h — findings.csv and evaluation.csv (SPEC: Outputs).
 */
#ifndef ZHIBU_REPORT_CSV_H
#define ZHIBU_REPORT_CSV_H
#include "check/evaluation.h"
#include <stdio.h>

/** rule,branch,member_id,name,period,detail — sorted as the spec says. 0 ok. */
int findings_csv_write(FILE *f, const dataset *ds, const config *cfg, const rules_result *rr);
/** member_id,name,branch,score,grade,reasons — sorted by branch, member_id. */
int evaluation_csv_write(FILE *f, const dataset *ds, const config *cfg, const rules_result *rr,
                         const evaluations *ev);

#endif
