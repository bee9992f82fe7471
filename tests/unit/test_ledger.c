/*
 * test_ledger.c — the 整改台账 reader (gen/input/ledger.c): problem ids,
 * the CSV form, a zhibu workbook written here by the XLSX renderer
 * (libxlsxwriter: inline strings, date cells, title rows above the table,
 * a 问题清单 (2) continuation sheet), and the same workbook after openpyxl
 * and LibreOffice saved it (tests/ledger/, made by tests/ledger/make-fixtures;
 * $ZHIBU_LEDGER_FIXTURES points at a freshly made set instead).
 *
 * ZHIBU_LEDGER_WRITE=PATH makes ledger_zhibu_workbook keep its workbook
 * at PATH (make-fixtures starts from it).
 */
#include "check.h"
#include "fixture.h"
#include "zip_build.h"
#include "input/ledger.h"
#include "model/report.h"
#include "render/xlsx/render_xlsx.h"
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *const codes[] = {"TD-HELD",  "TD-LATE",  "TD-ACTIONS", "TD-RECORD",   "AT-ABSENT",  "AT-LEADER",
                                    "AT-LAPSE", "DU-UNPAID", "DU-SHORT",  "DU-LATE",     "DU-RATE",    "DU-LAPSE",
                                    "CS-MONTH", "CS-COUNT", "CS-HOURS",   "CS-UNCONFIRMED"};
static const int ncodes = (int)(sizeof codes / sizeof codes[0]);


/* ---- problem ids -------------------------------------------------------------- */

TEST(ledger_problem_id_form)
{
    const char *why;
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/M2022-08-SX", codes, ncodes, &why), 0);
    CHECK_INT(problem_id_check("TD-HELD/文学院学生党支部/2022-08", codes, ncodes, &why), 0);
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/M2022-08-SX#2", codes, ncodes, &why), 0);
    CHECK_INT(problem_id_check("DU-RATE/QZ0209/2022#13", codes, ncodes, &why), 0);
    CHECK_INT(problem_id_check("CS-COUNT/A/01/2022-H2", codes, ncodes, &why), 0); /* a key with '/' */
    CHECK_INT(problem_id_check("TD-LATE/支部/M#7", codes, ncodes, &why), 0);     /* '#' in the period */
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207", codes, ncodes, &why), -1);
    CHECK(strstr(why, "规则/党员编号或支部/期间") != NULL);
    CHECK_INT(problem_id_check("XX-NONE/QZ0207/2022-08", codes, ncodes, &why), -1);
    CHECK(strstr(why, "规则代码") != NULL);
    CHECK_INT(problem_id_check("at-absent/QZ0207/2022-08", codes, ncodes, &why), -1);
    CHECK_INT(problem_id_check("AT-ABSENT//2022-08", codes, ncodes, &why), -1);
    CHECK_INT(problem_id_check("AT-ABSENT/ /2022-08", codes, ncodes, &why), -1);
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/", codes, ncodes, &why), -1);
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/2022-08#1", codes, ncodes, &why), -1);
    CHECK(strstr(why, "#2") != NULL);
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/2022-08#02", codes, ncodes, &why), -1);
    CHECK_INT(problem_id_check("AT-ABSENT/QZ0207/#3", codes, ncodes, &why), -1);
}

/* ---- CSV ------------------------------------------------------------------------ */

static int load_text(ledger *lg, const char *name, const char *text, problems *p)
{
    char dir[] = "/tmp/zhibu-ledger-XXXXXX";
    if (!mkdtemp(dir)) return -9;
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    write_file(path, text, strlen(text));
    int rc = ledger_load(lg, path, name, codes, ncodes, p);
    unlink(path);
    rmdir(dir);
    return rc;
}

