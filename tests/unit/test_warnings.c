/*
 * test_warnings.c — the early warnings (check/warnings.h) on hand-made
 * years: a member behind the pace line in June who catches up by
 * September; a special post, a member from April (prorated) and one behind
 * in hours only; lapse streaks of 3, 4 and 5 months warned, the 6th
 * reported as AT-LAPSE / DU-LAPSE instead; [warnings] off, a longer warning
 * streak and the configuration errors; the half-year month; and the words
 * of the 预警名单 section and of warnings.csv.
 */
#include "check.h"
#include "doc_find.h"
#include "fixture.h"
#include "build/build_reports.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static run_period monthly(int ym)
{
    run_period p;
    period_monthly(&p, ym);
    return p;
}

/* The warning of member id (code, and for WARN-LAPSE its streak), or NULL. */
static const warning *wfind(const fixture *fx, const warning_list *w, warning_code code, const char *id,
                            warning_streak streak)
{
    for (size_t i = 0; i < w->n; i++) {
        const warning *x = &w->v[i];
        if (x->code == code && !strcmp(fx->ds.members[x->member].id, id) && (code != W_LAPSE || x->streak == streak))
            return x;
    }
    return NULL;
}

static const char *detail(const fixture *fx, const warning *w)
{
    static char buf[512];
    return w ? warning_detail(&fx->ds, w, buf, sizeof buf) : "(none)";
}

/* Run month ym of the case and its warnings (the run's month). */
static void run_month(fixture *fx, warning_list *w, const fixture_files *f, int ym)
{
    run_period p = monthly(ym);
    fixture_run(fx, f, &p);
    warnings_build(&fx->facts, warnings_month(&p), w);
}

static void done(fixture *fx, warning_list *w)
{
    warnings_free(w);
    fixture_free(fx);
}

/* The 预警名单 table of the branch's monthly report (NULL when the section has none). */
static rdoc *monthly_doc(fixture *fx, warning_list *w, build_ctx *b)
{
    build_input in = {&fx->ds, &fx->cfg, &fx->facts, &fx->probs, "templates", NULL, w, NULL};
    char err[512];
    if (build_init(b, &in, err, sizeof err) || build_template(b, "templates", "monthly.ini", err, sizeof err))
        fprintf(stderr, "  %s\n", err);
    return build_monthly_branch(b, 0);
}

TEST(warnings_pace_behind_in_june_caught_up_by_september)
{
    year_case y = {0};
    add_member(&y, "P1", NULL);
    add_member(&y, "P2", NULL); /* one 2-hour record a month: on pace all year */
    for (int mo = 1; mo <= 6; mo++) y.skip_svc[0][mo] = 1;
    fixture_files f;
    year_build(&y, &f);
    sbuf svc = {0}; /* P1 catches up in August: two more records of 5 hours */
    sb(&svc, "%sP1,2022-08-05,5,某社区,服务,网格员,满意\nP1,2022-08-25,5,某社区,服务,网格员,满意\n", y.service.s);
    f.service = svc.s;

    fixture fx;
    warning_list w;
    run_month(&fx, &w, &f, 202206);
    const warning *x = wfind(&fx, &w, W_CS_PACE, "P1", 0);
    CHECK(x != NULL);
    CHECK_STR(detail(&fx, x), "1—6月确认下沉服务0次、0小时，按进度应达3次、10小时（全年要求5次、20小时）");
    if (x) {
        CHECK_INT(x->need_n, 5);
        CHECK_INT(x->need_centi, 2000);
        CHECK_INT(x->eligible_left, 6);
        CHECK(x->behind_n && x->behind_h);
    }
    CHECK(wfind(&fx, &w, W_CS_PACE, "P2", 0) == NULL);
    CHECK_INT(w.n, 1);
    CHECK_INT(w.month, 202206);
    /* the words of the 预警名单: who, what, what is still needed */
    build_ctx b;
    rdoc *d = monthly_doc(&fx, &w, &b);
    const rtable *t = doc_table(d, "预警名单", 0);
    long r = table_find(t, "姓名", "党员P1");
    CHECK_STR(table_text(t, r, "预警"), "下沉社区进度落后");
    CHECK_STR(table_text(t, r, "情况"), "1—6月确认0次、0小时，按进度应达3次、10小时");
    CHECK_STR(table_text(t, r, "还需"), "还需5次、20小时，剩余6个应服务月");
    CHECK(doc_paragraph(d, "本月预警1条，涉及党员1名") != NULL);
    rdoc_free(d);
    build_free(&b);
    done(&fx, &w);

    /* July: still behind (1 record, 2 hours against 2.9 and 11.7) */
    run_month(&fx, &w, &f, 202207);
    CHECK_STR(detail(&fx, wfind(&fx, &w, W_CS_PACE, "P1", 0)),
              "1—7月确认下沉服务1次、2小时，按进度应达3次、11.7小时（全年要求5次、20小时）");
    done(&fx, &w);
    /* September: 5 records, 16 hours against 3.75 and 15 — no warning, and one line says so */
    run_month(&fx, &w, &f, 202209);
    CHECK(wfind(&fx, &w, W_CS_PACE, "P1", 0) == NULL);
    CHECK_INT(w.n, 0);
    d = monthly_doc(&fx, &w, &b);
    CHECK(doc_paragraph(d, "本月没有需要预警的党员。") != NULL);
    CHECK(doc_table(d, "预警名单", 0) == NULL); /* no empty table */
    rdoc_free(d);
    build_free(&b);
    done(&fx, &w);
    free(svc.s);
    year_free(&y);
}

