/*
 * strmap.h — string → int hash map (open addressing) for the indexes the
 * rules join on: member ids, meeting ids, branch names.  Keys are not
 * copied: they must outlive the map (they live in the dataset's arena).
 */
#ifndef ZHIBU_STRMAP_H
#define ZHIBU_STRMAP_H
#include <stddef.h>

typedef struct {
    const char **keys;
    int *vals;
    unsigned *hashes;   /* low bits of each key's hash: most probes skip the strcmp */
    size_t cap, n;
} strmap;

void strmap_init(strmap *m);
void strmap_free(strmap *m);
/** Value of key, or -1. */
int strmap_get(const strmap *m, const char *key);
/** The stored key equal to `key` (for interning strings), or NULL. */
const char *strmap_key(const strmap *m, const char *key);
/** Insert key → val unless present; returns the existing value or -1 if inserted. */
int strmap_put(strmap *m, const char *key, int val);

#endif
