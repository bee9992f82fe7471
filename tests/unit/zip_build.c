/* zip_build.c — see zip_build.h. */
#include "zip_build.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zip.h>

char *zip_build(const zpart *parts, int n, size_t *len)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) return NULL;
    zip_source_keep(src);
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        zip_source_free(src);
        return NULL;
    }
    for (int i = 0; i < n; i++) {
        size_t l = parts[i].len ? parts[i].len : strlen(parts[i].data);
        zip_source_t *fs = zip_source_buffer(za, parts[i].data, l, 0);
        zip_int64_t idx = fs ? zip_file_add(za, parts[i].name, fs, ZIP_FL_OVERWRITE | ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            zip_source_free(fs);
            continue;
        }
        int m = parts[i].method == 0 ? ZIP_CM_DEFLATE : parts[i].method == 1 ? ZIP_CM_STORE : parts[i].method;
        zip_set_file_compression(za, (zip_uint64_t)idx, m, 0);
        if (parts[i].aes) zip_file_set_encryption(za, (zip_uint64_t)idx, ZIP_EM_AES_256, parts[i].aes);
    }
    char *buf = NULL;
    if (zip_close(za) == 0 && zip_source_open(src) == 0) {
        zip_source_seek(src, 0, SEEK_END);
        zip_int64_t size = zip_source_tell(src);
        zip_source_seek(src, 0, SEEK_SET);
        buf = malloc(size > 0 ? (size_t)size : 1);
        if (buf && zip_source_read(src, buf, (zip_uint64_t)size) == size) *len = (size_t)size;
        else { free(buf); buf = NULL; }
        zip_source_close(src);
    } else {
        zip_discard(za);
    }
    zip_source_free(src);
    zip_error_fini(&ze);
    return buf;
}

char *book_build(const char *sheet_name, const char *sheet_xml, const char *sst_xml, const char *styles_xml,
                 const zpart *extra, int nextra, size_t *len)
{
    static const char types[] = XML_HEAD
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/></Types>";
    static const char root_rels[] = XML_HEAD
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/officeDocument\" Target=\"xl/workbook.xml\"/>"
        "</Relationships>";
    static const char wb_rels[] = XML_HEAD
        "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
        "<Relationship Id=\"rId1\" Type=\"" NS_REL "/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"" NS_REL "/sharedStrings\" Target=\"sharedStrings.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"" NS_REL "/styles\" Target=\"styles.xml\"/>"
        "</Relationships>";
    char wb[1024];
    snprintf(wb, sizeof wb,
             XML_HEAD "<workbook xmlns=\"" NS_MAIN "\" xmlns:r=\"" NS_REL "\"><sheets>"
                      "<sheet name=\"%s\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>",
             sheet_name);
    zpart p[32];
    int n = 0;
    p[n++] = (zpart){"[Content_Types].xml", types, 0, 0, NULL};
    p[n++] = (zpart){"_rels/.rels", root_rels, 0, 0, NULL};
    p[n++] = (zpart){"xl/workbook.xml", wb, 0, 0, NULL};
    p[n++] = (zpart){"xl/_rels/workbook.xml.rels", wb_rels, 0, 0, NULL};
    p[n++] = (zpart){"xl/worksheets/sheet1.xml", sheet_xml, 0, 0, NULL};
    if (sst_xml) p[n++] = (zpart){"xl/sharedStrings.xml", sst_xml, 0, 0, NULL};
    if (styles_xml) p[n++] = (zpart){"xl/styles.xml", styles_xml, 0, 0, NULL};
    for (int i = 0; i < nextra && n < 32; i++) p[n++] = extra[i];
    return zip_build(p, n, len);
}
