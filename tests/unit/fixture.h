/*
 * fixture.h — small hand-made input directories for the rule tests.
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

/** Write the files (NULL = header only) to a temp dir, load and run `p`. */
void fixture_run(fixture *fx, const fixture_files *files, const run_period *p);
void fixture_free(fixture *fx);
/** Number of findings of rule `code` ("DU-LATE") for member id (NULL: any) and period (NULL: any). */
int fixture_count(const fixture *fx, const char *code, const char *member_id, const char *period);
/** The evaluation of member id, or NULL. */
const evaluation *fixture_eval(const fixture *fx, const char *member_id);
/** 1 when some problem's formatted text contains `needle`. */
int fixture_problem(const fixture *fx, const char *needle);

#endif
