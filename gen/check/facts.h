/*
 * facts.h — the one source of every figure and verdict the outputs show.
 *
 * facts_build() folds the dataset once into tables (per member × month,
 * per meeting, per branch × month, per member for the period, per branch
 * and for the unit), then the rules judge them (rules_judge: verdict bits),
 * report the run's findings, the evaluation grades the members, and the
 * group totals are summed.  After that the structure is read-only: every
 * builder, the workbook and the CSV writers read it; nothing else counts a
 * figure or decides a verdict.  doc/facts.md defines each figure.
 *
 * Months are 1..12 of the run's year; the data used is January to the
 * period's last month (`last`): a monthly run of M ignores later data.
 * Verdicts are judged for every month of the data, whether or not the run
 * reports that month, so a ledger or an early warning can read any month
 * January..last (and rules_report() can list its findings).
 *
 * Sizes: a city run holds 200,000 members × 12 months, so the member ×
 * month record is 32 bytes, and only the months of the data (1..last) are
 * held: a monthly run of March holds three (the year's membership and
 * eligibility are summed into member_facts).  Per-month counts are 16 bits
 * and saturate at 65,535 (only damaged data gets there); money is 64 bits.
 */
#ifndef ZHIBU_FACTS_H
#define ZHIBU_FACTS_H
#include "base/key_runs.h"
#include "check/evaluation.h"
#include "check/rules.h"
#include <stdint.h>

/* member × month flags */
enum {
    MM_MEMBER = 1,        /* a member in the month (judged on the 15th) */
    MM_ELIGIBLE = 2,      /* community service due: a member, 在职, the 15th not exempt */
    MM_EXEMPT = 4,        /* the 15th inside an approved exemption (any category) */
    MM_LATE = 8,          /* a paying row's paid_on after the month's deadline (last day + grace) */
    MM_THEME_PRESENT = 16,/* 出席 at a 主题党日 of the branch */
    MM_DUES_OK = 32,      /* a member month with none of DU-UNPAID, DU-SHORT, DU-LATE (monthly_dues 0 included) */
    MM_IN_DATA = 64       /* the month is within January..last (every month held) */
};

typedef struct {
    int64_t paid;           /* cents paid for the month: the sum of its paying rows (amount > 0) */
    int32_t paid_on;        /* the latest paid_on among those rows, YYYYMMDD; 0 = none given */
    int32_t svc_centi;      /* confirmed service that counts (dated in the month, a member in it), hours × 100 */
    uint16_t svc_n;         /* confirmed records that count */
    uint16_t unconfirmed;   /* records without a confirmer dated in the month (each a CS-UNCONFIRMED) */
    uint16_t present, leave, absent; /* at the branch's whole-branch meetings with sign-ins, while a member;
                                        absent = 缺席 or no row (each an AT-ABSENT) */
    uint16_t found;         /* bit r (rule_code): rule r found for this member in this month */
    uint8_t flags;          /* MM_* */
    uint8_t exemption;      /* 1 + position in the member's exemption list (facts_exemption); 0 none */
    uint8_t at_streak;      /* AT-LAPSE streak at the end of the month (months without 出席/请假 when held) */
    uint8_t du_streak;      /* DU-LAPSE streak: consecutive unpaid member months */
} member_month;

/* per meeting */
enum {
    MT_COUNTED = 1,       /* dated in the run's year, January..last */
    MT_JUDGED = 2,        /* a 主题党日 judged by the TD rules (counted, and its branch had a member that month) */
    MT_SIGNED = 4         /* a whole-branch meeting with sign-ins: it counts for attendance */
};

typedef struct {
    int32_t present, leave, absent; /* among the branch's members of its month; 0 when not MT_SIGNED */
    uint16_t found;         /* bits of TD-LATE, TD-ACTIONS, TD-RECORD */
    uint8_t flags;          /* MT_* */
} meeting_facts;

/* per branch × month */
typedef struct {
    int32_t members;        /* members in the month */
    int32_t in_service;     /* of them 在职 */
    int32_t meetings;       /* meetings of any kind dated in the month */
    int32_t theme_days;     /* 主题党日 dated in the month (TD-HELD counts these) */
    int32_t theme_late;     /* of them after the deadline (TD-LATE) */
    int32_t theme_signed;   /* 主题党日 with sign-ins (AT-LEADER looks at these) */
    int32_t whole_signed;   /* whole-branch meetings with sign-ins (attendance and AT-LAPSE) */
    int64_t att_present;    /* Σ over those meetings of the members present */
    int64_t att_expected;   /* Σ over those meetings of the members of the month (present + leave + absent) */
    int64_t dues_due, dues_paid; /* Σ over the members of the month of monthly_dues and of paid, cents
                                    (months of the period only: a 党费台账's 合计 row) */
    uint16_t found;         /* bit R_TD_HELD */
} branch_month;

