/*
 * sheet_name.h — text helpers for the XLSX renderer (render_xlsx.c):
 * worksheet names that Excel and libxlsxwriter accept, UTF-8 repair of any
 * string handed to libxlsxwriter (which does not validate and would write a
 * corrupt file), and the display width of text in column-width units.
 *
 * Exposed separately so that tests/unit/test_xlsx.c can test them directly.
 */
#ifndef ZHIBU_SHEET_NAME_H
#define ZHIBU_SHEET_NAME_H

#include <stddef.h>

/* Excel's limits. */
#define XLSX_SHEET_NAME_UNITS 31      /* UTF-16 code units in a sheet name */
#define XLSX_SHEET_NAME_BUF (31 * 4 + 1)
#define XLSX_STRING_UNITS 32767       /* UTF-16 code units in a cell */

/* --- UTF-8 repair --------------------------------------------------------- */

enum {
    XLSX_CLEAN_CTRL = 1, /* C0 controls and DEL become a space (tab/newline kept):
                            for strings libxlsxwriter writes without escaping
                            (properties, chart titles, headers/footers) */
    XLSX_CLEAN_XESC = 2  /* a literal "_xHHHH_" in the text is protected as
                            "_x005F_xHHHH_" so Excel shows it as typed (for cells) */
};

/**
 * Return s made safe for libxlsxwriter: invalid UTF-8 (bad bytes, overlong
 * forms, surrogates, > U+10FFFF) and the XML non-characters U+FFFE/U+FFFF
 * become U+FFFD; the text is cut after max_units UTF-16 code units (never in
 * the middle of a character).  Returns s itself when nothing had to change,
 * else a string in *buf (grown with realloc; the caller frees it).  NULL s
 * gives "".  Returns NULL only when memory runs out.
 */
const char *xlsx_utf8_clean(const char *s, size_t max_units, int flags, char **buf, size_t *cap);

/**
 * Display width of s in spreadsheet column units: East-Asian wide and
 * full-width characters count 2, others 1; for text with newlines, the
 * widest line.  s should be valid UTF-8 (bad bytes count 1 each).
 */
int xlsx_text_width(const char *s);

/**
 * Width of the widest part of s that a spreadsheet cannot wrap inside (a
 * number, a date, a Latin word): lines break at spaces and newlines and
 * around every East-Asian wide character.
 */
int xlsx_text_run_width(const char *s);

/**
 * Both at once, in one pass over s: *width = xlsx_text_width(s), *run =
 * xlsx_text_run_width(s).  Neither is ever more than strlen(s) (no character
 * is wider than its UTF-8 bytes), which lets a caller skip a short text.
 */
void xlsx_text_measure(const char *s, int *width, int *run);

/**
 * Lines s takes when wrapped in a column `avail` units wide (each line of s
 * split at newlines, at least 1 per line): an estimate for row heights.
 */
int xlsx_text_lines(const char *s, double avail);

/* --- worksheet names ------------------------------------------------------ */

/**
 * Clean raw into a valid sheet name in out (XLSX_SHEET_NAME_BUF bytes):
 * UTF-8 repaired; []:*?/\ become '_'; control characters a space; leading and
 * trailing white space and apostrophes removed; cut to 31 UTF-16 units;
 * empty gives "工作表"; Excel's reserved "History" gets a '_' appended.
 */
void xlsx_sheet_name_clean(const char *raw, char *out);

/** The names used so far in one workbook (compared ignoring ASCII case, as Excel does). */
typedef struct {
    char **names;
    size_t n, cap;
} xlsx_sheet_names;

/**
 * Clean raw (as xlsx_sheet_name_clean) and make it unique in set by
 * appending "~2", "~3", … (shortening the name to keep 31 units); the result
 * is written to out (XLSX_SHEET_NAME_BUF bytes) and added to set.
 * Returns 0, or -1 when memory runs out.
 */
int xlsx_sheet_name_unique(xlsx_sheet_names *set, const char *raw, char *out);

/**
 * The name of the k-th sheet (k >= 2) a long table continues on: base
 * shortened so that " (k)" fits, then made unique in set like
 * xlsx_sheet_name_unique.  Returns 0 or -1 (out of memory).
 */
int xlsx_sheet_name_part(xlsx_sheet_names *set, const char *base, int k, char *out);

void xlsx_sheet_names_free(xlsx_sheet_names *set);

#endif
