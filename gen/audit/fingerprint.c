/* fingerprint.c — see fingerprint.h and doc/audit.md. */
#include "audit/fingerprint.h"
#include "audit/meta_read.h"
#include "base/sys_error.h"
#include "base/arena.h"
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

static const char *const kind_words[AUDIT_KINDS] = {"input", "rules", "template", "output"};

const char *audit_kind_word(audit_kind k)
{
    return k < AUDIT_KINDS ? kind_words[k] : "?";
}

void audit_init(audit_record *r, const char *version, const char *run, const char *options)
{
    memset(r, 0, sizeof *r);
    r->version = xstrdup(version ? version : "");
    r->run = xstrdup(run ? run : "");
    r->options = xstrdup(options ? options : "");
}

void audit_free(audit_record *r)
{
    for (size_t i = 0; i < r->nfiles; i++) free(r->files[i].name);
    free(r->files);
    free(r->version);
    free(r->run);
    free(r->options);
    memset(r, 0, sizeof *r);
}

void audit_add_hash(audit_record *r, audit_kind k, const char *name, const char *sha, long long size)
{
    GROW(r->files, r->cap, r->nfiles);
    audit_file *f = &r->files[r->nfiles++];
    f->kind = k;
    f->name = xstrdup(name);
    snprintf(f->sha, sizeof f->sha, "%s", sha);
    f->size = size;
}

int audit_add_path(audit_record *r, audit_kind k, const char *name, const char *path, char *err, size_t errlen)
{
    char sha[SHA256_HEX];
    long long size;
    if (sha256_file(path, sha, &size)) {
        if (errno == ENOENT) return 1;
        char eb[64];
        snprintf(err, errlen, "%s: 无法读取：%s", path, sys_error_text(errno, eb, sizeof eb));
        return -1;
    }
    audit_add_hash(r, k, name, sha, size);
    return 0;
}

static int file_cmp(const void *a, const void *b)
{
    const audit_file *x = a, *y = b;
    if (x->kind != y->kind) return x->kind < y->kind ? -1 : 1;
    return strcmp(x->name, y->name); /* bytes, whatever the locale */
}

/* Append printf output to a growing buffer. */
typedef struct {
    char *s;
    size_t n, cap;
} sbuf;

static void sb_printf(sbuf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sb_printf(sbuf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int need = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (need < 0) return;
    if (b->n + (size_t)need + 1 > b->cap) {
        b->cap = (b->n + (size_t)need + 1) * 2;
        b->s = xrealloc(b->s, b->cap);
    }
    va_start(ap, fmt);
    vsnprintf(b->s + b->n, (size_t)need + 1, fmt, ap);
    va_end(ap);
    b->n += (size_t)need;
}

static void file_line(sbuf *b, const audit_file *f)
{
    sb_printf(b, "%s %s %lld %s\n", audit_kind_word(f->kind), f->sha, f->size, f->name);
}

char *audit_preimage(const audit_record *r, size_t *len)
{
    sbuf b = {0};
    sb_printf(&b, "zhibu %s\nrun %s\noptions %s\n", r->version, r->run, r->options);
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].kind != AUDIT_OUTPUT) file_line(&b, &r->files[i]);
    if (len) *len = b.n;
    return b.s;
}

void audit_seal(audit_record *r)
{
    if (r->nfiles > 1) qsort(r->files, r->nfiles, sizeof *r->files, file_cmp);
    size_t n;
    char *text = audit_preimage(r, &n);
    sha256_hex(text, n, r->fingerprint);
    free(text);
}

const audit_file *audit_find(const audit_record *r, audit_kind k, const char *name)
{
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].kind == k && !strcmp(r->files[i].name, name)) return &r->files[i];
    return NULL;
}

int audit_manifest_write(const audit_record *r, FILE *f)
{
    char *text = audit_preimage(r, NULL);
    sbuf b = {0};
    sb_printf(&b, "fingerprint %s\n%s", r->fingerprint, text);
    free(text);
    for (size_t i = 0; i < r->nfiles; i++)
        if (r->files[i].kind == AUDIT_OUTPUT) file_line(&b, &r->files[i]);
    int rc = fwrite(b.s, 1, b.n, f) == b.n ? 0 : -1;
    free(b.s);
    return rc;
}

static int is_hex64(const char *s, size_t n)
{
    if (n != 64) return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= '0' && s[i] <= '9') || (s[i] >= 'a' && s[i] <= 'f'))) return 0;
    return 1;
}

int audit_manifest_parse(const char *text, size_t n, audit_record *r, char *err, size_t errlen)
{
    audit_init(r, "", "", "");
    int have_fp = 0, lineno = 0;
    const char *p = text, *end = text + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        size_t len = (size_t)(le - p);
        lineno++;
        char *line = xstrndup(p, len);
        p = nl ? nl + 1 : end;
        if (len && line[len - 1] == '\r') line[--len] = 0;
        char *sp = strchr(line, ' ');
        int bad = !sp;
        if (!bad) {
            *sp = 0;
            const char *rest = sp + 1;
            if (!strcmp(line, "fingerprint")) {
                bad = !is_hex64(rest, strlen(rest));
                if (!bad) {
                    snprintf(r->fingerprint, sizeof r->fingerprint, "%s", rest);
                    have_fp = 1;
                }
            } else if (!strcmp(line, "zhibu")) {
                free(r->version);
                r->version = xstrdup(rest);
            } else if (!strcmp(line, "run")) {
                free(r->run);
                r->run = xstrdup(rest);
            } else if (!strcmp(line, "options")) {
                free(r->options);
                r->options = xstrdup(rest);
            } else {
                int k = 0;
                while (k < AUDIT_KINDS && strcmp(line, kind_words[k])) k++;
                /* "<sha> <size> <name>": the name is the rest of the line */
                const char *s2 = strchr(rest, ' ');
                char *sizeend = NULL;
                long long size = s2 ? strtoll(s2 + 1, &sizeend, 10) : -1;
                bad = k == AUDIT_KINDS || !s2 || !is_hex64(rest, (size_t)(s2 - rest)) || size < 0 ||
                      !sizeend || *sizeend != ' ' || !sizeend[1];
                if (!bad) {
                    char sha[SHA256_HEX];
                    memcpy(sha, rest, 64);
                    sha[64] = 0;
                    audit_add_hash(r, (audit_kind)k, sizeend + 1, sha, size);
                }
            }
        }
        free(line);
        if (bad) {
            snprintf(err, errlen, "manifest.txt:%d: 不是 zhibu 的清单格式", lineno);
            audit_free(r);
            return -1;
        }
    }
    if (!have_fp) {
        snprintf(err, errlen, "manifest.txt: 没有数据指纹（fingerprint 行）");
        audit_free(r);
        return -1;
    }
    return 0;
}

int audit_manifest_read(const char *path, audit_record *r, char *err, size_t errlen)
{
    size_t n;
    /* a manifest is small; refuse something that is not one (64 MB) */
    char *buf = file_slurp(path, (size_t)64 << 20, &n, err, errlen);
    if (!buf) return -1;
    int rc = audit_manifest_parse(buf, n, r, err, errlen);
    free(buf);
    return rc;
}
