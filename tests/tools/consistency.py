#!/usr/bin/env python3
"""consistency.py DIR [--text DIR2] [--wording FILE]

Every figure that appears in more than one output of one zhibu run agrees.

DIR is one run's output/<period>/ (2022-09: monthly, 2022-H2: half-year,
2022: annual) holding its PDFs, the workbook and findings.csv (and
evaluation.csv).  The figures are extracted from each output — the PDFs'
text with pdftotext (-layout for tables and labelled lines, -raw for the
problem lists), the workbook read back with openpyxl, the CSVs — and
compared: member counts, attendance rates, dues per member and month,
service counts and hours per member and per branch, findings per rule per
branch, grades and their counts, reasons; the early warnings of each branch
(the PDF's 预警名单, the 预警 sheet, warnings.csv) and its rectification
ledger (the PDF's 问题整改情况 counts and names, the 整改台账 sheet).  Then the human outputs are
checked for internal words: no rule code ([A-Z]{2}-[A-Z]+) and no input
file name in any PDF text or workbook cell, except the workbook's code
columns (代码, 活动编号) and its 输入问题 sheet.

--text DIR2: when DIR2/<pdf file name>.layout.txt or .raw.txt exists, it is
read instead of running pdftotext (the test plants a difference that way).
--wording: templates/wording.ini, for the rule names (default: next to this
script, ../../templates/wording.ini).

Prints one line per difference and a summary ("N figures compared, M
differ"); exits 1 when any differ or an output is missing.
"""
import csv
import glob
import os
import re
import subprocess
import sys
import warnings
from collections import Counter, defaultdict

CODE = re.compile(r"[A-Z]{2}-[A-Z]+")
FILES = re.compile(r"(members|meetings|attendance|dues|service|exemptions|findings|evaluation|ledger)\.csv|ledger\.xlsx")
HEADING = re.compile(r"^\s*[一二三四五六七八九十]+、(.*)$")
CODE_COLUMNS = {"代码", "问题编号", "活动编号"}
FOOTER = re.compile(r"—\s*\d+\s*—")
PAGE_NUMBER = re.compile(r"^\s*—\s*\d+\s*—\s*$")


class Checker:
    def __init__(self):
        self.n = 0
        self.bad = []

    def same(self, where, what, a, b, tol=0.0):
        """Compare two figures (numbers within tol, else equal)."""
        self.n += 1
        ok = a == b
        if not ok and isinstance(a, (int, float)) and isinstance(b, (int, float)):
            ok = abs(a - b) <= tol + 1e-9
        if not ok:
            if isinstance(a, dict) and isinstance(b, dict):  # only what differs
                keys = sorted(set(a) | set(b), key=str)
                a = {k: a.get(k) for k in keys if a.get(k) != b.get(k)}
                b = {k: b.get(k) for k in a}
            sa, sb = repr(a), repr(b)
            self.bad.append(f"{where}: {what}: {sa[:300]} vs {sb[:300]}")
        return ok

    def fail(self, where, what):
        self.n += 1
        self.bad.append(f"{where}: {what}")


def num(s):
    s = str(s).strip().replace(",", "")
    try:
        return float(s)
    except ValueError:
        return None


# ---- the CSVs ---------------------------------------------------------------

def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


# ---- the workbook ----------------------------------------------------------

TOTAL = "合计"  # templates/workbook.ini [document] total_label: the first cell of a total row


def sheet_rows(wb, name, key="支部", totals=False):
    """Rows of a sheet as dicts keyed by the header row (the first row holding
    `key`); its total rows (first cell 合计) only when totals is set."""
    rows = []
    for ws in wb.worksheets:
        if ws.title != name and not re.fullmatch(re.escape(name) + r"\s*(\(\d+\))?\d*", ws.title):
            continue
        head = None
        for row in ws.iter_rows(values_only=True):
            if head is None:
                if key in row:
                    head = [str(h) if h is not None else "" for h in row]
                continue
            if all(v is None or v == "" for v in row):
                continue
            if (row[0] == TOTAL) == totals:
                rows.append({h: v for h, v in zip(head, row)})
    return rows


def check_totals(run, ck):
    """Every total row of the workbook: each figure (cached with the formula
    that makes it) is the sum of the column's rows; rates are not sums."""
    for ws in run.wb.worksheets:
        if "问题清单" in ws.title or "预警" in ws.title or "台账" in ws.title:
            continue
        name = re.sub(r"\s*\(\d+\)$", "", ws.title)
        totals = sheet_rows(run.wb, name, totals=True)
        if not totals or ws.title != name:
            continue
        rows = sheet_rows(run.wb, name)
        for t in totals:
            for col, v in t.items():
                if not isinstance(v, (int, float)) or "率" in col:
                    continue
                ck.same(f"{run.book} {name} {TOTAL}", f"{col} = the sum of its rows", v,
                        sum(r[col] for r in rows if isinstance(r.get(col), (int, float))), 0.005)


def workbook_cells(wb):
    """(sheet, column title, value) of every string cell under a header row."""
    for ws in wb.worksheets:
        head = None
        for row in ws.iter_rows(values_only=True):
            if head is None and any(isinstance(v, str) and v in ("支部", "代码", "类别", "党员编号") for v in row):
                head = [str(h) if h is not None else "" for h in row]
                for v in row:
                    if isinstance(v, str):
                        yield ws.title, "", v
                continue
            for i, v in enumerate(row):
                if isinstance(v, str):
                    yield ws.title, head[i] if head and i < len(head) else "", v


# ---- the PDFs ---------------------------------------------------------------

