/*
 * test_pdf.c — the PDF renderer: line breaking rules, and a realistic
 * monthly branch report rendered into a temporary directory (exists, within
 * the size budget, byte-identical on rerun, text extractable, fonts embedded
 * as subsets).  The poppler/qpdf checks are skipped when the tools are absent.
 */
#include "check.h"
#include "render/pdf/render_pdf.h"
#include "render/pdf/text_wrap.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* --- text_wrap: every character one unit wide ----------------------------- */

static double unit_width(void *ud, const char *s, size_t len)
{
    (void)ud;
    double w = 0;
    for (size_t i = 0; i < len;) {
        uint32_t cp = tw_utf8_next(s, len, &i);
        w += cp < 0x80 ? 0.5 : 1.0;  /* Latin half width, CJK full width */
    }
    return w;
}

/* Wrap text at `width` (`first` for the first line) with the line breaker's
   flags and return the lines joined by '|' (static buffer). */
static const char *wrapped_flags(const char *text, double first, double width, int flags)
{
    static char out[4096];
    char err[128];
    tw_breaker *b = tw_breaker_new(err, sizeof err);
    tw_lines l = {0};
    out[0] = 0;
    if (b && tw_wrap_ex(b, text, strlen(text), first, width, flags, unit_width, NULL, &l) == 0)
        for (size_t i = 0; i < l.n; i++) {
            if (i) strcat(out, "|");
            strncat(out, text + l.v[i].start, l.v[i].len);
        }
    tw_lines_free(&l);
    tw_breaker_free(b);
    return out;
}

/* Prose rules. */
static const char *wrapped(const char *text, double first, double width)
{
    return wrapped_flags(text, first, width, 0);
}

/* The same with table cells' rules (TW_KEEP_WORDS). */
static const char *wrapped_keep(const char *text, double width)
{
    return wrapped_flags(text, width, width, TW_KEEP_WORDS);
}

/* The widest piece a cell may not break (tw_extent with TW_KEEP_WORDS). */
static double atom_of(const char *text)
{
    char err[128];
    double atom = -1, nat = -1;
    tw_breaker *b = tw_breaker_new(err, sizeof err);
    if (b && tw_extent(b, text, strlen(text), TW_KEEP_WORDS, unit_width, NULL, &atom, &nat) != 0) atom = -1;
    tw_breaker_free(b);
    return atom;
}

/* Table cells keep numbers with their units, dates, short terms whole and
   no character of a longer word alone on a line; running text does not. */
TEST(pdf_wrap_keeps_words_in_cells)
{
    /* a number and its unit */
    CHECK_STR(wrapped("应交135元", 4, 4), "应交135|元");
    CHECK_STR(wrapped_keep("应交135元", 4), "应交|135元");
    CHECK_STR(wrapped("合计共2.5小时", 5, 5), "合计共2.5|小时");
    CHECK_STR(wrapped_keep("合计共2.5小时", 5), "合计共|2.5小时");  /* not 共 alone either */
    CHECK_STR(wrapped_keep("时长2.5小时以上", 5), "时长|2.5小时|以上");
    /* a date, then the words after it */
    CHECK_STR(wrapped_keep("2022年9月13日主题党日", 7), "2022年9月13日|主题党日");
    /* no character of a longer run alone */
    CHECK_STR(wrapped("本月无确认的服务", 7, 7), "本月无确认的服|务");
    CHECK_STR(wrapped_keep("本月无确认的服务", 7), "本月无确认的|服务");
    /* a header of short terms breaks between them */
    CHECK_STR(wrapped_keep("签到（出席/请假/缺席）", 4), "签到|（出席/|请假/|缺席）");
    /* a date range breaks at 至, after it */
    CHECK_STR(wrapped_keep("病休（2022-07-11至2022-09-30）", 8), "病休|（2022-07-11至|2022-09-30）");
    /* the pieces a column must hold */
    CHECK(atom_of("紫荆花园社区") == 6);          /* a short term whole */
    CHECK(atom_of("中小学教师") == 5);
    CHECK(atom_of("本月无确认的服务及其情况说明") == 3); /* a long run: three characters a line */
    CHECK(atom_of("病休（2022-07-11至2022-09-30）") == 7);
    CHECK(atom_of("9月26日主题党日") == 4);      /* 9月26日 (3.5) | 主题党日 (4) */
    /* the bound without the line breaker is never below the pieces */
    static const char *const texts[] = {
        "紫荆花园社区", "本月无确认的服务及其情况说明", "病休（2022-07-11至2022-09-30）", "9月26日主题党日",
        "无问题；97.8分同分53人计入将超过优秀名额90人（已评52人），按规定均不评为优秀。得分95.6（出勤16/18，足额按时交费12/12月）",
        "dues.csv 第138行：month：警告：QZ0112 2022-05的党费重复交纳（另见第137行），金额合计计算", "1/2\n假1", "合计共2.5小时"};
    for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
        double bound = tw_atom_bound(texts[k], strlen(texts[k]), 1e9, unit_width, NULL);
        if (!(bound >= atom_of(texts[k]))) fprintf(stderr, "  %s: bound %.1f < atom %.1f\n", texts[k], bound, atom_of(texts[k]));
        CHECK(bound >= atom_of(texts[k]));
    }
}

