/*
 * xlsx_sheet.c — a worksheet's cells, streamed: one callback per row with
 * that row's non-empty cells sorted by column, each typed (shared or inline
 * string, number, boolean, error, date by its style or as ISO text, the
 * cached value of a formula).
 */
#include "input/xlsx_read_internal.h"
#include "base/dates.h"
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* "AB12" → col 27, row 12; row 0 when the reference has no digits.  -1 when malformed. */
static int cell_ref(const char *s, int *col, int *row)
{
    int c = 0, n = 0;
    while (isalpha((unsigned char)*s) && n < 4) {
        c = c * 26 + (toupper((unsigned char)*s) - 'A' + 1);
        s++;
        n++;
    }
    if (n == 0 || n > 3 || c > MAX_COL) return -1;
    long r = 0;
    int nd = 0;
    while (isdigit((unsigned char)*s) && nd < 8) r = r * 10 + (*s++ - '0'), nd++;
    if (*s || r > MAX_ROW || (nd && r < 1)) return -1;
    *col = c - 1;
    *row = (int)r;
    return 0;
}

/* A row number attribute: 1..MAX_ROW, else -1. */
static int parse_row(const char *s)
{
    char *end;
    errno = 0;
    long r = strtol(s, &end, 10);
    if (end == s || *end || errno || r < 1 || r > MAX_ROW) return -1;
    return (int)r;
}

enum { CT_N, CT_S, CT_STR, CT_INLINE, CT_B, CT_E, CT_D };

typedef struct {
    xlsx_cell c;
    size_t off;     /* text in the row buffer, or (size_t)-1 when c.text is set */
    size_t seq;     /* document order within the row */
} pcell;

typedef struct {
    xml_base x;
    xlsx_row_fn fn;
    void *ctx;
    int in_data;          /* inside sheetData */
    int row, last_row;    /* current row (0 = none yet) and the one before */
    int row_given;        /* the row element had r */
    int next_col;
    /* the cell being read */
    int in_c, in_v, in_is, in_t, in_rph;
    int col, ctype, style, has_f, has_v, has_is;
    tbuf v;               /* <v> text, or <is> text */
    /* the row being assembled */
    pcell *cells;
    size_t ncells, cap_cells, seq;
    tbuf rowtext;
    xlsx_cell *out;
    size_t cap_out;
    char msg[256];
} sheet_state;

/* At most 20 bytes of a value for a message, never cut inside a character. */
static const char *clip20(const char *v, char *buf, size_t n)
{
    snprintf(buf, n < 21 ? n : 21, "%s", v);
    xr_utf8_cut(buf);
    return buf;
}

static void sheet_fail(sheet_state *s, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void sheet_fail(sheet_state *s, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s->msg, sizeof s->msg, fmt, ap);
    va_end(ap);
    xr_xml_stop(&s->x, 1, s->msg);
}

static int by_col(const void *a, const void *b)
{
    const pcell *x = a, *y = b;
    if (x->c.col != y->c.col) return x->c.col < y->c.col ? -1 : 1;
    /* the same column twice: document order, so the last one is kept */
    return (x->seq > y->seq) - (x->seq < y->seq);
}

/* Sort by column and drop all but the last cell of a column. */
static void cells_compact(sheet_state *s)
{
    if (s->ncells < 2) return;
    int sorted = 1;
    for (size_t i = 1; i < s->ncells && sorted; i++) sorted = s->cells[i - 1].c.col < s->cells[i].c.col;
    if (sorted) return;
    qsort(s->cells, s->ncells, sizeof *s->cells, by_col);
    size_t o = 0;
    for (size_t i = 0; i < s->ncells; i++) {
        if (i + 1 < s->ncells && s->cells[i + 1].c.col == s->cells[i].c.col) continue;
        s->cells[o++] = s->cells[i];
    }
    s->ncells = o;
}

static void row_flush(sheet_state *s)
{
    if (!s->row || s->x.err || s->x.stopped) return;
    cells_compact(s);
    if (s->ncells && s->fn) {
        if (s->ncells > s->cap_out) {
            s->cap_out = s->ncells;
            s->out = xrealloc(s->out, sizeof *s->out * s->cap_out);
        }
        for (size_t i = 0; i < s->ncells; i++) {
            s->out[i] = s->cells[i].c;
            if (s->cells[i].off != (size_t)-1) s->out[i].text = s->rowtext.s + s->cells[i].off;
        }
        if (s->fn(s->row, s->out, (int)s->ncells, s->ctx)) {
            s->x.stopped = 1;
            XML_StopParser(s->x.p, XML_FALSE);
        }
    }
    s->ncells = 0;
    s->rowtext.n = 0;
    s->last_row = s->row;
    s->row = 0;
}

/* Keep `t` (n bytes) as the text of cell c in the row buffer. */
static int cell_keep_text(sheet_state *s, pcell *pc, const char *t, size_t n)
{
    /* a row's texts are bounded by a sheet part anyway; this keeps one row sane */
    size_t off = s->rowtext.n;
    if (xr_tbuf_add(&s->rowtext, t, n, s->x.b->lim.part_max) || xr_tbuf_add(&s->rowtext, "", 1, s->x.b->lim.part_max)) {
        sheet_fail(s, "第 %d 行的内容过长", s->row);
        return -1;
    }
    pc->off = off;
    return 0;
}