def pdf_text(path, mode, textdir):
    if textdir:
        alt = os.path.join(textdir, os.path.basename(path) + "." + mode + ".txt")
        if os.path.exists(alt):
            with open(alt, encoding="utf-8") as f:
                return f.read()
    out = subprocess.run(["pdftotext", "-" + mode, path, "-"], capture_output=True)
    text = out.stdout.decode("utf-8")
    return unturn_raw(text) if mode == "raw" else text


def unturn_raw(raw):
    """The page number and footer of a landscape page are turned a quarter (GB/T 9704
    10.2: where the portrait pages have them once the sheet is bound), and poppler's
    raw text gives a turned line a word a line: "—", "6", "—", then the footer's words.
    Put them back as the portrait pages have them: "— 6 —", then the footer on one line
    (learnt from a portrait page)."""
    lines = raw.split("\n")
    footer = None
    for i, line in enumerate(lines[:-1]):
        if PAGE_NUMBER.match(line.lstrip("\f")):
            footer = lines[i + 1]
            break
    out, i = [], 0
    while i < len(lines):
        line = lines[i]
        if line.lstrip("\f") == "—" and i + 2 < len(lines) and lines[i + 1].isdigit() and lines[i + 2] == "—":
            out.append(line[: len(line) - 1] + "— " + lines[i + 1] + " —")
            i += 3
            if footer:
                want, got, j = re.sub(r"\s+", "", footer), "", i
                while j < len(lines) and lines[j] and want.startswith(got + re.sub(r"\s+", "", lines[j])):
                    got += re.sub(r"\s+", "", lines[j])
                    j += 1
                    if got == want:
                        out.append(footer)
                        i = j
                        break
            continue
        out.append(line)
        i += 1
    return "\n".join(out)


def sections(text):
    """Heading title → its lines (page footers dropped)."""
    secs, cur = {}, ""
    secs[cur] = []
    for line in text.splitlines():
        m = HEADING.match(line)
        if m:
            cur = m.group(1).strip()
            secs.setdefault(cur, [])
            continue
        if FOOTER.search(line):
            continue
        secs[cur].append(line)
    return secs


def section(secs, word):
    for title, lines in secs.items():
        if word in title:
            return lines
    return []


def raw_section(raw, word, keep_space=False):
    """The raw (content-order) text from the heading holding `word` to the next heading,
    without white space (or with it, for tokens)."""
    out, on, footer_next = [], False, False
    for line in raw.splitlines():
        if footer_next:  # in content order the page foot comes first: "— 3 —", then its text
            footer_next = False
            continue
        if FOOTER.search(line):
            footer_next = bool(PAGE_NUMBER.match(line))
            continue
        m = HEADING.match(line)
        if m:
            on = word in m.group(1)
            continue
        if on:
            out.append(line)
    return "\n".join(out) if keep_space else re.sub(r"\s+", "", "".join(out))


def raw_rows(raw, keys):
    """Key → the raw text from that key to the next key (a table row whose cells wrap)."""
    at = sorted((raw.find(k), k) for k in keys if raw.find(k) >= 0)
    return {k: raw[i:at[j + 1][0] if j + 1 < len(at) else len(raw)] for j, (i, k) in enumerate(at)}


def section_rows(ck, name, raw, sec, members):
    """(workbook row, member id, PDF table row) of each member in the PDF section's table;
    a member without a row there is a difference."""
    rows = table_rows(raw_section(raw, sec, True), [r["党员编号"] for r in members], "党员编号")
    for r in members:
        mid = r["党员编号"]
        t = rows.get(mid)
        if t is None:
            ck.fail(name, f"{sec}: no row of {mid}")
            continue
        yield r, mid, t


def table_rows(raw_text, keys, stop):
    """Key → the tokens of its table row in a raw section: the cells are drawn in column
    order, so a row is the tokens after its key (a key may be wrapped over several
    tokens, e.g. a long branch name) up to the next key, or to `stop` (the first column
    title, where the header repeats on the next page) or a 合计 row (unless 合计 is a key)."""
    tok = raw_text.split()
    found = []
    stops = [stop] + ([] if "合计" in keys else ["合计"])
    for i in range(len(tok)):
        for k in list(keys) + stops:
            acc, j = "", i
            while j < len(tok) and len(acc) < len(k) and k.startswith(acc + tok[j]):
                acc += tok[j]
                j += 1
            if acc == k:
                found.append((i, j, k))
                break
    rows = {}
    for n, (i, j, k) in enumerate(found):
        if k not in rows and k not in stops:
            rows[k] = tok[j:found[n + 1][0] if n + 1 < len(found) else len(tok)]
    return rows


def grab(pattern, text, kind=int):
    m = re.search(pattern, text)
    if not m:
        return None
    return tuple(kind(g) for g in m.groups()) if len(m.groups()) > 1 else kind(m.group(1))


def pct(x):
    return None if x is None or x == "" else round(float(x) * 100, 1)


# ---- the run ------------------------------------------------------------------------------