/* per member, for the run's period (annual: the year; half-year: its months; monthly: the month) */
typedef struct {
    uint8_t assessed;       /* a member in at least one month of the year: graded in annual runs */
    uint8_t in_period;      /* a member in at least one month of the period: a 党员 of the period */
    uint8_t special;        /* a special post: the minimums take special_post_factor */
    uint8_t member_months;  /* months of the period in which a member */
    uint8_t eligible;       /* eligible months of the period */
    uint8_t eligible_year;  /* eligible months of the whole year */
    uint8_t eligible_ytd;   /* eligible months January..last */
    uint8_t dues_ok, dues_unpaid, dues_short, dues_late; /* member months of the period by dues verdict */
    uint16_t found;         /* period verdicts: bits of DU-RATE, CS-COUNT, CS-HOURS */
    int32_t held, present, leave, absent; /* whole-branch meetings with sign-ins of the period, while a member */
    int64_t dues_due, dues_paid;          /* cents over the period's member months */
    int64_t rate_want;      /* DU-RATE: the monthly dues the base calls for, cents; -1 = not checked */
    int32_t svc_n, svc_centi;             /* confirmed service of the period that counts */
    int32_t ytd_n, ytd_centi;             /* the same, January..last */
    int32_t unconfirmed;    /* records without a confirmer dated in the period */
    int32_t min_n, min_centi;             /* the period's minimums (prorated, rounded up) */
    int32_t year_min_n, year_min_centi;   /* the year's minimums (for year-to-date views) */
    int32_t count[R_COUNT]; /* the run's findings of this member, by rule */
    int32_t ev;             /* index in facts.ev, -1 = not graded */
} member_facts;

/* per branch and for the unit: sums over the period */
typedef struct {
    int32_t members;        /* 党员: members in at least one month of the period */
    int32_t by_category[CAT_COUNT];
    int32_t in_service;     /* 在职 of them */
    int32_t theme_days, theme_late, meetings;
    int64_t att_present, att_expected;    /* Σ of branch_month over the period */
    int32_t dues_months;    /* member months of the period */
    int32_t dues_ok, dues_unpaid, dues_short, dues_late, dues_exempt; /* of them, by verdict (exempt = monthly_dues 0) */
    int64_t dues_due, dues_paid;
    int32_t svc_members;    /* 在职 members with an eligible month in the period */
    int32_t svc_short;      /* of them below a minimum of the period (CS-COUNT or CS-HOURS; annual and half-year) */
    int32_t svc_n;          /* confirmed service of its 在职 members in the period */
    int64_t svc_centi;
    int32_t unconfirmed;    /* records without a confirmer in the period (CS-UNCONFIRMED) */
    int32_t grades[3];      /* annual: members per grade */
    int32_t findings;       /* the run's findings */
    int32_t by_rule[R_COUNT];
    int32_t branches_by_rule[R_COUNT]; /* unit only: branches with a finding of the rule */
    int32_t branches;       /* unit only: branches of the run */
} group_facts;

struct facts {
    const dataset *ds;
    const config *cfg;
    run_period period;
    int last;                   /* last month of data (= period.last_month) */
    int deadline[13];           /* [mo]: the 主题党日 deadline of the month, YYYYMMDD */
    member_month *mm;           /* nmembers × last: facts_mm() */
    member_facts *mf;           /* nmembers */
    meeting_facts *mt;          /* nmeetings */
    branch_month *bm;           /* nbranches × 12: facts_bm() */
    group_facts *branch;        /* nbranches */
    group_facts unit;           /* every branch of the run */
    findings f;                 /* the run's findings, in findings.csv order */
    key_runs bf;                /* the findings of each branch: one run of f.v */
    evaluation *ev;             /* annual: the assessed members, by branch name then member_id */
    size_t nev;
    cap_scope *caps;            /* annual: one per branch, or one for the run (excellent_scope = all) */
    size_t ncaps;
    /* orders and indexes (CSR: X_start[i] .. X_start[i + 1] into X) */
    int *branch_order;          /* branch indexes by name (as findings.csv) */
    int *bmem_start, *bmem;     /* branch → members, by member_id */
    int *bmeet_start, *bmeet;   /* branch → meetings, by date then meeting_id */
    int *ma_start, *ma;         /* meeting → attendance rows, in file order */
    int *ms_start, *ms;         /* member → service records, by date then line */
    int *me_start, *me;         /* member → exemptions, in file order */
};

/** Build the facts of period p over ds (tables, verdicts, the run's findings, grades, sums). */
void facts_build(facts *f, const dataset *ds, const config *cfg, const run_period *p);
void facts_free(facts *f);

