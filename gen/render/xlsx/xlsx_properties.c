/*
 * xlsx_properties.c — the workbook's document properties (title, subject,
 * author, a fixed creation time, and the audit trail's keywords and custom
 * properties) and the page header and footer of every sheet.
 */
#include "render/xlsx/render_xlsx_internal.h"
#include "base/dates.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Unix time of YYYY-MM-DD at 00:00 UTC (0 when the text is not a date). */
static time_t date_time(const char *ymd)
{
    int y, m, d;
    char extra;
    if (!ymd || sscanf(ymd, "%4d-%2d-%2d%c", &y, &m, &d, &extra) != 3 || !date_valid(y, m, d)) return 0;
    long serial = date_serial(y * 10000 + m * 100 + d);
    return (time_t)(serial - 25569L) * 86400; /* 25569 = serial of 1970-01-01 */
}

/* Free text for a page header/footer: '&' (a code there) becomes '＆'. */
static char *hf_text(xw *x, const char *s)
{
    const char *c = xw_txt(x, s ? s : "", XLSX_CLEAN_CTRL, 100);
    if (!c) return NULL;
    size_t n = 0;
    for (const char *p = c; *p; p++) n += *p == '&' ? 3 : 1;
    char *o = malloc(n + 1), *q = o;
    if (!o) { xw_fail(x, "xlsx: out of memory"); return NULL; }
    for (const char *p = c; *p; p++) {
        if (*p == '&') { memcpy(q, "\xEF\xBC\x86", 3); q += 3; }
        else *q++ = (*p == '\n' || *p == '\t') ? ' ' : *p;
    }
    *q = '\0';
    return o;
}

int xw_set_page_texts(xw *x, const rdoc *doc)
{
    char *title = hf_text(x, doc->title);
    char *foot = title ? hf_text(x, doc->footer) : NULL;
    int rc = -1;
    if (!foot) goto out;
    const char *pages = "&C&A — 第 &P 页，共 &N 页";
    x->page_header = malloc(strlen(title) + 8);
    x->page_footer = malloc(strlen(foot) + strlen(pages) + 8);
    if (!x->page_header || !x->page_footer) { xw_fail(x, "xlsx: out of memory"); goto out; }
    sprintf(x->page_header, "%s%s", *title ? "&L" : "", title);
    sprintf(x->page_footer, "%s%s%s", *foot ? "&L" : "", foot, pages);
    rc = 0;
out:
    free(title);
    free(foot);
    return rc;
}

int xw_set_properties(xw *x, const rdoc *doc)
{
    lxw_doc_properties p;
    memset(&p, 0, sizeof p);
    int rc = -1;
    p.title = doc->title ? xw_txt_dup(x, doc->title, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.subject = doc->subject ? xw_txt_dup(x, doc->subject, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.author = doc->author ? xw_txt_dup(x, doc->author, XLSX_CLEAN_CTRL, 1000) : NULL;
    p.company = doc->author ? xw_txt_dup(x, doc->author, XLSX_CLEAN_CTRL, 1000) : NULL;
    /* the audit trail (doc/audit.md): Keywords for people, custom properties for zhibu verify */
    if (doc->audit.fingerprint) {
        char kw[128];
        snprintf(kw, sizeof kw, "数据指纹 %s", doc->audit.fingerprint);
        p.keywords = xw_txt_dup(x, kw, XLSX_CLEAN_CTRL, 1000);
    }
    if (x->failed) goto out;
    /* A fixed creation time (0 would mean "now"): the document's date, else 2000-01-01. */
    p.created = date_time(doc->date);
    if (!p.created) p.created = (time_t)946684800;
    rc = xw_chk(x, workbook_set_properties(x->wb, &p), "", "document properties");
    const char *const keys[] = {RAUDIT_KEY_FINGERPRINT, RAUDIT_KEY_VERSION, RAUDIT_KEY_RUN, RAUDIT_KEY_OPTIONS,
                                RAUDIT_KEY_DOCUMENT};
    const char *const vals[] = {doc->audit.fingerprint, doc->audit.version, doc->audit.run, doc->audit.options,
                                doc->audit.document};
    for (int i = 0; rc == 0 && doc->audit.fingerprint && i < 5; i++) {
        if (!vals[i]) continue;
        char *v = xw_txt_dup(x, vals[i], XLSX_CLEAN_CTRL, 1000);
        rc = v ? xw_chk(x, workbook_set_custom_property_string(x->wb, keys[i], v), "", "custom properties") : -1;
        free(v);
    }
out:
    free(p.keywords);
    free(p.title);
    free(p.subject);
    free(p.author);
    free(p.company);
    return rc;
}
