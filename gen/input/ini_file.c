/* ini_file.c — see ini_file.h. */
#include "input/ini_file.h"
#include "base/arena.h"
#include "input/encoding.h"
#include "base/textutil.h"
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

static void say(char *err, size_t n, const char *file, int line, const char *msg)
{
    if (line > 0) snprintf(err, n, "%s:%d: %s", file, line, msg);
    else snprintf(err, n, "%s: %s", file, msg);
}

/* Read the file, decode it (BOM, GBK), refuse what iniparser cannot take. */
static char *read_text(const char *path, const char *name, char *err, size_t errlen)
{
    FILE *f = fopen(path, "rb");
    if (!f) { say(err, errlen, name, 0, "无法打开文件"); return NULL; }
    char *buf = NULL;
    size_t n = 0, cap = 0, got;
    do {
        GROW(buf, cap, n + 4096);
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got && n < (1 << 20));
    fclose(f);
    if (memchr(buf, 0, n)) { free(buf); say(err, errlen, name, 0, "含有 NUL 字节：不是文本文件"); return NULL; }
    text_encoding enc;
    size_t tn;
    int bad_line = 0;
    const char *reason = NULL;
    char *text = encoding_decode(buf, n, &enc, &tn, &bad_line, &reason);
    free(buf);
    if (!text) { say(err, errlen, name, bad_line, reason); return NULL; }
    int line = 1;
    for (const char *p = text; *p; line++) {
        const char *nl = strchr(p, '\n');
        size_t len = nl ? (size_t)(nl - p) : strlen(p);
        if (len >= 1000) {
            say(err, errlen, name, line, "这一行太长（最多 1000 字节）：请拆短");
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
        say(err, errlen, f->name, 0, "无法读取文件");
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
        say(err, errlen, f->name, p ? atoi(p + 1) : 0, "INI 语法错误（含 ; 或 # 的值请加引号）");
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