/* Days since the epoch → YYYYMMDD, for a date cell; 0 when out of range. */
static int serial_ymd(double v, int date1904)
{
    if (!isfinite(v) || v < 0 || v >= 2958466) return 0;
    long d = (long)floor(v);
    if (date1904) return date_add_days(19040101, (int)d);
    if (d < 1 || d == 60) return 0;        /* 1900-01-00 and Lotus' 1900-02-29 */
    if (d < 60) return date_add_days(18991231, (int)d);
    return date_add_days(18991230, (int)d);
}

static void cell_end(sheet_state *s)
{
    xlsx_book *b = s->x.b;
    pcell pc = {.off = (size_t)-1};
    pc.c.col = s->col;
    pc.c.formula = s->has_f;
    pc.c.text = "";
    char *v = s->v.s ? s->v.s : (char *)"";
    size_t vn = s->v.n;
    if (s->has_is) {
        vn = vn ? xr_x_unescape(v, vn) : 0;
        if (!vn && !s->has_f) return;
        pc.c.type = vn ? XLSX_TEXT : XLSX_EMPTY;
        if (vn && cell_keep_text(s, &pc, v, vn)) return;
    } else if (!s->has_v || vn == 0) {
        if (!s->has_f) return;
        pc.c.type = XLSX_EMPTY;
    } else if (s->ctype == CT_S) {
        char *end;
        errno = 0;
        unsigned long long k = strtoull(v, &end, 10);
        if (end == v || *end || errno || v[0] == '-' || k >= b->sst_n) {
            char ref[8], clip[24];
            sheet_fail(s, "单元格 %s%d 引用了不存在的共享字符串（%s）", xlsx_col_name(s->col, ref), s->row,
                       clip20(v, clip, sizeof clip));
            return;
        }
        pc.c.type = XLSX_TEXT;
        pc.c.text = b->sst_buf + b->sst_off[k];
        if (!pc.c.text[0] && !s->has_f) return;
    } else if (s->ctype == CT_STR || s->ctype == CT_INLINE) {
        vn = xr_x_unescape(v, vn);
        pc.c.type = XLSX_TEXT;
        if (cell_keep_text(s, &pc, v, vn)) return;
    } else if (s->ctype == CT_B) {
        pc.c.type = XLSX_BOOL;
        pc.c.num = !strcmp(v, "1") || !strcmp(v, "true");
        pc.c.text = pc.c.num ? "TRUE" : "FALSE";
    } else if (s->ctype == CT_E) {
        pc.c.type = XLSX_ERROR;
        if (cell_keep_text(s, &pc, v, vn)) return;
    } else if (s->ctype == CT_D) {
        /* an ISO 8601 date (strict OOXML): the time, if any, is ignored */
        int y, m, d;
        char tail;
        int k = sscanf(v, "%4d-%2d-%2d%c", &y, &m, &d, &tail);
        if ((k == 3 || (k == 4 && tail == 'T')) && date_valid(y, m, d)) {
            pc.c.type = XLSX_DATE;
            pc.c.ymd = y * 10000 + m * 100 + d;
            pc.c.num = (double)date_serial(pc.c.ymd) - (b->date1904 ? 1462 : 0);
            char iso[16];
            snprintf(iso, sizeof iso, "%04d-%02d-%02d", y, m, d);
            if (cell_keep_text(s, &pc, iso, strlen(iso))) return;
        } else {
            pc.c.type = XLSX_TEXT;
            if (cell_keep_text(s, &pc, v, vn)) return;
        }
    } else {
        char *end;
        double num = strtod(v, &end);
        while (*end == ' ') end++;
        if (end == v || *end || !isfinite(num)) {
            /* not a number where one should be: keep what is written */
            pc.c.type = XLSX_TEXT;
            if (cell_keep_text(s, &pc, v, vn)) return;
        } else {
            int ymd = s->style >= 0 && (size_t)s->style < b->nxf && b->xf_date[s->style]
                          ? serial_ymd(num, b->date1904) : 0;
            char t[40];
            pc.c.num = num;
            if (ymd) {
                pc.c.type = XLSX_DATE;
                pc.c.ymd = ymd;
                snprintf(t, sizeof t, "%04d-%02d-%02d", ymd / 10000, ymd / 100 % 100, ymd % 100);
            } else {
                pc.c.type = XLSX_NUMBER;
                /* 15 significant digits, as Excel shows a General number */
                snprintf(t, sizeof t, "%.15G", num);
                if (!strcmp(t, "-0")) strcpy(t, "0");
            }
            if (cell_keep_text(s, &pc, t, strlen(t))) return;
        }
    }
    if (s->ncells >= 2 * MAX_COL) cells_compact(s);
    GROW(s->cells, s->cap_cells, s->ncells);
    pc.seq = s->seq++;
    s->cells[s->ncells++] = pc;
}

