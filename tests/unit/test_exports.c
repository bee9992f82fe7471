/*
 * test_exports.c — real platform and Excel exports (SPEC items 14–19, 22):
 * aliases, the user's [columns.<file>] mapping, warnings for look-alike
 * headers, dates with a time and Excel serials, tab and ; separators, the
 * dues status column, the rules file's duplicate keys, and the ' guard of
 * the CSV writer.
 */
#include "check.h"
#include "fixture.h"
#include "base/problems.h"
#include "input/columns.h"
#include "input/config.h"
#include "input/csv_read.h"
#include "input/parse.h"
#include "render/csv/csv_write.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

/* ---- item 17: dates --------------------------------------------------- */

TEST(exports_date_with_time)
{
    int d = 0;
    CHECK(parse_date("2022-09-15 08:30", &d) == 0 && d == 20220915);
    CHECK(parse_date("2022/9/15 0:00:00", &d) == 0 && d == 20220915);
    CHECK(parse_date("2022-09-15T08:30:00", &d) == 0 && d == 20220915);
    CHECK(parse_date("2023-04-27 22:11:26", &d) == 0 && d == 20230427);
    CHECK(parse_date("2023-04-27 22:11:26.0", &d) == 0 && d == 20230427); /* a Java timestamp */
    CHECK(parse_date("2022年9月15日 8:30", &d) == 0 && d == 20220915);
    CHECK(parse_date("2022-09-15\xE3\x80\x80" "08:30", &d) == 0 && d == 20220915); /* U+3000 */
    CHECK(parse_date("2022-09-15  08:30:00", &d) == 0 && d == 20220915);
    CHECK(parse_date("2022 年 9 月 15 日", &d) == 0 && d == 20220915);      /* spaces inside still fine */
    d = 0;
    CHECK(parse_date("2022-09-15 25:00", &d) == -1 && d == 0);
    CHECK(parse_date("2022-09-15 8:3", &d) == -1);
    CHECK(parse_date("2022-09-15 08:30 下午", &d) == -1);
    CHECK(parse_date("2022-09-15T", &d) == -1);
    CHECK(parse_date("2022-09-15 abc", &d) == -1);
    CHECK(parse_date("2022-02-30 08:30", &d) == -1);
    CHECK(parse_date("2022-0915 08:30", &d) == -1);
    CHECK(parse_date("08:30 2022-09-15", &d) == -1);
    /* a date with a time is still a full date: an error in a month cell */
    int m = 0;
    CHECK(parse_month("2022-09-01 00:00:00", &m) == -1);
}

TEST(exports_excel_serial)
{
    int d = 0;
    CHECK(parse_excel_serial("44819", &d) == 0 && d == 20220915);
    CHECK(parse_excel_serial("44805", &d) == 0 && d == 20220901);
    CHECK(parse_excel_serial("44819.354166", &d) == 0 && d == 20220915); /* with a time */
    CHECK(parse_excel_serial("４４８１９", &d) == 0 && d == 20220915);
    CHECK(parse_excel_serial("4481", &d) == -1);
    CHECK(parse_excel_serial("00000", &d) == -1); /* found by fuzz_parse: no 1899 dates */
    CHECK(parse_excel_serial("00060", &d) == -1);
    CHECK(parse_excel_serial("00061", &d) == 0 && d == 19000301);
    CHECK(parse_excel_serial("448190", &d) == -1);
    CHECK(parse_excel_serial("44819.", &d) == -1);
    CHECK(parse_excel_serial("2022-09-15", &d) == -1);
    CHECK(parse_date("44819", &d) == -1); /* never taken for a date */
}

/* ---- item 18: separators ------------------------------------------------ */

static int read_text(const char *text, csv_table *t, problems *p)
{
    problems_init(p);
    return csv_read_bytes(text, strlen(text), "x.csv", t, p);
}