class Run:
    def __init__(self, d, textdir, wording):
        import openpyxl  # Debian's python3-openpyxl
        self.dir = d
        self.textdir = textdir
        period = os.path.basename(os.path.normpath(d))
        self.kind = "monthly" if re.fullmatch(r"\d{4}-\d{2}", period) else "halfyear" if "H" in period else "annual"
        self.month = int(period[5:7]) if self.kind == "monthly" else None
        books = glob.glob(os.path.join(d, "*.xlsx"))
        if len(books) != 1:
            raise SystemExit(f"{d}: expected one workbook, found {len(books)}")
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            self.wb = openpyxl.load_workbook(books[0], data_only=True)
        self.book = os.path.basename(books[0])
        self.findings = read_csv(os.path.join(d, "findings.csv"))
        ev = os.path.join(d, "evaluation.csv")
        self.evaluation = read_csv(ev) if os.path.exists(ev) else None
        self.rules = {}  # code → words
        self.warning_words = {}  # WARN-CS-PACE, lapse_attendance, lapse_dues → words
        sec = None
        for line in open(wording, encoding="utf-8"):
            line = line.strip()
            if line.startswith("["):
                sec = line.strip("[]")
            elif sec == "rules" and "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                self.rules[k.strip().upper()] = v.strip()
            elif sec == "warnings" and "=" in line and not line.startswith("#"):
                k, v = line.split("=", 1)
                if k.strip() in ("WARN-CS-PACE", "lapse_attendance", "lapse_dues"):
                    self.warning_words[k.strip()] = v.strip()
        wp = os.path.join(d, "warnings.csv")
        self.warnings = read_csv(wp) if os.path.exists(wp) else None
        self.summary = {r["支部"]: r for r in sheet_rows(self.wb, "汇总")}
        self.branches = sorted(self.summary)
        self.pdfs = {}
        for p in sorted(glob.glob(os.path.join(d, "*.pdf"))):
            base = os.path.basename(p)
            owner = max((b for b in self.branches if base.startswith(b)), key=len, default=None)
            self.pdfs[owner] = p  # None: the unit report
        # findings by branch and rule, by member and rule
        self.f_rule = Counter((f["branch"], f["rule"]) for f in self.findings)
        self.f_branch = Counter(f["branch"] for f in self.findings)
        self.f_member = Counter((f["member_id"], f["rule"]) for f in self.findings if f["member_id"])
        self.f_member_period = {(f["member_id"], f["rule"], f["period"]) for f in self.findings if f["member_id"]}

    def text(self, path, mode):
        return pdf_text(path, mode, self.textdir)


def members_of(run, branch, sheet):
    return [r for r in sheet_rows(run.wb, sheet) if r.get("支部") == branch]


def area(code):
    return code[:2]


# ---- checks shared by every run --------------------------------------------------------------

def check_workbook(run, ck):
    """The workbook against the CSVs: 问题清单 rows and the 汇总 counts."""
    rows = sheet_rows(run.wb, "问题清单", "代码")
    ck.same(run.book, "问题清单 rows = findings.csv rows", len(rows), len(run.findings))
    ck.same(run.book, "问题清单 (rule, branch, member, detail) = findings.csv",
            Counter((r["代码"], r["支部"], r["党员编号"] or "", r["详情"]) for r in rows),
            Counter((f["rule"], f["branch"], f["member_id"], f["detail"]) for f in run.findings))
    names = {"TD": "主题党日问题", "AT": "出勤问题", "DU": "党费问题", "CS": "下沉问题"}
    for b, s in run.summary.items():
        w = f"{run.book} 汇总 {b}"
        ck.same(w, "问题合计 = findings.csv", int(s["问题合计"]), run.f_branch[b])
        for a, col in names.items():
            ck.same(w, col, int(s[col]), sum(n for (bb, c), n in run.f_rule.items() if bb == b and area(c) == a))
    totals = sheet_rows(run.wb, "汇总", totals=True)
    ck.same(run.book, "汇总 has one total row", len(totals), 1)
    if totals:
        ck.same(f"{run.book} 汇总 {TOTAL}", "问题合计 = findings.csv rows", totals[0]["问题合计"], len(run.findings))
        if run.evaluation is not None:
            grades = Counter(e["grade"] for e in run.evaluation)
            for g in ("优秀", "合格", "不合格"):
                ck.same(f"{run.book} 汇总 {TOTAL}", f"{g} = evaluation.csv", totals[0][g], grades[g])
    check_totals(run, ck)
    for sheet, col, v in workbook_cells(run.wb):
        if col in CODE_COLUMNS or sheet.startswith("输入问题"):
            continue
        if CODE.search(v):
            ck.fail(f"{run.book} {sheet} {col}", f"rule code or id in a cell: {v[:60]}")
        if FILES.search(v):
            ck.fail(f"{run.book} {sheet} {col}", f"file name in a cell: {v[:60]}")


def check_pdf_words(run, ck, path):
    text = run.text(path, "layout")
    name = os.path.basename(path)
    secs = sections(text)
    for title, lines in secs.items():
        if "数据问题" in title:
            continue
        for line in lines:
            for pat, what in ((CODE, "rule code or id"), (FILES, "input file name")):
                m = pat.search(line)
                if m:
                    ck.fail(name, f"{what} in the text: {line.strip()[:70]}")
    return text, secs


def check_problem_list(run, ck, path, branch, secs, word):
    """The PDF's 问题清单: its count, and its rows by rule name, against findings.csv."""
    name = os.path.basename(path)
    lines = "\n".join(section(secs, word))
    n = grab(r"共发现问题\s*(\d+)\s*条", lines)
    if n is None and re.search(r"未发现问题", lines):  # no finding: the sentence instead of the table
        n = 0
    ck.same(name, "问题清单: count in its text = findings.csv", n, run.f_branch[branch])
    raw = raw_section(run.text(path, "raw"), word)
    total = 0
    for code, words in run.rules.items():
        k = raw.count(re.sub(r"\s+", "", words))
        total += k
        ck.same(name, f"问题清单 rows of {code}", k, run.f_rule[(branch, code)])
    ck.same(name, "问题清单 rows", total, run.f_branch[branch])


# ---- monthly -------------------------------------------------------------------------------------