TEST(ledger_csv)
{
    static const char csv[] =
        "\xEF\xBB\xBFproblem_id,整改情况,完成日期,整改措施,责任人\r\n"
        "AT-ABSENT/QZ0207/M2022-08-SX,已整改,2022-09-05,\"约谈提醒，\n补学会议内容\",王书记\r\n"
        "DU-RATE/QZ0209/2022, 整改中 ,,重新核定党费基数,叶俊晨\r\n"
        "TD-HELD/文学院学生党支部/2022-08,无需整改,,,\r\n"
        "CS-MONTH/QZ0110/2022-08,,,,\r\n"
        "CS-MONTH/QZ0301/2022-08,完成,2022/9/8,,\r\n"       /* not a status: error, skipped */
        "DU-LATE/QZ0301/2022-08,已整改,44812,,\r\n"          /* a serial: error, skipped */
        "DU-LATE/QZ0302/2022-08,已整改,2022-09-31,,\r\n"     /* no such day: error */
        "AT-ABSENT/QZ0207/M2022-08-SX,整改中,,又一次,\r\n"   /* duplicate: warning, the last wins */
        "XX-NONE/QZ0207/2022-08,已整改,,,\r\n"               /* unknown rule code: error */
        ",已整改,2022-09-01,,\r\n"                           /* no id but data: warning */
        "说明：请从下拉列表选择,,,,\r\n"                     /* a note: not a ledger row */
        "DU-UNPAID/QZ0303/2022-08,已整改,,,\r\n"             /* done without a date: warning */
        "DU-SHORT/QZ0303/2022-08,未整改,2022-09-02,,\r\n";   /* a date but open: warning */
    ledger lg;
    problems p;
    problems_init(&p);
    CHECK_INT(load_text(&lg, "ledger.csv", csv, &p), 0);
    CHECK_INT(lg.xlsx, 0);
    CHECK_INT(lg.n, 6);
    CHECK_INT(lg.rows_read, 7);
    CHECK_INT(lg.rows_skipped, 4);
    const ledger_entry *e = ledger_find(&lg, "AT-ABSENT/QZ0207/M2022-08-SX");
    CHECK(e != NULL);
    if (e) {
        CHECK_INT(e->status, LEDGER_IN_PROGRESS);
        CHECK_STR(e->measures, "又一次");
        CHECK_INT(e->done_on, 0);
        CHECK_STR(e->file, "ledger.csv");
        CHECK_INT(e->line, 10);
    }
    e = ledger_find(&lg, "DU-RATE/QZ0209/2022");
    CHECK(e && e->status == LEDGER_IN_PROGRESS && !strcmp(e->owner, "叶俊晨") && e->line == 4);
    e = ledger_find(&lg, "TD-HELD/文学院学生党支部/2022-08");
    CHECK(e && e->status == LEDGER_NOT_NEEDED);
    e = ledger_find(&lg, "CS-MONTH/QZ0110/2022-08");
    CHECK(e && e->status == LEDGER_OPEN && !e->measures[0]);
    CHECK(ledger_find(&lg, "CS-MONTH/QZ0301/2022-08") == NULL);
    CHECK(ledger_find(&lg, "DU-LATE/QZ0301/2022-08") == NULL);
    CHECK_INT(lg.count[LEDGER_OPEN], 2);
    CHECK_INT(lg.count[LEDGER_IN_PROGRESS], 2);
    CHECK_INT(lg.count[LEDGER_DONE], 1);
    CHECK_INT(lg.count[LEDGER_NOT_NEEDED], 1);
    CHECK(has_problem(&p, "ledger.csv:7: 整改情况: “完成”不是整改情况：应为 未整改、整改中、已整改 或 无需整改（空白 = 未整改）"));
    CHECK(has_problem(&p, "ledger.csv:8: 完成日期: “44812”是数字，不是日期（像 Excel 的日期序号）"));
    CHECK(has_problem(&p, "ledger.csv:9: 完成日期: 无法识别的日期“2022-09-31”"));
    CHECK(has_problem(&p, "ledger.csv:10: problem_id: 警告：problem_id“AT-ABSENT/QZ0207/M2022-08-SX”重复（另见第 2 行），以这一行为准"));
    CHECK(has_problem(&p, "ledger.csv:11: problem_id: “XX-NONE/QZ0207/2022-08”不是问题编号：开头不是已知的规则代码"));
    CHECK(has_problem(&p, "ledger.csv:12: problem_id: 警告：这一行没有 problem_id"));
    CHECK(has_problem(&p, "ledger.csv:14: 完成日期: 警告：已整改，但没有填写完成日期"));
    CHECK(has_problem(&p, "ledger.csv:15: 完成日期: 警告：填了完成日期，但整改情况是“未整改”"));
    CHECK_INT(p.nerrors, 4);
    CHECK_INT(p.nwarnings, 4);
    CHECK_INT(p.nfatal, 0);
    ledger_free(&lg);
    problems_free(&p);
}

