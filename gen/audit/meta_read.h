/*
 * meta_read.h — reading back what a run stored in its files' metadata
 * (doc/audit.md): the Info strings of a PDF and the custom document
 * properties of an XLSX workbook, for `zhibu verify`.
 *
 * The PDF side reads the Info dictionary as zhibu writes it (libharu keeps
 * dictionaries uncompressed; qpdf's ordinary rewrites keep them so too):
 * the last definition of a key in the file wins, as with an incremental
 * update.  The XLSX side opens docProps/custom.xml with libzip and parses
 * it with expat.
 */
#ifndef ZHIBU_META_READ_H
#define ZHIBU_META_READ_H
#include <stddef.h>

typedef enum { DOCFILE_OTHER, DOCFILE_PDF, DOCFILE_XLSX, DOCFILE_MANIFEST } docfile_kind;

/** The kind of the file at path, from its first bytes.  0 ok; -1 with err. */
int docfile_kind_of(const char *path, docfile_kind *k, char *err, size_t errlen);

/** Read a whole (small) file; malloc'ed, NUL-terminated; NULL with err. */
char *file_slurp(const char *path, size_t max, size_t *len, char *err, size_t errlen);

/**
 * The value of the Info string /key in the PDF bytes buf[0..n) as UTF-8
 * (literal or hex string; UTF-16BE with a byte order mark is converted),
 * malloc'ed; NULL when the file has none.
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
