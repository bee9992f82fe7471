/*
 * test_build.c — every builder on hand-made records (fixture_facts_case and
 * clean years): the rows and cells of the report models they make, read
 * back from the rdoc; the figures equal the facts'; the words are the
 * templates' (no rule code, no input file name); the 优秀 cap sentence.
 */
#include "check.h"
#include "doc_find.h"
#include "fixture.h"
#include "build/build_reports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

typedef struct {
    fixture fx;
    build_ctx b;
} built;

static void built_run(built *x, const fixture_files *files, run_period p, const char *tmpl)
{
    fixture_run_period(&x->fx, files, p);
    build_input in = {&x->fx.ds, &x->fx.cfg, &x->fx.facts, &x->fx.probs, "templates", NULL, NULL, NULL};
    char err[512];
    if (build_init(&x->b, &in, err, sizeof err)) fprintf(stderr, "  %s\n", err);
    if (tmpl && build_template(&x->b, "templates", tmpl, err, sizeof err)) fprintf(stderr, "  %s\n", err);
}

static void built_free(built *x)
{
    build_free(&x->b);
    fixture_free(&x->fx);
}

/* The builders over the hand-made case (fixture_facts_case) in period p; its facts. */
static const facts *built_case(built *x, run_period p, const char *tmpl)
{
    built_run(x, &fixture_facts_case, p, tmpl);
    return &x->fx.facts;
}

/* The builders over year case y's 2022 (annual.ini), with the rules `rules` (NULL: the defaults). */
static void built_year(built *x, year_case *y, fixture_files *f, const char *rules)
{
    year_build(y, f);
    f->rules = rules;
    built_run(x, f, period_year(2022), "annual.ini");
}

static int starts_with(const char *s, const char *prefix) { return s && !strncmp(s, prefix, strlen(prefix)); }

/* A rule code (two capitals, a hyphen, capitals) or an input file's name. */
static int internal_word(const char *s, void *ctx)
{
    (void)ctx;
    for (const char *p = s; *p; p++)
        if (p[0] >= 'A' && p[0] <= 'Z' && p[1] >= 'A' && p[1] <= 'Z' && p[2] == '-' && p[3] >= 'A' && p[3] <= 'Z') {
            fprintf(stderr, "  code in \"%s\"\n", s);
            return 1;
        }
    static const char *const files[] = {"members.csv", "meetings.csv", "attendance.csv", "dues.csv", "service.csv",
                                        "exemptions.csv", "findings.csv"};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++)
        if (strstr(s, files[i])) {
            fprintf(stderr, "  file name in \"%s\"\n", s);
            return 1;
        }
    return 0;
}

/* The last check of a builder test: how many strings of d outside the columns skip_cols
   hold a rule code or a file name (internal_word); then d and x are freed. */
static int built_done(built *x, rdoc *d, const char *skip_cols)
{
    int n = doc_strings(d, skip_cols, internal_word, NULL);
    rdoc_free(d);
    built_free(x);
    return n;
}

static double chart_sum(const rchart *c)
{
    double s = 0;
    for (int i = 0; c && i < c->nseries; i++)
        for (int k = 0; k < c->ncats; k++) s += c->series[i].values[k];
    return s;
}

enum { A1, A2, R1, S1, B1 };