TEST(warnings_pace_special_post_and_prorated)
{
    year_case y = {0};
    add_member(&y, "S1", "在职,中小学教师,否,10,,,"); /* year: ceil(2.5) = 3, 10 hours */
    add_member(&y, "S2", "在职,中小学教师,否,10,,,");
    add_member(&y, "N1", NULL);                      /* as S2, without the special post */
    add_member(&y, "J1", "在职,,否,10,,2022-04-01,"); /* a member from April: 9 months, 4 and 15 hours */
    add_member(&y, "X1", "在职,,否,10,,,2022-06-30"); /* a member until June, without service */
    add_member(&y, "R1", "离退休,,否,10,,,");       /* no service asked of a retired member */
    for (int mo = 2; mo <= 6; mo++) y.skip_svc[0][mo] = 1;   /* S1: January only */
    for (int mo = 3; mo <= 6; mo++) y.skip_svc[1][mo] = y.skip_svc[2][mo] = 1;
    y.skip_svc[3][5] = y.skip_svc[3][6] = 1;                 /* J1: April only (Jan–Mar do not count) */
    for (int mo = 1; mo <= 12; mo++) y.skip_svc[4][mo] = y.skip_svc[5][mo] = 1;
    fixture_files f;
    year_build(&y, &f);
    sbuf svc = {0}; /* S2 and N1: three records, 6 hours by June */
    sb(&svc, "%sS2,2022-02-22,2,某社区,服务,网格员,满意\nN1,2022-02-22,2,某社区,服务,网格员,满意\n", y.service.s);
    f.service = svc.s;
    fixture fx;
    warning_list w;
    run_month(&fx, &w, &f, 202206);
    CHECK_STR(detail(&fx, wfind(&fx, &w, W_CS_PACE, "S1", 0)),
              "1—6月确认下沉服务1次、2小时，按进度应达2次、5小时（全年要求3次、10小时）");
    /* 3 records and 6 hours keep a special post's pace (1.5, 5), not another's (2.5, 10) */
    CHECK(wfind(&fx, &w, W_CS_PACE, "S2", 0) == NULL);
    const warning *n1 = wfind(&fx, &w, W_CS_PACE, "N1", 0);
    CHECK(n1 && !n1->behind_n && n1->behind_h);
    CHECK_STR(detail(&fx, n1), "1—6月确认下沉服务3次、6小时，按进度应达3次、10小时（全年要求5次、20小时）");
    /* J1: 3 of its 9 eligible months gone: 4 × 3/9 = 1.33, 15 × 3/9 = 5 */
    const warning *j1 = wfind(&fx, &w, W_CS_PACE, "J1", 0);
    CHECK_STR(detail(&fx, j1), "1—6月确认下沉服务1次、2小时，按进度应达2次、5小时（全年要求4次、15小时）");
    CHECK(j1 && j1->eligible_done == 3 && j1->eligible_left == 6);
    CHECK(wfind(&fx, &w, W_CS_PACE, "X1", 0) != NULL);
    CHECK(wfind(&fx, &w, W_CS_PACE, "R1", 0) == NULL);
    build_ctx b;
    rdoc *d = monthly_doc(&fx, &w, &b);
    const rtable *t = doc_table(d, "预警名单", 0);
    CHECK_STR(table_text(t, table_find(t, "姓名", "党员N1"), "还需"), "还需2次、14小时，剩余6个应服务月");
    CHECK_STR(table_text(t, table_find(t, "姓名", "党员J1"), "还需"), "还需3次、13小时，剩余6个应服务月");
    rdoc_free(d);
    build_free(&b);
    done(&fx, &w);
    /* July: X1 is no longer a member, so not warned */
    run_month(&fx, &w, &f, 202207);
    CHECK(wfind(&fx, &w, W_CS_PACE, "X1", 0) == NULL);
    CHECK(wfind(&fx, &w, W_CS_PACE, "S1", 0) != NULL);
    done(&fx, &w);
    free(svc.s);
    year_free(&y);
}

