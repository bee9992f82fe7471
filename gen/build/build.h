/*
 * build.h — what the report builders share: the run's facts, the
 * templates, the words of verdicts and reasons, and the template-driven
 * table helper.
 *
 * Builders read the facts (check/facts.h) and the records they list, and
 * produce report models (report.h); they never count a figure or decide
 * what is a problem (that is facts.c and rules.c) and never write files
 * (that is the renderers').
 */
#ifndef ZHIBU_BUILD_H
#define ZHIBU_BUILD_H
#include "check/facts.h"
#include "check/rectify.h"
#include "check/warnings.h"
#include "base/problems.h"
#include "build/template.h"
#include "input/ledger.h"

/** What the builders read: the run's records, rules, facts and input problems. */
typedef struct {
    const dataset *ds;
    const config *cfg;
    const facts *fx;
    const problems *probs;
    const char *templates_dir;
    const ledger *ledger;    /* the secretary's 整改台账 (--ledger, input/ledger.*), NULL = none */
    const warning_list *warnings; /* the run's early warnings (check/warnings.h), NULL = none */
    const rectification *rect;    /* the ledger carried forward (check/rectify.h), NULL = none */
} build_input;

typedef struct {
    const dataset *ds;
    const config *cfg;
    const facts *fx;
    const problems *probs;
    const ledger *ledger;  /* build_input's, NULL = none: entries by ledger_find(b->ledger, problem_id) */
    const warning_list *warnings; /* build_input's */
    const rectification *rect;    /* build_input's */
    template wording;      /* templates/wording.ini: rule names and sources, verdict words, reasons */
    template tmpl;         /* the template of the report being built */
    const char *organization; /* [report] organization, else the unit */
    const char *templates_dir; /* where the report templates live */
} build_ctx;

/** Loads templates/wording.ini.  -1 with err on failure. */
int build_init(build_ctx *b, const build_input *in, char *err, size_t errlen);
void build_free(build_ctx *b);
/** Load the report template `name` into b->tmpl (replacing the previous one). */
int build_template(build_ctx *b, const char *dir, const char *name, char *err, size_t errlen);

/* ---- words (build_words.c): every human word of a verdict, from wording.ini -------- */

/** The plain-Chinese name and the source article of a rule ([rules], [sources]). */
const char *rule_description(const build_ctx *b, rule_code r);
const char *rule_source(const build_ctx *b, rule_code r);
/** A word of [words] (达标, 未交, 出席 …). */
const char *build_word(const build_ctx *b, const char *key, const char *def);
/** The word of a member's dues for a month (按时足额, 未交, 未足额, 逾期, 免交, —). */
const char *dues_word(const build_ctx *b, dues_state s);
/** 1 when a dues month is a problem to show (unpaid, short, late): not OK, exempt or not a member. */
int dues_state_bad(dues_state s);
/** The service verdict: not required (no eligible month), met, or short. */
const char *service_word(const build_ctx *b, int required, int met);
/** When a finding happened, in words: "2022年9月", "9月13日主题党日", "2022年度". */
const char *finding_when(const build_ctx *b, rdoc *d, const finding *f);
/** The reasons of a grade as sentences, e.g. "问题：缺席1次；领导干部1个月未亲自参加主题党日。得分…". */
const char *evaluation_reasons(const build_ctx *b, const evaluation *e, char *buf, size_t n);
/** Member m's exemptions overlapping the period, e.g. "哺乳期（2022-03-01至2022-08-31）", or "". */
const char *exemptions_text(const build_ctx *b, rdoc *d, int m);
/** A meeting by what it is: "9月13日主题党日" (a run looks at one year). */
const char *meeting_words(rdoc *d, const meeting *mt);

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
/** The same, with the columns def_columns lists (keys, in order) when the template lists none. */
void btable_add_cols(build_ctx *b, rdoc *d, rsection *s, const char *section, const char *def_columns,
                     const coldef *defs, int ndefs, btable *bt);
rcell *btable_row(rdoc *d, btable *bt);
/** A 合计 row under a table with rows (NULL under an empty one: no total of nothing):
    every cell EMPH_STRONG (bold in print), a copy of `label` in the first of the
    table's columns whose coldef index is one of label_cols; the caller fills the figures. */
rcell *btable_total_row(rdoc *d, btable *bt, const char *label, const int *label_cols, int nlabel);

