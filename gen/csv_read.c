/* csv_read.c — see csv_read.h. */
#include "csv_read.h"
#include "textutil.h"
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

enum { MAX_FILE_BYTES = 1 << 30 };

/* Parser state shared with libcsv's callbacks. */
typedef struct {
    csv_table *t;
    problems *probs;
    char **fields;      /* fields of the record being assembled */
    size_t nfields, cap;
    int rec_line;       /* physical line where the current record began; 0 = none yet */
    int header_done;
} parse_state;

static void on_field(void *s, size_t len, void *vp)
{
    parse_state *ps = vp;
    GROW(ps->fields, ps->cap, ps->nfields);
    char *f = arena_strndup(&ps->t->arena, s ? s : "", s ? len : 0);
    ps->fields[ps->nfields++] = text_trim(f);
}

static void on_record(int c, void *vp)
{
    (void)c;
    parse_state *ps = vp;
    csv_table *t = ps->t;
    int line = ps->rec_line;
    size_t n = ps->nfields;
    ps->nfields = 0;
    ps->rec_line = 0;
    /* a line of only spaces or empty fields is a blank line, not a row */
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++)
        if (ps->fields[i][0]) blank = 0;
    if (blank) return;
    if (!ps->header_done) {
        t->ncols = (int)n;
        t->header = arena_alloc(&t->arena, sizeof(char *) * n);
        memcpy(t->header, ps->fields, sizeof(char *) * n);
        ps->header_done = 1;
        return;
    }
    if ((int)n != t->ncols) {
        problem_add(ps->probs, PROB_ERROR, t->name, line, NULL,
                    "该行有 %zu 个字段，表头有 %d 列（行不齐）", n, t->ncols);
        GROW(t->ragged, t->cap_ragged, t->nragged);
        csv_row *r = &t->ragged[t->nragged++];
        r->line = line;
        r->nfields = (int)n;
        r->fields = arena_alloc(&t->arena, sizeof(char *) * (n ? n : 1));
        memcpy(r->fields, ps->fields, sizeof(char *) * n);
        return;
    }
    GROW(t->rows, t->cap, t->nrows);
    csv_row *r = &t->rows[t->nrows++];
    r->line = line;
    r->nfields = (int)n;
    r->fields = arena_alloc(&t->arena, sizeof(char *) * n);
    memcpy(r->fields, ps->fields, sizeof(char *) * n);
}

/* Control bytes other than TAB, CR, LF never occur in a real export. */
static int find_control_byte(const char *s, size_t n, size_t *at)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if ((c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7F) {
            *at = i;
            return 1;
        }
    }
    return 0;
}

static int line_at(const char *s, size_t off)
{
    int line = 1;
    for (size_t i = 0; i < off; i++) line += s[i] == '\n';
    return line;
}

static int is_blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != '\r' && s[i] != '\n') return 0;
    return 1;
}

/* Reject what is plainly not a CSV text before decoding it. */
static int check_not_csv(const char *data, size_t n, const char *name, problems *probs)
{
    if (n >= 4 && !memcmp(data, "PK\x03\x04", 4)) {
        problem_add(probs, PROB_FATAL, name, 0, NULL,
                    "这是 XLSX/ZIP 文件，不是 CSV：请在 Excel 或 WPS 中另存为“CSV（逗号分隔）”");
        return -1;
    }
    if (n >= 2 && (!memcmp(data, "\xFF\xFE", 2) || !memcmp(data, "\xFE\xFF", 2))) {
        problem_add(probs, PROB_FATAL, name, 0, NULL,
                    "这是 UTF-16 编码的文本（Excel 的“Unicode 文本”）：请另存为 UTF-8 或 GBK 的 CSV");
        return -1;
    }
    if (n >= 8 && !memcmp(data, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8)) {
        problem_add(probs, PROB_FATAL, name, 0, NULL,
                    "这是旧版 Excel（XLS）文件，不是 CSV：请另存为“CSV（逗号分隔）”");
        return -1;
    }
    size_t at;
    if (find_control_byte(data, n, &at)) {
        unsigned char c = (unsigned char)data[at];
        problem_add(probs, PROB_FATAL, name, line_at(data, at), NULL,
                    c == 0 ? "含有 NUL 字节：这不是文本 CSV 文件（可能是二进制文件或 UTF-16 编码）"
                           : "含有控制字符 0x%02X：这不是文本 CSV 文件", c);
        return -1;
    }
    return 0;
}