TEST(warnings_lapse_three_four_five_then_the_finding)
{
    year_case y = {0};
    add_member(&y, "L1", NULL);
    add_member(&y, "D1", NULL);
    add_member(&y, "M2", NULL);
    for (int mo = 4; mo <= 10; mo++) y.skip_att[0][mo] = mo % 2 ? 1 : 2; /* 缺席, or no row */
    for (int mo = 4; mo <= 10; mo++) y.skip_dues[1][mo] = 1;
    y.skip_att[2][6] = y.skip_att[2][7] = 1;                            /* two months only */
    fixture_files f;
    year_build(&y, &f);
    static const char *const words[3] = {
        "截至6月，已连续3个月不参加党的组织生活（未出席也未请假），满6个月即属《中国共产党章程》第九条所列情形",
        "截至7月，已连续4个月不参加党的组织生活（未出席也未请假），满6个月即属《中国共产党章程》第九条所列情形",
        "截至8月，已连续5个月不参加党的组织生活（未出席也未请假），满6个月即属《中国共产党章程》第九条所列情形"};
    for (int k = 0; k < 3; k++) {
        fixture fx;
        warning_list w;
        run_month(&fx, &w, &f, 202206 + k);
        const warning *a = wfind(&fx, &w, W_LAPSE, "L1", WS_ATTENDANCE);
        const warning *u = wfind(&fx, &w, W_LAPSE, "D1", WS_DUES);
        CHECK_STR(detail(&fx, a), words[k]);
        CHECK(u && u->length == 3 + k && u->limit == 6);
        CHECK(wfind(&fx, &w, W_LAPSE, "M2", WS_ATTENDANCE) == NULL);
        CHECK_INT(w.n, 2);
        CHECK_INT(fixture_count(&fx, "AT-LAPSE", NULL, NULL) + fixture_count(&fx, "DU-LAPSE", NULL, NULL), 0);
        if (k == 2) { /* August: one month left */
            build_ctx b;
            rdoc *d = monthly_doc(&fx, &w, &b);
            const rtable *t = doc_table(d, "预警名单", 0);
            long r = table_find(t, "预警", "连续未参加组织生活");
            CHECK_STR(table_text(t, r, "姓名"), "党员L1");
            CHECK_STR(table_text(t, r, "情况"), "已连续5个月未参加组织生活（未出席也未请假）");
            CHECK_STR(table_text(t, r, "还需"), "再有1个月不参加即满6个月（《中国共产党章程》第九条）");
            r = table_find(t, "预警", "连续未交纳党费");
            CHECK_STR(table_text(t, r, "还需"), "再有1个月不交纳即满6个月（《中国共产党章程》第九条）");
            rdoc_free(d);
            build_free(&b);
        }
        done(&fx, &w);
    }
    /* September, the sixth month: the rules report it, the warning stops; October: neither again */
    for (int ym = 202209; ym <= 202210; ym++) {
        fixture fx;
        warning_list w;
        run_month(&fx, &w, &f, ym);
        CHECK_INT(w.n, 0);
        CHECK_INT(fixture_count(&fx, "AT-LAPSE", "L1", "2022-09"), ym == 202209);
        CHECK_INT(fixture_count(&fx, "DU-LAPSE", "D1", "2022-09"), ym == 202209);
        done(&fx, &w);
    }
    year_free(&y);
}

