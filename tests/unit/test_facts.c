/*
 * test_facts.c — the facts layer on hand-made records: every table of
 * facts.h (member × month, meetings, branch × month, member and group
 * sums) against figures worked out by hand, and the findings of any
 * month range (rules_report) that a ledger or a warning will ask for.
 */
#include "check.h"
#include "fixture.h"
#include "check/finding_text.h"
#include "check/problem_id.h"
#include <stdlib.h>
#include <string.h>

enum { A1, A2, R1, S1, B1 };
enum { T01, G02, T02, C03, T04, U01 };
#define F(r) (1u << (r))

TEST(facts_member_months)
{
    fixture fx;
    fixture_run_period(&fx, &fixture_facts_case, period_year(2022));
    const facts *f = &fx.facts;
    CHECK_INT(fx.probs.nerrors, 0);

    const member_month *x = facts_mm(f, A1, 1);
    CHECK_INT(x->flags, MM_MEMBER | MM_ELIGIBLE | MM_IN_DATA | MM_THEME_PRESENT | MM_DUES_OK);
    CHECK_INT(x->paid, 1000);
    CHECK_INT(x->paid_on, 20220110);
    CHECK_INT(x->svc_n, 2);
    CHECK_INT(x->svc_centi, 350);
    CHECK_INT(x->present, 1);
    CHECK_INT(x->found, 0);

    /* Feb: 请假 at the theme day (leader: AT-LEADER), 出席 at the 大会; 5 + 3 paid, the 3 late */
    x = facts_mm(f, A1, 2);
    CHECK_INT(x->present, 1);
    CHECK_INT(x->leave, 1);
    CHECK_INT(x->absent, 0);
    CHECK_INT(x->paid, 800);
    CHECK_INT(x->paid_on, 20220305);
    CHECK(x->flags & MM_LATE);
    CHECK(!(x->flags & MM_DUES_OK));
    CHECK_INT(x->unconfirmed, 1);
    CHECK_INT(x->found, F(R_DU_SHORT) | F(R_DU_LATE) | F(R_AT_LEADER) | F(R_CS_MONTH) | F(R_CS_UNCONFIRMED));
    CHECK_INT(facts_dues_state(f, A1, 2), DUES_SHORT_LATE);
    /* Mar..Dec unpaid: the sixth (Aug) is DU-LAPSE; the streak is kept per month */
    CHECK_INT(facts_mm(f, A1, 3)->found, F(R_DU_UNPAID) | F(R_CS_MONTH));
    CHECK_INT(facts_mm(f, A1, 8)->du_streak, 6);
    CHECK(facts_found(f, A1, 8, R_DU_LAPSE));
    CHECK(!facts_found(f, A1, 9, R_DU_LAPSE));
    CHECK_INT(facts_mm(f, A1, 12)->du_streak, 10);
    CHECK_INT(facts_mm(f, A1, 12)->at_streak, 0); /* no meeting with sign-ins after Feb */

    /* A2: exempt Jan and Feb (哺乳期), so not eligible; paid without a date: not late */
    x = facts_mm(f, A2, 1);
    CHECK(x->flags & MM_EXEMPT);
    CHECK(!(x->flags & MM_ELIGIBLE));
    CHECK_STR(facts_exemption(f, A2, 1)->type, "哺乳期");
    CHECK(facts_exemption(f, A2, 3) == NULL);
    CHECK_INT(x->leave, 1);
    CHECK_INT(facts_dues_state(f, A2, 1), DUES_OK);
    CHECK(facts_mm(f, A2, 3)->flags & MM_ELIGIBLE);

    /* R1: 缺席 in Jan, no row at the Feb theme day; its confirmed record is its month's */
    CHECK_INT(facts_mm(f, R1, 1)->absent, 1);
    CHECK_INT(facts_mm(f, R1, 1)->found, F(R_AT_ABSENT));
    CHECK_INT(facts_mm(f, R1, 1)->svc_n, 1);
    CHECK_INT(facts_mm(f, R1, 2)->absent, 1);
    CHECK_INT(facts_mm(f, R1, 2)->present, 1);

    /* S1: a member from April only; its February record does not count */
    CHECK_INT(facts_dues_state(f, S1, 3), DUES_NOT_MEMBER);
    CHECK(!facts_is_member(f, S1, 3));
    CHECK(facts_is_member(f, S1, 4));
    CHECK_INT(facts_mm(f, S1, 2)->svc_n, 0);
    CHECK_INT(facts_dues_state(f, S1, 4), DUES_UNPAID);
    fixture_free(&fx);
}