TEST(pdf_wrap_basic)
{
    CHECK_STR(wrapped("一二三四五六", 3, 3), "一二三|四五六");
    CHECK_STR(wrapped("一二三四五六", 2, 4), "一二|三四五六");
    CHECK_STR(wrapped("", 3, 3), "");
    CHECK_STR(wrapped("一二\n三", 10, 10), "一二|三");
    CHECK_STR(wrapped("hello world again", 5, 5), "hello|world|again");
}

TEST(pdf_wrap_closing_punctuation_never_starts_a_line)
{
    /* the comma would start line two: 三 goes down with it */
    CHECK_STR(wrapped("一二三，四五六", 3, 3), "一二|三，四|五六");
    CHECK_STR(wrapped("一二三。」四五", 3, 3), "一二|三。」|四五");
    CHECK_STR(wrapped("甲乙丙）丁", 3, 3), "甲乙|丙）丁");
}

TEST(pdf_wrap_opening_punctuation_never_ends_a_line)
{
    CHECK_STR(wrapped("一二（三四", 3, 3), "一二|（三四");
    CHECK_STR(wrapped("一二《三》四", 3, 3), "一二|《三》|四");
}

TEST(pdf_wrap_unbreakable_run_cut_per_character)
{
    /* digits are one unbreakable run: cut per character */
    CHECK_STR(wrapped("12345678", 2, 2), "1234|5678");
    /* a run with closing punctuation at the cut still obeys the rules */
    CHECK_STR(wrapped("aaaaa.", 2.5, 2.5), "aaaa|a.");
}

/* Wrapping is linear in the text: a 10 MB run with no break opportunity
   (an export's "xxxx…") and 10 MB of Chinese both wrap, every line full. */
TEST(pdf_wrap_10_mb)
{
    size_t n = 10u << 20;
    char *t = malloc(n + 1), err[128];
    if (!t) abort();
    memset(t, 'x', n);
    t[n] = 0;
    tw_breaker *b = tw_breaker_new(err, sizeof err);
    tw_lines l = {0};
    CHECK(b && tw_wrap(b, t, n, 40, 40, unit_width, NULL, &l) == 0);
    CHECK_INT((long)l.n, (long)(n / 80));  /* 80 half-width characters a line */
    CHECK(l.n && l.v[l.n - 1].start + l.v[l.n - 1].len == n);
    static const char u[] = "学习贯彻党的二十大精神，";  /* 12 characters */
    size_t m = n - n % 36;
    for (size_t i = 0; i < m; i++) t[i] = u[i % 36];
    l.n = 0;
    CHECK(tw_wrap(b, t, m, 30, 30, unit_width, NULL, &l) == 0);
    CHECK_INT((long)l.n, (long)((m / 3 + 29) / 30));
    tw_lines_free(&l);
    tw_breaker_free(b);
    free(t);
}

