/*
 * finding_text.h — the words of a finding: its detail line (findings.csv,
 * 问题清单) from the finding's numbers.  Formatting only; no rule logic.
 */
#ifndef ZHIBU_FINDING_TEXT_H
#define ZHIBU_FINDING_TEXT_H
#include "check/rules.h"
#include <stddef.h>

/** The detail of f, e.g. "9月党费 2022-10-08 交纳，晚于 2022-09-30". */
const char *finding_detail(const dataset *ds, const config *cfg, const finding *f, char *buf, size_t n);
/** "2022-09-30" */
const char *fmt_date(int ymd, char *buf, size_t n);
/** "120.50" → trailing zeros trimmed: "120.5", "136" */
const char *fmt_yuan(long cents, char *buf, size_t n);
/** hours × 100 → "2.5", "20" */
const char *fmt_hours(long centi, char *buf, size_t n);
/** score × 10 → "97.3" */
const char *fmt_score(int score10, char *buf, size_t n);

#endif
