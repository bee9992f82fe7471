/* csv_read.c — see csv_read.h. */
#include "input/csv_read.h"
#include "base/textutil.h"
#include <csv.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <stdint.h>
#include <sys/mman.h>
#include <sys/stat.h>

enum { MAX_FILE_BYTES = 1 << 30 };

/* Parser state shared with libcsv's callbacks.  The fields of the record
   being assembled are copied into one reusable buffer (offsets until the
   record ends, since the buffer may move), so a streaming read allocates
   nothing per row. */
typedef struct {
    csv_table *t;
    problems *probs;
    const csv_sink *sink;
    char *buf;          /* field texts, each NUL-terminated */
    size_t blen, bcap, blen_end;
    size_t *offs;       /* start of each field in buf */
    char **fields;      /* pointers into buf, made at the end of a record */
    size_t nfields, cap, fcap;
    int rec_line;       /* physical line where the current record began; 0 = none yet */
    int header_done;
    int rows_off;       /* the header callback said stop: no more row callbacks */
} parse_state;

static void on_field(void *s, size_t len, void *vp)
{
    parse_state *ps = vp;
    if (!s) len = 0;
    GROW(ps->offs, ps->cap, ps->nfields);
    if (ps->blen + len + 1 > ps->bcap) {
        size_t c = ps->bcap ? ps->bcap : 4096;
        while (c < ps->blen + len + 1) c *= 2;
        ps->buf = xrealloc(ps->buf, c);
        ps->bcap = c;
    }
    ps->offs[ps->nfields++] = ps->blen;
    if (len) memcpy(ps->buf + ps->blen, s, len);
    ps->buf[ps->blen + len] = 0;
    ps->blen += len + 1;
}

/* 1 when a field may start or end with white space (text_trim's set:
   ASCII white space, U+3000, U+00A0, a stray BOM); most fields do not. */
static int needs_trim(const char *f, size_t len)
{
    if (!len) return 0;
    unsigned char a = (unsigned char)f[0], z = (unsigned char)f[len - 1];
    return a <= ' ' || a == 0xE3 || a == 0xC2 || a == 0xEF || z <= ' ' || z == 0x80 || z == 0xA0 || z == 0xBF;
}

static void on_record(int c, void *vp)
{
    (void)c;
    parse_state *ps = vp;
    csv_table *t = ps->t;
    int line = ps->rec_line;
    size_t n = ps->nfields;
    ps->nfields = 0;
    ps->blen_end = ps->blen;
    ps->blen = 0;
    ps->rec_line = 0;
    GROW(ps->fields, ps->fcap, n);
    for (size_t i = 0; i < n; i++) {
        char *f = ps->buf + ps->offs[i];
        size_t len = (i + 1 < n ? ps->offs[i + 1] : ps->blen_end) - ps->offs[i] - 1;
        ps->fields[i] = needs_trim(f, len) ? text_trim(f) : f;
    }
    /* a line of only spaces or empty fields is a blank line, not a row */
    int blank = 1;
    for (size_t i = 0; i < n && blank; i++)
        if (ps->fields[i][0]) blank = 0;
    if (blank) return;
    if (!ps->header_done) {
        t->ncols = (int)n;
        t->header = arena_alloc(&t->arena, sizeof(char *) * n);
        for (size_t i = 0; i < n; i++) t->header[i] = arena_strdup(&t->arena, ps->fields[i]);
        ps->header_done = 1;
        if (ps->sink->header && ps->sink->header(t, ps->sink->ctx)) ps->rows_off = 1;
        return;
    }
    int ragged = (int)n != t->ncols;
    if (ragged)
        problem_add(ps->probs, PROB_ERROR, t->name, line, NULL,
                    "该行有 %zu 个字段，表头有 %d 列（行不齐）", n, t->ncols);
    if (ps->rows_off || !ps->sink->row) return;
    csv_row r = {line, ps->fields, (int)n};
    ps->sink->row(t, &r, ps->sink->ctx);
}

/* The sink of csv_read_bytes / csv_read_file: keep every row in the table. */
static void keep_row(const csv_table *ct, const csv_row *in, void *ctx)
{
    (void)ct;
    csv_table *t = ctx;
    size_t n = (size_t)in->nfields;
    csv_row *r;
    if (n != (size_t)t->ncols) {
        GROW(t->ragged, t->cap_ragged, t->nragged);
        r = &t->ragged[t->nragged++];
    } else {
        GROW(t->rows, t->cap, t->nrows);
        r = &t->rows[t->nrows++];
    }
    r->line = in->line;
    r->nfields = (int)n;
    r->fields = arena_alloc(&t->arena, sizeof(char *) * (n ? n : 1));
    for (size_t i = 0; i < n; i++) r->fields[i] = arena_strdup(&t->arena, in->fields[i]);
}

