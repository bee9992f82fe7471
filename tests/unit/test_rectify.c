/*
 * test_rectify.c — the rectification loop (check/rectify.h) on a hand-made
 * year and ledger: open problems with their ages, closed since, closed
 * before (销号月份), a 已整改 mark the data contradict, a mark whose finding
 * is gone, the ledger's unknown ids and why, the problems it lacks; the
 * 问题整改情况 section and the 整改台账 sheet; and the workbook read back
 * by the ledger reader (问题清单 with its problem_id and dropdown, the
 * 整改台账 with 销号月份, a problem in both sheets).
 */
#include "check.h"
#include "doc_find.h"
#include "fixture.h"
#include "build/build_reports.h"
#include "check/problem_id.h"
#include "render/xlsx/render_xlsx.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *codes[R_COUNT];

static void init_codes(void)
{
    for (int r = 0; r < R_COUNT; r++) codes[r] = rule_code_name((rule_code)r);
}

static const rect_item *item(const rectification *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].e->problem_id, id)) return &r->v[i];
    return NULL;
}

static int unknown_why(const rectification *r, const char *id)
{
    for (size_t i = 0; i < r->nunknown; i++)
        if (!strcmp(r->unknown[i].e->problem_id, id)) return (int)r->unknown[i].why;
    return -1;
}

/* P1..P5 of 一支部: what each did wrong (and B1 of 二支部, clean). */
static void the_year(year_case *y, fixture_files *f)
{
    memset(y, 0, sizeof *y);
    add_member(y, "P1", NULL);
    add_member(y, "P2", NULL);
    add_member(y, "P3", NULL);
    add_member(y, "P4", NULL);
    add_member(y, "P5", NULL);
    y->skip_dues[0][8] = 1;  /* DU-UNPAID/P1/2022-08 */
    y->skip_svc[1][7] = 1;   /* CS-MONTH/P2/2022-07 */
    y->skip_att[2][8] = 1;   /* AT-ABSENT/P3/T08 */
    y->theme_day[5] = -1;    /* TD-HELD/一支部/2022-05 */
    y->skip_svc[4][4] = 1;   /* CS-MONTH/P5/2022-04: not in the ledger */
    y->skip_dues[4][9] = 1;  /* DU-UNPAID/P5/2022-09: the run's own */
    year_build(y, f);
}

static const char *const ledger_csv =
    "problem_id,整改情况,完成日期,整改措施,责任人,销号月份\n"
    "DU-UNPAID/P1/2022-08,未整改,,,,\n"
    "CS-MONTH/P2/2022-07,整改中,,补做服务,王二,\n"
    "AT-ABSENT/P3/T08,已整改,2022-09-05,约谈,,\n"
    "DU-UNPAID/P4/2022-06,已整改,2022-07-01,补交,,\n"
    "TD-HELD/一支部/2022-05,无需整改,,暑期,,2022-08\n"
    "CS-MONTH/P1/2022-03,整改中,,,,\n"
    "DU-UNPAID/NOPE/2022-08,整改中,,,,\n"
    "TD-HELD/二支部/2022-08,整改中,,,,\n"
    "AT-ABSENT/P3/T99,整改中,,,,\n"
    "DU-UNPAID/P1/2022-11,整改中,,,,\n"
    "DU-UNPAID/P1/2021-08,整改中,,,,\n"
    "CS-COUNT/P1/2022,整改中,,,,\n"
    "DU-RATE/P1/2022-H1,整改中,,,,\n";

typedef struct {
    fixture fx;
    ledger lg;
    rectification r;
    build_ctx b;
} looped;

static void loop_run(looped *x, int ym_or_year, const char *ledger_text)
{
    year_case y;
    fixture_files f;
    the_year(&y, &f);
    run_period p;
    if (ym_or_year > 9999) period_monthly(&p, ym_or_year);
    else period_annual(&p, ym_or_year);
    fixture_run(&x->fx, &f, &p);
    year_free(&y);
    init_codes();
    memset(&x->lg, 0, sizeof x->lg);
    int with_ledger = ledger_text != NULL;
    if (with_ledger) {
        char path[512];
        snprintf(path, sizeof path, "%s/ledger.csv", x->fx.dir);
        write_text(path, ledger_text);
        if (ledger_load(&x->lg, path, "ledger.csv", codes, R_COUNT, &x->fx.probs)) fprintf(stderr, "  ledger_load failed\n");
    }
    rect_build(&x->fx.facts, with_ledger ? &x->lg : NULL, &x->r);
    build_input in = {&x->fx.ds, &x->fx.cfg, &x->fx.facts, &x->fx.probs, "templates", with_ledger ? &x->lg : NULL,
                      NULL, &x->r};
    char err[512];
    if (build_init(&x->b, &in, err, sizeof err)) fprintf(stderr, "  %s\n", err);
}

