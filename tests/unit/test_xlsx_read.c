/*
 * test_xlsx_read.c — the XLSX reader (gen/input/xlsx_read.c) on workbooks
 * made here: by hand (zip_build.c: every cell form, namespaces, damage)
 * and by libxlsxwriter (shared and inline rich strings, dates).  The
 * workbooks of openpyxl and LibreOffice are read in test_ledger.c.
 */
#include "check.h"
#include "fixture.h"
#include "zip_build.h"
#include "input/xlsx_read.h"
#include "base/textutil.h"
#include <stdlib.h>
#include <unistd.h>
#include <xlsxwriter.h>
#include <zip.h>

/* ---- collecting a sheet as "REF=type:text" lines ------------------------- */

typedef struct {
    char out[16384];
    size_t n;
    int rows, stop_after;
} dump;

static int dump_row(int row, const xlsx_cell *c, int n, void *ctx)
{
    dump *d = ctx;
    for (int i = 0; i < n; i++) {
        static const char *const tn[] = {"empty", "text", "num", "bool", "date", "err"};
        char col[8];
        int w = snprintf(d->out + d->n, sizeof d->out - d->n, "%s%d=%s%s:%s%s", xlsx_col_name(c[i].col, col), row,
                         tn[c[i].type], c[i].formula ? "(f)" : "", c[i].text, "\n");
        if (w > 0 && (size_t)w < sizeof d->out - d->n) d->n += (size_t)w;
        if (c[i].type == XLSX_DATE) {
            w = snprintf(d->out + d->n, sizeof d->out - d->n, "  ymd=%d\n", c[i].ymd);
            if (w > 0 && (size_t)w < sizeof d->out - d->n) d->n += (size_t)w;
        }
    }
    d->rows++;
    return d->stop_after && d->rows >= d->stop_after;
}

/* Open zip bytes and dump sheet 0 into d; returns the read's status (-2: open failed). */
static int read_book(const char *zip, size_t len, const xlsx_limits *lim, dump *d, problems *p)
{
    memset(d->out, 0, sizeof d->out);
    d->n = 0;
    d->rows = 0;
    xlsx_book *b = xlsx_open_bytes(zip, len, "t.xlsx", lim, p);
    if (!b) return -2;
    int rc = xlsx_read_sheet(b, 0, dump_row, d, p);
    xlsx_close(b);
    return rc;
}

/* ---- every cell form ------------------------------------------------------ */

static const char sst_all[] = XML_HEAD
    "<sst xmlns=\"" NS_MAIN "\" count=\"6\" uniqueCount=\"6\">"
    "<si><t>problem_id</t></si>"
    /* rich text: runs with properties, a run with xml:space */
    "<si><r><rPr><b/><sz val=\"11\"/></rPr><t>已</t></r><r><t xml:space=\"preserve\">整改 </t></r></si>"
    /* a phonetic run (Japanese furigana) is not part of the text */
    "<si><t>東京</t><rPh sb=\"0\" eb=\"2\"><t>トウキョウ</t></rPh><phoneticPr fontId=\"1\"/></si>"
    /* OOXML escapes: CR, an escaped underscore sequence, a surrogate pair (U+20BB7 𠮷) */
    "<si><t>一_x000D_\n二 _x005F_x0041_ _xD842__xDFB7_ _x0000_</t></si>"
    "<si><t/></si>"
    "<si><t>&lt;&amp;&gt;&quot;</t></si>"
    "</sst>";

static const char styles_all[] = XML_HEAD
    "<styleSheet xmlns=\"" NS_MAIN "\"><numFmts count=\"4\">"
    "<numFmt numFmtId=\"164\" formatCode=\"yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;\"/>"
    "<numFmt numFmtId=\"165\" formatCode=\"h:mm\"/>"
    "<numFmt numFmtId=\"166\" formatCode=\"0.00&quot;天&quot;\"/>"
    "<numFmt numFmtId=\"167\" formatCode=\"[$-804]mm/dd;@\"/>"
    "</numFmts>"
    "<cellStyleXfs count=\"1\"><xf numFmtId=\"14\"/></cellStyleXfs>"
    "<cellXfs count=\"7\"><xf numFmtId=\"0\"/><xf numFmtId=\"14\"/><xf numFmtId=\"164\"/>"
    "<xf numFmtId=\"165\"/><xf numFmtId=\"31\"/><xf numFmtId=\"166\"/><xf numFmtId=\"167\"/></cellXfs>"
    "</styleSheet>";

