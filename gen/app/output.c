/* output.c — see output.h. */
#include "app/output.h"
#include "base/arena.h"
#include "base/remove_tree.h"
#include "base/sys_error.h"
#include "audit/fingerprint.h"
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define TMP_MARK ".zhibu-tmp-"

static int mkdir_p(const char *path)
{
    char buf[4096];
    snprintf(buf, sizeof buf, "%s", path);
    for (char *p = buf + 1; *p; p++) {
        if (*p != '/') continue;
        *p = 0;
        if (mkdir(buf, 0777) && errno != EEXIST) return -1;
        *p = '/';
    }
    if (mkdir(buf, 0777) && errno != EEXIST) return -1;
    struct stat st;
    return stat(buf, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

/* Temporaries of a run that was killed: ".zhibu-tmp-<pid>-<name>" (files,
   and the scratch directories renderers make beside them) whose process is
   gone. */
static void remove_stale(const char *dir)
{
    DIR *d = opendir(dir);
    if (!d) return;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (strncmp(e->d_name, TMP_MARK, strlen(TMP_MARK))) continue;
        long pid = strtol(e->d_name + strlen(TMP_MARK), NULL, 10);
        char proc[64];
        snprintf(proc, sizeof proc, "/proc/%ld", pid);
        if (pid > 0 && access(proc, F_OK) == 0 && pid != getpid()) continue;
        char path[4096];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        remove_tree(path); /* a file, or a renderer's scratch directory and what a killed run left in it */
    }
    closedir(d);
}

/* The previous run's outputs, from the manifest.txt in the directory (none
   when there is no manifest, or it is not zhibu's: nothing will be removed). */
static void read_previous(output_set *o)
{
    char path[4096], err[256];
    snprintf(path, sizeof path, "%s/" OUTPUT_MANIFEST, o->dir);
    struct stat st;
    if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) return;
    audit_record r;
    if (audit_manifest_read(path, &r, err, sizeof err)) return;
    for (size_t i = 0; i < r.nfiles; i++) {
        if (r.files[i].kind != AUDIT_OUTPUT) continue;
        o->prev = xrealloc(o->prev, (o->nprev + 1) * sizeof *o->prev);
        o->prev_sha = xrealloc(o->prev_sha, (o->nprev + 1) * sizeof *o->prev_sha);
        o->prev[o->nprev] = xstrdup(r.files[i].name);
        o->prev_sha[o->nprev++] = xstrdup(r.files[i].sha);
    }
    audit_free(&r);
}

int output_open(output_set *o, const char *base, const char *sub, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    strmap_init(&o->names);
    size_t n = strlen(base) + strlen(sub) + 2;
    o->dir = xmalloc(n);
    snprintf(o->dir, n, "%s/%s", base, sub);
    struct stat st;
    /* a link planted at the period's directory would send every file elsewhere */
    if (lstat(o->dir, &st) == 0 && S_ISLNK(st.st_mode)) {
        snprintf(err, errlen, "%s: 输出目录是符号链接，zhibu 不往链接指向的地方写（请删除这个链接）", o->dir);
        return -1;
    }
    if (mkdir_p(o->dir)) {
        char eb[64];
        snprintf(err, errlen, "%s: 无法创建输出目录：%s", o->dir, sys_error_text(errno, eb, sizeof eb));
        return -1;
    }
    remove_stale(o->dir);
    read_previous(o);
    return 0;
}

static void refuse(output_set *o, const char *fmt, const char *path)
{
    if (o->refused) return;
    size_t n = strlen(fmt) + strlen(path) + 1;
    o->refused = xmalloc(n);
    snprintf(o->refused, n, fmt, path);
}

const char *output_add(output_set *o, const char *name)
{
    GROW(o->tmp, o->cap, o->n);
    o->final = xrealloc(o->final, o->cap * sizeof *o->final);
    size_t n = strlen(o->dir) + strlen(name) + 64;
    o->tmp[o->n] = xmalloc(n);
    o->final[o->n] = xmalloc(n);
    snprintf(o->tmp[o->n], n, "%s/" TMP_MARK "%ld-%s", o->dir, (long)getpid(), name);
    snprintf(o->final[o->n], n, "%s/%s", o->dir, name);
    struct stat st;
    int exists = lstat(o->final[o->n], &st) == 0;
    if (strmap_put(&o->names, o->final[o->n] + strlen(o->dir) + 1, (int)o->n) >= 0)
        refuse(o, "%s: 两个输出文件同名（检查模板的 file 设置）", o->final[o->n]);
    else if (exists && S_ISLNK(st.st_mode))
        refuse(o, "%s: 是符号链接，zhibu 不往链接指向的地方写（请删除这个链接）", o->final[o->n]);
    else if (exists && !S_ISREG(st.st_mode))
        refuse(o, "%s: 已存在，且不是普通文件", o->final[o->n]);
    return o->tmp[o->n++];
}