static void loop_free(looped *x)
{
    build_free(&x->b);
    rect_free(&x->r);
    ledger_free(&x->lg);
    fixture_free(&x->fx);
}

TEST(rectify_monthly_loop)
{
    looped x;
    loop_run(&x, 202209, ledger_csv);
    const rectification *r = &x.r;
    CHECK_INT(x.lg.n, 13);
    CHECK_INT(r->have_ledger, 1);
    CHECK_INT(r->month, 202209);
    /* open: the mark is the secretary's, with the age in months to September */
    const rect_item *it = item(r, "DU-UNPAID/P1/2022-08");
    CHECK(it && it->kind == RX_OPEN && it->found && it->age == 1 && it->month == 8);
    it = item(r, "CS-MONTH/P2/2022-07");
    CHECK(it && it->kind == RX_OPEN && it->found && it->age == 2);
    it = item(r, "CS-MONTH/P1/2022-03"); /* 整改中, but the data no longer give it */
    CHECK(it && it->kind == RX_OPEN && !it->found && it->age == 6);
    /* 已整改, and the data still give it for its own period */
    it = item(r, "AT-ABSENT/P3/T08");
    CHECK(it && it->kind == RX_CONTRADICTED && it->found && it->age == 1);
    /* 已整改 and gone: closed now, 销号月份 this month */
    it = item(r, "DU-UNPAID/P4/2022-06");
    CHECK(it && it->kind == RX_CLOSED && !it->found && it->closed_in == 202209);
    /* closed, and an earlier report listed it (销号月份 2022-08) */
    it = item(r, "TD-HELD/一支部/2022-05");
    CHECK(it && it->kind == RX_CLOSED_BEFORE && it->found && it->closed_in == 202208);
    CHECK_INT(r->n, 6);
    int k[RX_NKINDS] = {3, 1, 1, 1};
    for (int i = 0; i < RX_NKINDS; i++) CHECK_INT(r->b_kinds[0][i], k[i]);
    /* by kind, then month: March, July, August */
    CHECK_STR(r->v[0].e->problem_id, "CS-MONTH/P1/2022-03");
    CHECK_STR(r->v[1].e->problem_id, "CS-MONTH/P2/2022-07");
    CHECK_STR(r->v[2].e->problem_id, "DU-UNPAID/P1/2022-08");
    CHECK_STR(r->v[3].e->problem_id, "AT-ABSENT/P3/T08");
    /* the problems of January..August the ledger lacks (September's are the run's own) */
    CHECK_INT(r->b_untracked[0], 1); /* CS-MONTH/P5/2022-04 */
    /* ids that name nothing of this run, and why */
    CHECK_INT(r->nunknown, 7);
    CHECK_INT(unknown_why(r, "DU-UNPAID/NOPE/2022-08"), RU_MEMBER);
    CHECK_INT(unknown_why(r, "TD-HELD/二支部/2022-08"), RU_BRANCH);
    CHECK_INT(unknown_why(r, "AT-ABSENT/P3/T99"), RU_MEETING);
    CHECK_INT(unknown_why(r, "DU-UNPAID/P1/2022-11"), RU_PERIOD);
    CHECK_INT(unknown_why(r, "DU-UNPAID/P1/2021-08"), RU_PERIOD);
    CHECK_INT(unknown_why(r, "CS-COUNT/P1/2022"), RU_KIND);
    CHECK_INT(unknown_why(r, "DU-RATE/P1/2022-H1"), RU_PERIOD);

    /* the 问题整改情况 section of the branch's monthly report */
    char err[512];
    build_template(&x.b, "templates", "monthly.ini", err, sizeof err);
    rdoc *d = build_monthly_branch(&x.b, 0);
    CHECK(doc_paragraph(d, "仍未整改3个，标记已整改但数据仍显示问题1个，本月销号1个。此前已销号1个，不再逐条列出。"
                           "另有1个以前月份的问题未列入整改台账。") != NULL);
    const rtable *t = doc_table(d, "问题整改情况", 0);
    CHECK(t && !strcmp(t->caption, "仍未整改的问题") && t->nrows == 3);
    long row = table_find(t, "姓名", "党员P2");
    CHECK_STR(table_text(t, row, "已有"), "2个月");
    CHECK_STR(table_text(t, row, "整改情况"), "整改中");
    CHECK_STR(table_text(t, row, "责任人"), "王二");
    CHECK_STR(table_text(t, row, "时间"), "2022年7月");
    CHECK_STR(table_text(t, table_find(t, "时间", "2022年3月"), "已有"), "6个月");
    t = doc_table(d, "问题整改情况", 1);
    CHECK(t && !strcmp(t->caption, "标记已整改但数据仍显示问题（请核实数据，或继续整改）") && t->nrows == 1);
    CHECK_STR(table_text(t, 0, "详情"), "8月12日主题党日：缺席");
    CHECK_STR(table_text(t, 0, "完成日期"), "2022-09-05");
    t = doc_table(d, "问题整改情况", 2);
    CHECK(t && !strcmp(t->caption, "本月销号的问题") && t->nrows == 1);
    CHECK_STR(table_text(t, 0, "姓名"), "党员P4");
    CHECK_STR(table_text(t, 0, "整改措施"), "补交");
    /* a problem is named by its words: no problem_id anywhere in the PDF */
    for (int i = 0; i < 3; i++) {
        const rtable *u = doc_table(d, "问题整改情况", i);
        for (size_t c = 0; u && c < u->nrows * (size_t)u->ncols; c++) CHECK(!strchr(u->cells[c].text, '/'));
    }
    rdoc_free(d);

    /* the workbook's 整改台账: every item, what the check gave, 销号月份 */
    build_template(&x.b, "templates", "workbook.ini", err, sizeof err);
    d = build_workbook(&x.b);
    t = doc_sheet(d, "整改台账");
    CHECK(t && t->nrows == 6);
    CHECK_STR(t ? t->cols[0].title : "", "问题编号");
    row = table_find(t, "问题编号", "AT-ABSENT/P3/T08");
    CHECK_STR(table_text(t, row, "核对结果"), "标记已整改但数据仍显示问题");
    CHECK_STR(table_text(t, row, "整改情况"), "已整改");
    row = table_find(t, "问题编号", "CS-MONTH/P1/2022-03");
    CHECK_STR(table_text(t, row, "核对结果"), "仍未整改（数据已不再显示此问题，核实后可标为已整改）");
    CHECK_STR(table_text(t, row, "详情"), "数据已不再显示此问题");
    CHECK_STR(table_text(t, table_find(t, "问题编号", "DU-UNPAID/P4/2022-06"), "销号月份"), "2022-09");
    CHECK_STR(table_text(t, table_find(t, "问题编号", "TD-HELD/一支部/2022-05"), "核对结果"), "此前已销号");
    CHECK_STR(table_text(t, table_find(t, "问题编号", "TD-HELD/一支部/2022-05"), "销号月份"), "2022-08");
    int col = table_col(t, "整改情况");
    CHECK(col >= 0 && t->cols[col].nchoices == 4 && !strcmp(t->cols[col].choices[2], "已整改"));
    rdoc_free(d);
    loop_free(&x);
}