static const char sheet_all[] = XML_HEAD
    "<worksheet xmlns=\"" NS_MAIN "\"><dimension ref=\"A1:B2\"/><sheetData>"
    "<row r=\"1\"><c r=\"A1\" t=\"s\"><v>0</v></c><c r=\"B1\" t=\"s\"><v>1</v></c><c r=\"C1\" t=\"s\"><v>2</v></c>"
    "<c r=\"D1\" t=\"s\"><v>3</v></c><c r=\"E1\" t=\"s\"><v>4</v></c><c r=\"F1\" t=\"s\"><v>5</v></c></row>"
    /* numbers, a date in each date format, a time, a number format with a letter */
    "<row r=\"2\"><c r=\"A2\"><v>0.30000000000000004</v></c><c r=\"B2\"><v>12345678901</v></c>"
    "<c r=\"C2\" s=\"1\"><v>44819</v></c><c r=\"D2\" s=\"2\"><v>44819.75</v></c><c r=\"E2\" s=\"3\"><v>0.5</v></c>"
    "<c r=\"F2\" s=\"4\"><v>44820</v></c><c r=\"G2\" s=\"5\"><v>3</v></c><c r=\"H2\" s=\"6\"><v>44821</v></c>"
    "<c r=\"I2\" t=\"n\"><v>-0</v></c><c r=\"J2\" s=\"99\"><v>7</v></c></row>"
    /* formulas: string result, error, boolean, no cached value; ISO date; inline rich string */
    "<row r=\"3\"><c r=\"A3\" t=\"str\"><f>A1&amp;\"x\"</f><v>problem_idx</v></c>"
    "<c r=\"B3\" t=\"e\"><f>1/0</f><v>#DIV/0!</v></c><c r=\"C3\" t=\"b\"><v>1</v></c><c r=\"D3\"><f>TODAY()</f></c>"
    "<c r=\"E3\" t=\"d\"><v>2022-09-15T08:30:00</v></c>"
    "<c r=\"F3\" t=\"inlineStr\"><is><r><rPr><i/></rPr><t>整改</t></r><r><t>中</t></r></is></c>"
    "<c r=\"G3\" s=\"1\"/><c r=\"H3\" t=\"s\"><v>4</v></c></row>"
    /* no r on the row or the cells: the row after 3, columns from A */
    "<row><c t=\"inlineStr\"><is><t>甲</t></is></c><c><v>2</v></c><c r=\"E4\"><v>5</v></c><c><v>6</v></c></row>"
    /* beyond the dimension, cells out of order, a column twice (the last one counts) */
    "<row r=\"9\"><c r=\"XFD9\"><v>9</v></c><c r=\"B9\"><v>1</v></c><c r=\"B9\"><v>2</v></c></row>"
    /* dates at the edges of the 1900 system */
    "<row r=\"10\"><c r=\"A10\" s=\"1\"><v>1</v></c><c r=\"B10\" s=\"1\"><v>59</v></c>"
    "<c r=\"C10\" s=\"1\"><v>60</v></c><c r=\"D10\" s=\"1\"><v>61</v></c><c r=\"E10\" s=\"1\"><v>0</v></c></row>"
    "</sheetData><mergeCells count=\"0\"/></worksheet>";

