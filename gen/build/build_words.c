/*
 * build_words.c — the words of verdicts and reasons, from templates/wording.ini
 * ([rules], [sources], [words], [reasons]) with the defaults below.
 *
 * One function per kind of verdict, so a PDF and the workbook say the same
 * word for the same verdict; the facts decide, this file only words.
 */
#include "build/build.h"
#include "check/finding_text.h"
#include <stdio.h>
#include <string.h>

const char *rule_description(const build_ctx *b, rule_code r)
{
    return tmpl_get(&b->wording, "rules", rule_code_name(r), rule_code_name(r));
}

const char *rule_source(const build_ctx *b, rule_code r)
{
    return tmpl_get(&b->wording, "sources", rule_code_name(r), "");
}

const char *build_word(const build_ctx *b, const char *key, const char *def)
{
    return tmpl_get(&b->wording, "words", key, def);
}

const char *dues_word(const build_ctx *b, dues_state s)
{
    switch (s) {
    case DUES_NOT_MEMBER: return build_word(b, "not_member", "—");
    case DUES_EXEMPT: return build_word(b, "dues_exempt", "免交");
    case DUES_OK: return build_word(b, "dues_ok", "按时足额");
    case DUES_UNPAID: return build_word(b, "dues_unpaid", "未交");
    case DUES_SHORT: return build_word(b, "dues_short", "未足额");
    case DUES_LATE: return build_word(b, "dues_late", "逾期");
    case DUES_SHORT_LATE: return build_word(b, "dues_short_late", "未足额，逾期");
    }
    return "";
}

int dues_state_bad(dues_state s) { return s != DUES_OK && s != DUES_EXEMPT && s != DUES_NOT_MEMBER; }

const char *service_word(const build_ctx *b, int required, int met)
{
    if (!required) return build_word(b, "service_not_required", "不作要求");
    return met ? build_word(b, "service_ok", "达标") : build_word(b, "service_short", "未达标");
}

const char *exemptions_text(const build_ctx *b, rdoc *d, int m)
{
    const facts *fx = b->fx;
    const run_period *p = &fx->period;
    int from = p->year * 10000 + p->first_month * 100 + 1, to = p->year * 10000 + p->last_month * 100 + 31;
    char buf[512] = "", d1[16], d2[16];
    size_t o = 0;
    for (int i = fx->me_start[m]; i < fx->me_start[m + 1] && o < sizeof buf - 80; i++) {
        const exemption *e = &b->ds->exm[fx->me[i]];
        if (e->to < from || e->from > to) continue;
        o += (size_t)snprintf(buf + o, sizeof buf - o, "%s%s（%s至%s）", o ? "；" : "", e->type,
                              fmt_date(e->from, d1, sizeof d1), fmt_date(e->to, d2, sizeof d2));
    }
    return rdoc_strdup(d, buf);
}

const char *meeting_words(rdoc *d, const meeting *mt)
{
    /* as finding_text.c names it: 9月13日主题党日 (a run looks at one year) */
    return rdoc_printf(d, "%d月%d日%s", mt->date / 100 % 100, mt->date % 100, meeting_kind_name(mt->kind));
}

const char *finding_when(const build_ctx *b, rdoc *d, const finding *f)
{
    const run_period *p = &b->fx->period;
    char dt[16];
    tvars v;
    v.n = 0;
    tvars_set(&v, "year", "%d", p->year);
    if (f->meeting >= 0) return meeting_words(d, &b->ds->meetings[f->meeting]);
    if (f->record >= 0) return rdoc_strdup(d, fmt_date(b->ds->svc[f->record].date, dt, sizeof dt));
    if (f->month) {
        tvars_set(&v, "month", "%d", f->month % 100);
        return tmpl_expand(d, build_word(b, "when_month", "{year}年{month}月"), &v);
    }
    if (p->kind == RUN_HALFYEAR) {
        tvars_set(&v, "half", "%s", p->half == 1 ? "上半年" : "下半年");
        return tmpl_expand(d, build_word(b, "when_half", "{year}年{half}"), &v);
    }
    return tmpl_expand(d, build_word(b, "when_year", "{year}年度"), &v);
}

/* ---- the reasons of a grade ------------------------------------------------------ */

