/*
 * test_rules.c — each rule and the evaluation on small hand-made cases.
 *
 * A "clean year" is built for a few members (theme day every month with all
 * actions, everyone present, dues on time, one 2-hour confirmed service a
 * month), then each test breaks exactly the thing it checks.
 */
#include "check.h"
#include "fixture.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static run_period annual(void) { run_period p; period_annual(&p, 2022); return p; }
static run_period month(int ym) { run_period p; period_monthly(&p, ym); return p; }

TEST(rules_clean_year_has_no_findings)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "P2", "离退休,,否,10,,,");
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.probs.n, 0);
    CHECK_INT(fx.facts.f.n, 0);
    CHECK(fixture_eval(&fx, "P1") != NULL);
    fixture_free(&fx);
    year_free(&y);
}

TEST(rules_theme_day)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    y.theme_day[3] = -1;  /* none in March */
    y.theme_day[9] = 23;  /* after the 22nd */
    y.theme_day[10] = 22; /* on the deadline: not late */
    fixture_files f;
    year_build(&y, &f);
    /* an extra theme day in May missing two actions, no minutes, no sign-ins */
    sbuf mt = {0};
    sb(&mt, "%sT99,一支部,2022-05-20,,学习,奏唱国歌；诵读党章、交纳党费,讲授微党课，集中学习讨论,否\n", y.meetings.s);
    f.meetings = mt.s;
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "TD-HELD", NULL, "2022-03"), 1);
    CHECK_INT(fixture_count(&fx, "TD-HELD", NULL, NULL), 1);
    CHECK_INT(fixture_count(&fx, "TD-LATE", NULL, "T09"), 1);
    CHECK_INT(fixture_count(&fx, "TD-LATE", NULL, NULL), 1);
    /* quoting is not used, so the row is ragged: it is reported, not read */
    CHECK(fixture_problem(&fx, "meetings.csv:"));
    fixture_free(&fx);

    sbuf mt2 = {0};
    sb(&mt2, "%sT99,一支部,2022-05-20,,学习,\"奏唱国歌；诵读党章、交纳党费,讲授微党课\",否\n", y.meetings.s);
    f.meetings = mt2.s;
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.probs.nerrors, 0);
    CHECK_INT(fixture_count(&fx, "TD-ACTIONS", NULL, "T99"), 1);
    CHECK_INT(fixture_count(&fx, "TD-ACTIONS", NULL, NULL), 1);
    CHECK_INT(fixture_count(&fx, "TD-RECORD", NULL, "T99"), 1);
    /* no sign-in rows: no AT-ABSENT for it */
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", NULL, NULL), 0);
    for (size_t i = 0; i < fx.facts.f.n; i++)
        if (fx.facts.f.v[i].rule == R_TD_ACTIONS) {
            /* 重温入党誓词 and 集中学习讨论 are missing, in rules order */
            CHECK_INT(fx.facts.f.v[i].missing, (1 << 1) | (1 << 5));
        }
    fixture_free(&fx);
    free(mt.s);
    free(mt2.s);
    year_free(&y);
}

TEST(rules_deadline_override)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    y.theme_day[9] = 20;
    fixture_files f;
    year_build(&y, &f);
    f.rules = "[deadlines]\n2022-09 = 2022-09-18\n";
    fixture fx;
    run_period p = month(202209);
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "TD-LATE", NULL, "T09"), 1);
    fixture_free(&fx);
    year_free(&y);
}

TEST(rules_attendance_and_leader)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "L1", "在职,,是,10,,,");
    y.skip_att[0][2] = 1;  /* P1 缺席 in Feb */
    y.skip_att[0][4] = 2;  /* P1 no row in Apr */
    y.skip_att[1][5] = 3;  /* leader 请假 in May: still AT-LEADER */
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", "P1", "T02"), 1);
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", "P1", "T04"), 1);
    CHECK_INT(fixture_count(&fx, "AT-ABSENT", NULL, NULL), 2);
    CHECK_INT(fixture_count(&fx, "AT-LEADER", "L1", "2022-05"), 1);
    CHECK_INT(fixture_count(&fx, "AT-LEADER", NULL, NULL), 1);
    fixture_free(&fx);
    year_free(&y);
}