TEST(xlsx_read_every_cell_form)
{
    size_t len;
    char *zip = book_build("问题清单", sheet_all, sst_all, styles_all, NULL, 0, &len);
    CHECK(zip != NULL);
    problems p;
    problems_init(&p);
    dump d;
    CHECK_INT(read_book(zip, len, NULL, &d, &p), 0);
    print_problems(&p);
    CHECK_INT(p.n, 0);
    static const char want[] =
        "A1=text:problem_id\nB1=text:已整改 \nC1=text:東京\nD1=text:一\r\n二 _x0041_ 𠮷 _x0000_\n"
        "F1=text:<&>\"\n"
        "A2=num:0.3\nB2=num:12345678901\nC2=date:2022-09-15\n  ymd=20220915\nD2=date:2022-09-15\n  ymd=20220915\n"
        "E2=num:0.5\nF2=date:2022-09-16\n  ymd=20220916\nG2=num:3\nH2=date:2022-09-17\n  ymd=20220917\n"
        "I2=num:0\nJ2=num:7\n"
        "A3=text(f):problem_idx\nB3=err(f):#DIV/0!\nC3=bool:TRUE\nD3=empty(f):\nE3=date:2022-09-15\n  ymd=20220915\n"
        "F3=text:整改中\n"
        "A4=text:甲\nB4=num:2\nE4=num:5\nF4=num:6\n"
        "B9=num:2\nXFD9=num:9\n"
        "A10=date:1900-01-01\n  ymd=19000101\nB10=date:1900-02-28\n  ymd=19000228\nC10=num:60\n"
        "D10=date:1900-03-01\n  ymd=19000301\nE10=num:0\n";
    CHECK_STR(d.out, want);
    CHECK_INT(d.rows, 6);
    problems_free(&p);
    free(zip);
}

TEST(xlsx_read_prefixed_namespace_and_1904)
{
    /* Some writers put the main namespace on a prefix (x:); the 1904 date system shifts serials. */
    static const char sheet[] = XML_HEAD
        "<x:worksheet xmlns:x=\"" NS_MAIN "\"><x:sheetData><x:row x:r=\"2\" r=\"2\">"
        "<x:c r=\"A2\" s=\"1\"><x:v>43357</x:v></x:c><x:c r=\"B2\" t=\"inlineStr\"><x:is><x:t>乙</x:t></x:is></x:c>"
        "</x:row></x:sheetData></x:worksheet>";
    static const char styles[] = XML_HEAD "<x:styleSheet xmlns:x=\"" NS_MAIN "\"><x:cellXfs count=\"2\">"
                                          "<x:xf numFmtId=\"0\"/><x:xf numFmtId=\"14\"/></x:cellXfs></x:styleSheet>";
    static const char wb[] = XML_HEAD "<x:workbook xmlns:x=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\">"
                                      "<x:workbookPr date1904=\"1\"/><x:sheets>"
                                      "<x:sheet name=\"Sheet1\" sheetId=\"1\" state=\"hidden\" r:id=\"rId1\"/>"
                                      "</x:sheets></x:workbook>";
    zpart extra[] = {{"xl/workbook.xml", wb, 0, 0, NULL}};
    size_t len;
    char *zip = book_build("x", sheet, NULL, styles, extra, 1, &len);
    problems p;
    problems_init(&p);
    xlsx_book *b = xlsx_open_bytes(zip, len, "t.xlsx", NULL, &p);
    CHECK(b != NULL);
    if (b) {
        CHECK_INT(xlsx_date1904(b), 1);
        CHECK_INT(xlsx_sheet_count(b), 1);
        CHECK_STR(xlsx_sheet_at(b, 0)->name, "Sheet1");
        CHECK_INT(xlsx_sheet_at(b, 0)->hidden, 1);
        xlsx_close(b);
    }
    dump d;
    CHECK_INT(read_book(zip, len, NULL, &d, &p), 0);
    /* 43357 days after 1904-01-01 */
    CHECK_STR(d.out, "A2=date:2022-09-15\n  ymd=20220915\nB2=text:乙\n");
    CHECK_INT(p.n, 0);
    problems_free(&p);
    free(zip);
}

TEST(xlsx_read_callback_stops)
{
    size_t len;
    char *zip = book_build("s", sheet_all, sst_all, styles_all, NULL, 0, &len);
    problems p;
    problems_init(&p);
    dump d = {.stop_after = 2};
    CHECK_INT(read_book(zip, len, NULL, &d, &p), 0);
    CHECK_INT(d.rows, 2);
    CHECK_INT(p.n, 0);
    problems_free(&p);
    free(zip);
}