TEST(build_monthly_branch_rows)
{
    built x;
    const group_facts *g = &built_case(&x, period_month(202202), "monthly.ini")->branch[0];
    rdoc *d = build_monthly_branch(&x.b, 0);
    CHECK_STR(doc_kv(d, "党员人数"), "3名（在职2名）");
    CHECK_STR(doc_kv(d, "主题党日"), "1次");
    char buf[64];
    snprintf(buf, sizeof buf, "%d条", g->findings);
    CHECK_STR(doc_kv(d, "发现问题"), buf);

    const rtable *t = doc_table(d, "主题党日开展情况", 0);
    long r = table_find(t, "日期", "2022-02-25");
    CHECK_STR(table_text(t, r, "按时"), "逾期");
    CHECK_STR(table_text(t, r, "缺少的\n规定动作"), "集中学习讨论"); /* monthly.ini's two-line title */
    CHECK_STR(table_text(t, r, "出席/请假/缺席"), "1/1/1");
    CHECK_STR(table_text(t, table_find(t, "日期", "2022-02-10"), "出席/请假/缺席"), "3/0/0");

    CHECK(doc_paragraph(d, "出勤率66.7%") != NULL); /* 4 present of 6 expected */
    t = doc_table(d, "党员出勤情况", 0);
    CHECK_INT(t->nrows, 2);
    CHECK_STR(table_text(t, table_find(t, "党员编号", "A1"), "情况"), "请假");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "A1"), "请假事由"), "出差");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "R1"), "情况"), "无签到记录");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "R1"), "活动"), "2月25日主题党日");

    t = doc_table(d, "党费交纳情况", 0);
    CHECK_INT(t->nrows, 4); /* three members and the 合计 row */
    r = table_find(t, "党员编号", "A1");
    CHECK_STR(table_text(t, r, "实交（元）"), "8.00");
    CHECK_STR(table_text(t, r, "交纳日期"), "2022-03-05");
    CHECK_STR(table_text(t, r, "情况"), "未足额，逾期");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "R1"), "情况"), "未交");
    /* 合计 = the month's figures of the facts = the sum of the rows above */
    r = table_find(t, "党员编号", "合计");
    const branch_month *bm = facts_bm(&x.fx.facts, 0, 2);
    CHECK_INT(t->cells[r * t->ncols + table_col(t, "应交（元）")].num * 100 + 0.5, bm->dues_due);
    CHECK_INT(t->cells[r * t->ncols + table_col(t, "实交（元）")].num * 100 + 0.5, bm->dues_paid);
    CHECK_INT(t->cells[r * t->ncols].emph, EMPH_STRONG);
    double sum = 0;
    for (long k = 0; k < r; k++) sum += t->cells[k * t->ncols + table_col(t, "实交（元）")].num;
    CHECK_INT(sum * 100 + 0.5, bm->dues_paid);

    t = doc_table(d, "下沉社区情况", 0);
    CHECK_INT(t->nrows, 2); /* 在职 only */
    r = table_find(t, "党员编号", "A1");
    CHECK_STR(table_text(t, r, "本月次数"), "0");
    CHECK_STR(table_text(t, r, "累计次数"), "2");
    CHECK_STR(table_text(t, r, "累计小时"), "3.5");
    CHECK_STR(table_text(t, r, "情况"), "本月无确认的服务");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "A2"), "情况"), "哺乳期，免于下沉");

    t = doc_table(d, "问题清单", 0);
    CHECK_INT((long)t->nrows, g->findings);
    CHECK_INT(table_col(t, "代码"), -1);
    r = table_find(t, "问题", "主题党日未在规定时间前开展");
    CHECK_STR(table_text(t, r, "时间"), "2月25日\n主题党日"); /* day and kind on two lines in print */
    CHECK_STR(table_text(t, table_find(t, "问题", "党费未足额交纳"), "时间"), "2022年2月");

    const rchart *c = doc_chart(d, "出勤率走势", 0);
    CHECK(c && c->ncats == 2 && c->series[0].values[1] > 0.666 && c->series[0].values[1] < 0.667);
    CHECK_INT(built_done(&x, d, "数据问题"), 0);
}