typedef struct {
    char *buf;
    size_t n, o;
} out_buf;

static void put(out_buf *o, const char *s)
{
    size_t len = strlen(s);
    if (o->o + len >= o->n) return; /* never a cut sentence: the buffers hold any reason */
    memcpy(o->buf + o->o, s, len + 1);
    o->o += len;
}

/* [reasons] key expanded with v into o. */
static void say(const build_ctx *b, out_buf *o, const char *key, const char *def, const tvars *v)
{
    char tmp[1024];
    put(o, tmpl_expand_buf(tmpl_get(&b->wording, "reasons", key, def), v, tmp, sizeof tmp));
}

/* The sentence of a member-scope rule with n findings (reasons of a grade). */
static const struct { rule_code r; const char *def; } rule_reasons[] = {
    {R_AT_ABSENT, "缺席{n}次"},
    {R_AT_LEADER, "领导干部{n}个月未亲自参加主题党日"},
    {R_AT_LAPSE, "连续六个月不参加党的组织生活"},
    {R_DU_UNPAID, "{n}个月未交纳党费"},
    {R_DU_SHORT, "{n}个月党费未足额交纳"},
    {R_DU_LATE, "{n}个月党费逾期交纳"},
    {R_DU_RATE, "核定党费低于规定比例"},
    {R_DU_LAPSE, "连续六个月不交纳党费"},
    {R_CS_MONTH, "{n}个月未参加下沉社区活动"},
    {R_CS_COUNT, "确认的下沉社区活动{done}次，少于要求的{min}次"},
    {R_CS_HOURS, "确认的服务时长{done}小时，少于要求的{min}小时"},
};

static const char *rule_reason_def(rule_code r)
{
    for (size_t i = 0; i < sizeof rule_reasons / sizeof rule_reasons[0]; i++)
        if (rule_reasons[i].r == r) return rule_reasons[i].def;
    return "";
}

static void rule_reason(const build_ctx *b, out_buf *o, const member_facts *st, rule_code r, tvars *v)
{
    char h[32];
    tvars_set(v, "n", "%d", st->count[r]);
    if (r == R_CS_COUNT) {
        tvars_set(v, "done", "%d", st->svc_n);
        tvars_set(v, "min", "%d", st->min_n);
    } else if (r == R_CS_HOURS) {
        tvars_set(v, "done", "%s", fmt_hours(st->svc_centi, h, sizeof h));
        tvars_set(v, "min", "%s", fmt_hours(st->min_centi, h, sizeof h));
    }
    say(b, o, rule_code_name(r), rule_reason_def(r), v);
}

/* The variables of the cap sentences (only a clean member not 优秀 needs them). */
static void cap_vars(const build_ctx *b, const cap_scope *cs, tvars *v)
{
    char s[16];
    tvars_set(v, "grade_excellent", "%s", b->cfg->grade_excellent);
    tvars_set(v, "min_score", "%g", b->cfg->excellent_min_score);
    tvars_set(v, "cap", "%d", cs->cap);
    tvars_set(v, "awarded", "%d", cs->awarded);
    if (cs->cut_score10 >= 0) {
        tvars_set(v, "cut_score", "%s", fmt_score(cs->cut_score10, s, sizeof s));
        tvars_set(v, "cut_size", "%d", cs->cut_size);
    }
}

