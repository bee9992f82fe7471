/*
 * progress.h — one progress line on stderr for long runs.
 *
 *   progress_init(quiet);                 once, from the run
 *   progress_start("读入 attendance.csv", total);   total 0 = unknown
 *   progress_tick(done);                  as often as you like
 *   progress_end();
 *
 * Shows "phase  done / total  rate/s  elapsed" rewritten in place at most
 * ten times a second, and clears it at progress_end().  Everything is a no-op
 * unless stderr is a terminal and the run is not --quiet, so piped or logged
 * output never sees it.  Not for worker processes: call it in the parent.
 */
#ifndef ZHIBU_PROGRESS_H
#define ZHIBU_PROGRESS_H
#include <stddef.h>

/** Enable the line when stderr is a terminal and quiet is 0 ($ZHIBU_PROGRESS=1 forces it on). */
void progress_init(int quiet);
/** 1 when the line is shown. */
int progress_enabled(void);
/** Begin a phase; `unit` names what is counted ("行", "个支部"; NULL = "项"). */
void progress_start(const char *phase, size_t total, const char *unit);
/** Report that `done` items of the phase are finished. */
void progress_tick(size_t done);
/** End the phase: clear the line. */
void progress_end(void);

#endif
