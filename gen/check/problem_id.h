/*
 * problem_id.h — the stable name of a finding in the rectification ledger
 * (SPEC 整改): `rule/key/period`, key = the member_id, or the branch name for
 * branch and meeting scope; period as in findings.csv.  When findings share
 * it, the second gets `#2`, the third `#3`, in findings.csv order.
 *
 * The id depends only on the finding and its equals before it, never on
 * its position in the run, so a monthly run of September gives a problem
 * of August the id the August run gave it (rules_report over January..M,
 * sorted with findings_sort, lists it among the same equals).
 */
#ifndef ZHIBU_PROBLEM_ID_H
#define ZHIBU_PROBLEM_ID_H
#include "check/facts.h"

/** The problem_id of v->v[i] (v sorted by findings_sort) into buf; returns buf. */
const char *finding_problem_id(const facts *f, const findings *v, size_t i, char *buf, size_t n);

#endif