TEST(ledger_csv_headers)
{
    ledger lg;
    problems p;
    problems_init(&p);
    /* the Chinese title 问题编号, other columns in any order, 整改时限 */
    CHECK_INT(load_text(&lg, "l.csv", "整改情况,问题编号,整改时限\n已整改,DU-LATE/QZ0301/2022-08,2022年10月15日\n", &p), 0);
    const ledger_entry *e = ledger_find(&lg, "DU-LATE/QZ0301/2022-08");
    CHECK(e && e->status == LEDGER_DONE && e->due_on == 20221015);
    CHECK(has_problem(&p, "l.csv:2: 整改情况: 警告：已整改，但没有填写完成日期"));
    ledger_free(&lg);
    problems_free(&p);
    problems_init(&p);
    CHECK_INT(load_text(&lg, "l.csv", "problem_id,状态\nDU-LATE/QZ0301/2022-08,已整改\n", &p), -1);
    CHECK(has_problem(&p, "l.csv:1: 整改情况: 缺少必需的列“整改情况”"));
    CHECK_INT(lg.n, 0);
    ledger_free(&lg);
    problems_free(&p);
}

TEST(ledger_find_in_dir)
{
    char dir[] = "/tmp/zhibu-ledger-XXXXXX";
    CHECK(mkdtemp(dir) != NULL);
    char buf[512], x[256], c[256];
    problems p;
    problems_init(&p);
    CHECK_INT(ledger_find_in_dir(dir, buf, sizeof buf, &p), 0);
    snprintf(c, sizeof c, "%s/ledger.csv", dir);
    write_file(c, "x", 1);
    CHECK_INT(ledger_find_in_dir(dir, buf, sizeof buf, &p), 1);
    CHECK_STR(buf, c);
    snprintf(x, sizeof x, "%s/ledger.xlsx", dir);
    write_file(x, "x", 1);
    CHECK_INT(ledger_find_in_dir(dir, buf, sizeof buf, &p), -1);
    CHECK(has_problem(&p, "ledger.xlsx: 输入目录里同时有 ledger.xlsx 和 ledger.csv"));
    unlink(c);
    CHECK_INT(ledger_find_in_dir(dir, buf, sizeof buf, &p), 1);
    CHECK_STR(buf, x);
    unlink(x);
    rmdir(dir);
    problems_free(&p);
}

/* ---- a workbook written by zhibu's XLSX renderer --------------------------------- */

static const char *const ids[8] = {
    "AT-ABSENT/QZ0207/M2022-08-SX", "DU-RATE/QZ0209/2022",     "TD-HELD/文学院学生党支部/2022-08",
    "CS-MONTH/QZ0110/2022-08",      "DU-LATE/QZ0301/2022-08",  "CS-MONTH/QZ0301/2022-08",
    "AT-ABSENT/QZ0207/M2022-08-SX#2", "DU-UNPAID/QZ0302/2022-08",
};

/* The 问题清单 as the workbook will show it: problem_id first, the columns of
   today, then 整改措施, 责任人, 整改时限, 整改情况, 完成日期 (SPEC: 整改). */
