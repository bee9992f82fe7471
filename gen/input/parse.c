/* parse.c — see parse.h. */
#include "input/parse.h"
#include "base/dates.h"
#include "base/textutil.h"
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Read 1..maxd ASCII digits; returns digits read (0 = none). */
static int digits(const char **p, int maxd, long *v)
{
    int n = 0;
    *v = 0;
    while (n < maxd && isdigit((unsigned char)**p)) {
        *v = *v * 10 + (**p - '0');
        (*p)++;
        n++;
    }
    return isdigit((unsigned char)**p) ? 0 : n;
}

/* Separators: '-', '/', '.', or the Chinese 年/月 markers. */
static int sep(const char **p, const char *cjk)
{
    if (**p == '-' || **p == '/' || **p == '.') { (*p)++; return 1; }
    size_t n = strlen(cjk);
    if (!strncmp(*p, cjk, n)) { *p += n; return 2; }
    return 0;
}

/* Normalize full-width digits and separators first (NFKC). */
static const char *norm(const char *s, char *buf, size_t n)
{
    return text_key(s, buf, n);
}

static int parse_date_only(const char *s, int *ymd)
{
    char buf[128];
    const char *p = norm(s, buf, sizeof buf);
    long y, m, d;
    if (digits(&p, 4, &y) != 4) return -1;
    char c1 = *p;
    int k = sep(&p, "年");
    if (!k || !digits(&p, 2, &m)) return -1;
    char c2 = *p;
    int k2 = sep(&p, "月");
    /* the same separator twice: 2022-9-1, 2022/9/1, 2022.9.1 or 2022年9月1日 */
    if (!k2 || k != k2 || (k == 1 && c1 != c2)) return -1;
    if (!digits(&p, 2, &d)) return -1;
    if (k == 2) {
        if (!strncmp(p, "日", 3) || !strncmp(p, "号", 3)) p += 3;
        else return -1;
    }
    if (*p) return -1;
    if (!date_valid((int)y, (int)m, (int)d)) return -1;
    *ymd = (int)(y * 10000 + m * 100 + d);
    return 0;
}

/* A time of day: H:MM, H:MM:SS or H:MM:SS.fff (SPEC item 17). */
static int time_of_day(const char *s)
{
    char buf[64];
    const char *p = norm(s, buf, sizeof buf);
    long h, m, sec;
    if (!digits(&p, 2, &h) || *p++ != ':' || digits(&p, 2, &m) != 2) return -1;
    if (h > 23 || m > 59) return -1;
    if (*p == ':') {
        p++;
        if (digits(&p, 2, &sec) != 2 || sec > 59) return -1;
        if (*p == '.') {
            p++;
            if (!isdigit((unsigned char)*p)) return -1;
            while (isdigit((unsigned char)*p)) p++;
        }
    }
    return *p ? -1 : 0;
}

/* Length of the white space at s that may part a date from its time. */
static size_t gap_at(const char *s)
{
    if (*s == ' ' || *s == '\t') return 1;
    if (!strncmp(s, "\xE3\x80\x80", 3)) return 3; /* U+3000 */
    if (!strncmp(s, "\xC2\xA0", 2)) return 2;     /* U+00A0 */
    return 0;
}

int parse_date(const char *s, int *ymd)
{
    if (parse_date_only(s, ymd) == 0) return 0;
    /* a time after the date is ignored: "2022-09-15 08:30",
       "2022/9/15 0:00:00", "2022-09-15T08:30:00" */
    size_t n = strlen(s);
    if (n >= 128) return -1;
    for (size_t i = 1; i < n; i++) {
        size_t g = gap_at(s + i);
        if (!g && s[i] == 'T' && isdigit((unsigned char)s[i - 1])) g = 1;
        if (!g) continue;
        size_t j = i + g;
        while (gap_at(s + j)) j += gap_at(s + j);
        if (!s[j] || time_of_day(s + j)) continue;
        char date[128];
        memcpy(date, s, i);
        date[i] = 0;
        return parse_date_only(date, ymd);
    }
    return -1;
}

