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

int parse_date(const char *s, int *ymd)
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
