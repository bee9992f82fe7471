/*
 * dates.h — calendar arithmetic on plain integers.
 * A date is an int YYYYMMDD (20220930); a month is YYYYMM (202209).
 * 0 means "no date".
 */
#ifndef ZHIBU_DATES_H
#define ZHIBU_DATES_H

/** Days in month m (1..12) of year y. */
int days_in_month(int y, int m);
/** 1 when y/m/d is a real calendar date (year 1900..2999). */
int date_valid(int y, int m, int d);
/** Days since 1899-12-30 (the spreadsheet serial), for ymd. */
long date_serial(int ymd);
/** ymd of the last day of month ym. */
int month_last_day(int ym);
/** ymd plus n days. */
int date_add_days(int ymd, int n);
/** The 15th of month ym, as ymd: the day membership in a month is judged on. */
static inline int month_mid(int ym) { return ym * 100 + 15; }
static inline int ymd_month(int ymd) { return ymd / 100; }
static inline int ymd_year(int ymd) { return ymd / 10000; }

#endif
