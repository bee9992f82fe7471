/* test_parse.c — the value forms of SPEC "Inputs" and Settled 11. */
#include "check.h"
#include "base/dates.h"
#include "input/encoding.h"
#include "input/parse.h"
#include "base/textutil.h"
#include <stdlib.h>

TEST(parse_date_forms)
{
    int d = 0;
    CHECK(parse_date("2022-09-01", &d) == 0 && d == 20220901);
    CHECK(parse_date("2022/9/1", &d) == 0 && d == 20220901);
    CHECK(parse_date("2022.9.1", &d) == 0 && d == 20220901);
    CHECK(parse_date("2022年9月1日", &d) == 0 && d == 20220901);
    CHECK(parse_date("2022-9-1", &d) == 0 && d == 20220901);
    CHECK(parse_date(" 2022-12-31 ", &d) == 0 && d == 20221231);
    CHECK(parse_date("２０２２－０９－０１", &d) == 0 && d == 20220901); /* full-width */
    CHECK(parse_date("2022-02-30", &d) == -1);
    CHECK(parse_date("2022-13-01", &d) == -1);
    CHECK(parse_date("2022-09", &d) == -1);
    CHECK(parse_date("2022-09/01", &d) == -1);
    CHECK(parse_date("01/09/2022", &d) == -1);
    CHECK(parse_date("", &d) == -1);
    CHECK(parse_date("2024-02-29", &d) == 0);
    CHECK(parse_date("2023-02-29", &d) == -1);
}

TEST(parse_month_forms)
{
    int m = 0;
    CHECK(parse_month("2022-09", &m) == 0 && m == 202209);
    CHECK(parse_month("2022/9", &m) == 0 && m == 202209);
    CHECK(parse_month("2022年9月", &m) == 0 && m == 202209);
    CHECK(parse_month("2022-13", &m) == -1);
    CHECK(parse_month("2022-09-01", &m) == -1);
    CHECK(parse_month("9月", &m) == -1);
}

TEST(parse_money_forms)
{
    long c = 0;
    CHECK(parse_money("120.5", &c) == 0 && c == 12050);
    CHECK(parse_money("120.50", &c) == 0 && c == 12050);
    CHECK(parse_money("￥120.50", &c) == 0 && c == 12050);
    CHECK(parse_money("¥3", &c) == 0 && c == 300);
    CHECK(parse_money("0.2", &c) == 0 && c == 20);
    CHECK(parse_money("-5", &c) == 0 && c == -500);
    CHECK(parse_money("1,200", &c) == -1);
    CHECK(parse_money("1.234", &c) == -1);
    CHECK(parse_money("abc", &c) == -1);
    CHECK(parse_money("", &c) == -1);
    CHECK(parse_money(".", &c) == -1);
}

TEST(parse_hours_and_yesno)
{
    long h = 0;
    int v = -1;
    CHECK(parse_hours("2.5", &h) == 0 && h == 250);
    CHECK(parse_hours("3", &h) == 0 && h == 300);
    CHECK(parse_hours("two", &h) == -1);
    CHECK(parse_yesno("是", &v) == 0 && v == 1);
    CHECK(parse_yesno("否", &v) == 0 && v == 0);
    CHECK(parse_yesno("Y", &v) == 0 && v == 1);
    CHECK(parse_yesno("no", &v) == 0 && v == 0);
    CHECK(parse_yesno("TRUE", &v) == 0 && v == 1);
    CHECK(parse_yesno("0", &v) == 0 && v == 0);
    CHECK(parse_yesno("ｙｅｓ", &v) == 0 && v == 1);
    CHECK(parse_yesno("maybe", &v) == -1);
}

TEST(text_key_matching)
{
    CHECK(text_key_eq("Member_ID", "member_id"));
    CHECK(text_key_eq(" 党员 编号 ", "党员编号"));
    CHECK(text_key_eq("ＭＥＭＢＥＲ_ＩＤ", "member_id"));
    CHECK(!text_key_eq("memberid", "member_id")); /* underscores matter */
    char s[] = "\xE3\x80\x80 abc \t";
    CHECK_STR(text_trim(s), "abc");
}

TEST(dates_arithmetic)
{
    CHECK_INT(date_serial(19000101), 2);
    CHECK_INT(date_serial(20220930), 44834);
    CHECK_INT(date_add_days(20220930, 1), 20221001);
    CHECK_INT(date_add_days(20221231, 1), 20230101);
    CHECK_INT(month_last_day(202202), 20220228);
    CHECK_INT(month_last_day(202402), 20240229);
}

TEST(encoding_detection)
{
    text_encoding e;
    size_t n;
    int line = 0;
    const char *why = NULL;
    char *s = encoding_decode("\xEF\xBB\xBF" "a,b\n", 7, &e, &n, &line, &why);
    CHECK(s && e == ENC_UTF8_BOM && !strcmp(s, "a,b\n"));
    free(s);
    /* 党员 in GBK: B5B3 D4B1 */
    s = encoding_decode("id,\xB5\xB3\xD4\xB1\n", 8, &e, &n, &line, &why);
    CHECK(s && e == ENC_GB18030 && !strcmp(s, "id,党员\n"));
    free(s);
    /* UTF-8 line, then a GBK line: mixed */
    s = encoding_decode("党员,编号\n\xB5\xB3\xD4\xB1\n", 19, &e, &n, &line, &why);
    CHECK(s == NULL && line == 2);
    free(s);
}

