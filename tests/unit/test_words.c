/*
 * test_words.c — the words and typography of the documents, checked over the
 * whole report model of every builder: no space between Chinese and a digit,
 * Chinese quotes around the data's ASCII ones in the printed documents (the
 * workbook keeps the data as written), no 2022-H2 where people read, no
 * "0名未达到", 依据 citing documents in 《》, a signature block on every
 * filed document, a sentence instead of a table without rows; and the
 * 数据问题 section (SPEC item 20): the problems of a branch's rows in its
 * documents, those of no branch in every document, none where nothing
 * concerns it.
 */
#include "check.h"
#include "doc_find.h"
#include "fixture.h"
#include "build/build_reports.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct {
    fixture fx;
    build_ctx b;
} words_run;

static void words_start(words_run *x, const fixture_files *files, run_period p)
{
    fixture_run_period(&x->fx, files, p);
    build_input in = {.ds = &x->fx.ds, .cfg = &x->fx.cfg, .fx = &x->fx.facts, .probs = &x->fx.probs, .templates_dir = "templates"};
    char err[512];
    if (build_init(&x->b, &in, err, sizeof err)) fprintf(stderr, "  %s\n", err);
}

static rdoc *words_build(words_run *x, const char *tmpl, rdoc *(*fn)(build_ctx *, int), int branch)
{
    char err[512];
    if (build_template(&x->b, "templates", tmpl, err, sizeof err)) fprintf(stderr, "  %s\n", err);
    return fn(&x->b, branch);
}

static rdoc *unit_of(build_ctx *b, int branch) { (void)branch; return build_annual_unit(b); }
static rdoc *workbook_of(build_ctx *b, int branch) { (void)branch; return build_workbook(b); }

static void words_end(words_run *x)
{
    build_free(&x->b);
    fixture_free(&x->fx);
}

/* ---- the rules of the text, one checker each ----------------------------------- */

static int cp_at(const char *s, int *len)
{
    const unsigned char *u = (const unsigned char *)s;
    if (u[0] < 0x80) return *len = 1, u[0];
    if (u[0] < 0xE0) return *len = 2, (u[0] & 0x1F) << 6 | (u[1] & 0x3F);
    if (u[0] < 0xF0) return *len = 3, (u[0] & 0x0F) << 12 | (u[1] & 0x3F) << 6 | (u[2] & 0x3F);
    return *len = 4, (u[0] & 0x07) << 18 | (u[1] & 0x3F) << 12 | (u[2] & 0x3F) << 6 | (u[3] & 0x3F);
}

static int is_cjk(int cp)
{
    return (cp >= 0x2E80 && cp <= 0x9FFF) || (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFF00 && cp <= 0xFFEF);
}

/* A space between a Chinese character and a digit ("14 名", "第 3 行"). */
static int cjk_digit_space(const char *s, void *ctx)
{
    (void)ctx;
    int prev = 0, len;
    for (const char *p = s; *p; p += len) {
        int cp = cp_at(p, &len);
        if (cp == ' ') {
            const char *q = p;
            while (*q == ' ') q++;
            int l2, next = *q ? cp_at(q, &l2) : 0;
            if ((is_cjk(prev) && next >= '0' && next <= '9') || (prev >= '0' && prev <= '9' && is_cjk(next))) {
                fprintf(stderr, "  space between Chinese and a digit: \"%s\"\n", s);
                return 1;
            }
        }
        prev = cp;
    }
    return 0;
}

/* An ASCII double quote in a text that holds Chinese. */
static int ascii_quote_in_chinese(const char *s, void *ctx)
{
    (void)ctx;
    int cjk = 0, len;
    for (const char *p = s; *p; p += len)
        if (is_cjk(cp_at(p, &len))) cjk = 1;
    if (cjk && strchr(s, '"')) {
        fprintf(stderr, "  ASCII quote in Chinese text: \"%s\"\n", s);
        return 1;
    }
    return 0;
}

