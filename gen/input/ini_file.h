/*
 * ini_file.h — loading an INI file (rules, templates) through iniparser,
 * around its traps (STACK-NOTES): a UTF-8 BOM or GBK text is converted first,
 * lines iniparser cannot take are refused with their line number, and its
 * syntax errors are captured instead of going to stderr.
 */
#ifndef ZHIBU_INI_FILE_H
#define ZHIBU_INI_FILE_H
#include <iniparser.h>
#include <stddef.h>

typedef struct {
    dictionary *dict;
    char *text;        /* the decoded text, for finding lines in messages */
    const char *name;  /* file name shown in messages (points into path) */
} ini_file;

/** Load path; on failure returns -1 with `file:line: message` in err. */
int ini_file_load(ini_file *f, const char *path, char *err, size_t errlen);
void ini_file_free(ini_file *f);
/** Write an INI file's error into err as `file:line: message` (`file: message`
 *  when line is 0): the one form of every message about an INI file. */
void ini_file_say(char *err, size_t n, const char *file, int line, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
/** A key given twice in one section (sections may be split in two). */
typedef struct {
    char section[128], key[128]; /* as iniparser names them: trimmed, lower-cased */
    int first_line, line;
} ini_duplicate;

/** 1 when some key is given twice (iniparser would keep only the last); fills d with the first such key. */
int ini_file_duplicate(const ini_file *f, ini_duplicate *d);
/** The line of [section] (key NULL) or of key inside it; 0 if not found. */
int ini_file_line(const ini_file *f, const char *section, const char *key);

#endif
