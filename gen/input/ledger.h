/*
 * ledger.h — the secretary's rectification ledger (整改台账, SPEC: 整改):
 * the 问题清单 sheet(s) of a zhibu workbook after Excel, WPS or LibreOffice
 * saved it (.xlsx) — with its 整改台账 sheet(s), the problems of earlier
 * months a run carried forward —, or a CSV, read into one entry per
 * problem_id.
 *
 * What is read, what is refused and every message: doc/ledger.md.  The
 * problem ids are checked only for their form (`RULE/KEY/PERIOD`, an
 * optional `#N`, RULE one of the codes the caller passes); whether a
 * finding has that id is for the builders to say.
 */
#ifndef ZHIBU_LEDGER_H
#define ZHIBU_LEDGER_H
#include "base/arena.h"
#include "base/problems.h"
#include "base/strmap.h"
#include "input/encoding.h"
#include <stddef.h>

typedef enum {
    LEDGER_OPEN,        /* 未整改 (also a blank cell) */
    LEDGER_IN_PROGRESS, /* 整改中 */
    LEDGER_DONE,        /* 已整改 */
    LEDGER_NOT_NEEDED,  /* 无需整改 */
    LEDGER_NSTATUS
} ledger_status;

/** 未整改, 整改中, 已整改, 无需整改. */
const char *ledger_status_name(ledger_status s);

typedef struct {
    const char *problem_id; /* as written, white space trimmed */
    ledger_status status;
    int done_on;            /* 完成日期 YYYYMMDD; 0 = blank */
    int due_on;             /* 整改时限 YYYYMMDD; 0 = blank or no such column */
    const char *measures;   /* 整改措施; "" = blank */
    const char *owner;      /* 责任人; "" = blank */
    int closed_in;          /* 销号月份 YYYYMM: the month a report first listed it closed; 0 = blank */
    int tracking;           /* read from a 整改台账 sheet (else a 问题清单 sheet, or the CSV) */
    const char *file;       /* where the row is, as problems name it: "ledger.csv", "ledger.xlsx:问题清单 (2)" */
    int line;               /* its line (CSV) or row number (XLSX) */
} ledger_entry;

typedef struct {
    const char *name;       /* the file as shown in messages */
    const char *path;       /* the file as opened (for a fingerprint of the inputs) */
    int xlsx;               /* read as a workbook (else CSV) */
    text_encoding encoding; /* CSV only */
    int nsheets;            /* XLSX: 问题清单 sheets read */
    int ntracking;          /* XLSX: 整改台账 sheets read */
    ledger_entry *v;        /* one per problem_id, in the order first seen */
    size_t n, cap;
    strmap ix;              /* problem_id → index in v */
    size_t rows_read;       /* ledger rows kept (a duplicate counts each time) */
    size_t rows_skipped;    /* rows with an error (reported) */
    size_t count[LEDGER_NSTATUS];
    rarena arena;
} ledger;

/**
 * Read the ledger at `path`, shown in messages as `name`.  A workbook
 * (zip content, or a name ending in .xlsx/.xlsm) is read as XLSX, anything
 * else as CSV.  rule_codes[0..nrules) are the codes a problem_id may start
 * with.  Problems are appended to probs.  Returns 0 when the file could be
 * read (rows may have been skipped as errors), -1 on a file-level problem
 * (the ledger is then empty).  Free with ledger_free() in either case.
 */
int ledger_load(ledger *lg, const char *path, const char *name, const char *const *rule_codes, int nrules,
                problems *probs);
/** The entry for problem_id, or NULL. */
const ledger_entry *ledger_find(const ledger *lg, const char *problem_id);
void ledger_free(ledger *lg);

/**
 * The ledger file of input directory `dir` when --ledger is not given:
 * ledger.xlsx or ledger.csv.  Returns 1 with the path in buf, 0 when there
 * is none, -1 after a PROB_FATAL when both are there.
 */
int ledger_find_in_dir(const char *dir, char *buf, size_t n, problems *probs);

/**
 * Check the form of a problem id: RULE/KEY/PERIOD with RULE one of
 * rule_codes, KEY and PERIOD not blank (KEY may itself hold '/'), and an
 * optional suffix #N, N ≥ 2.  0 when well formed, else -1 with a reason
 * (Chinese, static) in *why.
 */
int problem_id_check(const char *id, const char *const *rule_codes, int nrules, const char **why);

#endif
