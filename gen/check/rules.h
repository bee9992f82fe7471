/*
 * rules.h — the checks of the notices as pure functions over the facts.
 *
 * No I/O, no formatting: a finding is data (codes, indexes, numbers).  The
 * rules judge every month of the data (rules_judge: verdict bits in the
 * facts, whatever months the run reports) and then report the findings of
 * a range of months (rules_report).  The wording of a finding's detail is
 * finding_text.c's job; what a report shows is the builders' job.
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
/** 1 for the rules whose findings belong to the whole period, no month (DU-RATE, CS-COUNT, CS-HOURS). */
int rule_is_period_scope(rule_code r);

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
    int month;        /* YYYYMM of the month it belongs to; 0 for the period rules (DU-RATE, CS-COUNT, CS-HOURS) */
    int record;       /* service index for CS-UNCONFIRMED; else -1 */
    union {
        struct { long a, b; };      /* numbers the detail needs (see finding_text.c) */
        unsigned long long missing; /* TD-ACTIONS: bit i = required action i missing */
    };
} finding;

typedef struct {
    finding *v;
    size_t n, cap;
} findings;

typedef struct facts facts;

/**
 * Judge every month of the data (January to the period's last month) and
 * the period: the verdict bits (`found`) of the facts' member × month,
 * meeting and branch × month tables, the lapse streaks, and the period
 * verdicts of each member (DU-RATE, and CS-COUNT / CS-HOURS in annual and
 * half-year runs).  Reads and fills f; called by facts_build.
 */
void rules_judge(facts *f);
/**
 * Append the findings of months first..last (1..12, within the data) to
 * out, plus the period findings when `with_period`; unsorted.  The run's
 * findings are those of its own months; a ledger can ask for January..M.
 */
void rules_report(const facts *f, int first, int last, int with_period, findings *out);
/** Sort findings as findings.csv wants them: branch, rule, member_id, period, detail (code point order). */
void findings_sort(const facts *f, findings *v);
void findings_free(findings *v);

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
