/* config.c — see config.h.  Reads the INI with iniparser. */
#include "input/config.h"
#include "base/dates.h"
#include "input/encoding.h"
#include "input/parse.h"
#include "base/textutil.h"
#include "input/ini_file.h"
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const category_names[CAT_COUNT] = {"在职", "离退休", "学生", "流动"};

const char *category_name(member_category c) { return category_names[c]; }

int category_parse(const char *s)
{
    for (int i = 0; i < CAT_COUNT; i++)
        if (text_key_eq(s, category_names[i])) return i;
    return -1;
}

/* ---- list values ------------------------------------------------------- */

typedef struct { config *c; const char **out, **keys; int *n, max; int overflow; } list_ctx;

static void list_add(const char *item, void *vp)
{
    list_ctx *l = vp;
    char key[256];
    if (*l->n >= l->max) { l->overflow = 1; return; }
    l->out[*l->n] = arena_strdup(&l->c->arena, item);
    if (l->keys) l->keys[*l->n] = arena_strdup(&l->c->arena, text_key(item, key, sizeof key));
    (*l->n)++;
}

static int set_list(config *c, const char *value, const char **out, const char **keys, int *n, int max)
{
    list_ctx l = {c, out, keys, n, max, 0};
    *n = 0;
    text_split_list(value, list_add, &l);
    return l.overflow ? -1 : 0;
}

/* ---- rate tables ------------------------------------------------------- */

/* `3000:0.005, 5000:0.01, *:0.02` or `fixed:0.2` */
static int parse_rates(const char *v, rate_table *t)
{
    memset(t, 0, sizeof *t);
    char buf[512];
    snprintf(buf, sizeof buf, "%s", v);
    char *save = NULL;
    long last = -1;
    for (char *item = strtok_r(buf, ",，", &save); item; item = strtok_r(NULL, ",，", &save)) {
        text_trim(item);
        char *colon = strchr(item, ':');
        if (!colon) return -1;
        *colon = 0;
        char *bound = text_trim(item), *rate = text_trim(colon + 1);
        if (!strcmp(bound, "fixed")) {
            if (t->nbands || parse_money(rate, &t->fixed_cents) || t->fixed_cents < 0) return -1;
            t->fixed = 1;
            continue;
        }
        if (t->fixed || t->nbands == MAX_RATE_BANDS) return -1;
        double r;
        if (parse_decimal(rate, &r) || r < 0 || r > 1) return -1;
        long up = -1;
        if (strcmp(bound, "*")) {
            if (parse_money(bound, &up) || up <= last || last == -2) return -1;
            last = up;
        } else {
            if (last == -2) return -1;
            last = -2; /* '*' must be the last band */
        }
        t->upper_cents[t->nbands] = up;
        t->rate[t->nbands++] = r;
    }
    return t->fixed || t->nbands ? 0 : -1;
}

void config_free(config *c) { arena_free(&c->arena); }

int config_deadline(const config *c, int ym)
{
    for (int i = 0; i < c->ndeadlines; i++)
        if (c->deadline_month[i] == ym) return c->deadline_date[i];
    int dim = days_in_month(ym / 100, ym % 100);
    return ym * 100 + (c->deadline_day < dim ? c->deadline_day : dim);
}

/* ---- the key table ----------------------------------------------------- */

typedef enum { T_INT, T_NUM, T_BOOL, T_LIST, T_STR, T_SCOPE } key_type;

typedef struct {
    const char *section, *key;
    key_type type;
    size_t off;      /* offset of the field in config */
    double min, max; /* for T_INT / T_NUM */
    const char *def; /* the built-in default, as templates/rules.ini writes it */
} key_def;

