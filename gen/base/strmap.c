/* strmap.c — see strmap.h.  FNV-1a hashing, linear probing, load ≤ 1/2.
   Each slot keeps 32 bits of its key's hash, so a probe past another key
   costs no string comparison (no cache miss on the key's text). */
#include "base/strmap.h"
#include "base/arena.h"
#include <stdint.h>
#include <string.h>
#include <stdlib.h>

static uint64_t hash(const char *s)
{
    uint64_t h = 1469598103934665603ULL;
    for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ULL;
    return h ^ (h >> 29);
}

void strmap_init(strmap *m) { memset(m, 0, sizeof *m); }

void strmap_free(strmap *m)
{
    free(m->keys);
    free(m->vals);
    free(m->hashes);
    memset(m, 0, sizeof *m);
}

/* The slot of key, or the empty slot where it would go. */
static size_t find(const strmap *m, const char *key, uint64_t h)
{
    unsigned tag = (unsigned)(h >> 32);
    size_t i = h & (m->cap - 1);
    while (m->keys[i]) {
        if (m->hashes[i] == tag && !strcmp(m->keys[i], key)) return i;
        i = (i + 1) & (m->cap - 1);
    }
    return i;
}

int strmap_get(const strmap *m, const char *key)
{
    if (!m->cap) return -1;
    size_t i = find(m, key, hash(key));
    return m->keys[i] ? m->vals[i] : -1;
}

const char *strmap_key(const strmap *m, const char *key)
{
    if (!m->cap) return NULL;
    return m->keys[find(m, key, hash(key))];
}

static void rehash(strmap *m, size_t cap)
{
    strmap n = {xcalloc(cap, sizeof *n.keys), xcalloc(cap, sizeof *n.vals), xcalloc(cap, sizeof *n.hashes), cap, 0};
    for (size_t i = 0; i < m->cap; i++)
        if (m->keys[i]) strmap_put(&n, m->keys[i], m->vals[i]);
    free(m->keys);
    free(m->vals);
    free(m->hashes);
    *m = n;
}

int strmap_put(strmap *m, const char *key, int val)
{
    if ((m->n + 1) * 2 > m->cap) rehash(m, m->cap ? m->cap * 2 : 64);
    uint64_t h = hash(key);
    size_t i = find(m, key, h);
    if (m->keys[i]) return m->vals[i];
    m->keys[i] = key;
    m->vals[i] = val;
    m->hashes[i] = (unsigned)(h >> 32);
    m->n++;
    return -1;
}