TEST(build_annual_branch_rows)
{
    built x;
    const group_facts *g = &built_case(&x, period_year(2022), "annual.ini")->branch[0];
    rdoc *d = build_annual_branch(&x.b, 0);
    CHECK_STR(doc_kv(d, "参评党员"), "4名（在职2名，离退休1名，学生1名）");
    CHECK_STR(doc_kv(d, "全年出勤率"), "55.6%");
    CHECK_STR(doc_kv(d, "下沉社区"), "在职党员确认活动2次，3.5小时");
    CHECK_STR(doc_kv(d, "主题党日"), "3次");

    const rtable *t = doc_table(d, "党员考核评价结果", 0);
    CHECK_INT(t->nrows, 4);
    long r = table_find(t, "党员编号", "A1");
    CHECK_STR(table_text(t, r, "等次"), "不合格");
    const char *why = table_text(t, r, "评定理由");
    CHECK(starts_with(why, "不合格：确认的下沉社区活动2次，少于要求的5次；确认的服务时长3.5小时，少于要求的20小时；"
                           "连续六个月不交纳党费。得分"));
    /* R1 (离退休): no service asked, so none is counted or shown as a fraction */
    why = table_text(t, table_find(t, "党员编号", "R1"), "评定理由");
    CHECK(starts_with(why, "不合格：连续六个月不交纳党费。") && strstr(why, "下沉社区不作要求"));

    t = doc_table(d, "下沉社区服务情况", 0);
    CHECK_INT(t->nrows, 3); /* 在职 only, and the 合计 row */
    CHECK_STR(table_text(t, table_find(t, "姓名", "乙二"), "情况"), "未达标");
    CHECK_STR(table_text(t, table_find(t, "姓名", "乙二"), "免于下沉"), "哺乳期（2022-01-01至2022-02-28）");
    r = table_find(t, "姓名", "合计");
    CHECK_STR(table_text(t, r, "确认\n次数"), "2");
    CHECK_STR(table_text(t, r, "确认\n小时"), "3.5");

    /* money: two decimals, right-aligned; a 合计 row of the facts' month totals */
    t = doc_table(d, "党费交纳台账", 0);
    r = table_find(t, "姓名", "甲一");
    CHECK_STR(table_text(t, r, "2月"), "8.00\n未足额，逾期");
    CHECK_STR(table_text(t, r, "1月"), "10.00");
    CHECK_INT(t->cols[table_col(t, "1月")].align, ALIGN_RIGHT);
    CHECK_STR(table_text(t, r, "3月"), "未交");
    CHECK_STR(table_text(t, r, "全年实交\n（元）"), "18.00");
    CHECK_STR(table_text(t, r, "问题\n月数"), "11");
    CHECK_STR(table_text(t, table_find(t, "姓名", "丁四"), "1月"), "—");
    r = table_find(t, "姓名", "合计");
    CHECK(r == (long)t->nrows - 1);
    for (int mo = 1; mo <= 12; mo++) {
        char title[16];
        snprintf(title, sizeof title, "%d月", mo);
        CHECK_INT(t->cells[r * t->ncols + table_col(t, title)].num * 100 + 0.5, facts_bm(&x.fx.facts, 0, mo)->dues_paid);
    }
    CHECK_INT(t->cells[r * t->ncols + table_col(t, "全年实交\n（元）")].num * 100 + 0.5, g->dues_paid);
    long months = 0;
    for (long k = 0; k < r; k++) months += atol(table_text(t, k, "问题\n月数"));
    CHECK_INT(atol(table_text(t, r, "问题\n月数")), g->dues_months - g->dues_ok);
    CHECK_INT(months, g->dues_months - g->dues_ok);

    t = doc_table(d, "组织生活出勤台账", 0);
    r = table_find(t, "姓名", "甲一");
    CHECK_STR(table_text(t, r, "2月"), "1/2\n假1");
    CHECK_STR(table_text(t, r, "3月"), "无活动");
    CHECK_STR(table_text(t, r, "全年\n出席/应到"), "2/3");
    CHECK_STR(table_text(t, table_find(t, "姓名", "丙三"), "缺席"), "2");
    r = table_find(t, "姓名", "合计");
    char att[32];
    snprintf(att, sizeof att, "%lld/%lld", (long long)g->att_present, (long long)g->att_expected);
    CHECK_STR(table_text(t, r, "全年\n出席/应到"), att);

    /* the findings chart adds up to the 问题清单, the year's findings in its last bar */
    const rchart *c = doc_chart(d, "各月情况", 1);
    CHECK(c && c->ncats == 13);
    CHECK_STR(c ? c->cats[12] : NULL, "全年");
    CHECK_INT((long)chart_sum(c), g->findings);
    CHECK_INT((long)c->series[1].values[12], g->by_rule[R_CS_COUNT] + g->by_rule[R_CS_HOURS] + g->by_rule[R_DU_RATE]);
    CHECK_INT((long)doc_table(d, "问题清单", 0)->nrows, g->findings);
    CHECK_INT(built_done(&x, d, "数据问题"), 0);
}

