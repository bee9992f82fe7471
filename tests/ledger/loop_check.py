#!/usr/bin/env python3
"""loop_check.py DIR MONTH — what the rectification loop of tests/e2e/ledger_loop.sh
must show in one run's output DIR (output/2022-09 or output/2022-10), read
back as a secretary sees it: each branch PDF's 问题整改情况 section with
pdftotext (its counts, and exactly who is in each table, with the age of
the open ones), and the workbook's 整改台账 sheet with openpyxl (exactly its
problem ids, with what the check gave, the age, the mark and 销号月份).

Prints one line per difference; exits 1 when any.
"""
import csv
import glob
import os
import re
import subprocess
import sys
import warnings

try:
    import openpyxl
except ImportError:
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

CAPTIONS = {"open": "仍未整改的问题", "contradicted": "标记已整改但数据仍显示问题（请核实数据，或继续整改）",
            "closed": "本月销号的问题"}
TD_HELD = "当月未按要求开展主题党日"

# September, the ledger being the August workbook as secretary.py filled it in.
SEPT = {
    "pdf": {  # branch: (open, contradicted, closed, closed before), {kind: {who: age}}
        "数学与统计学院教工党支部": ((1, 1, 0, 0), {"open": {"叶俊晨": "全年"}, "contradicted": {"曹哲松": None}}),
        "文学院学生党支部": ((0, 0, 1, 0), {"closed": {TD_HELD: None}}),
        "文学院教工党支部": ((1, 0, 0, 0), {"open": {"胡健新": "1个月"}}),
        "机关第一党支部": ((1, 1, 1, 0), {"open": {"钱立凯": "1个月"}, "contradicted": {"钱明博": None},
                                      "closed": {"廖杰博": None}}),
        "离退休教职工党支部": ((1, 0, 0, 0), {"open": {"蔡宇航": "全年"}}),
        "附属实验小学党支部": ((0, 0, 0, 0), {}),
    },
    "sheet": {  # problem id: (核对结果, 已有, 整改情况, 销号月份)
        "DU-RATE/QZ0209/2022": ("仍未整改", "全年", "整改中", None),
        "AT-ABSENT/QZ0207/M2022-08-SX": ("标记已整改但数据仍显示问题", "1个月", "已整改", None),
        "TD-HELD/文学院学生党支部/2022-08": ("已销号", "1个月", "无需整改", "2022-09"),
        "CS-MONTH/QZ0110/2022-08": ("仍未整改", "1个月", "整改中", None),
        "DU-UNPAID/QZ0310/2022-08": ("仍未整改", "1个月", "未整改", None),
        "CS-MONTH/QZ0308/2022-08": ("标记已整改但数据仍显示问题", "1个月", "已整改", None),
        "CS-MONTH/QZ0305/2022-08": ("已销号", "1个月", "已整改", "2022-09"),
        "DU-RATE/QZ0406/2022": ("仍未整改", "全年", "未整改", None),
    },
}


def october(sept_findings):
    """October, the ledger being the September workbook as the run wrote it: the closed
    ones were listed in September (此前已销号), the rest a month older, and September's
    own problems (its 问题清单, all blank) open for a month."""
    sheet = {}
    for pid, (res, age, mark, closed) in SEPT["sheet"].items():
        if closed:
            res = "此前已销号"
        age = "2个月" if age == "1个月" else age
        sheet[pid] = (res, age, mark, closed)
    for pid in sept_findings:
        if pid not in sheet:
            sheet[pid] = ("仍未整改", "全年" if pid.startswith("DU-RATE/") else "1个月", "未整改", None)
    return sheet


def section_text(pdf):
    raw = subprocess.run(["pdftotext", "-raw", pdf, "-"], capture_output=True).stdout.decode()
    m = re.search(r"[一二三四五六七八九十]+、问题整改情况\n(.*?)\n[一二三四五六七八九十]+、", raw, re.S)
    if not m:
        return None
    lines = [l for l in m.group(1).splitlines() if not re.search(r"—\s*\d+\s*—", l)]
    return re.sub(r"\s+", "", "".join(lines))


def parts(text):
    """The section's tables by kind (caption to the next caption)."""
    at = sorted((text.find(c), k, c) for k, c in CAPTIONS.items() if text.find(c) >= 0)
    return {k: text[i + len(c):at[j + 1][0] if j + 1 < len(at) else len(text)] for j, (i, k, c) in enumerate(at)}


def main(d, month):
    bad = []
    names = {}
    with open(os.path.join(os.environ.get("INPUT", "input"), "members.csv"), encoding="utf-8-sig") as f:
        for r in csv.DictReader(f):
            names.setdefault(r["branch"], []).append(r["name"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(glob.glob(os.path.join(d, "*.xlsx"))[0])
    if month == "2022-10":
        prev = openpyxl.load_workbook(os.environ["SEPT_BOOK"])
        ws = prev["问题清单"]
        sept_ids = [r[0] for r in ws.iter_rows(min_row=2, values_only=True) if r[0]]
        want_sheet = october(sept_ids)
        want_pdf = None
    else:
        want_sheet, want_pdf = SEPT["sheet"], SEPT["pdf"]
    # the PDFs
    for branch, (counts, tables) in (want_pdf or {}).items():
        pdf = os.path.join(d, branch + ".pdf")
        text = section_text(pdf)
        if text is None:
            bad.append(f"{branch}: no 问题整改情况 section")
            continue
        m = re.search(r"仍未整改(\d+)个，标记已整改但数据仍显示问题(\d+)个，本月销号(\d+)个。", text)
        got = tuple(int(x) for x in m.groups()) + (0,) if m else None
        if not m and "整改台账中没有本支部以前月份的问题" in text:
            got = (0, 0, 0, 0)
        before = re.search(r"此前已销号(\d+)个", text)
        if got and before:
            got = got[:3] + (int(before.group(1)),)
        if got != counts:
            bad.append(f"{branch}: counts {got} != {counts}")
        p = parts(text)
        for kind in CAPTIONS:
            rows = {}
            for who in names.get(branch, []) + [TD_HELD]:
                t = p.get(kind, "")
                if who in t:
                    a = re.search(re.escape(who) + r".{0,30}?(\d+个月|全年|本月)", t)
                    rows[who] = a.group(1) if kind == "open" and a else None
            if rows != tables.get(kind, {}):
                bad.append(f"{branch}: {kind}: {rows} != {tables.get(kind, {})}")
    # the workbook's 整改台账
    ws = wb["整改台账"]
    head, got = None, {}
    for row in ws.iter_rows(values_only=True):
        if head is None:
            if row and row[0] == "问题编号":
                head = list(row)
            continue
        if not row[0]:
            continue
        r = dict(zip(head, row))
        got[r["问题编号"]] = (r["核对结果"], r["已有"], r["整改情况"], r["销号月份"])
    for pid in sorted(set(got) | set(want_sheet)):
        if got.get(pid) != want_sheet.get(pid):
            bad.append(f"整改台账 {pid}: {got.get(pid)} != {want_sheet.get(pid)}")
    for line in bad:
        print(line)
    print(f"{d}: {len(want_sheet)} ledger rows, {len(want_pdf or {})} PDFs checked, {len(bad)} differ")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