/* The period's code (2022-H2) or a count of nobody said as a number. */
static int machine_words(const char *s, void *ctx)
{
    (void)ctx;
    static const char *const bad[] = {"-H1", "-H2", "0名未达到", "0名党员未达到", "共发现问题0条", "名额为0"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++)
        if (strstr(s, bad[i])) {
            fprintf(stderr, "  \"%s\" in \"%s\"\n", bad[i], s);
            return 1;
        }
    return 0;
}

static int contains(const char *s, void *ctx) { return strstr(s, (const char *)ctx) != NULL; }

/* The texts of d but those of the sheet `skip` (the workbook's 输入问题: the input's
   messages as the loader wrote them) and of the workbook's code columns (代码, and
   问题编号: the ledger's problem_id, which holds the period as findings.csv writes it). */
static int texts(const rdoc *d, const char *skip, int (*fn)(const char *, void *), void *ctx)
{
    rdoc v = *d;
    rsection *keep = calloc(d->nsections + 1, sizeof *keep);
    v.nsections = 0;
    for (size_t i = 0; i < d->nsections; i++)
        if (!skip || !d->sections[i].sheet_name || strcmp(d->sections[i].sheet_name, skip)) keep[v.nsections++] = d->sections[i];
    v.sections = keep;
    int n = doc_strings(&v, "代码|问题编号", fn, ctx);
    free(keep);
    return n;
}

/* Every rule of the printed text over a document to be filed. */
static int printed_ok(const rdoc *d)
{
    return texts(d, NULL, cjk_digit_space, NULL) + texts(d, NULL, ascii_quote_in_chinese, NULL) +
           texts(d, NULL, machine_words, NULL);
}

static int has_signature(const rdoc *d)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++)
            if (d->sections[i].blocks[j].kind == BLK_SIGNATURE && d->sections[i].blocks[j].sig->nlines > 0) return 1;
    return 0;
}

/* The heading containing `word`, or NULL. */
static const char *heading_with(const rdoc *d, const char *word)
{
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rblock *b = &d->sections[i].blocks[j];
            if (b->kind == BLK_HEADING && strstr(b->text, word)) return b->text;
        }
    return NULL;
}

/* The rows of the 数据问题 table, joined with newlines into buf. */
static const char *data_problem_lines(const rdoc *d, char *buf, size_t n)
{
    const rtable *t = doc_table(d, "数据问题", 0);
    size_t o = 0;
    buf[0] = 0;
    for (size_t r = 0; t && r < t->nrows && o < n - 1; r++)
        o += (size_t)snprintf(buf + o, n - o, "%s\n", table_text(t, (long)r, "数据问题"));
    return buf;
}

/* How many of words (NULL-ended) are not as expected in text: absent when `present`,
   there when not; each one named on stderr. */
static int unexpected(const char *text, const char *const *words, int present)
{
    int n = 0;
    for (; *words; words++)
        if ((strstr(text, *words) != NULL) != present) {
            fprintf(stderr, "  \"%s\" %s\n", *words, present ? "missing" : "there");
            n++;
        }
    return n;
}

/* ---- a run with problems in the data: rows of both branches skipped, warnings ---- */

static const fixture_files problem_case = {
    "A1,甲一,一支部,某单位,在职,,是,10,2000,,\n"
    "A2,乙二,一支部,某单位,在职,中小学教师,否,10,4000,,\n"
    "Y1,辛八,一支部,某单位,在职,,否,abc,,,\n"  /* line 4: skipped, 一支部 */
    "Z1,壬九,二支部,某单位,在职,,否,abc,,,\n"  /* line 5: skipped, 二支部 (its first good row comes later) */
    "X1,庚七,三支部,某单位,在职,,否,abc,,,\n"  /* line 6: skipped, a branch with no member: every document */
    "B1,戊五,二支部,某单位,在职,,否,10,,,\n",
    "T01,一支部,2022-02-10,主题党日,\"学习\"\"二十大\"\"精神\"," ALL_ACTIONS ",是\n"
    "U01,二支部,2022-02-11,主题党日,学习," ALL_ACTIONS ",是\n"
    "U02,二支部,2022-13-01,主题党日,学习," ALL_ACTIONS ",是\n", /* line 4: skipped, 二支部 */
    "T01,A1,出席,\nT01,A2,请假,借调 3 个月\n"
    "U01,B1,出席,\nU02,B1,出席,\n",                            /* line 5: its meeting was skipped: 二支部 */
    "A1,2022-02,10,2022-02-10,\nA1,2022-02,1,2022-02-11,\n"  /* line 3: a warning of 一支部 */
    "A2,2022-02,10,2022-02-10,\nB1,2022-02,10,2022-02-10,\n"
    "Y1,2022-02,10,2022-02-10,\n"                            /* line 6: its member was skipped: 一支部 */
    "Q9,2022-02,10,2022-02-10,\n",                           /* line 7: an unknown member: every document */
    "A1,2022-02-20,2,东社区,服务,网格员,满意\nA2,2022-02-20,2,东社区,服务,网格员,满意\n"
    "B1,2022-02-20,2,西社区,服务,网格员,满意\n",
    NULL, NULL};

