#!/usr/bin/env python3
"""workbook_craft.py DIR — the run's workbook is one to work in (doc/xlsx.md).

DIR is one run's output/<period>/ (2022-09 monthly, 2022-H2 half-year, 2022
annual) with the workbook, findings.csv (and evaluation.csv).  Read back with
openpyxl, twice (the formulas, and the values cached with them), it checks:

  - totals: every total row's figure is a formula =SUM(...) over exactly the
    sheet's data rows of its column, a member's period total =SUM of its
    month cells; each cached value equals that sum, and the 汇总's totals
    equal findings.csv / evaluation.csv;
  - highlights: each conditional format covers one column's data rows (its
    formula starts at the range's first cell) and, evaluated cell by cell,
    marks exactly the cells the facts call for (findings.csv, evaluation.csv);
  - frozen panes: the header and the identifying columns (序号, 支部,
    党员编号, 姓名) of the member sheets;
  - the default font (the Normal style) and every cell's font: 等线.

Prints "ok NAME" / "not ok NAME" lines (tests/run-tests counts them).
"""
import csv
import os
import re
import sys
import warnings
from collections import Counter, defaultdict

RED, AMBER, GREEN = "FFFFC7CE", "FFFFEB9C", "FFC6EFCE"
TOTAL = "合计"


def openpyxl():
    try:
        import openpyxl as o
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import openpyxl as o
    return o


def check(name, cond, detail=""):
    print(("ok " if cond else "not ok ") + name + ("" if cond or not detail else f" ({detail})"))
    return cond


def read_csv(path):
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


class Sheet:
    """A sheet's header row, data rows and total rows, as formulas and as values."""

    def __init__(self, wsf, wsv):
        self.f, self.v = wsf, wsv
        self.head_row = wsf[wsf.freeze_panes].row - 1 if wsf.freeze_panes else 1
        self.head = [c.value for c in wsf[self.head_row]]
        self.data, self.totals = [], []
        for r in range(self.head_row + 1, wsf.max_row + 1):
            first = wsf.cell(r, 1).value
            if all(wsf.cell(r, c).value in (None, "") for c in range(1, len(self.head) + 1)):
                continue
            (self.totals if first == TOTAL else self.data).append(r)

    def col(self, title):
        return self.head.index(title) + 1 if title in self.head else None

    def val(self, r, c):
        return self.v.cell(r, c).value

    def formula(self, r, c):
        return self.f.cell(r, c).value


def letter(c):
    from openpyxl.utils import get_column_letter
    return get_column_letter(c)


def check_totals(wb, book, name):
    """Every number in a total row: =SUM over the data rows of its column; a
    member's period total: =SUM of its months; cached values = the sums."""
    s = book.get(name)
    if not s or not s.totals:
        return check(f"{name}: has a total row", False)
    bad, n = [], 0
    lo, hi = min(s.data), max(s.data)
    for t in s.totals:
        for c in range(1, len(s.head) + 1):
            v, f = s.val(t, c), s.formula(t, c)
            if not isinstance(v, (int, float)) or isinstance(v, bool):
                continue
            if "率" in str(s.head[c - 1]):  # a rate is no sum: a value
                if isinstance(f, str) and f.startswith("="):
                    bad.append(f"{letter(c)}{t} rate is a formula")
                continue
            n += 1
            want = f"=SUM({letter(c)}{lo}:{letter(c)}{hi})"
            total = sum(s.val(r, c) for r in s.data if isinstance(s.val(r, c), (int, float)))
            if f != want:
                bad.append(f"{letter(c)}{t} {f!r} != {want}")
            if abs(v - total) > 0.005:
                bad.append(f"{letter(c)}{t} cached {v} != {total}")
    check(f"{name}: totals are =SUM over the data rows, cached with their sums ({n})", n and not bad,
          "; ".join(bad[:5]) or "no total")
    return s


def check_row_sums(book, name, first_month_col, nmonths):
    s = book.get(name)
    if not s:
        return check(f"{name}: exists", False)
    total_col = first_month_col + nmonths
    bad = []
    for r in s.data:
        f, v = s.formula(r, total_col), s.val(r, total_col)
        want = f"=SUM({letter(first_month_col)}{r}:{letter(total_col - 1)}{r})"
        months = sum(s.val(r, c) for c in range(first_month_col, total_col) if isinstance(s.val(r, c), (int, float)))
        if f != want:
            bad.append(f"row {r}: {f!r}")
        elif abs(v - months) > 0.005:
            bad.append(f"row {r}: cached {v} != {months}")
    check(f"{name}: a member's total is =SUM of its months, cached with their sum ({len(s.data)} rows)",
          not bad and s.data, "; ".join(bad[:5]))


