/* fixture.c — see fixture.h. */
#include "fixture.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* Two branches.  一支部: A1 (在职, leader), A2 (在职, special post, exempt Jan–Feb,
   dues below its base), R1 (离退休, with confirmed service), S1 (学生, joined in
   March after the 15th: a member from April).  Meetings in Jan–Apr only. */
const fixture_files fixture_facts_case = {
    "A1,甲一,一支部,某单位,在职,,是,10,2000,,\n"
    "A2,乙二,一支部,某单位,在职,中小学教师,否,10,4000,,\n"
    "R1,丙三,一支部,某单位,离退休,,否,5,,,\n"
    "S1,丁四,一支部,某单位,学生,,否,0.2,,2022-03-20,\n"
    "B1,戊五,二支部,某单位,在职,,否,10,,,\n",
    "T01,一支部,2022-01-12,主题党日,学习," ALL_ACTIONS ",是\n"
    "G02,一支部,2022-02-10,支部党员大会,总结,,是\n"
    "T02,一支部,2022-02-25,主题党日,学习,奏唱国歌、重温入党誓词、诵读党章、交纳党费、讲授微党课,是\n"
    "C03,一支部,2022-03-05,支委会,部署,,是\n"
    "T04,一支部,2022-04-12,主题党日,学习," ALL_ACTIONS ",否\n"
    "U01,二支部,2022-01-10,主题党日,学习," ALL_ACTIONS ",是\n",
    "T01,A1,出席,\nT01,A2,请假,哺乳\nT01,R1,缺席,\n"
    "G02,A1,出席,\nG02,A2,出席,\nG02,R1,出席,\n"
    "T02,A1,请假,出差\nT02,A2,出席,\n"
    "U01,B1,出席,\n",
    "A1,2022-01,10,2022-01-10,\nA1,2022-02,5,2022-02-10,\nA1,2022-02,3,2022-03-05,\n"
    "A2,2022-01,10,,\nR1,2022-01,5,2022-01-31,\n",
    "A1,2022-01-20,2,东社区,服务,网格员,满意\n"
    "A1,2022-01-25,1.5,东社区,服务,网格员,满意\n"
    "A1,2022-02-03,3,西社区,服务,,\n"
    "R1,2022-01-20,2,东社区,服务,网格员,满意\n"
    "S1,2022-02-10,1,东社区,服务,网格员,\n",
    "A2,哺乳期,2022-01-01,2022-02-28\n",
    NULL};

static const char *const headers[] = {
    "member_id,name,branch,unit,category,special_post,leader,monthly_dues,dues_base,joined,left\n",
    "meeting_id,branch,date,kind,topic,actions,minutes\n",
    "meeting_id,member_id,status,reason\n",
    "member_id,month,amount,paid_on,channel\n",
    "member_id,date,hours,community,content,confirmed_by,rating\n",
    "member_id,type,from,to\n",
};
static const char *const names[] = {"members.csv", "meetings.csv", "attendance.csv",
                                    "dues.csv", "service.csv", "exemptions.csv"};

static void put(const char *dir, const char *name, const char *head, const char *body)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f) { perror(path); exit(1); }
    if (head) fputs(head, f);
    if (body) fputs(body, f);
    fclose(f);
}

void fixture_run(fixture *fx, const fixture_files *files, const run_period *p)
{
    fixture_run_headers(fx, files, NULL, p);
}

