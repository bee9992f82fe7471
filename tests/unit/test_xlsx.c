/*
 * test_xlsx.c — the XLSX renderer: sheet names, UTF-8 repair, text width,
 * and a demo workbook like the monthly one, read back with
 * tests/xlsx_read.py (python3-openpyxl).
 */
#include "check.h"
#include "render/xlsx/render_xlsx.h"
#include "render/xlsx/sheet_name.h"
#include "model/report.h"
#include <dirent.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

/* --- helpers ------------------------------------------------------------------ */

static size_t u16_units(const char *s)
{
    size_t n = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        if ((*p & 0xC0) != 0x80) n++;
        if (*p >= 0xF0) n++; /* a 4-byte sequence is a surrogate pair */
    }
    return n;
}

static char *make_tmpdir(void)
{
    char tmpl[] = "/tmp/zhibu-xlsx-XXXXXX";
    char *d = mkdtemp(tmpl);
    return d ? strdup(d) : NULL;
}

static void remove_tree(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    char p[4096];
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, "..")) continue;
        snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
        unlink(p);
    }
    closedir(d);
    rmdir(dir);
}

/* Append s to the command, single-quoted for the shell. */
static void shq(char *cmd, size_t cap, const char *s)
{
    size_t n = strlen(cmd);
    if (n + 1 < cap) cmd[n++] = '\'';
    for (; *s && n + 5 < cap; s++) {
        if (*s == '\'') { memcpy(cmd + n, "'\\''", 4); n += 4; }
        else cmd[n++] = *s;
    }
    if (n + 1 < cap) cmd[n++] = '\'';
    cmd[n] = '\0';
}

/* Output of `python3 tests/xlsx_read.py FILE ARGS…` (NULL-terminated args),
   or NULL when it fails.  Caller frees. */
static char *xlsx_read(const char *file, ...)
{
    char cmd[8192] = "";
    const char *py = getenv("PYTHON");
    if (!py) py = access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3";
    shq(cmd, sizeof cmd, py);
    strcat(cmd, " ");
    const char *root = getenv("ZHIBU_ROOT");
    char script[4096];
    snprintf(script, sizeof script, "%s%stests/xlsx_read.py", root ? root : "", root ? "/" : "");
    shq(cmd, sizeof cmd, script);
    strcat(cmd, " ");
    shq(cmd, sizeof cmd, file);
    va_list ap;
    va_start(ap, file);
    for (const char *a; (a = va_arg(ap, const char *));) {
        strcat(cmd, " ");
        shq(cmd, sizeof cmd, a);
    }
    va_end(ap);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t cap = 1 << 16, n = 0;
    char *out = malloc(cap);
    size_t k;
    while (out && (k = fread(out + n, 1, cap - n - 1, p)) > 0) {
        n += k;
        if (cap - n < 1024) {
            char *o2 = realloc(out, cap *= 2);
            if (!o2) { free(out); out = NULL; }
            else out = o2;
        }
    }
    int st = pclose(p);
    if (!out) return NULL;
    out[n] = '\0';
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) {
        fprintf(stderr, "  xlsx_read failed: %s\n", cmd);
        free(out);
        return NULL;
    }
    return out;
}

/* 1 when text holds exactly this line. */
static int has_line(const char *text, const char *line)
{
    size_t n = strlen(line);
    for (const char *p = text; p && *p;) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (len == n && memcmp(p, line, n) == 0) return 1;
        p = e ? e + 1 : NULL;
    }
    return 0;
}

#define CHECK_LINE(text, ...) do { char l_[1024]; snprintf(l_, sizeof l_, __VA_ARGS__); \
    if (!has_line(text, l_)) { fprintf(stderr, "  %s:%d: no line \"%s\"\n", __FILE__, __LINE__, l_); \
    (*failed_)++; } } while (0)

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *b = malloc((size_t)n + 1);
    if (b && fread(b, 1, (size_t)n, f) != (size_t)n) { free(b); b = NULL; }
    fclose(f);
    *len = (size_t)n;
    return b;
}

/* --- the demo workbook ----------------------------------------------------------- */

#define LONG_BRANCH "计算机科学与技术学院/软件工程系:第一学生党支部（研究生）联合党支部'"
static const char *branches[] = {"教育学院教工党支部", "数学学院学生党支部", LONG_BRANCH, "机关第二党支部"};

