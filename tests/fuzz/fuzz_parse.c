/* fuzz_parse.c — libFuzzer target: the value parsers (parse_date, _month,
 * _money, _hours, _yesno, _decimal) and text_key on one cell of text.
 * Checks that a parsed date (or Excel serial) is a real date and that a
 * parsed date round-trips. */
#include "base/dates.h"
#include "input/parse.h"
#include "base/textutil.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    int ymd, ym, v;
    long cents, centi;
    double d;
    if (parse_date(s, &ymd) == 0) {
        int y = ymd / 10000, m = ymd / 100 % 100, dd = ymd % 100;
        if (!date_valid(y, m, dd)) __builtin_trap();
        char back[32];
        snprintf(back, sizeof back, "%04d-%02d-%02d", y, m, dd);
        int again;
        if (parse_date(back, &again) || again != ymd) __builtin_trap();
    }
    if (parse_excel_serial(s, &ymd) == 0 && !date_valid(ymd / 10000, ymd / 100 % 100, ymd % 100)) __builtin_trap();
    if (parse_month(s, &ym) == 0 && (ym % 100 < 1 || ym % 100 > 12)) __builtin_trap();
    if (parse_money(s, &cents) == 0) {
        char back[64];
        snprintf(back, sizeof back, "%s%ld.%02ld", cents < 0 ? "-" : "", labs(cents) / 100, labs(cents) % 100);
        long again;
        if (parse_money(back, &again) || again != cents) __builtin_trap();
    }
    (void)parse_hours(s, &centi);
    (void)parse_yesno(s, &v);
    (void)parse_decimal(s, &d);
    char key[256], small[8];
    text_key(s, key, sizeof key);
    text_key(s, small, sizeof small);
    if (strlen(small) >= sizeof small) __builtin_trap();
    (void)text_key_eq(s, "主题党日");
    char *copy = strdup(s);
    text_trim(copy);
    free(copy);
    free(s);
    return 0;
}
