/* problem_id.c — see problem_id.h. */
#include "check/problem_id.h"
#include <stdio.h>
#include <string.h>

/* rule/key/period without the #n suffix. */
static const char *base_id(const facts *f, const finding *x, char *buf, size_t n)
{
    const dataset *ds = f->ds;
    char per[64];
    const char *key = x->member >= 0 ? ds->members[x->member].id : ds->branches[x->branch].name;
    snprintf(buf, n, "%s/%s/%s", rule_code_name(x->rule), key, finding_period(ds, &f->period, x, per, sizeof per));
    return buf;
}

const char *finding_problem_id(const facts *f, const findings *v, size_t i, char *buf, size_t n)
{
    char prev[1200];
    base_id(f, &v->v[i], buf, n);
    /* equals are neighbours in findings.csv order: count those just before */
    size_t k = 0;
    while (k < i && !strcmp(base_id(f, &v->v[i - k - 1], prev, sizeof prev), buf)) k++;
    if (k) {
        size_t len = strlen(buf);
        if (len < n) snprintf(buf + len, n - len, "#%zu", k + 1);
    }
    return buf;
}
