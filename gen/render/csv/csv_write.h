/*
 * csv_write.h — CSV fields and rows (UTF-8 with BOM, RFC 4180 quoting and
 * CRLF line ends): the one place a CSV field is written (csv_render.c
 * writes tables through it).
 */
#ifndef ZHIBU_CSV_WRITE_H
#define ZHIBU_CSV_WRITE_H
#include <stdio.h>

/** Write a UTF-8 BOM. */
void csv_write_bom(FILE *f);
/** Write one row of n fields, quoting where RFC 4180 needs it; a field that
 *  starts with = + - @, a tab or a CR gets a leading ' (SPEC item 22). */
void csv_write_row(FILE *f, const char *const *fields, int n);

#endif