TEST(exports_separator_detected)
{
    csv_table t;
    problems p;
    CHECK_INT(read_text("\n党员编号\t姓名\t备注\nP1\t张三\ta,b;c\nP2\t\t\n", &t, &p), 0);
    CHECK_INT(t.delim, '\t');
    CHECK_INT(t.ncols, 3);
    CHECK_INT(t.header_line, 2);
    CHECK_INT(t.nrows, 2);
    if (t.nrows == 2) {
        CHECK_STR(t.rows[0].fields[2], "a,b;c");
        CHECK_STR(t.rows[1].fields[1], "");
    }
    CHECK_INT(p.n, 0);
    csv_table_free(&t);
    problems_free(&p);

    CHECK_INT(read_text("member_id;name;amount\r\nP1;\"A;B\";120,50\r\n", &t, &p), 0);
    CHECK_INT(t.delim, ';');
    CHECK_INT(t.ncols, 3);
    if (t.nrows == 1) {
        CHECK_STR(t.rows[0].fields[1], "A;B");
        CHECK_STR(t.rows[0].fields[2], "120,50");
    }
    csv_table_free(&t);
    problems_free(&p);

    /* a comma in the header line: comma-separated, whatever the rows hold */
    CHECK_INT(read_text("id,note\n1,a\tb;c\n", &t, &p), 0);
    CHECK_INT(t.delim, ',');
    CHECK_INT(t.ncols, 2);
    csv_table_free(&t);
    problems_free(&p);
    /* one column: comma */
    CHECK_INT(read_text("id\n1\n", &t, &p), 0);
    CHECK_INT(t.delim, ',');
    csv_table_free(&t);
    problems_free(&p);
    CHECK_STR(csv_delim_name('\t'), "制表符（Tab）");
    CHECK_STR(csv_delim_name(';'), "分号");
}

/* ---- items 14–16: binding ------------------------------------------------ */

static void bind_members_(int *failed_, const char *header, const char *const *mapped, int *idx, problems *p, int *rc)
{
    csv_table t;
    problems rp;
    char text[1024];
    snprintf(text, sizeof text, "%s\n", header);
    CHECK_INT(read_text(text, &t, &rp), 0);
    problems_free(&rp);
    problems_init(p);
    csv_bind_opts o = {mapped, "columns.members"};
    const input_file_spec *fs = &input_files[F_MEMBERS];
    *rc = csv_bind(&t, fs->cols, fs->ncols, &o, idx, p);
    csv_table_free(&t);
}