TEST(rules_attendance_lapse)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "P2", NULL);
    for (int mo = 2; mo <= 7; mo++) y.skip_att[0][mo] = mo % 2 ? 1 : 2; /* 6 months */
    y.theme_day[4] = -1;            /* a month without a meeting neither counts nor breaks */
    for (int mo = 2; mo <= 6; mo++) y.skip_att[1][mo] = 1;  /* 5 months, then */
    y.skip_att[1][7] = 3;           /* 请假 resets */
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    /* Feb, Mar, May, Jun, Jul = 5 counted months (Apr had none) → not yet */
    CHECK_INT(fixture_count(&fx, "AT-LAPSE", NULL, NULL), 0);
    fixture_free(&fx);
    y.skip_att[0][8] = 1;
    year_case y2 = y;
    memset(&y2.members, 0, sizeof(sbuf) * 6);
    y2.n = 0;
    add_member(&y2, "P1", NULL);
    add_member(&y2, "P2", NULL);
    year_build(&y2, &f);
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "AT-LAPSE", "P1", "2022-08"), 1);
    CHECK_INT(fixture_count(&fx, "AT-LAPSE", NULL, NULL), 1);
    fixture_free(&fx);
    /* the monthly run of August reports it; July's does not */
    run_period aug = month(202208), jul = month(202207);
    fixture_run(&fx, &f, &aug);
    CHECK_INT(fixture_count(&fx, "AT-LAPSE", "P1", "2022-08"), 1);
    fixture_free(&fx);
    fixture_run(&fx, &f, &jul);
    CHECK_INT(fixture_count(&fx, "AT-LAPSE", NULL, NULL), 0);
    fixture_free(&fx);
    year_free(&y);
    year_free(&y2);
}

TEST(rules_dues)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "P2", "在职,,否,0,,,");        /* approved 0: no dues findings */
    add_member(&y, "P3", "在职,,否,30,6000,,");   /* 6000 × 1.5% = 90: DU-RATE */
    add_member(&y, "P4", "在职,,否,90,6000,,");   /* right */
    add_member(&y, "P5", "学生,,否,0.2,100,,");   /* student fixed 0.2 */
    add_member(&y, "P6", "离退休,,否,30,6000,,"); /* 6000 × 1% = 60: DU-RATE */
    y.skip_dues[0][3] = 1;
    y.skip_dues[0][4] = 2;
    y.skip_dues[0][5] = 3;
    for (int mo = 1; mo <= 12; mo++) y.skip_dues[1][mo] = 1;
    for (int mo = 6; mo <= 11; mo++) y.skip_dues[4][mo] = 1; /* six unpaid: DU-LAPSE in Nov */
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-03"), 1);
    CHECK_INT(fixture_count(&fx, "DU-SHORT", "P1", "2022-04"), 1);
    CHECK_INT(fixture_count(&fx, "DU-LATE", "P1", "2022-05"), 1);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P2", NULL), 0);
    CHECK_INT(fixture_count(&fx, "DU-RATE", "P3", "2022"), 1);
    CHECK_INT(fixture_count(&fx, "DU-RATE", "P4", NULL), 0);
    CHECK_INT(fixture_count(&fx, "DU-RATE", "P5", NULL), 0);
    CHECK_INT(fixture_count(&fx, "DU-RATE", "P6", "2022"), 1);
    CHECK_INT(fixture_count(&fx, "DU-LAPSE", "P5", "2022-11"), 1);
    CHECK_INT(fixture_count(&fx, "DU-LAPSE", NULL, NULL), 1);
    /* P3/P4 pay 10 a month against 30/90: short every month */
    CHECK_INT(fixture_count(&fx, "DU-SHORT", "P3", NULL), 12);
    fixture_free(&fx);
    year_free(&y);
}

TEST(rules_duplicate_payment_is_summed)
{
    fixture_files f = {
        "P1,甲,一支部,,在职,,否,10,,,\n", "T1,一支部,2022-09-10,主题党日,t," ALL_ACTIONS ",是\n",
        "T1,P1,出席,\n", "P1,2022-09,5,2022-09-10,\nP1,2022-09,5,2022-09-11,\n",
        "P1,2022-09-20,2,c,c,网格员,\n", NULL, NULL};
    fixture fx;
    run_period p = month(202209);
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.probs.nwarnings, 1);
    CHECK(fixture_problem(&fx, "dues.csv:3: month: 警告"));
    CHECK_INT(fixture_count(&fx, "DU-SHORT", NULL, NULL), 0);
    CHECK_INT(fx.facts.f.n, 0);
    fixture_free(&fx);
}

