/*
 * evaluation.h — the year-end grade of every member (SPEC: Evaluation,
 * Settled 9), from the facts and the run's findings.  Pure: no I/O, no
 * text.  A grade carries its reasons as data (which fail reasons, the
 * score parts, the rank, what the 优秀 cap did); the builders word them.
 */
#ifndef ZHIBU_EVALUATION_H
#define ZHIBU_EVALUATION_H
#include "check/rules.h"

typedef enum { GRADE_EXCELLENT, GRADE_PASS, GRADE_FAIL } grade;

enum { /* why a member is 不合格 (bits) */
    FAIL_CS_COUNT = 1, FAIL_CS_HOURS = 2, FAIL_DU_LAPSE = 4, FAIL_AT_LAPSE = 8, FAIL_ABSENCES = 16
};

/* Why a member who could be 优秀 (no finding, score high enough) is not. */
typedef enum {
    CAP_NONE,       /* 优秀, or not a candidate */
    CAP_FULL,       /* better groups filled the places */
    CAP_TIE,        /* this member's score group would have crossed the cap */
    CAP_BELOW_TIE   /* a better group crossed the cap: nobody below it is 优秀 */
} cap_outcome;

/* One scope of the 优秀 cap: a branch, or the whole run (excellent_scope = all). */
typedef struct {
    int ranked;         /* members assessed in the scope */
    int cap;            /* 优秀 places: floor(excellent_max_ratio × ranked) */
    int awarded;        /* 优秀 given */
    int cut_score10;    /* the first score group that would have crossed the cap (score × 10), -1 none */
    int cut_size;       /* its candidates */
} cap_scope;

/* 40 bytes: a city run grades 200,000 members. */
typedef struct {
    int member;
    int score10;        /* score × 10, rounded half up */
    int rank, ranked;   /* competition rank within the cap scope, and its size */
    int scope;          /* index of its cap_scope in the facts */
    unsigned char grade;       /* grade */
    unsigned char fail_mask;   /* FAIL_* */
    unsigned char clean;       /* no member-scope finding but CS-UNCONFIRMED */
    unsigned char candidate;   /* clean, not 不合格, score ≥ excellent_min_score */
    unsigned char cap_outcome; /* cap_outcome */
    float attendance, dues, service; /* the three parts, 0..1, as shown (the score is computed exactly) */
} evaluation;

/** Grade every assessed member: fills f->ev, f->caps and the members' ev index. */
void evaluate(facts *f);
const char *grade_name(const config *cfg, grade g);

#endif