static rdoc *demo_doc(void)
{
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "2022年9月党支部工作月报");
    d->author = rdoc_strdup(d, "某某师范学院党委组织部");
    d->subject = rdoc_strdup(d, "党支部工作检查");
    d->date = rdoc_strdup(d, "2022-09-30");
    d->footer = rdoc_strdup(d, "组织部 & 纪委");

    /* a section for the PDF only */
    rsection *s = rdoc_add_section(d, NULL);
    rsec_add_heading(d, s, 1, "封面");

    /* 汇总: two text rows above the table, a bar chart from the table */
    s = rdoc_add_section(d, "汇总");
    rsec_add_heading(d, s, 1, "2022年9月汇总");
    rsec_add_paragraph(d, s, "统计范围：全部党支部。");
    rtable *t = rsec_add_table(d, s, 5);
    rtable_col(d, t, 0, "党支部", 3, ALIGN_LEFT);
    rtable_col(d, t, 1, "党员数", 1, ALIGN_RIGHT);
    rtable_col(d, t, 2, "主题党日", 1, ALIGN_CENTER);
    rtable_col(d, t, 3, "出勤率", 1, ALIGN_RIGHT);
    rtable_col(d, t, 4, "问题数", 1, ALIGN_RIGHT);
    for (int i = 0; i < 4; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_text(d, &r[0], branches[i]);
        rcell_int(d, &r[1], 20 + i);
        rcell_text(d, &r[2], i == 2 ? "未开展" : "已开展");
        if (i == 2) r[2].emph = EMPH_FINDING;
        rcell_percent(d, &r[3], 0.8 + 0.05 * i, 1);
        rcell_int(d, &r[4], i);
    }
    rcell *tot = rtable_add_row(d, t);
    rcell_text(d, &tot[0], "合计");
    rcell_int(d, &tot[1], 86);
    tot[1].emph = EMPH_STRONG;
    rchart *c = rsec_add_chart(d, s, CHART_BAR, "各支部出勤率", 4, 1);
    c->percent = 1;
    c->y_title = rdoc_strdup(d, "出勤率");
    c->series[0].name = rdoc_strdup(d, "出勤率");
    for (int i = 0; i < 4; i++) {
        c->cats[i] = branches[i];
        c->series[0].values[i] = 0.8 + 0.05 * i;
    }
    c->table_cat_col = 0;
    c->table_val_cols[0] = 3;

    /* 主题党日: dates */
    s = rdoc_add_section(d, "主题党日");
    t = rsec_add_table(d, s, 4);
    rtable_col(d, t, 0, "党支部", 3, ALIGN_LEFT);
    rtable_col(d, t, 1, "日期", 1, ALIGN_CENTER);
    rtable_col(d, t, 2, "主题", 4, ALIGN_LEFT);
    rtable_col(d, t, 3, "按时", 1, ALIGN_CENTER);
    for (int i = 0; i < 3; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_text(d, &r[0], branches[i]);
        rcell_date(d, &r[1], 20220920 + i);
        rcell_text(d, &r[2], i == 1 ? "学习贯彻党的二十大精神专题组织生活会，结合本支部实际开展批评与自我批评，查摆问题并制定整改措施，明确责任人和完成时限"
                                    : "学习党章");
        rcell_text(d, &r[3], i == 1 ? "否" : "是");
        if (i == 1) r[3].emph = EMPH_FINDING;
    }

    /* 出勤: a formula-looking name, bad UTF-8, and a standalone line chart */
    s = rdoc_add_section(d, "出勤");
    t = rsec_add_table(d, s, 5);
    rtable_col(d, t, 0, "党支部", 3, ALIGN_LEFT);
    rtable_col(d, t, 1, "学号", 1, ALIGN_LEFT);
    rtable_col(d, t, 2, "姓名", 1, ALIGN_LEFT);
    rtable_col(d, t, 3, "出席次数", 1, ALIGN_RIGHT);
    rtable_col(d, t, 4, "出勤率", 1, ALIGN_RIGHT);
    const char *names[] = {"=1+1", "+SUM(A1)", "坏\xff字节", "@张三", "-李四"};
    for (int i = 0; i < 5; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_text(d, &r[0], branches[i % 4]);
        rcell_text(d, &r[1], i == 4 ? "_x0041_" : "2022001");
        rcell_text(d, &r[2], names[i]);
        rcell_int(d, &r[3], 3 - i % 2);
        rcell_percent(d, &r[4], i == 1 ? 0.5 : 1.0, 1);
        if (i == 1) r[4].emph = EMPH_FINDING;
    }
    c = rsec_add_chart(d, s, CHART_LINE, "=月度出勤率", 9, 1);
    c->percent = 1;
    c->series[0].name = rdoc_strdup(d, "全校");
    for (int i = 0; i < 9; i++) {
        c->cats[i] = rdoc_printf(d, "%d月", i + 1);
        c->series[0].values[i] = 0.9 + 0.01 * i;
    }

    /* 党费: money */
    s = rdoc_add_section(d, "党费");
    t = rsec_add_table(d, s, 5);
    rtable_col(d, t, 0, "学号", 1, ALIGN_LEFT);
    rtable_col(d, t, 1, "姓名", 1, ALIGN_LEFT);
    rtable_col(d, t, 2, "应交", 1, ALIGN_RIGHT);
    rtable_col(d, t, 3, "实交", 1, ALIGN_RIGHT);
    rtable_col(d, t, 4, "交纳日期", 1, ALIGN_CENTER);
    for (int i = 0; i < 2; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_text(d, &r[0], "2022002");
        rcell_text(d, &r[1], "王五");
        rcell_money(d, &r[2], 1550);
        rcell_money(d, &r[3], i ? 0 : 1550);
        if (i) r[3].emph = EMPH_FINDING;
        if (!i) rcell_date(d, &r[4], 20220915);
    }

    /* 下沉社区: hours */
    s = rdoc_add_section(d, "下沉社区");
    t = rsec_add_table(d, s, 3);
    rtable_col(d, t, 0, "姓名", 1, ALIGN_LEFT);
    rtable_col(d, t, 1, "次数", 1, ALIGN_RIGHT);
    rtable_col(d, t, 2, "时长", 1, ALIGN_RIGHT);
    rcell *r = rtable_add_row(d, t);
    rcell_text(d, &r[0], "赵六");
    rcell_int(d, &r[1], 2);
    rcell_hours(d, &r[2], 6.5);

    /* 问题清单 */
    s = rdoc_add_section(d, "问题清单");
    t = rsec_add_table(d, s, 8);
    const char *pcols[] = {"规则", "问题", "来源", "党支部", "党员", "期间", "详情", "整改情况"};
    for (int i = 0; i < 8; i++) rtable_col(d, t, i, pcols[i], 1, ALIGN_LEFT);
    r = rtable_add_row(d, t);
    const char *pv[] = {"TD-LATE", "主题党日逾期", "meetings.csv", LONG_BRANCH, "", "M2022-09-01", "召开日期 2022-09-30，晚于时限", NULL};
    for (int i = 0; i < 7; i++) rcell_text(d, &r[i], pv[i]);

    /* 输入问题: none */
    s = rdoc_add_section(d, "输入问题");
    t = rsec_add_table(d, s, 4);
    const char *icols[] = {"文件", "行", "级别", "说明"};
    for (int i = 0; i < 4; i++) rtable_col(d, t, i, icols[i], 1, ALIGN_LEFT);
    t->empty_text = rdoc_strdup(d, "无");

    /* a long, unclean branch name twice: cleaned, cut, made unique */
    for (int k = 0; k < 2; k++) {
        s = rdoc_add_section(d, LONG_BRANCH);
        rsec_add_paragraph(d, s, "本支部无问题。");
    }
    return d;
}

/* --- tests -------------------------------------------------------------------- */