/* An annual run lists every closed problem of the year; without a ledger, the section says how to make one. */
TEST(rectify_annual_and_without_ledger)
{
    looped x;
    loop_run(&x, 2022, ledger_csv);
    const rect_item *it = item(&x.r, "TD-HELD/一支部/2022-05");
    CHECK(it && it->kind == RX_CLOSED && it->closed_in == 202208 && it->age == 7);
    CHECK_INT(x.r.b_untracked[0], 0); /* the year's problems are all the run's own */
    CHECK_INT(x.r.b_kinds[0][RX_CLOSED], 2);
    CHECK(unknown_why(&x.r, "DU-UNPAID/P1/2022-11") < 0); /* November is in the year now */
    CHECK(item(&x.r, "DU-UNPAID/P1/2022-11") != NULL);
    char err[512];
    build_template(&x.b, "templates", "annual.ini", err, sizeof err);
    rdoc *d = build_annual_branch(&x.b, 0);
    /* open: P1 August, P2 July, P1 March, and P1 November and CS-COUNT of the year, both gone */
    CHECK(item(&x.r, "CS-COUNT/P1/2022") && !item(&x.r, "CS-COUNT/P1/2022")->found);
    CHECK(doc_paragraph(d, "对照整改台账核对本年度问题的整改情况：仍未整改5个，标记已整改但数据仍显示问题1个，已销号2个。") != NULL);
    const rtable *t = doc_table(d, "问题整改情况", 2);
    CHECK(t && !strcmp(t->caption, "本年度已销号的问题") && t->nrows == 2);
    rdoc_free(d);
    loop_free(&x);

    loop_run(&x, 202209, NULL);
    CHECK_INT(x.r.have_ledger, 0);
    CHECK_INT(x.r.n, 0);
    build_template(&x.b, "templates", "monthly.ini", err, sizeof err);
    d = build_monthly_branch(&x.b, 0);
    CHECK(doc_paragraph(d, "本月没有提供整改台账，无法核对以前月份问题的整改情况。请在本月工作簿的“问题清单”工作表中逐条填写") != NULL);
    CHECK(doc_table(d, "问题整改情况", 0) == NULL); /* one paragraph, no table */
    rdoc_free(d);
    build_template(&x.b, "templates", "workbook.ini", err, sizeof err);
    d = build_workbook(&x.b);
    const rtable *s = doc_sheet(d, "整改台账");
    CHECK(s && s->nrows == 0 && !strcmp(s->empty_text, "未提供整改台账"));
    rdoc_free(d);
    loop_free(&x);
}

