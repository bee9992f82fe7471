/* csv_write.c — see csv_write.h. */
#include "render/csv/csv_write.h"
#include <string.h>

void csv_write_bom(FILE *f) { fputs("\xEF\xBB\xBF", f); }

static void field(FILE *f, const char *s)
{
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(s, f);
        return;
    }
    putc('"', f);
    for (; *s; s++) {
        if (*s == '"') putc('"', f);
        putc(*s, f);
    }
    putc('"', f);
}

void csv_write_row(FILE *f, const char *const *fields, int n)
{
    for (int i = 0; i < n; i++) {
        if (i) putc(',', f);
        field(f, fields[i] ? fields[i] : "");
    }
    fputs("\r\n", f); /* RFC 4180 line ends */
}
