/*
 * ledger.c — see ledger.h and doc/ledger.md.
 *
 * Both forms end in the same row function: a row is the cells of the six
 * ledger columns (text, or a date a workbook stored as a date), and its
 * location as problems name it.  A workbook row is at
 * `ledger.xlsx:SHEET:ROW` (sheet names cannot hold ':'), a CSV row at
 * `ledger.csv:LINE`, so every message keeps the `file:line: column:` form.
 */
#include "input/ledger.h"
#include "input/csv_read.h"
#include "input/parse.h"
#include "input/xlsx_read.h"
#include "base/textutil.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char *const status_names[LEDGER_NSTATUS] = {"未整改", "整改中", "已整改", "无需整改"};

const char *ledger_status_name(ledger_status s)
{
    return s >= 0 && s < LEDGER_NSTATUS ? status_names[s] : "";
}

/* The columns, in the order of the L_ indexes. */
enum { L_ID, L_STATUS, L_DONE, L_MEASURES, L_OWNER, L_DUE, L_CLOSED, L_N };
static const csv_colspec ledger_cols[L_N] = {
    {"problem_id", "问题编号", 1}, {"整改情况", NULL, 1}, {"完成日期", NULL, 0},
    {"整改措施", NULL, 0},         {"责任人", NULL, 0},   {"整改时限", NULL, 0},
    {"销号月份", NULL, 0},
};
/* A header row is searched for among a sheet's first rows (title rows above the table). */
enum { HEADER_SEARCH_ROWS = 50 };

/* ---- problem ids ------------------------------------------------------------- */

int problem_id_check(const char *id, const char *const *rule_codes, int nrules, const char **why)
{
    const char *s1 = strchr(id, '/'), *s2 = strrchr(id, '/');
    if (!s1 || s1 == s2) {
        *why = "应为“规则/党员编号或支部/期间”的形式，如 AT-ABSENT/QZ0207/M2022-08-SX";
        return -1;
    }
    int known = 0;
    for (int i = 0; i < nrules && !known; i++)
        known = strlen(rule_codes[i]) == (size_t)(s1 - id) && !strncmp(id, rule_codes[i], (size_t)(s1 - id));
    if (!known) {
        *why = "开头不是已知的规则代码（如 TD-HELD、AT-ABSENT、DU-LATE、CS-MONTH）";
        return -1;
    }
    if (s2 == s1 + 1 || text_blank(s2 + 1)) {
        *why = "缺少党员编号、支部或期间";
        return -1;
    }
    /* KEY (between the first and the last '/') must not be blank */
    int blank = 1;
    for (const char *p = s1 + 1; p < s2 && blank; p++) blank = isspace((unsigned char)*p);
    if (blank) {
        *why = "缺少党员编号或支部";
        return -1;
    }
    const char *hash = strrchr(s2, '#');
    if (hash && hash[1] && strspn(hash + 1, "0123456789") == strlen(hash + 1)) {
        if (hash == s2 + 1) {
            *why = "缺少期间";
            return -1;
        }
        if (hash[1] == '0' || (strlen(hash + 1) == 1 && hash[1] < '2')) {
            *why = "重复问题的序号应为 #2、#3……";
            return -1;
        }
    }
    return 0;
}

/* ---- one row ------------------------------------------------------------------ */

typedef enum { V_TEXT, V_DATE, V_OTHER, V_NOVALUE } vkind; /* V_NOVALUE: a formula saved without its result */

typedef struct {
    const char *text; /* trimmed; "" = blank or no column */
    vkind kind;       /* V_DATE: a workbook date cell (ymd); V_OTHER: a number, boolean or error */
    int ymd;
} lcell;

typedef struct {
    ledger *lg;
    problems *probs;
    const char *const *rules;
    int nrules;
    const char *file;            /* location file: "ledger.csv", "ledger.xlsx:问题清单" */
    int tracking;                /* the rows are of a 整改台账 sheet */
    const char *titles[L_N];     /* header texts as written, NULL = no such column */
} lctx;