TEST(pdf_wrap_classes)
{
    const char *closing = "，。、；：？！）」》』】…";
    for (size_t i = 0; closing[i];) CHECK(tw_no_line_start(tw_utf8_next(closing, strlen(closing), &i)));
    const char *opening = "（《「『【“";
    for (size_t i = 0; opening[i];) CHECK(tw_no_line_end(tw_utf8_next(opening, strlen(opening), &i)));
    CHECK(!tw_no_line_start(0x4E00));
    CHECK(!tw_no_line_end(0x4E00));
}

/* --- a monthly branch report ---------------------------------------------- */

static const char *const PARA =
    "2022年9月，数学学院第一党支部按照院党委的统一部署，以“喜迎二十大、奋进新征程”为主题，"
    "组织开展了主题党日活动。活动分为集中学习、专题研讨和志愿服务三个环节：集中学习环节，支部书记"
    "带领全体党员学习了《中国共产党章程》及习近平总书记在庆祝中国共产党成立100周年大会上的重要讲话"
    "精神；专题研讨环节，党员们结合教学科研工作实际，围绕“如何在本职岗位上践行初心使命”展开讨论"
    "（共12人发言）；志愿服务环节，师生党员走进社区，开展了数学趣味课堂和义务辅导等活动，受到居民"
    "的一致好评。";

static void member_row(rdoc *d, rtable *t, int i)
{
    static const char *const sur[] = {"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "欧阳"};
    static const char *const giv[] = {"建国", "晓燕", "子涵", "明", "丽娟", "志强", "思远", "雨桐", "浩然", "静"};
    static const char *const kind[] = {"正式党员", "正式党员", "预备党员", "正式党员"};
    rcell *r = rtable_add_row(d, t);
    rcell_int(d, &r[0], i + 1);
    rcell_text(d, &r[1], rdoc_printf(d, "%s%s", sur[i % 11], giv[(i * 7) % 10]));
    rcell_text(d, &r[2], kind[i % 4]);
    rcell_date(d, &r[3], 20000101 + (i % 20) * 10000 + (i % 12) * 100 + i % 28);
    int absent = i % 17 == 5;
    rcell_text(d, &r[4], absent ? "缺席" : "出席");
    if (absent) r[4].emph = EMPH_FINDING;
    rcell_money(d, &r[5], 2000 + (i * 37) % 5000);
    if (i % 29 == 3) {
        rcell_text(d, &r[6], "连续三个月未按时交纳党费，已由支部书记谈话提醒，要求于下月主题党日前补交（含9月）。");
        r[6].emph = EMPH_FINDING;
    } else if (i % 10 == 0) {
        rcell_text(d, &r[6], "请假（外出参加学术会议），已补学");
    }
}

static rdoc *demo_report(void)
{
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "中共某某师范学院委员会 数学学院第一党支部 2022年9月主题党日及党员管理情况报告");
    d->author = rdoc_strdup(d, "中共某某师范学院委员会");
    d->subject = rdoc_strdup(d, "2022年9月主题党日及党员管理情况");
    d->date = rdoc_strdup(d, "2022-09-30");
    d->footer = rdoc_strdup(d, "数学学院第一党支部");
    rsection *s = rdoc_add_section(d, NULL);
    rkv *kv = rsec_add_kv(d, s);
    rkv_add(d, kv, "党支部", "数学学院第一党支部");
    rkv_add(d, kv, "报告期", "2022年9月");
    rkv_add(d, kv, "支部书记", "王建国");
    rkv_add(d, kv, "党员人数", "300人");
    rsec_add_heading(d, s, 1, "一、主题党日开展情况");
    rsec_add_paragraph(d, s, PARA);
    rsec_add_heading(d, s, 2, "（一）党员出勤及党费交纳情况");
    rtable *t = rsec_add_table(d, s, 7);
    t->caption = rdoc_strdup(d, "表1  党员出勤及党费交纳情况");
    rtable_col(d, t, 0, "序号", 0.6, ALIGN_CENTER);
    rtable_col(d, t, 1, "姓名", 1.0, ALIGN_CENTER);
    rtable_col(d, t, 2, "类别", 1.1, ALIGN_CENTER);
    rtable_col(d, t, 3, "入党时间", 1.3, ALIGN_CENTER);
    rtable_col(d, t, 4, "9月主题党日", 1.0, ALIGN_CENTER);
    rtable_col(d, t, 5, "党费（元）", 1.0, ALIGN_RIGHT);
    rtable_col(d, t, 6, "备注", 2.6, ALIGN_LEFT);
    for (int i = 0; i < 300; i++) member_row(d, t, i);
    rcell *tot = rtable_add_row(d, t);
    rcell_text(d, &tot[1], "合计");
    rcell_money(d, &tot[5], 1234567);
    tot[1].emph = tot[5].emph = EMPH_STRONG;
    rsec_add_heading(d, s, 1, "二、近九个月主题党日出勤情况");
    rchart *ch = rsec_add_chart(d, s, CHART_BAR, "2022年1—9月主题党日出勤率", 9, 2);
    ch->percent = 1;
    ch->y_max = 1.0;
    ch->series[0].name = rdoc_strdup(d, "出勤率");
    ch->series[1].name = rdoc_strdup(d, "党费按时交纳率");
    for (int m = 0; m < 9; m++) {
        ch->cats[m] = rdoc_printf(d, "%d月", m + 1);
        ch->series[0].values[m] = 0.78 + 0.02 * (m % 5);
        ch->series[1].values[m] = 0.9 + 0.01 * (m % 4);
    }
    rsec_add_paragraph(d, s, "本月出勤率较上月有所提高，缺席党员均已按要求补学。");
    rsignature *sig = rsec_add_signature(d, s);
    rsig_add(d, sig, "支部书记（签字）：＿＿＿＿＿＿");
    rsig_add(d, sig, "年　月　日");
    return d;
}