REF = r"\$?([A-Z]+)\$?(\d+)"


def rule_eval(formula, s, r, c):
    """Our three rule shapes, at cell (r, c) relative to the rule's first cell."""
    def cell(col_letter, dcol):
        from openpyxl.utils import column_index_from_string
        return s.val(r, column_index_from_string(col_letter) + dcol)

    m = re.fullmatch(r"AND\(ISNUMBER\(([A-Z]+)\d+\),\1\d+(<=|<|>)(-?[\d.e+-]+)\)", formula)
    if m:
        v = cell(m.group(1), 0)
        x = float(m.group(3))
        isnum = isinstance(v, (int, float)) and not isinstance(v, bool)
        return isnum and {"<": v < x, ">": v > x, "<=": v <= x}[m.group(2)]
    m = re.fullmatch(r"AND\(ISNUMBER\(([A-Z]+)\d+\),ISNUMBER\(([A-Z]+)\d+\),\1\d+<\2\d+\)", formula)
    if m:
        a, b = cell(m.group(1), 0), cell(m.group(2), 0)
        return all(isinstance(x, (int, float)) for x in (a, b)) and a < b
    m = re.fullmatch(r'OR\((.*)\)', formula)
    if m:
        words = re.findall(r'[A-Z]+\d+="((?:[^"]|"")*)"', m.group(1))
        return s.val(r, c) in [w.replace('""', '"') for w in words]
    raise ValueError(f"unknown rule {formula}")


def marks(s):
    """{column title: [(tone, formula)]} of the sheet's conditional formats, checked
    to cover one column's data rows and to start at its first cell."""
    out, bad = defaultdict(list), []
    for cf in s.f.conditional_formatting:
        rng = str(cf.sqref)
        m = re.fullmatch(r"([A-Z]+)(\d+):([A-Z]+)(\d+)|([A-Z]+)(\d+)", rng)
        if not m:
            bad.append(f"range {rng}")
            continue
        c1, r1, c2, r2 = (m.group(1), m.group(2), m.group(3), m.group(4)) if m.group(1) else (m.group(5), m.group(6), m.group(5), m.group(6))
        if c1 != c2:
            bad.append(f"{rng} spans columns")
        if (int(r1), int(r2)) != (min(s.data), max(s.data)):
            bad.append(f"{rng} is not the data rows {min(s.data)}..{max(s.data)}")
        for rule in cf.rules:
            f = rule.formula[0]
            first = re.search(REF, f)
            if not first or first.group(0) != f"{c1}{r1}":
                bad.append(f"{rng}: {f} does not start at {c1}{r1}")
            fill = rule.dxf.fill.bgColor.rgb if rule.dxf and rule.dxf.fill is not None else None
            from openpyxl.utils import column_index_from_string
            out[s.head[column_index_from_string(c1) - 1]].append((fill, f))
    return out, bad


def highlighted(s, title, tone):
    """Data rows whose cell in column `title` a rule of that tone marks (first matching rule wins)."""
    c = s.col(title)
    rules, _ = marks(s)
    rows = set()
    for r in s.data:
        for fill, f in rules.get(title, []):
            if rule_eval(f, s, r, c):
                if fill == tone:
                    rows.add(r)
                break
    return rows


def check_marks(name, s, title, tone, want_rows, what):
    rules, bad = marks(s)
    if name not in check_marks.seen:
        check_marks.seen.add(name)
        check(f"{name}: each conditional format covers one column's data rows", rules and not bad, "; ".join(bad[:3]))
    got = highlighted(s, title, tone)
    check(f"{name}: {title} {what} ({len(want_rows)} of {len(s.data)})", rules.get(title) and got == want_rows,
          f"marked {len(got)}, want {len(want_rows)}; e.g. {sorted(got ^ want_rows)[:5]}")


check_marks.seen = set()


