/*
 * xlsx_zip.c — the zip of an XLSX workbook (libzip): opening it, saying
 * what a file that is not an XLSX is, the size caps, and inflating a part.
 * A part is inflated in chunks, with the byte count checked against the
 * caps as it grows, so a zip bomb is cut off after at most `ratio_from`
 * bytes plus one chunk.
 */
#include "input/xlsx_read_internal.h"
#include <string.h>

void xlsx_limits_default(xlsx_limits *l)
{
    l->part_max = (size_t)1024 * MB;    /* a sheet of Excel's 1,048,576 rows fits */
    l->meta_max = (size_t)64 * MB;
    l->total_max = (size_t)4096 * MB;
    l->ratio_from = (size_t)8 * MB;
    l->ratio_max = 250;                 /* real sheets: 5–60; deflate's ceiling: 1032 */
    l->sst_max_count = (size_t)1 << 24;    /* a city's 2.4 M findings saved by Excel: ~10 M */
    l->sst_max_bytes = (size_t)1024 * MB;
    l->text_max = (size_t)1 * MB;       /* Excel's cell limit is 32,767 characters */
}

static const char *zip_code_cn(int code)
{
    switch (code) {
    case ZIP_ER_NOZIP: return "找不到 ZIP 目录：文件不完整（被截断）或不是 ZIP 压缩包";
    case ZIP_ER_INCONS: return "ZIP 压缩包内部不一致";
    case ZIP_ER_CRC: return "CRC 校验错误";
    case ZIP_ER_ZLIB:
    case ZIP_ER_COMPRESSED_DATA: return "压缩数据损坏";
    case ZIP_ER_EOF: return "文件意外结束（被截断）";
    case ZIP_ER_READ:
    case ZIP_ER_SEEK:
    case ZIP_ER_TELL: return "读取错误";
    case ZIP_ER_MULTIDISK: return "分卷压缩包";
    case ZIP_ER_COMPNOTSUPP: return "不支持的压缩方式";
    case ZIP_ER_ENCRNOTSUPP:
    case ZIP_ER_NOPASSWD:
    case ZIP_ER_WRONGPASSWD: return "内容已加密";
    case ZIP_ER_MEMORY: return "内存不足";
    default: return "ZIP 压缩包损坏";
    }
}

/* Locate a part (case-insensitive, as OPC part names are); -1 when absent. */
zip_int64_t xr_part_find(xlsx_book *b, const char *part)
{
    return part && *part ? zip_name_locate(b->za, part, ZIP_FL_NOCASE) : -1;
}

