/* output.c — see output.h. */
#include "app/output.h"
#include "base/arena.h"
#include "base/sys_error.h"
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

/* Temporary files of a run that was killed: ".zhibu-tmp-<pid>-<name>" whose
   process is gone. */
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
        unlink(path);
    }
    closedir(d);
}

int output_open(output_set *o, const char *base, const char *sub, char *err, size_t errlen)
{
    memset(o, 0, sizeof *o);
    size_t n = strlen(base) + strlen(sub) + 2;
    o->dir = xmalloc(n);
    snprintf(o->dir, n, "%s/%s", base, sub);
    if (mkdir_p(o->dir)) {
        char eb[64];
        snprintf(err, errlen, "%s: 无法创建输出目录：%s", o->dir, sys_error_text(errno, eb, sizeof eb));
        return -1;
    }
    remove_stale(o->dir);
    return 0;
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
    return o->tmp[o->n++];
}

int output_commit(output_set *o, char *err, size_t errlen)
{
    for (size_t i = 0; i < o->n; i++)
        if (rename(o->tmp[i], o->final[i])) {
            sys_write_failed(o->final[i], errno, err, errlen);
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
    free(o->tmp);
    free(o->final);
    free(o->dir);
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