/** Member m in month mo, 1 ≤ mo ≤ f->last. */
static inline const member_month *facts_mm(const facts *f, int m, int mo)
{
    return &f->mm[(size_t)m * (size_t)f->last + (size_t)(mo - 1)];
}
/** The same, for the check layer that fills it. */
static inline member_month *facts_mm_fill(facts *f, int m, int mo)
{
    return &f->mm[(size_t)m * (size_t)f->last + (size_t)(mo - 1)];
}
static inline const branch_month *facts_bm(const facts *f, int b, int mo)
{
    return &f->bm[(size_t)b * 12 + (size_t)(mo - 1)];
}
static inline int facts_is_member(const facts *f, int m, int mo) { return facts_mm(f, m, mo)->flags & MM_MEMBER; }
static inline int facts_found(const facts *f, int m, int mo, rule_code r) { return facts_mm(f, m, mo)->found >> r & 1; }
/** Whole-branch meetings with sign-ins held in month mo while m was a member (出席 + 请假 + 缺席). */
static inline int facts_held(const facts *f, int m, int mo)
{
    const member_month *x = facts_mm(f, m, mo);
    return x->present + x->leave + x->absent;
}
/** The dues due from member m for month mo: monthly_dues when a member, else 0 (cents). */
static inline long facts_due(const facts *f, int m, int mo)
{
    return facts_is_member(f, m, mo) ? f->ds->members[m].dues_cents : 0;
}
/** 1 when month mo is one the run reports. */
static inline int facts_in_period(const facts *f, int mo) { return mo >= f->period.first_month && mo <= f->period.last_month; }

/** The exemption covering the 15th of month mo for member m, or NULL. */
const exemption *facts_exemption(const facts *f, int m, int mo);

/* A member's dues for a month, in one word (doc/facts.md: 党费). */
typedef enum { DUES_NOT_MEMBER, DUES_EXEMPT, DUES_OK, DUES_UNPAID, DUES_SHORT, DUES_LATE, DUES_SHORT_LATE } dues_state;
dues_state facts_dues_state(const facts *f, int m, int mo);

/** The required actions meeting k lacks (bit i = action i): TD-ACTIONS; 0 when it is not judged. */
unsigned long long facts_missing_actions(const facts *f, int k);

/** Service record i counts (confirmed, dated in January..last of the year, a member in its month). */
int facts_record_counts(const facts *f, int i);
/** Service record i is a CS-UNCONFIRMED one (no confirmer, dated in January..last of the year). */
int facts_record_unconfirmed(const facts *f, int i);
/** Record i is dated in a month of the period. */
int facts_record_in_period(const facts *f, int i);

/** Member m's attendance row at meeting k (its own branch's), or NULL. */
const attendance *facts_signin(const facts *f, int k, int m);
/**
 * Member m's attendance at a whole-branch meeting k with sign-ins (MT_SIGNED),
 * as the facts count it: AT_PRESENT, AT_LEAVE, or AT_ABSENT — marked 缺席 or,
 * when *row is set to NULL, no row at all (both an AT-ABSENT).
 */
attendance_status facts_attendance(const facts *f, int k, int m, const attendance **row);

/*
 * The same for every member of a meeting's branch, one meeting at a time:
 * taking meeting k marks its rows by member, so each member's answer costs
 * nothing (facts_attendance looks through the meeting's rows each time).
 * It needs only the meeting → attendance index, so the facts use it while
 * they are built as well as the rules after.
 */
typedef struct {
    int *stamp;             /* [m]: 1 + the meeting taken when m has a row there */
    unsigned char *status;  /* [m]: the status of that row */
    int taken;              /* 1 + the meeting taken; -1 = none yet (no member has a row) */
} meeting_roll;

void meeting_roll_init(meeting_roll *r, const facts *f);
/** Take the rows of meeting k (of its own branch's members). */
void meeting_roll_take(meeting_roll *r, const facts *f, int k);
/** Member m at the meeting taken, as facts_attendance: AT_ABSENT when marked 缺席 or, with *has_row
 *  set to 0, without a row (has_row may be NULL). */
static inline attendance_status meeting_roll_status(const meeting_roll *r, int m, int *has_row)
{
    int known = r->stamp[m] == r->taken;
    if (has_row) *has_row = known;
    return known ? (attendance_status)r->status[m] : AT_ABSENT;
}
void meeting_roll_free(meeting_roll *r);

/** The findings of branch b (a run of f->f, in findings.csv order). */
const finding *facts_branch_findings(const facts *f, int b, int *n);
/** The month a finding belongs to (1..12), or 0 for the period rules (DU-RATE, CS-COUNT, CS-HOURS). */
int finding_month(const finding *x);

/** Attendance rate of a group or branch-month: present ÷ expected, -1 when nothing was expected. */
static inline double facts_rate(int64_t present, int64_t expected)
{
    return expected > 0 ? (double)present / (double)expected : -1;
}

#endif
