/* ini_file.c — see ini_file.h. */
#include "input/ini_file.h"
#include "base/arena.h"
#include "input/encoding.h"
#include "base/strmap.h"
#include "base/textutil.h"
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

/* iniparser reports through a global callback: keep its first message. */
static char ini_err[512];

static int capture_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    if (!ini_err[0]) vsnprintf(ini_err, sizeof ini_err, fmt, ap);
    va_end(ap);
    return 0;
}

void ini_file_say(char *err, size_t n, const char *file, int line, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    if (line > 0) snprintf(err, n, "%s:%d: %s", file, line, msg);
    else snprintf(err, n, "%s: %s", file, msg);
}

/* Read the file, decode it (BOM, GBK), refuse what iniparser cannot take. */
static char *read_text(const char *path, const char *name, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { ini_file_say(err, errlen, name, 0, "无法打开文件"); return NULL; }
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        GROW(buf, cap, n + 4096);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got && n < (1 << 20));
    fclose(f);
    if (memchr(buf, 0, n)) { free(buf); ini_file_say(err, errlen, name, 0, "含有 NUL 字节：不是文本文件"); return NULL; }
    text_encoding enc;
    size_t tn;
    int bad_line = 0;
    const char *reason = NULL;
    char *text = encoding_decode(buf, n, &enc, &tn, &bad_line, &reason);
    free(buf);
    if (!text) { ini_file_say(err, errlen, name, bad_line, "%s", reason); return NULL; }
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= 1000) {
            ini_file_say(err, errlen, name, line, "这一行太长（最多 1000 字节）：请拆短");
            free(text);
            return NULL;
        }
        p += len + (nl != NULL);
    }
    return text;
}

int ini_file_load(ini_file *f, const char *path, char *err, size_t errlen)
{
    memset(f, 0, sizeof *f);
    f->name = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    f->text = read_text(path, f->name, err, errlen);
    if (!f->text) return -1;
    /* hand iniparser the clean text through a memfd */
    size_t len = strlen(f->text);
    int fd = memfd_create("zhibu-ini", MFD_CLOEXEC);
    if (fd < 0 || write(fd, f->text, len) != (ssize_t)len) {
        if (fd >= 0) close(fd);
        ini_file_say(err, errlen, f->name, 0, "无法读取文件");
        ini_file_free(f);
        return -1;
    }
    char fdpath[64];
    snprintf(fdpath, sizeof fdpath, "/proc/self/fd/%d", fd);
    ini_err[0] = 0;
    iniparser_set_error_callback(capture_error);
    f->dict = iniparser_load(fdpath);
    close(fd);
    if (!f->dict) {
        const char *p = strrchr(ini_err, '(');
        ini_file_say(err, errlen, f->name, p ? atoi(p + 1) : 0, "INI 语法错误（含 ; 或 # 的值请加引号）");
        ini_file_free(f);
        return -1;
    }
    return 0;
}

void ini_file_free(ini_file *f)
{
    if (f->dict) iniparser_freedict(f->dict);
    free(f->text);
    memset(f, 0, sizeof *f);
}

int ini_file_line(const ini_file *f, const char *section, const char *key)
{
    int line = 1, in_sec = 0;
    const char *p = f->text;
    char sk[256], want[256];
    while (p && *p) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[1100];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 1099 ? len : 1099), p);
        text_trim(buf);
        if (buf[0] == '[') {
            char *e = strchr(buf, ']');
            if (e) *e = 0;
            in_sec = !strcmp(text_key(buf + 1, sk, sizeof sk), text_key(section ? section : "", want, sizeof want));
            if (in_sec && !key) return line;
        } else if (in_sec && key) {
            char *eq = strchr(buf, '=');
            if (eq) {
                *eq = 0;
                if (!strcmp(text_key(text_trim(buf), sk, sizeof sk), text_key(key, want, sizeof want))) return line;
            }
        }
        line++;
        p = nl ? nl + 1 : NULL;
    }
    return 0;
}

/* Trim and lower-case ASCII in place, as iniparser does with section and key names. */
static char *ini_name(char *s)
{
    s = text_trim(s);
    for (char *p = s; *p; p++) *p = (char)tolower((unsigned char)*p);
    return s;
}

int ini_file_duplicate(const ini_file *f, ini_duplicate *d)
{
    strmap seen; /* "section\001key" → line */
    strmap_init(&seen);
    rarena a = {0};
    char sec[128] = "";
    int line = 1, found = 0, cont = 0;
    for (const char *p = f->text; p && *p && !found; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        char buf[1100];
        snprintf(buf, sizeof buf, "%.*s", (int)(len < 1099 ? len : 1099), p);
        p = nl ? nl + 1 : NULL;
        char *l = text_trim(buf);
        size_t n = strlen(l);
        /* a line ending in a backslash goes on on the next one (iniparser) */
        int was_cont = cont;
        cont = n > 0 && l[n - 1] == '\\';
        if (was_cont || !n || l[0] == '#' || l[0] == ';') continue;
        if (l[0] == '[') {
            char *e = strchr(l, ']');
            if (e) *e = 0;
            snprintf(sec, sizeof sec, "%s", ini_name(l + 1));
            continue;
        }
        char *eq = strchr(l, '=');
        if (!eq) continue;
        *eq = 0;
        const char *key = ini_name(l);
        char *k = arena_printf(&a, "%s\001%s", sec, key);
        int first = strmap_put(&seen, k, line);
        if (first >= 0) {
            snprintf(d->section, sizeof d->section, "%s", sec);
            snprintf(d->key, sizeof d->key, "%s", key);
            d->first_line = first;
            d->line = line;
            found = 1;
        }
    }
    strmap_free(&seen);
    arena_free(&a);
    return found;
}