DUES_WORDS = {"未交": {"DU-UNPAID"}, "未足额": {"DU-SHORT"}, "逾期": {"DU-LATE"}, "未足额，逾期": {"DU-SHORT", "DU-LATE"},
              "按时足额": set(), "免交": set()}


def check_monthly(run, ck):
    ym = f"{os.path.basename(os.path.normpath(run.dir))}"
    dues = {(r["党员编号"]): r for r in sheet_rows(run.wb, "党费")}
    service = {(r["党员编号"]): r for r in sheet_rows(run.wb, "下沉社区")}
    att = sheet_rows(run.wb, "出勤")
    for b in run.branches:
        path = run.pdfs.get(b)
        if not path:
            ck.fail(b, "no PDF")
            continue
        name = os.path.basename(path)
        s = run.summary[b]
        text, secs = check_pdf_words(run, ck, path)
        m = grab(r"党员人数[：:]\s*(\d+)\s*名[（(]在职\s*(\d+)\s*名", text)
        ck.same(name, "党员人数 = workbook 党员", m and m[0], int(s["党员"]))
        ck.same(name, "在职 = workbook 在职", m and m[1], int(s["在职"]))
        ck.same(name, "主题党日 = workbook", grab(r"主题党日[：:]\s*(\d+)\s*次", text), int(s["主题党日"]))
        ck.same(name, "发现问题 = findings.csv", grab(r"发现问题[：:]\s*(\d+)\s*条", text), run.f_branch[b])
        rate = grab(r"出勤率\s*([\d.]+)%", "\n".join(section(secs, "出勤")), float)
        ck.same(name, "出勤率 = workbook", rate, pct(s["出勤率"]))
        check_problem_list(run, ck, path, b, secs, "问题清单")
        # dues rows: paid and the word, against the workbook and findings.csv
        raw = run.text(path, "raw")
        ok_months = 0
        members = [r for r in dues.values() if r["支部"] == b]
        for r, mid, t in section_rows(ck, name, raw, "党费", members):
            nums = [num(x) for x in t if re.fullmatch(r"[\d.]+", x)]
            ck.same(name, f"党费 {mid} 实交 = workbook", nums[1] if len(nums) > 1 else None, float(r["实交（元）"]))
            word = next((x for x in reversed(t) if x in DUES_WORDS), None)
            ck.same(name, f"党费 {mid} 情况 = workbook", word, r["情况"])
            want = {c for c in ("DU-UNPAID", "DU-SHORT", "DU-LATE") if (mid, c, ym) in run.f_member_period}
            ck.same(name, f"党费 {mid} 情况 = findings.csv", DUES_WORDS.get(word), want)
            ok_months += word in ("按时足额", "免交")
        if members:
            ck.same(run.book, f"汇总 {b} 党费按时足额率 = its 党费 rows", pct(s["党费按时足额率"]),
                    round(100.0 * ok_months / len(members), 1), 0.05)
        # service rows
        mine = [r for r in service.values() if r["支部"] == b]
        for r, mid, t in section_rows(ck, name, raw, "下沉社区", mine):
            nums = [num(x) for x in t if re.fullmatch(r"[\d.]+", x)]
            ck.same(name, f"下沉社区 {mid} (本月次数, 本月小时, 累计次数, 累计小时) = workbook", nums[:4],
                    [float(r["本月次数"]), float(r["本月小时"]), float(r["累计次数"]), float(r["累计小时"])])
            ck.same(name, f"下沉社区 {mid}: 本月无确认 = CS-MONTH", "本月无确认的服务" in "".join(t),
                    (mid, "CS-MONTH", ym) in run.f_member_period)
        # attendance: the PDF's 请假 and absence rows = the workbook's = AT-ABSENT
        ids = {r["党员编号"] for r in att if r["支部"] == b}
        pdf_leave, pdf_abs, who = Counter(), Counter(), None
        for x in raw_section(raw, "出勤", True).split():
            if x in ids:
                who = x
            elif who and x in ("请假", "缺席", "无签到记录"):
                (pdf_leave if x == "请假" else pdf_abs)[who] += 1
                who = None
        wb_leave = Counter(r["党员编号"] for r in att if r["支部"] == b and r["出勤"] == "请假")
        wb_abs = Counter(r["党员编号"] for r in att if r["支部"] == b and r["出勤"] in ("缺席", "无签到记录"))
        fd_abs = Counter(f["member_id"] for f in run.findings if f["branch"] == b and f["rule"] == "AT-ABSENT")
        ck.same(name, "请假 rows = workbook 出勤", pdf_leave, wb_leave)
        ck.same(name, "缺席 rows = workbook 出勤", pdf_abs, wb_abs)
        ck.same(name, "缺席 rows = AT-ABSENT", pdf_abs, fd_abs)
        present = sum(1 for r in att if r["支部"] == b and r["出勤"] == "出席")
        expected = sum(1 for r in att if r["支部"] == b)
        ck.same(run.book, f"出勤 {b}: rate of its rows = 汇总", round(100.0 * present / expected, 1) if expected else None,
                pct(s["出勤率"]), 0.05)


# ---- half-year ----------------------------------------------------------------------------------------

