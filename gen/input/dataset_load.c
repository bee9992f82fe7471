/*
 * dataset_load.c — the input CSVs → domain records (see dataset.h).
 *
 * One small function per file turns a row into a record through the typed
 * getters below; every problem is reported at `file:line: column:` and a
 * row with an error is skipped, never half-added.  Cross-row checks that
 * need the whole file (duplicate payments, a day over 24 hours, duplicate
 * sign-ins) run after the file is read, on sorted indexes, so they stay
 * O(n log n) at city scale.
 */
#include "input/dataset.h"
#include "input/csv_read.h"
#include "base/dates.h"
#include "input/parse.h"
#include "base/progress.h"
#include "base/textutil.h"
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char *const kind_names[MK_COUNT] = {"主题党日", "支部党员大会", "支委会", "党小组会", "党课"};
static const char *const status_names[] = {"出席", "请假", "缺席"};
static const char *const exemption_types[] = {"妊娠期", "哺乳期", "伤残", "病休", "异地挂职"};

const char *meeting_kind_name(meeting_kind k) { return kind_names[k]; }
const char *attendance_status_name(attendance_status s) { return status_names[s]; }

/* ---- typed getters over one row ---------------------------------------- */

/* Member rows skipped for errors and the branch they name: matched to a
   branch once members.csv is read (its first good row may come later). */
typedef struct { const char *id, *branch; } pending_row;
typedef struct { pending_row *v; size_t n, cap; } pending_rows;

typedef struct {
    dataset *ds;
    const config *cfg;
    problems *probs;
    const csv_table *t;
    const csv_row *row;
    const csv_colspec *specs;
    const int *idx;
    int bad;             /* an error was reported: the row is skipped */
    const char *group;   /* the branch the row belongs to (as written), NULL = not known:
                            given to the row's problems (SPEC item 20) */
    pending_rows *pending;
    strmap *strs;        /* interned cell texts (in ds->arena) */
    struct id_cache *cache;
} rowctx;

/* The last id looked up per kind: rows come grouped by meeting or by
   member, so most lookups repeat the one before. */
struct id_cache {
    char member[64], meeting[64];
    int member_ix, meeting_ix;
};

static int cached_get(const strmap *m, const char *id, char *last, int *last_ix)
{
    if (last[0] && !strcmp(id, last)) return *last_ix;
    int v = strmap_get(m, id);
    size_t n = strlen(id);
    if (v >= 0 && n < 64) {
        memcpy(last, id, n + 1);
        *last_ix = v;
    }
    return v;
}

/* The row's cells live in the reader's buffer only while the row is read:
   what a record keeps is copied into the dataset's arena.  Ids and names
   are copied; the short texts that repeat (unit, reason, channel,
   community, confirmer …) are interned, so a city's 8 million rows keep
   one copy of each distinct text. */
static const char *keep(rowctx *r, const char *s)
{
    return s[0] ? arena_strdup(&r->ds->arena, s) : "";
}

static const char *intern(rowctx *r, const char *s)
{
    if (!s[0]) return "";
    size_t n = strlen(s);
    if (n > 96) return arena_strndup(&r->ds->arena, s, n); /* long texts rarely repeat */
    const char *k = strmap_key(r->strs, s);
    if (k) return k;
    k = arena_strndup(&r->ds->arena, s, n);
    strmap_put(r->strs, k, 0);
    return k;
}

static const char *colname(const rowctx *r, int i)
{
    return r->idx[i] >= 0 ? r->t->header[r->idx[i]] : r->specs[i].name;
}