static int write_zhibu_workbook(const char *path)
{
    static const char *const titles[14] = {"problem_id", "规则", "问题",   "依据",     "支部",     "党员编号", "姓名",
                                           "期间",       "详情", "整改措施", "责任人", "整改时限", "整改情况", "完成日期"};
    static const char *const who[8][3] = {
        {"数学与统计学院教工党支部", "QZ0207", "曹哲松"}, {"数学与统计学院教工党支部", "QZ0209", "叶俊晨"},
        {"文学院学生党支部", "", ""},                     {"文学院教工党支部", "QZ0110", "胡健新"},
        {"机关第一党支部", "QZ0301", "王一"},             {"机关第一党支部", "QZ0301", "王一"},
        {"数学与统计学院教工党支部", "QZ0207", "曹哲松"}, {"机关第一党支部", "QZ0302", "李二"},
    };
    rdoc *d = rdoc_new();
    d->title = "测试";
    d->date = "2022-08-31";
    rsection *s = rdoc_add_section(d, "问题清单");
    rsec_add_heading(d, s, 1, "六、问题清单");
    rsec_add_paragraph(d, s, "本月共发现问题 8 条，请逐条整改并填写整改情况。");
    rtable *t = rsec_add_table(d, s, 14);
    for (int i = 0; i < 14; i++) rtable_col(d, t, i, titles[i], 1, ALIGN_LEFT);
    for (int r = 0; r < 8; r++) {
        rcell *row = rtable_add_row(d, t);
        rcell_ref(&row[0], ids[r]);
        char rule[32];
        snprintf(rule, sizeof rule, "%.*s", (int)(strchr(ids[r], '/') - ids[r]), ids[r]);
        rcell_text(d, &row[1], rule);
        rcell_ref(&row[2], "问题");
        rcell_ref(&row[3], "依据");
        rcell_ref(&row[4], who[r][0]);
        rcell_ref(&row[5], who[r][1]);
        rcell_ref(&row[6], who[r][2]);
        rcell_ref(&row[7], "2022-08");
        rcell_ref(&row[8], "详情");
        for (int c = 9; c < 14; c++) rcell_ref(&row[c], "");
        if (r < 4) rcell_date(d, &row[11], 20220930);
    }
    /* four rows a sheet: the table continues on 问题清单 (2) under its own header */
    setenv("ZHIBU_XLSX_MAX_ROWS", "8", 1);
    char err[512] = "";
    int rc = xlsx_render(d, path, err, sizeof err);
    unsetenv("ZHIBU_XLSX_MAX_ROWS");
    if (rc) fprintf(stderr, "  xlsx_render: %s\n", err);
    rdoc_free(d);
    return rc;
}

TEST(ledger_zhibu_workbook)
{
    const char *keep = getenv("ZHIBU_LEDGER_WRITE");
    char path[512];
    if (keep && *keep) snprintf(path, sizeof path, "%s", keep);
    else {
        snprintf(path, sizeof path, "/tmp/zhibu-ledger-XXXXXX");
        int fd = mkstemp(path);
        if (fd >= 0) close(fd);
    }
    CHECK_INT(write_zhibu_workbook(path), 0);
    ledger lg;
    problems p;
    problems_init(&p);
    CHECK_INT(ledger_load(&lg, path, "ledger.xlsx", codes, ncodes, &p), 0);
    print_problems(&p);
    CHECK_INT(p.n, 0);
    CHECK_INT(lg.xlsx, 1);
    CHECK_STR(lg.path, path);
    CHECK_INT(lg.nsheets, 2);
    CHECK_INT(lg.n, 8);
    CHECK_INT(lg.count[LEDGER_OPEN], 8);
    for (int i = 0; i < 8; i++) {
        const ledger_entry *e = ledger_find(&lg, ids[i]);
        CHECK(e != NULL);
        if (!e) continue;
        CHECK_STR(e->problem_id, ids[i]);
        CHECK_INT(e->due_on, i < 4 ? 20220930 : 0);
        CHECK_INT(e->done_on, 0);
        /* heading, paragraph, blank, header on the first sheet; only the header on the second */
        CHECK_STR(e->file, i < 4 ? "ledger.xlsx:问题清单" : "ledger.xlsx:问题清单 (2)");
        CHECK_INT(e->line, i < 4 ? 5 + i : 2 + (i - 4));
    }
    ledger_free(&lg);
    problems_free(&p);
    if (!(keep && *keep)) unlink(path);
}