const char *output_refused(const output_set *o)
{
    return o->refused;
}

const char *output_name(const output_set *o, size_t i)
{
    return o->final[i] + strlen(o->dir) + 1;
}

/* A name a manifest may list for removal: a plain file name of the
   directory, never a path, a temporary or the manifest itself. */
static int removable_name(const char *s)
{
    return s[0] && s[0] != '.' && !strchr(s, '/') && strcmp(s, OUTPUT_MANIFEST) != 0;
}

/* Remove the previous run's files this run did not write, when their bytes
   are still the ones the previous manifest records. */
static void remove_previous(output_set *o)
{
    for (size_t i = 0; i < o->nprev; i++) {
        const char *name = o->prev[i];
        if (!removable_name(name) || strmap_get(&o->names, name) >= 0) continue;
        char path[4096], sha[SHA256_HEX];
        snprintf(path, sizeof path, "%s/%s", o->dir, name);
        struct stat st;
        if (lstat(path, &st) != 0 || !S_ISREG(st.st_mode)) continue;
        if (sha256_file(path, sha, NULL) == 0 && !strcmp(sha, o->prev_sha[i])) {
            unlink(path);
        } else {
            fprintf(stderr, "zhibu: %s: 上次运行写的文件已被改动，保留不删\n", path);
        }
    }
}

int output_commit(output_set *o, char *err, size_t errlen)
{
    if (o->refused) {
        snprintf(err, errlen, "%s", o->refused);
        return -1;
    }
    /* the manifest last: once it is in place, the directory is this run's */
    size_t manifest = o->n;
    for (size_t i = 0; i < o->n; i++) {
        if (!strcmp(output_name(o, i), OUTPUT_MANIFEST)) {
            manifest = i;
            continue;
        }
        if (rename(o->tmp[i], o->final[i])) {
            sys_write_failed(o->final[i], errno, err, errlen);
            return -1;
        }
    }
    remove_previous(o);
    if (manifest < o->n && rename(o->tmp[manifest], o->final[manifest])) {
        sys_write_failed(o->final[manifest], errno, err, errlen);
        return -1;
    }
    return 0;
}

void output_abort(output_set *o)
{
    for (size_t i = 0; i < o->n; i++) unlink(o->tmp[i]);
}

void output_free(output_set *o)
{
    for (size_t i = 0; i < o->n; i++) {
        free(o->tmp[i]);
        free(o->final[i]);
    }
    for (size_t i = 0; i < o->nprev; i++) {
        free(o->prev[i]);
        free(o->prev_sha[i]);
    }
    free(o->prev);
    free(o->prev_sha);
    free(o->tmp);
    free(o->final);
    free(o->dir);
    free(o->refused);
    strmap_free(&o->names);
    memset(o, 0, sizeof *o);
}

/* The clean form of s[0..n) into out (at most limit bytes, cut on a UTF-8
   boundary); returns its length. */
static size_t clean_part(const char *s, size_t n, char *out, size_t limit, int first)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o < limit; i++) {
        unsigned char c = (unsigned char)s[i];
        char r = (char)c;
        if (c < 0x20 || c == 0x7F || strchr("/\\:*?\"<>|", c)) r = '_';
        if (first && o == 0 && (r == '.' || r == ' ' || r == '-')) r = '_';
        out[o++] = r;
    }
    /* do not end inside a UTF-8 sequence */
    while (o > 0 && ((unsigned char)out[o - 1] & 0x80)) {
        size_t start = o - 1;
        while (start > 0 && ((unsigned char)out[start] & 0xC0) == 0x80) start--;
        unsigned char lead = (unsigned char)out[start];
        size_t need = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
        if (o - start >= need) break;
        o = start;
    }
    return o;
}

void safe_name(const char *s, char *out, size_t cap)
{
    size_t limit = cap - 1 < 80 ? cap - 1 : 80, n = strlen(s);
    /* keep a short ASCII extension (".pdf", ".xlsx") when a long name is cut */
    const char *dot = strrchr(s, '.');
    size_t ext = 0;
    if (dot && dot > s && n - (size_t)(dot - s) <= 8 && limit > 16) {
        ext = n - (size_t)(dot - s);
        for (const char *q = dot + 1; *q; q++)
            if (!((*q >= 'a' && *q <= 'z') || (*q >= 'A' && *q <= 'Z') || (*q >= '0' && *q <= '9'))) ext = 0;
    }
    size_t o = clean_part(s, n - ext, out, limit - ext, 1);
    if (!o) out[o++] = '_';
    memcpy(out + o, s + n - ext, ext);
    out[o + ext] = 0;
}
