/*
 * evaluation.h — the year-end grade of every member (SPEC: Evaluation,
 * Settled 9), from the rules' findings and figures.  Pure: no I/O, no text.
 */
#ifndef ZHIBU_EVALUATION_H
#define ZHIBU_EVALUATION_H
#include "check/rules.h"

typedef enum { GRADE_EXCELLENT, GRADE_PASS, GRADE_FAIL } grade;

enum { /* why a member is 不合格 (bits) */
    FAIL_CS_COUNT = 1, FAIL_CS_HOURS = 2, FAIL_DU_LAPSE = 4, FAIL_AT_LAPSE = 8, FAIL_ABSENCES = 16
};

typedef struct {
    int member;
    int score10;        /* score × 10, rounded half up */
    grade grade;
    int fail_mask;
    int clean;          /* no member-scope finding but CS-UNCONFIRMED */
    int rank, ranked;   /* competition rank within the cap scope, and its size */
    int cap;            /* 优秀 places in the scope */
    int tie_size;       /* >0: this member's score group would cross the cap */
    int below_cap;      /* a candidate left out because a better group filled or crossed the cap */
    double attendance, dues, service; /* the three parts, 0..1 */
} evaluation;

typedef struct {
    evaluation *v;      /* assessed members, sorted by branch name then member_id */
    size_t n;
} evaluations;

void evaluate(const dataset *ds, const config *cfg, const rules_result *rr, evaluations *out);
void evaluations_free(evaluations *e);
const char *grade_name(const config *cfg, grade g);

#endif
