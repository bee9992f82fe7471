/*
 * arena.h — bump allocator for many small, long-lived objects (strings of a
 * loaded CSV, cells of a report).  One free releases everything; no per-row
 * malloc, which keeps a city-sized run's memory proportional to its data.
 */
#ifndef ZHIBU_ARENA_H
#define ZHIBU_ARENA_H
#include <stddef.h>
#include <stdarg.h>

typedef struct arena_chunk arena_chunk;
typedef struct rarena {
    arena_chunk *head;
    size_t total; /* bytes handed out, for statistics */
} rarena;

/** Allocate n zeroed bytes, aligned for any object; aborts on out-of-memory. */
void *arena_alloc(rarena *a, size_t n);
/** Copy the first n bytes of s and add a NUL. */
char *arena_strndup(rarena *a, const char *s, size_t n);
/** Copy a NUL-terminated string (NULL gives ""). */
char *arena_strdup(rarena *a, const char *s);
/** printf into the arena. */
char *arena_printf(rarena *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *arena_vprintf(rarena *a, const char *fmt, va_list ap);
/** Move every chunk of src into a (src is left empty). */
void arena_adopt(rarena *a, rarena *src);
/** Release every chunk. The arena can be reused afterwards. */
void arena_free(rarena *a);

/** malloc/realloc that abort with a message on out-of-memory. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
/** malloc'ed copy of n bytes plus a NUL. */
char *xstrndup(const char *s, size_t n);
/** Ask for transparent huge pages over a large block (fewer page faults when
 *  a city-sized array is first touched); a no-op for small blocks. */
void mem_advise_huge(void *p, size_t n);
/** Grow *p (elements of size sz) so that index `need` fits; *cap doubles. */
void grow_array(void **p, size_t *cap, size_t need, size_t sz);
#define GROW(arr, cap, need) grow_array((void **)&(arr), &(cap), (need), sizeof *(arr))

#endif