TEST(xlsx_read_sheets_through_relationships)
{
    /* Targets resolved from the workbook's folder: "../", absolute, a chartsheet, a sheet without a part. */
    static const char wb[] = XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
                                      "<sheet name=\"图\" sheetId=\"1\" r:id=\"rId9\"/>"
                                      "<sheet name=\"问题清单\" sheetId=\"2\" r:id=\"rId1\"/>"
                                      "<sheet name=\"问题清单 (2)\" sheetId=\"3\" r:id=\"rId2\"/>"
                                      "<sheet name=\"丢失\" sheetId=\"4\" r:id=\"rId7\"/>"
                                      "</sheets></workbook>";
    static const char rels[] = XML_HEAD
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"./sub/../worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" NS_REL "/worksheet\" Target=\"/xl/worksheets/Sheet2.xml\"/>"
        "<Relationship Id=\"rId9\" Type=\"" NS_REL "/chartsheet\" Target=\"chartsheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId7\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/none.xml\"/>"
        "</Relationships>";
    static const char s2[] = XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                                      "<c r=\"A1\" t=\"inlineStr\"><is><t>二</t></is></c></row></sheetData></worksheet>";
    zpart extra[] = {{"xl/workbook.xml", wb, 0, 0, NULL},
                     {"xl/_rels/workbook.xml.rels", rels, 0, 0, NULL},
                     {"xl/worksheets/sheet2.xml", s2, 0, 0, NULL},
                     {"xl/chartsheets/sheet1.xml", "<chartsheet/>", 0, 0, NULL}};
    size_t len;
    char *zip = book_build("x", sheet_all, sst_all, styles_all, extra, 4, &len);
    problems p;
    problems_init(&p);
    xlsx_book *b = xlsx_open_bytes(zip, len, "t.xlsx", NULL, &p);
    CHECK(b != NULL);
    if (b) {
        CHECK_INT(xlsx_sheet_count(b), 4);
        CHECK_INT(xlsx_sheet_at(b, 0)->kind, XLSX_CHARTSHEET);
        CHECK_STR(xlsx_sheet_at(b, 1)->part, "xl/worksheets/sheet1.xml");
        CHECK_STR(xlsx_sheet_at(b, 2)->name, "问题清单 (2)");
        dump d = {0};
        CHECK_INT(xlsx_read_sheet(b, 0, dump_row, &d, &p), 0);
        CHECK_INT(d.rows, 0);
        CHECK_INT(xlsx_read_sheet(b, 2, dump_row, &d, &p), 0); /* part names are case-insensitive */
        CHECK_STR(d.out, "A1=text:二\n");
        CHECK_INT(xlsx_read_sheet(b, 3, dump_row, &d, &p), -1);
        CHECK(has_problem(&p, "t.xlsx: 文件损坏：工作表“丢失”的内容（xl/worksheets/none.xml）不存在"));
        xlsx_close(b);
    }
    problems_free(&p);
    free(zip);
}

/* ---- libxlsxwriter: shared and inline rich strings, dates ------------------ */

static int write_lxw(const char *path, int constant_memory)
{
    lxw_workbook_options opt = {.constant_memory = (uint8_t)constant_memory, .tmpdir = NULL};
    lxw_workbook *wb = workbook_new_opt(path, &opt);
    if (!wb) return -1;
    lxw_worksheet *ws = workbook_add_worksheet(wb, "问题清单");
    lxw_format *bold = workbook_add_format(wb);
    format_set_bold(bold);
    lxw_format *date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy\"年\"m\"月\"d\"日\"");
    lxw_rich_string_tuple f1 = {.format = NULL, .string = "约谈"};
    lxw_rich_string_tuple f2 = {.format = bold, .string = "提醒"};
    lxw_rich_string_tuple f3 = {.format = NULL, .string = "，补学 "};
    lxw_rich_string_tuple *rich[] = {&f1, &f2, &f3, NULL};
    worksheet_write_string(ws, 0, 0, "problem_id", NULL);
    worksheet_write_rich_string(ws, 0, 1, rich, NULL);
    lxw_datetime dt = {2022, 9, 5, 0, 0, 0};
    worksheet_write_datetime(ws, 1, 0, &dt, date);
    worksheet_write_number(ws, 1, 1, 44809, NULL);
    worksheet_write_formula_num(ws, 1, 2, "=1+1", NULL, 2);
    worksheet_write_boolean(ws, 1, 3, 0, NULL);
    return workbook_close(wb) == LXW_NO_ERROR ? 0 : -1;
}