static void row_problem(rowctx *r, prob_severity sev, int i, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static void row_problem(rowctx *r, prob_severity sev, int i, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem_add(r->probs, sev, r->t->name, r->row->line, i >= 0 ? colname(r, i) : NULL, "%s", msg);
    if (sev != PROB_WARNING) r->bad = 1;
}

static const char *cell(const rowctx *r, int i)
{
    return r->idx[i] >= 0 ? r->row->fields[r->idx[i]] : "";
}

/* The cell of spec i; an empty required cell is an error. */
static const char *text(rowctx *r, int i)
{
    const char *s = cell(r, i);
    if (!s[0] && r->specs[i].required) row_problem(r, PROB_ERROR, i, "不能为空");
    return s;
}

typedef int (*parse_fn)(const char *, void *);

static int typed(rowctx *r, int i, parse_fn fn, void *out, const char *what)
{
    const char *s = text(r, i);
    if (!s[0]) return 0;
    char q[128];
    if (fn(s, out)) { row_problem(r, PROB_ERROR, i, "无法识别的%s“%s”", what, text_quote(s, q, sizeof q)); return 0; }
    return 1;
}

static int p_month(const char *s, void *o)
{
    int ymd;
    if (parse_date(s, &ymd) == 0) return -1; /* a full date in a month cell */
    return parse_month(s, o);
}
static int p_money(const char *s, void *o) { return parse_money(s, o); }
static int p_hours(const char *s, void *o) { return parse_hours(s, o); }
static int p_yesno(const char *s, void *o) { return parse_yesno(s, o); }

/* A date (or month) cell that holds an Excel date serial: the column was
   not formatted as a date when the sheet was saved as CSV (SPEC item 17). */
static int serial_hint(rowctx *r, int i, const char *what, const char *fix)
{
    const char *s = cell(r, i);
    int ymd;
    if (parse_excel_serial(s, &ymd)) return 0;
    row_problem(r, PROB_ERROR, i, "无法识别的%s“%s”：这像是 Excel 的日期序号（对应 %04d-%02d-%02d）；%s", what, s,
                ymd / 10000, ymd / 100 % 100, ymd % 100, fix);
    return 1;
}

static int get_date(rowctx *r, int i, int *v)
{
    *v = 0;
    const char *s = text(r, i);
    if (!s[0] || parse_date(s, v) == 0) return s[0] != 0;
    *v = 0;
    if (!serial_hint(r, i, "日期", "请在 Excel 或 WPS 中把这一列设置为日期格式，再另存为 CSV")) {
        char q[128];
        row_problem(r, PROB_ERROR, i, "无法识别的日期“%s”", text_quote(s, q, sizeof q));
    }
    return 0;
}

static int get_month(rowctx *r, int i, int *v)
{
    *v = 0;
    const char *s = text(r, i);
    if (!s[0] || p_month(s, v) == 0) return s[0] != 0;
    *v = 0;
    if (!serial_hint(r, i, "月份",
                     "请在 Excel 或 WPS 中把这一列设置为“yyyy-mm”格式（或文本，如 2022-09），再另存为 CSV")) {
        char q[128];
        row_problem(r, PROB_ERROR, i, "无法识别的月份（应如 2022-09）“%s”", text_quote(s, q, sizeof q));
    }
    return 0;
}
static int get_yesno(rowctx *r, int i, int *v, int def)
{
    *v = def;
    return typed(r, i, p_yesno, v, "是/否值");
}

static int get_money(rowctx *r, int i, long *v)
{
    *v = 0;
    const char *s = cell(r, i);
    size_t nd = strspn(s, "0123456789");
    if (nd > 11 && (!s[nd] || s[nd] == '.')) { /* parse_money's limit: 10^11 yuan */
        char q[128];
        row_problem(r, PROB_ERROR, i, "金额“%s”大得不合理", text_quote(s, q, sizeof q));
        return 0;
    }
    if (!typed(r, i, p_money, v, "金额")) return 0;
    if (*v < 0) { row_problem(r, PROB_ERROR, i, "金额不能为负数（%s）", cell(r, i)); return 0; }
    return 1;
}

/* Match an enumerated value; returns its index or -1 (reported). */
static int get_enum(rowctx *r, int i, const char *const *names, int n, int def, const char *what)
{
    const char *s = text(r, i);
    if (!s[0]) return def;
    char ks[1024], kn[1024];
    text_key(s, ks, sizeof ks);
    for (int k = 0; k < n; k++)
        if (!strcmp(ks, text_key(names[k], kn, sizeof kn))) return k;
    char q[128], list[256] = "";
    for (int k = 0; k < n; k++) {
        strncat(list, names[k], sizeof list - strlen(list) - 1);
        if (k + 1 < n) strncat(list, "、", sizeof list - strlen(list) - 1);
    }
    row_problem(r, PROB_ERROR, i, "未知的%s“%s”（应为 %s）", what, text_quote(s, q, sizeof q), list);
    return -1;
}

static int get_member(rowctx *r, int i)
{
    const char *s = text(r, i);
    if (!s[0]) return -1;
    int m = cached_get(&r->ds->member_ix, s, r->cache->member, &r->cache->member_ix);
    char q[128];
    int bad_line = strmap_get(&r->ds->bad_member_ix, s);
    if (m < 0 && bad_line > 0)
        row_problem(r, PROB_ERROR, i, "党员编号“%s”在 members.csv 第 %d 行有错误，这一行无法核对", text_quote(s, q, sizeof q), bad_line);
    else if (m < 0)
        row_problem(r, PROB_ERROR, i, "未知的党员编号“%s”（members.csv 中没有）", text_quote(s, q, sizeof q));
    int b = m >= 0 ? r->ds->members[m].branch : strmap_get(&r->ds->bad_member_branch, s);
    if (b >= 0) r->group = r->ds->branches[b].name;
    return m;
}

static void warn_year(rowctx *r, int i, int year, int *in_year)
{
    *in_year = r->ds->year == 0 || year == r->ds->year;
    if (!*in_year)
        row_problem(r, PROB_WARNING, i, "日期不在 %d 年内，规则检查时忽略此行", r->ds->year);
}

/* ---- the files ---------------------------------------------------------- */

int dataset_branch(const dataset *ds, const char *name)
{
    char key[512];
    text_key(name, key, sizeof key);
    return strmap_get(&ds->branch_ix, key);
}

static int branch_of(dataset *ds, const char *name, int create)
{
    char key[512];
    text_key(name, key, sizeof key);
    int b = strmap_get(&ds->branch_ix, key);
    if (b >= 0 || !create) return b;
    GROW(ds->branches, ds->cap_b, ds->nbranches);
    b = (int)ds->nbranches++;
    ds->branches[b] = (branch){arena_strdup(&ds->arena, name), "", 0};
    strmap_put(&ds->branch_ix, arena_strdup(&ds->arena, key), b);
    return b;
}

static void member_row(rowctx *r)
{
    dataset *ds = r->ds;
    const config *cfg = r->cfg;
    member m = {.special_post = -1, .base_cents = -1, .line = r->row->line};
    m.id = text(r, M_ID);
    m.name = text(r, M_NAME);
    const char *bname = text(r, M_BRANCH);
    r->group = bname;
    m.unit = cell(r, M_UNIT);
    m.category = get_enum(r, M_CAT, (const char *const[]){"在职", "离退休", "学生", "流动"}, CAT_COUNT, CAT_ACTIVE, "人员类别");
    const char *sp = cell(r, M_SPECIAL);
    if (sp[0]) {
        m.special_post = get_enum(r, M_SPECIAL, cfg->special_posts, cfg->nspecial_posts, -1, "特殊岗位");
    }
    get_yesno(r, M_LEADER, &m.leader, 0);
    get_money(r, M_DUES, &m.dues_cents);
    if (cell(r, M_BASE)[0] && !get_money(r, M_BASE, &m.base_cents)) m.base_cents = -1;
    get_date(r, M_JOINED, &m.joined);
    get_date(r, M_LEFT, &m.left);
    if (m.joined && m.left && m.joined > m.left)
        row_problem(r, PROB_ERROR, M_LEFT, "转出日期早于入党（转入）日期");
    if (m.id[0] && strmap_get(&ds->member_ix, m.id) >= 0) {
        const member *first = &ds->members[strmap_get(&ds->member_ix, m.id)];
        char q[128], q2[128], q3[128];
        if (bname[0] && branch_of(ds, bname, 0) != first->branch)
            row_problem(r, PROB_ERROR, M_ID, "党员编号“%s”重复：第 %d 行在“%s”，这一行在“%s”（一名党员只能属于一个支部）",
                        text_quote(m.id, q, sizeof q), first->line,
                        text_quote(ds->branches[first->branch].name, q2, sizeof q2), text_quote(bname, q3, sizeof q3));
        else if (strcmp(first->name, m.name))
            row_problem(r, PROB_ERROR, M_ID, "党员编号“%s”重复：第 %d 行是“%s”，这一行是“%s”", text_quote(m.id, q, sizeof q),
                        first->line, text_quote(first->name, q2, sizeof q2), text_quote(m.name, q3, sizeof q3));
        else
            row_problem(r, PROB_ERROR, M_ID, "党员编号“%s”重复（第一次出现在第 %d 行）", text_quote(m.id, q, sizeof q),
                        first->line);
    }
    if (r->bad) {
        if (m.id[0] && strmap_get(&ds->member_ix, m.id) < 0 && strmap_get(&ds->bad_member_ix, m.id) < 0) {
            m.id = keep(r, m.id);
            strmap_put(&ds->bad_member_ix, m.id, m.line);
            if (bname[0] && r->pending) {
                pending_rows *p = r->pending;
                GROW(p->v, p->cap, p->n);
                p->v[p->n++] = (pending_row){m.id, keep(r, bname)};
            }
        }
        return;
    }
    m.id = keep(r, m.id);
    m.name = keep(r, m.name);
    m.unit = intern(r, m.unit);
    m.branch = branch_of(ds, bname, 1);
    branch *b = &ds->branches[m.branch];
    b->nmembers++;
    if (!b->unit[0] && m.unit[0]) b->unit = m.unit;
    GROW(ds->members, ds->cap_m, ds->nmembers);
    ds->members[ds->nmembers] = m;
    strmap_put(&ds->member_ix, m.id, (int)ds->nmembers);
    ds->nmembers++;
}

typedef struct { const config *cfg; unsigned long long done; } actions_ctx;

static void action_done(const char *item, void *vp)
{
    actions_ctx *a = vp;
    char key[256];
    text_key(item, key, sizeof key);
    for (int i = 0; i < a->cfg->nactions; i++)
        if (!strcmp(key, a->cfg->action_keys[i])) a->done |= 1ULL << i;
}

static void meeting_row(rowctx *r)
{
    dataset *ds = r->ds;
    meeting m = {.line = r->row->line};
    m.id = text(r, MT_ID);
    const char *bname = text(r, MT_BRANCH);
    r->group = bname;
    get_date(r, MT_DATE, &m.date);
    int kind = get_enum(r, MT_KIND, kind_names, MK_COUNT, MK_THEME_DAY, "活动类型");
    m.topic = cell(r, MT_TOPIC);
    m.actions = cell(r, MT_ACTIONS);
    actions_ctx a = {r->cfg, 0};
    text_split_list(m.actions, action_done, &a);
    m.done = a.done;
    get_yesno(r, MT_MINUTES, &m.minutes, 0);
    m.branch = bname[0] ? branch_of(ds, bname, 0) : -1;
    char q[128];
    if (bname[0] && m.branch < 0)
        row_problem(r, PROB_ERROR, MT_BRANCH, "未知的支部“%s”（members.csv 中没有这个支部）", text_quote(bname, q, sizeof q));
    if (m.id[0] && strmap_get(&ds->meeting_ix, m.id) >= 0)
        row_problem(r, PROB_ERROR, MT_ID, "活动编号“%s”重复（第一次出现在第 %d 行）", text_quote(m.id, q, sizeof q),
                    ds->meetings[strmap_get(&ds->meeting_ix, m.id)].line);
    if (r->bad) {
        if (m.id[0] && strmap_get(&ds->meeting_ix, m.id) < 0 && strmap_get(&ds->bad_meeting_ix, m.id) < 0) {
            m.id = keep(r, m.id);
            strmap_put(&ds->bad_meeting_ix, m.id, m.line);
            if (m.branch >= 0) strmap_put(&ds->bad_meeting_branch, m.id, m.branch);
        }
        return;
    }
    m.id = keep(r, m.id);
    m.topic = intern(r, m.topic);
    m.actions = intern(r, m.actions);
    m.kind = (meeting_kind)kind;
    warn_year(r, MT_DATE, ymd_year(m.date), &m.in_year);
    GROW(ds->meetings, ds->cap_mt, ds->nmeetings);
    ds->meetings[ds->nmeetings] = m;
    strmap_put(&ds->meeting_ix, m.id, (int)ds->nmeetings);
    ds->nmeetings++;
}

static void attendance_row(rowctx *r)
{
    dataset *ds = r->ds;
    attendance a = {.line = r->row->line};
    const char *mid = text(r, A_MEETING);
    a.meeting = mid[0] ? cached_get(&ds->meeting_ix, mid, r->cache->meeting, &r->cache->meeting_ix) : -1;
    char q[128];
    int bad_line = mid[0] ? strmap_get(&ds->bad_meeting_ix, mid) : -1;
    if (mid[0] && a.meeting < 0 && bad_line > 0)
        row_problem(r, PROB_ERROR, A_MEETING, "活动编号“%s”在 meetings.csv 第 %d 行有错误，这一行无法核对",
                    text_quote(mid, q, sizeof q), bad_line);
    else if (mid[0] && a.meeting < 0)
        row_problem(r, PROB_ERROR, A_MEETING, "未知的活动编号“%s”（meetings.csv 中没有）", text_quote(mid, q, sizeof q));
    a.member = get_member(r, A_MEMBER);
    /* a sign-in belongs to its meeting's branch */
    int mb_ = a.meeting >= 0 ? ds->meetings[a.meeting].branch : mid[0] ? strmap_get(&ds->bad_meeting_branch, mid) : -1;
    if (mb_ >= 0) r->group = ds->branches[mb_].name;
    int st = get_enum(r, A_STATUS, status_names, 3, -1, "出勤状态");
    a.reason = cell(r, A_REASON);
    if (r->bad) return;
    a.reason = intern(r, a.reason);
    a.status = (attendance_status)st;
    const meeting *mt = &ds->meetings[a.meeting];
    const member *mb = &ds->members[a.member];
    if (mt->branch != mb->branch) {
        a.foreign = 1;
        row_problem(r, PROB_WARNING, A_MEMBER, "%s（%s）属于%s，不是%s的活动，规则检查时忽略",
                    mb->id, mb->name, ds->branches[mb->branch].name, ds->branches[mt->branch].name);
    }
    GROW(ds->att, ds->cap_a, ds->natt);
    ds->att[ds->natt++] = a;
}

/* The dues status column (SPEC item 19): what platforms write for a
   payment made, and for one owed, failed or refunded.  Empty = paid. */
static const char *const paid_words[] = {"已缴", "已交", "已缴纳", "已交纳", "已支付", "成功", "paid",
                                         "已缴费", "已交费", "缴费成功", "支付成功"};
static const char *const unpaid_words[] = {"待缴", "未缴", "未交", "待支付", "失败", "已退款", "unpaid", "pending",
                                           "待缴费", "未缴费", "未交费", "待交", "待交费", "待缴纳", "未缴纳",
                                           "未支付", "缴费失败", "支付失败"};

/* 0 paid, 1 no payment, -1 unknown (reported) */
static int get_pay_status(rowctx *r, int i)
{
    const char *s = cell(r, i);
    if (!s[0]) return 0;
    char ks[256];
    text_key(s, ks, sizeof ks);
    /* the words are their own keys (NFKC, no white space, lower case) */
    for (size_t k = 0; k < sizeof paid_words / sizeof *paid_words; k++)
        if (!strcmp(ks, paid_words[k])) return 0;
    for (size_t k = 0; k < sizeof unpaid_words / sizeof *unpaid_words; k++)
        if (!strcmp(ks, unpaid_words[k])) return 1;
    char q[128];
    row_problem(r, PROB_ERROR, i,
                "未知的缴费状态“%s”（表示已交的：已缴、已交、已缴纳、已支付、成功、paid 等；"
                "表示未交的：待缴、未缴、未交、待支付、失败、已退款、unpaid、pending 等；空 = 已交）",
                text_quote(s, q, sizeof q));
    return -1;
}

static void dues_row(rowctx *r)
{
    dataset *ds = r->ds;
    payment p = {.line = r->row->line};
    p.member = get_member(r, D_MEMBER);
    get_month(r, D_MONTH, &p.month);
    int st = get_pay_status(r, D_STATUS);
    /* a bill still owed may have no amount at all */
    if (st != 1 || cell(r, D_AMOUNT)[0]) get_money(r, D_AMOUNT, &p.cents);
    get_date(r, D_PAID, &p.paid_on);
    p.channel = cell(r, D_CHANNEL);
    p.status = cell(r, D_STATUS);
    if (r->bad) return;
    p.channel = intern(r, p.channel);
    p.status = intern(r, p.status);
    p.written_cents = p.cents;
    if (st == 1) {
        /* kept, but no payment: nothing counted, and no date paid (so no DU-LATE) */
        p.no_payment = 1;
        p.cents = 0;
        p.paid_on = 0;
    }
    warn_year(r, D_MONTH, p.month / 100, &p.in_year);
    GROW(ds->pay, ds->cap_p, ds->npay);
    ds->pay[ds->npay++] = p;
}

static void service_row(rowctx *r)
{
    dataset *ds = r->ds;
    service_record s = {.line = r->row->line};
    s.member = get_member(r, S_MEMBER);
    get_date(r, S_DATE, &s.date);
    if (typed(r, S_HOURS, p_hours, &s.centi_hours, "时长")) {
        if (s.centi_hours < 0) row_problem(r, PROB_ERROR, S_HOURS, "时长不能为负数（%s）", cell(r, S_HOURS));
        else if (s.centi_hours > 2400) row_problem(r, PROB_ERROR, S_HOURS, "一天的服务时长不能超过 24 小时（%s）", cell(r, S_HOURS));
    }
    s.community = cell(r, S_COMMUNITY);
    s.content = cell(r, S_CONTENT);
    s.confirmer = cell(r, S_CONFIRMER);
    s.rating = cell(r, S_RATING);
    s.confirmed = !text_blank(s.confirmer);
    if (r->bad) return;
    s.community = intern(r, s.community);
    s.content = intern(r, s.content);
    s.confirmer = intern(r, s.confirmer);
    s.rating = intern(r, s.rating);
    warn_year(r, S_DATE, ymd_year(s.date), &s.in_year);
    GROW(ds->svc, ds->cap_s, ds->nsvc);
    ds->svc[ds->nsvc++] = s;
}

static void exemption_row(rowctx *r)
{
    dataset *ds = r->ds;
    exemption e = {.line = r->row->line};
    e.member = get_member(r, E_MEMBER);
    int t = get_enum(r, E_TYPE, exemption_types, 5, -1, "豁免类型");
    get_date(r, E_FROM, &e.from);
    get_date(r, E_TO, &e.to);
    if (e.from && e.to && e.from > e.to) row_problem(r, PROB_ERROR, E_TO, "结束日期早于开始日期");
    if (r->bad) return;
    e.type = exemption_types[t];
    GROW(ds->exm, ds->cap_e, ds->nexm);
    ds->exm[ds->nexm++] = e;
}

/* ---- cross-row checks --------------------------------------------------- */

/* Rows in order of two keys, then of their line (x = the first row's, y = the second's). */
static int cmp_keys(long x1, long x2, long x_line, long y1, long y2, long y_line)
{
    if (x1 != y1) return x1 < y1 ? -1 : 1;
    if (x2 != y2) return x2 < y2 ? -1 : 1;
    return (x_line > y_line) - (x_line < y_line);
}

static int cmp_att(const void *a, const void *b, void *ctx)
{
    const dataset *ds = ctx;
    const attendance *x = &ds->att[*(const size_t *)a], *y = &ds->att[*(const size_t *)b];
    return cmp_keys(x->meeting, x->member, x->line, y->meeting, y->member, y->line);
}

static int cmp_pay(const void *a, const void *b, void *ctx)
{
    const dataset *ds = ctx;
    const payment *x = &ds->pay[*(const size_t *)a], *y = &ds->pay[*(const size_t *)b];
    return cmp_keys(x->member, x->month, x->line, y->member, y->month, y->line);
}

static int cmp_svc(const void *a, const void *b, void *ctx)
{
    const dataset *ds = ctx;
    const service_record *x = &ds->svc[*(const size_t *)a], *y = &ds->svc[*(const size_t *)b];
    return cmp_keys(x->member, x->date, x->line, y->member, y->date, y->line);
}

static size_t *sorted_index(dataset *ds, size_t n, int (*cmp)(const void *, const void *, void *))
{
    size_t *ix = xmalloc(sizeof *ix * (n ? n : 1));
    for (size_t i = 0; i < n; i++) ix[i] = i;
    /* exports are usually in this order already: then there is nothing to sort */
    size_t k = 1;
    while (k < n && cmp(&ix[k - 1], &ix[k], ds) < 0) k++;
    if (k < n) qsort_r(ix, n, sizeof *ix, cmp, ds);
    return ix;
}

/* Duplicate sign-ins are errors (the second row is dropped). */
static void check_attendance(dataset *ds, problems *probs, size_t *skipped)
{
    size_t *ix = sorted_index(ds, ds->natt, cmp_att);
    char *drop = xcalloc(ds->natt ? ds->natt : 1, 1);
    for (size_t k = 1; k < ds->natt; k++) {
        const attendance *a = &ds->att[ix[k]], *p = &ds->att[ix[k - 1]];
        if (a->meeting == p->meeting && a->member == p->member) {
            problem_add(probs, PROB_ERROR, "attendance.csv", a->line, "member_id",
                        "%s 在活动 %s 的签到重复（第一次在第 %d 行）", ds->members[a->member].id,
                        ds->meetings[a->meeting].id, p->line);
            problems_set_group(probs, probs->n - 1, ds->branches[ds->meetings[a->meeting].branch].name);
            drop[ix[k]] = 1;
            /* keep comparing against the first row of the pair */
            ix[k] = ix[k - 1];
        }
    }
    size_t o = 0;
    for (size_t i = 0; i < ds->natt; i++) {
        if (drop[i]) { (*skipped)++; continue; }
        ds->att[o++] = ds->att[i];
    }
    ds->natt = o;
    for (size_t i = 0; i < ds->natt; i++)
        if (!ds->att[i].foreign) ds->meetings[ds->att[i].meeting].nsignin++;
    free(drop);
    free(ix);
}

/* Several payments for one member and month are summed: a warning.  Rows
   whose status says nothing was paid (a bill, then its payment) are not
   payments. */
static void check_payments(dataset *ds, problems *probs)
{
    size_t *ix = sorted_index(ds, ds->npay, cmp_pay);
    const payment *p = NULL;
    for (size_t k = 0; k < ds->npay; k++) {
        const payment *a = &ds->pay[ix[k]];
        if (a->no_payment) continue;
        if (p && a->member == p->member && a->month == p->month) {
            problem_add(probs, PROB_WARNING, "dues.csv", a->line, "month",
                        "%s %d-%02d 的党费重复交纳（另见第 %d 行），金额合并计算", ds->members[a->member].id,
                        a->month / 100, a->month % 100, p->line);
            problems_set_group(probs, probs->n - 1, ds->branches[ds->members[a->member].branch].name);
        }
        p = a;
    }
    free(ix);
}

/* A day of one member over 24 hours: the row that crosses it is an error.
   The sort is by (member, date, line), so the sum runs in file order. */
static void check_service_days(dataset *ds, problems *probs, size_t *skipped)
{
    size_t *ix = sorted_index(ds, ds->nsvc, cmp_svc);
    char *drop = xcalloc(ds->nsvc ? ds->nsvc : 1, 1);
    long sum = 0;
    for (size_t k = 0; k < ds->nsvc; k++) {
        const service_record *s = &ds->svc[ix[k]];
        if (k == 0 || s->member != ds->svc[ix[k - 1]].member || s->date != ds->svc[ix[k - 1]].date) sum = 0;
        if (sum + s->centi_hours > 2400) {
            problem_add(probs, PROB_ERROR, "service.csv", s->line, "hours",
                        "%s 在 %d-%02d-%02d 的服务时长合计超过 24 小时", ds->members[s->member].id,
                        s->date / 10000, s->date / 100 % 100, s->date % 100);
            problems_set_group(probs, probs->n - 1, ds->branches[ds->members[s->member].branch].name);
            drop[ix[k]] = 1;
            continue;
        }
        sum += s->centi_hours;
    }
    size_t o = 0;
    for (size_t i = 0; i < ds->nsvc; i++) {
        if (drop[i]) { (*skipped)++; continue; }
        ds->svc[o++] = ds->svc[i];
    }
    ds->nsvc = o;
    free(drop);
    free(ix);
}

/* ---- driver --------------------------------------------------------------- */

/* How each file's rows become records (its columns: columns.c). */
static void (*const row_fns[F_COUNT])(rowctx *) = {
    [F_MEMBERS] = member_row, [F_MEETINGS] = meeting_row, [F_ATTENDANCE] = attendance_row,
    [F_DUES] = dues_row, [F_SERVICE] = service_row, [F_EXEMPTIONS] = exemption_row,
};

/* Make room for `more` records at once (a file's line count), so a
   city-sized file is not grown by doubling and copying. */
static void reserve(void **p, size_t *cap, size_t n, size_t more, size_t sz)
{
    if (n + more <= *cap) return;
    size_t c = n + more;
    *p = xrealloc(*p, c * sz);
    mem_advise_huge(*p, c * sz);
    *cap = c; /* not cleared: records are only read below n, and written whole */
}
#define RESERVE(arr, cap, n, more) reserve((void **)&(arr), &(cap), (n), (more), sizeof *(arr))

static void problems_append(problems *to, const problems *from)
{
    for (size_t i = 0; i < from->n; i++) {
        const problem *pr = &from->v[i];
        problem_add(to, pr->sev, pr->file, pr->line, pr->column, "%s", pr->message);
        if (pr->group) problems_set_group(to, to->n - 1, pr->group);
    }
}

/* Drop the problems added after the first n (the rows of a file that then
   turned out unreadable: as if its rows had never been looked at). */
static void problems_truncate(problems *p, size_t n)
{
    while (p->n > n) {
        prob_severity sev = p->v[--p->n].sev;
        if (sev == PROB_WARNING) p->nwarnings--;
        else if (sev == PROB_ERROR) p->nerrors--;
        else p->nfatal--;
    }
}

typedef struct {
    dataset *ds;
    const config *cfg;
    input_file f;
    problems *probs;     /* the rows' problems */
    problems bind_probs; /* the header's, added only when the file reads */
    int idx[16];
    int bound;           /* the header has every required column */
    size_t rows, ragged;
    size_t nread, nskipped;
    struct { int line; const char *id; } *rag; /* ragged rows' keys (members, meetings) */
    size_t nrag, cap_rag;
    strmap *strs;
    struct id_cache cache;
    pending_rows pending;  /* members.csv: rows skipped for errors, by the branch they name */
    char phase[64];
} loader;

static int load_header(const csv_table *t, void *vp)
{
    loader *L = vp;
    const input_file_spec *fd = &input_files[L->f];
    char section[64];
    snprintf(section, sizeof section, "columns.%s", fd->key);
    csv_bind_opts opts = {L->cfg ? L->cfg->columns.header[L->f] : NULL, section};
    if (csv_bind(t, fd->cols, fd->ncols, &opts, L->idx, &L->bind_probs)) return 1;
    L->bound = 1;
    if (!L->ds) return 1; /* only the file-level problems are wanted */
    dataset *ds = L->ds;
    size_t more = t->nlines;
    switch (L->f) {
    case F_MEMBERS: RESERVE(ds->members, ds->cap_m, ds->nmembers, more); break;
    case F_MEETINGS: RESERVE(ds->meetings, ds->cap_mt, ds->nmeetings, more); break;
    case F_ATTENDANCE: RESERVE(ds->att, ds->cap_a, ds->natt, more); break;
    case F_DUES: RESERVE(ds->pay, ds->cap_p, ds->npay, more); break;
    case F_SERVICE: RESERVE(ds->svc, ds->cap_s, ds->nsvc, more); break;
    default: break;
    }
    snprintf(L->phase, sizeof L->phase, "读入 %s", fd->file);
    progress_start(L->phase, t->nlines, "行");
    return 0;
}

static void load_row(const csv_table *t, const csv_row *row, void *vp)
{
    loader *L = vp;
    const input_file_spec *fd = &input_files[L->f];
    progress_tick((size_t)row->line);
    if (row->nfields != t->ncols) {
        /* A ragged row (reported by the reader) whose key can still be
           read: rows of other files that refer to it point at it, as for
           a member or meeting row with an error (see load_file). */
        L->ragged++;
        if (L->f == F_MEMBERS || L->f == F_MEETINGS) {
            const char *id = L->idx[0] >= 0 && L->idx[0] < row->nfields ? row->fields[L->idx[0]] : "";
            GROW(L->rag, L->cap_rag, L->nrag);
            L->rag[L->nrag].line = row->line;
            L->rag[L->nrag++].id = id[0] ? arena_strdup(&L->ds->arena, id) : "";
        }
        return;
    }
    L->rows++;
    rowctx r = {.ds = L->ds, .cfg = L->cfg, .probs = L->probs, .t = t, .row = row, .specs = fd->cols,
                .idx = L->idx, .strs = L->strs, .cache = &L->cache, .pending = &L->pending};
    size_t first = L->probs->n;
    row_fns[L->f](&r);
    if (r.group) problems_set_group(L->probs, first, r.group);
    if (r.bad) L->nskipped++;
    else L->nread++;
}

static int load_file(dataset *ds, const char *dir, input_file f, const config *cfg, problems *probs, strmap *strs)
{
    const input_file_spec *fd = &input_files[f];
    file_info *fi = &ds->files[f];
    fi->name = fd->file;
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, fd->file);
    if (fd->optional && access(path, F_OK) != 0) return 0;
    /* The file is streamed: each row becomes a record as it is read.  The
       problems come out as if the whole file had been read first: the
       reader's own (ragged rows, file-level) always; the header's and the
       rows' only when the file could be read to its end. */
    loader L = {.ds = ds, .cfg = cfg, .f = f, .probs = probs, .strs = strs};
    problems_init(&L.bind_probs);
    problems rd;
    problems_init(&rd);
    size_t nprobs = probs->n;
    size_t nm = ds->nmembers, nmt = ds->nmeetings, na = ds->natt, np = ds->npay, ns = ds->nsvc, ne = ds->nexm;
    csv_sink sink = {load_header, load_row, &L};
    csv_table t;
    int rc = csv_stream_file(path, fd->file, &t, &sink, &rd);
    progress_end();
    if (rc) {
        problems_truncate(probs, nprobs);
        ds->nmembers = nm, ds->nmeetings = nmt, ds->natt = na, ds->npay = np, ds->nsvc = ns, ds->nexm = ne;
        problems_append(probs, &rd);
        goto out;
    }
    problems_append(probs, &rd);
    problems_append(probs, &L.bind_probs);
    fi->present = 1;
    fi->encoding = t.encoding;
    fi->delimiter = t.delim;
    if (!L.bound) {
        rc = -1;
        goto out;
    }
    fi->rows_read += L.nread;
    fi->rows_skipped += L.nskipped;
    /* A ragged row (reported by the reader) whose key can still be read:
       rows of other files that refer to it point at it, as for a member or
       meeting row with an error. */
    strmap *bad_ix = f == F_MEMBERS ? &ds->bad_member_ix : f == F_MEETINGS ? &ds->bad_meeting_ix : NULL;
    strmap *good_ix = f == F_MEMBERS ? &ds->member_ix : &ds->meeting_ix;
    for (size_t i = 0; bad_ix && i < L.nrag; i++) {
        const char *id = L.rag[i].id;
        if (id[0] && strmap_get(good_ix, id) < 0 && strmap_get(bad_ix, id) < 0) strmap_put(bad_ix, id, L.rag[i].line);
    }
    fi->rows_skipped += L.ragged;
    for (size_t i = 0; i < L.pending.n; i++) {
        int b = branch_of(ds, L.pending.v[i].branch, 0);
        if (b >= 0) strmap_put(&ds->bad_member_branch, L.pending.v[i].id, b);
    }
    if (f == F_MEMBERS && ds->nmembers == 0) {
        problem_add(probs, PROB_FATAL, fd->file, 0, NULL,
                    L.rows || L.ragged ? "没有一行可用的党员数据，无法核对其他文件"
                                       : "只有表头，没有党员数据，无法核对其他文件");
        rc = -1;
    }
out:
    csv_table_free(&t);
    problems_free(&L.bind_probs);
    problems_free(&rd);
    free(L.rag);
    free(L.pending.v);
    return rc;
}