TEST(build_annual_unit_rows)
{
    built x;
    const facts *f = built_case(&x, period_year(2022), "annual.ini");
    rdoc *d = build_annual_unit(&x.b);
    CHECK_STR(doc_kv(d, "参评党员"), "5名（在职3名）");
    const rtable *t = doc_table(d, "各支部情况", 0);
    long r = table_find(t, "党支部", "一支部");
    CHECK_STR(table_text(t, r, "党员"), "4");
    CHECK_STR(table_text(t, r, "在职"), "2");
    CHECK_STR(table_text(t, r, "下沉\n次数"), "2");
    CHECK_STR(table_text(t, r, "服务\n小时"), "3.5");
    char buf[32];
    snprintf(buf, sizeof buf, "%d", f->branch[0].findings);
    CHECK_STR(table_text(t, r, "问题"), buf);
    CHECK_STR(table_text(t, table_find(t, "党支部", "合计"), "党员"), "5");
    t = doc_table(d, "党员情况", 0);
    CHECK_STR(table_text(t, table_find(t, "人员类别", "在职"), "人数"), "3");
    t = doc_table(d, "发现的问题", 0);
    CHECK_INT(t->ncols, 3); /* 问题, 条数, 涉及支部: no code */
    r = table_find(t, "问题", "当月未按要求开展主题党日");
    CHECK_STR(table_text(t, r, "条数"), "20");
    CHECK_STR(table_text(t, r, "涉及支部"), "2");
    snprintf(buf, sizeof buf, "%d", f->unit.findings);
    CHECK_STR(table_text(t, table_find(t, "问题", "合计"), "条数"), buf);
    CHECK_INT(built_done(&x, d, "数据问题"), 0);
}

TEST(build_halfyear_branch_rows)
{
    built x;
    built_case(&x, period_half(2022, 1), "halfyear.ini");
    rdoc *d = build_halfyear_branch(&x.b, 0);
    CHECK(doc_paragraph(d, "应报告的在职党员2名，经社区确认的活动共2次、3.5小时；2名未达到") != NULL);
    const rtable *t = doc_table(d, "在职党员下沉社区情况汇总", 0);
    CHECK_INT(t->nrows, 3); /* and the 合计 row */
    long r = table_find(t, "姓名", "甲一");
    CHECK_STR(table_text(t, r, "确认\n次数"), "2");
    CHECK_STR(table_text(t, r, "确认\n小时"), "3.5");
    CHECK_STR(table_text(t, r, "最低要求\n（次/小时）"), "3 / 10");
    CHECK_STR(table_text(t, r, "情况"), "未达标");
    CHECK_STR(table_text(t, r, "备注"), "1条记录无确认人，不计入");
    CHECK_STR(table_text(t, table_find(t, "姓名", "乙二"), "最低要求\n（次/小时）"), "1 / 3.5");
    r = table_find(t, "姓名", "合计");
    CHECK_STR(table_text(t, r, "确认\n次数"), "2");
    CHECK_STR(table_text(t, r, "确认\n小时"), "3.5");
    /* A1's form: its two confirmed records, and the unconfirmed one named by what it is */
    t = doc_table(d, "个人下沉社区情况报告表", 0);
    CHECK_INT(t->nrows, 2);
    CHECK_STR(table_text(t, 0, "社区"), "东社区");
    CHECK(doc_paragraph(d, "2022-02-03（西社区）3小时") != NULL);
    t = doc_table(d, "个人下沉社区情况报告表", 1); /* A1's totals */
    CHECK_STR(table_text(t, 0, "情况"), "未达标");
    CHECK_INT(built_done(&x, d, "数据问题"), 0);
}

