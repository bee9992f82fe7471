/*
 * dataset.h — the domain records of one run, loaded from the input CSVs.
 *
 * Rows are kept in file order; every record remembers its line so findings
 * can point back at it.  Cross-references are indexes (member, meeting,
 * branch), resolved once at load time so the rules never search by id.
 */
#ifndef ZHIBU_DATASET_H
#define ZHIBU_DATASET_H
#include "base/arena.h"
#include "input/columns.h"
#include "input/config.h"
#include "input/encoding.h"
#include "base/problems.h"
#include "base/strmap.h"
#include <stddef.h>

typedef enum { MK_THEME_DAY, MK_GENERAL, MK_COMMITTEE, MK_GROUP, MK_LECTURE, MK_COUNT } meeting_kind;
typedef enum { AT_PRESENT, AT_LEAVE, AT_ABSENT } attendance_status;

const char *meeting_kind_name(meeting_kind k);
/** 主题党日 and 支部党员大会 are whole-branch meetings. */
static inline int meeting_whole_branch(meeting_kind k) { return k == MK_THEME_DAY || k == MK_GENERAL; }
const char *attendance_status_name(attendance_status s);

typedef struct {
    const char *name;
    const char *unit;   /* the unit of its first member with one, or "" */
    int nmembers;
} branch;

typedef struct {
    const char *id, *name, *unit;
    int branch;
    member_category category;
    int special_post;   /* index into config special_posts, -1 = none */
    int leader;
    long dues_cents;    /* monthly_dues */
    long base_cents;    /* dues_base; -1 = not given */
    int joined, left;   /* YYYYMMDD or 0 */
    int line;
} member;

typedef struct {
    const char *id;
    int branch;
    int date;
    meeting_kind kind;
    const char *topic;
    const char *actions;       /* as written */
    unsigned long long done;   /* bit i: required action i was done */
    int minutes;
    int in_year;               /* dated in the run's year (else ignored by the rules) */
    int nsignin;               /* attendance rows of this meeting */
    int line;
} meeting;

typedef struct {
    int meeting, member;
    attendance_status status;
    const char *reason;
    int foreign;               /* member of another branch: ignored by the rules */
    int line;
} attendance;

typedef struct {
    int member;
    int month;                 /* YYYYMM the payment is for */
    long cents;                /* paid: what counts (0 for a row with no_payment) */
    int paid_on;               /* 0 = not given (and for a row with no_payment) */
    /* SPEC item 19: the row's status column.  A row whose status says
       nothing was paid (待缴, 失败, 已退款 …) is kept with no_payment = 1,
       cents 0 and paid_on 0; written_cents keeps its amount for display.
       (no_payment sits in what was padding: the record grows 40 → 56 B.) */
    int no_payment;
    const char *channel;
    int in_year;
    int line;
    long written_cents;        /* the amount as written (= cents for a payment) */
    const char *status;        /* the status as written; "" = none (paid) */
} payment;

typedef struct {
    int member;
    int date;
    long centi_hours;
    const char *community, *content, *confirmer, *rating;
    int confirmed;             /* confirmer not blank */
    int in_year;
    int line;
} service_record;

typedef struct {
    int member;
    const char *type;
    int from, to;
    int line;
} exemption;

typedef struct {
    const char *name;          /* members.csv … */
    int present;
    text_encoding encoding;
    char delimiter;            /* field separator read: ',', '\t' or ';' (SPEC item 18) */
    size_t rows_read, rows_skipped;
} file_info;

typedef struct {
    int year;                  /* the run's year; 0 = no period (check) */
    branch *branches;   size_t nbranches, cap_b;
    member *members;    size_t nmembers, cap_m;
    meeting *meetings;  size_t nmeetings, cap_mt;
    attendance *att;    size_t natt, cap_a;
    payment *pay;       size_t npay, cap_p;
    service_record *svc; size_t nsvc, cap_s;
    exemption *exm;     size_t nexm, cap_e;
    file_info files[F_COUNT];
    strmap member_ix, meeting_ix, branch_ix;
    strmap bad_member_ix, bad_meeting_ix; /* ids of rows skipped for errors → their line */
    strmap bad_member_branch, bad_meeting_branch; /* the same ids → the branch their row names, when
                                                     it is a branch of the run (SPEC item 20) */
    rarena arena;
} dataset;

/**
 * Load every input file of `dir` for a run of `year` (0: no year checks).
 * Problems are appended to probs.  Returns 0 when all files could be read
 * (rows with errors are skipped and reported), -1 on a file-level problem.
 */
int dataset_load(dataset *ds, const char *dir, int year, const config *cfg, problems *probs);
void dataset_free(dataset *ds);
/** The branch named `name` (matched as members.csv's branch column is), or -1. */
int dataset_branch(const dataset *ds, const char *name);

#endif
