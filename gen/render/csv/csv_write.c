/* csv_write.c — see csv_write.h. */
#include "render/csv/csv_write.h"
#include <string.h>

void csv_write_bom(FILE *f) { fputs("\xEF\xBB\xBF", f); }

/* A field a spreadsheet would take for a formula (SPEC item 22, OWASP's
   rule): it starts with = + - @, a tab or a carriage return.  It is written
   with a leading ' so that Excel, WPS and LibreOffice show it as text and
   run nothing.  No CSV output has a negative number (scores are 0–100,
   money is not written), so this never changes a figure. */
static int formula_like(const char *s)
{
    return s[0] && strchr("=+-@\t\r", s[0]) != NULL;
}

static void field(FILE *f, const char *s)
{
    const char *guard = formula_like(s) ? "'" : "";
    if (!strpbrk(s, ",\"\r\n")) {
        fputs(guard, f);
        fputs(s, f);
        return;
    }
    putc('"', f);
    fputs(guard, f);
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