/* text_key's fast path (ASCII, CJK ideographs, U+3000) gives ICU's result. */
TEST(text_key_fast_path_equals_icu)
{
    char a[64], b[64], s[16];
    int bad = 0;
    /* every code point up to U+FFFF alone, and between ASCII letters */
    for (unsigned cp = 1; cp < 0x10000; cp++) {
        if (cp >= 0xD800 && cp <= 0xDFFF) continue;
        size_t n = 0;
        for (int pass = 0; pass < 2; pass++) {
            n = 0;
            if (pass) s[n++] = 'A';
            if (cp < 0x80) s[n++] = (char)cp;
            else if (cp < 0x800) { s[n++] = (char)(0xC0 | cp >> 6); s[n++] = (char)(0x80 | (cp & 0x3F)); }
            else { s[n++] = (char)(0xE0 | cp >> 12); s[n++] = (char)(0x80 | (cp >> 6 & 0x3F)); s[n++] = (char)(0x80 | (cp & 0x3F)); }
            if (pass) { s[n++] = ' '; s[n++] = 'z'; }
            s[n] = 0;
            if (strcmp(text_key(s, a, sizeof a), text_key_icu(s, b, sizeof b))) bad++;
        }
    }
    CHECK_INT(bad, 0);
    /* long and tight inputs: truncation at 511 units and the output capacity */
    static const char *const samples[] = {"出席", " 2022-09-01 ", "Member_ID", "青州市第1街道第1党支部",
                                          "\xE3\x80\x80是\xE3\x80\x80", "2022年9月1日", "AbC\tdEf\n"};
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++)
        for (size_t cap = 1; cap < 40; cap++)
            CHECK_STR(text_key(samples[i], a, cap), text_key_icu(samples[i], b, cap));
    char *longs = malloc(3 * 600 + 1), *ka = malloc(4096), *kb = malloc(4096);
    for (int len = 505; len < 520; len++) {
        for (int i = 0; i < len; i++) memcpy(longs + 3 * i, "党", 3);
        longs[3 * len] = 0;
        CHECK_STR(text_key(longs, ka, 4096), text_key_icu(longs, kb, 4096));
        memset(longs, 'X', (size_t)len);
        longs[len] = 0;
        CHECK_STR(text_key(longs, ka, 4096), text_key_icu(longs, kb, 4096));
    }
    free(longs);
    free(ka);
    free(kb);
}

#include "input/config.h"

/* templates/rules.ini documents the defaults: loading it changes nothing. */
TEST(rules_template_equals_builtin_defaults)
{
    config def, tpl;
    config_defaults(&def);
    config_defaults(&tpl);
    char err[512] = "";
    int rc = config_load(&tpl, "templates/rules.ini", err, sizeof err);
    if (rc) fprintf(stderr, "  %s\n", err);
    CHECK(rc == 0);
    CHECK_INT(tpl.per_month, def.per_month);
    CHECK_INT(tpl.deadline_day, def.deadline_day);
    CHECK_INT(tpl.nactions, def.nactions);
    for (int i = 0; i < def.nactions && i < tpl.nactions; i++) CHECK_STR(tpl.actions[i], def.actions[i]);
    CHECK_INT(tpl.ndeadlines, 0);
    CHECK_INT(tpl.grace_days, def.grace_days);
    CHECK(memcmp(tpl.rates, def.rates, sizeof def.rates) == 0);
    CHECK_INT(tpl.lapse_months, def.lapse_months);
    CHECK_INT(tpl.warn_enabled, def.warn_enabled);
    CHECK_INT(tpl.warn_lapse_months, def.warn_lapse_months);
    CHECK_INT(tpl.min_per_month, def.min_per_month);
    CHECK_INT(tpl.min_per_year, def.min_per_year);
    CHECK(tpl.min_hours_per_year == def.min_hours_per_year);
    CHECK_INT(tpl.prorate, def.prorate);
    CHECK(tpl.special_post_factor == def.special_post_factor);
    CHECK_INT(tpl.nspecial_posts, def.nspecial_posts);
    for (int i = 0; i < def.nspecial_posts && i < tpl.nspecial_posts; i++)
        CHECK_STR(tpl.special_posts[i], def.special_posts[i]);
    CHECK_INT(tpl.max_absences, def.max_absences);
    CHECK(tpl.w_attendance == def.w_attendance && tpl.w_dues == def.w_dues && tpl.w_service == def.w_service);
    CHECK(tpl.excellent_min_score == def.excellent_min_score);
    CHECK(tpl.excellent_max_ratio == def.excellent_max_ratio);
    CHECK_INT(tpl.excellent_scope_all, def.excellent_scope_all);
    CHECK_STR(tpl.grade_excellent, def.grade_excellent);
    CHECK_STR(tpl.grade_pass, def.grade_pass);
    CHECK_STR(tpl.grade_fail, def.grade_fail);
    CHECK_STR(tpl.font_song, def.font_song);
    CHECK_STR(tpl.font_hei, def.font_hei);
    CHECK_STR(tpl.font_kai, def.font_kai);
    CHECK_STR(tpl.font_latin, def.font_latin);
    CHECK_STR(def.font_latin, "Liberation Serif");
    CHECK_INT(tpl.nfont_fallback, def.nfont_fallback);
    CHECK_INT(def.nfont_fallback, 3);
    for (int i = 0; i < def.nfont_fallback && i < tpl.nfont_fallback; i++)
        CHECK_STR(tpl.font_fallback[i], def.font_fallback[i]);
    CHECK_STR(tpl.organization, def.organization);
    /* [columns.<file>] is only an example there: no mapping */
    CHECK(memcmp(&tpl.columns, &def.columns, sizeof def.columns) == 0);
    config_free(&tpl);
    config_free(&def);
}
