/*
 * parse.h — the value forms the inputs accept (SPEC: Inputs, Settled 11).
 * Each returns 0 on success and -1 when the text is not of the form.
 */
#ifndef ZHIBU_PARSE_H
#define ZHIBU_PARSE_H

/** 2022-09-01, 2022/9/1, 2022.9.1, 2022年9月1日 (padding optional) → 20220901.
 *  A time after the date (a space or T, then H:MM[:SS[.fff]]) is ignored. */
int parse_date(const char *s, int *ymd);
/** A bare 5-digit number (an optional fraction: a time), as Excel writes a
 *  date cell not formatted as a date → the date it stands for.  -1 otherwise. */
int parse_excel_serial(const char *s, int *ymd);
/** 2022-09, 2022/9, 2022.9, 2022年9月 → 202209.  A full date is an error. */
int parse_month(const char *s, int *ym);
/** Yuan with an optional ￥/¥, at most 2 decimals, no thousands separator → cents. */
int parse_money(const char *s, long *cents);
/** Decimal hours, at most 2 decimals → hundredths of an hour. */
int parse_hours(const char *s, long *centi);
/** 是/否, Y/N, yes/no, 1/0, true/false, 有/无 (any case, full-width too) → 1/0. */
int parse_yesno(const char *s, int *v);
/** A plain decimal number (for INI values) with optional sign. */
int parse_decimal(const char *s, double *v);

#endif
