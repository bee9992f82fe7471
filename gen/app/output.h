/*
 * output.h — writing a run's files safely.
 *
 * Every file is written under a temporary name in its final directory and
 * renamed into place only when the whole run has succeeded
 * (output_commit); a failed or killed run leaves the previous outputs as
 * they were.  Names that come from data (branch, unit) are cleaned so that
 * nothing is ever written outside the output directory.
 */
#ifndef ZHIBU_OUTPUT_H
#define ZHIBU_OUTPUT_H
#include <stddef.h>
#include <stdio.h>

typedef struct {
    char *dir;          /* the period's directory, e.g. output/2022-09 */
    char **tmp, **final;
    size_t n, cap;
} output_set;

/** Create (mkdir -p) base/sub and remove stale temporary files of killed runs. */
int output_open(output_set *o, const char *base, const char *sub, char *err, size_t errlen);
/**
 * Reserve a file `name` (already a safe name) in the set; returns the
 * temporary path to write to (owned by the set).
 */
const char *output_add(output_set *o, const char *name);
/** Rename every temporary file to its final name. 0 ok. */
int output_commit(output_set *o, char *err, size_t errlen);
/** Remove every temporary file (after a failure) and free the set. */
void output_abort(output_set *o);
void output_free(output_set *o);

/**
 * A file-name-safe form of s: no '/', '\\', control characters, leading
 * dots or reserved characters; at most 80 bytes, cut on a UTF-8 boundary.
 */
void safe_name(const char *s, char *out, size_t cap);

#endif
