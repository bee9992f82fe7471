/* csv_read.c — see csv_read.h. */
#include "input/csv_read.h"
#include "base/sys_error.h"
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
    GROW(ps->buf, ps->bcap, ps->blen + len);
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
        t->header_line = line;
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

/* The field separator (SPEC item 18): ',' unless the header line (the
   first line that is not blank) has none, but has tabs or semicolons (what
   "Unicode text" exports and Excel in some locales write). */
static char detect_delim(const char *text, size_t n)
{
    size_t pos = 0;
    while (pos < n) {
        const char *nl = memchr(text + pos, '\n', n - pos);
        size_t len = nl ? (size_t)(nl - (text + pos)) + 1 : n - pos;
        if (!is_blank_line(text + pos, len)) {
            size_t commas = 0, tabs = 0, semis = 0;
            for (size_t i = pos; i < pos + len; i++) {
                commas += text[i] == ',';
                tabs += text[i] == '\t';
                semis += text[i] == ';';
            }
            if (commas || (!tabs && !semis)) return ',';
            return tabs >= semis ? '\t' : ';';
        }
        pos += len;
    }
    return ',';
}

const char *csv_delim_name(char delim)
{
    return delim == '\t' ? "制表符（Tab）" : delim == ';' ? "分号" : "逗号";
}