#define F(field) offsetof(config, field)
static const key_def keys[] = {
    {"theme_day", "per_month", T_INT, F(per_month), 0, 31, "1"},
    {"theme_day", "deadline_day", T_INT, F(deadline_day), 1, 31, "22"},
    {"theme_day", "required_actions", T_LIST, F(nactions), 0, 0,
     "奏唱国歌, 重温入党誓词, 诵读党章, 交纳党费, 讲授微党课, 集中学习讨论"},
    {"dues", "grace_days", T_INT, F(grace_days), 0, 365, "0"},
    {"party", "lapse_months", T_INT, F(lapse_months), 1, 12, "6"},
    {"warnings", "enabled", T_BOOL, F(warn_enabled), 0, 0, "yes"},
    {"warnings", "lapse_months", T_INT, F(warn_lapse_months), 0, 11, "3"},
    {"community", "min_per_month", T_INT, F(min_per_month), 0, 31, "1"},
    {"community", "min_per_year", T_INT, F(min_per_year), 0, 366, "5"},
    {"community", "min_hours_per_year", T_NUM, F(min_hours_per_year), 0, 8784, "20"},
    {"community", "prorate", T_BOOL, F(prorate), 0, 0, "yes"},
    {"community", "special_post_factor", T_NUM, F(special_post_factor), 0, 1, "0.5"},
    {"community", "special_posts", T_LIST, F(nspecial_posts), 0, 0, "中小学教师, 幼儿园教师, 一线医护"},
    {"evaluation", "max_absences", T_INT, F(max_absences), 0, 1000, "3"},
    {"evaluation", "w_attendance", T_NUM, F(w_attendance), 0, 1000, "40"},
    {"evaluation", "w_dues", T_NUM, F(w_dues), 0, 1000, "30"},
    {"evaluation", "w_service", T_NUM, F(w_service), 0, 1000, "30"},
    {"evaluation", "excellent_min_score", T_NUM, F(excellent_min_score), 0, 100, "90"},
    {"evaluation", "excellent_max_ratio", T_NUM, F(excellent_max_ratio), 0, 1, "0.30"},
    {"evaluation", "excellent_scope", T_SCOPE, F(excellent_scope_all), 0, 0, "branch"},
    {"evaluation", "grade_excellent", T_STR, F(grade_excellent), 0, 0, "优秀"},
    {"evaluation", "grade_pass", T_STR, F(grade_pass), 0, 0, "合格"},
    {"evaluation", "grade_fail", T_STR, F(grade_fail), 0, 0, "不合格"},
    {"fonts", "song", T_STR, F(font_song), 0, 0, "AR PL UMing CN"},
    {"fonts", "hei", T_STR, F(font_hei), 0, 0, "WenQuanYi Zen Hei"},
    {"fonts", "kai", T_STR, F(font_kai), 0, 0, "AR PL UKai CN"},
    {"fonts", "latin", T_STR, F(font_latin), 0, 0, "Liberation Serif"},
    {"fonts", "fallback", T_LIST, F(nfont_fallback), 0, 0, "BabelStone Han, HanaMinA, HanaMinB"},
    {"report", "organization", T_STR, F(organization), 0, 0, ""},
};
#undef F
enum { NKEYS = sizeof keys / sizeof keys[0] };

/* [dues.rates] by category; 流动 uses the 在职 table unless given (Settled 7) */
static const char *const default_rates[CAT_COUNT] = {
    [CAT_ACTIVE] = "3000:0.005, 5000:0.01, 10000:0.015, *:0.02",
    [CAT_RETIRED] = "5000:0.005, *:0.01",
    [CAT_STUDENT] = "fixed:0.2",
};

static const char *const free_sections[] = {"deadlines", "dues.rates"};

/* ---- loading ------------------------------------------------------------ */

static int set_value(config *c, const key_def *k, const char *v)
{
    void *field = (char *)c + k->off;
    double d;
    switch (k->type) {
    case T_INT:
        if (parse_decimal(v, &d) || d != floor(d) || d < k->min || d > k->max) return -1;
        *(int *)field = (int)d;
        return 0;
    case T_NUM:
        if (parse_decimal(v, &d) || d < k->min || d > k->max) return -1;
        *(double *)field = d;
        return 0;
    case T_BOOL: {
        int b;
        if (parse_yesno(v, &b)) return -1;
        *(int *)field = b;
        return 0;
    }
    case T_STR:
        *(const char **)field = arena_strdup(&c->arena, v);
        return 0;
    case T_SCOPE:
        if (text_key_eq(v, "branch")) *(int *)field = 0;
        else if (text_key_eq(v, "all")) *(int *)field = 1;
        else return -1;
        return 0;
    case T_LIST:
        if (k->off == offsetof(config, nactions))
            return set_list(c, v, c->actions, c->action_keys, &c->nactions, MAX_ACTIONS);
        if (k->off == offsetof(config, nfont_fallback))
            return set_list(c, v, c->font_fallback, NULL, &c->nfont_fallback, MAX_FONT_FALLBACK);
        return set_list(c, v, c->special_posts, c->special_post_keys, &c->nspecial_posts, MAX_SPECIAL_POSTS);
    }
    return -1;
}

