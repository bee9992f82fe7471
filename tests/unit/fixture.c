/* fixture.c — see fixture.h. */
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

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
    memset(fx, 0, sizeof *fx);
    snprintf(fx->dir, sizeof fx->dir, "/tmp/zhibu-fixture-XXXXXX");
    if (!mkdtemp(fx->dir)) { perror("mkdtemp"); exit(1); }
    const char *bodies[] = {files->members, files->meetings, files->attendance,
                            files->dues, files->service, files->exemptions};
    for (int i = 0; i < 6; i++) put(fx->dir, names[i], headers[i], bodies[i]);
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

int fixture_problem(const fixture *fx, const char *needle)
{
    char buf[2048];
    for (size_t i = 0; i < fx->probs.n; i++)
        if (strstr(problem_format(&fx->probs.v[i], buf, sizeof buf), needle)) return 1;
    return 0;
}
