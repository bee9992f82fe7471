/*
 * encoding.h — per-file encoding detection and conversion to UTF-8.
 * Excel and WPS on Chinese Windows save GBK/GB18030; everything else is
 * UTF-8, with or without a BOM.  Line breaks map one to one, so line numbers
 * of the converted text are the file's.
 */
#ifndef ZHIBU_ENCODING_H
#define ZHIBU_ENCODING_H
#include <stddef.h>

typedef enum { ENC_UTF8, ENC_UTF8_BOM, ENC_GB18030 } text_encoding;

/** Human name of an encoding ("UTF-8", "UTF-8（带 BOM）", "GB18030/GBK"). */
const char *encoding_name(text_encoding e);

/**
 * Decode `data` (n bytes) to NUL-terminated UTF-8 (malloc'ed, BOM removed).
 * On failure returns NULL and sets *bad_line (1-based) and a reason
 * (static string) — undecodable bytes, or UTF-8 mixed with GBK.
 */
char *encoding_decode(const char *data, size_t n, text_encoding *enc, size_t *outlen,
                      int *bad_line, const char **reason);

#endif