TEST(xlsx_sheet_name_clean)
{
    char out[XLSX_SHEET_NAME_BUF];
    xlsx_sheet_name_clean("a[b]c:d*e?f/g\\h", out);
    CHECK_STR(out, "a_b_c_d_e_f_g_h");
    xlsx_sheet_name_clean("'引号'", out);
    CHECK_STR(out, "引号");
    xlsx_sheet_name_clean("  ", out);
    CHECK_STR(out, "工作表");
    xlsx_sheet_name_clean(NULL, out);
    CHECK_STR(out, "工作表");
    xlsx_sheet_name_clean("history", out);
    CHECK_STR(out, "history_");
    xlsx_sheet_name_clean("坏\xff", out);
    CHECK_STR(out, "坏\xEF\xBF\xBD");
    xlsx_sheet_name_clean("tab\there", out);
    CHECK_STR(out, "tab here");
    xlsx_sheet_name_clean(LONG_BRANCH, out);
    CHECK_INT(u16_units(out), 31);
    CHECK_STR(out, "计算机科学与技术学院_软件工程系_第一学生党支部（研究生）联合");
    /* 30 ASCII + an apostrophe at the cut */
    xlsx_sheet_name_clean("abcdefghijklmnopqrstuvwxyz1234'5678", out);
    CHECK_STR(out, "abcdefghijklmnopqrstuvwxyz1234");
    /* characters above U+FFFF count 2 */
    xlsx_sheet_name_clean("\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80"
                          "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80"
                          "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80"
                          "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80" "\xF0\x9F\x98\x80", out);
    CHECK_INT(u16_units(out), 30);
}

TEST(xlsx_sheet_name_unique)
{
    xlsx_sheet_names set = {0};
    char out[XLSX_SHEET_NAME_BUF];
    CHECK_INT(xlsx_sheet_name_unique(&set, "汇总", out), 0);
    CHECK_STR(out, "汇总");
    xlsx_sheet_name_unique(&set, "汇总", out);
    CHECK_STR(out, "汇总~2");
    xlsx_sheet_name_unique(&set, "汇总", out);
    CHECK_STR(out, "汇总~3");
    xlsx_sheet_name_unique(&set, "Sheet", out);
    xlsx_sheet_name_unique(&set, "SHEET", out);
    CHECK_STR(out, "SHEET~2");
    xlsx_sheet_name_unique(&set, LONG_BRANCH, out);
    xlsx_sheet_name_unique(&set, LONG_BRANCH, out);
    CHECK_STR(out, "计算机科学与技术学院_软件工程系_第一学生党支部（研究生）~2");
    CHECK(u16_units(out) <= 31);
    xlsx_sheet_name_part(&set, LONG_BRANCH, 2, out);
    CHECK_STR(out, "计算机科学与技术学院_软件工程系_第一学生党支部（研究 (2)");
    xlsx_sheet_name_part(&set, "汇总", 12, out);
    CHECK_STR(out, "汇总 (12)");
    CHECK_INT(set.n, 9);
    xlsx_sheet_names_free(&set);
}

