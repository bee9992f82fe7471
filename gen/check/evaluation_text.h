/*
 * evaluation_text.h — the words of a grade: its reasons line.
 */
#ifndef ZHIBU_EVALUATION_TEXT_H
#define ZHIBU_EVALUATION_TEXT_H
#include "check/evaluation.h"
#include <stddef.h>

/** e.g. "问题：DU-LATE×1。得分 97.5（出勤 15/15，…），支部排名 3/7" */
const char *evaluation_reasons(const dataset *ds, const config *cfg, const rules_result *rr,
                               const evaluation *e, char *buf, size_t n);
/** "97.3" */
const char *fmt_score(int score10, char *buf, size_t n);

#endif