static void lproblem(lctx *c, prob_severity sev, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
static void lproblem(lctx *c, prob_severity sev, int line, int col, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    problem_add(c->probs, sev, c->file, line, col >= 0 ? c->titles[col] : NULL, "%s", msg);
}

/* A date column: a workbook date, or text the project's date parser reads. -1 after an error. */
static int cell_date(lctx *c, int line, int col, const lcell *v, int *ymd)
{
    char q[128];
    *ymd = 0;
    if (v->kind == V_DATE) {
        *ymd = v->ymd;
        return 0;
    }
    if (!v->text[0]) return 0;
    if (v->kind == V_TEXT && parse_date(v->text, ymd) == 0) return 0;
    if (v->kind == V_OTHER || strspn(v->text, "0123456789.") == strlen(v->text))
        lproblem(c, PROB_ERROR, line, col,
                 "“%s”是数字，不是日期（像 Excel 的日期序号）：请把这一列的单元格格式设为日期，或写成 2022-09-15",
                 text_quote(v->text, q, sizeof q));
    else
        lproblem(c, PROB_ERROR, line, col, "无法识别的日期“%s”（应如 2022-09-15）", text_quote(v->text, q, sizeof q));
    return -1;
}

/* The 销号月份 column: a month, a date (its month) or a workbook date; blank = 0.  -1 after an error. */
static int cell_month(lctx *c, int line, int col, const lcell *v, int *ym)
{
    char q[128];
    int ymd;
    *ym = 0;
    if (v->kind == V_DATE) {
        *ym = v->ymd / 100;
        return 0;
    }
    if (!v->text[0]) return 0;
    if (v->kind == V_TEXT && parse_month(v->text, ym) == 0) return 0;
    if (v->kind == V_TEXT && parse_date(v->text, &ymd) == 0) {
        *ym = ymd / 100;
        return 0;
    }
    lproblem(c, PROB_ERROR, line, col, "无法识别的月份“%s”（应如 2022-09）", text_quote(v->text, q, sizeof q));
    return -1;
}

/* The same ledger values (a copy zhibu wrote into both sheets, untouched). */
static int same_entry(const ledger_entry *e, ledger_status st, int done, int due, const char *measures,
                      const char *owner)
{
    return e->status == st && e->done_on == done && e->due_on == due && !strcmp(e->measures, measures) &&
           !strcmp(e->owner, owner);
}

static void ledger_row(lctx *c, int line, const lcell *v)
{
    ledger *lg = c->lg;
    char q[128];
    const char *id = v[L_ID].text;
    int filled = 0;
    for (int i = L_STATUS; i < L_N; i++) filled |= v[i].text[0] != 0 || v[i].kind == V_NOVALUE;
    if (!id[0] || (!strchr(id, '/') && !filled)) {
        /* no id: a note under the table, the "无" of an empty table, or a row added by hand */
        if (!id[0] && filled)
            lproblem(c, PROB_WARNING, line, L_ID, "这一行没有 problem_id，填写的整改情况对应不到问题，已忽略");
        return;
    }
    /* openpyxl and scripts write formulas without a result; only a spreadsheet program computes it */
    for (int i = L_STATUS; i < L_N; i++)
        if (v[i].kind == V_NOVALUE)
            lproblem(c, PROB_WARNING, line, i, "是公式，但文件里没有保存计算结果（在 Excel、WPS 或 LibreOffice 中打开并保存一次即可）：按空白处理");
    const char *why;
    if (v[L_ID].kind != V_TEXT || problem_id_check(id, c->rules, c->nrules, &why)) {
        if (v[L_ID].kind != V_TEXT) why = "应为文字";
        lproblem(c, PROB_ERROR, line, L_ID, "“%s”不是问题编号：%s", text_quote(id, q, sizeof q), why);
        lg->rows_skipped++;
        return;
    }
    int bad = 0;
    ledger_status st = LEDGER_OPEN;
    if (v[L_STATUS].text[0]) {
        char key[64];
        text_key(v[L_STATUS].text, key, sizeof key);
        int k = -1;
        for (int i = 0; i < LEDGER_NSTATUS && k < 0; i++)
            if (!strcmp(key, status_names[i])) k = i;
        if (k < 0) {
            lproblem(c, PROB_ERROR, line, L_STATUS, "“%s”不是整改情况：应为 未整改、整改中、已整改 或 无需整改（空白 = 未整改）",
                     text_quote(v[L_STATUS].text, q, sizeof q));
            bad = 1;
        } else {
            st = (ledger_status)k;
        }
    }
    int done = 0, due = 0, closed = 0;
    if (cell_date(c, line, L_DONE, &v[L_DONE], &done)) bad = 1;
    if (cell_date(c, line, L_DUE, &v[L_DUE], &due)) bad = 1;
    if (cell_month(c, line, L_CLOSED, &v[L_CLOSED], &closed)) bad = 1;
    if (bad) {
        lg->rows_skipped++;
        return;
    }
    if (st == LEDGER_DONE && !done)
        lproblem(c, PROB_WARNING, line, c->titles[L_DONE] ? L_DONE : L_STATUS, "已整改，但没有填写完成日期");
    if ((st == LEDGER_OPEN || st == LEDGER_IN_PROGRESS) && done)
        lproblem(c, PROB_WARNING, line, L_DONE, "填了完成日期，但整改情况是“%s”：按%s处理", status_names[st],
                 status_names[st]);

    int at = strmap_get(&lg->ix, id);
    ledger_entry *e;
    if (at >= 0 && lg->v[at].tracking != c->tracking) {
        /* A problem both in a 问题清单 and in a 整改台账 (a problem of the month that
           the ledger already carried, e.g. a DU-RATE of the year): zhibu writes the
           same values into both; if they now differ, the 问题清单 row wins. */
        e = &lg->v[at];
        if (closed < e->closed_in) closed = e->closed_in;
        e->closed_in = closed;
        lg->rows_read++;
        if (same_entry(e, st, done, due, v[L_MEASURES].text, v[L_OWNER].text)) return;
        const char *keep_file = c->tracking ? e->file : c->file, *drop_file = c->tracking ? c->file : e->file;
        int keep_line = c->tracking ? e->line : line, drop_line = c->tracking ? line : e->line;
        problem_add(c->probs, PROB_WARNING, drop_file, drop_line, c->titles[L_ID],
                    "problem_id“%s”也在 %s 第 %d 行，两处填写的整改内容不同：以问题清单为准", text_quote(id, q, sizeof q),
                    keep_file, keep_line);
        if (c->tracking) return;
        lg->count[e->status]--;
        lg->rows_read--; /* counted once more below */
    } else if (at >= 0) {
        e = &lg->v[at];
        if (!strcmp(e->file, c->file))
            lproblem(c, PROB_WARNING, line, L_ID, "problem_id“%s”重复（另见第 %d 行），以这一行为准", text_quote(id, q, sizeof q),
                     e->line);
        else
            lproblem(c, PROB_WARNING, line, L_ID, "problem_id“%s”重复（另见 %s 第 %d 行），以这一行为准",
                     text_quote(id, q, sizeof q), e->file, e->line);
        lg->count[e->status]--;
    } else {
        GROW(lg->v, lg->cap, lg->n);
        e = &lg->v[lg->n];
        e->problem_id = arena_strdup(&lg->arena, id);
        strmap_put(&lg->ix, e->problem_id, (int)lg->n);
        lg->n++;
    }
    e->status = st;
    e->done_on = done;
    e->due_on = due;
    e->measures = arena_strdup(&lg->arena, v[L_MEASURES].text);
    e->owner = arena_strdup(&lg->arena, v[L_OWNER].text);
    e->closed_in = closed;
    e->tracking = c->tracking;
    e->file = c->file;
    e->line = line;
    lg->count[st]++;
    lg->rows_read++;
}

/* ---- CSV ----------------------------------------------------------------------- */

static int load_csv(lctx *c, const char *path, const char *name)
{
    csv_table t;
    if (csv_read_file(path, name, &t, c->probs)) {
        csv_table_free(&t);
        return -1;
    }
    c->lg->encoding = t.encoding;
    int idx[L_N];
    if (csv_bind(&t, ledger_cols, L_N, NULL, idx, c->probs)) {
        csv_table_free(&t);
        return -1;
    }
    c->file = arena_strdup(&c->lg->arena, name);
    for (int i = 0; i < L_N; i++) c->titles[i] = idx[i] >= 0 ? arena_strdup(&c->lg->arena, t.header[idx[i]]) : NULL;
    for (size_t r = 0; r < t.nrows; r++) {
        lcell v[L_N];
        for (int i = 0; i < L_N; i++)
            v[i] = (lcell){idx[i] >= 0 ? t.rows[r].fields[idx[i]] : "", V_TEXT, 0};
        ledger_row(c, t.rows[r].line, v);
    }
    c->lg->rows_skipped += t.nragged; /* already reported by the reader */
    csv_table_free(&t);
    return 0;
}

/* ---- XLSX ---------------------------------------------------------------------- */

typedef struct {
    lctx *c;
    int header_row;      /* 0 = not found yet */
    int col[L_N];        /* column of each ledger column, -1 = none */
    int rows_seen;
    int no_id;           /* a header row without problem_id was seen (an old workbook) */
    char *buf;           /* trimmed copies of the row's texts */
    size_t cap;
} sheet_ctx;

static int header_match(const char *text, int spec)
{
    char key[256], want[256];
    text_key(text, key, sizeof key);
    if (!strcmp(key, text_key(ledger_cols[spec].name, want, sizeof want))) return 1;
    const char *a = ledger_cols[spec].aliases;
    while (a && *a) {
        const char *bar = strchr(a, '|');
        size_t len = bar ? (size_t)(bar - a) : strlen(a);
        char alias[128];
        snprintf(alias, sizeof alias, "%.*s", (int)len, a);
        if (!strcmp(key, text_key(alias, want, sizeof want))) return 1;
        a = bar ? bar + 1 : NULL;
    }
    return 0;
}

static int on_sheet_row(int row, const xlsx_cell *cells, int n, void *vp)
{
    sheet_ctx *s = vp;
    lctx *c = s->c;
    if (!s->header_row) {
        if (++s->rows_seen > HEADER_SEARCH_ROWS) return 1;
        int found[L_N];
        for (int i = 0; i < L_N; i++) found[i] = -1;
        for (int k = 0; k < n; k++) {
            if (cells[k].type != XLSX_TEXT) continue;
            for (int i = 0; i < L_N; i++)
                if (found[i] < 0 && header_match(cells[k].text, i)) found[i] = k;
        }
        if (found[L_ID] < 0) {
            if (found[L_STATUS] >= 0) s->no_id = 1;
            return 0;
        }
        s->header_row = row;
        for (int i = 0; i < L_N; i++) {
            s->col[i] = found[i] >= 0 ? cells[found[i]].col : -1;
            c->titles[i] = found[i] >= 0 ? arena_strdup(&c->lg->arena, cells[found[i]].text) : NULL;
        }
        return s->col[L_STATUS] < 0; /* no 整改情况: refused below, no row is read */
    }
    /* copy the ledger columns' cells, trimmed */
    size_t need = 0;
    for (int k = 0; k < n; k++) need += strlen(cells[k].text) + 1;
    if (need > s->cap) {
        s->cap = need;
        s->buf = xrealloc(s->buf, need);
    }
    lcell v[L_N];
    size_t off = 0;
    for (int i = 0; i < L_N; i++) {
        v[i] = (lcell){"", V_TEXT, 0};
        if (s->col[i] < 0) continue;
        for (int k = 0; k < n; k++) {
            if (cells[k].col != s->col[i]) continue;
            size_t len = strlen(cells[k].text);
            memcpy(s->buf + off, cells[k].text, len + 1);
            v[i].text = text_trim(s->buf + off);
            off += len + 1;
            v[i].kind = cells[k].type == XLSX_EMPTY                            ? V_NOVALUE
                        : cells[k].type == XLSX_TEXT                           ? V_TEXT
                        : cells[k].type == XLSX_DATE                            ? V_DATE
                                                                                : V_OTHER;
            v[i].ymd = cells[k].ymd;
            break;
        }
    }
    ledger_row(c, row, v);
    return 0;
}

/* 1: 问题清单 or a continuation sheet 问题清单 (2), 问题清单 (3) …; 2: 整改台账 (the
   problems of earlier months a run carried forward) or its continuations; else 0. */
static int ledger_sheet_kind(const char *name)
{
    static const char *const bases[2] = {"问题清单", "整改台账"};
    char key[256];
    text_key(name, key, sizeof key);
    for (int k = 0; k < 2; k++) {
        size_t n = strlen(bases[k]);
        if (strncmp(key, bases[k], n)) continue;
        const char *p = key + n;
        if (!*p) return k + 1;
        if (*p++ != '(' || !isdigit((unsigned char)*p)) return 0;
        while (isdigit((unsigned char)*p)) p++;
        return p[0] == ')' && !p[1] ? k + 1 : 0;
    }
    return 0;
}

/* Read one sheet; 0 ok, -1 after a PROB_FATAL.  `must` 1: a sheet without a header is fatal. */
static int read_sheet(lctx *c, xlsx_book *b, int i, int must, int *had_header)
{
    const xlsx_sheet *sh = xlsx_sheet_at(b, i);
    sheet_ctx s = {.c = c};
    c->file = arena_printf(&c->lg->arena, "%s:%s", c->lg->name, sh->name);
    for (int k = 0; k < L_N; k++) c->titles[k] = NULL;
    int rc = xlsx_read_sheet(b, i, on_sheet_row, &s, c->probs);
    *had_header = s.header_row > 0;
    if (rc == 0 && !s.header_row && must && s.rows_seen > 0) {
        problem_add(c->probs, PROB_FATAL, c->lg->name, 0, NULL, "不是 zhibu 生成的问题清单：缺少列“problem_id”（工作表“%s”%s）",
                    sh->name, s.no_id ? "的表头没有问题编号列，可能是旧版 zhibu 生成的" : "里找不到表头");
        rc = -1;
    }
    if (rc == 0 && s.header_row && s.col[L_STATUS] < 0) {
        problem_add(c->probs, PROB_FATAL, c->lg->name, 0, NULL, "不是 zhibu 生成的问题清单：缺少列“整改情况”（工作表“%s”第 %d 行的表头）",
                    sh->name, s.header_row);
        rc = -1;
    }
    free(s.buf);
    return rc;
}

static int load_xlsx(lctx *c, const char *path)
{
    ledger *lg = c->lg;
    xlsx_book *b = xlsx_open_file(path, lg->name, NULL, c->probs);
    if (!b) return -1;
    lg->xlsx = 1;
    int nsheets = xlsx_sheet_count(b), rc = 0, any = 0;
    for (int i = 0; i < nsheets && rc == 0; i++) {
        const xlsx_sheet *sh = xlsx_sheet_at(b, i);
        int kind = sh->kind == XLSX_WORKSHEET ? ledger_sheet_kind(sh->name) : 0;
        if (!kind) continue;
        int had;
        any = 1;
        c->tracking = kind == 2;
        rc = read_sheet(c, b, i, 1, &had);
        if (rc == 0 && had) {
            if (kind == 2) lg->ntracking++;
            else lg->nsheets++;
        }
    }
    /* no 问题清单 sheet: any worksheet with a problem_id column (a ledger made by hand) */
    if (rc == 0 && !any) {
        c->tracking = 0;
        for (int i = 0; i < nsheets && rc == 0; i++) {
            if (xlsx_sheet_at(b, i)->kind != XLSX_WORKSHEET) continue;
            int had;
            rc = read_sheet(c, b, i, 0, &had);
            if (rc == 0 && had) lg->nsheets++;
        }
        if (rc == 0 && lg->nsheets == 0) {
            char names[512] = "";
            size_t len = 0;
            for (int i = 0; i < nsheets && len + 1 < sizeof names; i++) {
                int w = snprintf(names + len, sizeof names - len, "%s%s", i ? "、" : "", xlsx_sheet_at(b, i)->name);
                if (w < 0) break;
                len += (size_t)w;
            }
            problem_add(c->probs, PROB_FATAL, lg->name, 0, NULL,
                        "不是 zhibu 生成的问题清单：缺少列“problem_id”（没有“问题清单”工作表，其他工作表也没有 problem_id 列；工作表：%s）",
                        names);
            rc = -1;
        }
    }
    xlsx_close(b);
    return rc;
}

/* ---- entry points ------------------------------------------------------------------- */

static int looks_xlsx(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (dot && (!strcasecmp(dot, ".xlsx") || !strcasecmp(dot, ".xlsm"))) return 1;
    FILE *f = fopen(path, "rb");
    if (!f) return 0;
    char m[4] = {0};
    size_t n = fread(m, 1, 4, f);
    fclose(f);
    return n == 4 && !memcmp(m, "PK\x03\x04", 4);
}

int ledger_load(ledger *lg, const char *path, const char *name, const char *const *rule_codes, int nrules,
                problems *probs)
{
    memset(lg, 0, sizeof *lg);
    strmap_init(&lg->ix);
    lg->name = arena_strdup(&lg->arena, name);
    lg->path = arena_strdup(&lg->arena, path);
    lctx c = {.lg = lg, .probs = probs, .rules = rule_codes, .nrules = nrules};
    int rc = looks_xlsx(path) ? load_xlsx(&c, path) : load_csv(&c, path, name);
    if (rc) {
        /* a file-level problem: nothing of it is used */
        lg->n = 0;
        lg->rows_read = 0;
        memset(lg->count, 0, sizeof lg->count);
        strmap_free(&lg->ix);
        strmap_init(&lg->ix);
    }
    return rc;
}

const ledger_entry *ledger_find(const ledger *lg, const char *problem_id)
{
    int i = lg && lg->n ? strmap_get(&lg->ix, problem_id) : -1;
    return i >= 0 ? &lg->v[i] : NULL;
}

void ledger_free(ledger *lg)
{
    free(lg->v);
    strmap_free(&lg->ix);
    arena_free(&lg->arena);
    memset(lg, 0, sizeof *lg);
}

int ledger_find_in_dir(const char *dir, char *buf, size_t n, problems *probs)
{
    char x[4096], c[4096];
    snprintf(x, sizeof x, "%s/ledger.xlsx", dir);
    snprintf(c, sizeof c, "%s/ledger.csv", dir);
    int hx = access(x, F_OK) == 0, hc = access(c, F_OK) == 0;
    if (hx && hc) {
        problem_add(probs, PROB_FATAL, "ledger.xlsx", 0, NULL,
                    "输入目录里同时有 ledger.xlsx 和 ledger.csv：只能有一个整改台账，请删除或改名其中一个（或用 --ledger 指定）");
        return -1;
    }
    if (!hx && !hc) return 0;
    snprintf(buf, n, "%s", hx ? x : c);
    return 1;
}
