/*
 * run.h — one run of zhibu, end to end: rules file → inputs → rules →
 * (evaluation) → reports → atomic commit of the outputs.
 */
#ifndef ZHIBU_RUN_H
#define ZHIBU_RUN_H
#include "check/rules.h"

typedef struct {
    run_kind kind;
    run_period period;       /* unset (year 0) for a check without a period */
    const char *input_dir;   /* -i, default "input" */
    const char *rules_file;  /* -c, NULL = input/rules.ini, else templates/rules.ini */
    const char *output_dir;  /* -o, default "output" */
    const char *templates_dir; /* --templates, NULL = found automatically */
    int keep_going;
    int quiet;
    int jobs;                /* PDF worker processes; 0 = number of cores */
    int no_pdf, no_xlsx;     /* --format csv etc. */
    const char *ledger_file; /* --ledger; NULL = input/ledger.xlsx or input/ledger.csv when present */
    /* zhibu verify (verify.c) rebuilds with these: only one document of the
       run ("branch:NAME", "unit", "workbook"; NULL = every output), and
       without repeating the input problems the run already showed */
    const char *only_document;
    int verifying;
} run_options;

/** Exit status: 0 ok, 1 input errors, 2 usage or configuration error. */
int run(const run_options *o);

/** The templates directory: --templates, $ZHIBU_TEMPLATES, ./templates, or the installed one. */
const char *templates_dir_find(const char *given);

#endif