TEST(rules_community_month_and_unconfirmed)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "P2", "离退休,,否,10,,,");  /* retired: no CS-MONTH */
    add_member(&y, "P3", NULL);
    y.skip_svc[0][9] = 2;  /* unconfirmed only: CS-MONTH and CS-UNCONFIRMED */
    y.skip_svc[1][9] = 2;  /* retired, unconfirmed: CS-UNCONFIRMED only */
    y.skip_svc[2][9] = 1;
    fixture_files f;
    year_build(&y, &f);
    sbuf ex = {0};
    sb(&ex, "P3,病休,2022-09-01,2022-09-30\n"); /* covers the 15th: exempt */
    f.exemptions = ex.s;
    fixture fx;
    run_period p = month(202209);
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "CS-MONTH", "P1", "2022-09"), 1);
    CHECK_INT(fixture_count(&fx, "CS-UNCONFIRMED", "P1", "2022-09-20"), 1);
    CHECK_INT(fixture_count(&fx, "CS-UNCONFIRMED", "P2", "2022-09-20"), 1);
    CHECK_INT(fixture_count(&fx, "CS-MONTH", "P2", NULL), 0);
    CHECK_INT(fixture_count(&fx, "CS-MONTH", "P3", NULL), 0);
    /* year to date: 8 records, 16 hours; yearly minimum 5 and 20 h */
    CHECK_INT(fx.facts.mf[0].ytd_n, 8);
    CHECK_INT(fx.facts.mf[0].ytd_centi, 1600);
    CHECK_INT(fx.facts.mf[0].year_min_n, 5);
    CHECK_INT(fx.facts.mf[0].year_min_centi, 2000);
    fixture_free(&fx);
    free(ex.s);
    year_free(&y);
}

TEST(rules_membership_months)
{
    year_case y = {0};
    add_member(&y, "P1", "在职,,否,10,,2022-06-16,");  /* after the 15th: member from July */
    add_member(&y, "P2", "在职,,否,10,,,2022-03-14");  /* left before the 15th of March */
    for (int mo = 1; mo <= 12; mo++) {
        y.skip_dues[0][mo] = 1;
        y.skip_dues[1][mo] = 1;
    }
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", NULL), 6);  /* Jul..Dec */
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-06"), 0);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P2", NULL), 2);  /* Jan, Feb */
    CHECK_INT(fixture_count(&fx, "DU-LAPSE", "P1", "2022-12"), 1);
    fixture_free(&fx);
    year_free(&y);
}

TEST(rules_minimums_proration)
{
    config c;
    config_defaults(&c);
    CHECK_INT(min_activities(&c, 7, 0, 12), 3);
    CHECK_INT(min_centi_hours(&c, 7, 0, 12), 1200);
    CHECK_INT(min_activities(&c, 12, 0, 12), 5);
    CHECK_INT(min_centi_hours(&c, 12, 0, 12), 2000);
    CHECK_INT(min_activities(&c, 12, 1, 12), 3);      /* 2.5 → 3 */
    CHECK_INT(min_centi_hours(&c, 12, 1, 12), 1000);
    CHECK_INT(min_centi_hours(&c, 5, 0, 12), 850);    /* 8.33 → 8.5 */
    CHECK_INT(min_activities(&c, 0, 0, 12), 0);
    c.prorate = 0;
    CHECK_INT(min_centi_hours(&c, 7, 0, 12), 2000);
    config_free(&c);
}

/* Annual: 7 eligible months (joined in June) → minimum 3 activities, 12.0 h. */
TEST(annual_proration_seven_months)
{
    year_case y = {0};
    add_member(&y, "P1", "在职,,否,10,,2022-06-01,");
    add_member(&y, "P2", "在职,,否,10,,2022-06-01,");
    for (int mo = 1; mo <= 12; mo++) {
        y.skip_svc[0][mo] = mo <= 5 || mo >= 9 ? 1 : 0; /* Jun, Jul, Aug: 3 × 2 h = 6 h */
        y.skip_svc[1][mo] = mo <= 5 || mo >= 12 ? 1 : 0; /* Jun..Nov: 6 × 2 h = 12 h */
    }
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.facts.mf[0].eligible, 7);
    CHECK_INT(fx.facts.mf[0].min_n, 3);
    CHECK_INT(fx.facts.mf[0].min_centi, 1200);
    CHECK_INT(fixture_count(&fx, "CS-COUNT", "P1", NULL), 0);
    CHECK_INT(fixture_count(&fx, "CS-HOURS", "P1", "2022"), 1);
    CHECK_INT(fixture_count(&fx, "CS-HOURS", "P2", NULL), 0);
    const evaluation *e = fixture_eval(&fx, "P1");
    CHECK(e && e->grade == GRADE_FAIL && (e->fail_mask & FAIL_CS_HOURS));
    fixture_free(&fx);
    year_free(&y);
}

