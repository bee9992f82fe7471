/*
 * pdf_chart.c — bar and line charts drawn as vectors in grays: the axis
 * scale, grid, category and value labels, and a legend for several series.
 */
#include "render/pdf/pdf_internal.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

static const float series_gray[3] = {0.25f, 0.55f, 0.8f};

static void fmt_value(char *buf, size_t n, double v, int percent)
{
    if (percent) v *= 100;
    int whole = fabs(v - round(v)) < 0.05;
    snprintf(buf, n, whole ? "%.0f%s" : "%.1f%s", v, percent ? "%" : "");
}

/* A round axis maximum and step for the largest value. */
static void axis_scale(const rchart *ch, double *ymax, int *nticks)
{
    double m = 0;
    for (int s = 0; s < ch->nseries; s++)
        for (int i = 0; i < ch->ncats; i++) m = fmax(m, ch->series[s].values[i]);
    if (ch->y_max > 0) {
        *ymax = ch->y_max;
        *nticks = 5;
        return;
    }
    if (m <= 0) m = 1.0;
    double raw = m / 5, p = pow(10, floor(log10(raw))), step = p;
    static const double mult[] = {1, 2, 2.5, 5, 10};
    for (size_t i = 0; i < 5; i++)
        if (mult[i] * p >= raw) { step = mult[i] * p; break; }
    /* counts (findings, members) step by whole numbers: no 0.2 people */
    int whole = !ch->percent;
    for (int s = 0; s < ch->nseries && whole; s++)
        for (int i = 0; i < ch->ncats && whole; i++) whole = ch->series[s].values[i] == floor(ch->series[s].values[i]);
    if (whole && step < 1) step = 1;
    *nticks = (int)ceil(m / step - 1e-9);
    if (*nticks < 1) *nticks = 1;
    *ymax = *nticks * step;
}

/* Text of `size` in a style centred on cx at the given baseline. */
static void text_centered(layout *L, int style, double size, double cx, double base, const char *s)
{
    uint32_t len, off = pdf_text_clean(L->c, style, s, &len);
    double w = pdf_text_width(L->c, style, size, L->c->dl.pool + off, len);
    pdf_text_add(L, style, size, cx - w / 2, base, off, len, 0, 0, 0);
}

/* The legend, for two or three series (one is named by the chart's title). */
static double chart_legend(layout *L, const rchart *ch, double top)
{
    pdf_ctx *c = L->c;
    if (ch->nseries < 2) return top;
    double total = 0, sw = CHART_PT, gap = CHART_PT;
    uint32_t off[3], len[3];
    double w[3];
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    for (int s = 0; s < ns; s++) {
        off[s] = pdf_text_clean(c, F_SONG, ch->series[s].name ? ch->series[s].name : "", &len[s]);
        w[s] = pdf_text_width(c, F_SONG, CHART_PT, c->dl.pool + off[s], len[s]);
        total += sw + 3 + w[s] + (s ? 2 * gap : 0);
    }
    double x = (L->x0 + L->x1 - total) / 2, base = top - CHART_PT * 1.1;
    for (int s = 0; s < ns; s++) {
        if (ch->kind == CHART_BAR) pdf_fill_add(L, x, base - 1, sw, sw * 0.8, series_gray[s]);
        else pdf_line_add(L, x, base + sw * 0.3, x + sw, base + sw * 0.3, 1.5, series_gray[s] * 0.8f, s);
        pdf_text_add(L, F_SONG, CHART_PT, x + sw + 3, base, off[s], len[s], 0, 0, 0);
        x += sw + 3 + w[s] + 2 * gap;
    }
    return top - CHART_PT * 1.8;
}

typedef struct {
    double x0, x1, y0, y1;  /* plot area */
    double ymax;
    int nticks;
} plot;

static double plot_y(const plot *p, double v)
{
    v = fmax(0, fmin(v, p->ymax));
    return p->y0 + (p->y1 - p->y0) * v / p->ymax;
}