static int cell_type(const char *t)
{
    if (!t || !strcmp(t, "n")) return CT_N;
    if (!strcmp(t, "s")) return CT_S;
    if (!strcmp(t, "str")) return CT_STR;
    if (!strcmp(t, "inlineStr")) return CT_INLINE;
    if (!strcmp(t, "b")) return CT_B;
    if (!strcmp(t, "e")) return CT_E;
    if (!strcmp(t, "d")) return CT_D;
    return CT_STR; /* unknown: keep the value as text */
}

static void sheet_start(void *ud, const XML_Char *name, const XML_Char **atts)
{
    sheet_state *s = ud;
    const char *ln = xr_local(name);
    char clip[24];
    if (!s->in_data) {
        if (!strcmp(ln, "sheetData")) s->in_data = 1;
        return;
    }
    if (!strcmp(ln, "row")) {
        row_flush(s);
        const char *r = xr_attr(atts, "r", 0);
        s->row_given = r != NULL;
        s->row = r ? parse_row(r) : s->last_row + 1;
        if (s->row < 0 || s->row > MAX_ROW) {
            s->row = 0;
            if (r) sheet_fail(s, "行号“%s”无法识别", clip20(r, clip, sizeof clip));
            else sheet_fail(s, "行数超过 Excel 的上限 %d", MAX_ROW);
            return;
        }
        s->next_col = 0;
    } else if (!strcmp(ln, "c")) {
        if (!s->row) { /* a cell outside a row: start one */
            s->row = s->last_row + 1;
            s->next_col = 0;
        }
        const char *r = xr_attr(atts, "r", 0);
        int col = s->next_col, row = 0;
        if (r && cell_ref(r, &col, &row)) {
            sheet_fail(s, "第 %d 行有无法识别的单元格位置“%s”", s->row, clip20(r, clip, sizeof clip));
            return;
        }
        /* a writer that numbers cells but not rows */
        if (r && row && !s->row_given && s->ncells == 0) s->row = row;
        if (col >= MAX_COL) {
            sheet_fail(s, "第 %d 行的单元格超出 Excel 的列范围（XFD）", s->row);
            return;
        }
        s->col = col;
        s->next_col = col + 1;
        s->ctype = cell_type(xr_attr(atts, "t", 0));
        s->style = xr_int_attr(atts, "s", 0);
        s->in_c = 1;
        s->has_f = s->has_v = s->has_is = 0;
        s->v.n = 0;
        if (s->v.s) s->v.s[0] = 0;
    } else if (s->in_c) {
        if (!strcmp(ln, "v") && !s->has_is) {
            s->in_v = 1;
            s->has_v = 1;
            s->v.n = 0;
        } else if (!strcmp(ln, "f")) {
            s->has_f = 1;
        } else if (!strcmp(ln, "is")) {
            s->in_is = 1;
            s->has_is = 1;
            s->v.n = 0;
        } else if (s->in_is && !strcmp(ln, "rPh")) s->in_rph++;
        else if (s->in_is && !s->in_rph && !strcmp(ln, "t")) s->in_t = 1;
    }
}

static void sheet_end(void *ud, const XML_Char *name)
{
    sheet_state *s = ud;
    if (!s->in_data) return;
    const char *ln = xr_local(name);
    if (!strcmp(ln, "sheetData")) {
        row_flush(s);
        s->in_data = 0;
    } else if (!strcmp(ln, "row")) row_flush(s);
    else if (!strcmp(ln, "c")) {
        if (s->in_c) cell_end(s);
        s->in_c = s->in_v = s->in_is = s->in_t = s->in_rph = 0;
    } else if (!strcmp(ln, "v")) s->in_v = 0;
    else if (!strcmp(ln, "is")) s->in_is = 0;
    else if (!strcmp(ln, "t")) s->in_t = 0;
    else if (!strcmp(ln, "rPh")) { if (s->in_rph) s->in_rph--; }
}

static void sheet_text(void *ud, const XML_Char *t, int len)
{
    sheet_state *s = ud;
    if ((s->in_v && !s->has_is) || (s->in_t && s->in_is && !s->in_rph)) {
        if (xr_tbuf_add(&s->v, t, (size_t)len, s->x.b->lim.text_max))
            sheet_fail(s, "第 %d 行有一个超过 %zu MB 的值", s->row, s->x.b->lim.text_max / MB);
    }
}

int xr_sheet_parse(xlsx_book *b, const xlsx_sheet *sh, xlsx_row_fn fn, void *ctx, problems *probs)
{
    sheet_state s = {.fn = fn, .ctx = ctx};
    char what[512];
    snprintf(what, sizeof what, "工作表“%s”的部件 %s", sh->name, sh->part);
    int rc = xr_part_parse(b, sh->part, what, 1, &s.x, sheet_start, sheet_end, sheet_text, probs);
    if (rc == 0 && !s.x.stopped) row_flush(&s); /* a sheet without </sheetData> */
    free(s.v.s);
    free(s.cells);
    free(s.rowtext.s);
    free(s.out);
    return rc;
}