void config_defaults(config *c)
{
    memset(c, 0, sizeof *c); /* c may be uninitialized: nothing to free */
    /* the defaults are read as a rules file's values are (a test holds them to templates/rules.ini) */
    for (size_t i = 0; i < NKEYS; i++) set_value(c, &keys[i], keys[i].def);
    for (int k = 0; k < CAT_COUNT; k++)
        if (default_rates[k]) parse_rates(default_rates[k], &c->rates[k]);
    c->rates[CAT_MOBILE] = c->rates[CAT_ACTIVE];
}

/* 1 when line `line` of text has an unquoted value with ; or # in it:
   iniparser keeps only what comes before (the rest is a comment). */
static int value_cut_by_comment(const char *text, int line)
{
    const char *p = text;
    for (int l = 1; p && l < line; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p || line <= 0) return 0;
    const char *end = strchr(p, '\n');
    if (!end) end = p + strlen(p);
    const char *eq = memchr(p, '=', (size_t)(end - p));
    if (!eq) return 0;
    const char *v = eq + 1;
    while (v < end && (*v == ' ' || *v == '\t')) v++;
    if (v < end && (*v == '"' || *v == '\'')) return 0;
    for (const char *q = v; q < end; q++)
        if (*q == ';' || *q == '#') return q > v;
    return 0;
}

static const char *type_hint(const key_def *k, char *buf, size_t n)
{
    switch (k->type) {
    case T_INT: snprintf(buf, n, "应为 %g 到 %g 的整数", k->min, k->max); return buf;
    case T_NUM: snprintf(buf, n, "应为 %g 到 %g 的数字", k->min, k->max); return buf;
    case T_BOOL: return "应为 yes/no";
    case T_LIST: return "应为以逗号分隔的列表";
    case T_STR: return "应为文字";
    case T_SCOPE: return "应为 branch 或 all";
    }
    return "";
}