TEST(xlsx_utf8_clean)
{
    char *buf = NULL;
    size_t cap = 0;
    const char *ok = "党支部 =1+1 \xF0\x9F\x98\x80";
    CHECK(xlsx_utf8_clean(ok, XLSX_STRING_UNITS, XLSX_CLEAN_XESC, &buf, &cap) == ok);
    CHECK_STR(xlsx_utf8_clean(NULL, 10, 0, &buf, &cap), "");
    CHECK_STR(xlsx_utf8_clean("a\xff" "b", 100, 0, &buf, &cap), "a\xEF\xBF\xBD" "b");
    CHECK_STR(xlsx_utf8_clean("\xC0\xAF", 100, 0, &buf, &cap), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* overlong */
    CHECK_STR(xlsx_utf8_clean("\xED\xA0\x80", 100, 0, &buf, &cap),                          /* surrogate */
              "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD");
    CHECK_STR(xlsx_utf8_clean("\xE4\xB8", 100, 0, &buf, &cap), "\xEF\xBF\xBD\xEF\xBF\xBD"); /* cut short */
    CHECK_STR(xlsx_utf8_clean("x\xEF\xBF\xBEy", 100, 0, &buf, &cap), "x\xEF\xBF\xBDy");     /* U+FFFE */
    CHECK_STR(xlsx_utf8_clean("a\x01\tb\n", 100, XLSX_CLEAN_CTRL, &buf, &cap), "a \tb\n");
    CHECK_STR(xlsx_utf8_clean("id _x0041_ x", 100, XLSX_CLEAN_XESC, &buf, &cap), "id _x005F_x0041_ x");
    CHECK_STR(xlsx_utf8_clean("党支部书记", 3, 0, &buf, &cap), "党支部");
    CHECK_STR(xlsx_utf8_clean("ab\xF0\x9F\x98\x80", 3, 0, &buf, &cap), "ab");
    /* 40,000 CJK characters are cut to 32,767 */
    size_t n = 40000;
    char *big = malloc(n * 3 + 1);
    for (size_t i = 0; i < n; i++) memcpy(big + i * 3, "党", 3);
    big[n * 3] = '\0';
    const char *c = xlsx_utf8_clean(big, XLSX_STRING_UNITS, XLSX_CLEAN_XESC, &buf, &cap);
    CHECK(c && strlen(c) == (size_t)XLSX_STRING_UNITS * 3);
    free(big);
    free(buf);
}

TEST(xlsx_text_width)
{
    CHECK_INT(xlsx_text_width("abc"), 3);
    CHECK_INT(xlsx_text_width("党支部"), 6);
    CHECK_INT(xlsx_text_width("（研究生）"), 10);
    CHECK_INT(xlsx_text_width("ab\n党支部书记"), 10);
    CHECK_INT(xlsx_text_width(""), 0);
    CHECK_INT(xlsx_text_width(NULL), 0);
    CHECK_INT(xlsx_text_lines("党支部书记", 10), 1);
    CHECK_INT(xlsx_text_lines("党支部书记", 9), 2);
    CHECK_INT(xlsx_text_lines("a\n\nb", 9), 3);
    CHECK_INT(xlsx_text_lines("", 9), 1);
}

/* xlsx_text_measure gives both widths in one pass — the values the two
   separate scans gave before they were made one — and never more than the
   bytes (the width pass skips on it). */
TEST(xlsx_text_measure_matches)
{
    static const char *const texts[] = {
        "abc", "党支部", "（研究生）", "ab\n党支部书记", "", "2022-09-13 18:00", "病休（2022-07-11至2022-09-30）",
        "135元", "a b  c", "全角　空格", "e\xcc\x81t\xc3\xa9", "\xff\xfe bad", "𠮷野家", "long wordword\nx",
    };
    static const int want[][2] = {
        {3, 3}, {6, 2}, {10, 2}, {10, 2}, {0, 0}, {16, 10}, {30, 10},
        {5, 3}, {6, 1}, {10, 2}, {3, 3}, {6, 3}, {6, 2}, {13, 8},
    };
    for (size_t i = 0; i < sizeof texts / sizeof *texts; i++) {
        int w = -1, u = -1;
        xlsx_text_measure(texts[i], &w, &u);
        CHECK_INT(w, want[i][0]);
        CHECK_INT(u, want[i][1]);
        CHECK_INT(xlsx_text_width(texts[i]), w);
        CHECK_INT(xlsx_text_run_width(texts[i]), u);
        CHECK(w <= (int)strlen(texts[i]) && u <= w);
    }
}

TEST(xlsx_render_demo)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/月报.xlsx", dir);
    rdoc *d = demo_doc();
    int rc = xlsx_render(d, path, err, sizeof err);
    if (rc) fprintf(stderr, "  %s\n", err);
    CHECK_INT(rc, 0);
    rdoc_free(d);
    /* nothing beside the workbook: libxlsxwriter's temporaries went in a
       scratch directory of their own, and that is gone */
    DIR *dd = opendir(dir);
    int others = 0;
    for (struct dirent *e; dd && (e = readdir(dd));)
        if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") && strcmp(e->d_name, "月报.xlsx")) others++;
    if (dd) closedir(dd);
    CHECK_INT(others, 0);

    char *f = xlsx_read(path, "--flat", NULL);
    CHECK(f != NULL);
    if (f) {
        CHECK_LINE(f, "sheetnames=汇总|主题党日|出勤|党费|下沉社区|问题清单|输入问题|"
                      "计算机科学与技术学院_软件工程系_第一学生党支部（研究生）联合|"
                      "计算机科学与技术学院_软件工程系_第一学生党支部（研究生）~2");
        CHECK_LINE(f, "props.title=2022年9月党支部工作月报");
        CHECK_LINE(f, "props.subject=党支部工作检查");
        CHECK_LINE(f, "props.creator=某某师范学院党委组织部");
        CHECK_LINE(f, "props.company=某某师范学院党委组织部");
        CHECK_LINE(f, "props.created=2022-09-30T00:00:00");
        /* 汇总: heading, paragraph, blank, header in row 4 */
        CHECK_LINE(f, "sheet.汇总.freeze=A5");
        CHECK_LINE(f, "sheet.汇总.autofilter=A4:E9");
        CHECK_LINE(f, "sheet.汇总.print.title_rows=$4:$4");
        CHECK_LINE(f, "sheet.出勤.freeze=A2");
        CHECK_LINE(f, "sheet.出勤.autofilter=A1:E6");
        CHECK_LINE(f, "sheet.问题清单.autofilter=A1:H2");
        CHECK_LINE(f, "sheet.输入问题.autofilter=A1:D2");
        CHECK_LINE(f, "sheet.输入问题.freeze=A2");
        const char *sheets[] = {"汇总", "主题党日", "出勤", "党费", "下沉社区", "问题清单", "输入问题"};
        for (int i = 0; i < 7; i++) {
            CHECK_LINE(f, "sheet.%s.print.orientation=landscape", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.paper=9", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.fit_to_page=1", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.fit_width=1", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.fit_height=0", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.footer_center=&A — 第 &P 页，共 &N 页", sheets[i]);
            CHECK_LINE(f, "sheet.%s.print.footer_left=组织部 ＆ 纪委", sheets[i]);
        }
        CHECK_LINE(f, "sheet.主题党日.print.title_rows=$1:$1");
        /* column widths: CJK counts double, capped at 60 */
        /* (libxlsxwriter stores width w as w + 5/7 of a character: 60 → 60.71) */
        CHECK_LINE(f, "sheet.主题党日.col_widths.C=60.71");
        CHECK_LINE(f, "sheet.汇总.col_widths.A=60.71");
        CHECK_LINE(f, "sheet.主题党日.col_widths.B=11.71"); /* a date: 10 + 1 */
        CHECK_LINE(f, "sheet.汇总.col_widths.C=11.57");     /* 主题党日: 8 * 1.1 + 2 */
        /* the long 主题 (114 units) in a 60-wide column: 2 lines */
        CHECK_LINE(f, "sheet.主题党日.row_heights.3=32.0");
        CHECK(!strstr(f, "sheet.主题党日.row_heights.2="));
        /* charts: the bar from the table's cells, the line from its own data */
        CHECK_LINE(f, "chart.1.kind=barChart");
        CHECK_LINE(f, "chart.1.bar_dir=col");
        CHECK_LINE(f, "chart.1.refs='汇总'!$A$5:$A$8");
        CHECK_LINE(f, "chart.1.refs='汇总'!$D$5:$D$8");
        CHECK_LINE(f, "chart.1.refs='汇总'!$D$4");
        CHECK_LINE(f, "chart.1.texts=各支部出勤率");
        CHECK_LINE(f, "chart.1.num_formats=0%%");
        CHECK_LINE(f, "chart.2.kind=lineChart");
        CHECK_LINE(f, "chart.2.refs='出勤'!$B$8");
        CHECK_LINE(f, "chart.2.refs='出勤'!$A$9:$A$17");
        CHECK_LINE(f, "chart.2.refs='出勤'!$B$9:$B$17");
        CHECK_LINE(f, "chart.2.texts= =月度出勤率");
        free(f);
    }

    char *cell;
    /* text that looks like a formula stays text */
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "C2", NULL)) && has_line(cell, "s\tGeneral\t=1+1\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "C3", NULL)) && has_line(cell, "s\tGeneral\t+SUM(A1)\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "C4", NULL)) && has_line(cell, "s\tGeneral\t坏\xEF\xBF\xBD字节\t0\t"));
    free(cell);
    /* a literal "_x0041_" is protected from Excel's unescaping as "_x005F_x0041_"
       (as Python XlsxWriter does); openpyxl shows the raw form */
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "B6", NULL)) && has_line(cell, "s\tGeneral\t_x005F_x0041_\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "E3", NULL)) && has_line(cell, "n\t0.0%\t0.5\t0\tFFFFC7CE"));
    free(cell);
    /* header: bold, grey */
    CHECK((cell = xlsx_read(path, "--cell", "出勤", "A1", NULL)) && has_line(cell, "s\tGeneral\t党支部\t1\tFFD9D9D9"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "汇总", "D5", NULL)) && has_line(cell, "n\t0.0%\t0.8\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "汇总", "B9", NULL)) && has_line(cell, "n\t0\t86\t1\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "汇总", "C7", NULL)) && has_line(cell, "s\tGeneral\t未开展\t0\tFFFFC7CE"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "汇总", "A1", NULL)) && has_line(cell, "s\tGeneral\t2022年9月汇总\t1\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "主题党日", "B2", NULL)) && has_line(cell, "d\tyyyy-mm-dd\t2022-09-20\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "党费", "C2", NULL)) && has_line(cell, "n\t0.00\t15.5\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "下沉社区", "C2", NULL)) && has_line(cell, "n\t0.0\t6.5\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "输入问题", "A2", NULL)) && has_line(cell, "s\tGeneral\t无\t0\t"));
    free(cell);

    char *csv = xlsx_read(path, "--csv", "问题清单", NULL);
    CHECK(csv && has_line(csv, "规则,问题,来源,党支部,党员,期间,详情,整改情况"));
    CHECK(csv && has_line(csv, "TD-LATE,主题党日逾期,meetings.csv,"
                               "计算机科学与技术学院/软件工程系:第一学生党支部（研究生）联合党支部',,M2022-09-01,"
                               "召开日期 2022-09-30，晚于时限,"));
    free(csv);
    /* the wrapped long cell */
    char *cells = xlsx_read(path, "--cells", "主题党日", NULL);
    CHECK(cells && strstr(cells, "\"ref\": \"C3\",") && strstr(strstr(cells, "\"ref\": \"C3\","), "\"wrap\": true"));
    free(cells);
    /* ZHIBU_XLSX_KEEP=FILE keeps a copy of the demo (tests/e2e/xlsx_render.sh opens it in LibreOffice) */
    const char *keep = getenv("ZHIBU_XLSX_KEEP");
    if (keep) {
        size_t n = 0;
        char *b = slurp(path, &n);
        FILE *k = fopen(keep, "wb");
        CHECK(b && k && fwrite(b, 1, n, k) == n);
        if (k) fclose(k);
        free(b);
    }
    remove_tree(dir);
    free(dir);
}