/* Special post halves the minimum; an exemption over the 15th removes a month. */
TEST(annual_special_post_and_exemption)
{
    year_case y = {0};
    add_member(&y, "T1", "在职,中小学教师,否,10,,,");
    add_member(&y, "E1", NULL);
    for (int mo = 1; mo <= 12; mo++) y.skip_svc[0][mo] = mo <= 7 ? 1 : 0; /* 5 × 2 h = 10 h */
    for (int mo = 3; mo <= 5; mo++) y.skip_svc[1][mo] = 1;
    fixture_files f;
    year_build(&y, &f);
    sbuf ex = {0};
    sb(&ex, "E1,哺乳期,2022-02-20,2022-05-15\n"); /* Mar, Apr, May (the 15th inclusive) */
    f.exemptions = ex.s;
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.facts.mf[0].min_n, 3);
    CHECK_INT(fx.facts.mf[0].min_centi, 1000);
    CHECK_INT(fixture_count(&fx, "CS-HOURS", "T1", NULL), 0);
    CHECK_INT(fixture_count(&fx, "CS-COUNT", "T1", NULL), 0);
    CHECK_INT(fixture_count(&fx, "CS-MONTH", "T1", NULL), 7);
    CHECK_INT(fx.facts.mf[1].eligible, 9);
    CHECK_INT(fixture_count(&fx, "CS-MONTH", "E1", NULL), 0);
    CHECK_INT(fx.facts.mf[1].min_centi, 1500);
    fixture_free(&fx);
    free(ex.s);
    year_free(&y);
}

TEST(annual_max_absences)
{
    year_case y = {0};
    add_member(&y, "A3", NULL);
    add_member(&y, "A4", NULL);
    for (int mo = 1; mo <= 3; mo++) y.skip_att[0][mo] = 1;
    for (int mo = 1; mo <= 4; mo++) y.skip_att[1][mo * 2] = 1;
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    const evaluation *a3 = fixture_eval(&fx, "A3"), *a4 = fixture_eval(&fx, "A4");
    CHECK(a3 && a3->grade == GRADE_PASS);
    CHECK(a4 && a4->grade == GRADE_FAIL && a4->fail_mask == FAIL_ABSENCES);
    /* A3: attendance 9/12 → 40 × 0.75 + 30 + 30 = 90.0 */
    CHECK(a3 && a3->score10 == 900);
    fixture_free(&fx);
    year_free(&y);
}

/* Ten clean members: cap floor(0.3 × 10) = 3.  Two at 100, then three tied
   at 96.7 would make five: none of them is 优秀. */
TEST(annual_tie_at_cap)
{
    year_case y = {0};
    static const char *ids[] = {"M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09", "M10"};
    for (int i = 0; i < 10; i++) add_member(&y, ids[i], NULL);
    /* M03..M05: 1 absence... would be a finding; use 请假 instead (no finding, lower score) */
    for (int i = 2; i < 5; i++) y.skip_att[i][6] = 3;         /* 11/12 → 96.7 */
    for (int i = 5; i < 10; i++) { y.skip_att[i][6] = 3; y.skip_att[i][7] = 3; } /* 93.3 */
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK_INT(fx.facts.f.n, 0);
    int excellent = 0;
    for (size_t i = 0; i < fx.facts.nev; i++) excellent += fx.facts.ev[i].grade == GRADE_EXCELLENT;
    CHECK_INT(excellent, 2);
    const evaluation *m3 = fixture_eval(&fx, "M03");
    CHECK(m3 && m3->score10 == 967 && m3->grade == GRADE_PASS && m3->cap_outcome == CAP_TIE);
    CHECK_INT(fx.facts.caps[0].cut_size, 3);
    CHECK_INT(fx.facts.caps[0].awarded, 2);
    const evaluation *m6 = fixture_eval(&fx, "M06");
    CHECK(m6 && m6->grade == GRADE_PASS && m6->cap_outcome == CAP_BELOW_TIE);
    CHECK(fixture_eval(&fx, "M01")->grade == GRADE_EXCELLENT);
    CHECK_INT(fixture_eval(&fx, "M03")->rank, 3);
    fixture_free(&fx);
    year_free(&y);
}