static int parse_text(const char *text, size_t n, csv_table *t, const csv_sink *sink, problems *probs)
{
    struct csv_parser p;
    if (csv_init(&p, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0) {
        problem_add(probs, PROB_FATAL, t->name, 0, NULL, "无法初始化 CSV 解析器");
        return -1;
    }
    t->delim = detect_delim(text, n);
    csv_set_delim(&p, (unsigned char)t->delim);
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
                        "引号不匹配：字段中间出现引号，或右引号后还有字符%s",
                        t->delim == ',' ? "" : t->delim == '\t' ? "（按制表符分隔读取）" : "（按分号分隔读取）");
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
        char eb[64];
        problem_add(probs, PROB_FATAL, name, 0, NULL, "无法打开文件：%s", sys_error_text(errno, eb, sizeof eb));
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

/* The matching keys of a spec's names, in order: English name, then aliases. */
enum { MAX_NAMES = 16, KEY_CAP = 256 };
typedef struct { char key[MAX_NAMES][KEY_CAP]; int n; } spec_keys;

static void spec_keys_of(const csv_colspec *sp, spec_keys *k)
{
    k->n = 0;
    text_key(sp->name, k->key[k->n++], KEY_CAP);
    for (const char *a = sp->aliases; a && *a && k->n < MAX_NAMES;) {
        const char *bar = strchr(a, '|');
        int len = bar ? (int)(bar - a) : (int)strlen(a);
        char name[KEY_CAP];
        snprintf(name, sizeof name, "%.*s", len < KEY_CAP - 1 ? len : KEY_CAP - 1, a);
        text_key(name, k->key[k->n++], KEY_CAP);
        a = bar ? bar + 1 : NULL;
    }
}

/* A header text cut for quoting in a message (a 10 MB cell must not flood it). */
static const char *short_text(const char *s, char *buf, size_t n)
{
    size_t len = strlen(s), cut = 57;
    if (len < 60 || n < 64) return s;
    while (cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80) cut--;
    snprintf(buf, n, "%.*s…", (int)cut, s);
    return buf;
}

static void first_alias(const csv_colspec *sp, char *out, size_t n)
{
    const char *a = sp->aliases ? sp->aliases : "";
    const char *bar = strchr(a, '|');
    snprintf(out, n, "%.*s", bar ? (int)(bar - a) : (int)strlen(a), a);
}

/* 1 when a name is long enough to be looked for inside a header cell: two
   characters, or three letters of an English name ("to" is in too much). */
static int hint_worthy(const char *key)
{
    size_t n = utf8_len(key);
    for (const char *p = key; *p; p++)
        if ((unsigned char)*p >= 0x80) return n >= 2;
    return n >= 3;
}

int csv_bind(const csv_table *t, const csv_colspec *specs, int nspecs, const csv_bind_opts *opts, int *idx,
             problems *probs)
{
    int nc = t->ncols, hl = t->header_line > 0 ? t->header_line : 1, rc = 0;
    char (*keys)[KEY_CAP] = xmalloc(sizeof *keys * (size_t)(nc ? nc : 1));
    int *claimed = xmalloc(sizeof *claimed * (size_t)(nc ? nc : 1));
    spec_keys *sk = xmalloc(sizeof *sk * (size_t)(nspecs ? nspecs : 1));
    for (int c = 0; c < nc; c++) {
        text_key(t->header[c], keys[c], KEY_CAP);
        claimed[c] = -1;
    }
    for (int i = 0; i < nspecs; i++) spec_keys_of(&specs[i], &sk[i]);
    const char *const *mapped = opts ? opts->mapped : NULL;
    char section[64];
    snprintf(section, sizeof section, "%s", opts && opts->section ? opts->section : "columns.<file>");
    char want[KEY_CAP];
    /* the user's header texts first: they win over any alias */
    for (int i = 0; i < nspecs; i++) {
        idx[i] = -1;
        if (!mapped || !mapped[i]) continue;
        text_key(mapped[i], want, sizeof want);
        for (int c = 0; c < nc; c++)
            if (claimed[c] < 0 && want[0] && !strcmp(keys[c], want)) { idx[i] = c; claimed[c] = i; break; }
    }
    for (int i = 0; i < nspecs; i++)
        for (int k = 0; k < sk[i].n && idx[i] < 0; k++)
            for (int c = 0; c < nc; c++)
                if (claimed[c] < 0 && !strcmp(keys[c], sk[i].key[k])) { idx[i] = c; claimed[c] = i; break; }
    /* header cells left unread that look like one of our columns */
    for (int c = 0; c < nc; c++) {
        if (claimed[c] >= 0 || !keys[c][0]) continue;
        int exact = -1, best = -1;
        size_t best_len = 0;
        for (int i = 0; i < nspecs; i++) {
            for (int k = 0; k < sk[i].n; k++) {
                const char *w = sk[i].key[k];
                if (!w[0]) continue;
                if (!strcmp(keys[c], w)) { if (exact < 0) exact = i; continue; }
                if (idx[i] >= 0) continue;
                size_t len = 0;
                if (hint_worthy(w) && strstr(keys[c], w)) len = strlen(w);
                else if (hint_worthy(keys[c]) && strstr(w, keys[c])) len = strlen(keys[c]);
                if (len > best_len) { best_len = len; best = i; }
            }
        }
        char al[128], h[128], h2[128], hv[140];
        const char *head = short_text(t->header[c], h, sizeof h);
        /* as a rules-file value: quoted when iniparser would cut it at ; or # */
        snprintf(hv, sizeof hv, strpbrk(head, ";#") ? "\"%s\"" : "%s", head);
        if (exact >= 0 && !strcmp(keys[c], keys[idx[exact]])) {
            problem_add(probs, PROB_WARNING, t->name, hl, head,
                        "这一列没有读入：表头与第 %d 列相同，%s 已从第 %d 列读入", idx[exact] + 1,
                        specs[exact].name, idx[exact] + 1);
        } else if (exact >= 0) {
            problem_add(probs, PROB_WARNING, t->name, hl, head,
                        "这一列没有读入：%s 已从“%s”列读入；若要改用这一列，请在规则文件中写 [%s] %s = %s",
                        specs[exact].name, short_text(t->header[idx[exact]], h2, sizeof h2), section,
                        specs[exact].name, hv);
        } else if (best >= 0) {
            first_alias(&specs[best], al, sizeof al);
            problem_add(probs, PROB_WARNING, t->name, hl, head,
                        "这一列没有读入，它像是 %s（%s）列；若是，请在规则文件中写 [%s] %s = %s", specs[best].name, al,
                        section, specs[best].name, hv);
        }
    }
    for (int i = 0; i < nspecs; i++) {
        char al[128], extra[400] = "";
        if (mapped && mapped[i] && (idx[i] < 0 || !text_key_eq(t->header[idx[i]], mapped[i])))
            snprintf(extra, sizeof extra, "规则文件 [%s] %s 指定的表头“%s”在文件中没有找到", section, specs[i].name,
                     mapped[i]);
        if (idx[i] < 0 && specs[i].required) {
            first_alias(&specs[i], al, sizeof al);
            problem_add(probs, PROB_FATAL, t->name, hl, specs[i].name, "缺少必需的列“%s”（%s%s%s）", specs[i].name, al,
                        extra[0] ? "；" : "", extra);
            rc = -1;
        } else if (extra[0] && idx[i] >= 0) {
            char h[128];
            problem_add(probs, PROB_WARNING, t->name, hl, specs[i].name, "%s，已改从“%s”列读入", extra,
                        short_text(t->header[idx[i]], h, sizeof h));
        } else if (extra[0]) {
            problem_add(probs, PROB_WARNING, t->name, hl, specs[i].name, "%s", extra);
        }
    }
    free(keys);
    free(claimed);
    free(sk);
    return rc;
}