static const char *group_of(const fixture *fx, const char *file, int line)
{
    for (size_t i = 0; i < fx->probs.n; i++)
        if (!strcmp(fx->probs.v[i].file, file) && fx->probs.v[i].line == line) return fx->probs.v[i].group ? fx->probs.v[i].group : "";
    return "(none)";
}

TEST(words_problem_groups)
{
    fixture fx;
    fixture_run_period(&fx, &problem_case, period_month(202202));
    CHECK_STR(group_of(&fx, "members.csv", 4), "一支部");
    CHECK_STR(group_of(&fx, "members.csv", 5), "二支部");
    CHECK_STR(group_of(&fx, "members.csv", 6), "三支部");
    CHECK_STR(group_of(&fx, "meetings.csv", 4), "二支部");
    CHECK_STR(group_of(&fx, "attendance.csv", 5), "二支部");
    CHECK_STR(group_of(&fx, "dues.csv", 3), "一支部");
    CHECK_STR(group_of(&fx, "dues.csv", 6), "一支部");
    CHECK_STR(group_of(&fx, "dues.csv", 7), ""); /* nobody's */
    CHECK_INT(dataset_branch(&fx.ds, "二支部"), 1);
    CHECK_INT(dataset_branch(&fx.ds, "三支部"), -1);
    fixture_free(&fx);
}

TEST(words_data_problems_by_branch)
{
    words_run x;
    words_start(&x, &problem_case, period_month(202202));
    char buf[8192];
    rdoc *one = words_build(&x, "monthly.ini", build_monthly_branch, 0);
    rdoc *two = words_build(&x, "monthly.ini", build_monthly_branch, 1);

    /* 一支部: its own rows and those of nobody, each as 文件 第N行：… */
    CHECK_STR(heading_with(one, "数据问题"), "十、数据问题"); /* after 问题整改情况, 预警名单 and the chart */
    const char *l1 = data_problem_lines(one, buf, sizeof buf);
    static const char *const in1[] = {"members.csv 第4行：", "members.csv 第6行：", "dues.csv 第3行：month：警告：",
                                      "dues.csv 第6行：", "dues.csv 第7行：", "（此行已跳过）", NULL};
    static const char *const not1[] = {"meetings.csv 第4行", "attendance.csv 第5行", "members.csv 第5行", NULL};
    CHECK_INT(unexpected(l1, in1, 1), 0);
    CHECK_INT(unexpected(l1, not1, 0), 0);
    CHECK(doc_paragraph(one, "读入的数据中有5个问题涉及本支部：4行有错误，已跳过，未计入本报告；1处警告") != NULL);

    /* 二支部: its own and nobody's, not 一支部's */
    const char *l2 = data_problem_lines(two, buf, sizeof buf);
    static const char *const in2[] = {"meetings.csv 第4行：", "attendance.csv 第5行：", "members.csv 第5行：",
                                      "members.csv 第6行：", "dues.csv 第7行：", NULL};
    static const char *const not2[] = {"members.csv 第4行", "dues.csv 第3行", "dues.csv 第6行", NULL};
    CHECK_INT(unexpected(l2, in2, 1), 0);
    CHECK_INT(unexpected(l2, not2, 0), 0);

    /* the typography holds in the problems' own words too ("第 3 行" of the loader) */
    CHECK_INT(printed_ok(one), 0);
    CHECK_INT(printed_ok(two), 0);
    rdoc_free(one);
    rdoc_free(two);

    /* the unit report lists them all */
    words_end(&x);
    words_start(&x, &problem_case, period_year(2022));
    rdoc *u = words_build(&x, "unit-annual.ini", unit_of, -1);
    const rtable *t = doc_table(u, "数据问题", 0);
    CHECK(t && t->nrows == x.fx.probs.n);
    CHECK_INT(printed_ok(u), 0);
    rdoc_free(u);
    words_end(&x);
}

