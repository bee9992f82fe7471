/*
 * template.h — report templates: INI files under templates/ that a secretary
 * can edit without recompiling (titles, headings, which sections and columns
 * appear, column titles, wording, the signature block).  See
 * templates/README.md for the format.
 *
 * Text values may hold placeholders {name}; the builders supply the values
 * (tvars).  An unknown placeholder is left as written, so a typo shows on
 * the page instead of vanishing.
 */
#ifndef ZHIBU_TEMPLATE_H
#define ZHIBU_TEMPLATE_H
#include "input/ini_file.h"
#include "model/report.h"

typedef struct {
    ini_file ini;
} template;

/** Load dir/name; on failure -1 with a message in err. */
int template_load(template *t, const char *dir, const char *name, char *err, size_t errlen);
void template_free(template *t);
/** The value of [section] key, or def. */
const char *tmpl_get(const template *t, const char *section, const char *key, const char *def);
/** 1 when [section] key is present. */
int tmpl_has(const template *t, const char *section, const char *key);

enum { TVARS_MAX = 48 };
typedef struct {
    int n;
    const char *name[TVARS_MAX];
    char value[TVARS_MAX][256];
} tvars;

/** Set {name} to a printf-formatted value (replaces an earlier value). */
void tvars_set(tvars *v, const char *name, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
/** Expand {name} placeholders of text into the document's arena. */
const char *tmpl_expand(rdoc *d, const char *text, const tvars *v);
/** Expand {name} placeholders of text into buf (cut at n - 1 bytes); returns buf. */
const char *tmpl_expand_buf(const char *text, const tvars *v, char *buf, size_t n);
/** tmpl_get then tmpl_expand; NULL when absent and def is NULL. */
const char *tmpl_text(rdoc *d, const template *t, const char *section, const char *key, const char *def,
                      const tvars *v);

/**
 * Call fn for each item of a list value ([section] key, or def when
 * absent), split on , ， ; ； 、.
 */
void tmpl_list(const template *t, const char *section, const char *key, const char *def,
               void (*fn)(const char *item, void *ctx), void *ctx);

#endif