/* A landscape section with a line chart, an empty table and odd characters. */
static rdoc *odd_report(void)
{
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "半年党员考勤汇总");
    d->subtitle = rdoc_strdup(d, "（2022年下半年）");
    d->date = rdoc_strdup(d, "2022-12-31");
    rsection *s = rdoc_add_section(d, NULL);
    rsec_add_paragraph(d, s, "扩展区字符\xF0\xA0\x80\x80（U+20000）与控制字符\x01以及无效字节\xFF都不应使渲染失败；拼音lǜ、nǚ的字形须完整。");
    rsection *w = rdoc_add_section(d, NULL);
    w->landscape = 1;
    rtable *t = rsec_add_table(d, w, 8);
    t->caption = rdoc_strdup(d, "表2  无数据的表");
    for (int i = 0; i < 8; i++) rtable_col(d, t, i, rdoc_printf(d, "%d月", i + 7), 1, ALIGN_CENTER);
    t->empty_text = rdoc_strdup(d, "无");
    rchart *ch = rsec_add_chart(d, w, CHART_LINE, "党费交纳金额", 6, 3);
    ch->y_title = rdoc_strdup(d, "元");
    for (int m = 0; m < 6; m++) {
        ch->cats[m] = rdoc_printf(d, "%d月", m + 7);
        for (int k = 0; k < 3; k++) {
            ch->series[k].name = rdoc_printf(d, "第%d党支部", k + 1);
            ch->series[k].values[m] = 300 + 40 * k + 25 * m;
        }
    }
    rsection *p = rdoc_add_section(d, NULL);
    rsec_add_heading(d, p, 3, "1. 回到纵向页面");
    return d;
}

static const char *const FALLBACK[] = {"BabelStone Han", "HanaMinA", "HanaMinB"};

static pdf_ctx *default_ctx(void)
{
    pdf_font_names names = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN", FALLBACK, 3, "Liberation Serif"};
    char err[256];
    pdf_ctx *c = pdf_ctx_new(&names, err, sizeof err);
    if (!c) fprintf(stderr, "  %s\n", err);
    return c;
}

static long file_size(const char *path)
{
    struct stat st;
    return stat(path, &st) == 0 ? (long)st.st_size : -1;
}

static int same_file(const char *a, const char *b)
{
    FILE *fa = fopen(a, "rb"), *fb = fopen(b, "rb");
    int same = fa && fb;
    while (same) {
        int ca = getc(fa), cb = getc(fb);
        if (ca != cb) same = 0;
        if (ca == EOF || cb == EOF) break;
    }
    if (fa) fclose(fa);
    if (fb) fclose(fb);
    return same;
}