/* The workbook zhibu writes is the next run's ledger: its 问题清单 (every finding, its
   problem_id, the ledger's marks prefilled) and its 整改台账 (销号月份) read back exactly;
   a problem in both sheets written alike is no conflict. */
TEST(rectify_workbook_reads_back)
{
    char text[4096];
    snprintf(text, sizeof text, "%sDU-UNPAID/P5/2022-09,整改中,,,李四,\n", ledger_csv);
    looped x;
    loop_run(&x, 202209, text);
    char err[512] = "", path[600];
    build_template(&x.b, "templates", "workbook.ini", err, sizeof err);
    rdoc *d = build_workbook(&x.b);
    const rtable *t = doc_sheet(d, "问题清单");
    CHECK(t && !strcmp(t->cols[0].title, "问题编号") && t->nrows == x.fx.facts.f.n);
    int col = table_col(t, "整改情况");
    CHECK(col >= 0 && t->cols[col].nchoices == 4 && !strcmp(t->cols[col].choices[0], "未整改"));
    CHECK_STR(table_text(t, table_find(t, "问题编号", "DU-UNPAID/P5/2022-09"), "整改情况"), "整改中");
    CHECK_STR(table_text(t, table_find(t, "问题编号", "DU-UNPAID/P5/2022-09"), "责任人"), "李四");
    snprintf(path, sizeof path, "%s/zhibu-2022-09.xlsx", x.fx.dir);
    CHECK_INT(xlsx_render(d, path, err, sizeof err), 0);
    rdoc_free(d);

    ledger lg;
    problems p;
    problems_init(&p);
    CHECK_INT(ledger_load(&lg, path, "zhibu-2022-09.xlsx", codes, R_COUNT, &p), 0);
    CHECK_INT(p.n, 0); /* DU-UNPAID/P5/2022-09 is in both sheets, written alike: no conflict */
    CHECK_INT(lg.nsheets, 1);
    CHECK_INT(lg.ntracking, 1);
    /* every finding of the run by its id, and every item carried */
    char id[256];
    for (size_t i = 0; i < x.fx.facts.f.n; i++) {
        const ledger_entry *e = ledger_find(&lg, finding_problem_id(&x.fx.facts, &x.fx.facts.f, i, id, sizeof id));
        CHECK(e != NULL);
    }
    for (size_t i = 0; i < x.r.n; i++) {
        const ledger_entry *e = ledger_find(&lg, x.r.v[i].e->problem_id), *was = x.r.v[i].e;
        CHECK(e && e->status == was->status && e->done_on == was->done_on && !strcmp(e->measures, was->measures) &&
              !strcmp(e->owner, was->owner) && e->closed_in == x.r.v[i].closed_in);
    }
    const ledger_entry *e = ledger_find(&lg, "DU-UNPAID/P4/2022-06");
    CHECK(e && e->closed_in == 202209 && e->tracking);
    e = ledger_find(&lg, "AT-ABSENT/P3/T08");
    CHECK(e && e->status == LEDGER_DONE && e->done_on == 20220905);
    e = ledger_find(&lg, "DU-UNPAID/P5/2022-09");
    CHECK(e && e->status == LEDGER_IN_PROGRESS && !e->tracking && !strcmp(e->owner, "李四"));
    CHECK(lg.n == x.fx.facts.f.n + x.r.n - 1);
    ledger_free(&lg);
    problems_free(&p);
    loop_free(&x);
}