int config_load(config *c, const char *path, char *err, size_t errlen)
{
    ini_file ini;
    if (ini_file_load(&ini, path, err, errlen)) return -1;
    const char *name = ini.name, *text = ini.text;
    dictionary *d = ini.dict;
    int rc = 0, mobile_set = 0;
    int nsec = iniparser_getnsec(d);
    /* iniparser keeps the last of a key given twice: refuse that instead */
    ini_duplicate dup;
    if (ini_file_duplicate(&ini, &dup)) {
        ini_file_say(err, errlen, name, dup.line, "[%s] %s: 这个键写了两次（第 %d 行和第 %d 行），只能保留一个：请删去其中一行",
            dup.section, dup.key, dup.first_line, dup.line);
        rc = -1;
    }
    for (int s = 0; s < nsec && rc == 0; s++) {
        const char *sec = iniparser_getsecname(d, s);
        if (!strncmp(sec, "columns.", 8)) { /* SPEC item 15: the user's header names */
            rc = column_map_load(&c->columns, &c->arena, &ini, sec, err, errlen);
            continue;
        }
        int nk = iniparser_getsecnkeys(d, sec);
        const char **ks = xcalloc((size_t)nk + 1, sizeof *ks);
        if (nk > 0) iniparser_getseckeys(d, sec, ks);
        int known_sec = 0, free_sec = -1;
        for (size_t i = 0; i < NKEYS; i++)
            if (!strcmp(keys[i].section, sec)) known_sec = 1;
        for (int i = 0; i < 2; i++)
            if (!strcmp(free_sections[i], sec)) free_sec = i;
        if (!known_sec && free_sec < 0) {
            ini_file_say(err, errlen, name, ini_file_line(&ini, sec, NULL), "[%s]: 未知的节（section）", sec);
            rc = -1;
        }
        if (free_sec == 0) c->ndeadlines = 0;
        for (int i = 0; i < nk && rc == 0; i++) {
            const char *key = strchr(ks[i], ':') ? strchr(ks[i], ':') + 1 : ks[i];
            const char *v = iniparser_getstring(d, ks[i], "");
            int line = ini_file_line(&ini, sec, key);
            if (free_sec == 0) {
                int ym, ymd;
                if (parse_month(key, &ym)) {
                    ini_file_say(err, errlen, name, line, "[deadlines] %s: 键应为月份，如 2022-09", key);
                    rc = -1;
                } else if (parse_date(v, &ymd)) {
                    ini_file_say(err, errlen, name, line, "[deadlines] %s: “%s”不是日期", key, v);
                    rc = -1;
                } else if (ymd / 100 != ym) {
                    ini_file_say(err, errlen, name, line, "[deadlines] %s: 截止日期 %s 不在该月内", key, v);
                    rc = -1;
                } else if (c->ndeadlines == MAX_DEADLINES) {
                    ini_file_say(err, errlen, name, line, "[deadlines]: 最多 %d 项", MAX_DEADLINES);
                    rc = -1;
                } else {
                    c->deadline_month[c->ndeadlines] = ym;
                    c->deadline_date[c->ndeadlines++] = ymd;
                }
                continue;
            }
            if (free_sec == 1) {
                int cat = category_parse(key);
                if (cat < 0) {
                    ini_file_say(err, errlen, name, line, "[dues.rates] %s: 未知的人员类别（应为 在职、离退休、学生、流动）", key);
                    rc = -1;
                } else if ((mobile_set |= cat == CAT_MOBILE, parse_rates(v, &c->rates[cat]))) {
                    ini_file_say(err, errlen, name, line,
                        "[dues.rates] %s: “%s”格式不对，应如 3000:0.005, 5000:0.01, *:0.02 或 fixed:0.2", key, v);
                    rc = -1;
                }
                continue;
            }
            const key_def *k = NULL;
            for (size_t j = 0; j < NKEYS; j++)
                if (!strcmp(keys[j].section, sec) && !strcmp(keys[j].key, key)) k = &keys[j];
            if (!k) {
                ini_file_say(err, errlen, name, line, "[%s] %s: 未知的键", sec, key);
                rc = -1;
            } else if ((k->type == T_LIST || k->type == T_STR) && value_cut_by_comment(text, line)) {
                ini_file_say(err, errlen, name, line, "[%s] %s: 值中 ; 或 # 之后的部分会被当作注释丢掉：请给整个值加引号", sec,
                    key);
                rc = -1;
            } else if (set_value(c, k, v)) {
                char hint[128];
                ini_file_say(err, errlen, name, line, "[%s] %s: “%s”%s", sec, key, v, type_hint(k, hint, sizeof hint));
                rc = -1;
            }
        }
        free(ks);
    }
    if (!mobile_set) c->rates[CAT_MOBILE] = c->rates[CAT_ACTIVE];
    if (rc == 0 && c->w_attendance + c->w_dues + c->w_service <= 0) {
        ini_file_say(err, errlen, name, ini_file_line(&ini, "evaluation", NULL), "[evaluation]: 三项权重之和必须大于 0");
        rc = -1;
    }
    /* a lapse warning must come before the lapse itself, or it could never be given */
    if (rc == 0 && c->warn_enabled && c->warn_lapse_months >= c->lapse_months) {
        int line = ini_file_line(&ini, "warnings", "lapse_months");
        ini_file_say(err, errlen, name, line > 0 ? line : ini_file_line(&ini, "party", "lapse_months"),
            "[warnings] lapse_months: %d 个月不小于 [party] lapse_months（%d 个月），这种预警永远不会出现："
            "请改为小于 %d 的数（0 = 不对连续不参加组织生活、不交党费预警），或设 enabled = no",
            c->warn_lapse_months, c->lapse_months, c->lapse_months);
        rc = -1;
    }
    ini_file_free(&ini);
    return rc;
}