def check_halfyear(run, ck):
    half = {r["党员编号"]: r for r in sheet_rows(run.wb, "半年汇总")}
    svc = {r["党员编号"]: r for r in sheet_rows(run.wb, "下沉社区")}
    short_ids = {f["member_id"] for f in run.findings if f["rule"] in ("CS-COUNT", "CS-HOURS")}
    for b in run.branches:
        path = run.pdfs.get(b)
        if not path:
            ck.fail(b, "no PDF")
            continue
        name = os.path.basename(path)
        s = run.summary[b]
        text, secs = check_pdf_words(run, ck, path)
        mine = [r for r in half.values() if r["支部"] == b]
        intro = re.sub(r"\s+", "", text)
        m = re.search(r"应报告的在职党员(\d+)名", intro)
        n = int(m.group(1)) if m else 0 if re.search(r"没有需要报告下沉社区情况的在职党员", intro) else None
        ck.same(name, "在职党员 = workbook 在职", n, int(s["在职"]))
        ck.same(name, "在职党员 = workbook 半年汇总 rows", n, len(mine))
        m = re.search(r"经社区确认的活动共(\d+)次、([\d.]+)小时；(?:(\d+)名未达到|均达到)", intro)
        if m or mine:
            ck.same(name, "活动次数 = workbook 下沉次数", m and int(m.group(1)), int(s["下沉次数"]))
            ck.same(name, "小时 = workbook 下沉小时", m and float(m.group(2)), float(s["下沉小时"]), 0.001)
            ck.same(name, "未达到 = CS-COUNT/CS-HOURS members", m and int(m.group(3) or 0),
                    len([r for r in mine if r["党员编号"] in short_ids]))
        forms = len(re.findall(r"个人下沉社区情况报告表", text))
        ck.same(name, "forms = 在职党员", forms, len(mine))
        rows = table_rows(raw_section(run.text(path, "raw"), "汇总", True), [r["姓名"] for r in mine], "序号")
        for r in mine:
            mid = r["党员编号"]
            t = rows.get(r["姓名"])
            if t is None:
                ck.fail(name, f"汇总: no row of {r['姓名']}")
                continue
            nums = [num(x) for x in t if re.fullmatch(r"[\d.]+", x)]
            ck.same(name, f"汇总 {mid} (应服务月数, 确认次数, 确认小时, 最低次数, 最低小时) = workbook 半年汇总", nums[:5],
                    [float(r["应服务月数"]), float(r["确认次数"]), float(r["确认小时"]), float(r["应达次数"]),
                     float(r["应达小时"])] if r["应服务月数"] else nums[:5])
            word = next((x for x in t if x in ("达标", "未达标", "不作要求")), None)
            ck.same(name, f"汇总 {mid} 情况 = workbook 半年汇总", word, r["情况"])
            ck.same(name, f"汇总 {mid} 未达标 = findings.csv", word == "未达标", mid in short_ids)
            ck.same(run.book, f"下沉社区 {mid} 合计 = 半年汇总 确认小时", float(svc[mid]["合计（小时）"]),
                    float(r["确认小时"]), 0.001)
        # each form: its member's totals
        for form in re.split(r"个人下沉社区情况报告表", text)[1:]:
            mid = grab(r"党员编号[：:]\s*(\S+)", form, str)
            r = half.get(mid)
            if not r:
                ck.fail(name, f"a form of {mid}, not in 半年汇总")
                continue
            cnt = grab(r"下沉社区活动（次）\s+(\d+)", form)
            hrs = grab(r"服务时长（小时）\s+([\d.]+)", form, float)
            ck.same(name, f"form {mid} 次数 = 半年汇总", cnt, int(r["确认次数"]))
            ck.same(name, f"form {mid} 小时 = 半年汇总", hrs, float(r["确认小时"]), 0.001)


# ---- annual -------------------------------------------------------------------------------------------

GRADES = ("优秀", "合格", "不合格")