TEST(exports_platform_aliases)
{
    int idx[MAX_FILE_COLS], rc;
    problems p;
    bind_members_(failed_, "党员编号,姓名,所属党支部,是否领导干部,月缴党费,入党时间,转出时间", NULL, idx, &p, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(idx[M_BRANCH], 2);
    CHECK_INT(idx[M_LEADER], 3);
    CHECK_INT(idx[M_DUES], 4);
    CHECK_INT(idx[M_JOINED], 5);
    CHECK_INT(idx[M_LEFT], 6);
    CHECK_INT(p.n, 0);
    problems_free(&p);
    const char *const others[] = {"编入党支部", "所在党支部", "所属党组织"};
    for (int i = 0; i < 3; i++) {
        char h[256];
        snprintf(h, sizeof h, "党员编号,姓名, %s ,核定党费", others[i]);
        bind_members_(failed_, h, NULL, idx, &p, &rc);
        CHECK_INT(rc, 0);
        CHECK_INT(idx[M_BRANCH], 2);
        problems_free(&p);
    }
    /* the other files' new aliases */
    const struct { input_file f; const char *header; int col, at; } cases[] = {
        {F_MEETINGS, "活动编号,支部,开展时间", MT_DATE, 2},
        {F_MEETINGS, "活动编号,支部,活动时间", MT_DATE, 2},
        {F_ATTENDANCE, "活动编号,党员编号,签到状态", A_STATUS, 2},
        {F_ATTENDANCE, "活动编号,党员编号,出勤情况", A_STATUS, 2},
        {F_DUES, "党员编号,党费月份,收缴金额,支付时间,支付状态", D_STATUS, 4},
        {F_DUES, "党员编号,缴费月份,实缴党费,缴费时间,缴费状态", D_PAID, 3},
        {F_DUES, "党员编号,缴费月份,交纳金额,交纳时间,缴纳状态", D_AMOUNT, 2},
        {F_DUES, "党员编号,缴费月份,缴纳金额,缴纳时间,状态", D_MONTH, 1},
        {F_SERVICE, "党员编号,服务时间,服务时长", S_HOURS, 2},
        {F_SERVICE, "党员编号,服务时间,服务时长", S_DATE, 1},
    };
    for (size_t k = 0; k < sizeof cases / sizeof *cases; k++) {
        csv_table t;
        problems rp;
        char text[256];
        snprintf(text, sizeof text, "%s\n", cases[k].header);
        CHECK_INT(read_text(text, &t, &rp), 0);
        const input_file_spec *fs = &input_files[cases[k].f];
        CHECK_INT(csv_bind(&t, fs->cols, fs->ncols, NULL, idx, &rp), 0);
        CHECK_INT(idx[cases[k].col], cases[k].at);
        csv_table_free(&t);
        problems_free(&rp);
    }
}

TEST(exports_mapping_wins)
{
    int idx[MAX_FILE_COLS], rc;
    problems p;
    const char *mapped[MAX_FILE_COLS] = {0};
    mapped[M_BRANCH] = "党组织名称";
    mapped[M_UNIT] = "支部";            /* the user says 支部 is the unit here */
    bind_members_(failed_, "党员编号,姓名,支部,党组织名称,月党费", mapped, idx, &p, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(idx[M_BRANCH], 3);
    CHECK_INT(idx[M_UNIT], 2);
    CHECK_INT(p.n, 0);
    problems_free(&p);
    /* a mapped header missing from the file: a warning, or part of the error */
    mapped[M_UNIT] = NULL;
    mapped[M_JOINED] = "入党年月";
    bind_members_(failed_, "党员编号,姓名,党组织名称,月党费,入党日期", mapped, idx, &p, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(idx[M_JOINED], 4);
    CHECK(has_problem(&p, "x.csv:1: joined: 警告：规则文件 [columns.members] joined 指定的表头“入党年月”在文件中没有找到，已改从“入党日期”列读入"));
    problems_free(&p);
    bind_members_(failed_, "党员编号,姓名,所属组织,月党费", mapped, idx, &p, &rc);
    CHECK_INT(rc, -1);
    CHECK(has_problem(&p, "x.csv:1: branch: 缺少必需的列“branch”（支部；规则文件 [columns.members] branch 指定的表头“党组织名称”在文件中没有找到）"));
    problems_free(&p);
}

TEST(exports_lookalike_header_warns)
{
    int idx[MAX_FILE_COLS], rc;
    problems p;
    bind_members_(failed_, "党员编号,姓名,党支部,月党费,入党时间（年月）,性别,出生日期", NULL, idx, &p, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(idx[M_JOINED], -1);
    if (!has_problem(&p, "x.csv:1: 入党时间（年月）: 警告：这一列没有读入，它像是 joined（入党日期）列；若是，请在规则文件中写 [columns.members] joined = 入党时间（年月）")) {
        print_problems(&p);
        CHECK(0);
    }
    CHECK(!has_problem(&p, "性别"));
    CHECK(!has_problem(&p, "出生日期")); /* 日期 alone is no alias of members.csv */
    CHECK_INT(p.n, 1);
    problems_free(&p);

    /* a known name that contains the header: 入党 is in 入党日期 */
    bind_members_(failed_, "党员编号,姓名,党支部,月党费,入党", NULL, idx, &p, &rc);
    CHECK(has_problem(&p, "入党: 警告：这一列没有读入，它像是 joined（入党日期）列"));
    problems_free(&p);

    /* a header iniparser would cut at ; is quoted in the advice */
    bind_members_(failed_, "党员编号,姓名,党支部,月党费,\"入党时间;年月\"", NULL, idx, &p, &rc);
    CHECK(has_problem(&p, "[columns.members] joined = \"入党时间;年月\""));
    problems_free(&p);

    /* a look-alike of a column already read is no news */
    bind_members_(failed_, "党员编号,姓名,党支部,月党费,入党日期,入党日期备注", NULL, idx, &p, &rc);
    CHECK_INT(p.n, 0);
    problems_free(&p);

    /* dues.csv: 缴费时间戳 looks like paid_on */
    csv_table t;
    problems rp;
    CHECK_INT(read_text("党员编号,月份,金额,缴费时间戳\n", &t, &rp), 0);
    const input_file_spec *fs = &input_files[F_DUES];
    csv_bind_opts o = {NULL, "columns.dues"};
    CHECK_INT(csv_bind(&t, fs->cols, fs->ncols, &o, idx, &rp), 0);
    CHECK(has_problem(&rp, "缴费时间戳: 警告：这一列没有读入，它像是 paid_on（交纳日期）列；若是，请在规则文件中写 [columns.dues] paid_on = 缴费时间戳"));
    csv_table_free(&t);
    problems_free(&rp);
}

TEST(exports_two_headers_for_one_column)
{
    int idx[MAX_FILE_COLS], rc;
    problems p;
    /* 编号 first, 党员编号 later: the specific name wins, the other is named */
    bind_members_(failed_, "编号,姓名,党支部,月党费,党员编号", NULL, idx, &p, &rc);
    CHECK_INT(rc, 0);
    CHECK_INT(idx[M_ID], 4);
    CHECK(has_problem(&p, "x.csv:1: 编号: 警告：这一列没有读入：member_id 已从“党员编号”列读入；若要改用这一列，请在规则文件中写 [columns.members] member_id = 编号"));
    problems_free(&p);
    bind_members_(failed_, "党员编号,姓名,党支部,月党费,姓名", NULL, idx, &p, &rc);
    CHECK(has_problem(&p, "x.csv:1: 姓名: 警告：这一列没有读入：表头与第 2 列相同，name 已从第 2 列读入"));
    problems_free(&p);
}

/* ---- item 15 and duplicate keys: the rules file ---------------------------- */

static int load_rules(const char *text, config *c, char *err, size_t n)
{
    char path[] = "/tmp/zhibu-rules-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -2;
    if (write(fd, text, strlen(text)) != (ssize_t)strlen(text)) { close(fd); return -2; }
    close(fd);
    config_defaults(c);
    err[0] = 0;
    int rc = config_load(c, path, err, n);
    unlink(path);
    return rc;
}

TEST(exports_rules_columns_sections)
{
    config c;
    char err[1024];
    CHECK_INT(load_rules("[columns.members]\nbranch = 所属党组织\nJoined = 入党时间（年月）\n"
                         "[columns.dues]\nstatus = \"订单状态;付款\"\n", &c, err, sizeof err), 0);
    CHECK_STR(c.columns.header[F_MEMBERS][M_BRANCH], "所属党组织");
    CHECK_STR(c.columns.header[F_MEMBERS][M_JOINED], "入党时间（年月）");
    CHECK_STR(c.columns.header[F_DUES][D_STATUS], "订单状态;付款");
    CHECK(c.columns.header[F_MEMBERS][M_NAME] == NULL);
    config_free(&c);

    CHECK_INT(load_rules("[theme_day]\nper_month = 1\n[columns.member]\nbranch = 所属党组织\n", &c, err, sizeof err), -1);
    if (!strstr(err, ":3: [columns.member]: 未知的文件“member”（应为 members、meetings、attendance、dues、service 或 exemptions）")) {
        fprintf(stderr, "  %s\n", err);
        CHECK(0);
    }
    config_free(&c);
    CHECK_INT(load_rules("[columns.members]\nbranch_name = 所属党组织\n", &c, err, sizeof err), -1);
    CHECK(strstr(err, ":2: [columns.members] branch_name: members.csv 没有这一列（它的列是 member_id、name、branch、") != NULL);
    config_free(&c);
    CHECK_INT(load_rules("[columns.service]\nhours =\n", &c, err, sizeof err), -1);
    CHECK(strstr(err, ":2: [columns.service] hours: 应写 service.csv 中这一列的表头文字，不能为空") != NULL);
    config_free(&c);
    CHECK_INT(load_rules("[columns.members]\nbranch = 单位\nunit = 单位\n", &c, err, sizeof err), -1);
    CHECK(strstr(err, "表头“单位”已经指定给了") != NULL);
    config_free(&c);
    CHECK_INT(load_rules("[columns]\nbranch = 单位\n", &c, err, sizeof err), -1);
    CHECK(strstr(err, "[columns]: 未知的节") != NULL);
    config_free(&c);
}

TEST(exports_rules_duplicate_key)
{
    config c;
    char err[1024];
    CHECK_INT(load_rules("# 规则\n[dues]\ngrace_days = 5\n\n[party]\nlapse_months = 6\n[Dues]\n  Grace_Days=7\n", &c, err,
                         sizeof err), -1);
    if (!strstr(err, ":8: [dues] grace_days: 这个键写了两次（第 3 行和第 8 行），只能保留一个：请删去其中一行")) {
        fprintf(stderr, "  %s\n", err);
        CHECK(0);
    }
    config_free(&c);
    CHECK_INT(load_rules("[deadlines]\n2022-09 = 2022-09-20\n2022-09 = 2022-09-22\n", &c, err, sizeof err), -1);
    CHECK(strstr(err, ":3: [deadlines] 2022-09: 这个键写了两次（第 2 行和第 3 行）") != NULL);
    config_free(&c);
    /* the same key in two sections, and a continued line, are fine */
    CHECK_INT(load_rules("[dues]\ngrace_days = 5\n[party]\nlapse_months = 6\n[theme_day]\nrequired_actions = 奏唱国歌, \\\n"
                         "required_actions = 1\n", &c, err, sizeof err), 0);
    config_free(&c);
}

/* ---- item 19: the dues status ------------------------------------------------ */

#define MEMBERS_1 "P1,张三,第一支部,单位,在职,,否,50,,,\n"

TEST(exports_dues_status)
{
    run_period per;
    period_annual(&per, 2022);
    fixture fx;
    fixture_files files = {
        .members = MEMBERS_1,
        .dues = "P1,2022-07,50,2022-07-05,微信,已缴费\n"
                "P1,2022-08,50,,,待缴费\n"                 /* owed: DU-UNPAID for August */
                "P1,2022-09,50,2022-10-20,,支付失败\n"     /* a failed try after the deadline: no DU-LATE */
                "P1,2022-09,50,2022-09-10,,成功\n"
                "P1,2022-06,,,,未缴\n"                     /* owed, no amount written */
                "P1,2022-05,50,2022-05-03,,\n",            /* empty status = paid */
    };
    const char *const heads[6] = {[3] = "member_id,month,amount,paid_on,channel,缴费状态\n"};
    fixture_run_headers(&fx, &files, heads, &per);
    CHECK_INT(fx.load_rc, 0);
    CHECK_INT(fx.probs.nerrors, 0);
    if (fx.probs.n) print_problems(&fx.probs);
    CHECK_INT(fx.ds.npay, 6);
    int owed = 0;
    for (size_t i = 0; i < fx.ds.npay; i++) {
        const payment *p = &fx.ds.pay[i];
        if (p->no_payment) {
            owed++;
            CHECK_INT(p->cents, 0);
            CHECK_INT(p->paid_on, 0);
        } else {
            CHECK_INT(p->cents, p->written_cents);
        }
        if (p->line == 3) { CHECK_STR(p->status, "待缴费"); CHECK_INT(p->written_cents, 5000); }
        if (p->line == 6) CHECK_INT(p->written_cents, 0);
    }
    CHECK_INT(owed, 3);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-08"), 1);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-06"), 1);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-07"), 0);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-05"), 0);
    CHECK_INT(fixture_count(&fx, "DU-LATE", NULL, NULL), 0);
    CHECK_INT(fixture_count(&fx, "DU-SHORT", NULL, NULL), 0);
    CHECK(!fixture_problem(&fx, "重复交纳")); /* a failed try and its payment are not two payments */
    fixture_free(&fx);

    /* statuses match like every enumerated value: case, width, white space */
    files.dues = "P1,2022-09,50,2022-09-10,,PAID\nP1,2022-08,50,,,Ｐｅｎｄｉｎｇ\nP1,2022-07,50,,, 待 缴 费 \n";
    fixture_run_headers(&fx, &files, heads, &per);
    CHECK_INT(fx.probs.nerrors, 0);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-09"), 0);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-08"), 1);
    CHECK_INT(fixture_count(&fx, "DU-UNPAID", "P1", "2022-07"), 1);
    fixture_free(&fx);

    files.dues = "P1,2022-09,50,2022-09-10,,处理中\nP1,2022-08,,2022-08-10,,已缴\n";
    fixture_run_headers(&fx, &files, heads, &per);
    CHECK_INT(fx.probs.nerrors, 2);
    CHECK(fixture_problem(&fx, "dues.csv:2: 缴费状态: 未知的缴费状态“处理中”（表示已交的：已缴、已交"));
    CHECK(fixture_problem(&fx, "dues.csv:3: amount: 不能为空")); /* a payment needs its amount */
    fixture_free(&fx);
}