/* Not a zip at all: say what it looks like. */
static void not_zip(xlsx_book *b, const unsigned char *d, size_t n, problems *probs)
{
    if (n == 0) xr_fatal(b, probs, "文件是空的");
    else if (n >= 8 && !memcmp(d, "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8))
        xr_fatal(b, probs, "这是旧版 Excel（XLS）文件或设了密码的工作簿：请在 Excel 或 WPS 中另存为“Excel 工作簿（*.xlsx）”，不设密码");
    else if ((n >= 5 && !memcmp(d, "<?xml", 5)) || (n >= 8 && !memcmp(d, "\xEF\xBB\xBF<?xml", 8)))
        xr_fatal(b, probs, "这是 XML 文本（可能是“XML 电子表格 2003”），不是 XLSX：请另存为“Excel 工作簿（*.xlsx）”");
    else if (n >= 4 && !memcmp(d, "%PDF", 4))
        xr_fatal(b, probs, "这是 PDF 文件，不是 XLSX 工作簿");
    else
        xr_fatal(b, probs, "不是 XLSX 工作簿（不是 ZIP 压缩包）：若是 CSV 文件，请把扩展名改为 .csv");
}

int xr_zip_open(xlsx_book *b, const void *data, size_t n, problems *probs)
{
    if (n < 4 || memcmp(data, "PK", 2)) {
        not_zip(b, data, n, probs);
        return -1;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(data, n, 0, &ze);
    if (src) {
        b->za = zip_open_from_source(src, ZIP_RDONLY, &ze);
        if (!b->za) zip_source_free(src);
    }
    if (!b->za) {
        xr_fatal(b, probs, "ZIP 压缩包损坏：%s（%s）", zip_code_cn(zip_error_code_zip(&ze)), zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return -1;
    }
    zip_error_fini(&ze);
    return 0;
}

int xr_entry_open(xlsx_book *b, const char *part, const char *what, int big, xr_entry *e, problems *probs)
{
    zip_int64_t idx = xr_part_find(b, part);
    if (idx < 0) {
        xr_fatal(b, probs, "文件损坏：缺少部件 %s", part);
        return -1;
    }
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat_index(b->za, (zip_uint64_t)idx, 0, &st) != 0) {
        xr_fatal(b, probs, "文件损坏：%s 无法读取", what);
        return -1;
    }
    size_t cap = big ? b->lim.part_max : b->lim.meta_max;
    zip_uint64_t comp = (st.valid & ZIP_STAT_COMP_SIZE) && st.comp_size ? st.comp_size : 1;
    if ((st.valid & ZIP_STAT_ENCRYPTION_METHOD) && st.encryption_method != ZIP_EM_NONE) {
        xr_fatal(b, probs, "%s 已加密，无法读取：请在 Excel 或 WPS 中取消密码后另存", what);
        return -1;
    }
    if ((st.valid & ZIP_STAT_COMP_METHOD) && st.comp_method != ZIP_CM_STORE && st.comp_method != ZIP_CM_DEFLATE) {
        xr_fatal(b, probs, "%s 使用了不支持的压缩方式（%d）：Excel、WPS、LibreOffice 只用 deflate，文件可能已损坏",
                 what, (int)st.comp_method);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > cap) {
        xr_fatal(b, probs, "%s 解压后有 %llu MB，超过上限 %zu MB，拒绝读取（可能是“压缩炸弹”）", what,
                 (unsigned long long)(st.size / MB), cap / MB);
        return -1;
    }
    if ((st.valid & ZIP_STAT_SIZE) && st.size > b->lim.ratio_from && st.size / comp > b->lim.ratio_max) {
        xr_fatal(b, probs, "%s 的压缩比超过 %u:1，拒绝读取（可能是“压缩炸弹”）", what, b->lim.ratio_max);
        return -1;
    }
    zip_file_t *zf = zip_fopen_index(b->za, (zip_uint64_t)idx, 0);
    if (!zf) {
        zip_error_t *ze = zip_get_error(b->za);
        xr_fatal(b, probs, "文件损坏：%s 无法解压（%s）", what, zip_code_cn(zip_error_code_zip(ze)));
        return -1;
    }
    *e = (xr_entry){.zf = zf, .what = what, .cap = cap, .comp = comp};
    return 0;
}

zip_int64_t xr_entry_read(xlsx_book *b, xr_entry *e, void *buf, size_t len, problems *probs)
{
    zip_int64_t n = zip_fread(e->zf, buf, len);
    if (n < 0) {
        xr_fatal(b, probs, "文件损坏：%s 无法解压（%s）", e->what,
                 zip_code_cn(zip_error_code_zip(zip_file_get_error(e->zf))));
        return -1;
    }
    e->got += (size_t)n;
    b->total += (size_t)n;
    if (e->got > e->cap) {
        xr_fatal(b, probs, "%s 解压后超过上限 %zu MB，拒绝读取（可能是“压缩炸弹”）", e->what, e->cap / MB);
        return -1;
    }
    if (e->got > b->lim.ratio_from && e->got / e->comp > b->lim.ratio_max) {
        xr_fatal(b, probs, "%s 的压缩比超过 %u:1，拒绝读取（可能是“压缩炸弹”）", e->what, b->lim.ratio_max);
        return -1;
    }
    if (b->total > b->lim.total_max) {
        xr_fatal(b, probs, "工作簿解压后总计超过上限 %zu MB，拒绝读取", b->lim.total_max / MB);
        return -1;
    }
    return n;
}

void xr_entry_close(xr_entry *e) { zip_fclose(e->zf); }