TEST(xlsx_render_reproducible)
{
    char *d1 = make_tmpdir(), *d2 = make_tmpdir();
    CHECK(d1 && d2);
    if (!d1 || !d2) { free(d1); free(d2); return; }
    char p1[4096], p2[4096], err[256];
    snprintf(p1, sizeof p1, "%s/a.xlsx", d1);
    snprintf(p2, sizeof p2, "%s/a.xlsx", d2);
    rdoc *d = demo_doc();
    CHECK_INT(xlsx_render(d, p1, err, sizeof err), 0);
    sleep(1); /* a different second: nothing may depend on the clock */
    CHECK_INT(xlsx_render(d, p2, err, sizeof err), 0);
    rdoc_free(d);
    size_t n1 = 0, n2 = 0;
    char *b1 = slurp(p1, &n1), *b2 = slurp(p2, &n2);
    CHECK(b1 && b2 && n1 > 0 && n1 == n2 && memcmp(b1, b2, n1) == 0);
    free(b1);
    free(b2);
    remove_tree(d1);
    remove_tree(d2);
    free(d1);
    free(d2);
}

TEST(xlsx_render_row_split)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/big.xlsx", dir);
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "拆分");
    d->date = rdoc_strdup(d, "2022-12-31");
    rsection *s = rdoc_add_section(d, "大表");
    rtable *t = rsec_add_table(d, s, 3);
    rtable_col(d, t, 0, "序号", 1, ALIGN_RIGHT);
    rtable_col(d, t, 1, "姓名", 1, ALIGN_LEFT);
    rtable_col(d, t, 2, "时长", 1, ALIGN_RIGHT);
    for (int i = 0; i < 10; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_int(d, &r[0], i + 1);
        rcell_text(d, &r[1], "党员");
        rcell_hours(d, &r[2], 1.5);
    }
    rsec_add_paragraph(d, s, "表后说明");
    /* a standalone chart after it all */
    rchart *c = rsec_add_chart(d, s, CHART_BAR, "按月", 2, 1);
    c->cats[0] = "1月";
    c->cats[1] = "2月";
    c->series[0].name = "次数";
    c->series[0].values[0] = 1;
    c->series[0].values[1] = 2;
    setenv("ZHIBU_XLSX_MAX_ROWS", "5", 1);
    int rc = xlsx_render(d, path, err, sizeof err);
    unsetenv("ZHIBU_XLSX_MAX_ROWS");
    if (rc) fprintf(stderr, "  %s\n", err);
    CHECK_INT(rc, 0);
    rdoc_free(d);
    char *f = xlsx_read(path, "--flat", NULL);
    CHECK(f != NULL);
    if (f) {
        CHECK_LINE(f, "sheetnames=大表|大表 (2)|大表 (3)|大表 (4)");
        CHECK_LINE(f, "sheet.大表.freeze=A2");
        CHECK_LINE(f, "sheet.大表.autofilter=A1:C5");
        CHECK_LINE(f, "sheet.大表 (2).freeze=A2");
        CHECK_LINE(f, "sheet.大表 (2).autofilter=A1:C5");
        CHECK_LINE(f, "sheet.大表 (2).print.title_rows=$1:$1");
        CHECK_LINE(f, "sheet.大表 (3).autofilter=A1:C3");
        CHECK_LINE(f, "sheet.大表 (4).autofilter=");
        CHECK_LINE(f, "chart.1.refs='大表 (4)'!$A$2:$A$3");
        free(f);
    }
    char *csv = xlsx_read(path, "--csv", "大表 (3)", NULL);
    CHECK(csv && has_line(csv, "序号,姓名,时长") && has_line(csv, "9,党员,1.5") && has_line(csv, "10,党员,1.5") &&
          has_line(csv, ",,") && has_line(csv, "表后说明,,"));
    free(csv);
    csv = xlsx_read(path, "--csv", "大表 (4)", NULL);
    CHECK(csv && has_line(csv, "按月,次数") && has_line(csv, "2月,2"));
    free(csv);
    remove_tree(dir);
    free(dir);
}