TEST(build_workbook_sheets)
{
    built x;
    const facts *f = built_case(&x, period_half(2022, 1), "workbook.ini");
    rdoc *d = build_workbook(&x.b);
    const rtable *t = doc_sheet(d, "汇总");
    long r = table_find(t, "支部", "一支部");
    CHECK_STR(table_text(t, r, "党员"), "4");
    CHECK_STR(table_text(t, r, "在职"), "2");
    CHECK_STR(table_text(t, r, "下沉次数"), "2");
    char buf[32];
    snprintf(buf, sizeof buf, "%d", f->branch[0].findings);
    CHECK_STR(table_text(t, r, "问题合计"), buf);
    /* the same verdict word as the half-year PDF */
    t = doc_sheet(d, "半年汇总");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "A1"), "情况"), "未达标");
    t = doc_sheet(d, "下沉社区");
    r = table_find(t, "党员编号", "A2");
    CHECK_STR(table_text(t, r, "1月小时"), "哺乳期");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "A1"), "合计（小时）"), "3.5");
    /* the workbook's craft (doc/xlsx.md): 序号, frozen names, totals as formulas
       cached with the facts, marks where a value decides */
    CHECK_INT(t->freeze_cols, 4);
    CHECK_STR(table_text(t, 0, "序号"), "1");
    CHECK(t->source != NULL); /* made on demand */
    r = table_find(t, "序号", "合计");
    CHECK(r == (long)t->nrows - 1);
    rcell row[MAX_COLS];
    const rcell *c = r >= 0 ? rtable_row(t, (size_t)r, row) : NULL;
    int tc = table_col(t, "合计（小时）");
    CHECK(c && tc > 0 && c[tc].calc == RCALC_SUM_ABOVE && c[tc].num == f->unit.svc_centi / 100.0);
    c = rtable_row(t, (size_t)table_find(t, "党员编号", "A1"), row);
    CHECK(c && c[tc].calc == RCALC_SUM_LEFT && t->cols[tc].sum_left == 6);
    t = doc_sheet(d, "半年汇总");
    int cn = table_col(t, "确认次数");
    CHECK(cn >= 0 && t->cols[cn].nmarks == 1 && t->cols[cn].marks[0].when == RMARK_BELOW_COL &&
          t->cols[cn].marks[0].col == table_col(t, "应达次数") && t->cols[cn].marks[0].tone == RTONE_BAD);
    t = doc_sheet(d, "汇总");
    CHECK_INT(t->freeze_cols, 2);
    int fc = table_col(t, "问题合计");
    r = table_find(t, "序号", "合计");
    CHECK(r == (long)t->nrows - 1 && t->cells[(size_t)r * (size_t)t->ncols + (size_t)fc].calc == RCALC_SUM_ABOVE);
    CHECK(t->cells[(size_t)r * (size_t)t->ncols + (size_t)fc].num == f->unit.findings);
    CHECK_INT(t->cols[fc].nmarks, 0); /* a count of findings is no alarm by itself */
    CHECK_STR(d->workbook_font, "等线");
    t = doc_sheet(d, "问题清单");
    CHECK_INT((long)t->nrows, (long)f->f.n);
    CHECK(table_col(t, "代码") >= 0);
    CHECK(table_find(t, "时间", "2月25日主题党日") >= 0);
    /* codes only in the code and problem_id columns, meeting ids only in 活动编号, file names only in 输入问题 */
    CHECK_INT(built_done(&x, d, "代码|问题编号|活动编号|文件"), 0);
}

TEST(build_csv_tables)
{
    built x;
    const facts *f = built_case(&x, period_year(2022), "annual.ini");
    rdoc *d = build_findings_csv(&x.b);
    const rtable *t = doc_table(d, NULL, 0);
    CHECK(t && t->source && t->ncols == 6 && t->nrows == f->f.n);
    rcell row[6];
    int unconfirmed = 0;
    for (size_t i = 0; t && i < t->nrows; i++) {
        const rcell *c = rtable_row(t, i, row);
        CHECK_STR(c[0].text, rule_code_name(f->f.v[i].rule));
        if (!strcmp(c[0].text, "CS-UNCONFIRMED")) {
            unconfirmed++;
            CHECK_STR(c[4].text, "2022-02-03");
            CHECK_STR(c[5].text, "2022-02-03（西社区）3小时的服务记录无确认人，不计入");
        }
        if (!strcmp(c[0].text, "TD-LATE")) CHECK_STR(c[4].text, "T02");
    }
    CHECK_INT(unconfirmed, 1);
    rdoc_free(d);

    /* evaluation.csv's reasons are the 考核 table's */
    d = build_evaluation_csv(&x.b);
    t = doc_table(d, NULL, 0);
    CHECK(t && t->nrows == 5);
    char err[256];
    build_template(&x.b, "templates", "annual.ini", err, sizeof err);
    rdoc *a = build_annual_branch(&x.b, 0);
    const rtable *g = doc_table(a, "党员考核评价结果", 0);
    for (size_t i = 0; t && i < t->nrows; i++) {
        const rcell *c = rtable_row(t, i, row);
        long r = table_find(g, "党员编号", c[0].text);
        if (r < 0) continue; /* 二支部 */
        CHECK_STR(c[5].text, table_text(g, r, "评定理由"));
        CHECK_STR(c[4].text, table_text(g, r, "等次"));
        CHECK_STR(c[3].text, table_text(g, r, "得分"));
    }
    rdoc_free(a);
    rdoc_free(d);
    built_free(&x);
}

/* ---- the 优秀 cap sentence --------------------------------------------------------------- */