const char *evaluation_reasons(const build_ctx *b, const evaluation *e, char *buf, size_t n)
{
    const config *cfg = b->cfg;
    const member_facts *st = &b->fx->mf[e->member];
    const cap_scope *cs = &b->fx->caps[e->scope];
    out_buf o = {buf, n, 0};
    char s[16], h1[32], h2[32];
    tvars v;
    v.n = 0;
    buf[0] = 0;
    tvars_set(&v, "scope", "%s", cfg->excellent_scope_all ? "全体" : "支部");
    tvars_set(&v, "ranked", "%d", cs->ranked);
    const char *sep = tmpl_get(&b->wording, "reasons", "separator", "；");
    if (e->grade == GRADE_FAIL) {
        tvars_set(&v, "grade_fail", "%s", cfg->grade_fail);
        say(b, &o, "fail", "{grade_fail}：", &v);
        static const struct { int bit; rule_code r; } fails[] = {
            {FAIL_CS_COUNT, R_CS_COUNT}, {FAIL_CS_HOURS, R_CS_HOURS},
            {FAIL_DU_LAPSE, R_DU_LAPSE}, {FAIL_AT_LAPSE, R_AT_LAPSE},
        };
        int first = 1;
        for (size_t i = 0; i < sizeof fails / sizeof fails[0]; i++)
            if (e->fail_mask & fails[i].bit) {
                if (!first) put(&o, sep);
                rule_reason(b, &o, st, fails[i].r, &v);
                first = 0;
            }
        if (e->fail_mask & FAIL_ABSENCES) {
            if (!first) put(&o, sep);
            tvars_set(&v, "n", "%d", st->count[R_AT_ABSENT]);
            tvars_set(&v, "max", "%d", cfg->max_absences);
            say(b, &o, "absences_over", "缺席{n}次，超过{max}次", &v);
        }
        say(b, &o, "end", "。", &v);
    } else if (e->clean) {
        const char *key = "clean", *def = "无问题。";
        if (e->grade == GRADE_PASS) {
            cap_vars(b, cs, &v);
            switch ((cap_outcome)e->cap_outcome) {
            case CAP_NONE: key = "below_min", def = "无问题，得分低于{grade_excellent}所需的{min_score}分。"; break;
            case CAP_FULL:
                if (cs->cap == 0) key = "cap_zero", def = "无问题；{scope}参评{ranked}人，按比例没有{grade_excellent}名额。";
                else key = "cap_full", def = "无问题；{grade_excellent}名额{cap}人已满（已评{awarded}人）。";
                break;
            case CAP_TIE:
                key = "cap_tie";
                def = "无问题；{cut_score}分同分{cut_size}人，计入将超过{grade_excellent}名额{cap}人（已评{awarded}人），"
                      "按规定均不评为{grade_excellent}。";
                break;
            case CAP_BELOW_TIE:
                key = "cap_below_tie";
                def = "无问题；{cut_score}分同分{cut_size}人计入将超过{grade_excellent}名额{cap}人（已评{awarded}人），"
                      "按规定该分数及以下均不评为{grade_excellent}。";
                break;
            }
        }
        say(b, &o, key, def, &v);
    } else {
        say(b, &o, "problems", "问题：", &v);
        int first = 1;
        for (int r = R_AT_ABSENT; r < R_COUNT; r++) {
            if (r == R_CS_UNCONFIRMED || !st->count[r]) continue;
            if (!first) put(&o, sep);
            rule_reason(b, &o, st, (rule_code)r, &v);
            first = 0;
        }
        say(b, &o, "end", "。", &v);
    }
    /* the score, its parts and the rank */
    tvars_set(&v, "score", "%s", fmt_score(e->score10, s, sizeof s));
    tvars_set(&v, "present", "%d", st->present);
    tvars_set(&v, "held", "%d", st->held);
    tvars_set(&v, "dues_ok", "%d", st->dues_ok);
    tvars_set(&v, "months", "%d", st->member_months);
    tvars_set(&v, "rank", "%d", e->rank);
    tvars_set(&v, "done", "%s", fmt_hours(st->svc_centi, h1, sizeof h1));
    tvars_set(&v, "min", "%s", fmt_hours(st->min_centi, h2, sizeof h2));
    char part[512];
    tmpl_expand_buf(st->held ? tmpl_get(&b->wording, "reasons", "attendance", "出勤{present}/{held}")
                             : tmpl_get(&b->wording, "reasons", "attendance_none", "无有签到记录的活动"),
                    &v, part, sizeof part);
    tvars_set(&v, "attendance", "%s", part);
    tmpl_expand_buf(st->min_centi > 0 ? tmpl_get(&b->wording, "reasons", "service", "确认服务{done}/{min}小时")
                                      : tmpl_get(&b->wording, "reasons", "service_not_required", "下沉社区不作要求"),
                    &v, part, sizeof part);
    tvars_set(&v, "service", "%s", part);
    say(b, &o, "score", "得分{score}（{attendance}，足额按时交费{dues_ok}/{months}月，{service}），{scope}排名{rank}/{ranked}", &v);
    return buf;
}