/* Data text in a printed document: Chinese quotes and no space before a figure; the
   workbook keeps what the input wrote. */
TEST(words_typography_every_builder)
{
    words_run x;
    words_start(&x, &problem_case, period_month(202202));
    rdoc *d = words_build(&x, "monthly.ini", build_monthly_branch, 0);
    CHECK_STR(table_text(doc_table(d, "主题党日开展情况", 0), 0, "主题"), "学习“二十大”精神");
    CHECK_STR(table_text(doc_table(d, "党员出勤情况", 0), 0, "请假事由"), "借调3个月");
    CHECK_INT(printed_ok(d), 0);
    CHECK(has_signature(d));
    rdoc_free(d);
    d = words_build(&x, "workbook.ini", workbook_of, -1);
    const rtable *t = doc_sheet(d, "主题党日");
    CHECK_STR(table_text(t, table_find(t, "活动编号", "T01"), "主题"), "学习\"二十大\"精神"); /* raw */
    CHECK(texts(d, NULL, contains, "借调 3 个月") > 0);                                          /* raw */
    CHECK_INT(texts(d, NULL, machine_words, NULL), 0);
    rdoc_free(d);
    words_end(&x);

    /* every kind of document of the facts case (its reasons, notes, details, sums) */
    const run_period periods[] = {period_month(202202), period_half(2022, 1), period_year(2022)};
    for (size_t k = 0; k < sizeof periods / sizeof *periods; k++) {
        int kind = periods[k].kind;
        words_start(&x, &fixture_facts_case, periods[k]);
        for (int br = 0; br < 2; br++) {
            rdoc *doc = kind == RUN_MONTHLY    ? words_build(&x, "monthly.ini", build_monthly_branch, br)
                        : kind == RUN_HALFYEAR ? words_build(&x, "halfyear.ini", build_halfyear_branch, br)
                                               : words_build(&x, "annual.ini", build_annual_branch, br);
            CHECK_INT(printed_ok(doc), 0);
            CHECK(has_signature(doc));
            rdoc_free(doc);
        }
        if (kind == RUN_ANNUAL) {
            rdoc *u = words_build(&x, "unit-annual.ini", unit_of, -1);
            CHECK_INT(printed_ok(u), 0);
            CHECK(has_signature(u));
            rdoc_free(u);
        }
        /* the workbook's own words (this data has no space of its own) */
        rdoc *w = words_build(&x, "workbook.ini", workbook_of, -1);
        CHECK_INT(texts(w, "输入问题", cjk_digit_space, NULL), 0);
        CHECK_INT(texts(w, NULL, machine_words, NULL), 0);
        CHECK(texts(w, NULL, contains, kind == RUN_HALFYEAR ? "2022年上半年" : kind == RUN_MONTHLY ? "2022年2月" : "2022年度") > 0);
        rdoc_free(w);
        words_end(&x);
    }
}