/* ---- the same workbook after openpyxl and LibreOffice -------------------------------- */

/* What tests/ledger/edit.py writes into the zhibu workbook. */
static void check_edited(int *failed_, const char *path, const char *label)
{
    ledger lg;
    problems p;
    problems_init(&p);
    int rc = ledger_load(&lg, path, "ledger.xlsx", codes, ncodes, &p);
    if (rc || p.n) {
        fprintf(stderr, "  %s (%s):\n", label, path);
        print_problems(&p);
    }
    CHECK_INT(rc, 0);
    CHECK_INT(p.n, 0);
    CHECK_INT(lg.nsheets, 2);
    CHECK_INT(lg.n, 8);
    static const struct {
        ledger_status st;
        int done, due;
        const char *measures, *owner;
    } want[8] = {
        {LEDGER_DONE, 20220905, 20220930, "约谈提醒，补学会议内容", "王书记"},
        {LEDGER_IN_PROGRESS, 0, 20220930, "重新核定党费基数\n下月起按规定比例交纳", "叶俊晨"},
        {LEDGER_NOT_NEEDED, 0, 20220930, "8月为暑期，经党委同意改在9月开展", ""},
        {LEDGER_DONE, 20220908, 20220930, "已补做下沉服务 2 小时", "胡健新"},
        {LEDGER_IN_PROGRESS, 0, 20221015, "", "王一"},
        {LEDGER_OPEN, 0, 0, "", ""},
        {LEDGER_DONE, 20220910, 0, "<&> “引号”\t𠮷", "张三"},
        {LEDGER_OPEN, 0, 0, "", "李二"},
    };
    for (int i = 0; i < 8; i++) {
        const ledger_entry *e = ledger_find(&lg, ids[i]);
        CHECK(e != NULL);
        if (!e) continue;
        if (e->status != want[i].st || e->done_on != want[i].done || e->due_on != want[i].due ||
            strcmp(e->measures, want[i].measures) || strcmp(e->owner, want[i].owner))
            fprintf(stderr, "  %s: %s: %s %d %d “%s” “%s”\n", label, ids[i], ledger_status_name(e->status), e->done_on,
                    e->due_on, e->measures, e->owner);
        CHECK_INT(e->status, want[i].st);
        CHECK_INT(e->done_on, want[i].done);
        CHECK_INT(e->due_on, want[i].due);
        CHECK_STR(e->measures, want[i].measures);
        CHECK_STR(e->owner, want[i].owner);
        CHECK_STR(e->file, i < 4 ? "ledger.xlsx:问题清单" : "ledger.xlsx:问题清单 (2)");
        CHECK_INT(e->line, i < 4 ? 5 + i : 2 + (i - 4));
    }
    ledger_free(&lg);
    problems_free(&p);
}

static const char *ledger_fixture(const char *name, char *buf, size_t n)
{
    const char *dir = getenv("ZHIBU_LEDGER_FIXTURES");
    snprintf(buf, n, "%s/%s", dir && *dir ? dir : "tests/ledger", name);
    return buf;
}

TEST(ledger_openpyxl_workbook)
{
    char path[512];
    check_edited(failed_, ledger_fixture("openpyxl.xlsx", path, sizeof path), "openpyxl");
}

TEST(ledger_libreoffice_workbook)
{
    char path[512];
    check_edited(failed_, ledger_fixture("libreoffice.xlsx", path, sizeof path), "LibreOffice");
}

/* ---- foreign and damaged workbooks ----------------------------------------------------- */

static int load_zip(ledger *lg, const char *zip, size_t len, problems *p)
{
    char path[] = "/tmp/zhibu-ledger-XXXXXX";
    int fd = mkstemp(path);
    if (fd < 0) return -9;
    close(fd);
    write_file(path, zip, len);
    int rc = ledger_load(lg, path, "ledger.xlsx", codes, ncodes, p);
    unlink(path);
    return rc;
}