/* Only the file-level problems of a file (when the files it refers to
   could not be read): header binding, nothing kept. */
static void check_file_only(const char *dir, input_file g, const config *cfg, problems *probs)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, input_files[g].file);
    if (input_files[g].optional && access(path, F_OK) != 0) return;
    loader L = {.f = g, .cfg = cfg};
    problems_init(&L.bind_probs);
    csv_sink sink = {load_header, NULL, &L};
    csv_table t;
    if (csv_stream_file(path, input_files[g].file, &t, &sink, probs) == 0) problems_append(probs, &L.bind_probs);
    csv_table_free(&t);
    problems_free(&L.bind_probs);
}

int dataset_load(dataset *ds, const char *dir, int year, const config *cfg, problems *probs)
{
    memset(ds, 0, sizeof *ds);
    ds->year = year;
    int rc = 0;
    strmap strs; /* interned cell texts, for the load only */
    strmap_init(&strs);
    /* members first: the other files refer to it */
    for (int f = 0; f < F_COUNT; f++) {
        if (load_file(ds, dir, (input_file)f, cfg, probs, &strs)) {
            rc = -1;
            if (f == F_MEMBERS || f == F_MEETINGS) {
                /* the files after them cannot be checked without them, but
                   still report their own file-level problems */
                for (int g = f + 1; g < F_COUNT; g++) check_file_only(dir, (input_file)g, cfg, probs);
                strmap_free(&strs);
                return -1;
            }
        }
    }
    strmap_free(&strs);
    check_attendance(ds, probs, &ds->files[F_ATTENDANCE].rows_skipped);
    ds->files[F_ATTENDANCE].rows_read = ds->natt;
    check_payments(ds, probs);
    check_service_days(ds, probs, &ds->files[F_SERVICE].rows_skipped);
    ds->files[F_SERVICE].rows_read = ds->nsvc;
    return rc;
}

void dataset_free(dataset *ds)
{
    free(ds->branches);
    free(ds->members);
    free(ds->meetings);
    free(ds->att);
    free(ds->pay);
    free(ds->svc);
    free(ds->exm);
    strmap_free(&ds->member_ix);
    strmap_free(&ds->meeting_ix);
    strmap_free(&ds->branch_ix);
    strmap_free(&ds->bad_member_ix);
    strmap_free(&ds->bad_meeting_ix);
    strmap_free(&ds->bad_member_branch);
    strmap_free(&ds->bad_meeting_branch);
    arena_free(&ds->arena);
    memset(ds, 0, sizeof *ds);
}
