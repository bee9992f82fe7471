/* problems.c — see problems.h. */
#include "base/problems.h"
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

void problems_init(problems *p) { memset(p, 0, sizeof *p); }

void problems_free(problems *p)
{
    free(p->v);
    arena_free(&p->arena);
    memset(p, 0, sizeof *p);
}

void problem_add(problems *p, prob_severity sev, const char *file, int line,
                 const char *column, const char *fmt, ...)
{
    GROW(p->v, p->cap, p->n);
    problem *pr = &p->v[p->n++];
    va_list ap;
    va_start(ap, fmt);
    pr->message = arena_vprintf(&p->arena, fmt, ap);
    va_end(ap);
    pr->sev = sev;
    pr->file = arena_strdup(&p->arena, file);
    pr->line = line;
    pr->seq = p->n;
    pr->column = column ? arena_strdup(&p->arena, column) : NULL;
    pr->group = NULL;
    if (sev == PROB_WARNING) p->nwarnings++;
    else if (sev == PROB_ERROR) p->nerrors++;
    else p->nfatal++;
}

void problems_set_group(problems *p, size_t from, const char *group)
{
    if (from >= p->n) return;
    const char *g = group && *group ? arena_strdup(&p->arena, group) : NULL;
    for (size_t i = from; i < p->n; i++) p->v[i].group = g;
}

const char *problem_format(const problem *pr, char *buf, size_t n)
{
    const char *tag = pr->sev == PROB_WARNING ? "警告：" : "";
    if (pr->line > 0 && pr->column)
        snprintf(buf, n, "%s:%d: %s: %s%s", pr->file, pr->line, pr->column, tag, pr->message);
    else if (pr->line > 0)
        snprintf(buf, n, "%s:%d: %s%s", pr->file, pr->line, tag, pr->message);
    else
        snprintf(buf, n, "%s: %s%s", pr->file, tag, pr->message);
    return buf;
}

static int cmp_problem(const void *a, const void *b)
{
    const problem *x = a, *y = b;
    int c = strcmp(x->file, y->file);
    if (c) return c;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    return (x->seq > y->seq) - (x->seq < y->seq); /* stable: insertion order */
}

void problems_sort(problems *p)
{
    if (p->n > 1) qsort(p->v, p->n, sizeof *p->v, cmp_problem);
}

void problems_print(const problems *p, FILE *f)
{
    char buf[2048];
    for (size_t i = 0; i < p->n; i++)
        fprintf(f, "%s\n", problem_format(&p->v[i], buf, sizeof buf));
}