static void chart_axes(layout *L, const rchart *ch, const plot *p)
{
    char buf[32];
    for (int k = 0; k <= p->nticks; k++) {
        double v = p->ymax * k / p->nticks, y = plot_y(p, v);
        if (k) pdf_line_add(L, p->x0, y, p->x1, y, 0.3, 0.75f, 0);
        fmt_value(buf, sizeof buf, v, ch->percent);
        uint32_t len, off = pdf_text_clean(L->c, F_SONG, buf, &len);
        double w = pdf_text_width(L->c, F_SONG, CHART_PT, L->c->dl.pool + off, len);
        pdf_text_add(L, F_SONG, CHART_PT, p->x0 - 4 - w, y - CHART_PT * 0.35, off, len, 0, 0, 0);
    }
    pdf_line_add(L, p->x0, p->y0, p->x1, p->y0, 0.8, 0, 0);
    pdf_line_add(L, p->x0, p->y0, p->x0, p->y1, 0.8, 0, 0);
    if (ch->y_title && *ch->y_title) {
        uint32_t len, off = pdf_text_clean(L->c, F_SONG, ch->y_title, &len);
        pdf_text_add(L, F_SONG, CHART_PT, L->x0, p->y1 + CHART_PT * 0.8, off, len, 0, 0, 0);
    }
    /* category labels: wrapped into the slot keeping words whole, two lines
       at most, the second shortened with … when more would be needed */
    double slot = (p->x1 - p->x0) / ch->ncats;
    pstyle st = {F_SONG, CHART_PT, CHART_PT * 1.25, 0, 0, ALIGN_CENTER, 0, TW_KEEP_WORDS};
    pdf_ctx *c = L->c;
    for (int i = 0; i < ch->ncats; i++) {
        uint32_t len, off = pdf_text_clean(c, F_SONG, ch->cats[i] ? ch->cats[i] : "", &len);
        pdf_text_wrap(c, F_SONG, CHART_PT, off, len, slot - 2, slot - 2, TW_KEEP_WORDS, &c->lines);
        if (c->lines.n > 2) {
            /* the rest after the first line, cut to fit with an ellipsis */
            tw_line *l = &c->lines.v[1];
            const char *t = c->dl.pool + off;
            size_t end = len, k = l->start, cut = k;
            double ell = pdf_text_width(c, F_SONG, CHART_PT, "\xE2\x80\xA6", 3);
            for (size_t q = k; q < end;) {
                tw_utf8_next(t, end, &q);
                if (pdf_text_width(c, F_SONG, CHART_PT, t + k, q - k) + ell > slot - 2) break;
                cut = q;
            }
            uint32_t nlen, noff = (uint32_t)c->dl.plen;
            pdf_pool_put(&c->dl, t + k, cut - k);
            pdf_pool_put_cp(&c->dl, 0x2026);
            nlen = (uint32_t)(c->dl.plen - noff);
            c->lines.n = 1;
            double save = L->y;
            L->y = p->y0 - 3;
            pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
            tw_line two = {0, nlen, pdf_text_width(c, F_SONG, CHART_PT, c->dl.pool + noff, nlen), 1};
            tw_lines ls = {&two, 1, 1};
            pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, noff, &ls);
            L->y = save;
            continue;
        }
        double save = L->y;
        L->y = p->y0 - 3;
        pdf_lines_draw(L, &st, p->x0 + i * slot + 1, slot - 2, off, &c->lines);
        L->y = save;
    }
}

static void value_label(layout *L, const rchart *ch, double cx, double y, double v, double room)
{
    char buf[32];
    fmt_value(buf, sizeof buf, v, ch->percent);
    if (pdf_text_width(L->c, F_SONG, CHART_VALUE_PT, buf, strlen(buf)) > room) return;
    text_centered(L, F_SONG, CHART_VALUE_PT, cx, y + 2.5, buf);
}

static void chart_bars(layout *L, const rchart *ch, const plot *p)
{
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    double slot = (p->x1 - p->x0) / ch->ncats, bw = slot * 0.7 / ns;
    for (int i = 0; i < ch->ncats; i++)
        for (int s = 0; s < ns; s++) {
            double v = ch->series[s].values[i];
            double x = p->x0 + i * slot + slot * 0.15 + s * bw, y = plot_y(p, v);
            if (y > p->y0) {
                pdf_fill_add(L, x, p->y0, bw, y - p->y0, series_gray[s]);
                pdf_line_add(L, x, p->y0, x, y, 0.4, 0, 0);
                pdf_line_add(L, x, y, x + bw, y, 0.4, 0, 0);
                pdf_line_add(L, x + bw, y, x + bw, p->y0, 0.4, 0, 0);
            }
            /* with several series an empty bar says nothing: no "0" over it */
            if (v != 0 || ns == 1) value_label(L, ch, x + bw / 2, y, v, bw + slot * 0.15);
        }
}

static void chart_lines(layout *L, const rchart *ch, const plot *p)
{
    int ns = ch->nseries > 3 ? 3 : ch->nseries;
    double slot = (p->x1 - p->x0) / ch->ncats;
    for (int s = 0; s < ns; s++) {
        float g = series_gray[s] * 0.8f;
        for (int i = 0; i < ch->ncats; i++) {
            double x = p->x0 + (i + 0.5) * slot, y = plot_y(p, ch->series[s].values[i]);
            if (i) {
                double px = x - slot, py = plot_y(p, ch->series[s].values[i - 1]);
                pdf_line_add(L, px, py, x, y, 1.5, g, s);
            }
            pdf_fill_add(L, x - 2, y - 2, 4, 4, g);
            if (ns <= 2) value_label(L, ch, x, y + 1, ch->series[s].values[i], slot);
        }
    }
}

/* A chart: CHART_H tall, or down to CHART_MIN_H to use the end of a page
   (a chart is never split, and moving it would leave the space blank) —
   with room left for its trailer (pdf_trailer_height: a signature block), which
   must not go to a page of its own. */
void pdf_chart_add(layout *L, const rchart *ch, double trailer)
{
    if (ch->ncats <= 0 || ch->nseries <= 0) return;
    trailer = fmax(0, trailer);
    pdf_page_ensure_keep(L, CHART_MIN_H + trailer);
    double h = fmax(CHART_MIN_H, fmin(CHART_H, avail(L) - trailer));
    double top = L->y - 4;
    if (ch->title && *ch->title) {
        text_centered(L, F_HEI, CAPTION_PT, (L->x0 + L->x1) / 2, top - CAPTION_PT, ch->title);
        top -= CAPTION_PT * 1.8;
    }
    top = chart_legend(L, ch, top);
    plot p = {0};
    axis_scale(ch, &p.ymax, &p.nticks);
    char buf[32];
    fmt_value(buf, sizeof buf, p.ymax, ch->percent);
    p.x0 = L->x0 + pdf_text_width(L->c, F_SONG, CHART_PT, buf, strlen(buf)) + 8;
    p.x1 = L->x1 - 4;
    p.y1 = top - CHART_PT * 2;
    p.y0 = L->y - h + CHART_PT * 3.5;
    chart_axes(L, ch, &p);
    if (ch->kind == CHART_BAR) chart_bars(L, ch, &p);
    else chart_lines(L, ch, &p);
    L->y -= h + BODY_PT * 0.5;
}