/* Ten clean members of 一支部: cap floor(0.3 × 10) = 3.  `top` score 100, `mid` 96.7
   (one 请假), the rest 93.3 (two). */
static void cap_case(year_case *y, int top, int mid)
{
    static const char *ids[] = {"M01", "M02", "M03", "M04", "M05", "M06", "M07", "M08", "M09", "M10"};
    memset(y, 0, sizeof *y);
    for (int i = 0; i < 10; i++) add_member(y, ids[i], NULL);
    for (int i = top; i < 10; i++) y->skip_att[i][6] = 3;
    for (int i = top + mid; i < 10; i++) y->skip_att[i][7] = 3;
}

static const char *reasons_of(built *x, const char *id, char *buf, size_t n)
{
    for (size_t i = 0; i < x->fx.facts.nev; i++)
        if (!strcmp(x->fx.ds.members[x->fx.facts.ev[i].member].id, id))
            return evaluation_reasons(&x->b, &x->fx.facts.ev[i], buf, n);
    return "";
}

TEST(build_cap_tie_crossing)
{
    year_case y;
    cap_case(&y, 2, 3); /* two 优秀, then three at 96.7 would make five */
    fixture_files f;
    built x;
    built_year(&x, &y, &f, NULL);
    char buf[1024];
    CHECK_INT(x.fx.facts.caps[0].awarded, 2);
    const char *s = reasons_of(&x, "M03", buf, sizeof buf);
    CHECK(starts_with(s, "无问题；96.7分同分3人，计入将超过优秀名额3人（已评2人），按规定均不评为优秀。得分96.7"));
    CHECK(!strstr(s, "已满"));
    s = reasons_of(&x, "M06", buf, sizeof buf);
    CHECK(strstr(s, "96.7分同分3人计入将超过优秀名额3人（已评2人），按规定该分数及以下均不评为优秀") != NULL);
    CHECK(!strstr(s, "已满"));
    /* the PDF's grade table says the same */
    rdoc *d = build_annual_branch(&x.b, 0);
    const rtable *t = doc_table(d, "党员考核评价结果", 0);
    CHECK_STR(table_text(t, table_find(t, "党员编号", "M03"), "评定理由"), reasons_of(&x, "M03", buf, sizeof buf));
    CHECK_STR(table_text(t, table_find(t, "党员编号", "M03"), "等次"), "合格");
    CHECK_STR(table_text(t, table_find(t, "党员编号", "M01"), "等次"), "优秀");
    rdoc_free(d);
    built_free(&x);
    year_free(&y);
}

TEST(build_cap_full)
{
    year_case y;
    cap_case(&y, 3, 3); /* three 优秀 fill the cap */
    fixture_files f;
    built x;
    built_year(&x, &y, &f, NULL);
    char buf[1024];
    CHECK_INT(x.fx.facts.caps[0].awarded, 3);
    CHECK_INT(x.fx.facts.caps[0].cut_score10, -1);
    const char *s = reasons_of(&x, "M04", buf, sizeof buf);
    CHECK(starts_with(s, "无问题；优秀名额3人已满（已评3人）。"));
    s = reasons_of(&x, "M09", buf, sizeof buf);
    CHECK(strstr(s, "优秀名额3人已满") != NULL);
    CHECK(starts_with(reasons_of(&x, "M01", buf, sizeof buf), "无问题。得分100.0"));
    built_free(&x);
    year_free(&y);

    /* three members: no place at all */
    memset(&y, 0, sizeof y);
    add_member(&y, "Z1", NULL);
    add_member(&y, "Z2", NULL);
    add_member(&y, "Z3", NULL);
    built_year(&x, &y, &f, NULL);
    s = reasons_of(&x, "Z1", buf, sizeof buf);
    CHECK(starts_with(s, "无问题；支部参评3人，按比例没有优秀名额。"));
    built_free(&x);
    year_free(&y);
}