/* [warnings] enabled = no; lapse_months = 4 (and 0); warnings never change the findings. */
TEST(warnings_configured)
{
    year_case y = {0};
    add_member(&y, "L1", NULL);
    add_member(&y, "P1", NULL);
    for (int mo = 4; mo <= 7; mo++) y.skip_att[0][mo] = 1;
    for (int mo = 1; mo <= 7; mo++) y.skip_svc[1][mo] = 1;
    fixture_files f;
    year_build(&y, &f);
    fixture on, off;
    warning_list w_on, w_off;
    run_month(&on, &w_on, &f, 202207);
    CHECK_INT(w_on.n, 2); /* L1: 4 months; P1: behind */
    f.rules = "[warnings]\nenabled = no\n";
    run_month(&off, &w_off, &f, 202207);
    CHECK_INT(w_off.n, 0);
    CHECK_INT(w_off.month, 0);
    /* the same findings either way */
    CHECK_INT(off.facts.f.n, on.facts.f.n);
    for (size_t i = 0; i < on.facts.f.n && i < off.facts.f.n; i++)
        CHECK(!memcmp(&on.facts.f.v[i], &off.facts.f.v[i], sizeof on.facts.f.v[i]));
    build_ctx b;
    rdoc *d = monthly_doc(&off, &w_off, &b);
    CHECK(doc_paragraph(d, "本次未启用预警。") != NULL);
    CHECK(doc_table(d, "预警名单", 0) == NULL);
    rdoc_free(d);
    build_free(&b);
    done(&off, &w_off);
    done(&on, &w_on);

    fixture fx;
    warning_list w;
    f.rules = "[warnings]\nlapse_months = 4\n";
    run_month(&fx, &w, &f, 202206); /* 3 months: not yet */
    CHECK(wfind(&fx, &w, W_LAPSE, "L1", WS_ATTENDANCE) == NULL);
    done(&fx, &w);
    run_month(&fx, &w, &f, 202207);
    CHECK(wfind(&fx, &w, W_LAPSE, "L1", WS_ATTENDANCE) != NULL);
    done(&fx, &w);
    f.rules = "[warnings]\nlapse_months = 0\n"; /* no lapse warning, the pace one stays */
    run_month(&fx, &w, &f, 202207);
    CHECK(wfind(&fx, &w, W_LAPSE, "L1", WS_ATTENDANCE) == NULL);
    CHECK(wfind(&fx, &w, W_CS_PACE, "P1", 0) != NULL);
    done(&fx, &w);
    /* a half-year run warns as of the half's last month; an annual run not at all */
    run_period h1;
    period_halfyear(&h1, 2022, 1);
    CHECK_INT(warnings_month(&h1), 6);
    period_annual(&h1, 2022);
    CHECK_INT(warnings_month(&h1), 0);
    year_free(&y);
}

static int load_rules(const char *text, char *err, size_t n)
{
    char path[] = "/tmp/zhibu-warn-rules-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -2;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { close(fd); return -2; }
    close(fd);
    config c;
    config_defaults(&c);
    err[0] = 0;
    int rc = config_load(&c, path, err, n);
    config_free(&c);
    unlink(path);
    return rc;
}

TEST(warnings_configuration_errors)
{
    char err[1024];
    CHECK_INT(load_rules("[warnings]\nenabled = yes\nlapse_months = 5\n", err, sizeof err), 0);
    CHECK_INT(load_rules("[warnings]\nlapse_months = 6\n", err, sizeof err), -1);
    CHECK(strstr(err, "[warnings] lapse_months: 6 个月不小于 [party] lapse_months（6 个月）") != NULL);
    CHECK(strstr(err, ":2:") != NULL);
    CHECK_INT(load_rules("[party]\nlapse_months = 3\n", err, sizeof err), -1); /* the default 3 is no longer below */
    CHECK(strstr(err, "[warnings] lapse_months") != NULL);
    CHECK_INT(load_rules("[party]\nlapse_months = 3\n[warnings]\nenabled = no\n", err, sizeof err), 0);
    CHECK_INT(load_rules("[warnings]\nenabled = 也许\n", err, sizeof err), -1);
    CHECK(strstr(err, "[warnings] enabled: “也许”应为 yes/no") != NULL);
    CHECK_INT(load_rules("[warnings]\nlapse_months = 2.5\n", err, sizeof err), -1);
    CHECK(strstr(err, "应为 0 到 11 的整数") != NULL);
    CHECK_INT(load_rules("[warnings]\npace = yes\n", err, sizeof err), -1);
    CHECK(strstr(err, "[warnings] pace: 未知的键") != NULL);
}