TEST(facts_meetings_and_branch_months)
{
    fixture fx;
    fixture_run_period(&fx, &fixture_facts_case, period_year(2022));
    const facts *f = &fx.facts;
    const meeting_facts *t = &f->mt[T01];
    CHECK_INT(t->flags, MT_COUNTED | MT_JUDGED | MT_SIGNED);
    CHECK_INT(t->present, 1);
    CHECK_INT(t->leave, 1);
    CHECK_INT(t->absent, 1);
    t = &f->mt[T02];
    CHECK_INT(t->found, F(R_TD_LATE) | F(R_TD_ACTIONS));
    CHECK_INT(facts_missing_actions(f, T02), 1u << 5); /* 集中学习讨论 */
    CHECK_INT(t->present + t->leave + t->absent, 3);
    CHECK_INT(f->mt[G02].flags, MT_COUNTED | MT_SIGNED);  /* a 大会: attendance, no TD rule */
    CHECK_INT(f->mt[G02].present, 3);
    CHECK_INT(f->mt[C03].flags, MT_COUNTED);
    CHECK_INT(f->mt[T04].found, F(R_TD_RECORD));          /* no sign-in, no minutes */
    CHECK(!(f->mt[T04].flags & MT_SIGNED));

    const branch_month *b = facts_bm(f, 0, 1);
    CHECK_INT(b->members, 3);
    CHECK_INT(b->in_service, 2);
    CHECK_INT(b->theme_days, 1);
    CHECK_INT(b->att_present, 1);
    CHECK_INT(b->att_expected, 3);
    b = facts_bm(f, 0, 2);
    CHECK_INT(b->theme_late, 1);
    CHECK_INT(b->whole_signed, 2);
    CHECK_INT(b->att_present, 4);
    CHECK_INT(b->att_expected, 6);
    CHECK_INT(facts_bm(f, 0, 3)->found, F(R_TD_HELD));
    CHECK_INT(facts_bm(f, 0, 4)->members, 4);
    CHECK_INT(facts_bm(f, 0, 4)->found, 0);
    CHECK_INT(f->deadline[2], 20220222);
    fixture_free(&fx);
}