void fixture_run_headers(fixture *fx, const fixture_files *files, const char *const heads[6], const run_period *p)
{
    memset(fx, 0, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/zhibu-fixture-XXXXXX");
    if (!mkdtemp(fx->dir)) { perror("mkdtemp"); exit(1); }
    const char *bodies[] = {files->members, files->meetings, files->attendance,
                            files->dues, files->service, files->exemptions};
    for (int i = 0; i < 6; i++) put(fx->dir, names[i], heads && heads[i] ? heads[i] : headers[i], bodies[i]);
    config_defaults(&fx->cfg);
    if (files->rules) {
        put(fx->dir, "rules.ini", NULL, files->rules);
        char path[512], err[512];
        snprintf(path, sizeof path, "%s/rules.ini", fx->dir);
        if (config_load(&fx->cfg, path, err, sizeof err)) fprintf(stderr, "  rules: %s\n", err);
    }
    problems_init(&fx->probs);
    fx->load_rc = dataset_load(&fx->ds, fx->dir, p->year, &fx->cfg, &fx->probs);
    facts_build(&fx->facts, &fx->ds, &fx->cfg, p);
}

run_period period_month(int ym)
{
    run_period p;
    period_monthly(&p, ym);
    return p;
}

run_period period_half(int year, int half)
{
    run_period p;
    period_halfyear(&p, year, half);
    return p;
}

run_period period_year(int year)
{
    run_period p;
    period_annual(&p, year);
    return p;
}

void fixture_run_period(fixture *fx, const fixture_files *files, run_period p) { fixture_run(fx, files, &p); }

void fixture_free(fixture *fx)
{
    char cmd[400];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", fx->dir);
    if (system(cmd)) {}
    facts_free(&fx->facts);
    dataset_free(&fx->ds);
    problems_free(&fx->probs);
    config_free(&fx->cfg);
}

int fixture_count(const fixture *fx, const char *code, const char *member_id, const char *period)
{
    int n = 0;
    for (size_t i = 0; i < fx->facts.f.n; i++) {
        const finding *f = &fx->facts.f.v[i];
        char per[32];
        if (strcmp(rule_code_name(f->rule), code)) continue;
        if (member_id && (f->member < 0 || strcmp(fx->ds.members[f->member].id, member_id))) continue;
        if (period && strcmp(finding_period(&fx->ds, &fx->facts.period, f, per, sizeof per), period)) continue;
        n++;
    }
    return n;
}

const evaluation *fixture_eval(const fixture *fx, const char *member_id)
{
    for (size_t i = 0; i < fx->facts.nev; i++)
        if (!strcmp(fx->ds.members[fx->facts.ev[i].member].id, member_id)) return &fx->facts.ev[i];
    return NULL;
}

int fixture_problem(const fixture *fx, const char *needle) { return has_problem(&fx->probs, needle); }

int has_problem(const problems *p, const char *needle)
{
    char buf[2048];
    for (size_t i = 0; i < p->n; i++)
        if (strstr(problem_format(&p->v[i], buf, sizeof buf), needle)) return 1;
    return 0;
}

void print_problems(const problems *p)
{
    char buf[2048];
    for (size_t i = 0; i < p->n; i++) fprintf(stderr, "    [%s]\n", problem_format(&p->v[i], buf, sizeof buf));
}

void write_file(const char *path, const void *data, size_t n)
{
    FILE *f = fopen(path, "wb");
    if (!f) { perror(path); return; }
    fwrite(data, 1, n, f);
    fclose(f);
}

void write_text(const char *path, const char *text) { write_file(path, text, strlen(text)); }

/* ---- a clean year ---------------------------------------------------------------- */



void sb(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    for (;;) {
        va_start(ap, fmt);
        int k = vsnprintf(b->s ? b->s + b->n : NULL, b->s ? b->cap - b->n : 0, fmt, ap);
        va_end(ap);
        if (b->s && (size_t)k < b->cap - b->n) { b->n += (size_t)k; return; }
        b->cap = (b->cap + (size_t)k + 1) * 2;
        b->s = realloc(b->s, b->cap);
        if (b->n == 0) b->s[0] = 0;
    }
}

void add_member(year_case *y, const char *id, const char *extra)
{
    /* extra: category,special_post,leader,monthly_dues,dues_base,joined,left */
    sb(&y->members, "%s,党员%s,一支部,某单位,%s\n", id, id, extra ? extra : "在职,,否,10,,,");
    y->ids[y->n++] = id;
}

void year_build(year_case *y, fixture_files *f)
{
    for (int mo = 1; mo <= 12; mo++) {
        int day = y->theme_day[mo] == 0 ? 12 : y->theme_day[mo];
        if (y->theme_day[mo] >= 0)
            sb(&y->meetings, "T%02d,一支部,2022-%02d-%02d,主题党日,学习,%s,是\n", mo, mo, day, ALL_ACTIONS);
        for (int i = 0; i < y->n; i++) {
            int a = y->skip_att[i][mo];
            if (y->theme_day[mo] >= 0 && a != 2)
                sb(&y->attendance, "T%02d,%s,%s,\n", mo, y->ids[i], a == 1 ? "缺席" : a == 3 ? "请假" : "出席");
            int d = y->skip_dues[i][mo];
            if (d != 1)
                sb(&y->dues, "%s,2022-%02d,%s,2022-%02d-%02d,\n", y->ids[i], mo, d == 2 ? "5" : "10",
                   d == 3 ? (mo == 12 ? 12 : mo + 1) : mo, d == 3 ? 28 : 10);
            int s = y->skip_svc[i][mo];
            if (s != 1)
                sb(&y->service, "%s,2022-%02d-20,2,某社区,服务,%s,满意\n", y->ids[i], mo, s == 2 ? "" : "网格员");
        }
    }
    *f = (fixture_files){y->members.s, y->meetings.s, y->attendance.s, y->dues.s, y->service.s,
                         y->exemptions.s, NULL};
}

void year_free(year_case *y)
{
    free(y->members.s); free(y->meetings.s); free(y->attendance.s);
    free(y->dues.s); free(y->service.s); free(y->exemptions.s);
}

