/*
 * config.h — the rules configuration (SPEC: Rules (INI), Settled 12).
 *
 * Built-in defaults are the notices' values and equal templates/rules.ini
 * (a test checks that); a rules file overrides any key.  Unknown sections or
 * keys and values of the wrong type are configuration errors (exit 2).
 */
#ifndef ZHIBU_CONFIG_H
#define ZHIBU_CONFIG_H
#include "base/arena.h"
#include "input/columns.h"

enum { MAX_ACTIONS = 32, MAX_SPECIAL_POSTS = 32, MAX_DEADLINES = 64, MAX_RATE_BANDS = 8, MAX_FONT_FALLBACK = 8 };

typedef enum { CAT_ACTIVE, CAT_RETIRED, CAT_STUDENT, CAT_MOBILE, CAT_COUNT } member_category;

typedef struct {
    int fixed;                     /* 1: a fixed amount per month */
    long fixed_cents;
    int nbands;
    long upper_cents[MAX_RATE_BANDS]; /* inclusive upper bound of the base; -1 = no bound (*) */
    double rate[MAX_RATE_BANDS];
} rate_table;

typedef struct {
    /* [theme_day] */
    int per_month;
    int deadline_day;
    int nactions;
    const char *actions[MAX_ACTIONS];      /* as written, for display */
    const char *action_keys[MAX_ACTIONS];  /* text_key() of each, for matching */
    /* [deadlines] */
    int ndeadlines;
    int deadline_month[MAX_DEADLINES];     /* YYYYMM */
    int deadline_date[MAX_DEADLINES];      /* YYYYMMDD */
    /* [dues], [dues.rates] */
    int grace_days;
    rate_table rates[CAT_COUNT];
    /* [party] */
    int lapse_months;
    /* [warnings] (SPEC 预警): early warnings on; a running lapse streak this
       long warns (0 = no lapse warning; below [party] lapse_months) */
    int warn_enabled;
    int warn_lapse_months;
    /* [community] */
    int min_per_month;
    int min_per_year;
    double min_hours_per_year;
    int prorate;
    double special_post_factor;
    int nspecial_posts;
    const char *special_posts[MAX_SPECIAL_POSTS];
    const char *special_post_keys[MAX_SPECIAL_POSTS];
    /* [evaluation] */
    int max_absences;
    double w_attendance, w_dues, w_service;
    double excellent_min_score;
    double excellent_max_ratio;
    int excellent_scope_all;               /* 0 = per branch, 1 = whole run */
    const char *grade_excellent, *grade_pass, *grade_fail;
    /* [fonts] (added by zhibu) */
    const char *font_song, *font_hei, *font_kai;
    const char *font_latin;                /* [fonts] latin: digits and letters of Song and Kai ("" = none) */
    int nfont_fallback;                    /* [fonts] fallback: families tried in order for */
    const char *font_fallback[MAX_FONT_FALLBACK]; /* a character the face lacks */
    /* [report] (added by zhibu) */
    const char *organization;              /* "" = take the unit from members.csv */
    /* [columns.<file>] (SPEC item 15): the user's header texts */
    column_map columns;
    rarena arena;
} config;

/** Fill with the built-in defaults (c need not be initialized; free with config_free). */
void config_defaults(config *c);
/**
 * Load `path` over the current values.  On a configuration error returns -1
 * with a message `file:line: [section] key: what is wrong` in err.
 */
int config_load(config *c, const char *path, char *err, size_t errlen);
void config_free(config *c);

/** The deadline of month ym (YYYYMMDD): [deadlines] or deadline_day clamped. */
int config_deadline(const config *c, int ym);
/** Parse a category name (在职, 离退休, 学生, 流动); -1 if unknown. */
int category_parse(const char *s);
const char *category_name(member_category c);

#endif