/* A member with findings that do not fail: "问题：" and each rule in words with its count. */
TEST(build_reasons_problems)
{
    year_case y;
    memset(&y, 0, sizeof y);
    add_member(&y, "P1", NULL);
    add_member(&y, "L1", "在职,,是,10,,,");
    y.skip_att[0][3] = 1;               /* P1 缺席 once */
    y.skip_att[1][5] = 3;               /* the leader 请假 at a theme day */
    y.skip_dues[1][6] = 3;              /* and paid June late */
    fixture_files f;
    built x;
    built_year(&x, &y, &f, NULL);
    char buf[1024];
    const char *s = reasons_of(&x, "P1", buf, sizeof buf);
    CHECK(starts_with(s, "问题：缺席1次。得分"));
    s = reasons_of(&x, "L1", buf, sizeof buf);
    CHECK(starts_with(s, "问题：领导干部1个月未亲自参加主题党日；1个月党费逾期交纳。得分"));
    CHECK(strstr(s, "（出勤11/12，足额按时交费11/12月，确认服务24/20小时），支部排名") != NULL);
    CHECK(!internal_word(s, NULL));
    built_free(&x);
    year_free(&y);
}

/* excellent_scope = all: one cap for the run, in the reasons and the unit's check. */
TEST(build_cap_scope_all)
{
    year_case y;
    cap_case(&y, 2, 3);
    fixture_files f;
    built x;
    built_year(&x, &y, &f, "[evaluation]\nexcellent_scope = all\n");
    CHECK_INT(x.fx.facts.ncaps, 1);
    char buf[1024];
    CHECK(strstr(reasons_of(&x, "M03", buf, sizeof buf), "全体排名3/10") != NULL);
    rdoc *d = build_annual_unit(&x.b);
    const rtable *t = doc_table(d, "比例核查", 0);
    CHECK_INT(t->nrows, 1);
    CHECK_STR(table_text(t, 0, "党支部"), "全体");
    CHECK_STR(table_text(t, 0, "评为优秀"), "2");
    rdoc_free(d);
    built_free(&x);
    year_free(&y);
}

/* A heading's {no} is numbered after the 一、 headings before it, in a section without
   rows too: the monthly 出勤 without a meeting with sign-ins, the half-year summary
   without an in-service member (intro_none). */
static int has_heading(const rdoc *d, const char *text)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++)
            if (d->sections[i].blocks[j].kind == BLK_HEADING && !strcmp(d->sections[i].blocks[j].text, text)) return 1;
    return 0;
}

TEST(build_numbered_heading_without_rows)
{
    static const char *const tmpl[][2] = {
        {"monthly.ini", "[document]\nsections = overview, attendance\n[overview]\nheading = 一、基本情况\n"
                        "[attendance]\nheading = {no}、党员出勤情况\nintro_none = 本月没有签到的活动。\n"},
        {"halfyear.ini", "[document]\nsections = note, summary\n[note]\nheading = 一、说明\n"
                         "[summary]\nheading = {no}、在职党员下沉社区情况\nintro_none = 本支部没有在职党员。\n"}};
    char dir[] = "/tmp/zhibu-tmpl-XXXXXX", path[2][128], err[256];
    CHECK(mkdtemp(dir) != NULL);
    for (int i = 0; i < 2; i++) {
        snprintf(path[i], sizeof path[i], "%s/%s", dir, tmpl[i][0]);
        FILE *f = fopen(path[i], "w");
        CHECK(f != NULL);
        if (f) fputs(tmpl[i][1], f), fclose(f);
    }
    year_case y;
    memset(&y, 0, sizeof y);
    add_member(&y, "R1", "离退休,,否,10,,,"); /* nobody in service */
    y.theme_day[3] = -1;                    /* no meeting in March */
    fixture_files f;
    year_build(&y, &f);
    built x;
    built_run(&x, &f, period_month(202203), NULL);
    CHECK_INT(build_template(&x.b, dir, "monthly.ini", err, sizeof err), 0);
    rdoc *d = build_monthly_branch(&x.b, 0);
    CHECK(has_heading(d, "二、党员出勤情况"));
    CHECK(doc_paragraph(d, "本月没有签到的活动。") != NULL);
    rdoc_free(d);
    built_free(&x);

    built_run(&x, &f, period_half(2022, 1), NULL);
    CHECK_INT(build_template(&x.b, dir, "halfyear.ini", err, sizeof err), 0);
    d = build_halfyear_branch(&x.b, 0);
    CHECK(has_heading(d, "二、在职党员下沉社区情况"));
    CHECK(doc_paragraph(d, "本支部没有在职党员。") != NULL);
    rdoc_free(d);
    built_free(&x);
    year_free(&y);
    for (int i = 0; i < 2; i++) unlink(path[i]);
    rmdir(dir);
}
