/* finding_text.c — see finding_text.h. */
#include "check/finding_text.h"
#include <stdio.h>
#include <string.h>

const char *fmt_date(int ymd, char *buf, size_t n)
{
    snprintf(buf, n, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
    return buf;
}

/* fixed point with 2 decimals, trailing zeros dropped */
static const char *fmt_fixed2(long v, char *buf, size_t n)
{
    const char *sign = v < 0 ? "-" : "";
    long a = v < 0 ? -v : v;
    if (a % 100 == 0) snprintf(buf, n, "%s%ld", sign, a / 100);
    else if (a % 10 == 0) snprintf(buf, n, "%s%ld.%ld", sign, a / 100, a % 100 / 10);
    else snprintf(buf, n, "%s%ld.%02ld", sign, a / 100, a % 100);
    return buf;
}

const char *fmt_yuan(long cents, char *buf, size_t n) { return fmt_fixed2(cents, buf, n); }

const char *fmt_score(int score10, char *buf, size_t n)
{
    snprintf(buf, n, "%d.%d", score10 / 10, score10 % 10);
    return buf;
}
const char *fmt_hours(long centi, char *buf, size_t n) { return fmt_fixed2(centi, buf, n); }

/* A meeting named by what it is, its day and kind, as people say it: 9月13日主题党日
   (its id is for the data, not for people; a run looks at one year).  The builders'
   meeting_words() says the same. */
static const char *meeting_line(const dataset *ds, int k, char *buf, size_t n)
{
    const meeting *mt = &ds->meetings[k];
    snprintf(buf, n, "%d月%d日%s", mt->date / 100 % 100, mt->date % 100, meeting_kind_name(mt->kind));
    return buf;
}

const char *finding_detail(const dataset *ds, const config *cfg, const finding *f, char *buf, size_t n)
{
    char d1[32], d2[32], x[256];
    int mo = f->month % 100;
    switch (f->rule) {
    case R_TD_HELD:
        snprintf(buf, n, "%d月主题党日%ld次，应不少于%ld次", mo, f->a, f->b);
        break;
    case R_TD_LATE:
        snprintf(buf, n, "主题党日于%s开展，晚于截止日期%s",
                 fmt_date(ds->meetings[f->meeting].date, d1, sizeof d1), fmt_date((int)f->a, d2, sizeof d2));
        break;
    case R_TD_ACTIONS: {
        size_t o = (size_t)snprintf(buf, n, "缺少规定动作：");
        int first = 1;
        for (int i = 0; i < cfg->nactions && o < n; i++)
            if (f->missing & (1ULL << i)) {
                o += (size_t)snprintf(buf + o, n - o, "%s%s", first ? "" : "、", cfg->actions[i]);
                first = 0;
            }
        break;
    }
    case R_TD_RECORD:
        if (f->a && f->b) snprintf(buf, n, "无签到记录，且无会议记录");
        else if (f->a) snprintf(buf, n, "无签到记录");
        else snprintf(buf, n, "无会议记录");
        break;
    case R_AT_ABSENT:
        snprintf(buf, n, "%s：%s", meeting_line(ds, f->meeting, x, sizeof x), f->a ? "缺席" : "无签到记录");
        break;
    case R_AT_LEADER:
        snprintf(buf, n, "领导干部%d月未亲自参加主题党日", mo);
        break;
    case R_AT_LAPSE:
        snprintf(buf, n, "截至%d月，连续%ld个月不参加党的组织生活（未出席也未请假）", mo, f->a);
        break;
    case R_DU_UNPAID:
        snprintf(buf, n, "%d月党费未交纳（应交%s元）", mo, fmt_yuan(f->a, d1, sizeof d1));
        break;
    case R_DU_SHORT:
        snprintf(buf, n, "%d月党费实交%s元，少于核定的%s元", mo, fmt_yuan(f->a, d1, sizeof d1),
                 fmt_yuan(f->b, d2, sizeof d2));
        break;
    case R_DU_LATE:
        snprintf(buf, n, "%d月党费于%s交纳，晚于%s", mo, fmt_date((int)f->a, d1, sizeof d1),
                 fmt_date((int)f->b, d2, sizeof d2));
        break;
    case R_DU_RATE: {
        const member *m = &ds->members[f->member];
        char d3[32];
        snprintf(buf, n, "核定党费%s元，按基数%s元应为%s元", fmt_yuan(f->a, d1, sizeof d1),
                 fmt_yuan(m->base_cents, d2, sizeof d2), fmt_yuan(f->b, d3, sizeof d3));
        break;
    }
    case R_DU_LAPSE:
        snprintf(buf, n, "截至%d月，连续%ld个月不交纳党费", mo, f->a);
        break;
    case R_CS_MONTH:
        snprintf(buf, n, "%d月确认的下沉服务%ld次，应不少于%ld次", mo, f->a, f->b);
        break;
    case R_CS_COUNT:
        snprintf(buf, n, "确认的下沉服务%ld次，应不少于%ld次", f->a, f->b);
        break;
    case R_CS_HOURS:
        snprintf(buf, n, "确认的下沉服务%s小时，应不少于%s小时", fmt_hours(f->a, d1, sizeof d1),
                 fmt_hours(f->b, d2, sizeof d2));
        break;
    case R_CS_UNCONFIRMED: {
        /* named by what it is: date, community, hours */
        const service_record *s = &ds->svc[f->record];
        int comm = s->community && *s->community;
        snprintf(buf, n, "%s%s%s%s%s小时的服务记录无确认人，不计入", fmt_date(s->date, d1, sizeof d1),
                 comm ? "（" : "", comm ? s->community : "", comm ? "）" : "", fmt_hours(s->centi_hours, d2, sizeof d2));
        break;
    }
    default:
        snprintf(buf, n, "?");
    }
    return buf;
}