static const char sheet_today[] = XML_HEAD
    "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>六、问题清单</t></is></c></row>"
    "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>规则</t></is></c><c r=\"B3\" t=\"inlineStr\"><is><t>详情</t></is></c>"
    "<c r=\"C3\" t=\"inlineStr\"><is><t>整改情况</t></is></c></row>"
    "<row r=\"4\"><c r=\"A4\" t=\"inlineStr\"><is><t>AT-ABSENT</t></is></c></row>"
    "</sheetData></worksheet>";

TEST(ledger_foreign_workbooks)
{
    ledger lg;
    problems p;
    size_t len;
    /* today's 问题清单: no problem_id column */
    problems_init(&p);
    char *zip = book_build("问题清单", sheet_today, NULL, NULL, NULL, 0, &len);
    CHECK_INT(load_zip(&lg, zip, len, &p), -1);
    CHECK(has_problem(&p, "ledger.xlsx: 不是 zhibu 生成的问题清单：缺少列“problem_id”（工作表“问题清单”的表头没有问题编号列"));
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
    /* no 问题清单 sheet, and no other sheet has problem_id */
    problems_init(&p);
    zip = book_build("Sheet1", sheet_today, NULL, NULL, NULL, 0, &len);
    CHECK_INT(load_zip(&lg, zip, len, &p), -1);
    CHECK(has_problem(&p, "ledger.xlsx: 不是 zhibu 生成的问题清单：缺少列“problem_id”（没有“问题清单”工作表，其他工作表也没有 problem_id 列；工作表：Sheet1）"));
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
    /* a ledger made by hand on Sheet1: problem_id and 整改情况 are enough */
    static const char hand[] = XML_HEAD
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"s\"><v>2</v></c><c r=\"B2\" t=\"s\"><v>3</v></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"s\"><v>4</v></c><c r=\"B3\" t=\"s\"><v>5</v></c></row>"
        "</sheetData></worksheet>";
    static const char sst[] = XML_HEAD "<sst xmlns=\"" NS_MAIN "\"><si><t>问题编号</t></si><si><t>整改情况</t></si>"
                                       "<si><t>DU-LATE/QZ0301/2022-08</t></si><si><t>整改中</t></si>"
                                       "<si><t>DU-LATE/QZ0302/2022-08</t></si>"
                                       "<si><r><t>已</t></r><r><rPr><b/></rPr><t>完成</t></r></si></sst>";
    problems_init(&p);
    zip = book_build("Sheet1", hand, sst, NULL, NULL, 0, &len);
    CHECK_INT(load_zip(&lg, zip, len, &p), 0);
    CHECK_INT(lg.n, 1);
    CHECK(ledger_find(&lg, "DU-LATE/QZ0301/2022-08") != NULL);
    CHECK(has_problem(&p, "ledger.xlsx:Sheet1:3: 整改情况: “已完成”不是整改情况"));
    CHECK_INT(lg.rows_skipped, 1);
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
    /* 问题清单 with problem_id but no 整改情况 */
    static const char noStatus[] = XML_HEAD
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"2\"><c r=\"B2\" t=\"inlineStr\"><is><t>problem_id</t></is></c>"
        "<c r=\"C2\" t=\"inlineStr\"><is><t>责任人</t></is></c></row>"
        "<row r=\"3\"><c r=\"B3\" t=\"inlineStr\"><is><t>完成</t></is></c></row></sheetData></worksheet>";
    problems_init(&p);
    zip = book_build("问题清单", noStatus, NULL, NULL, NULL, 0, &len);
    CHECK_INT(load_zip(&lg, zip, len, &p), -1);
    CHECK(has_problem(&p, "ledger.xlsx: 不是 zhibu 生成的问题清单：缺少列“整改情况”（工作表“问题清单”第 2 行的表头）"));
    CHECK_INT(p.n, 1);
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
    /* a damaged workbook keeps the reader's message; nothing of it is used */
    problems_init(&p);
    zip = book_build("问题清单", "<worksheet><sheetData><row>", NULL, NULL, NULL, 0, &len);
    CHECK_INT(load_zip(&lg, zip, len, &p), -1);
    CHECK(has_problem(&p, "ledger.xlsx: 文件损坏：工作表“问题清单”的部件 xl/worksheets/sheet1.xml 第 1 行：内容不完整"));
    CHECK_INT(lg.n, 0);
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
}