TEST(xlsx_render_errors)
{
    char err[256];
    rdoc *d = demo_doc();
    CHECK_INT(xlsx_render(d, "/nonexistent-dir/x/a.xlsx", err, sizeof err), -1);
    CHECK(err[0] != '\0');
    CHECK_INT(xlsx_render(NULL, "/tmp/a.xlsx", err, sizeof err), -1);
    CHECK_INT(xlsx_render(d, NULL, NULL, 0), -1);
    rdoc_free(d);
}

/* --- a workbook to work in: row sources, totals, marks, dropdowns ------------------- */

/* A row source of n members (2 months of dues and their sum) and one total row. */
typedef struct {
    size_t n;
    size_t calls;
    char name[32], money[3][32];
} dues_src;

static int dues_rows(void *ctx, size_t i, rcell *c)
{
    dues_src *s = ctx;
    s->calls++;
    if (i > s->n) return -1;
    if (i == s->n) { /* the total row: label, =SUM above, cached with the figure */
        rcell_ref(&c[0], "合计");
        c[0].emph = EMPH_STRONG;
        long cents[3] = {(long)(s->n * 15000 - 10000), (long)(s->n * 60000), 0};
        cents[2] = cents[0] + cents[1];
        for (int k = 0; k < 3; k++) {
            snprintf(s->money[k], sizeof s->money[k], "%ld.%02ld", cents[k] / 100, cents[k] % 100);
            c[3 + k] = (rcell){.text = s->money[k], .num = cents[k] / 100.0, .type = CELL_MONEY,
                               .emph = EMPH_STRONG, .calc = RCALC_SUM_ABOVE};
        }
        return 0;
    }
    rcell_ref(&c[1], i % 2 ? "李\"四" : "张三");
    snprintf(s->name, sizeof s->name, "第%zu支部", i / 10 + 1);
    rcell_ref(&c[2], s->name);
    c[0] = (rcell){.text = "", .num = (double)(i + 1), .type = CELL_INT};
    double m1 = i == 0 ? 50 : 150, m2 = 600;
    snprintf(s->money[0], sizeof s->money[0], "%.2f", m1);
    snprintf(s->money[1], sizeof s->money[1], "%.2f", m2);
    snprintf(s->money[2], sizeof s->money[2], "%.2f", m1 + m2);
    c[3] = (rcell){.text = s->money[0], .num = m1, .type = CELL_MONEY, .emph = i == 0 ? EMPH_FINDING : EMPH_NONE};
    c[4] = (rcell){.text = s->money[1], .num = m2, .type = CELL_MONEY, .emph = EMPH_FINDING};
    c[5] = (rcell){.text = s->money[2], .num = m1 + m2, .type = CELL_MONEY, .calc = RCALC_SUM_LEFT};
    return 0;
}

static const char *const fix_choices[] = {"未整改", "整改中", "已整改", "无需整改"};
static const char *const kind_choices[] = {"甲,乙", "丙"};

static rdoc *craft_doc(dues_src *src, const char *font)
{
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "台账");
    d->date = rdoc_strdup(d, "2022-12-31");
    d->workbook_font = font;
    rsection *s = rdoc_add_section(d, "台账");
    rtable *t = rsec_add_table(d, s, 9);
    const char *titles[] = {"序号", "姓名", "支部", "1月", "2月", "合计", "整改情况", "类别", "责任人"};
    for (int i = 0; i < 9; i++) rtable_col(d, t, i, titles[i], 1, i >= 3 && i <= 5 ? ALIGN_RIGHT : ALIGN_LEFT);
    t->freeze_cols = 3;
    t->cols[5].sum_left = 2;
    t->cols[6].choices = fix_choices;
    t->cols[6].nchoices = 4;
    t->cols[7].choices = kind_choices; /* a comma: no inline list, the hidden sheet */
    t->cols[7].nchoices = 2;
    t->cols[8].fill_width = 16;
    rtable_add_mark(d, t, 3, RMARK_BELOW, RTONE_BAD)->value = 100;
    rtable_add_mark(d, t, 4, RMARK_ABOVE, RTONE_WARN)->value = 500;
    rtable_add_mark(d, t, 5, RMARK_AT_MOST, RTONE_BAD)->value = 0;
    rtable_add_mark(d, t, 3, RMARK_BELOW_COL, RTONE_WARN)->col = 4;
    rmark *m = rtable_add_mark(d, t, 1, RMARK_TEXT_IS, RTONE_GOOD);
    rmark_add_text(d, m, "张三");
    rmark_add_text(d, m, "李\"四");
    rtable_set_source(t, src->n + 1, dues_rows, src);
    return d;
}