/* A workbook with one problem in a 问题清单 and a 整改台账 (either order), filled differently. */
static int two_sheets(const char *path, int tracking_first, const char *list_status, const char *track_status)
{
    rdoc *d = rdoc_new();
    d->title = "测试";
    d->date = "2022-09-30";
    for (int k = 0; k < 2; k++) {
        int tracking = k == 0 ? tracking_first : !tracking_first;
        rsection *s = rdoc_add_section(d, tracking ? "整改台账" : "问题清单");
        rtable *t = rsec_add_table(d, s, tracking ? 4 : 3);
        rtable_col(d, t, 0, "问题编号", 1, ALIGN_LEFT);
        rtable_col(d, t, 1, "整改情况", 1, ALIGN_LEFT);
        rtable_col(d, t, 2, "责任人", 1, ALIGN_LEFT);
        if (tracking) rtable_col(d, t, 3, "销号月份", 1, ALIGN_LEFT);
        rcell *row = rtable_add_row(d, t);
        rcell_ref(&row[0], "DU-UNPAID/P5/2022-09");
        rcell_ref(&row[1], tracking ? track_status : list_status);
        rcell_ref(&row[2], "李四");
        if (tracking) rcell_ref(&row[3], "2022年9月");
    }
    char err[512];
    int rc = xlsx_render(d, path, err, sizeof err);
    rdoc_free(d);
    return rc;
}

TEST(rectify_sheet_precedence)
{
    init_codes();
    char path[] = "/tmp/zhibu-two-sheets-XXXXXX";
    int fd = mkstemp(path);
    if (fd >= 0) close(fd);
    for (int order = 0; order < 2; order++) {
        ledger lg;
        problems p;
        problems_init(&p);
        CHECK_INT(two_sheets(path, order, "已整改", "整改中"), 0);
        CHECK_INT(ledger_load(&lg, path, "ledger.xlsx", codes, R_COUNT, &p), 0);
        const ledger_entry *e = ledger_find(&lg, "DU-UNPAID/P5/2022-09");
        CHECK(e && e->status == LEDGER_DONE && !e->tracking && e->closed_in == 202209);
        CHECK_INT(lg.n, 1);
        CHECK_INT(lg.count[LEDGER_DONE], 1);
        CHECK_INT(lg.count[LEDGER_IN_PROGRESS], 0);
        CHECK(has_problem(&p, "ledger.xlsx:整改台账:2: 问题编号: 警告：problem_id“DU-UNPAID/P5/2022-09”也在 "
                              "ledger.xlsx:问题清单 第 2 行，两处填写的整改内容不同：以问题清单为准"));
        ledger_free(&lg);
        problems_free(&p);
        /* written alike: one entry, no word */
        problems_init(&p);
        CHECK_INT(two_sheets(path, order, "整改中", "整改中"), 0);
        CHECK_INT(ledger_load(&lg, path, "ledger.xlsx", codes, R_COUNT, &p), 0);
        CHECK_INT(p.n, 0);
        CHECK_INT(lg.n, 1);
        CHECK_INT(lg.rows_read, 2);
        ledger_free(&lg);
        problems_free(&p);
    }
    unlink(path);
}

/* 销号月份: a month, a date (its month), blank; anything else is a row error. */
TEST(rectify_closed_in_column)
{
    init_codes();
    char dir[] = "/tmp/zhibu-closed-in-XXXXXX", path[600];
    if (!mkdtemp(dir)) return;
    snprintf(path, sizeof path, "%s/ledger.csv", dir);
    write_text(path, "problem_id,整改情况,完成日期,销号月份\n"
                     "TD-HELD/一支部/2022-05,无需整改,,2022-08\n"
                     "TD-HELD/一支部/2022-06,无需整改,,2022/9/3\n"
                     "TD-HELD/一支部/2022-07,无需整改,,\n"
                     "TD-HELD/一支部/2022-08,无需整改,,九月\n");
    ledger lg;
    problems p;
    problems_init(&p);
    CHECK_INT(ledger_load(&lg, path, "ledger.csv", codes, R_COUNT, &p), 0);
    const ledger_entry *e = ledger_find(&lg, "TD-HELD/一支部/2022-05");
    CHECK(e && e->closed_in == 202208);
    e = ledger_find(&lg, "TD-HELD/一支部/2022-06");
    CHECK(e && e->closed_in == 202209);
    e = ledger_find(&lg, "TD-HELD/一支部/2022-07");
    CHECK(e && e->closed_in == 0);
    CHECK(ledger_find(&lg, "TD-HELD/一支部/2022-08") == NULL);
    CHECK(has_problem(&p, "ledger.csv:5: 销号月份: 无法识别的月份“九月”（应如 2022-09）"));
    CHECK_INT(lg.rows_skipped, 1);
    ledger_free(&lg);
    problems_free(&p);
    unlink(path);
    rmdir(dir);
}