def check_annual(run, ck):
    ev = {e["member_id"]: e for e in run.evaluation}
    wb_ev = {r["党员编号"]: r for r in sheet_rows(run.wb, "考核结果")}
    dues = {r["党员编号"]: r for r in sheet_rows(run.wb, "党费")}
    att = {r["党员编号"]: r for r in sheet_rows(run.wb, "出勤")}
    svc = {r["党员编号"]: r for r in sheet_rows(run.wb, "下沉社区")}
    ck.same("evaluation.csv", "rows = workbook 考核结果", sorted(ev), sorted(wb_ev))
    for mid, e in ev.items():
        w = wb_ev.get(mid)
        if w:
            ck.same(run.book, f"考核结果 {mid} (得分, 等次, 理由) = evaluation.csv", (num(w["得分"]), w["等次"], w["评定理由"]),
                    (num(e["score"]), e["grade"], e["reasons"]))
    unit_rows = {}
    for b in run.branches:
        path = run.pdfs.get(b)
        if not path:
            ck.fail(b, "no PDF")
            continue
        name = os.path.basename(path)
        s = run.summary[b]
        text, secs = check_pdf_words(run, ck, path)
        mine = [e for e in run.evaluation if e["branch"] == b]
        grades = Counter(e["grade"] for e in mine)
        m = grab(r"参评党员[：:]\s*(\d+)\s*名", text)
        ck.same(name, "参评党员 = workbook 党员", m, int(s["党员"]))
        ck.same(name, "参评党员 = evaluation.csv rows", m, len(mine))
        cats = dict((c, int(n)) for c, n in re.findall(r"(在职|离退休|学生|流动)\s*(\d+)\s*名", "\n".join(section(secs, "基本情况"))))
        ck.same(name, "在职 = workbook 在职", cats.get("在职", 0), int(s["在职"]))
        ck.same(name, "categories = workbook 考核结果",
                cats, dict(Counter(r["类别"] for r in wb_ev.values() if r["支部"] == b)))
        ck.same(name, "主题党日 = workbook", grab(r"主题党日[：:]\s*(\d+)\s*次", text), int(s["主题党日"]))
        ck.same(name, "全年出勤率 = workbook 出勤率", grab(r"全年出勤率[：:]\s*([\d.]+)%", text, float), pct(s["出勤率"]))
        m = grab(r"确认活动\s*(\d+)\s*次，\s*([\d.]+)\s*小时", text, float)
        ck.same(name, "下沉社区 次数 = workbook", m and int(m[0]), int(s["下沉次数"]))
        ck.same(name, "下沉社区 小时 = workbook", m and m[1], float(s["下沉小时"]), 0.001)
        m = grab(r"考核结果[：:]\s*优秀\s*(\d+)\s*名，\s*合格\s*(\d+)\s*名，\s*不合格\s*(\d+)\s*名", text)
        ck.same(name, "考核结果 = evaluation.csv", m, tuple(grades[g] for g in GRADES))
        ck.same(run.book, f"汇总 {b} grades = evaluation.csv", tuple(int(s[g]) for g in GRADES),
                tuple(grades[g] for g in GRADES))
        m = re.search(r"本支部评为优秀(\d+)名、合格(\d+)名、不合格(\d+)名", re.sub(r"\s+", "", text))
        ck.same(name, "grades sentence = evaluation.csv", m and tuple(int(x) for x in m.groups()),
                tuple(grades[g] for g in GRADES))
        ck.same(name, "发现问题 = findings.csv", grab(r"发现问题[：:]\s*(\d+)\s*条", text), run.f_branch[b])
        check_problem_list(run, ck, path, b, secs, "问题清单")
        # grade rows and reasons
        raw = run.text(path, "raw")
        rows = table_rows(raw_section(raw, "考核评价结果", True), [e["member_id"] for e in mine], "序号")
        segs = raw_rows(raw_section(raw, "考核评价结果"), [e["member_id"] for e in mine])
        for e in mine:
            t = rows.get(e["member_id"])
            if t is None:
                ck.fail(name, f"grades: no row of {e['member_id']}")
                continue
            score = next((x for x in t if re.fullmatch(r"\d+\.\d", x)), None)
            grade = next((x for x in t if x in GRADES), None)
            ck.same(name, f"grade {e['member_id']} = evaluation.csv", (score, grade), (e["score"], e["grade"]))
            ck.same(name, f"reasons of {e['member_id']} = evaluation.csv",
                    re.sub(r"\s+", "", e["reasons"]) in segs.get(e["member_id"], ""), True)
        # service rows: per 在职 member
        names = {m: r["姓名"] for m, r in dues.items() if r["支部"] == b}
        rows = table_rows(raw_section(raw, "下沉社区", True), list(names.values()), "姓名")
        cnt = hrs = 0
        for mid, r in svc.items():
            if r["支部"] != b:
                continue
            t = rows.get(r["姓名"])
            if t is None:
                ck.fail(name, f"下沉社区: no row of {r['姓名']}")
                continue
            nums = [num(x) for x in t if re.fullmatch(r"[\d.]+", x)]
            ck.same(name, f"下沉社区 {mid} 小时 = workbook 合计", nums[2] if len(nums) > 2 else None,
                    float(r["合计（小时）"]), 0.001)
            ck.same(name, f"下沉社区 {mid} 小时 = sum of the workbook's months", float(r["合计（小时）"]),
                    sum(float(v) for k, v in r.items() if k.endswith("月小时") and num(v) is not None), 0.001)
            word = next((x for x in t if x in ("达标", "未达标", "不作要求")), None)
            ck.same(name, f"下沉社区 {mid} 未达标 = findings.csv", word == "未达标",
                    run.f_member[(mid, "CS-COUNT")] + run.f_member[(mid, "CS-HOURS")] > 0)
            cnt += nums[1] if len(nums) > 1 else 0
            hrs += nums[2] if len(nums) > 2 else 0
        ck.same(name, "下沉社区 次数 = sum of its rows", cnt, float(s["下沉次数"]))
        ck.same(name, "下沉社区 小时 = sum of its rows", hrs, float(s["下沉小时"]), 0.001)
        # dues ledger: the year's total and its problem months per member
        rows = table_rows(raw_section(raw, "党费", True), list(names.values()), "姓名")
        for mid, r in dues.items():
            if r["支部"] != b:
                continue
            t = [x for x in (rows.get(r["姓名"]) or []) if num(x) is not None]
            if len(t) < 2:
                ck.fail(name, f"党费: no row of {r['姓名']}")
                continue
            ck.same(name, f"党费 {mid} 全年实交 = workbook 合计", num(t[-2]), float(r["合计（元）"]), 0.001)
            months = {f["period"] for f in run.findings
                      if f["member_id"] == mid and f["rule"] in ("DU-UNPAID", "DU-SHORT", "DU-LATE")}
            ck.same(name, f"党费 {mid} 问题月数 = findings.csv", num(t[-1]), float(len(months)))
        # attendance grid: the year's present/held and absences per member
        rows = table_rows(raw_section(raw, "出勤", True), list(names.values()), "姓名")
        p_all = h_all = 0
        for mid, r in att.items():
            if r["支部"] != b:
                continue
            t = rows.get(r["姓名"]) or []
            k = max((i for i, x in enumerate(t) if re.fullmatch(r"\d+/\d+", x)), default=-1)
            if k < 0 or k + 1 >= len(t) or num(t[k + 1]) is None:
                ck.fail(name, f"出勤: no row of {r['姓名']}")
                continue
            t = t[:k + 2]
            p, h = (int(x) for x in t[-2].split("/"))
            wp = wh = 0
            for k, v in r.items():
                if k.endswith("月出席") and isinstance(v, str) and "/" in v:
                    a, c = v.split("/")
                    wp, wh = wp + int(a), wh + int(c)
            ck.same(name, f"出勤 {mid} 出席/应到 = workbook months", (p, h), (wp, wh))
            ck.same(run.book, f"出勤 {mid} 出勤率 = its months", pct(r["出勤率"]), round(100.0 * wp / wh, 1) if wh else None,
                    0.05)
            ck.same(name, f"出勤 {mid} 缺席 = AT-ABSENT", int(t[-1]), run.f_member[(mid, "AT-ABSENT")])
            wr = wb_ev.get(mid)
            if wr and h:
                ck.same(run.book, f"考核结果 {mid} 出勤 = 出席/应到", pct(wr["出勤"]), round(100.0 * p / h, 1), 0.05)
            p_all, h_all = p_all + p, h_all + h
        if h_all:
            ck.same(name, "全年出勤率 = its grid", round(100.0 * p_all / h_all, 1), pct(s["出勤率"]), 0.05)
        unit_rows[b] = s
    check_unit(run, ck, ev)