static int sh(const char *fmt, const char *a, const char *b)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, fmt, a, b);
    return system(cmd);
}

static int have_tool(const char *name) { return sh("command -v %s >/dev/null 2>&1%s", name, "") == 0; }

/* poppler reads the text layer without a word on stderr, and every embedded
   font has a bfchar ToUnicode map and a CIDToGIDMap of at most 4 KB
   (tests/tools/pdf_fonts.py; skipped without the tools). */
static int text_layer_clean(const char *pdf)
{
    if (!have_tool("pdftotext") || !have_tool("qpdf")) return 1;
    char err[160];
    snprintf(err, sizeof err, "%s.err", pdf);
    return sh("pdftotext %s /dev/null 2>%s", pdf, err) == 0 && file_size(err) == 0 &&
           sh("python3 tests/tools/pdf_fonts.py check %s >/dev/null%s", pdf, "") == 0;
}

/* Distinct characters of pdftotext's output (the size budget counts them). */
static long distinct_chars(const char *txt)
{
    static unsigned char seen[0x110000 / 8];
    memset(seen, 0, sizeof seen);
    FILE *f = fopen(txt, "rb");
    if (!f) return -1;
    char buf[1 << 16];
    size_t n = fread(buf, 1, sizeof buf - 1, f);
    fclose(f);
    long count = 0;
    for (size_t i = 0; i < n;) {
        uint32_t cp = tw_utf8_next(buf, n, &i);
        if (cp > ' ' && !(seen[cp / 8] & 1 << cp % 8)) { seen[cp / 8] |= 1 << cp % 8; count++; }
    }
    return count;
}

TEST(pdf_render_monthly_report)
{
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c) return;
    char dir[] = "/tmp/zhibu-pdf-XXXXXX", a[128], b[128], txt[128];
    CHECK(mkdtemp(dir) != NULL);
    snprintf(a, sizeof a, "%s/a.pdf", dir);
    snprintf(b, sizeof b, "%s/b.pdf", dir);
    snprintf(txt, sizeof txt, "%s/a.txt", dir);
    rdoc *d = demo_report();
    char err[256] = "";
    CHECK_INT(pdf_render(c, d, a, err, sizeof err), 0);
    CHECK_INT(pdf_render(c, d, b, err, sizeof err), 0);
    CHECK(file_size(a) > 0);
    CHECK(same_file(a, b));
    if (have_tool("pdftotext") && have_tool("pdfinfo")) {
        CHECK(sh("pdftotext -enc UTF-8 %s %s 2>/dev/null", a, txt) == 0);
        CHECK(sh("grep -q '数学学院第一党支部' %s%s", txt, "") == 0);
        CHECK(sh("grep -q '支部书记（签字）' %s%s", txt, "") == 0);
        CHECK(sh("grep -q '— 3 —' %s%s", txt, "") == 0);
        /* header row repeated on the continuation pages */
        CHECK(sh("test $(grep -c '入党时间' %s) -ge 5%s", txt, "") == 0);
        char cmd[256];
        snprintf(cmd, sizeof cmd, "pdfinfo %s 2>/dev/null | awk '/^Pages:/{print $2}'", a);
        FILE *p = popen(cmd, "r");
        int pages = 0;
        CHECK(p && fscanf(p, "%d", &pages) == 1);
        if (p) pclose(p);
        long budget = 20000L * pages + 600L * distinct_chars(txt);
        fprintf(stderr, "  monthly report: %d pages, %ld bytes (budget %ld)\n", pages, file_size(a), budget);
        CHECK(pages >= 5);
        CHECK(file_size(a) <= budget);
    }
    if (have_tool("pdffonts")) /* every font embedded and subset ("yes yes") */
        CHECK(sh("pdffonts %s 2>/dev/null | tail -n +3 | grep -v ' yes yes ' | grep -q .%s", a, "") != 0);
    if (have_tool("qpdf")) CHECK(sh("qpdf --check %s >/dev/null%s", a, "") == 0);
    CHECK(text_layer_clean(a));
    rdoc_free(d);

    d = odd_report();
    CHECK_INT(pdf_render(c, d, a, err, sizeof err), 0);
    if (*err) fprintf(stderr, "  %s\n", err);
    if (have_tool("pdfinfo")) /* portrait, landscape, portrait */
        CHECK(sh("pdfinfo -f 1 -l 3 %s 2>/dev/null | grep -c 'size: *841.89 x 595.276' | grep -qx 1%s", a, "") == 0);
    if (have_tool("pdftotext")) {
        CHECK(sh("pdftotext -enc UTF-8 %s %s 2>/dev/null", a, txt) == 0);
        /* above U+FFFF: drawn from a fallback face; a broken byte: 〓 */
        CHECK(sh("grep -q '扩展区字符𠀀（U+20000）' %s%s", txt, "") == 0);
        CHECK(sh("grep -q '无效字节〓都' %s%s", txt, "") == 0);
        CHECK(sh("grep -q 'lǜ、nǚ' %s%s", txt, "") == 0);
    }
    CHECK(text_layer_clean(a));
    rdoc_free(d);
    pdf_ctx_free(c);
    sh("rm -rf %s%s", dir, "");
}

