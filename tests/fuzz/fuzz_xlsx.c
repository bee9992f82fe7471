/* fuzz_xlsx.c — libFuzzer target: the XLSX reader (xlsx_read.c) and the
 * ledger on top of it (ledger.c).
 *
 * An input that starts with "PK" is a whole workbook (mutated zips mostly
 * exercise libzip's checks and the foreign-zip messages).  Any other input
 * is the XML parts of a one-sheet workbook separated by NUL bytes —
 * sheet1.xml, sharedStrings.xml, styles.xml, workbook.xml (empty = a
 * default) — stored into a zip here, so that mutations reach the XML
 * readers instead of failing the zip's CRC.
 *
 * Beyond "no crash, hang, leak or UB": every row number is in Excel's grid,
 * cells come sorted by column, texts are valid UTF-8, a date cell holds a
 * real date, a failure always comes with a message, and every problem
 * formats, in valid UTF-8. */
#include "input/ledger.h"
#include "input/xlsx_read.h"
#include "base/dates.h"
#include "base/textutil.h"
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>
#include <zip.h>

static const char *const codes[] = {"TD-HELD", "AT-ABSENT", "DU-LATE", "CS-MONTH"};

static int on_row(int row, const xlsx_cell *c, int n, void *ctx)
{
    (void)ctx;
    if (row < 1 || row > 1048576 || n < 1) __builtin_trap();
    for (int i = 0; i < n; i++) {
        if (c[i].col < 0 || c[i].col >= 16384 || (i && c[i].col <= c[i - 1].col)) __builtin_trap();
        if (!c[i].text || !utf8_valid(c[i].text, strlen(c[i].text))) __builtin_trap();
        if (c[i].type == XLSX_DATE && !date_valid(c[i].ymd / 10000, c[i].ymd / 100 % 100, c[i].ymd % 100))
            __builtin_trap();
    }
    return 0;
}

/* The parts of a one-sheet workbook into a stored zip (malloc'ed). */
static char *parts_zip(const uint8_t *data, size_t size, size_t *len)
{
    static const char rels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"r\" Type=\"x/officeDocument\" Target=\"xl/workbook.xml\"/></Relationships>";
    static const char wbrels[] =
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"x/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"x/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"x/styles\" Target=\"/xl/styles.xml\"/></Relationships>";
    static const char wb[] = "<workbook xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\">"
                             "<sheets><sheet name=\"问题清单\" r:id=\"rId1\"/></sheets></workbook>";
    static const char *const names[4] = {"xl/worksheets/sheet1.xml", "xl/sharedStrings.xml", "xl/styles.xml",
                                         "xl/workbook.xml"};
    const char *part[4] = {NULL, NULL, NULL, wb};
    size_t plen[4] = {0, 0, 0, sizeof wb - 1};
    const uint8_t *p = data, *end = data + size;
    for (int k = 0; k < 4 && p <= end; k++) {
        const uint8_t *nul = memchr(p, 0, (size_t)(end - p));
        size_t l = nul ? (size_t)(nul - p) : (size_t)(end - p);
        if (l || k < 3) {
            part[k] = (const char *)p;
            plen[k] = l;
        }
        if (!nul) break;
        p = nul + 1;
    }
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    char *out = NULL;
    if (!src) return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_source_free(src);
        zip_error_fini(&ze);
        return NULL;
    }
    zip_source_t *s = zip_source_buffer(za, rels, sizeof rels - 1, 0);
    zip_int64_t i = zip_file_add(za, "_rels/.rels", s, 0);
    zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    s = zip_source_buffer(za, wbrels, sizeof wbrels - 1, 0);
    i = zip_file_add(za, "xl/_rels/workbook.xml.rels", s, 0);
    zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    for (int k = 0; k < 4; k++) {
        if (!part[k]) continue;
        s = zip_source_buffer(za, part[k], plen[k], 0);
        i = s ? zip_file_add(za, names[k], s, 0) : -1;
        if (i < 0) zip_source_free(s);
        else zip_set_file_compression(za, (zip_uint64_t)i, ZIP_CM_STORE, 0);
    }
    if (zip_close(za) == 0 && zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t n = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        out = malloc(n > 0 ? (size_t)n : 1);
        if (out && zip_source_read(src, out, (zip_uint64_t)n) == n) *len = (size_t)n;
        else { free(out); out = NULL; }
        zip_source_close(src);
    } else {
        zip_discard(za);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return out;
}

/* Every problem formats, and its texts are valid UTF-8 on one line. */
static void check_problems(const problems *p)
{
    char buf[2048];
    for (size_t i = 0; i < p->n; i++) {
        const problem *pr = &p->v[i];
        problem_format(pr, buf, sizeof buf);
        if (!utf8_valid(pr->message, strlen(pr->message)) || !utf8_valid(pr->file, strlen(pr->file)) ||
            strchr(pr->file, '\n'))
            __builtin_trap();
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    size_t len = size;
    char *zip = NULL;
    const char *bytes = (const char *)data;
    if (!(size >= 2 && data[0] == 'P' && data[1] == 'K')) {
        zip = parts_zip(data, size, &len);
        if (!zip) return 0;
        bytes = zip;
    }
    /* the reader: every sheet, row by row */
    problems p;
    problems_init(&p);
    xlsx_book *b = xlsx_open_bytes(bytes, len, "fuzz.xlsx", NULL, &p);
    if (!b && !p.nfatal) __builtin_trap(); /* a refusal always says why */
    if (b) {
        for (int i = 0; i < xlsx_sheet_count(b); i++) {
            size_t before = p.nfatal;
            if (xlsx_read_sheet(b, i, on_row, NULL, &p) && p.nfatal == before) __builtin_trap();
        }
        xlsx_close(b);
    }
    check_problems(&p);
    problems_free(&p);

    /* the ledger over the same bytes, through a file as the run reads it */
    int fd = memfd_create("fuzz-ledger", MFD_CLOEXEC);
    if (fd >= 0 && write(fd, bytes, len) == (ssize_t)len) {
        char path[64];
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
        problems_init(&p);
        ledger lg;
        int rc = ledger_load(&lg, path, "ledger.xlsx", codes, 4, &p);
        if (rc && !p.nfatal) __builtin_trap();
        for (size_t i = 0; i < lg.n; i++)
            if (ledger_find(&lg, lg.v[i].problem_id) != &lg.v[i]) __builtin_trap();
        check_problems(&p);
        ledger_free(&lg);
        problems_free(&p);
    }
    if (fd >= 0) close(fd);
    free(zip);
    return 0;
}
