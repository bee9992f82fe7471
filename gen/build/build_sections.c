/*
 * build_sections.c — the sections the monthly and annual branch PDFs both
 * have (build.h): the branch's 问题清单, the attendance chart by month, and
 * the dispatch of the sections every branch report names alike, so that a
 * section a secretary lists means the same in either template.
 */
#include "build/build.h"
#include "build/build_reports.h"
#include <string.h>

void build_findings_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, tvars *v)
{
    int n;
    const finding *f = facts_branch_findings(b->fx, branch, &n);
    tvars_set(v, "findings", "%d", n);
    build_section_head(b, d, s, sec, v);
    build_findings_table(b, d, s, sec, f, n, 0);
    build_section_empty(b, d, s, sec, s->nblocks ? s->blocks[s->nblocks - 1].table : NULL, v);
}

void build_attendance_chart(build_ctx *b, rdoc *d, rsection *s, int branch, int months, const char *title,
                            const char *series)
{
    rchart *ch = rsec_add_chart(d, s, CHART_BAR, title, months, 1);
    ch->percent = 1;
    ch->y_max = 1;
    ch->series[0].name = series;
    for (int mo = 1; mo <= months; mo++) {
        const branch_month *x = facts_bm(b->fx, branch, mo);
        double r = facts_rate(x->att_present, x->att_expected);
        ch->cats[mo - 1] = rdoc_printf(d, "%d月", mo);
        ch->series[0].values[mo - 1] = r < 0 ? 0 : r; /* no meeting: an empty bar */
    }
}

void build_branch_section(build_ctx *b, rdoc *d, rsection *s, const char *name, int branch, tvars *v)
{
    if (!strcmp(name, "problems")) build_findings_section(b, d, s, name, branch, v);
    else if (!strcmp(name, "rectification")) build_rectification_section(b, d, s, name, branch, v);
    else if (!strcmp(name, "data_problems")) build_data_problems(b, d, s, name, branch, v);
    else if (!strcmp(name, "signature")) build_signature(b, d, s, v);
    else build_section_head(b, d, s, name, v); /* a free-text section */
}