/* A key/value header is one item a line unless the builder asks for pairs (a
   form's short fields): every report of a kind then looks the same whatever
   the length of its names. */
TEST(pdf_kv_pairs_only_when_asked)
{
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c || !have_tool("pdftotext")) { pdf_ctx_free(c); return; }
    char dir[] = "/tmp/zhibu-pdf-XXXXXX", a[128], txt[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(a, sizeof a, "%s/kv.pdf", dir);
    snprintf(txt, sizeof txt, "%s/kv.txt", dir);
    rdoc *d = rdoc_new();
    rsection *s = rdoc_add_section(d, NULL);
    rkv *kv = rsec_add_kv(d, s);
    rkv_add(d, kv, "月份", "2022年9月");
    rkv_add(d, kv, "主题党日", "1次");
    kv = rsec_add_kv(d, s);
    kv->pairs = 2;
    rkv_add(d, kv, "姓名", "白明伟");
    rkv_add(d, kv, "党员编号", "QZ0201");
    CHECK_INT(pdf_render(c, d, a, err, sizeof err), 0);
    CHECK(sh("pdftotext -layout -enc UTF-8 %s %s 2>/dev/null", a, txt) == 0);
    CHECK(sh("grep -q '月份.*2022年9月' %s%s", txt, "") == 0);
    CHECK(sh("grep '月份' %s | grep -q '主题党日'%s", txt, "") != 0); /* a line each */
    CHECK(sh("grep '姓名' %s | grep -q '党员编号'%s", txt, "") == 0);  /* a pair a line */
    rdoc_free(d);
    pdf_ctx_free(c);
    sh("rm -rf %s%s", dir, "");
}

/* Names whose characters AR PL UMing lacks come from the fallback faces and
   come back out of the text layer exactly; a character no face has is 〓. */