def main(argv):
    d = argv[1]
    period = os.path.basename(os.path.normpath(d))
    kind = "monthly" if re.fullmatch(r"\d{4}-\d{2}", period) else "halfyear" if "H" in period else "annual"
    books = [f for f in os.listdir(d) if f.endswith(".xlsx")]
    o = openpyxl()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wbf = o.load_workbook(os.path.join(d, books[0]))
        wbv = o.load_workbook(os.path.join(d, books[0]), data_only=True)
    book = {ws.title: Sheet(ws, wbv[ws.title]) for ws in wbf.worksheets if not ws.sheet_state == "hidden"}
    findings = read_csv(os.path.join(d, "findings.csv"))
    ev = read_csv(os.path.join(d, "evaluation.csv"))
    found = Counter((f["member_id"], f["rule"]) for f in findings)

    # the default font
    normal = [st for st in wbf._named_styles if st.name == "Normal"]
    check("the default (Normal) font is 等线", normal and normal[0].font.name == "等线")
    fonts = {c.font.name for ws in wbf.worksheets for row in ws.iter_rows() for c in row if c.value is not None}
    check("every cell's font is 等线", fonts == {"等线"}, str(fonts))

    # 汇总
    su = check_totals(wbf, book, "汇总")
    if su:
        t = su.totals[0]
        check("汇总: 问题合计 total = findings.csv rows", su.val(t, su.col("问题合计")) == len(findings))
        check("汇总: frozen through 支部", su.f.freeze_panes == f"C{su.head_row + 1}", su.f.freeze_panes)
        fail_col = su.col("不合格")
        if ev is not None:
            grades = Counter(e["grade"] for e in ev)
            check("汇总: 优秀/合格/不合格 totals = evaluation.csv",
                  [su.val(t, su.col(g)) for g in ("优秀", "合格", "不合格")] == [grades[g] for g in ("优秀", "合格", "不合格")])
            check_marks("汇总", su, "不合格", RED, {r for r in su.data if su.val(r, fail_col) > 0}, "red where a member failed")
        check_marks("汇总", su, "党费按时足额率", AMBER,
                    {r for r in su.data if isinstance(su.val(r, su.col("党费按时足额率")), float)
                     and su.val(r, su.col("党费按时足额率")) < 1}, "amber below 100 %")

    if kind == "monthly":
        du = check_totals(wbf, book, "党费")
        if du:
            mid = du.col("党员编号")
            bad = {r for r in du.data if found[(du.val(r, mid), "DU-UNPAID")] or found[(du.val(r, mid), "DU-SHORT")]}
            late = {r for r in du.data if found[(du.val(r, mid), "DU-LATE")] and r not in bad}
            check_marks("党费", du, "实交（元）", RED, bad, "red where DU-UNPAID or DU-SHORT")
            check_marks("党费", du, "情况", RED, bad, "red where DU-UNPAID or DU-SHORT")
            check_marks("党费", du, "情况", AMBER, late, "amber where only DU-LATE")
            check("党费: frozen through 姓名", du.f.freeze_panes == "E2", du.f.freeze_panes)
        check_totals(wbf, book, "下沉社区")
        at = book.get("出勤")
        if at:
            absent = highlighted(at, "出勤", RED)
            check_marks("出勤", at, "出勤", RED, {r for r in at.data if at.val(r, at.col("出勤")) in ("缺席", "无签到记录")},
                        "red where absent")
            check("出勤: red rows = AT-ABSENT findings", len(absent) == sum(1 for f in findings if f["rule"] == "AT-ABSENT"))
    else:
        first, last = (7, 12) if kind == "halfyear" else (1, 12)
        for name in ("党费", "下沉社区"):
            check_totals(wbf, book, name)
            check_row_sums(book, name, 5, last - first + 1)
        for name in ("出勤", "党费", "下沉社区"):
            s = book.get(name)
            check(f"{name}: header and 序号, 支部, 党员编号, 姓名 frozen", s and s.f.freeze_panes == "E2",
                  s and s.f.freeze_panes)
    if kind == "halfyear":
        hy = check_totals(wbf, book, "半年汇总")
        if hy:
            mid = hy.col("党员编号")
            for title, rule in (("确认次数", "CS-COUNT"), ("确认小时", "CS-HOURS")):
                check_marks("半年汇总", hy, title, RED, {r for r in hy.data if found[(hy.val(r, mid), rule)]},
                            f"red where {rule}")
            check_marks("半年汇总", hy, "情况", RED,
                        {r for r in hy.data if found[(hy.val(r, mid), "CS-COUNT")] or found[(hy.val(r, mid), "CS-HOURS")]},
                        "red where CS-COUNT or CS-HOURS")
    if kind == "annual":
        kh = book.get("考核结果")
        if kh:
            mid, g = kh.col("党员编号"), {e["member_id"]: e["grade"] for e in ev}
            check_marks("考核结果", kh, "等次", RED, {r for r in kh.data if g[kh.val(r, mid)] == "不合格"}, "red where 不合格")
            check_marks("考核结果", kh, "等次", GREEN, {r for r in kh.data if g[kh.val(r, mid)] == "优秀"}, "green where 优秀")
            check("考核结果: 序号 1..n", [kh.val(r, 1) for r in kh.data] == list(range(1, len(kh.data) + 1)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