TEST(xlsx_render_row_source)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/台账.xlsx", dir);
    dues_src src = {.n = 25};
    rdoc *d = craft_doc(&src, "宋体");
    int rc = xlsx_render(d, path, err, sizeof err);
    if (rc) fprintf(stderr, "  %s\n", err);
    CHECK_INT(rc, 0);
    CHECK(src.calls == 2 * (src.n + 1)); /* rows made on demand: a width pass and a write pass */
    rdoc_free(d);

    char *f = xlsx_read(path, "--flat", NULL);
    CHECK(f != NULL);
    if (f) {
        CHECK_LINE(f, "sheetnames=台账");
        CHECK_LINE(f, "hidden=下拉选项");
        CHECK_LINE(f, "font=宋体");
        CHECK_LINE(f, "sheet.台账.freeze=D2");           /* header row and 3 columns */
        CHECK_LINE(f, "sheet.台账.autofilter=A1:I26");   /* the data rows, not the total row */
        /* dropdowns: the inline list Excel writes, or a range of the hidden sheet */
        CHECK_LINE(f, "sheet.台账.validations=G2:G26|list|\"未整改,整改中,已整改,无需整改\"");
        CHECK_LINE(f, "sheet.台账.validations=H2:H26|list|'下拉选项'!$A$1:$A$2");
        /* marks: one column each, over the data rows, from the range's first cell */
        CHECK_LINE(f, "sheet.台账.conditional_formats=D2:D26|AND(ISNUMBER(D2),D2<100)|FFFFC7CE");
        CHECK_LINE(f, "sheet.台账.conditional_formats=D2:D26|AND(ISNUMBER(D2),ISNUMBER(E2),D2<E2)|FFFFEB9C");
        CHECK_LINE(f, "sheet.台账.conditional_formats=E2:E26|AND(ISNUMBER(E2),E2>500)|FFFFEB9C");
        CHECK_LINE(f, "sheet.台账.conditional_formats=F2:F26|AND(ISNUMBER(F2),F2<=0)|FFFFC7CE");
        CHECK_LINE(f, "sheet.台账.conditional_formats=B2:B26|OR(B2=\"张三\",B2=\"李\"\"四\")|FFC6EFCE");
        /* hand-filled: wide enough for the longest choice and the button; 责任人 16 */
        CHECK_LINE(f, "sheet.台账.col_widths.G=12.71");
        CHECK_LINE(f, "sheet.台账.col_widths.I=16.71");
        free(f);
    }
    char *cell;
    /* a member's total: =SUM of the two months, cached; the total row: =SUM above */
    CHECK((cell = xlsx_read(path, "--cell", "台账", "F2", NULL)) && has_line(cell, "f\t0.00\t=SUM(D2:E2)\t0\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "台账", "D27", NULL)) && has_line(cell, "f\t0.00\t=SUM(D2:D26)\t1\t"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--cell", "台账", "A27", NULL)) && has_line(cell, "s\tGeneral\t合计\t1\t"));
    free(cell);
    /* a finding in a column with marks: no fixed fill (the mark decides); elsewhere it stays */
    CHECK((cell = xlsx_read(path, "--cell", "台账", "D2", NULL)) && has_line(cell, "n\t0.00\t50\t0\t"));
    free(cell);
    char *vals = xlsx_read(path, "--values", "台账", NULL);
    CHECK(vals && has_line(vals, "1,张三,第1支部,50,600,650,,,"));
    CHECK(vals && has_line(vals, "合计,,,3650,15000,18650,,,")); /* the cached values */
    free(vals);
    char *list = xlsx_read(path, "--csv", "下拉选项", NULL);
    CHECK(list && has_line(list, "\"甲,乙\"") && has_line(list, "丙"));
    free(list);
    char *cells = xlsx_read(path, "--cells", "台账", NULL);
    CHECK(cells && strstr(cells, "\"font\": \"宋体\"") && !strstr(cells, "Calibri"));
    free(cells);
    /* a blank hand-filled cell wraps what is typed; a blank elsewhere does not */
    CHECK((cell = xlsx_read(path, "--attr", "台账", "I2", NULL)) && strstr(cell, "\"wrap\": true"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--attr", "台账", "G2", NULL)) && strstr(cell, "\"wrap\": true"));
    free(cell);
    CHECK((cell = xlsx_read(path, "--attr", "台账", "C2", NULL)) && strstr(cell, "\"wrap\": false"));
    free(cell);

    /* split over sheets: the total's =SUM takes every sheet's rows */
    dues_src src2 = {.n = 25};
    d = craft_doc(&src2, NULL);
    setenv("ZHIBU_XLSX_MAX_ROWS", "10", 1);
    rc = xlsx_render(d, path, err, sizeof err);
    unsetenv("ZHIBU_XLSX_MAX_ROWS");
    CHECK_INT(rc, 0);
    rdoc_free(d);
    f = xlsx_read(path, "--flat", NULL);
    CHECK(f && has_line(f, "sheetnames=台账|台账 (2)|台账 (3)"));
    CHECK(f && has_line(f, "font=等线"));
    CHECK(f && has_line(f, "sheet.台账 (3).validations=G2:G8|list|\"未整改,整改中,已整改,无需整改\""));
    CHECK(f && has_line(f, "sheet.台账 (2).validations=H2:H10|list|'下拉选项'!$A$1:$A$2"));
    CHECK(f && has_line(f, "sheet.台账 (3).autofilter=A1:I8"));
    free(f);
    CHECK((cell = xlsx_read(path, "--cell", "台账 (3)", "D9", NULL)) &&
          has_line(cell, "f\t0.00\t=SUM('台账'!D2:D10,'台账 (2)'!D2:D10,D2:D8)\t1\t"));
    free(cell);
    remove_tree(dir);
    free(dir);
}

/* Peak RSS (KB) of a child that renders a table of n rows, from a row source or held. */
static long render_rss(size_t n, int held)
{
    pid_t pid = fork();
    if (pid == 0) {
        char *dir = make_tmpdir();
        char path[4096], err[256];
        snprintf(path, sizeof path, "%s/m.xlsx", dir ? dir : "/tmp");
        dues_src src = {.n = n};
        rdoc *d = craft_doc(&src, NULL);
        if (held) { /* the same rows, held */
            rtable *t = d->sections[0].blocks[0].table;
            rcell buf[9];
            size_t rows = t->nrows;
            t->source = NULL;
            t->nrows = 0;
            for (size_t i = 0; i < rows; i++) {
                rcells_clear(buf, 9);
                dues_rows(&src, i, buf);
                rcell *r = rtable_add_row(d, t);
                for (int k = 0; k < 9; k++) {
                    r[k] = buf[k];
                    r[k].text = rdoc_strdup(d, buf[k].text);
                }
            }
        }
        int rc = xlsx_render(d, path, err, sizeof err);
        rdoc_free(d);
        if (dir) { remove_tree(dir); free(dir); }
        _exit(rc ? 1 : 0);
    }
    int st;
    struct rusage ru;
    if (pid < 0 || wait4(pid, &st, 0, &ru) != pid || !WIFEXITED(st) || WEXITSTATUS(st) != 0) return -1;
    return ru.ru_maxrss;
}

