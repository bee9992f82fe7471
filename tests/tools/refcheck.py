#!/usr/bin/env python3
"""A small, independent reading of the SPEC rules, for checking generated data.

    python3 tests/tools/refcheck.py INPUT_DIR --month 2022-09
    python3 tests/tools/refcheck.py INPUT_DIR --year 2022 [--eval]

Prints `rule,branch,member_id,period` lines (sorted like findings.csv, without
names and details) and, with --eval, `member_id,branch,score,grade`.  It
assumes clean UTF-8 input in ISO dates and the default rules (no [deadlines]
entries); it is a test aid, not the product.  Standard library only.
"""
import csv
import datetime as dt
import math
import os
import sys
from collections import defaultdict

ACTIONS = ["奏唱国歌", "重温入党誓词", "诵读党章", "交纳党费", "讲授微党课", "集中学习讨论"]
WHOLE = ("主题党日", "支部党员大会")
YES = ("是", "y", "yes", "1", "true")


def read(d, name):
    p = os.path.join(d, name)
    if not os.path.exists(p):
        return []
    with open(p, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def D(s):
    return dt.date.fromisoformat(s) if s else None


def cents(s):
    return round(float(s) * 100)


def run(d, year, last_month, annual, want_eval):
    mem = read(d, "members.csv")
    meets = read(d, "meetings.csv")
    att = read(d, "attendance.csv")
    dues = read(d, "dues.csv")
    serv = read(d, "service.csv")
    exm = read(d, "exemptions.csv")
    months = range(1, last_month + 1)
    report_months = set(months) if annual else {last_month}
    m_by = {m["member_id"]: m for m in mem}
    for m in mem:
        m["j"], m["l"] = D(m.get("joined")), D(m.get("left"))
        m["cat"] = m.get("category") or "在职"
        m["dues_c"] = cents(m["monthly_dues"])
    ex = defaultdict(list)
    for e in exm:
        ex[e["member_id"]].append((D(e["from"]), D(e["to"])))

    def member_in(m, mo):
        d15 = dt.date(year, mo, 15)
        return (m["j"] is None or m["j"] <= d15) and (m["l"] is None or m["l"] >= d15)

    def eligible(m, mo):
        d15 = dt.date(year, mo, 15)
        return (m["cat"] == "在职" and member_in(m, mo)
                and not any(a <= d15 <= b for a, b in ex[m["member_id"]]))

    F = []

    def add(rule, branch, mid, period):
        F.append((branch, rule, mid, period))

    branches = sorted({m["branch"] for m in mem})
    rows = defaultdict(dict)          # meeting -> member -> status
    for a in att:
        rows[a["meeting_id"]][a["member_id"]] = a["status"]
    mt_list = []
    for mt in meets:
        mt["d"] = D(mt["date"])
        mt["kind"] = mt.get("kind") or "主题党日"
        if mt["d"].year == year and mt["d"].month <= last_month:
            mt_list.append(mt)
    # TD rules
    for b in branches:
        for mo in report_months:
            if not any(m["branch"] == b and member_in(m, mo) for m in mem):
                continue
            n = sum(1 for mt in mt_list if mt["branch"] == b and mt["kind"] == "主题党日"
                    and mt["d"].month == mo)
            if n < 1:
                add("TD-HELD", b, "", "%d-%02d" % (year, mo))
    for mt in mt_list:
        if mt["kind"] != "主题党日" or mt["d"].month not in report_months:
            continue
        b = mt["branch"]
        if mt["d"].day > 22:
            add("TD-LATE", b, "", mt["meeting_id"])
        got = {x.strip() for x in mt.get("actions", "").replace("；", "、").replace(";", "、")
               .replace(",", "、").split("、")}
        if any(a not in got for a in ACTIONS):
            add("TD-ACTIONS", b, "", mt["meeting_id"])
        if not rows.get(mt["meeting_id"]) or (mt.get("minutes") or "").lower() not in YES:
            add("TD-RECORD", b, "", mt["meeting_id"])
    # attendance
    for m in mem:
        i, b = m["member_id"], m["branch"]
        streak, reported = 0, False
        for mo in months:
            if not member_in(m, mo):
                continue
            wb = [mt for mt in mt_list if mt["branch"] == b and mt["kind"] in WHOLE
                  and mt["d"].month == mo and rows.get(mt["meeting_id"])]
            for mt in wb:
                st = rows[mt["meeting_id"]].get(i)
                if (st is None or st == "缺席") and mo in report_months:
                    add("AT-ABSENT", b, i, mt["meeting_id"])
            td = [mt for mt in wb if mt["kind"] == "主题党日"]
            if (m.get("leader") or "").lower() in YES and td and mo in report_months:
                if not any(rows[mt["meeting_id"]].get(i) == "出席" for mt in td):
                    add("AT-LEADER", b, i, "%d-%02d" % (year, mo))
            if wb:
                if any(rows[mt["meeting_id"]].get(i) in ("出席", "请假") for mt in wb):
                    streak, reported = 0, False
                else:
                    streak += 1
                    if streak >= 6 and not reported:
                        reported = True
                        if mo in report_months:
                            add("AT-LAPSE", b, i, "%d-%02d" % (year, mo))
    # dues
    paid = defaultdict(list)
    for r in dues:
        paid[(r["member_id"], r["month"][:7])].append(r)
    for m in mem:
        i, b = m["member_id"], m["branch"]
        if m["dues_c"] == 0:
            continue
        streak, reported = 0, False
        for mo in months:
            if not member_in(m, mo):
                continue
            key = "%d-%02d" % (year, mo)
            rs = paid.get((i, key), [])
            tot = sum(cents(r["amount"]) for r in rs)
            last = dt.date(year + (mo == 12), mo % 12 + 1, 1) - dt.timedelta(days=1)
            rep = mo in report_months
            if tot == 0:
                if rep:
                    add("DU-UNPAID", b, i, key)
                streak += 1
                if streak >= 6 and not reported:
                    reported = True
                    if rep:
                        add("DU-LAPSE", b, i, key)
            else:
                streak, reported = 0, False
                if tot < m["dues_c"] and rep:
                    add("DU-SHORT", b, i, key)
                if any(r.get("paid_on") and D(r["paid_on"]) > last for r in rs) and rep:
                    add("DU-LATE", b, i, key)
        if m.get("dues_base") and any(member_in(m, mo) for mo in report_months):
            base = int(float(m["dues_base"]))
            cat = m["cat"]
            if cat == "学生":
                need = 20
            elif cat == "离退休":
                need = base * (5 if base <= 5000 else 10) // 10
            else:
                r = 5 if base <= 3000 else 10 if base <= 5000 else 15 if base <= 10000 else 20
                need = base * r // 10
            if m["dues_c"] < need - 1:
                add("DU-RATE", b, i, str(year))
    # service
    cnt = defaultdict(int)
    hrs = defaultdict(float)
    per_month = defaultdict(int)
    for r in serv:
        d = D(r["date"])
        m = m_by[r["member_id"]]
        if d.year != year or d.month > last_month:
            continue
        if not (r.get("confirmed_by") or "").strip():
            if d.month in report_months:
                add("CS-UNCONFIRMED", m["branch"], m["member_id"], r["date"])
            continue
        if not member_in(m, d.month):
            continue
        cnt[m["member_id"]] += 1
        hrs[m["member_id"]] += float(r["hours"])
        per_month[(m["member_id"], d.month)] += 1
    minh = {}
    for m in mem:
        i = m["member_id"]
        el = [mo for mo in months if eligible(m, mo)]
        for mo in el:
            if mo in report_months and per_month[(i, mo)] < 1:
                add("CS-MONTH", m["branch"], i, "%d-%02d" % (year, mo))
        f = 0.5 if m.get("special_post") else 1.0
        nmin = math.ceil(5 * len(el) / 12 * f - 1e-9)
        hmin = math.ceil(20 * len(el) / 12 * f * 2 - 1e-9) / 2
        minh[i] = hmin
        if annual and el:
            if cnt[i] < nmin:
                add("CS-COUNT", m["branch"], i, str(year))
            if hrs[i] < hmin:
                add("CS-HOURS", m["branch"], i, str(year))
    F.sort()
    for b, rule, i, p in F:
        print("%s,%s,%s,%s" % (rule, b, i, p))
    if not want_eval:
        return
    per = defaultdict(lambda: defaultdict(int))
    for b, rule, i, p in F:
        if i:
            per[i][rule] += 1
    res = []
    for m in mem:
        i, b = m["member_id"], m["branch"]
        mm = [mo for mo in months if member_in(m, mo)]
        if not mm:
            continue
        wb = [mt for mt in mt_list if mt["branch"] == b and mt["kind"] in WHOLE
              and mt["d"].month in mm and rows.get(mt["meeting_id"])]
        a = (sum(1 for mt in wb if rows[mt["meeting_id"]].get(i) == "出席") / len(wb)) if wb else 1
        bad = {(p) for (bb, rule, ii, p) in F if ii == i and rule in ("DU-UNPAID", "DU-SHORT", "DU-LATE")}
        du = (len(mm) - len(bad)) / len(mm) if m["dues_c"] else 1
        sv = min(1, hrs[i] / minh[i]) if minh[i] else 1
        score = math.floor((40 * a + 30 * du + 30 * sv) / 100 * 1000 + 0.5 + 1e-9) / 10
        f = per[i]
        fail = any(f[k] for k in ("CS-COUNT", "CS-HOURS", "DU-LAPSE", "AT-LAPSE")) or f["AT-ABSENT"] > 3
        clean = not any(v for k, v in f.items() if k != "CS-UNCONFIRMED")
        res.append([i, b, score, "不合格" if fail else "合格", clean])
    for b in branches:
        rs = [r for r in res if r[1] == b]
        cap = math.floor(0.30 * len(rs) + 1e-9)
        cands = sorted((r for r in rs if r[4] and r[3] == "合格" and r[2] >= 90), key=lambda r: -r[2])
        used = 0
        for sc in sorted({r[2] for r in cands}, reverse=True):
            g = [r for r in cands if r[2] == sc]
            if used + len(g) > cap:
                break
            for r in g:
                r[3] = "优秀"
            used += len(g)
    for r in sorted(res, key=lambda r: (r[1], r[0])):
        print("EVAL,%s,%s,%.1f,%s" % (r[0], r[1], r[2], r[3]))


def main(argv):
    d = argv[1]
    if argv[2] == "--month":
        y, mo = map(int, argv[3].split("-"))
        run(d, y, mo, False, False)
    else:
        run(d, int(argv[3]), 12, True, "--eval" in argv)


if __name__ == "__main__":
    main(sys.argv)