TEST(ledger_xlsx_cells)
{
    /* dates as date cells, as text, as a bare number; a number where an id should be */
    static const char sheet[] = XML_HEAD
        "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>"
        "<row r=\"1\"><c r=\"A1\" t=\"inlineStr\"><is><t>问题编号</t></is></c><c r=\"B1\" t=\"inlineStr\"><is><t>整改情况</t></is></c>"
        "<c r=\"C1\" t=\"inlineStr\"><is><t>完成日期</t></is></c><c r=\"D1\" t=\"inlineStr\"><is><t>整改时限</t></is></c></row>"
        "<row r=\"2\"><c r=\"A2\" t=\"inlineStr\"><is><t> CS-HOURS/QZ0101/2022 </t></is></c>"
        "<c r=\"B2\" t=\"inlineStr\"><is><t>已整改</t></is></c><c r=\"C2\" s=\"1\"><v>44819</v></c>"
        "<c r=\"D2\" t=\"inlineStr\"><is><t>2022.10.1</t></is></c></row>"
        "<row r=\"3\"><c r=\"A3\" t=\"inlineStr\"><is><t>CS-HOURS/QZ0102/2022</t></is></c>"
        "<c r=\"B3\" t=\"inlineStr\"><is><t>已整改</t></is></c><c r=\"C3\"><v>44819</v></c></row>"
        "<row r=\"4\"><c r=\"A4\"><v>12</v></c><c r=\"B4\" t=\"inlineStr\"><is><t>已整改</t></is></c></row>"
        "<row r=\"5\"><c r=\"A5\" t=\"inlineStr\"><is><t>CS-HOURS/QZ0103/2022</t></is></c>"
        "<c r=\"B5\" t=\"b\"><v>1</v></c></row>"
        /* a formula saved without its result (openpyxl): a warning, read as blank */
        "<row r=\"6\"><c r=\"A6\" t=\"inlineStr\"><is><t>CS-HOURS/QZ0104/2022</t></is></c>"
        "<c r=\"B6\"><f>IF(1,\"已整改\",\"\")</f></c></row>"
        "</sheetData></worksheet>";
    static const char styles[] = XML_HEAD "<styleSheet xmlns=\"" NS_MAIN "\"><cellXfs count=\"2\"><xf numFmtId=\"0\"/>"
                                          "<xf numFmtId=\"14\"/></cellXfs></styleSheet>";
    size_t len;
    char *zip = book_build("问题清单", sheet, NULL, styles, NULL, 0, &len);
    ledger lg;
    problems p;
    problems_init(&p);
    CHECK_INT(load_zip(&lg, zip, len, &p), 0);
    const ledger_entry *e = ledger_find(&lg, "CS-HOURS/QZ0101/2022");
    CHECK(e && e->done_on == 20220915 && e->due_on == 20221001 && e->status == LEDGER_DONE && e->line == 2);
    CHECK(has_problem(&p, "ledger.xlsx:问题清单:3: 完成日期: “44819”是数字，不是日期"));
    CHECK(has_problem(&p, "ledger.xlsx:问题清单:4: 问题编号: “12”不是问题编号：应为文字"));
    CHECK(has_problem(&p, "ledger.xlsx:问题清单:5: 整改情况: “TRUE”不是整改情况"));
    CHECK(has_problem(&p, "ledger.xlsx:问题清单:6: 整改情况: 警告：是公式，但文件里没有保存计算结果"));
    e = ledger_find(&lg, "CS-HOURS/QZ0104/2022");
    CHECK(e && e->status == LEDGER_OPEN);
    CHECK_INT(lg.n, 2);
    CHECK_INT(p.nerrors, 3);
    CHECK_INT(p.nwarnings, 1);
    ledger_free(&lg);
    problems_free(&p);
    free(zip);
}
