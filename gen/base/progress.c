/* progress.c — see progress.h. */
#include "base/progress.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static struct {
    int enabled, active;
    char phase[128];
    const char *unit;
    size_t total, done, calls;
    double start, last;
} P;

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

void progress_init(int quiet)
{
    const char *force = getenv("ZHIBU_PROGRESS");
    P.enabled = !quiet && ((force && !strcmp(force, "1")) || isatty(STDERR_FILENO));
}

int progress_enabled(void) { return P.enabled; }

static void draw(double t)
{
    double el = t - P.start;
    double rate = el > 0 ? (double)P.done / el : 0;
    char r[32];
    if (rate >= 1e6) snprintf(r, sizeof r, "%.1f M", rate / 1e6);
    else if (rate >= 1e4) snprintf(r, sizeof r, "%.0f k", rate / 1e3);
    else snprintf(r, sizeof r, "%.0f ", rate);
    if (P.total)
        fprintf(stderr, "\r\033[K%s  %zu / %zu %s（%d%%）  %s%s/秒  %.0f 秒", P.phase, P.done, P.total, P.unit,
                (int)(100.0 * (double)P.done / (double)P.total), r, P.unit, el);
    else if (P.done)
        fprintf(stderr, "\r\033[K%s  %zu %s  %s%s/秒  %.0f 秒", P.phase, P.done, P.unit, r, P.unit, el);
    else
        fprintf(stderr, "\r\033[K%s  %.0f 秒", P.phase, el);
    fflush(stderr);
}

void progress_start(const char *phase, size_t total, const char *unit)
{
    if (!P.enabled) return;
    if (P.active) progress_end();
    snprintf(P.phase, sizeof P.phase, "%s", phase);
    P.unit = unit ? unit : "项";
    P.total = total;
    P.done = 0;
    P.calls = 0;
    P.active = 1;
    P.start = P.last = now();
    draw(P.start);
}

void progress_tick(size_t done)
{
    if (!P.enabled || !P.active) return;
    P.done = done;
    /* ticks may come per row: then look at the clock every 256th only */
    if ((P.total == 0 || P.total > 100000) && (++P.calls & 255)) return;
    double t = now();
    if (t - P.last < 0.1) return;
    P.last = t;
    draw(t);
}

void progress_end(void)
{
    if (!P.enabled || !P.active) return;
    P.active = 0;
    fputs("\r\033[K", stderr);
    fflush(stderr);
}
