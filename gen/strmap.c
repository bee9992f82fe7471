/* strmap.c — see strmap.h.  FNV-1a hashing, linear probing, load ≤ 1/2. */
#include "strmap.h"
#include "arena.h"
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h;
}

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    memset(m, 0, sizeof *m);
}

int strmap_get(const strmap *m, const char *key)
{
    if (!m->cap) return -1;
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key)) return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    return -1;
}

const char *strmap_key(const strmap *m, const char *key)
{
    if (!m->cap) return NULL;
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key)) return m->keys[i];
        i = (i + 1) & (m->cap - 1);
    }
    return NULL;
}

static void rehash(strmap *m, size_t cap)
{
    strmap n = {xcalloc(cap, sizeof *n.keys), xcalloc(cap, sizeof *n.vals), cap, 0};
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) strmap_put(&n, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    *m = n;
}

int strmap_put(strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) rehash(m, m->cap ? m->cap * 2 : 64);
    size_t i = hash(key) & (m->cap - 1);
    while (m->keys[i]) {
        if (!strcmp(m->keys[i], key)) return m->vals[i];
        i = (i + 1) & (m->cap - 1);
    }
    m->keys[i] = key;
    m->vals[i] = val;
    m->n++;
    return -1;
}