TEST(xlsx_read_libxlsxwriter_rich_strings)
{
    for (int cm = 0; cm <= 1; cm++) {
        char path[] = "/tmp/zhibu-xlsxr-XXXXXX";
        int fd = mkstemp(path);
        CHECK(fd >= 0);
        close(fd);
        CHECK_INT(write_lxw(path, cm), 0);
        problems p;
        problems_init(&p);
        xlsx_book *b = xlsx_open_file(path, "lxw.xlsx", NULL, &p);
        CHECK(b != NULL);
        dump d = {0};
        if (b) {
            CHECK_INT(xlsx_read_sheet(b, 0, dump_row, &d, &p), 0);
            xlsx_close(b);
        }
        CHECK_STR(d.out, "A1=text:problem_id\nB1=text:约谈提醒，补学 \n"
                         "A2=date:2022-09-05\n  ymd=20220905\nB2=num:44809\nC2=num(f):2\nD2=bool:FALSE\n");
        CHECK_INT(p.n, 0);
        problems_free(&p);
        unlink(path);
    }
}

/* ---- damage and hostility ----------------------------------------------------- */

/* Read zip bytes, expect a failure whose message contains `want`. */
static int fails_with(const char *zip, size_t len, const xlsx_limits *lim, const char *want)
{
    problems p;
    problems_init(&p);
    dump d;
    int rc = read_book(zip, len, lim, &d, &p);
    int ok = rc < 0 && p.nfatal == 1 && has_problem(&p, want);
    if (!ok) {
        fprintf(stderr, "  want “%s”, rc %d:\n", want, rc);
        print_problems(&p);
    }
    problems_free(&p);
    return ok;
}

static const char sheet_min[] = XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">"
                                         "<c r=\"A1\" t=\"s\"><v>0</v></c></row></sheetData></worksheet>";
static const char sst_min[] = XML_HEAD "<sst xmlns=\"" NS_MAIN "\"><si><t>a</t></si></sst>";