TEST(exports_serial_and_time_in_rows)
{
    run_period per;
    period_monthly(&per, 202209);
    fixture fx;
    fixture_files files = {
        .members = "P1,张三,第一支部,单位,在职,,否,50,,2022-03-01 00:00:00,\n",
        .dues = "P1,2022-09,50,44819,\nP1,44805,50,2022-09-15T08:30:00,\n",
    };
    fixture_run(&fx, &files, &per);
    if (!fixture_problem(&fx, "dues.csv:2: paid_on: 无法识别的日期“44819”：这像是 Excel 的日期序号（对应 2022-09-15）；请在 Excel 或 WPS 中把这一列设置为日期格式，再另存为 CSV")) {
        print_problems(&fx.probs);
        CHECK(0);
    }
    CHECK(fixture_problem(&fx, "dues.csv:3: month: 无法识别的月份“44805”：这像是 Excel 的日期序号（对应 2022-09-01）；请在 Excel 或 WPS 中把这一列设置为“yyyy-mm”格式"));
    CHECK_INT(fx.probs.nerrors, 2);
    CHECK_INT(fx.ds.nmembers, 1);
    if (fx.ds.nmembers) CHECK_INT(fx.ds.members[0].joined, 20220301);
    fixture_free(&fx);
}

/* ---- item 22: the CSV writer ------------------------------------------------ */

TEST(exports_csv_formula_guard)
{
    char *buf = NULL;
    size_t n = 0;
    FILE *f = open_memstream(&buf, &n);
    const char *row[] = {"=HYPERLINK(\"http://x\",\"点我\")", "+1", "-2", "@SUM(A1)", "\tTab", "\rCR",
                         "张=三", "", "a,b", "120"};
    csv_write_row(f, row, 10);
    fclose(f);
    CHECK_STR(buf, "\"'=HYPERLINK(\"\"http://x\"\",\"\"点我\"\")\",'+1,'-2,'@SUM(A1),'\tTab,\"'\rCR\",张=三,,\"a,b\",120\r\n");
    free(buf);
}
