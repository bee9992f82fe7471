/* arena.c — see arena.h. */
#include "base/arena.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>

struct arena_chunk {
    arena_chunk *next;
    size_t used, size;
    max_align_t data[];
};

enum { CHUNK_MIN = 64 * 1024 };

static void oom(void)
{
    fputs("zhibu: out of memory\n", stderr);
    abort();
}

void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p) oom();
    return p;
}

void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) oom();
    return p;
}

void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) oom();
    return p;
}

char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    return memcpy(xmalloc(n), s, n);
}

char *xstrndup(const char *s, size_t n)
{
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = 0;
    return p;
}

void mem_advise_huge(void *p, size_t n)
{
    const uintptr_t huge = 2u << 20;
    if (n < 4 * huge) return;
    uintptr_t a = ((uintptr_t)p + huge - 1) & ~(huge - 1), b = ((uintptr_t)p + n) & ~(huge - 1);
    if (b > a) madvise((void *)a, b - a, MADV_HUGEPAGE);
}

void grow_array(void **p, size_t *cap, size_t need, size_t sz)
{
    if (need < *cap) return;
    size_t c = *cap ? *cap : 16;
    while (c <= need) {
        if (c > SIZE_MAX / 2 / sz) oom();
        c *= 2;
    }
    *p = xrealloc(*p, c * sz);
    mem_advise_huge(*p, c * sz);
    memset((char *)*p + *cap * sz, 0, (c - *cap) * sz);
    *cap = c;
}

void *arena_alloc(rarena *a, size_t n)
{
    const size_t align = sizeof(max_align_t);
    n = (n + align - 1) / align * align;
    if (n == 0) n = align;
    arena_chunk *c = a->head;
    if (!c || c->size - c->used < n) {
        size_t size = n > CHUNK_MIN ? n : CHUNK_MIN;
        c = malloc(sizeof *c + size);
        if (!c) oom();
        c->size = size;
        c->used = 0;
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    a->total += n;
    memset(p, 0, n);
    return p;
}

char *arena_strndup(rarena *a, const char *s, size_t n)
{
    char *p = arena_alloc(a, n + 1);
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

char *arena_strdup(rarena *a, const char *s)
{
    return s ? arena_strndup(a, s, strlen(s)) : arena_strndup(a, "", 0);
}

char *arena_vprintf(rarena *a, const char *fmt, va_list ap)
{
    char buf[512];
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(buf, sizeof buf, fmt, ap);
    if (n < 0) n = 0;
    char *p;
    if ((size_t)n < sizeof buf) {
        p = arena_strndup(a, buf, (size_t)n);
    } else {
        p = arena_alloc(a, (size_t)n + 1);
        vsnprintf(p, (size_t)n + 1, fmt, ap2);
    }
    va_end(ap2);
    return p;
}

char *arena_printf(rarena *a, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *p = arena_vprintf(a, fmt, ap);
    va_end(ap);
    return p;
}

void arena_adopt(rarena *a, rarena *src)
{
    arena_chunk *c = src->head;
    if (!c) return;
    while (c->next) c = c->next;
    /* src's chunks go behind a's current chunk, which stays the one to fill */
    if (a->head) {
        c->next = a->head->next;
        a->head->next = src->head;
    } else {
        c->next = NULL;
        a->head = src->head;
    }
    a->total += src->total;
    src->head = NULL;
    src->total = 0;
}

void arena_free(rarena *a)
{
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *n = c->next;
        free(c);
        c = n;
    }
    a->head = NULL;
    a->total = 0;
}