TEST(xlsx_read_not_a_workbook)
{
    CHECK(fails_with("", 0, NULL, "t.xlsx: 文件是空的"));
    CHECK(fails_with("problem_id,整改情况\n", 20, NULL, "不是 XLSX 工作簿（不是 ZIP 压缩包）"));
    CHECK(fails_with("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1 rest", 13, NULL, "这是旧版 Excel（XLS）文件或设了密码的工作簿"));
    CHECK(fails_with("<?xml version=\"1.0\"?><Workbook/>", 32, NULL, "这是 XML 文本"));
    size_t len;
    char *zip = book_build("s", sheet_min, sst_min, NULL, NULL, 0, &len);
    /* truncated: the central directory at the end is gone */
    CHECK(fails_with(zip, len / 2, NULL, "ZIP 压缩包损坏：找不到 ZIP 目录：文件不完整（被截断）"));
    CHECK(fails_with(zip, 10, NULL, "ZIP 压缩包损坏"));
    /* one flipped byte in the compressed sheet */
    char *bad = malloc(len);
    memcpy(bad, zip, len);
    char *at = memmem(bad, len, "xl/worksheets/sheet1.xml", 24);
    CHECK(at != NULL);
    if (at) {
        at[24 + 10] ^= 0x55;
        at[24 + 11] ^= 0x55;
        CHECK(fails_with(bad, len, NULL, "文件损坏：工作表“s”的部件 xl/worksheets/sheet1.xml"));
    }
    free(bad);
    free(zip);

    zpart docx[] = {{"[Content_Types].xml", "<Types/>", 0, 0, NULL},
                    {"_rels/.rels",
                     XML_HEAD "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
                              "<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"word/document.xml\"/>"
                              "</Relationships>", 0, 0, NULL},
                    {"word/document.xml", "<w:document/>", 0, 0, NULL}};
    zip = zip_build(docx, 3, &len);
    CHECK(fails_with(zip, len, NULL, "t.xlsx: 这是 Word 文档（DOCX），不是 Excel 工作簿"));
    free(zip);
    zpart ods[] = {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet", 0, 1, NULL},
                   {"content.xml", "<office:document-content/>", 0, 0, NULL}};
    zip = zip_build(ods, 2, &len);
    CHECK(fails_with(zip, len, NULL, "这是 OpenDocument 文件（如 ODS），不是 XLSX"));
    free(zip);
    zpart xlsb[] = {{"xl/workbook.bin", "\x83\x01", 2, 0, NULL}};
    zip = zip_build(xlsb, 1, &len);
    CHECK(fails_with(zip, len, NULL, "这是 Excel 二进制工作簿（XLSB）"));
    free(zip);
    zpart other[] = {{"readme.txt", "hello", 0, 0, NULL}};
    zip = zip_build(other, 1, &len);
    CHECK(fails_with(zip, len, NULL, "不是 XLSX 工作簿：压缩包里没有工作簿部件（xl/workbook.xml）"));
    free(zip);
    static const char wb0[] = XML_HEAD "<workbook xmlns=\"" NS_MAIN "\"><sheets/></workbook>";
    zpart nosheet[] = {{"xl/workbook.xml", wb0, 0, 0, NULL}};
    zip = book_build("s", sheet_min, NULL, NULL, nosheet, 1, &len);
    CHECK(fails_with(zip, len, NULL, "t.xlsx: 工作簿里没有工作表"));
    free(zip);
}