TEST(xlsx_render_row_source_memory)
{
#if defined(__SANITIZE_ADDRESS__)
    /* ASan keeps freed memory in quarantine: RSS says nothing there (the plain build measures) */
    CHECK(render_rss(2000, 0) > 0);
#else
    long small = render_rss(10000, 0), big = render_rss(100000, 0);
    long held_small = render_rss(10000, 1), held_big = render_rss(100000, 1);
    CHECK(small > 0 && big > 0 && held_small > 0 && held_big > 0);
    /* 90,000 more rows: a streamed table stays within 4 MB, a held one grows by
       its cells (9 × 24 bytes a row) and texts — so the measure tells them apart */
    CHECK(big - small < 4096);
    CHECK(held_big - held_small > 20000);
    fprintf(stderr, "  peak RSS KB, 10,000 → 100,000 rows: streamed %ld → %ld, held %ld → %ld\n", small, big,
            held_small, held_big);
#endif
}

/* Print: a sheet too wide for a page at a legible size gets an explicit
   scale (never below 75 %), across pages with its frozen columns on each;
   its text columns first give up width down to their minimum. */
TEST(xlsx_render_print_wide)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/wide.xlsx", dir);
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "宽表");
    d->date = rdoc_strdup(d, "2022-12-31");
    rsection *s = rdoc_add_section(d, "宽表");
    rtable *t = rsec_add_table(d, s, 30);
    rsection *s2 = rdoc_add_section(d, "窄表");
    rtable *t2 = rsec_add_table(d, s2, 4);
    for (int c = 0; c < 30; c++) {
        char h[32];
        snprintf(h, sizeof h, "%d月", c + 1);
        rtable_col(d, t, c, c == 0 ? "支部" : c == 1 ? "说明" : h, 1, ALIGN_LEFT);
        if (c < 4) rtable_col(d, t2, c, c == 1 ? "说明" : h, 1, ALIGN_LEFT);
    }
    t->freeze_cols = 2;
    for (int r = 0; r < 3; r++) {
        rcell *row = rtable_add_row(d, t), *row2 = rtable_add_row(d, t2);
        rcell_text(d, &row[0], "数学与统计学院教工党支部");
        rcell_text(d, &row[1], "学习党的二十大精神，重温入党誓词，交纳党费，讲授微党课，开展集中学习讨论");
        rcell_text(d, &row2[1], "学习党的二十大精神，重温入党誓词，交纳党费，讲授微党课，开展集中学习讨论");
        for (int c = 2; c < 30; c++) rcell_money(d, &row[c], 1234567);
    }
    CHECK_INT(xlsx_render(d, path, err, sizeof err), 0);
    rdoc_free(d);
    char *f = xlsx_read(path, "--flat", NULL);
    CHECK(f != NULL);
    if (f) {
        CHECK_LINE(f, "sheet.宽表.print.fit_to_page=0");
        CHECK_LINE(f, "sheet.宽表.print.scale=75");
        CHECK_LINE(f, "sheet.宽表.print.title_cols=$A:$B");
        CHECK_LINE(f, "sheet.宽表.print.page_order=overThenDown");
        CHECK_LINE(f, "sheet.宽表.freeze=C2");
        /* the long text narrowed to its minimum (4 CJK + margin), the money whole */
        CHECK_LINE(f, "sheet.宽表.col_widths.B=8.71");
        CHECK_LINE(f, "sheet.宽表.col_widths.C=9.71"); /* "12345.67" + 1 */
        /* a narrow sheet keeps its natural widths and is fitted to the page */
        CHECK_LINE(f, "sheet.窄表.print.fit_to_page=1");
        CHECK_LINE(f, "sheet.窄表.col_widths.B=60.71");
        free(f);
    }
    remove_tree(dir);
    free(dir);
}

/* A dropdown longer than 255 bytes (libxlsxwriter 1.1.4 would overflow its
   heap building it inline) names a range of the hidden sheet; two columns
   with the same list share it.  Clean under ASan. */
TEST(xlsx_render_long_list)
{
    char *dir = make_tmpdir();
    CHECK(dir != NULL);
    if (!dir) return;
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/list.xlsx", dir);
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "选项");
    rsection *s = rdoc_add_section(d, "名单");
    rtable *t = rsec_add_table(d, s, 3);
    const char **many = rdoc_alloc(d, sizeof *many * 40);
    for (int i = 0; i < 40; i++) many[i] = rdoc_printf(d, "第%d号选项", i + 1);
    static const char *const few[] = {"是", "否"};
    for (int c = 0; c < 3; c++) {
        rtable_col(d, t, c, c == 2 ? "是否" : "责任人", 1, ALIGN_LEFT);
        t->cols[c].choices = c == 2 ? few : many;
        t->cols[c].nchoices = c == 2 ? 2 : 40;
    }
    for (int r = 0; r < 3; r++) rtable_add_row(d, t);
    CHECK_INT(xlsx_render(d, path, err, sizeof err), 0);
    rdoc_free(d);
    char *f = xlsx_read(path, "--flat", NULL);
    CHECK(f && has_line(f, "sheetnames=名单") && has_line(f, "hidden=下拉选项"));
    CHECK(f && has_line(f, "sheet.名单.validations=A2:A4|list|'下拉选项'!$A$1:$A$40"));
    CHECK(f && has_line(f, "sheet.名单.validations=B2:B4|list|'下拉选项'!$A$1:$A$40"));
    CHECK(f && has_line(f, "sheet.名单.validations=C2:C4|list|\"是,否\""));
    free(f);
    char *list = xlsx_read(path, "--csv", "下拉选项", NULL);
    CHECK(list && has_line(list, "第1号选项") && has_line(list, "第40号选项") && !strstr(list, "是"));
    free(list);
    remove_tree(dir);
    free(dir);
}
