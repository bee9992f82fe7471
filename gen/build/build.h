/*
 * build.h — what the report builders share: the run's data with indexes
 * for per-branch and per-member views, the templates, and the
 * template-driven table helper.
 *
 * Builders read rule results and records and produce report models
 * (report.h); they never decide what is a problem (that is rules.c) and
 * never write files (that is the renderers').
 */
#ifndef ZHIBU_BUILD_H
#define ZHIBU_BUILD_H
#include "check/evaluation.h"
#include "base/problems.h"
#include "build/template.h"
#include "input/ledger.h"

/** What the builders read: the run's records, rules, results and input problems. */
typedef struct {
    const dataset *ds;
    const config *cfg;
    const rules_result *rr;
    const evaluations *ev;   /* annual only, else NULL */
    const problems *probs;
    const char *templates_dir;
    const ledger *ledger;    /* the secretary's 整改台账 (--ledger, input/ledger.*), NULL = none */
} build_input;

typedef struct {
    const dataset *ds;
    const config *cfg;
    const rules_result *rr;
    const evaluations *ev;
    const problems *probs;
    const ledger *ledger;  /* build_input's, NULL = none: entries by ledger_find(b->ledger, problem_id) */
    template wording;      /* templates/wording.ini: rule descriptions and sources */
    template tmpl;         /* the template of the report being built */
    /* CSR indexes: X_start[i]..X_start[i+1] into X */
    int *bm_start, *bm;    /* branch → members, by member_id */
    int *bmt_start, *bmt;  /* branch → meetings of the year, by date then id */
    int *bf_start, *bf;    /* branch → findings (rules order) */
    int *mf_start, *mf;    /* member → findings */
    int *mp_start, *mp;    /* member → payments, by month */
    int *ms_start, *ms;    /* member → service records, by date */
    int *me_start, *me;    /* member → exemptions */
    int *ma_start, *ma;    /* meeting → attendance rows */
    int *ev_of;            /* member → index in ev (or -1) */
    const char *organization; /* [report] organization, else the unit */
    const char *templates_dir; /* where the report templates live (rc->templates_dir) */
} build_ctx;

/** Index the run's data; loads templates/wording.ini.  -1 with err on failure. */
int build_init(build_ctx *b, const build_input *in, char *err, size_t errlen);
void build_free(build_ctx *b);
/** Load the report template `name` into b->tmpl (replacing the previous one). */
int build_template(build_ctx *b, const char *dir, const char *name, char *err, size_t errlen);

/** The plain-Chinese description and the source article of a rule. */
const char *rule_description(const build_ctx *b, rule_code r);
const char *rule_source(const build_ctx *b, rule_code r);

/** The organization a branch reports to: [report] organization, else the branch's unit. */
const char *branch_organization(const build_ctx *b, int branch);

/** Placeholders common to every report of the run: {year} {month} {period} … */
void build_vars(const build_ctx *b, tvars *v, int branch);

/* ---- template-driven tables ----------------------------------------- */

typedef struct {
    const char *key;    /* column key in templates: "date", "topic" … */
    const char *title;  /* default title (a template's [columns] may rename) */
    double width;
    ralign align;
} coldef;

enum { MAX_COLS = 32 };

typedef struct {
    rtable *t;
    int n;
    int col[MAX_COLS]; /* selected coldef index of each table column */
} btable;

/**
 * Add a table to section s with the columns [section] columns lists (in
 * its order; all of defs when absent), titled from [columns] key = title.
 * Fill rows with btable_row() and, per column, switch on defs[bt->col[i]].
 */
void btable_add(build_ctx *b, rdoc *d, rsection *s, const char *section, const coldef *defs, int ndefs,
                btable *bt);
rcell *btable_row(rdoc *d, btable *bt);

/** The document's title, subtitle, subject, footer ([document] of b->tmpl), author and fixed date. */
void build_doc_head(build_ctx *b, rdoc *d, const tvars *v, const char *title_def, const char *author);

/** A new PDF section for template section `name`: page_break = 1 and landscape = 1 apply. */
rsection *build_new_section(build_ctx *b, rdoc *d, const char *name);

/** Heading + optional intro paragraph of a template section; returns 0 when the section is disabled. */
int build_section_head(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v);

/** The signature block: [signature] line1 … line9 (default: the branch secretary's and a date line). */
void build_signature(build_ctx *b, rdoc *d, rsection *s, const tvars *v);

/** The grade table's columns (keys: no branch member_id name category score grade
    rank attendance dues service reasons) and one row of it (no = its number). */
extern const coldef grade_cols[];
extern const int grade_ncols;
void build_grade_row(build_ctx *b, rdoc *d, btable *bt, const evaluation *e, int no);

/** The findings table (问题清单) of findings idx[0..n). */
void build_findings_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const int *idx, int n);

/** The 输入问题 table (every input problem). */
void build_problems_table(build_ctx *b, rdoc *d, rsection *s, const char *section);

/** A finding's detail line into the document's arena. */
const char *finding_text(build_ctx *b, rdoc *d, const finding *f);
/** "2022年9月30日" — the fixed document date of a period's end. */
const char *period_date_cn(const run_period *p, char *buf, size_t n);
/** "2022-09-30" */
const char *period_date_iso(const run_period *p, char *buf, size_t n);

#endif

/* ---- figures the builders read off the records (build_figures.c) ------- */

/** Total paid for month ym and the latest paid_on (0 if none). */
long member_month_paid(const build_ctx *b, int m, int ym, int *paid_on);
/** Confirmed service records dated in ym: count, and hours × 100. */
int member_month_service(const build_ctx *b, int m, int ym, long *centi);
/** The exemption covering the 15th of ym, or NULL. */
const char *member_exemption(const build_ctx *b, int m, int ym);
/** Number of findings of rule r for member m in month ym (0 = any month). */
int member_findings(const build_ctx *b, int m, rule_code r, int ym);
/** Status counts at meeting k among its branch's members of that month. */
void meeting_counts(const build_ctx *b, int k, int *present, int *leave, int *absent);
/** Attendance rate of a branch in ym over whole-branch meetings with sign-ins; -1 when none. */
double branch_month_attendance(const build_ctx *b, int branch, int ym);
/** Members of a branch in month ym, and how many of them are in service (在职). */
int branch_members_in_month(const build_ctx *b, int branch, int ym, int *active);
/** Theme days of a branch dated in ym. */
int branch_theme_days(const build_ctx *b, int branch, int ym);
/** Findings of a branch in the run, optionally only of rules with the given prefix ("TD"). */
int branch_findings(const build_ctx *b, int branch, const char *prefix);