/** The document's title, subtitle, subject, footer ([document] of b->tmpl), author and fixed date. */
void build_doc_head(build_ctx *b, rdoc *d, const tvars *v, const char *title_def, const char *author);

/** A new PDF section for template section `name`: page_break = 1 and landscape = 1 apply. */
rsection *build_new_section(build_ctx *b, rdoc *d, const char *name);

/** Heading + optional intro paragraph of a template section; returns 0 when the section is disabled.
    `{no}` in a heading is the next number of the document's 一、 headings (二、 after one). */
/** The heading of a template section ({no}: the next number of the document's 一、 headings). */
void build_heading(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v);
int build_section_head(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v);
/** A section whose body is a table: build_section_head, then btable_add of defs into bt. */
void build_section_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const tvars *v, const coldef *defs,
                         int ndefs, btable *bt);

/**
 * After a section's table is filled: when it has no rows and the template gives
 * `intro_empty`, that text replaces the section's intro (an empty value drops it),
 * e.g. 本月未发现问题 instead of "共发现问题 0 条，请逐条整改".  The table itself
 * becomes its `empty` sentence in build_finish_pdf.
 */
void build_section_empty(build_ctx *b, rdoc *d, rsection *s, const char *section, const rtable *t, const tvars *v);

/** The signature block: [signature] line1 … line9 (default: the branch secretary's and a date line). */
void build_signature(build_ctx *b, rdoc *d, rsection *s, const tvars *v);

/** The grade table's columns (keys: no branch member_id name category score grade
    rank attendance dues service reasons) and one row of it (no = its number). */
extern const coldef grade_cols[];
extern const int grade_ncols;
void build_grade_row(build_ctx *b, rdoc *d, btable *bt, const evaluation *e, int no);

/**
 * The findings table (问题清单) of the findings v[0..n).  The rule code
 * column (key `code`) is kept only when with_code (the workbook, for
 * sorting); a PDF names a rule by its description only.
 */
void build_findings_table(build_ctx *b, rdoc *d, rsection *s, const char *section, const finding *v, int n,
                          int with_code);

/** The 输入问题 table (every input problem). */
void build_problems_table(build_ctx *b, rdoc *d, rsection *s, const char *section);

/* ---- the printed documents' last pass (build_typeset.c) ------------- */

/** s with Chinese typography: no space between a Chinese character and a digit, ASCII
    double quotes paired into “ ” in a text with Chinese; s itself when nothing changes. */
const char *text_typeset(rdoc *d, const char *s);
/** The last pass of every PDF builder: text_typeset over every text of d, and a table
    without rows replaced by its empty text as a paragraph. */
void build_finish_pdf(rdoc *d);

/**
 * The 数据问题 section (SPEC item 20) of a PDF of branch `branch` (-1: the unit
 * report): when input problems concern it — rows skipped with --keep-going, warnings —
 * the heading and intro of template section `section` ({problems}: how many,
 * {problems_parts}: "2行有错误，已跳过…；1处警告…") and one line per problem,
 * "文件 第N行：列：…".  A problem concerns the branch its row belongs to; one of no
 * branch of the run concerns every document.  Nothing at all when none does.
 */
void build_data_problems(build_ctx *b, rdoc *d, rsection *s, const char *section, int branch, const tvars *v);

/* ---- sections of the monthly and annual branch PDFs (build_sections.c) ---- */

/** The branch's 问题清单: {findings} set in v (it stays set for the sections after),
    heading, intro, the findings table, and intro_empty when there are none. */
void build_findings_section(build_ctx *b, rdoc *d, rsection *s, const char *sec, int branch, tvars *v);
/** A bar chart of the branch's attendance rate in months 1..months (0 where no
    meeting was held), titled title, its one series named series. */
void build_attendance_chart(build_ctx *b, rdoc *d, rsection *s, int branch, int months, const char *title,
                            const char *series);
/** The sections a monthly and an annual branch PDF name alike: problems,
    rectification, data_problems, signature; any other name is a free-text
    section (heading and intro).  A report's own sections are dispatched first. */
void build_branch_section(build_ctx *b, rdoc *d, rsection *s, const char *name, int branch, tvars *v);

/** A finding's detail line into the document's arena. */
const char *finding_text(build_ctx *b, rdoc *d, const finding *f);
/** "2022年9月30日" — the fixed document date of a period's end. */
const char *period_date_cn(const run_period *p, char *buf, size_t n);
/** "2022-09-30" */
const char *period_date_iso(const run_period *p, char *buf, size_t n);

#endif
