#!/usr/bin/env python3
"""to_platform.py SRC DST — rewrite a zhibu input directory the way real
party-building platforms and Excel export it (SPEC items 14–19), with the
same data:

  members.csv     GBK + CRLF; 所属党支部, 是否领导干部, 月缴党费, 入党时间,
                  转出时间; dates with a time (2010-01-01 00:00:00); extra
                  columns 序号, 性别 a platform adds
  meetings.csv    tab-separated, UTF-8 with BOM; 开展时间 with a time
                  (2022-09-15T14:30:00); the branch under 所属党支部, which
                  is no alias of meetings.csv: rules.ini maps it
                  ([columns.meetings] branch = 所属党支部)
  attendance.csv  ;-separated; 签到状态
  dues.csv        GBK + CRLF; 缴费月份, 实缴党费, 缴费时间 (2022/9/10 0:00:00),
                  缴费状态: 已缴费 for every payment, and rows that pay
                  nothing: 待缴费 for each month of the year a member has no
                  payment for, 支付失败 (dated after the deadline) before some
                  payments
  service.csv     CRLF; 服务时间 (2022-09-03 09:00), 服务时长
  exemptions.csv  GBK

zhibu must give the same findings.csv (and evaluation.csv) for DST as for
SRC.  rules.ini of SRC (if any) is copied with the [columns.meetings]
section added.
"""
import csv
import os
import sys

src, dst = sys.argv[1], sys.argv[2]
os.makedirs(dst, exist_ok=True)


def read(name):
    path = os.path.join(src, name)
    if not os.path.exists(path):
        return None
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def write(name, header, rows, encoding="utf-8", delimiter=",", crlf=False):
    with open(os.path.join(dst, name), "w", encoding=encoding, newline="") as f:
        w = csv.writer(f, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
        w.writerow(header)
        w.writerows(rows)


def with_time(d, form):
    """a date as platforms write it, with a time of day"""
    if not d:
        return d
    y, m, dd = d.split("-")
    if form == "slash":
        return f"{int(y)}/{int(m)}/{int(dd)} 0:00:00"
    if form == "iso":
        return f"{d}T14:30:00"
    if form == "minutes":
        return f"{d} 09:00"
    return f"{d} 00:00:00"


members = read("members.csv")
write("members.csv",
      ["序号", "党员编号", "姓名", "性别", "所属党支部", "所在单位", "人员类别", "特殊岗位", "是否领导干部",
       "月缴党费", "党费基数", "入党时间", "转出时间"],
      [[i + 1, m["member_id"], m["name"], "男" if i % 2 else "女", m["branch"], m["unit"], m["category"],
        m["special_post"], m["leader"], m["monthly_dues"], m["dues_base"], with_time(m["joined"], "seconds"),
        with_time(m["left"], "slash")] for i, m in enumerate(members)],
      encoding="gb18030", crlf=True)

meetings = read("meetings.csv")
write("meetings.csv", ["活动编号", "所属党支部", "开展时间", "活动类型", "主题", "规定动作", "会议记录"],
      [[m["meeting_id"], m["branch"], with_time(m["date"], "iso"), m["kind"], m["topic"], m["actions"], m["minutes"]]
       for m in meetings], encoding="utf-8-sig", delimiter="\t")

att = read("attendance.csv")
write("attendance.csv", ["活动编号", "党员编号", "签到状态", "备注"],
      [[a["meeting_id"], a["member_id"], a["status"], a["reason"]] for a in att], delimiter=";")

dues = read("dues.csv")
year = None
for d in dues:
    year = year or d["month"][:4]
paid = {(d["member_id"], d["month"]) for d in dues}
rows = []
for i, d in enumerate(dues):
    if i % 7 == 3 and d["paid_on"]:
        # a failed try after the month's end, then the payment: no DU-LATE, no duplicate
        y, m = int(d["month"][:4]), int(d["month"][5:])
        late = f"{y + (m == 12)}/{m % 12 + 1}/20 10:00:00"
        rows.append([d["member_id"], d["month"], d["amount"], late, d["channel"], "支付失败"])
    rows.append([d["member_id"], d["month"], d["amount"], with_time(d["paid_on"], "slash"), d["channel"], "已缴费"])
for m in members:
    for mo in range(1, 13):
        month = f"{year}-{mo:02d}"
        if (m["member_id"], month) not in paid:
            # a bill still owed: kept, counted as nothing; some with no amount at all
            rows.append([m["member_id"], month, m["monthly_dues"] if mo % 2 else "", "", "", "待缴费"])
write("dues.csv", ["党员编号", "缴费月份", "实缴党费", "缴费时间", "渠道", "缴费状态"], rows,
      encoding="gb18030", crlf=True)

svc = read("service.csv")
write("service.csv", ["党员编号", "服务时间", "服务时长", "社区", "服务内容", "确认人", "群众评价"],
      [[s["member_id"], with_time(s["date"], "minutes"), s["hours"], s["community"], s["content"], s["confirmed_by"],
        s["rating"]] for s in svc], crlf=True)

exm = read("exemptions.csv")
if exm is not None:
    write("exemptions.csv", ["党员编号", "事由", "开始日期", "结束日期"],
          [[e["member_id"], e["type"], e["from"], e["to"]] for e in exm], encoding="gb18030")

rules = ""
if os.path.exists(os.path.join(src, "rules.ini")):
    with open(os.path.join(src, "rules.ini"), encoding="utf-8-sig") as f:
        rules = f.read()
with open(os.path.join(dst, "rules.ini"), "w", encoding="utf-8") as f:
    f.write(rules.rstrip("\n") + "\n\n[columns.meetings]\nbranch = 所属党支部\n")