TEST(xlsx_read_bad_xml)
{
    struct {
        const char *sheet, *want;
    } cases[] = {
        {XML_HEAD "<!DOCTYPE w [<!ENTITY a \"aaaa\"><!ENTITY b \"&a;&a;&a;&a;\">]><worksheet>&b;</worksheet>",
         "工作表“s”的部件 xl/worksheets/sheet1.xml：含有 DOCTYPE 声明"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row><c t=\"inlineStr\"><is><t>\xC4\xE3\xBA\xC3</t>"
                  "</is></c></row></sheetData></worksheet>",
         "文件损坏：工作表“s”的部件 xl/worksheets/sheet1.xml 第 2 行：含有非法字符，或有不是 UTF-8 的字节"},
        {"<?xml version=\"1.0\" encoding=\"GBK\"?><worksheet/>", "使用了不支持的字符编码"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\">", "内容不完整（在中途结束）"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"A1\" t=\"s\"><v>7</v></c>"
                  "</row></sheetData></worksheet>",
         "文件损坏：工作表“s”的部件 xl/worksheets/sheet1.xml：单元格 A1 引用了不存在的共享字符串（7）"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"1A\"><v>1</v></c>"
                  "</row></sheetData></worksheet>",
         "第 1 行有无法识别的单元格位置“1A”"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1048577\"/></sheetData></worksheet>",
         "行号“1048577”无法识别"},
        {XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData><row r=\"1\"><c r=\"XFE1\"><v>1</v></c>"
                  "</row></sheetData></worksheet>",
         "无法识别的单元格位置“XFE1”"},
        {"", "内容是空的"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        size_t len;
        char *zip = book_build("s", cases[i].sheet, sst_min, NULL, NULL, 0, &len);
        CHECK(fails_with(zip, len, NULL, cases[i].want));
        free(zip);
    }
    /* an entity declaration in the shared strings, billion-laughs style */
    char sst[4096] = XML_HEAD "<!DOCTYPE sst [<!ENTITY l0 \"ha\">";
    for (int k = 1; k < 10; k++) {
        char e[256];
        snprintf(e, sizeof e, "<!ENTITY l%d \"&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;&l%d;\">", k, k - 1, k - 1,
                 k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1, k - 1);
        strcat(sst, e);
    }
    strcat(sst, "]><sst><si><t>&l9;</t></si></sst>");
    size_t len;
    char *zip = book_build("s", sheet_min, sst, NULL, NULL, 0, &len);
    CHECK(fails_with(zip, len, NULL, "部件 xl/sharedStrings.xml：含有 DOCTYPE 声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取"));
    free(zip);
}

TEST(xlsx_read_caps)
{
    xlsx_limits lim;
    xlsx_limits_default(&lim);
    /* a zip bomb: a sheet of 4 MB of spaces deflates ~1000:1 */
    size_t big = 4u << 20;
    char *sheet = malloc(big + 256);
    int h = snprintf(sheet, 256, XML_HEAD "<worksheet xmlns=\"" NS_MAIN "\"><sheetData>");
    memset(sheet + h, ' ', big);
    strcpy(sheet + h + big, "</sheetData></worksheet>");
    zpart bomb_sheet[] = {{"xl/worksheets/sheet1.xml", sheet, 0, 0, NULL}};
    size_t len;
    char *zip = book_build("s", sheet_min, sst_min, NULL, bomb_sheet, 1, &len);
    xlsx_limits l = lim;
    l.ratio_from = 1u << 20;
    CHECK(fails_with(zip, len, &l, "工作表“s”的部件 xl/worksheets/sheet1.xml 的压缩比超过 250:1，拒绝读取（可能是“压缩炸弹”）"));
    l = lim;
    l.part_max = 1u << 20;
    CHECK(fails_with(zip, len, &l, "解压后有 4 MB，超过上限 1 MB，拒绝读取（可能是“压缩炸弹”）"));
    l = lim;
    l.total_max = 2u << 20;
    CHECK(fails_with(zip, len, &l, "工作簿解压后总计超过上限 2 MB，拒绝读取"));
    /* the sizes in the zip's directory lie (say 100 bytes): the bytes really inflated are counted */
    char *lie = malloc(len);
    memcpy(lie, zip, len);
    int patched = 0;
    for (size_t i = 0; i + 46 < len; i++) {
        if (memcmp(lie + i, "PK\x01\x02", 4) || memcmp(lie + i + 46, "xl/worksheets/sheet1.xml", 24)) continue;
        memcpy(lie + i + 24, "\x64\x00\x00\x00", 4); /* uncompressed size */
        patched = 1;
    }
    CHECK(patched);
    l = lim;
    l.part_max = 1u << 20;
    CHECK(fails_with(lie, len, &l, "解压后超过上限 1 MB，拒绝读取"));
    free(lie);
    free(zip);
    free(sheet);

    /* stored (not deflated) parts count the same */
    zpart stored[] = {{"xl/sharedStrings.xml", sst_min, 0, 1, NULL}};
    zip = book_build("s", sheet_min, NULL, NULL, stored, 1, &len);
    problems p;
    problems_init(&p);
    dump d;
    CHECK_INT(read_book(zip, len, NULL, &d, &p), 0);
    CHECK_STR(d.out, "A1=text:a\n");
    problems_free(&p);
    free(zip);

    /* shared strings: count, total bytes, one string */
    char sst[8192];
    int n = snprintf(sst, sizeof sst, XML_HEAD "<sst xmlns=\"" NS_MAIN "\" uniqueCount=\"001\">");
    for (int i = 0; i < 100; i++) n += snprintf(sst + n, sizeof sst - (size_t)n, "<si><t>%05d</t></si>", i);
    snprintf(sst + n, sizeof sst - (size_t)n, "</sst>");
    zip = book_build("s", sheet_min, sst, NULL, NULL, 0, &len);
    l = lim;
    l.sst_max_count = 50;
    CHECK(fails_with(zip, len, &l, "部件 xl/sharedStrings.xml：共享字符串超过 50 个，拒绝读取"));
    l = lim;
    l.sst_max_bytes = 300;
    CHECK(fails_with(zip, len, &l, "共享字符串总长超过 0 MB，拒绝读取"));
    l = lim;
    l.text_max = 3;
    CHECK(fails_with(zip, len, &l, "有一个字符串超过 0 KB，拒绝读取"));
    /* within the caps: read */
    problems_init(&p);
    CHECK_INT(read_book(zip, len, NULL, &d, &p), 0);
    CHECK_STR(d.out, "A1=text:00000\n");
    problems_free(&p);
    free(zip);
    /* a declared count over the cap is refused at once; an understated one is counted */
    memcpy(strstr(sst, "uniqueCount=\"001\""), "uniqueCount=\"999\"", 17);
    zip = book_build("s", sheet_min, sst, NULL, NULL, 0, &len);
    l = lim;
    l.sst_max_count = 998;
    CHECK(fails_with(zip, len, &l, "部件 xl/sharedStrings.xml：声明了 999 个共享字符串，超过上限 998 个，拒绝读取"));
    free(zip);
    memcpy(strstr(sst, "uniqueCount=\"999\""), "uniqueCount=\"001\"", 17);
    zip = book_build("s", sheet_min, sst, NULL, NULL, 0, &len);
    l.sst_max_count = 99;
    CHECK(fails_with(zip, len, &l, "共享字符串超过 99 个，拒绝读取"));
    free(zip);
}

TEST(xlsx_read_compression_and_encryption)
{
    /* libzip can write bzip2 and AES when built with them; Excel writes neither */
    size_t len;
    if (zip_compression_method_supported(ZIP_CM_BZIP2, 1)) {
        zpart parts[] = {{"xl/worksheets/sheet1.xml", sheet_min, 0, ZIP_CM_BZIP2, NULL}};
        char *zip = book_build("s", sheet_min, sst_min, NULL, parts, 1, &len);
        CHECK(fails_with(zip, len, NULL, "工作表“s”的部件 xl/worksheets/sheet1.xml 使用了不支持的压缩方式（12）"));
        free(zip);
    }
    if (zip_encryption_method_supported(ZIP_EM_AES_256, 1)) {
        zpart parts[] = {{"xl/worksheets/sheet1.xml", sheet_min, 0, 0, "pw"}};
        char *zip = book_build("s", sheet_min, sst_min, NULL, parts, 1, &len);
        CHECK(fails_with(zip, len, NULL, "工作表“s”的部件 xl/worksheets/sheet1.xml 已加密，无法读取"));
        free(zip);
    }
}

TEST(xlsx_read_hostile_sheet_name)
{
    /* a name with a line break, 200 characters long: one line, cut at a character */
    char wb[4096];
    int n = snprintf(wb, sizeof wb, XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
                                            "<sheet name=\"问题&#10;清单");
    for (int i = 0; i < 200; i++) n += snprintf(wb + n, sizeof wb - (size_t)n, "长");
    snprintf(wb + n, sizeof wb - (size_t)n, "\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>");
    zpart extra[] = {{"xl/workbook.xml", wb, 0, 0, NULL}};
    size_t len;
    char *zip = book_build("x", sheet_min, sst_min, NULL, extra, 1, &len);
    problems p;
    problems_init(&p);
    xlsx_book *b = xlsx_open_bytes(zip, len, "t.xlsx", NULL, &p);
    CHECK(b != NULL);
    if (b) {
        const char *nm = xlsx_sheet_at(b, 0)->name;
        CHECK(strncmp(nm, "问题 清单长长", strlen("问题 清单长长")) == 0);
        CHECK(strlen(nm) <= 127 && utf8_valid(nm, strlen(nm)));
        xlsx_close(b);
    }
    problems_free(&p);
    free(zip);
}

TEST(xlsx_col_names)
{
    char b[8];
    CHECK_STR(xlsx_col_name(0, b), "A");
    CHECK_STR(xlsx_col_name(25, b), "Z");
    CHECK_STR(xlsx_col_name(26, b), "AA");
    CHECK_STR(xlsx_col_name(16383, b), "XFD");
}