static int parse_text(const char *text, size_t n, csv_table *t, problems *probs)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        problem_add(probs, PROB_FATAL, t->name, 0, NULL, "无法初始化 CSV 解析器");
        return -1;
    }
    parse_state ps = {.t = t, .probs = probs};
    int rc = 0, line = 1;
    size_t pos = 0;
    /* Feed one physical line at a time so every record knows its line. */
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) + 1 : n - pos;
        if (ps.rec_line == 0 && !is_blank_line(text + pos, len))
            ps.rec_line = line;
        if (csv_parse(&p, text + pos, len, on_field, on_record, &ps) != len) {
            problem_add(probs, PROB_FATAL, t->name, line, NULL,
                        "引号不匹配：字段中间出现引号，或右引号后还有字符（%s）",
                        csv_strerror(csv_error(&p)));
            rc = -1;
            break;
        }
        pos += len;
        line++;
    }
    if (rc == 0 && csv_fini(&p, on_field, on_record, &ps) != 0) {
        problem_add(probs, PROB_FATAL, t->name, ps.rec_line ? ps.rec_line : line, NULL,
                    "引号不匹配：从这一行开始的带引号字段直到文件末尾都没有结束");
        rc = -1;
    }
    csv_free(&p);
    free(ps.fields);
    if (rc == 0 && !ps.header_done) {
        problem_add(probs, PROB_FATAL, t->name, 0, NULL, "文件是空的：没有表头行");
        rc = -1;
    }
    return rc;
}

int csv_read_bytes(const char *data, size_t n, const char *name, csv_table *t, problems *probs)
{
    memset(t, 0, sizeof *t);
    t->name = arena_strdup(&t->arena, name);
    if (check_not_csv(data, n, name, probs)) return -1;
    int bad_line = 0;
    const char *reason = NULL;
    size_t tn;
    char *text = encoding_decode(data, n, &t->encoding, &tn, &bad_line, &reason);
    if (!text) {
        problem_add(probs, PROB_FATAL, name, bad_line, NULL, "%s", reason);
        return -1;
    }
    int rc = parse_text(text, tn, t, probs);
    free(text);
    return rc;
}

int csv_read_file(const char *path, const char *name, csv_table *t, problems *probs)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        problem_add(probs, PROB_FATAL, name, 0, NULL, "无法打开文件：%s", strerror(errno));
        return -1;
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        GROW(buf, cap, n + 65536);
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) break;
        if (n > MAX_FILE_BYTES) {
            fclose(f);
            free(buf);
            problem_add(probs, PROB_FATAL, name, 0, NULL, "文件超过 1 GB，不像是导出的 CSV");
            return -1;
        }
    }
    int err = ferror(f);
    fclose(f);
    if (err) {
        free(buf);
        problem_add(probs, PROB_FATAL, name, 0, NULL, "读取失败（可能是目录或设备）");
        return -1;
    }
    int rc = csv_read_bytes(buf, n, name, t, probs);
    free(buf);
    return rc;
}

void csv_table_free(csv_table *t)
{
    free(t->rows);
    free(t->ragged);
    arena_free(&t->arena);
    memset(t, 0, sizeof *t);
}

int csv_bind(const csv_table *t, const csv_colspec *specs, int nspecs, int *idx, problems *probs)
{
    char key[256], want[256];
    int rc = 0;
    for (int i = 0; i < nspecs; i++) {
        idx[i] = -1;
        for (int c = 0; c < t->ncols && idx[i] < 0; c++) {
            text_key(t->header[c], key, sizeof key);
            if (!strcmp(key, text_key(specs[i].name, want, sizeof want))) { idx[i] = c; break; }
            /* aliases: '|'-separated */
            const char *a = specs[i].aliases;
            while (a && *a) {
                const char *bar = strchr(a, '|');
                size_t len = bar ? (size_t)(bar - a) : strlen(a);
                char alias[128];
                if (len >= sizeof alias) len = sizeof alias - 1;
                memcpy(alias, a, len);
                alias[len] = 0;
                if (!strcmp(key, text_key(alias, want, sizeof want))) { idx[i] = c; break; }
                a = bar ? bar + 1 : NULL;
            }
        }
        if (idx[i] < 0 && specs[i].required) {
            char first[128] = "";
            const char *bar = specs[i].aliases ? strchr(specs[i].aliases, '|') : NULL;
            if (specs[i].aliases)
                snprintf(first, sizeof first, "%.*s", bar ? (int)(bar - specs[i].aliases) : 127, specs[i].aliases);
            problem_add(probs, PROB_FATAL, t->name, 1, specs[i].name,
                        "缺少必需的列“%s”（%s）", specs[i].name, first);
            rc = -1;
        }
    }
    return rc;
}