def check_unit(run, ck, ev):
    path = run.pdfs.get(None)
    if not path:
        ck.fail(run.dir, "no unit report")
        return
    name = os.path.basename(path)
    text, secs = check_pdf_words(run, ck, path)
    S = run.summary
    tot = lambda col: sum(float(S[b][col]) for b in run.branches)
    grades = Counter(e["grade"] for e in ev.values())
    ck.same(name, "党支部 = branches", grab(r"党支部[：:]\s*(\d+)\s*个", text), len(run.branches))
    m = grab(r"参评党员[：:]\s*(\d+)\s*名[（(]在职\s*(\d+)\s*名", text)
    ck.same(name, "参评党员 = evaluation.csv", m and m[0], len(ev))
    ck.same(name, "在职 = workbook", m and m[1], int(tot("在职")))
    m = grab(r"确认活动\s*(\d+)\s*次，\s*([\d.]+)\s*小时", text, float)
    ck.same(name, "下沉次数 = workbook", m and m[0], tot("下沉次数"))
    ck.same(name, "下沉小时 = workbook", m and m[1], tot("下沉小时"), 0.001)
    m = grab(r"考核结果[：:]\s*优秀\s*(\d+)\s*名，\s*合格\s*(\d+)\s*名，\s*不合格\s*(\d+)\s*名", text)
    ck.same(name, "考核结果 = evaluation.csv", m, tuple(grades[g] for g in GRADES))
    ck.same(name, "发现问题 = findings.csv", grab(r"发现问题[：:]\s*(\d+)\s*条", text), len(run.findings))
    raw = run.text(path, "raw")
    rows = table_rows(raw_section(raw, "各支部", True), run.branches + ["合计"], "党支部")
    for b in run.branches + ["合计"]:
        t = rows.get(b)
        if t is None:
            ck.fail(name, f"各支部情况: no row of {b}")
            continue
        vals = [num(x) for x in t]
        s = S.get(b)
        want = ([float(s[c]) for c in ("党员", "在职", "下沉次数", "下沉小时")] if s else
                [tot("党员"), tot("在职"), tot("下沉次数"), tot("下沉小时")])
        ck.same(name, f"各支部情况 {b} (党员, 在职, 下沉次数, 服务小时) = workbook", vals[:4], want)
        g = Counter(e["grade"] for e in ev.values() if e["branch"] == b) if s else grades
        ck.same(name, f"各支部情况 {b} grades, 问题 = evaluation.csv, findings.csv", vals[-4:],
                [float(g[x]) for x in GRADES] + [float(run.f_branch[b] if s else len(run.findings))])
    cats = Counter(r["类别"] for r in sheet_rows(run.wb, "考核结果"))
    rows = table_rows(raw_section(raw, "党员情况", True), list(cats) + ["合计"], "人员类别")
    for c, n in cats.items():
        t = rows.get(c)
        ck.same(name, f"党员情况 {c} = workbook 考核结果", t and num(t[0]), float(n))
    lines = section(secs, "下沉社区")
    short = {f["member_id"] for f in run.findings if f["rule"] in ("CS-COUNT", "CS-HOURS")}
    ck.same(name, "未达到最低要求 = CS-COUNT/CS-HOURS members", grab(r"未达到最低要求[：:]\s*(\d+)\s*名", "\n".join(lines)),
            len(short))
    ck.same(name, "未确认记录 = CS-UNCONFIRMED", grab(r"未确认记录（不计入）[：:]\s*(\d+)\s*条", "\n".join(lines)),
            sum(1 for f in run.findings if f["rule"] == "CS-UNCONFIRMED"))
    rows = table_rows(raw_section(raw, "比例核查", True), run.branches, "党支部")
    for b in run.branches:
        t = rows.get(b)
        if t:
            ck.same(name, f"优秀比例核查 {b} (参评, 评为优秀) = evaluation.csv", (num(t[0]), num(t[2])),
                    (float(sum(1 for e in ev.values() if e["branch"] == b)),
                     float(sum(1 for e in ev.values() if e["branch"] == b and e["grade"] == "优秀"))))
    rows = table_rows(raw_section(raw, "发现的问题", True), list(run.rules.values()), "问题")
    by_rule = Counter(f["rule"] for f in run.findings)
    for code, words in run.rules.items():
        t = rows.get(words)
        got = (num(t[0]), num(t[1])) if t and len(t) > 1 else (0.0, 0.0)
        ck.same(name, f"发现的问题 {code} (条数, 涉及支部) = findings.csv", got,
                (float(by_rule[code]), float(len({f["branch"] for f in run.findings if f["rule"] == code}))))


