#!/usr/bin/env python3
"""Compare zhibu outputs with a conformance case's expected files.

  compare.py findings EXPECTED ACTUAL    multisets of (rule, branch, member_id, period)
  compare.py evaluation EXPECTED ACTUAL  by member_id: same grade, score within 0.05

Prints the differences (at most 20 of each kind) and exits 1 when there are any.
"""
import csv
import sys
from collections import Counter


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def findings(exp, act):
    key = lambda r: (r["rule"], r["branch"], r["member_id"], r["period"])
    e, a = Counter(map(key, rows(exp))), Counter(map(key, rows(act)))
    missing, extra = e - a, a - e
    for k in list(missing.elements())[:20]:
        print("missing:", ",".join(k))
    for k in list(extra.elements())[:20]:
        print("extra:  ", ",".join(k))
    print(f"expected {sum(e.values())}, actual {sum(a.values())}, "
          f"missing {sum(missing.values())}, extra {sum(extra.values())}")
    return not missing and not extra


def evaluation(exp, act):
    e = {r["member_id"]: r for r in rows(exp)}
    a = {r["member_id"]: r for r in rows(act)}
    bad = 0
    for mid in sorted(set(e) | set(a)):
        x, y = e.get(mid), a.get(mid)
        if not x or not y:
            print("only in", "expected" if x else "actual", mid)
            bad += 1
        elif x["grade"] != y["grade"] or abs(float(x["score"]) - float(y["score"])) > 0.05:
            if bad < 20:
                print(f"{mid}: expected {x['grade']} {x['score']}, actual {y['grade']} {y['score']}"
                      f"\n  expected: {x['reasons']}\n  actual:   {y['reasons']}")
            bad += 1
    print(f"{len(e)} expected, {len(a)} actual, {bad} differ")
    return bad == 0


if __name__ == "__main__":
    kind, exp, act = sys.argv[1:4]
    ok = (findings if kind == "findings" else evaluation)(exp, act)
    sys.exit(0 if ok else 1)
