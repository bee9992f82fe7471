#!/usr/bin/env python3
"""City-scale benchmark input for zhibu.

    python3 tests/bench/gencity.py OUTDIR [--members N] [--branches B] [--seed S] [--year Y]

Defaults: N=200000 members, B=10000 branches, seed 1, year 2022 (about 8 million
CSV rows, ~400 MB).  Writes members.csv, meetings.csv, attendance.csv, dues.csv,
service.csv, exemptions.csv and rules.ini (the notices' defaults) into OUTDIR.

Every row is valid input per SPEC.md (no input errors or warnings): unique keys,
dates inside the year, positive amounts and hours, at most one service record
per member and day (so never more than 24 h), attendance only by members of the
meeting's branch and only in months they are members.  The distributions are
meant to look like a city: most members compliant, a few absent, unpaid, late,
short of service hours, a handful lapsed.  Deterministic for a given seed.
Standard library only; plain string building instead of the csv module, for speed.
"""
import argparse
import datetime as dt
import os
import random
import sys
import time

ACTIONS = ["奏唱国歌", "重温入党誓词", "诵读党章", "交纳党费", "讲授微党课", "集中学习讨论"]
FULL_ACTIONS = "、".join(ACTIONS)
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田"
            "董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
            "邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾郝龚邵万钱严覃武戴莫孔向汤")
GIVEN = "志伟浩宇明俊涛峰磊鹏斌杰强辉晨博文立新永振海东睿哲远航泽岩松林健静丽婷雪芳敏颖琳莉霞慧洁玲雯欣悦倩璐佳梦瑶丹萍晓秀兰怡蕾"
TOPICS = [
    "学习党的十九届六中全会精神", "\"学党章, 守党纪\"专题学习", "“学党章、守党纪”专题学习, 第二期",
    "清明祭英烈 传承红色基因", "学习党的二十大精神", "喜迎二十大 奋进新征程",
    "庆祝建党101周年 重温入党初心", "学习《习近平谈治国理政》第四卷", "疫情防控 党员先行",
    "学习新修订的《中国共产党章程》", "开展“我为群众办实事”实践活动", "学习身边榜样 争做合格党员",
]
CONTENTS = ["疫情防控值守", "核酸检测秩序维护", "垃圾分类宣传", "关爱独居老人", "反诈宣传",
            "文明城市创建志愿服务", "环境卫生整治", "政策宣讲", "防汛值守", "消防安全宣传",
            "“四点半课堂”作业辅导", "走访慰问困难群众", "协助社区矛盾调解", "关爱独居老人, 代购药品"]
CONFIRMERS = ["社区书记", "网格员", "网格员", "小区党支部", "社区居委会"]
LEAVE_REASONS = ["出差", "身体不适", "参加培训", "家中有事", "值班", "外出学习", "陪护家人住院"]
EXEMPT_TYPES = ["妊娠期", "哺乳期", "伤残", "病休", "异地挂职"]
CHANNELS = ["复兴壹号"] * 15 + ["微信"] * 3 + ["支付宝", "现金"]
# branch kinds: name, weight, category distribution (cumulative thresholds)
KINDS = [
    ("work", 0.60, [(0.90, "在职"), (0.95, "流动"), (1.0, "离退休")]),
    ("retired", 0.20, [(0.95, "离退休"), (1.0, "流动")]),
    ("student", 0.10, [(0.85, "学生"), (1.0, "在职")]),
    ("community", 0.10, [(0.40, "在职"), (0.80, "离退休"), (1.0, "流动")]),
]
RULES_INI = """\
# rules.ini written by gencity.py: the notices' defaults
[theme_day]
per_month = 1
deadline_day = 22
required_actions = 奏唱国歌, 重温入党誓词, 诵读党章, 交纳党费, 讲授微党课, 集中学习讨论

[deadlines]

[dues]
grace_days = 0

[party]
lapse_months = 6

[community]
min_per_month = 1
min_per_year = 5
min_hours_per_year = 20
prorate = yes
special_post_factor = 0.5
special_posts = 中小学教师, 幼儿园教师, 一线医护

[evaluation]
max_absences = 3
w_attendance = 40
w_dues = 30
w_service = 30
excellent_min_score = 90
excellent_max_ratio = 0.30
"""


