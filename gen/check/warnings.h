/*
 * warnings.h — the early warnings (预警, SPEC "Beyond the notices"): a member
 * who can still avoid a finding if the branch acts now.
 *
 *   WARN-CS-PACE  an in-service member (a member in the month, with an
 *                 eligible month up to it) whose confirmed activities or hours
 *                 January..M are below the pace line: the year's minimum
 *                 (facts: year_min_n / year_min_centi, prorated and reduced
 *                 for special posts as CS-COUNT / CS-HOURS are) × eligible
 *                 months January..M ÷ eligible months of the year.
 *   WARN-LAPSE    a running AT-LAPSE or DU-LAPSE streak of the month, as the
 *                 facts count it (member_month at_streak / du_streak), at
 *                 least [warnings] lapse_months and below [party]
 *                 lapse_months (at the limit the rule reports it instead).
 *
 * Pure: computed from the facts, never from the records, and never a
 * finding — warnings change no verdict, no grade and no findings.csv row.
 * The list is sorted like findings.csv (branch, code, member_id, period,
 * detail) and indexed per branch.  doc/warnings.md says which month each run
 * warns about and how the pace line is compared and shown.
 */
#ifndef ZHIBU_WARNINGS_H
#define ZHIBU_WARNINGS_H
#include "check/facts.h"
#include <stddef.h>
#include <stdint.h>

typedef enum { W_CS_PACE, W_LAPSE, W_COUNT } warning_code;

/* Which streak a WARN-LAPSE is of. */
typedef enum { WS_ATTENDANCE, WS_DUES } warning_streak;

typedef struct {
    warning_code code;
    int branch, member;
    int month;                    /* YYYYMM the warning is of */
    /* WARN-CS-PACE */
    int32_t done_n, done_centi;   /* confirmed service that counts, January..month */
    int32_t pace_n, pace_centi;   /* the pace line as shown: rounded up, activities to a whole
                                     one, hours to 0.1 h (done < the exact line ⇔ done < this) */
    int32_t year_n, year_centi;   /* the year's minimum */
    int32_t need_n, need_centi;   /* still needed to reach the year's minimum (0 = reached) */
    uint8_t behind_n, behind_h;   /* below the line in activities, in hours */
    uint8_t eligible_done;        /* eligible months January..month */
    uint8_t eligible_left;        /* eligible months of the year after it */
    /* WARN-LAPSE */
    warning_streak streak;
    int length;                   /* months of the streak in `month` */
    int limit;                    /* [party] lapse_months: the streak's finding */
} warning;

typedef struct {
    warning *v;                   /* sorted as findings.csv */
    size_t n, cap;
    int month;                    /* YYYYMM warned about; 0 = none (disabled, or an annual run) */
    key_runs by_branch;           /* the warnings of each branch: one run of v */
    int *b_members;               /* branch b: members with a warning */
} warning_list;

/**
 * The warnings of month mo (1..f->last) of the run's year, or none when
 * [warnings] enabled = no or mo is 0.  Free with warnings_free().
 */
void warnings_build(const facts *f, int mo, warning_list *out);
void warnings_free(warning_list *w);

/** The month a run warns about: monthly its month, half-year the half's last month, annual none (0). */
int warnings_month(const run_period *p);

/** "WARN-CS-PACE", "WARN-LAPSE" */
const char *warning_code_name(warning_code c);
/** The warnings of branch b. */
const warning *warnings_of_branch(const warning_list *w, int b, int *n);
/** warnings.csv's period of a warning: its month, "2022-09". */
const char *warning_period(const warning *w, char *buf, size_t n);
/** warnings.csv's detail, e.g. "1—6月确认下沉服务 1 次、2 小时，按进度应达 3 次、10 小时（全年要求 5 次、20 小时）". */
const char *warning_detail(const dataset *ds, const warning *w, char *buf, size_t n);

#endif
