/*
 * problems.h — the list of input problems found while reading.
 * Printed as `file:line: column: message` (or `file: message` when there is
 * no line), listed in every output's 输入问题 section.
 */
#ifndef ZHIBU_PROBLEMS_H
#define ZHIBU_PROBLEMS_H
#include "base/arena.h"
#include <stdio.h>

typedef enum {
    PROB_WARNING, /* the row is kept */
    PROB_ERROR,   /* the row is skipped; the run stops unless --keep-going */
    PROB_FATAL    /* a file-level problem: the run stops even with --keep-going */
} prob_severity;

typedef struct {
    prob_severity sev;
    const char *file;   /* file name as shown to the user */
    int line;           /* physical line where the record starts; 0 = none */
    const char *column; /* header text as in the file, or NULL */
    const char *message;
    const char *group;  /* the group (branch) the row belongs to, as the input names it;
                           NULL = none known (a file-level problem, an unknown id) */
    size_t seq;         /* insertion order, for a stable sort */
} problem;

typedef struct {
    problem *v;
    size_t n, cap;
    size_t nerrors, nwarnings, nfatal;
    rarena arena;
} problems;

void problems_init(problems *p);
void problems_free(problems *p);
/** Add a problem; strings are copied. */
void problem_add(problems *p, prob_severity sev, const char *file, int line,
                 const char *column, const char *fmt, ...) __attribute__((format(printf, 6, 7)));
/** Set the group of the problems added since the first `from` (the problems of one row); copied. */
void problems_set_group(problems *p, size_t from, const char *group);
/** Format one problem as the user sees it (without newline) into buf. */
const char *problem_format(const problem *pr, char *buf, size_t n);
/** Sort by file, line, then insertion order (stable), so output is reproducible. */
void problems_sort(problems *p);
/** Print all problems to f, one per line. */
void problems_print(const problems *p, FILE *f);

#endif