def q(s):
    """RFC 4180 quoting where needed."""
    if "," in s or '"' in s or "\n" in s:
        return '"' + s.replace('"', '""') + '"'
    return s


def money(c):
    s = "%d.%02d" % (c // 100, c % 100)
    return s.rstrip("0").rstrip(".")


def rate_cents(cat, base):
    if cat == "学生":
        return 20
    if cat == "离退休":
        r = 5 if base <= 5000 else 10
    else:
        r = 5 if base <= 3000 else 10 if base <= 5000 else 15 if base <= 10000 else 20
    return base * 100 * r // 1000


class Out:
    """Buffered writer: collects strings, writes in big chunks."""

    def __init__(self, path, header):
        self.f = open(path, "w", encoding="utf-8", newline="")
        self.buf = [header]
        self.n = 0
        self.rows = 0

    def add(self, s):
        self.buf.append(s)
        self.n += 1
        if self.n >= 50000:
            self.flush()

    def extend(self, parts):
        self.buf.extend(parts)
        self.n += len(parts)
        if self.n >= 50000:
            self.flush()

    def flush(self):
        self.f.write("".join(self.buf))
        self.buf = []
        self.rows += self.n
        self.n = 0

    def close(self):
        self.flush()
        self.f.close()
        return self.rows


def main():
    ap = argparse.ArgumentParser(description="generate a city-scale zhibu input directory")
    ap.add_argument("outdir")
    ap.add_argument("--members", type=int, default=200000)
    ap.add_argument("--branches", type=int, default=10000)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--year", type=int, default=2022)
    a = ap.parse_args()
    N, B, Y = a.members, a.branches, a.year
    if B < 1 or N < B:
        ap.error("need 1 <= branches <= members")
    t0 = time.time()
    rng = random.Random(a.seed)
    rnd, randint, choice = rng.random, rng.randint, rng.choice
    os.makedirs(a.outdir, exist_ok=True)
    P = lambda name: os.path.join(a.outdir, name)

    # calendar strings
    jan1 = dt.date(Y, 1, 1).toordinal()
    ndays = dt.date(Y, 12, 31).toordinal() - jan1 + 1
    DAY = [dt.date.fromordinal(jan1 + i).isoformat() for i in range(ndays)]
    MSTART = [0] * 14             # day index of the 1st of month m (1..12), MSTART[13] = ndays
    for m in range(1, 13):
        MSTART[m] = dt.date(Y, m, 1).toordinal() - jan1
    MSTART[13] = ndays
    MONTH = ["%d-%02d" % (Y, m) for m in range(13)]
    NEXT = [dt.date(Y + 1, 1, d).isoformat() for d in range(1, 11)]   # late December payments

    def day_of(m, d):
        return DAY[MSTART[m] + d - 1]

    # ---- branch sizes
    w = [rng.uniform(0.4, 1.6) for _ in range(B)]
    tw = sum(w)
    sizes = [max(1, int(x / tw * N)) for x in w]
    diff = N - sum(sizes)
    i = 0
    while diff != 0:
        j = i % B
        if diff > 0:
            sizes[j] += 1
            diff -= 1
        elif sizes[j] > 1:
            sizes[j] -= 1
            diff += 1
        i += 1
    bw = max(5, len(str(B)))
    pw = max(7, len(str(N)))

    members_out = Out(P("members.csv"), "member_id,name,branch,unit,category,special_post,"
                                        "leader,monthly_dues,dues_base,joined,left\n")
    meetings_out = Out(P("meetings.csv"), "meeting_id,branch,date,kind,topic,actions,minutes\n")
    att_out = Out(P("attendance.csv"), "meeting_id,member_id,status,reason\n")
    dues_out = Out(P("dues.csv"), "member_id,month,amount,paid_on,channel\n")
    serv_out = Out(P("service.csv"), "member_id,date,hours,community,content,confirmed_by,rating\n")
    ex_out = Out(P("exemptions.csv"), "member_id,type,from,to\n")

    kind_w = []
    acc = 0.0
    for k in KINDS:
        acc += k[1]
        kind_w.append((acc, k))
    chan_sfx = ["," + c + "\n" for c in CHANNELS]
    hours_good = ["2", "2.5", "2.5", "3", "3", "3", "3.5", "3.5", "4", "4"]
    hours_weak = ["1", "1.5", "1.5", "2", "2", "2.5", "3"]
    leave_sfx = [",请假," + r + "\n" for r in LEAVE_REASONS]
    exempt_n = 0
    pid_n = 0
    old_lo = dt.date(1970, 1, 1).toordinal()
    old_hi = dt.date(Y - 1, 12, 31).toordinal()

    for b in range(B):
        street, nth = b // 20 + 1, b % 20 + 1
        bname = "青州市第%d街道第%d党支部" % (street, nth)
        unit = "青州市第%d街道办事处" % street
        r = rnd()
        for thr, kind in kind_w:
            if r <= thr:
                break
        kname, _, catdist = kind
        community = "第%d街道%s社区" % (street, "东南西北中"[nth % 5])
        # ---- members of the branch
        mem = []      # (pid, first_month, last_month, att_lapse_from, leader, full_row_prefix)
        for k in range(sizes[b]):
            pid_n += 1
            pid = "P%0*d" % (pw, pid_n)
            r = rnd()
            for thr, cat in catdist:
                if r <= thr:
                    break
            leader = False
            if kname in ("work", "community") and k < 2 and rnd() < (0.7 if k == 0 else 0.3):
                leader, cat = True, "在职"
            post = ""
            if cat == "在职":
                r = rnd()
                post = "中小学教师" if r < 0.05 else "幼儿园教师" if r < 0.07 else "一线医护" if r < 0.10 else ""
            base = None
            if cat == "学生":
                dues = 20
            elif cat == "离退休":
                base = randint(30, 90) * 100
                dues = rate_cents(cat, base)
            else:
                base = randint(25, 150) * 100
                dues = rate_cents(cat, base)
                if cat == "流动" and rnd() < 0.3:
                    base = None
            if base is not None and rnd() < 0.01:          # DU-RATE: fixed too low
                dues = max(1, dues * 2 // 3)
            # membership
            first, last = 1, 12
            left_s = ""
            r = rnd()
            if r < 0.02:                                    # joined this year
                jd = randint(MSTART[2], MSTART[12] - 1)
                joined_s = DAY[jd]
                jm = int(joined_s[5:7]); jday = int(joined_s[8:10])
                first = jm if jday <= 15 else jm + 1
            else:
                joined_s = dt.date.fromordinal(randint(old_lo, old_hi)).isoformat()
                if r > 0.985:                               # left this year
                    ld = randint(MSTART[2] + 20, MSTART[12] - 1)
                    left_s = DAY[ld]
                    lm = int(left_s[5:7]); lday = int(left_s[8:10])
                    last = lm if lday >= 15 else lm - 1
            if first > last:
                first, last, left_s = 1, 12, ""
                joined_s = dt.date.fromordinal(randint(old_lo, old_hi)).isoformat()
            name = choice(SURNAMES) + choice(GIVEN) + (choice(GIVEN) if rnd() < 0.75 else "")
            members_out.add("%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n" % (
                pid, name, bname, unit, cat, post, "是" if leader else "否", money(dues),
                "" if base is None else base, joined_s, left_s))
            att_lapse = randint(1, 7) if rnd() < 0.002 else 99
            mem.append((pid, first, last, att_lapse, pid + ",出席,\n", pid + ",缺席,未请假\n"))
            # ---- dues
            dues_s = money(dues)
            half_s = money(max(1, dues // 2))
            lapse_from = randint(1, 7) if rnd() < 0.002 else 99
            pre = pid + ","
            parts = []
            for m in range(first, last + 1):
                if m >= lapse_from:
                    continue
                r = rnd()
                if r < 0.008:                               # DU-UNPAID
                    continue
                amt = half_s if r < 0.013 else dues_s       # DU-SHORT
                if r > 0.98:                                # DU-LATE
                    paid = NEXT[randint(0, 9)] if m == 12 else day_of(m + 1, randint(1, 10))
                else:
                    paid = DAY[MSTART[m] + int(rnd() * (MSTART[m + 1] - MSTART[m]))]
                parts.append(pre + MONTH[m] + "," + amt + "," + paid + chan_sfx[int(rnd() * 20)])
            dues_out.extend(parts)
            # ---- exemptions and service (在职 only)
            if cat == "在职":
                if rnd() < 0.012:
                    t = choice(EXEMPT_TYPES)
                    fm = randint(1, 10)
                    tm = min(12, fm + randint(0, 5))
                    fd = randint(1, 20)
                    td = randint(fd if tm == fm else 1, 28)
                    ex_out.add("%s,%s,%s,%s\n" % (pid, t, day_of(fm, fd), day_of(tm, td)))
                    exempt_n += 1
                lo, hi = MSTART[first], MSTART[last + 1]
                if rnd() < 0.88:                            # regular volunteer
                    k, hours_pool = randint(8, 11), hours_good
                else:                                       # falls short (CS-COUNT/HOURS)
                    k, hours_pool = randint(2, 8), hours_weak
                k = min(k, hi - lo)
                csfx = "," + community + ","
                sparts = []
                for d in sorted(rng.sample(range(lo, hi), k)):
                    conf = "" if rnd() < 0.04 else choice(CONFIRMERS)
                    sparts.append(pre + DAY[d] + "," + choice(hours_pool) + csfx +
                                  q(choice(CONTENTS)) + "," + conf +
                                  (",满意\n" if rnd() < 0.88 else ",基本满意\n"))
                serv_out.extend(sparts)
        # ---- meetings and attendance
        bno = "M%0*d" % (bw, b + 1)
        committee = mem[:5]
        for m in range(1, 13):
            present = [x for x in mem if x[1] <= m <= x[2]]
            if not present:
                continue
            r = rnd()
            n_td = 0 if r < 0.015 else 2 if r < 0.16 else 1
            mlen = MSTART[m + 1] - MSTART[m]
            mids = []
            seq = 0
            for t in range(n_td):
                day = randint(23, mlen) if rnd() < 0.03 else randint(3, 22)
                acts = FULL_ACTIONS
                if rnd() < 0.04:
                    drop = choice(ACTIONS)
                    acts = "、".join(x for x in ACTIONS if x != drop)
                minutes = "否" if rnd() < 0.03 else "是"
                mid = "%s%02d%d" % (bno, m, seq); seq += 1
                meetings_out.add("%s,%s,%s,主题党日,%s,%s,%s\n" % (
                    mid, bname, day_of(m, day), q(TOPICS[(m - 1 + t * 5) % len(TOPICS)]),
                    acts, minutes))
                mids.append(mid)
            if rnd() < 0.3:
                mid = "%s%02d%d" % (bno, m, seq); seq += 1
                meetings_out.add("%s,%s,%s,支部党员大会,支部党员大会,,是\n" % (
                    mid, bname, day_of(m, randint(1, 28))))
                mids.append(mid)
            for mid in mids:
                pre = mid + ","
                parts = []
                for x in present:
                    if x[3] <= m < x[3] + 6:                # AT-LAPSE streak
                        parts.append(pre + x[5])
                        continue
                    r = rnd()
                    if r < 0.93:
                        parts.append(pre + x[4])
                    elif r < 0.985:
                        parts.append(pre + x[0] + leave_sfx[int((r - 0.93) * 127.27)])
                    else:
                        parts.append(pre + x[5])
                att_out.extend(parts)
            if rnd() < 0.9:
                mid = "%s%02d%d" % (bno, m, seq); seq += 1
                meetings_out.add("%s,%s,%s,支委会,支委会,,是\n" % (mid, bname, day_of(m, randint(1, 12))))
                pre = mid + ","
                att_out.extend([pre + x[4] for x in committee if x[1] <= m <= x[2]])
            if rnd() < 0.25:
                mid = "%s%02d%d" % (bno, m, seq); seq += 1
                meetings_out.add("%s,%s,%s,党课,%s,,是\n" % (
                    mid, bname, day_of(m, randint(1, 28)), q(TOPICS[(m + 3) % len(TOPICS)])))

    with open(P("rules.ini"), "w", encoding="utf-8", newline="") as f:
        f.write(RULES_INI)
    counts = [("members.csv", members_out.close()), ("meetings.csv", meetings_out.close()),
              ("attendance.csv", att_out.close()), ("dues.csv", dues_out.close()),
              ("service.csv", serv_out.close()), ("exemptions.csv", ex_out.close())]
    total = sum(c for _, c in counts)
    size = sum(os.path.getsize(P(f)) for f, _ in counts)
    sys.stderr.write("gencity: %s\n" % ", ".join("%s %d" % fc for fc in counts))
    sys.stderr.write("gencity: %d rows, %.1f MB in %.1f s\n" % (total, size / 1e6, time.time() - t0))


if __name__ == "__main__":
    main()