/* Control bytes other than TAB, CR, LF never occur in a real export. */
static int find_control_byte(const char *s, size_t n, size_t *at)
{
    /* eight bytes at a time: skip words with no byte below 0x20 and no 0x7F */
    size_t i = 0;
    const uint64_t ones = 0x0101010101010101ULL, highs = 0x8080808080808080ULL;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t lt20 = (w - ones * 0x20) & ~w & highs;
        uint64_t x = w ^ (ones * 0x7F);
        uint64_t eq7f = (x - ones) & ~x & highs;
        if (lt20 | eq7f) break;
    }
    for (; i < n; i++) {
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

static int parse_text(const char *text, size_t n, csv_table *t, const csv_sink *sink, problems *probs)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        problem_add(probs, PROB_FATAL, t->name, 0, NULL, "无法初始化 CSV 解析器");
        return -1;
    }
    /* libcsv grows its field buffer by this much at a time: the default
       (128 bytes) makes a 10 MB field quadratic in copies */
    csv_set_blk_size(&p, 1 << 20);
    parse_state ps = {.t = t, .probs = probs, .sink = sink};
    for (const char *q = text, *e = text + n; (q = memchr(q, '\n', (size_t)(e - q))); q++) t->nlines++;
    t->nlines++;
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
    free(ps.offs);
    free(ps.buf);
    if (rc == 0 && !ps.header_done) {
        problem_add(probs, PROB_FATAL, t->name, 0, NULL, "文件是空的：没有表头行");
        rc = -1;
    }
    return rc;
}

int csv_stream_bytes(const char *data, size_t n, const char *name, csv_table *t, const csv_sink *sink,
                     problems *probs)
{
    memset(t, 0, sizeof *t);
    t->name = arena_strdup(&t->arena, name);
    if (check_not_csv(data, n, name, probs)) return -1;
    /* UTF-8 (the common case) is parsed in place; anything else goes
       through encoding_decode, which converts GBK or says what is wrong */
    int bom = n >= 3 && !memcmp(data, "\xEF\xBB\xBF", 3);
    if (utf8_valid(data + 3 * bom, n - 3 * (size_t)bom)) {
        t->encoding = bom ? ENC_UTF8_BOM : ENC_UTF8;
        return parse_text(data + 3 * bom, n - 3 * (size_t)bom, t, sink, probs);
    }
    int bad_line = 0;
    const char *reason = NULL;
    size_t tn;
    char *text = encoding_decode(data, n, &t->encoding, &tn, &bad_line, &reason);
    if (!text) {
        problem_add(probs, PROB_FATAL, name, bad_line, NULL, "%s", reason);
        return -1;
    }
    int rc = parse_text(text, tn, t, sink, probs);
    free(text);
    return rc;
}

int csv_stream_file(const char *path, const char *name, csv_table *t, const csv_sink *sink, problems *probs)
{
    memset(t, 0, sizeof *t);
    FILE *f = fopen(path, "rb");
    if (!f) {
        problem_add(probs, PROB_FATAL, name, 0, NULL, "无法打开文件：%s", strerror(errno));
        return -1;
    }
    /* A regular file is mapped: no copy, and its pages are the page
       cache's, gone from the process when it is unmapped. */
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size <= MAX_FILE_BYTES) {
        size_t len = (size_t)st.st_size;
        void *map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fileno(f), 0);
        if (map != MAP_FAILED) {
            fclose(f);
            madvise(map, len, MADV_SEQUENTIAL);
            int rc = csv_stream_bytes(map, len, name, t, sink, probs);
            munmap(map, len);
            return rc;
        }
    }
    char *buf = NULL;
    size_t n = 0, cap = 0;
    for (;;) {
        if (n == cap) {
            cap = cap ? cap * 2 : 65536;
            buf = xrealloc(buf, cap);
        }
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
    int rc = csv_stream_bytes(buf, n, name, t, sink, probs);
    free(buf);
    return rc;
}

int csv_read_bytes(const char *data, size_t n, const char *name, csv_table *t, problems *probs)
{
    /* t is cleared by csv_stream_bytes before the sink can see it */
    csv_sink sink = {NULL, keep_row, t};
    return csv_stream_bytes(data, n, name, t, &sink, probs);
}

int csv_read_file(const char *path, const char *name, csv_table *t, problems *probs)
{
    csv_sink sink = {NULL, keep_row, t};
    return csv_stream_file(path, name, t, &sink, probs);
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
