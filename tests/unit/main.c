/* main.c — runs every registered unit test (see check.h). */
#include "check.h"
#include <stdlib.h>

typedef struct { const char *name; test_fn fn; } test_entry;
static test_entry tests[1024];
static int ntests;

void test_register(const char *name, test_fn fn)
{
    if (ntests < (int)(sizeof tests / sizeof tests[0]))
        tests[ntests++] = (test_entry){name, fn};
}

static int by_name(const void *a, const void *b)
{
    return strcmp(((const test_entry *)a)->name, ((const test_entry *)b)->name);
}

int main(int argc, char **argv)
{
    qsort(tests, (size_t)ntests, sizeof tests[0], by_name);
    int bad = 0;
    for (int i = 0; i < ntests; i++) {
        if (argc > 1 && !strstr(tests[i].name, argv[1])) continue;
        int failed = 0;
        tests[i].fn(&failed);
        printf("%s %d %s\n", failed ? "not ok" : "ok", i + 1, tests[i].name);
        fflush(stdout);
        if (failed) bad++;
    }
    return bad ? 1 : 0;
}
