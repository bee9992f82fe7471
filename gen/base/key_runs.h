/*
 * key_runs.h — where each key's elements stand in an array sorted by a small
 * integer key (a branch index): the findings, warnings and ledger items of a
 * branch are one run of their array, found without a search.
 */
#ifndef ZHIBU_KEY_RUNS_H
#define ZHIBU_KEY_RUNS_H
#include <stddef.h>

typedef struct {
    int *start, *count; /* key k: elements start[k] .. start[k] + count[k] */
} key_runs;

/** Empty runs for keys 0 .. nkeys - 1. */
void key_runs_init(key_runs *r, size_t nkeys);
void key_runs_free(key_runs *r);

/** Element i has key k (called in array order). */
static inline void key_runs_add(key_runs *r, int k, size_t i)
{
    if (r->count[k]++ == 0) r->start[k] = (int)i;
}

/** The index of key k's first element and, in *n, how many it has
    (0 also before key_runs_init). */
static inline size_t key_runs_get(const key_runs *r, int k, int *n)
{
    *n = r->count ? r->count[k] : 0;
    return *n ? (size_t)r->start[k] : 0;
}

#endif