# ---- 预警 and 整改 -------------------------------------------------------------------------------

def warning_word(run, w):
    """The words a PDF and the 预警 sheet give a warnings.csv row."""
    if w["rule"] == "WARN-CS-PACE":
        return run.warning_words.get("WARN-CS-PACE", "")
    return run.warning_words.get("lapse_dues" if "党费" in w["detail"] else "lapse_attendance", "")


def check_warnings(run, ck):
    """Per branch: warnings.csv = the 预警 sheet = the PDF's 预警名单 (count, who and what, the sentences)."""
    if run.kind == "annual":
        ck.same(run.dir, "annual: no warnings.csv", run.warnings, None)
        ck.same(run.book, "annual: no 预警 sheet", "预警" in run.wb.sheetnames, False)
        return
    if run.warnings is None:
        ck.fail(run.dir, "no warnings.csv")
        return
    ck.same("warnings.csv", "no finding among the warnings",
            [w["rule"] for w in run.warnings if not w["rule"].startswith("WARN-")], [])
    sheet = sheet_rows(run.wb, "预警")
    for b in run.branches:
        mine = [w for w in run.warnings if w["branch"] == b]
        rows = [r for r in sheet if r.get("支部") == b]
        ck.same(run.book, f"预警 {b} (党员编号, 代码) = warnings.csv", Counter((r["党员编号"], r["代码"]) for r in rows),
                Counter((w["member_id"], w["rule"]) for w in mine))
        ck.same(run.book, f"预警 {b} (姓名, 预警) = warnings.csv", Counter((r["姓名"], r["预警"]) for r in rows),
                Counter((w["name"], warning_word(run, w)) for w in mine))
        path = run.pdfs.get(b)
        if not path:
            continue
        name = os.path.basename(path)
        lines = re.sub(r"\s+", "", "".join(section(sections(run.text(path, "layout")), "预警名单")))
        n = grab(r"预警(\d+)条", lines)
        if n is None and "没有需要预警的党员" in lines:
            n = 0
        ck.same(name, "预警名单: count = warnings.csv", n, len(mine))
        raw = raw_section(run.text(path, "raw"), "预警名单")
        for r in rows:
            ck.same(name, f"预警名单 {r['姓名']} {r['预警']}: 情况 and 还需 = workbook",
                    re.sub(r"\s+", "", r["情况"]) in raw and re.sub(r"\s+", "", r["还需"]) in raw, True)
        ck.same(name, "预警名单 (name, warning) = workbook",
                Counter(w for w in run.warning_words.values() if w in raw for _ in range(raw.count(w))),
                Counter(r["预警"] for r in rows))


def ledger_kind(result):
    return ("before" if result.startswith("此前已销号") else "closed" if result.startswith("已销号")
            else "contradicted" if result.startswith("标记已整改") else "open")


def check_rectification(run, ck):
    """Per branch: the PDF's 问题整改情况 (counts, names) = the 整改台账 sheet."""
    if run.kind == "halfyear":
        ck.same(run.book, "half-year: no 整改台账 sheet", "整改台账" in run.wb.sheetnames, False)
        return
    rows = [r for r in sheet_rows(run.wb, "整改台账") if "/" in str(r.get("问题编号") or "")]
    for b in run.branches:
        path = run.pdfs.get(b)
        if not path:
            continue
        name = os.path.basename(path)
        mine = [r for r in rows if r["支部"] == b]
        kinds = Counter(ledger_kind(r["核对结果"]) for r in mine)
        text = re.sub(r"\s+", "", "".join(section(sections(run.text(path, "layout")), "问题整改情况")))
        if "没有提供整改台账" in text:
            ck.same(name, "问题整改情况: no ledger = 整改台账 sheet empty", len(rows), 0)
            continue
        m = re.search(r"仍未整改(\d+)个，标记已整改但数据仍显示问题(\d+)个，(?:本月销号|已销号)(\d+)个", text)
        got = tuple(int(x) for x in m.groups()) if m else (0, 0, 0) if "整改台账中没有本支部" in text else None
        before = grab(r"此前已销号(\d+)个", text) or 0
        ck.same(name, "问题整改情况 (仍未整改, 标记已整改…, 销号, 此前已销号) = 整改台账",
                got and got + (before,), (kinds["open"], kinds["contradicted"], kinds["closed"], kinds["before"]))
        raw = raw_section(run.text(path, "raw"), "问题整改情况")
        listed = sorted({r["姓名"] for r in mine if r["姓名"] and ledger_kind(r["核对结果"]) != "before"})
        ck.same(name, "问题整改情况: the 整改台账's names are listed", [n for n in listed if n in raw], listed)


def main(argv):
    import argparse
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--text")
    here = os.path.dirname(os.path.abspath(__file__))
    ap.add_argument("--wording", default=os.path.join(here, "..", "..", "templates", "wording.ini"))
    a = ap.parse_args(argv)
    run = Run(a.dir, a.text, a.wording)
    ck = Checker()
    for fn in (check_workbook, {"monthly": check_monthly, "halfyear": check_halfyear, "annual": check_annual}[run.kind],
               check_warnings, check_rectification):
        try:
            fn(run, ck)
        except (KeyError, TypeError, ValueError, IndexError) as e:  # an output without the figure at all
            ck.fail(a.dir, f"{fn.__name__}: cannot read a figure ({type(e).__name__}: {e})")
    for line in ck.bad[:60]:
        print(line)
    print(f"{a.dir}: {ck.n} figures compared, {len(ck.bad)} differ")
    return 1 if ck.bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
