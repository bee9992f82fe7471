/*
 * meta_read.h — reading back what a run stored in its files' metadata
 * (doc/audit.md): the Info strings of a PDF and the custom document
 * properties of an XLSX workbook, for `zhibu verify`.
 *
 * The PDF side reads the Info dictionary with qpdf's C interface (libqpdf),
 * so a file rewritten with object streams or updated incrementally is read
 * as any PDF reader would.  The XLSX side opens docProps/custom.xml with
 * libzip and parses it with expat.
 */
#ifndef ZHIBU_META_READ_H
#define ZHIBU_META_READ_H
#include <stddef.h>

typedef enum { DOCFILE_OTHER, DOCFILE_PDF, DOCFILE_XLSX, DOCFILE_MANIFEST } docfile_kind;

/** The kind of the file at path, from its first bytes.  0 ok; -1 with err. */
int docfile_kind_of(const char *path, docfile_kind *k, char *err, size_t errlen);

/** Read a whole (small) file; malloc'ed, NUL-terminated; NULL with err (`path: 无法读取：why`,
 *  or `path: 文件太大` when it reaches max bytes). */
char *file_slurp(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/**
 * The value of zhibu's Info key /key (ZhibuFingerprint …: ASCII, UTF-8
 * bytes outside printable ASCII and '%' written as %XX by pdf_mark.c) in
 * the PDF bytes buf[0..n), decoded to UTF-8; malloc'ed.  NULL when the
 * file is no PDF qpdf can read, or has no such key.
 */
char *pdf_info_get(const char *buf, size_t n, const char *key);

/**
 * The custom document properties names[0..n) of the workbook at path:
 * values[i] malloc'ed, or NULL when absent.  0 ok; -1 with err when the
 * file is not a readable workbook.
 */
int xlsx_custom_get(const char *path, const char *const *names, char **values, int n, char *err,
                    size_t errlen);

#endif
