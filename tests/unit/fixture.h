/*
 * fixture.h — small hand-made input directories for the rule tests, and the
 * helpers the reader tests share (their problems, their files).
 */
#ifndef ZHIBU_FIXTURE_H
#define ZHIBU_FIXTURE_H
#include "check/facts.h"
#include "base/problems.h"

typedef struct {
    const char *members, *meetings, *attendance, *dues, *service, *exemptions, *rules;
} fixture_files;

typedef struct {
    char dir[256];
    config cfg;
    problems probs;
    dataset ds;
    facts facts;        /* the run's facts: findings in facts.f, grades in facts.ev */
    int load_rc;
} fixture;

/** The hand-made case of test_facts.c and test_build.c (members A1 A2 R1 S1 of 一支部, B1 of 二支部). */
extern const fixture_files fixture_facts_case;

/** Write the files (NULL = header only) to a temp dir, load and run `p`. */
void fixture_run(fixture *fx, const fixture_files *files, const run_period *p);
/** The same with other header lines (with their newline) in place of zhibu's own: headers[i]
 *  for the files in the order of fixture_files (members … exemptions), NULL = zhibu's. */
void fixture_run_headers(fixture *fx, const fixture_files *files, const char *const headers[6], const run_period *p);
void fixture_free(fixture *fx);
/** Run periods as values (check/rules.h's period_* fill a pointer): a month YYYYMM,
    a half (1, 2) of a year, a year. */
run_period period_month(int ym);
run_period period_half(int year, int half);
run_period period_year(int year);
/** fixture_run of period p. */
void fixture_run_period(fixture *fx, const fixture_files *files, run_period p);
/** Number of findings of rule `code` ("DU-LATE") for member id (NULL: any) and period (NULL: any). */
int fixture_count(const fixture *fx, const char *code, const char *member_id, const char *period);
/** The evaluation of member id, or NULL. */
const evaluation *fixture_eval(const fixture *fx, const char *member_id);
/** 1 when some problem's formatted text contains `needle`. */
int fixture_problem(const fixture *fx, const char *needle);

/* ---- shared by the reader tests ------------------------------------------------------ */

/** 1 when some problem of p, formatted as the user sees it, contains `needle`. */
int has_problem(const problems *p, const char *needle);
/** The problems on stderr, one a line: why a check on them failed. */
void print_problems(const problems *p);
/** Write n bytes to path (an input file of a test; a failure is told on stderr). */
void write_file(const char *path, const void *data, size_t n);
/** The same for a NUL-terminated text. */
void write_text(const char *path, const char *text);

/* ---- a clean year to break on purpose ------------------------------------------------

   A "clean year" for a few members of 一支部: a theme day every month with all
   actions, everyone present, dues on time, one 2-hour confirmed service a
   month; each test breaks exactly what it checks. */

#define ALL_ACTIONS "奏唱国歌、重温入党誓词、诵读党章、交纳党费、讲授微党课、集中学习讨论"

typedef struct { char *s; size_t n, cap; } sbuf;
/** printf-append to a growing string. */
void sb(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

typedef struct {
    sbuf members, meetings, attendance, dues, service, exemptions;
    const char *ids[16];
    int n;
    int skip_att[16][13];   /* 1 = 缺席, 2 = no row, 3 = 请假 */
    int skip_dues[16][13];  /* 1 = unpaid, 2 = short, 3 = late */
    int skip_svc[16][13];   /* 1 = no record, 2 = unconfirmed */
    int theme_day[13];      /* day of the month of the theme day (0 = 12th), -1 = none */
} year_case;

/** extra: category,special_post,leader,monthly_dues,dues_base,joined,left (NULL: 在职 10 yuan) */
void add_member(year_case *y, const char *id, const char *extra);
/** The files of the year (the strings stay owned by y). */
void year_build(year_case *y, fixture_files *f);
void year_free(year_case *y);

#endif
