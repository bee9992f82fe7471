/*
 * zip_build.h — hand-made XLSX packages in memory for the reader's tests:
 * a zip built with libzip from (name, bytes) parts, and the parts of a
 * minimal one-sheet workbook to start from.
 */
#ifndef ZHIBU_ZIP_BUILD_H
#define ZHIBU_ZIP_BUILD_H
#include <stddef.h>

typedef struct {
    const char *name;
    const char *data;
    size_t len;        /* 0 = strlen(data) */
    int method;        /* 0 = deflated, 1 = stored, else a libzip ZIP_CM_ method (e.g. 12 = bzip2) */
    const char *aes;   /* a password: AES-256 encrypted; NULL = not encrypted */
} zpart;

/** The zip of parts[0..n) (malloc'ed, *len bytes); NULL on failure. */
char *zip_build(const zpart *parts, int n, size_t *len);

/**
 * A workbook with one sheet named `sheet_name` whose part is `sheet_xml`,
 * plus the shared strings and styles when not NULL.  `extra` more parts
 * (may be NULL/0).  Returns the zip (malloc'ed).
 */
char *book_build(const char *sheet_name, const char *sheet_xml, const char *sst_xml, const char *styles_xml,
                 const zpart *extra, int nextra, size_t *len);

/** The usual XML header and the spreadsheetml namespace, to paste into parts. */
#define XML_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
#define NS_MAIN "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
#define NS_REL "http://schemas.openxmlformats.org/officeDocument/2006/relationships"

#endif