TEST(pdf_fallback_draws_rare_names)
{
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c) return;
    CHECK(pdf_ctx_covers(c, 0x20BB7));  /* 𠮷 */
    CHECK(pdf_ctx_covers(c, 0x3ECF));   /* 㻏 */
    CHECK(!pdf_ctx_covers(c, 0x2EBF0)); /* 𮯰 (Extension I): no face has it */
    static const char *const names[] = {"𠮷野家", "李𬸚", "王𫖯", "张𬌗鿏", "㐀㻏明", "赵𮯰"};
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "𠮷野家同志个人下沉社区情况报告表");
    d->date = rdoc_strdup(d, "2022-12-31");
    rsection *s = rdoc_add_section(d, NULL);
    rkv *kv = rsec_add_kv(d, s);
    rkv_add(d, kv, "姓名", names[0]);
    rtable *t = rsec_add_table(d, s, 2);
    rtable_col(d, t, 0, "序号", 1, ALIGN_CENTER);
    rtable_col(d, t, 1, "姓名", 3, ALIGN_LEFT);
    for (int i = 0; i < 6; i++) {
        rcell *r = rtable_add_row(d, t);
        rcell_int(d, &r[0], i + 1);
        rcell_text(d, &r[1], names[i]);
        if (i == 2) r[1].emph = EMPH_FINDING;  /* bold too */
    }
    char dir[] = "/tmp/zhibu-pdf-XXXXXX", pdf[128], txt[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(pdf, sizeof pdf, "%s/rare.pdf", dir);
    snprintf(txt, sizeof txt, "%s/rare.txt", dir);
    CHECK_INT(pdf_render(c, d, pdf, err, sizeof err), 0);
    if (have_tool("pdftotext")) {
        CHECK(sh("pdftotext -enc UTF-8 %s %s 2>/dev/null", pdf, txt) == 0);
        for (int i = 0; i < 5; i++) CHECK(sh("grep -qx '%s' %s", names[i], txt) == 0);
        CHECK(sh("grep -qx '赵〓' %s%s", txt, "") == 0);
        CHECK(sh("grep -q '^𠮷野家同志' %s%s", txt, "") == 0);
    }
    CHECK(text_layer_clean(pdf));
    if (have_tool("pdffonts")) /* the names' characters came from BabelStone Han */
        CHECK(sh("pdffonts %s 2>/dev/null | grep -q 'BabelStoneHan'%s", pdf, "") == 0);
    rdoc_free(d);
    pdf_ctx_free(c);
    sh("rm -rf %s%s", dir, "");

    /* without fallbacks the same characters are not covered */
    pdf_font_names bare = {"AR PL UMing CN", "WenQuanYi Zen Hei", "AR PL UKai CN", NULL, 0, NULL};
    c = pdf_ctx_new(&bare, err, sizeof err);
    CHECK(c != NULL);
    if (c) CHECK(!pdf_ctx_covers(c, 0x20BB7));
    pdf_ctx_free(c);
}

/* A face for Latin text cannot stand in for a Chinese one. */
TEST(pdf_wording_check_refuses_a_latin_face)
{
    const char *wording = "本支部年度考核结果，支部书记（签字）";
    pdf_ctx *c = default_ctx();
    char err[512] = "";
    CHECK(c && pdf_ctx_check_wording(c, wording, err, sizeof err) == 0);
    pdf_ctx_free(c);
    pdf_font_names latin = {"DejaVu Sans", "WenQuanYi Zen Hei", "AR PL UKai CN", FALLBACK, 3, "Liberation Serif"};
    c = pdf_ctx_new(&latin, err, sizeof err);
    CHECK(c != NULL);
    if (!c) return;
    err[0] = 0;
    CHECK_INT(pdf_ctx_check_wording(c, wording, err, sizeof err), -1);
    CHECK(strstr(err, "[fonts] song") != NULL);
    CHECK(strstr(err, "DejaVu Sans") != NULL);
    CHECK(strstr(err, "U+672C") != NULL);  /* 本, the first character */
    pdf_ctx_free(c);
}

/* A 10 MB text is cut at 2,000 characters with the document's note; the
   rest of the page goes on as usual. */
TEST(pdf_long_text_is_cut_with_a_note)
{
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c) return;
    size_t n = 10u << 20;
    char *big = malloc(n + 1);
    if (!big) abort();
    static const char unit[] = "学习贯彻党的二十大精神，";  /* 12 characters, 36 bytes */
    for (size_t i = 0; i < n; i++) big[i] = unit[i % (sizeof unit - 1)];
    big[n - n % (sizeof unit - 1)] = 0;
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "长文本");
    d->date = rdoc_strdup(d, "2022-09-30");
    d->cut_note = rdoc_strdup(d, "（以下从略，全文见工作簿）");
    rsection *s = rdoc_add_section(d, NULL);
    rtable *t = rsec_add_table(d, s, 2);
    rtable_col(d, t, 0, "主题", 3, ALIGN_LEFT);
    rtable_col(d, t, 1, "备注", 1, ALIGN_LEFT);
    rcell *r = rtable_add_row(d, t);
    rcell_ref(&r[0], big);
    rcell_text(d, &r[1], "末行");
    rsec_add_paragraph(d, s, big);
    rsec_add_paragraph(d, s, "正文照常继续。");
    char dir[] = "/tmp/zhibu-pdf-XXXXXX", pdf[128], txt[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(pdf, sizeof pdf, "%s/long.pdf", dir);
    snprintf(txt, sizeof txt, "%s/long.txt", dir);
    CHECK_INT(pdf_render(c, d, pdf, err, sizeof err), 0);
    if (have_tool("pdftotext")) {
        CHECK(sh("pdftotext -enc UTF-8 %s %s 2>/dev/null", pdf, txt) == 0);
        /* the cell and the paragraph each end with the note */
        CHECK(sh("test $(tr -d '\n' < %s | grep -o '以下从略，全文见工作簿' | wc -l) -eq 2%s", txt, "") == 0);
        CHECK(sh("grep -q '正文照常继续' %s%s", txt, "") == 0);
        /* 2,000 characters of each: about 2 × 167 repetitions of the unit */
        CHECK(sh("test $(tr -d '\n' < %s | grep -o '学习贯彻' | wc -l) -le 340%s", txt, "") == 0);
    }
    CHECK(text_layer_clean(pdf));
    rdoc_free(d);
    free(big);
    pdf_ctx_free(c);
    sh("rm -rf %s%s", dir, "");
}