TEST(facts_member_and_group_sums)
{
    fixture fx;
    fixture_run_period(&fx, &fixture_facts_case, period_year(2022));
    const facts *f = &fx.facts;
    const member_facts *a = &f->mf[A1];
    CHECK_INT(a->held, 3);
    CHECK_INT(a->present, 2);
    CHECK_INT(a->leave, 1);
    CHECK_INT(a->member_months, 12);
    CHECK_INT(a->dues_ok, 1);
    CHECK_INT(a->dues_unpaid, 10);
    CHECK_INT(a->dues_short, 1);
    CHECK_INT(a->dues_late, 1);
    CHECK_INT(a->dues_due, 12000);
    CHECK_INT(a->dues_paid, 1800);
    CHECK_INT(a->svc_n, 2);
    CHECK_INT(a->svc_centi, 350);
    CHECK_INT(a->min_n, 5);
    CHECK_INT(a->min_centi, 2000);
    CHECK_INT(a->found, F(R_CS_COUNT) | F(R_CS_HOURS));
    CHECK_INT(a->count[R_DU_UNPAID], 10);
    /* A2: 10 eligible months, special post: ceil(5 × 10/12 × 0.5) = 3, hours ceil(8.33 to 0.5) = 8.5 */
    CHECK_INT(f->mf[A2].eligible, 10);
    CHECK_INT(f->mf[A2].min_n, 3);
    CHECK_INT(f->mf[A2].min_centi, 850);
    CHECK(f->mf[A2].found & F(R_DU_RATE));
    CHECK_INT(f->mf[A2].rate_want, 4000);
    CHECK_INT(f->mf[S1].member_months, 9);
    CHECK(f->mf[S1].in_period && f->mf[S1].assessed);

    /* the branch: four 党员; service of its 在职 only (R1's record is not in it) */
    const group_facts *g = &f->branch[0];
    CHECK_INT(g->members, 4);
    CHECK_INT(g->by_category[CAT_ACTIVE], 2);
    CHECK_INT(g->by_category[CAT_RETIRED], 1);
    CHECK_INT(g->by_category[CAT_STUDENT], 1);
    CHECK_INT(g->in_service, 2);
    CHECK_INT(g->theme_days, 3);
    CHECK_INT(g->theme_late, 1);
    CHECK_INT(g->att_present, 5);
    CHECK_INT(g->att_expected, 9);
    CHECK_INT(g->svc_n, 2);
    CHECK_INT(g->svc_centi, 350);
    CHECK_INT(g->svc_members, 2);
    CHECK_INT(g->svc_short, 2);
    CHECK_INT(g->unconfirmed, 1);
    CHECK_INT(g->dues_months, 12 + 12 + 12 + 9);
    CHECK_INT(g->by_rule[R_TD_HELD], 9);  /* Mar, May..Dec */
    CHECK_INT(g->by_rule[R_AT_ABSENT], 2);
    int in0 = 0;
    for (size_t i = 0; i < f->f.n; i++) in0 += f->f.v[i].branch == 0;
    CHECK_INT(g->findings, in0);
    /* the unit: both branches; branches by rule */
    CHECK_INT(f->unit.members, 5);
    CHECK_INT(f->unit.branches, 2);
    CHECK_INT(f->unit.by_rule[R_TD_HELD], 9 + 11);
    CHECK_INT(f->unit.branches_by_rule[R_TD_HELD], 2);
    CHECK_INT(f->unit.findings, (int)f->f.n);
    /* each branch's findings are one run of the sorted list */
    int n;
    const finding *v = facts_branch_findings(f, 0, &n);
    CHECK_INT(n, g->findings);
    for (int i = 0; i < n; i++) CHECK_INT(v[i].branch, 0);
    /* grades: every assessed member has one */
    CHECK_INT(f->nev, 5);
    CHECK_INT(g->grades[GRADE_EXCELLENT] + g->grades[GRADE_PASS] + g->grades[GRADE_FAIL], 4);
    CHECK_INT(f->ev[f->mf[A1].ev].grade, GRADE_FAIL);
    fixture_free(&fx);
}

/* A monthly run reports its month; the facts still judge January..M, so the
   findings of earlier months can be listed (the ledger's "own period"). */
TEST(facts_findings_of_any_month)
{
    fixture fx;
    fixture_run_period(&fx, &fixture_facts_case, period_month(202202));
    const facts *f = &fx.facts;
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", "R1", "T02"), 1);
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", "R1", "T01"), 0);
    CHECK(facts_found(f, R1, 1, R_AT_ABSENT)); /* judged, not reported */
    findings all = {0};
    rules_report(f, 1, 2, 0, &all);
    findings_sort(f, &all);
    int jan = 0, feb = 0;
    for (size_t i = 0; i < all.n; i++) {
        if (finding_month(&all.v[i]) == 1) jan++;
        if (finding_month(&all.v[i]) == 2) feb++;
    }
    CHECK(jan > 0);
    CHECK_INT(feb, (int)f->f.n - fixture_count(&fx, "DU-RATE", NULL, NULL));
    findings_free(&all);
    /* data after the period's month is not used: only January and February are held */
    CHECK_INT(f->last, 2);
    CHECK(facts_mm(f, A1, 2)->flags & MM_IN_DATA);
    /* the year's eligibility is still known (the pace of an early warning needs it) */
    CHECK_INT(f->mf[A1].eligible_year, 12);
    CHECK_INT(f->mf[A2].eligible_year, 10);
    CHECK_INT(f->mf[A2].eligible_ytd, 0);
    fixture_free(&fx);
}

