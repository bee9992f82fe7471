/* key_runs.c — see key_runs.h. */
#include "base/key_runs.h"
#include "base/arena.h"
#include <stdlib.h>

void key_runs_init(key_runs *r, size_t nkeys)
{
    r->start = xcalloc(nkeys + 1, sizeof(int));
    r->count = xcalloc(nkeys + 1, sizeof(int));
}

void key_runs_free(key_runs *r)
{
    free(r->start);
    free(r->count);
    r->start = r->count = NULL;
}
