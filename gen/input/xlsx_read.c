/*
 * xlsx_read.c — see xlsx_read.h: the public interface of the XLSX reader
 * (opening, the sheet list, reading a sheet) and the problems it adds.
 * The work is done by xlsx_zip.c, xlsx_xml.c, xlsx_workbook.c,
 * xlsx_strings.c, xlsx_styles.c and xlsx_sheet.c (xlsx_read_internal.h).
 */
#include "input/xlsx_read_internal.h"
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* Drop a UTF-8 sequence that snprintf cut short at the end of s. */
void xr_utf8_cut(char *s)
{
    size_t n = strlen(s), i = n;
    while (i > 0 && ((unsigned char)s[i - 1] & 0xC0) == 0x80 && n - i < 3) i--;
    if (i == 0 || (unsigned char)s[i - 1] < 0xC0) return;
    unsigned char lead = (unsigned char)s[i - 1];
    size_t want = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2;
    if (n - (i - 1) < want) s[i - 1] = 0;
}

void xr_fatal(xlsx_book *b, problems *probs, const char *fmt, ...)
{
    char msg[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    xr_utf8_cut(msg);
    problem_add(probs, PROB_FATAL, b->name, 0, NULL, "%s", msg);
}

const char *xlsx_col_name(int c, char *buf)
{
    char tmp[8];
    int n = 0;
    c++;
    while (c > 0 && n < 7) {
        tmp[n++] = (char)('A' + (c - 1) % 26);
        c = (c - 1) / 26;
    }
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

xlsx_book *xlsx_open_bytes(const void *data, size_t n, const char *name, const xlsx_limits *limits, problems *probs)
{
    xlsx_book *b = xcalloc(1, sizeof *b);
    b->name = arena_strdup(&b->arena, name);
    if (limits) b->lim = *limits;
    else xlsx_limits_default(&b->lim);
    if (xr_zip_open(b, data, n, probs) || xr_book_init(b, probs)) {
        xlsx_close(b);
        return NULL;
    }
    return b;
}

xlsx_book *xlsx_open_file(const char *path, const char *name, const xlsx_limits *limits, problems *probs)
{
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) {
        problem_add(probs, PROB_FATAL, name, 0, NULL, "无法打开文件：%s", strerror(errno));
        return NULL;
    }
    struct stat st;
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        problem_add(probs, PROB_FATAL, name, 0, NULL, "读取失败（可能是目录或设备）");
        return NULL;
    }
    size_t len = (size_t)st.st_size;
    void *map = NULL;
    if (len > 0) {
        map = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
        if (map == MAP_FAILED) {
            close(fd);
            problem_add(probs, PROB_FATAL, name, 0, NULL, "读取失败：%s", strerror(errno));
            return NULL;
        }
    }
    close(fd);
    xlsx_book *b = xlsx_open_bytes(map ? map : "", len, name, limits, probs);
    if (!b) {
        if (map) munmap(map, len);
        return NULL;
    }
    b->map = map;
    b->map_len = len;
    return b;
}

void xlsx_close(xlsx_book *b)
{
    if (!b) return;
    if (b->za) zip_discard(b->za);
    if (b->map) munmap(b->map, b->map_len);
    free(b->sheets);
    free(b->sst_buf);
    free(b->sst_off);
    free(b->xf_date);
    arena_free(&b->arena);
    free(b);
}

int xlsx_sheet_count(const xlsx_book *b) { return (int)b->nsheets; }
const xlsx_sheet *xlsx_sheet_at(const xlsx_book *b, int i)
{
    return i >= 0 && (size_t)i < b->nsheets ? &b->sheets[i] : NULL;
}
int xlsx_date1904(const xlsx_book *b) { return b->date1904; }

/* The shared strings and the styles, read before the first sheet is. */
static int aux_load(xlsx_book *b, problems *probs)
{
    if (b->aux_loaded) return 0;
    b->aux_loaded = 1;
    if (xr_part_find(b, b->sst_part) >= 0 && xr_strings_load(b, probs)) return -1;
    if (xr_part_find(b, b->styles_part) >= 0 && xr_styles_load(b, probs)) return -1;
    return 0;
}

int xlsx_read_sheet(xlsx_book *b, int i, xlsx_row_fn fn, void *ctx, problems *probs)
{
    const xlsx_sheet *sh = xlsx_sheet_at(b, i);
    if (!sh) return -1;
    if (sh->kind == XLSX_CHARTSHEET) return 0;
    if (!sh->part || xr_part_find(b, sh->part) < 0) {
        xr_fatal(b, probs, "文件损坏：工作表“%s”的内容（%s）不存在", sh->name, sh->part ? sh->part : "无部件");
        return -1;
    }
    if (aux_load(b, probs)) return -1;
    return xr_sheet_parse(b, sh, fn, ctx, probs);
}
