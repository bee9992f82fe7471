/* evaluation_text.c — see evaluation_text.h. */
#include "check/evaluation_text.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <stdarg.h>
#include <string.h>

const char *fmt_score(int score10, char *buf, size_t n)
{
    snprintf(buf, n, "%d.%d", score10 / 10, score10 % 10);
    return buf;
}

/* Append printf output at *o, never past n. */
static void add(char *buf, size_t n, size_t *o, const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void add(char *buf, size_t n, size_t *o, const char *fmt, ...)
{
    if (*o >= n) return;
    va_list ap;
    va_start(ap, fmt);
    int k = vsnprintf(buf + *o, n - *o, fmt, ap);
    va_end(ap);
    if (k > 0) *o += (size_t)k < n - *o ? (size_t)k : n - *o - 1;
}

static int by_code_name(const void *a, const void *b)
{
    return strcmp(rule_code_name((rule_code) * (const int *)a), rule_code_name((rule_code) * (const int *)b));
}

/* The rule codes in name order (findings.csv's rule order), sorted once:
   the reasons of every member list their findings in it. */
static const int *codes_by_name(void)
{
    static int order[R_COUNT];
    static int ready;
    if (!ready) {
        for (int r = 0; r < R_COUNT; r++) order[r] = r;
        qsort(order, R_COUNT, sizeof order[0], by_code_name);
        ready = 1;
    }
    return order;
}

const char *evaluation_reasons(const dataset *ds, const config *cfg, const rules_result *rr,
                               const evaluation *e, char *buf, size_t n)
{
    const member_stats *st = &rr->stats[e->member];
    size_t o = 0;
    char s[16], h1[32], h2[32];
    buf[0] = 0;
    if (e->grade == GRADE_FAIL) {
        add(buf, n, &o, "%s：", cfg->grade_fail);
        const char *sep = "";
        static const struct { int bit; rule_code r; } fails[] = {
            {FAIL_CS_COUNT, R_CS_COUNT}, {FAIL_CS_HOURS, R_CS_HOURS},
            {FAIL_DU_LAPSE, R_DU_LAPSE}, {FAIL_AT_LAPSE, R_AT_LAPSE},
        };
        for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++)
            if (e->fail_mask & fails[i].bit) {
                add(buf, n, &o, "%s%s", sep, rule_code_name(fails[i].r));
                sep = "；";
            }
        if (e->fail_mask & FAIL_ABSENCES)
            add(buf, n, &o, "%s缺席 %d 次，超过 %d 次", sep, st->rule_count[R_AT_ABSENT], cfg->max_absences);
        add(buf, n, &o, "。");
    } else if (e->clean) {
        if (e->tie_size)
            add(buf, n, &o, "同分 %s 共 %d 人，计入将超过%s名额 %d。", fmt_score(e->score10, s, sizeof s),
                e->tie_size, cfg->grade_excellent, e->cap);
        else if (e->below_cap)
            add(buf, n, &o, "%s名额 %d 已满。", cfg->grade_excellent, e->cap);
        else if (e->grade == GRADE_PASS)
            add(buf, n, &o, "无问题，得分低于%s所需的 %g 分。", cfg->grade_excellent, cfg->excellent_min_score);
        else
            add(buf, n, &o, "无问题，");
    } else {
        add(buf, n, &o, "问题：");
        const char *sep = "";
        const int *order = codes_by_name();
        for (int i = 0; i < R_COUNT; i++) {
            int r = order[i];
            if (!rule_is_member_scope((rule_code)r) || r == R_CS_UNCONFIRMED || !st->rule_count[r]) continue;
            add(buf, n, &o, "%s%s×%d", sep, rule_code_name((rule_code)r), st->rule_count[r]);
            sep = "；";
        }
        add(buf, n, &o, "。");
    }
    add(buf, n, &o, "得分 %s（出勤 %d/%d，足额按时交费 %d/%d 月，确认服务 %s/%s 小时），%s排名 %d/%d",
        fmt_score(e->score10, s, sizeof s), st->present, st->meetings_held, st->dues_months_ok,
        st->member_months, fmt_hours(st->svc_centi, h1, sizeof h1), fmt_hours(st->min_centi, h2, sizeof h2),
        cfg->excellent_scope_all ? "全体" : "支部", e->rank, e->ranked);
    (void)ds;
    return buf;
}