/* Nothing to say: a sentence instead of an empty table, no 数据问题, zero in words. */
TEST(words_clean_year)
{
    year_case y;
    memset(&y, 0, sizeof y);
    add_member(&y, "M1", NULL);
    add_member(&y, "M2", NULL);
    fixture_files f;
    year_build(&y, &f);
    words_run x;
    words_start(&x, &f, period_month(202209));
    rdoc *d = words_build(&x, "monthly.ini", build_monthly_branch, 0);
    CHECK(heading_with(d, "数据问题") == NULL);
    CHECK(doc_paragraph(d, "本月未发现问题。") != NULL);
    CHECK(doc_paragraph(d, "共发现问题") == NULL);
    CHECK(doc_paragraph(d, "本月无请假、缺席人员。") != NULL);
    CHECK(doc_paragraph(d, "本月整体活动出勤率100.0%。") != NULL);
    CHECK(doc_paragraph(d, "请假和缺席的党员如下") == NULL);
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++)
            if (d->sections[i].blocks[j].kind == BLK_TABLE) CHECK(d->sections[i].blocks[j].table->nrows > 0);
    CHECK_INT(printed_ok(d), 0);
    rdoc_free(d);
    words_end(&x);

    words_start(&x, &f, period_half(2022, 2));
    d = words_build(&x, "halfyear.ini", build_halfyear_branch, 0);
    CHECK(doc_paragraph(d, "均达到本半年最低要求") != NULL);
    /* the summary is signed before the forms; each form has room for the review */
    size_t sig = (size_t)-1, form = (size_t)-1;
    int reviews = 0;
    for (size_t i = 0; i < d->nsections; i++)
        for (size_t j = 0; j < d->sections[i].nblocks; j++) {
            const rblock *b = &d->sections[i].blocks[j];
            if (b->kind == BLK_SIGNATURE && sig == (size_t)-1) sig = i;
            if (b->kind == BLK_HEADING && strstr(b->text, "个人下沉社区情况报告表") && form == (size_t)-1) form = i;
            if (b->kind == BLK_TABLE && table_col(b->table, "支部审核意见") >= 0) {
                const char *box = table_text(b->table, 0, "支部审核意见");
                int lines = 0;
                for (const char *q = box; q && *q; q++) lines += *q == '\n';
                CHECK(box && strstr(box, "支部书记（签字）") && lines >= 5); /* 4 lines of room, signature, date */
                reviews++;
            }
        }
    CHECK(sig != (size_t)-1 && form != (size_t)-1 && sig < form);
    CHECK_INT(reviews, 2);
    CHECK_INT(printed_ok(d), 0);
    rdoc_free(d);
    words_end(&x);

    words_start(&x, &f, period_year(2022));
    d = words_build(&x, "unit-annual.ini", unit_of, -1);
    CHECK(doc_paragraph(d, "在职党员均达到最低要求") != NULL);
    CHECK(doc_paragraph(d, "全年未发现问题。") != NULL);
    CHECK_INT(printed_ok(d), 0);
    rdoc_free(d);
    words_end(&x);
    year_free(&y);
}

/* 依据: each rule's source cites a document by its title in 《》. */
TEST(words_sources_cite_documents)
{
    words_run x;
    words_start(&x, &fixture_facts_case, period_year(2022));
    for (int r = 0; r < R_COUNT; r++) {
        const char *s = rule_source(&x.b, (rule_code)r);
        const char *open = strstr(s, "《"), *close = strstr(s, "》");
        if (!(open && close && open < close)) fprintf(stderr, "  %s: \"%s\"\n", rule_code_name((rule_code)r), s);
        CHECK(open && close && open < close);
    }
    words_end(&x);
}

TEST(words_text_typeset)
{
    rdoc *d = rdoc_new();
    CHECK_STR(text_typeset(d, "党员人数：14 名（在职 13 名）"), "党员人数：14名（在职13名）");
    CHECK_STR(text_typeset(d, "学习\"喜迎二十大\"，\"奋进\"新征程"), "学习“喜迎二十大”，“奋进”新征程");
    CHECK_STR(text_typeset(d, "学习\"喜迎二十大"), "学习\"喜迎二十大");      /* unpaired: as written */
    CHECK_STR(text_typeset(d, "say \"hello\" 3 times"), "say \"hello\" 3 times"); /* no Chinese */
    CHECK_STR(text_typeset(d, "dues.csv 第 138 行：QZ0112 2022-05 的党费"), "dues.csv 第138行：QZ0112 2022-05的党费");
    CHECK_STR(text_typeset(d, "9月13日 主题党日"), "9月13日 主题党日"); /* between Chinese: kept */
    const char *same = "无问题";
    CHECK(text_typeset(d, same) == same);
    rdoc_free(d);
}
