/*
 * rules.h — the checks of the notices as pure functions over a dataset.
 *
 * No I/O, no formatting: a finding is data (codes, indexes, numbers).  The
 * wording of a finding's detail is finding_text.c's job; what a report
 * shows is the builders' job.
 */
#ifndef ZHIBU_RULES_H
#define ZHIBU_RULES_H
#include "input/config.h"
#include "input/dataset.h"

typedef enum {
    R_TD_HELD, R_TD_LATE, R_TD_ACTIONS, R_TD_RECORD,
    R_AT_ABSENT, R_AT_LEADER, R_AT_LAPSE,
    R_DU_UNPAID, R_DU_SHORT, R_DU_LATE, R_DU_RATE, R_DU_LAPSE,
    R_CS_MONTH, R_CS_COUNT, R_CS_HOURS, R_CS_UNCONFIRMED,
    R_COUNT
} rule_code;

/** "TD-HELD" … */
const char *rule_code_name(rule_code r);
/** 1 for rules whose scope is a member (AT-*, DU-*, CS-*). */
int rule_is_member_scope(rule_code r);

typedef enum { RUN_MONTHLY, RUN_HALFYEAR, RUN_ANNUAL, RUN_CHECK } run_kind;

typedef struct {
    run_kind kind;
    int year;
    int first_month, last_month; /* 1..12: the months whose findings are reported */
    int half;                    /* 1 or 2 for halfyear runs, else 0 */
    char label[16];              /* "2022-09", "2022-H2", "2022" */
} run_period;

/** Fill a period: monthly(YYYYMM) / halfyear(year, half) / annual(year). */
void period_monthly(run_period *p, int ym);
void period_halfyear(run_period *p, int year, int half);
void period_annual(run_period *p, int year);

typedef struct {
    rule_code rule;
    int branch;
    int member;       /* -1 for branch and meeting scope */
    int meeting;      /* meeting index for TD-LATE/ACTIONS/RECORD, AT-ABSENT; else -1 */
    int month;        /* YYYYMM for month scope and lapses */
    int record;       /* service index for CS-UNCONFIRMED; else -1 */
    long a, b;        /* numbers the detail needs (see finding_text.c) */
    unsigned long long missing; /* TD-ACTIONS: bit i = required action i missing */
} finding;

typedef struct {
    finding *v;
    size_t n, cap;
} findings;

/* Per-member figures the reports and the evaluation need. */
typedef struct {
    int assessed;            /* a member in at least one month of the period's year */
    int member_months;       /* months (1..last) in which this is a member */
    int eligible_months;     /* community-service eligible months in the period */
    int meetings_held;       /* whole-branch meetings with sign-ins while a member */
    int present, leave, absent; /* at those meetings (absent includes no row) */
    int dues_months_ok;      /* member months paid in full and on time (or dues 0) */
    long dues_due_cents, dues_paid_cents;
    int svc_count;           /* confirmed records in the period (months of membership) */
    long svc_centi;          /* their hours × 100 */
    int ytd_count;           /* confirmed records Jan..last month */
    long ytd_centi;
    int min_count;           /* the period's minimums after proration and rounding */
    long min_centi;          /* hours × 100, a multiple of 50 */
    int year_min_count;      /* the yearly minimums (for the monthly YTD view) */
    long year_min_centi;
    int special;             /* special post: factor applied */
    int rule_count[R_COUNT]; /* member-scope findings by rule */
} member_stats;

typedef struct {
    run_period period;
    findings f;
    member_stats *stats;     /* one per member */
} rules_result;

/**
 * Run every rule of the period over the dataset.  Findings come out sorted
 * as findings.csv wants them (branch, rule, member_id, period, detail).
 */
void rules_run(const dataset *ds, const config *cfg, const run_period *p, rules_result *out);
void rules_result_free(rules_result *r);

/** 1 when member m is a member in month ym (judged on the 15th). */
int member_in_month(const member *m, int ym);
/** The findings.csv period of a finding ("2022-09", a meeting id, a date, "2022", "2022-H2"). */
const char *finding_period(const dataset *ds, const run_period *p, const finding *f, char *buf, size_t n);

/* Minimums (SPEC: Minimums for a period; Settled 8). */
int min_activities(const config *cfg, int eligible_months, int special, int period_months);
long min_centi_hours(const config *cfg, int eligible_months, int special, int period_months);

/* The dues a base calls for, in exact yuan (Settled 7). -1 when no table applies. */
double dues_expected(const config *cfg, member_category cat, long base_cents);

#endif