/* findings.csv's order: branch, rule, member_id, period, then the detail (code point
   order): two records of one day without a confirmer are ordered by their detail. */
TEST(facts_findings_sorted_by_detail)
{
    fixture_files files = {
        "P1,甲,一支部,,在职,,否,10,,,\n", "T1,一支部,2022-09-10,主题党日,t," ALL_ACTIONS ",是\n", "T1,P1,出席,\n",
        "P1,2022-09,10,2022-09-10,\n",
        "P1,2022-09-20,2,东,c,,\nP1,2022-09-20,10,东,c,,\nP1,2022-09-20,1.5,东,c,网格员,\n", NULL, NULL};
    fixture fx;
    fixture_run_period(&fx, &files, period_month(202209));
    CHECK_INT(fx.facts.f.n, 2);
    char a[256], b[256];
    if (fx.facts.f.n == 2) {
        CHECK_STR(finding_detail(&fx.ds, &fx.cfg, &fx.facts.f.v[0], a, sizeof a), "2022-09-20（东）10小时的服务记录无确认人，不计入");
        CHECK_STR(finding_detail(&fx.ds, &fx.cfg, &fx.facts.f.v[1], b, sizeof b), "2022-09-20（东）2小时的服务记录无确认人，不计入");
    }
    fixture_free(&fx);
}

/* SPEC 整改: rule/key/period (key = member_id, or the branch name for branch
   and meeting scope), #2 for the second of equals, and the same id for a
   problem of May in the May run and in the June run's January..June list. */
TEST(facts_problem_ids)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    y.theme_day[3] = -1; /* TD-HELD in March: key = the branch */
    fixture_files files;
    year_build(&y, &files);
    sbuf svc = {0};
    sb(&svc, "%sP1,2022-05-07,1,某社区,服务,,满意\nP1,2022-05-07,1.5,某社区,服务二,,满意\n", y.service.s);
    files.service = svc.s;

    fixture may;
    fixture_run_period(&may, &files, period_month(202205));
    char buf[256];
    const facts *f = &may.facts;
    int seen = 0;
    for (size_t i = 0; i < f->f.n; i++) {
        finding_problem_id(f, &f->f, i, buf, sizeof buf);
        if (f->f.v[i].rule != R_CS_UNCONFIRMED) continue;
        CHECK_STR(buf, seen ? "CS-UNCONFIRMED/P1/2022-05-07#2" : "CS-UNCONFIRMED/P1/2022-05-07");
        seen++;
    }
    CHECK_INT(seen, 2);

    fixture june;
    fixture_run_period(&june, &files, period_month(202206));
    findings all = {0};
    rules_report(&june.facts, 1, 6, 1, &all);
    findings_sort(&june.facts, &all);
    int held = 0, unconf = 0;
    for (size_t i = 0; i < all.n; i++) {
        finding_problem_id(&june.facts, &all, i, buf, sizeof buf);
        if (!strcmp(buf, "TD-HELD/一支部/2022-03")) held++;
        if (!strcmp(buf, "CS-UNCONFIRMED/P1/2022-05-07") || !strcmp(buf, "CS-UNCONFIRMED/P1/2022-05-07#2")) unconf++;
    }
    CHECK_INT(held, 1);
    CHECK_INT(unconf, 2);
    findings_free(&all);
    fixture_free(&june);
    fixture_free(&may);
    free(svc.s);
    year_free(&y);
}
