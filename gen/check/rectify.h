/*
 * rectify.h — the rectification loop (整改, SPEC "Beyond the notices"): the
 * secretary's ledger (input/ledger.h) against the findings the data give
 * for January..M, whatever the run reports.
 *
 * Every ledger entry is matched by its problem_id to the findings of
 * rules_report(f, 1, M, 1), sorted as findings.csv (finding_problem_id).
 * An entry becomes one item:
 *
 *   RX_OPEN          marked 未整改 or 整改中 (whether the data still give the
 *                    finding or not: the mark is the secretary's);
 *   RX_CONTRADICTED  marked 已整改, and the data still give the finding for
 *                    its own period: 标记已整改但数据仍显示问题 (a warning in the
 *                    reports; the mark is not changed);
 *   RX_CLOSED        marked 无需整改, or 已整改 with the finding gone, and not
 *                    yet listed closed by an earlier report (销号月份 blank, or
 *                    this month or later) — "closed since"; an annual run
 *                    lists every closed one of the year here;
 *   RX_CLOSED_BEFORE closed, and an earlier monthly report already listed it
 *                    (销号月份 before M): kept in the 整改台账, counted only.
 *
 * An entry whose id names no finding is still an item when the id could be
 * one of this run's data (its rule is checked by the run, its member or
 * branch and meeting exist, its period lies in January..M): the data no
 * longer give it (`found` = 0).  Otherwise it is unknown (rect_unknown),
 * which the run reports as an input warning.  doc/ledger.md says it all.
 *
 * Pure: no I/O, no words.  Only monthly and annual runs carry the ledger.
 */
#ifndef ZHIBU_RECTIFY_H
#define ZHIBU_RECTIFY_H
#include "check/facts.h"
#include "input/ledger.h"

typedef enum { RX_OPEN, RX_CONTRADICTED, RX_CLOSED, RX_CLOSED_BEFORE, RX_NKINDS } rect_kind;

typedef struct {
    const ledger_entry *e;  /* the secretary's row */
    rect_kind kind;
    int found;              /* the data (January..M) give the finding */
    finding x;              /* the finding, or what its id names (rule, branch, member, meeting, month;
                               record -1) when not found */
    int month;              /* 1..12: the month of its own period; 0 for a problem of the whole
                               period (DU-RATE, CS-COUNT, CS-HOURS) */
    int age;                /* months from `month` to the run's last month (0 = that month); -1 with month 0 */
    int closed_in;          /* 销号月份 to carry (YYYYMM): the ledger's, or this month when first listed
                               closed now; 0 when not closed */
} rect_item;

/* Why a ledger id names no problem of this run. */
typedef enum {
    RU_MEMBER,   /* its member_id is not in the members */
    RU_BRANCH,   /* its branch is not a branch of the run */
    RU_MEETING,  /* its meeting is not in the meetings (or of another branch) */
    RU_PERIOD,   /* its period is not a month January..M of the run's year (nor the run's whole period) */
    RU_KIND      /* a rule this kind of run does not check (CS-COUNT, CS-HOURS in a monthly run) */
} rect_unknown_reason;

typedef struct {
    const ledger_entry *e;
    rect_unknown_reason why;
} rect_unknown;

typedef struct {
    int have_ledger;        /* a ledger was given */
    int month;              /* YYYYMM the run carries the ledger to (its last month); 0 = not carried */
    rect_item *v;           /* by branch name, kind, month (whole-period last), problem_id */
    size_t n;
    key_runs by_branch;     /* the items of each branch: one run of v */
    int (*b_kinds)[RX_NKINDS]; /* branch b: items per kind */
    int *b_untracked;       /* branch b: findings of January..M outside the run's own months
                               (its 问题清单) that the ledger lacks */
    rect_unknown *unknown;  /* in ledger order */
    size_t nunknown;
} rectification;

/**
 * Carry ledger lg (NULL: none given) forward in the run of f: monthly and
 * annual runs; other kinds get an empty result.  Free with rect_free().
 */
void rect_build(const facts *f, const ledger *lg, rectification *out);
void rect_free(rectification *r);

/** The items of branch b. */
const rect_item *rect_of_branch(const rectification *r, int b, int *n);

#endif
