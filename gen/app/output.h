/*
 * output.h — writing a run's files safely, the output directory as a unit
 * (SPEC item 21).
 *
 * Every file is written under a temporary name in its final directory and
 * renamed into place only when the whole run has succeeded
 * (output_commit); a failed or killed run leaves the previous outputs as
 * they were.  Names that come from data (branch, unit) are cleaned so that
 * nothing is ever written outside the output directory.
 *
 * The period's directory holds what the last run wrote: a file the
 * previous run listed in its manifest.txt that this run does not write is
 * removed at the commit (only when its bytes are still those the manifest
 * records: a file somebody changed, or any file zhibu did not write, is
 * never touched).  A symbolic link at the period's directory or at a name
 * the run would write stops the run before anything is written.
 */
#ifndef ZHIBU_OUTPUT_H
#define ZHIBU_OUTPUT_H
#include "base/strmap.h"
#include <stddef.h>
#include <stdio.h>

#define OUTPUT_MANIFEST "manifest.txt"

typedef struct {
    char *dir;          /* the period's directory, e.g. output/2022-09 */
    char **tmp, **final;
    size_t n, cap;
    strmap names;       /* file name → index, to refuse a name given twice */
    char *refused;      /* why the set must not be committed (a symbolic link, a name twice), or NULL */
    /* the previous run's outputs, from its manifest.txt: name and SHA-256 */
    char **prev, **prev_sha;
    size_t nprev;
} output_set;

/**
 * Create (mkdir -p) base/sub, remove stale temporary files of killed runs
 * and read the previous run's manifest.  -1 with err (a status 2 error)
 * when base/sub is a symbolic link or cannot be created.  Free the set
 * with output_free in either case.
 */
int output_open(output_set *o, const char *base, const char *sub, char *err, size_t errlen);
/**
 * Reserve a file `name` (already a safe name) in the set; returns the
 * temporary path to write to (owned by the set).  A name that is a
 * symbolic link (or not a regular file) in the directory, or was reserved
 * before, marks the set refused (see output_refused).
 */
const char *output_add(output_set *o, const char *name);
/** Why the set may not be committed, or NULL: check it before writing anything. */
const char *output_refused(const output_set *o);
/** The file name (no directory) of entry i. */
const char *output_name(const output_set *o, size_t i);
/**
 * Rename every temporary file to its final name, manifest.txt last, then
 * remove the previous run's files this run did not write.  0 ok.
 */
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