/* Width of the word `w` in pdftotext's boxes of pdf, or -1. */
static double word_width(const char *pdf, const char *w)
{
    char cmd[512], line[1024], want[128];
    snprintf(cmd, sizeof cmd, "pdftotext -bbox %s - 2>/dev/null", pdf);
    snprintf(want, sizeof want, ">%s</word>", w);
    FILE *p = popen(cmd, "r");
    double width = -1, x0, y0, x1, y1;
    while (p && fgets(line, sizeof line, p))
        if (strstr(line, want) && sscanf(strstr(line, "xMin="), "xMin=\"%lf\" yMin=\"%lf\" xMax=\"%lf\" yMax=\"%lf\"",
                                         &x0, &y0, &x1, &y1) == 4)
            width = x1 - x0;
    if (p) pclose(p);
    return width;
}

/* Two full-width marks in a row lose a blank half square: （一）。丙 is
   half a character wider than （一）丙, not a whole one (14 pt text). */
TEST(pdf_punctuation_pairs_are_compressed)
{
    if (!have_tool("pdftotext")) return;
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c) return;
    rdoc *d = rdoc_new();
    d->date = rdoc_strdup(d, "2022-09-30");
    rsection *s = rdoc_add_section(d, NULL);
    rsec_add_paragraph(d, s, "（一）。丙 （一）丙");
    char dir[] = "/tmp/zhibu-pdf-XXXXXX", pdf[128], err[256] = "";
    CHECK(mkdtemp(dir) != NULL);
    snprintf(pdf, sizeof pdf, "%s/punct.pdf", dir);
    CHECK_INT(pdf_render(c, d, pdf, err, sizeof err), 0);
    double a = word_width(pdf, "（一）。丙"), b = word_width(pdf, "（一）丙");
    fprintf(stderr, "  （一）。丙 %.2f pt, （一）丙 %.2f pt\n", a, b);
    CHECK(a > 0 && b > 0);
    CHECK(a - b > 6 && a - b < 8);  /* 7 pt: half of 14 */
    rdoc_free(d);
    pdf_ctx_free(c);
    sh("rm -rf %s%s", dir, "");
}

TEST(pdf_missing_font_family_is_named)
{
    pdf_font_names names = {"AR PL UMing CN", "No Such Hei 42", "AR PL UKai CN", NULL, 0, NULL};
    char err[256] = "";
    pdf_ctx *c = pdf_ctx_new(&names, err, sizeof err);
    CHECK(c == NULL);
    CHECK(strstr(err, "No Such Hei 42") != NULL);
    CHECK(strstr(err, "[fonts] hei") != NULL);
    pdf_ctx_free(c);
}

TEST(pdf_unwritable_path_is_an_error)
{
    pdf_ctx *c = default_ctx();
    CHECK(c != NULL);
    if (!c) return;
    rdoc *d = rdoc_new();
    d->title = rdoc_strdup(d, "标题");
    char err[256] = "";
    CHECK_INT(pdf_render(c, d, "/nonexistent-dir/x.pdf", err, sizeof err), -1);
    CHECK(*err != 0);
    rdoc_free(d);
    pdf_ctx_free(c);
}