/* A score of 100 but one DU-LATE: not 优秀, even with room under the cap. */
TEST(annual_high_score_with_finding)
{
    year_case y = {0};
    add_member(&y, "G1", NULL);
    add_member(&y, "G2", NULL);
    add_member(&y, "G3", NULL);
    add_member(&y, "G4", NULL);
    y.skip_dues[0][5] = 3;
    fixture_files f;
    year_build(&y, &f);
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    const evaluation *g1 = fixture_eval(&fx, "G1");
    CHECK(g1 && g1->score10 >= 900 && g1->grade == GRADE_PASS && !g1->clean);
    /* cap floor(0.3 × 4) = 1; G2..G4 tie at 100 → none */
    CHECK(fixture_eval(&fx, "G2")->grade == GRADE_PASS);
    fixture_free(&fx);
    f.rules = "[evaluation]\nexcellent_max_ratio = 0.75\ngrade_excellent = 好\n";
    fixture_run(&fx, &f, &p);
    CHECK(fixture_eval(&fx, "G2")->grade == GRADE_EXCELLENT);
    CHECK_STR(grade_name(&fx.cfg, GRADE_EXCELLENT), "好");
    CHECK(fixture_eval(&fx, "G1")->grade == GRADE_PASS);
    fixture_free(&fx);
    year_free(&y);
}

TEST(input_errors_are_reported_with_line_and_column)
{
    fixture_files f = {
        "P1,甲,一支部,,在职,,否,10,,,\nP2,乙,一支部,,在职,,否,abc,,,\nP1,丙,一支部,,在职,,否,10,,,\n"
        "P4,丁,一支部,,军人,,否,10,,,\nP5,戊,一支部,,在职,,否,10,,2022-05-01,2022-01-01\n",
        "T1,一支部,2022-02-30,主题党日,t,,是\nT2,二支部,2022-03-01,主题党日,t,,是\nT3,一支部,2021-03-01,,t,,是\n",
        "T9,P1,出席,\nT3,P9,出席,\nT3,P1,迟到,\n",
        "P1,2022-09-01,10,,\nP1,2022-09,-10,,\n",
        "P1,2022-09-01,20,,,网格员,\nP1,2022-09-01,5,,,网格员,\nP1,2022-09-02,-1,,,,\n",
        "P1,出差,2022-01-01,2022-02-01\n", NULL};
    fixture fx;
    run_period p = annual();
    fixture_run(&fx, &f, &p);
    CHECK(fixture_problem(&fx, "members.csv:3: monthly_dues: 无法识别的金额“abc”"));
    CHECK(fixture_problem(&fx, "members.csv:4: member_id: 党员编号“P1”重复"));
    CHECK(fixture_problem(&fx, "members.csv:5: category: 未知的人员类别“军人”"));
    CHECK(fixture_problem(&fx, "members.csv:6: left: 转出日期早于"));
    CHECK(fixture_problem(&fx, "meetings.csv:2: date: 无法识别的日期“2022-02-30”"));
    CHECK(fixture_problem(&fx, "meetings.csv:3: branch: 未知的支部“二支部”"));
    CHECK(fixture_problem(&fx, "meetings.csv:4: date: 警告：日期不在 2022 年内"));
    CHECK(fixture_problem(&fx, "attendance.csv:2: meeting_id: 未知的活动编号“T9”"));
    CHECK(fixture_problem(&fx, "attendance.csv:3: member_id: 未知的党员编号“P9”"));
    CHECK(fixture_problem(&fx, "attendance.csv:4: status: 未知的出勤状态“迟到”"));
    CHECK(fixture_problem(&fx, "dues.csv:2: month: 无法识别的月份"));
    CHECK(fixture_problem(&fx, "dues.csv:3: amount: 金额不能为负数"));
    CHECK(fixture_problem(&fx, "service.csv:3: hours: P1 在 2022-09-01 的服务时长合计超过 24 小时"));
    CHECK(fixture_problem(&fx, "service.csv:4: hours: 时长不能为负数"));
    CHECK(fixture_problem(&fx, "exemptions.csv:2: type: 未知的豁免类型“出差”"));
    CHECK(!fixture_problem(&fx, "service.csv:2:"));
    fixture_free(&fx);
}