int parse_excel_serial(const char *s, int *ymd)
{
    char buf[64];
    const char *p = norm(s, buf, sizeof buf);
    long v;
    if (digits(&p, 5, &v) != 5) return -1;
    if (*p == '.') {
        p++;
        if (!isdigit((unsigned char)*p)) return -1;
        while (isdigit((unsigned char)*p)) p++;
    }
    if (*p) return -1;
    /* serial 61 on: days since 1899-12-30 (Excel's 1900 system, whose
       phantom 1900-02-29 lies before serial 61); "00042" is no serial */
    if (v < 61) return -1;
    int d = date_add_days(18991230, (int)v);
    if (!date_valid(d / 10000, d / 100 % 100, d % 100)) return -1;
    *ymd = d;
    return 0;
}

int parse_month(const char *s, int *ym)
{
    char buf[128];
    const char *p = norm(s, buf, sizeof buf);
    long y, m;
    if (digits(&p, 4, &y) != 4) return -1;
    int k = sep(&p, "年");
    if (!k || !digits(&p, 2, &m)) return -1;
    if (k == 2) {
        if (strncmp(p, "月", 3)) return -1;
        p += 3;
    }
    if (*p || y < 1900 || y > 2999 || m < 1 || m > 12) return -1;
    *ym = (int)(y * 100 + m);
    return 0;
}

/* Fixed-point decimal with at most 2 decimals → value × 100. */
static int fixed2(const char *p, long *out)
{
    long whole = 0, frac = 0;
    int nd = 0, nf = 0;
    while (isdigit((unsigned char)*p)) {
        if (whole > 100000000000L) return -1;
        whole = whole * 10 + (*p++ - '0');
        nd++;
    }
    if (*p == '.') {
        p++;
        while (isdigit((unsigned char)*p)) {
            if (nf == 2) return -1;
            frac = frac * 10 + (*p++ - '0');
            nf++;
        }
        if (nf == 0) return -1;
    }
    if (*p || (nd == 0 && nf == 0)) return -1;
    if (nf == 1) frac *= 10;
    *out = whole * 100 + frac;
    return 0;
}

int parse_money(const char *s, long *cents)
{
    char buf[128];
    const char *p = norm(s, buf, sizeof buf);
    if (!strncmp(p, "¥", 2)) p += 2;          /* NFKC maps ￥ to ¥ */
    else if (!strncmp(p, "元", 3)) return -1;
    int neg = 0;
    if (*p == '-') { neg = 1; p++; }
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%s", p);
    size_t n = strlen(tmp);
    if (n >= 3 && !strcmp(tmp + n - 3, "元")) tmp[n - 3] = 0;
    if (fixed2(tmp, cents)) return -1;
    if (neg) *cents = -*cents;
    return 0;
}

int parse_hours(const char *s, long *centi)
{
    char buf[128];
    const char *p = norm(s, buf, sizeof buf);
    int neg = 0;
    if (*p == '-') { neg = 1; p++; }
    if (fixed2(p, centi)) return -1;
    if (neg) *centi = -*centi;
    return 0;
}

int parse_yesno(const char *s, int *v)
{
    static const char *yes[] = {"是", "y", "yes", "1", "true", "有", "√", NULL};
    static const char *no[] = {"否", "n", "no", "0", "false", "无", "×", NULL};
    char buf[128];
    const char *k = norm(s, buf, sizeof buf);
    for (int i = 0; yes[i]; i++) if (!strcmp(k, yes[i])) { *v = 1; return 0; }
    for (int i = 0; no[i]; i++) if (!strcmp(k, no[i])) { *v = 0; return 0; }
    return -1;
}

int parse_decimal(const char *s, double *v)
{
    char buf[128];
    const char *p = norm(s, buf, sizeof buf);
    if (!*p) return -1;
    char *end;
    *v = strtod(p, &end);
    if (*end || end == p) return -1;
    for (const char *q = p; *q; q++)
        if (!isdigit((unsigned char)*q) && *q != '.' && *q != '-' && *q != '+') return -1;
    return 0;
}
