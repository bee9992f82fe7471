#!/usr/bin/env python3
"""Generate the realistic sample input of zhibu (the files under input/).

    python3 tests/tools/make_sample.py input

writes members.csv, meetings.csv, attendance.csv, dues.csv, service.csv,
exemptions.csv and README.md into the given directory.  The output depends on
nothing but this file (seeded random.Random, no clock), so running it again
reproduces input/ byte for byte.  Standard library only.

The sample: 中共青州师范学院委员会 (a fictional teachers' college), six
branches, 82 members, the whole year 2022.  Most records are in order; the
deliberate problems (one or more of every rule code, several in 2022-09, the
month `make run` reports on) are listed in DELIBERATE below and in README.md.
All names of people, communities and the college are invented.
"""
import csv
import datetime as dt
import io
import math
import os
import random
import sys

YEAR = 2022
SEED = 20220915
rng = random.Random(SEED)

ACTIONS = ["奏唱国歌", "重温入党誓词", "诵读党章", "交纳党费", "讲授微党课", "集中学习讨论"]

# code, branch name, unit
BRANCHES = [
    ("WX", "文学院教工党支部", "青州师范学院"),
    ("SX", "数学与统计学院教工党支部", "青州师范学院"),
    ("JG", "机关第一党支部", "青州师范学院"),
    ("LT", "离退休教职工党支部", "青州师范学院"),
    ("XS", "文学院学生党支部", "青州师范学院"),
    ("FX", "附属实验小学党支部", "青州师范学院附属实验小学"),
]
BNUM = {code: i + 1 for i, (code, _, _) in enumerate(BRANCHES)}
BNAME = {code: name for code, name, _ in BRANCHES}
BUNIT = {code: unit for code, _, unit in BRANCHES}

# ---------------------------------------------------------------- names
SURNAMES = ("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田"
            "董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白"
            "邹孟熊秦邱江尹薛闫段雷侯龙史黎贺顾郝龚邵万钱严覃武戴莫孔向汤")
GIVEN_M = "志伟浩宇明俊涛峰磊鹏斌杰强辉晨博文立新永振海东睿哲远航泽岩松林健凯彬"
GIVEN_F = "静丽婷雪芳敏颖琳莉霞慧洁玲雯欣悦倩璐佳梦瑶丹萍晓秀兰艳怡蕾婕"
# combinations that happen to name well-known people are not used
AVOID = {"赵丽颖", "刘晓丽", "张杰", "刘洋", "周杰", "李健", "王菲", "杨丽萍",
         "张雪", "王磊", "李静", "刘涛", "黄晓明", "孙俪", "杨洋", "张艺", "李明博"}
_used_names = set()


def make_name(gender):
    pool = GIVEN_F if gender == "f" else GIVEN_M
    while True:
        sur = rng.choice(SURNAMES)
        given = rng.choice(pool) + rng.choice(pool)
        if given[0] == given[1] and rng.random() < 0.7:
            continue
        name = sur + given
        if name in AVOID or name in _used_names:
            continue
        _used_names.add(name)
        return name


# ---------------------------------------------------------------- members
# base ranges (yuan, multiples of 100) by job level
LEVEL_BASE = {
    "正高": (11000, 14800), "副高": (8000, 10800), "中级": (5600, 7900),
    "初级": (4300, 5600), "管理": (6000, 9800), "工勤": (2600, 3000),
    "离退休高": (5600, 8200), "离退休": (3800, 5000),
}
COMMUNITIES = ["文昌社区", "学府路社区", "桃园社区", "北关社区", "紫荆花园社区",
               "滨河社区", "东湖社区", "青云社区", "杏坛社区", "书香苑社区"]


def rate_cents(category, base):
    """monthly dues in cents from the rate table (中组发〔2008〕3号)."""
    if category == "学生":
        return 20
    if category == "离退休":
        permille10 = 5 if base <= 5000 else 10          # 0.5 %, 1 %
    else:                                               # 在职, 流动
        if base <= 3000:
            permille10 = 5
        elif base <= 5000:
            permille10 = 10
        elif base <= 10000:
            permille10 = 15
        else:
            permille10 = 20
    return base * 100 * permille10 // 1000


def money(cents):
    s = "%d.%02d" % (cents // 100, cents % 100)
    return s.rstrip("0").rstrip(".") if "." in s else s


# One row per member: (category, level, gender, leader, special_post, note).
# note is free text for the generator only (role, deliberate problem).
ROSTER = {
    "WX": [
        ("在职", "正高", "m", True, "", "党委书记"),
        ("在职", "正高", "f", True, "", "院长; AT-LEADER 2022-09"),
        ("在职", "副高", "m", False, "", "star0"),
        ("在职", "中级", "f", False, "", "star0"),
        ("在职", "副高", "m", False, "", "CS-UNCONFIRMED 2022-09"),
        ("在职", "中级", "m", False, "", "DU-UNPAID 2022-09"),
        ("在职", "副高", "f", False, "", "star1"),
        ("在职", "中级", "f", False, "", "哺乳期 2022-03..08"),
        ("在职", "正高", "m", False, "", "star1"),
        ("在职", "中级", "m", False, "", "CS-COUNT CS-HOURS"),
        ("在职", "副高", "f", False, "", ""),
        ("在职", "中级", "m", False, "", "AT-ABSENT 2022-05; 补交"),
        ("在职", "初级", "f", False, "", ""),
        ("在职", "中级", "m", False, "", "joined 2022-06-20"),
        ("在职", "副高", "f", False, "", ""),
    ],
    "SX": [
        ("在职", "正高", "m", True, "", "党委书记"),
        ("在职", "正高", "m", True, "", "院长"),
        ("在职", "副高", "f", False, "", "star0"),
        ("在职", "中级", "m", False, "", "DU-LATE 2022-09"),
        ("在职", "副高", "m", False, "", "star0"),
        ("在职", "中级", "f", False, "", "病休 2022-07..09"),
        ("在职", "中级", "m", False, "", "AT-LAPSE 2022-04..09"),
        ("在职", "副高", "f", False, "", "star1"),
        ("在职", "中级", "m", False, "", "DU-RATE"),
        ("在职", "副高", "m", False, "", "DU-SHORT 2022-06"),
        ("在职", "中级", "f", False, "", "CS-HOURS"),
        ("在职", "初级", "m", False, "", ""),
        ("在职", "副高", "m", False, "", "left 2022-10-12"),
        ("在职", "中级", "f", False, "", ""),
    ],
    "JG": [
        ("在职", "管理", "m", True, "", "党委办公室主任"),
        ("在职", "管理", "f", True, "", "人事处处长; AT-LEADER 2022-03"),
        ("在职", "管理", "m", False, "", "star0"),
        ("在职", "中级", "f", False, "", "DU-LATE 2022-03"),
        ("在职", "中级", "m", False, "一线医护", "校医院医生"),
        ("在职", "初级", "f", False, "", "CS-MONTH 2022-09"),
        ("在职", "中级", "m", False, "", "star1"),
        ("在职", "管理", "m", False, "", "CS-COUNT"),
        ("在职", "初级", "f", False, "", "star1"),
        ("流动", "管理", "m", False, "", "借调; DU-LAPSE"),
        ("在职", "中级", "f", False, "", ""),
        ("在职", "初级", "m", False, "", "AT-ABSENT no row 2022-09"),
        ("在职", "工勤", "m", False, "", ""),
        ("在职", "中级", "f", False, "", ""),
    ],
    "LT": [
        ("离退休", "离退休高", "m", False, "", "支部书记; pays more"),
        ("离退休", "离退休", "f", False, "", "quarterly"),
        ("离退休", "离退休高", "m", False, "", "DU-SHORT 2022-09"),
        ("离退休", "离退休高", "m", False, "", "star0"),
        ("离退休", "离退休", "f", False, "", "quarterly"),
        ("离退休", "离退休高", "m", False, "", "DU-RATE"),
        ("离退休", "离退休", "f", False, "", "star1"),
        ("离退休", "离退休", "m", False, "", ""),
        ("离退休", "离退休", "m", False, "", "AT-ABSENT 2022-05; DU-UNPAID 2022-12"),
        ("离退休", "离退休高", "f", False, "", ""),
        ("离退休", "离退休", "f", False, "", "star1"),
        ("离退休", "离退休", "m", False, "", "免交 (monthly_dues 0)"),
        ("离退休", "离退休", "f", False, "", ""),
    ],
    "XS": [
        ("在职", "管理", "f", True, "", "学院党委副书记 兼支部书记"),
        ("在职", "初级", "m", False, "", "辅导员; CS-UNCONFIRMED 2022-05"),
        ("学生", "", "f", False, "", "star0"),
        ("学生", "", "f", False, "", "star0"),
        ("学生", "", "m", False, "", ""),
        ("学生", "", "f", False, "", "AT-ABSENT 2022-12"),
        ("学生", "", "m", False, "", "AT-ABSENT 2022-09"),
        ("学生", "", "f", False, "", "star1"),
        ("学生", "", "f", False, "", ""),
        ("学生", "", "m", False, "", "left 2022-06-30 (毕业)"),
        ("学生", "", "f", False, "", ""),
        ("学生", "", "m", False, "", ""),
        ("流动", "", "f", False, "", "外地顶岗实习"),
        ("学生", "", "f", False, "", "joined 2022-09-08 (研究生新生)"),
    ],
    "FX": [
        ("在职", "副高", "m", True, "中小学教师", "校长"),
        ("在职", "副高", "f", False, "中小学教师", "star0"),
        ("在职", "中级", "f", False, "中小学教师", "star1"),
        ("在职", "中级", "f", False, "中小学教师", "star1"),
        ("在职", "中级", "m", False, "中小学教师", "CS-MONTH 2022-09"),
        ("在职", "初级", "f", False, "中小学教师", ""),
        ("在职", "中级", "f", False, "中小学教师", ""),
        ("在职", "初级", "m", False, "中小学教师", "AT-ABSENT 2022-11"),
        ("在职", "中级", "f", False, "中小学教师", ""),
        ("在职", "管理", "m", True, "", "副校长 (行政)"),
        ("在职", "工勤", "f", False, "", "会计"),
        ("在职", "初级", "f", False, "中小学教师", ""),
    ],
}


def mid(code, n):
    return "QZ%02d%02d" % (BNUM[code], n)


def random_date(y0, y1):
    start = dt.date(y0, 1, 1).toordinal()
    end = dt.date(y1, 12, 31).toordinal()
    return dt.date.fromordinal(rng.randint(start, end))


class Member:
    pass


members = []          # in id order
M = {}                # id -> Member
for code, _, _ in BRANCHES:
    for i, (cat, level, gender, leader, post, note) in enumerate(ROSTER[code], 1):
        m = Member()
        m.id = mid(code, i)
        m.name = make_name(gender)
        m.branch = code
        m.unit = BUNIT[code]
        m.category = cat
        m.post = post
        m.leader = leader
        m.note = note
        m.community = rng.choice(COMMUNITIES)
        if cat == "学生" or (cat == "流动" and code == "XS"):
            m.base = None
            m.dues = 20
            m.joined = random_date(2019, 2021)
        else:
            lo, hi = LEVEL_BASE[level]
            m.base = rng.randint(lo // 100, hi // 100) * 100
            m.dues = rate_cents(cat, m.base)
            if cat == "离退休":
                m.joined = random_date(1972, 1995)
            else:
                m.joined = random_date(1996, 2019)
        m.left = None
        members.append(m)
        M[m.id] = m

# deliberate deviations in members.csv
M["QZ0114"].joined = dt.date(2022, 6, 20)        # 转入, member from 2022-07
M["QZ0213"].left = dt.date(2022, 10, 12)         # 转出, member until 2022-09
M["QZ0510"].left = dt.date(2022, 6, 30)          # graduated, member until 2022-06
M["QZ0514"].joined = dt.date(2022, 9, 8)         # new graduate student
M["QZ0209"].base = 6800; M["QZ0209"].dues = 6800       # 1 % used, table says 1.5 % = 102 (DU-RATE)
M["QZ0406"].base = 5600; M["QZ0406"].dues = 2800       # 0.5 % used, table says 1 % = 56 (DU-RATE)
M["QZ0401"].base = 6200; M["QZ0401"].dues = 10000      # pays more than the table: allowed
M["QZ0412"].base = 2600; M["QZ0412"].dues = 0          # approved hardship: exempt from dues
M["QZ0310"].base = 9000; M["QZ0310"].dues = rate_cents("流动", 9000)

EXEMPTIONS = [
    ("QZ0108", "哺乳期", dt.date(2022, 3, 1), dt.date(2022, 8, 31)),
    ("QZ0206", "病休", dt.date(2022, 7, 11), dt.date(2022, 9, 30)),
]


def in_month(m, month):
    d15 = dt.date(YEAR, month, 15)
    if m.joined and m.joined > d15:
        return False
    if m.left and m.left < d15:
        return False
    return True


def exempt(m, month):
    d15 = dt.date(YEAR, month, 15)
    return any(e[0] == m.id and e[2] <= d15 <= e[3] for e in EXEMPTIONS)


def eligible(m, month):
    return m.category == "在职" and in_month(m, month) and not exempt(m, month)


def branch_members(code):
    return [m for m in members if m.branch == code]


# ---------------------------------------------------------------- meetings
TOPICS = {
    1: "学习党的十九届六中全会精神",
    2: "“学党章、守党纪”专题学习, 第一期",
    3: "“学党章、守党纪”专题学习, 第二期",
    4: "清明祭英烈 传承红色基因",
    5: "学习习近平总书记在庆祝中国共产主义青年团成立100周年大会上的重要讲话",
    6: "疫情防控 党员先行",
    7: "庆祝建党101周年 重温入党初心",
    8: "学习《习近平谈治国理政》第四卷",
    9: "学习\"喜迎二十大、永远跟党走、奋进新征程\"主题教育",
    10: "喜迎二十大 学习新时代十年伟大成就",
    11: "深入学习宣传贯彻党的二十大精神",
    12: "学习新修订的《中国共产党章程》",
}
LOCAL_TOPICS = {
    ("WX", 9): "教师节师德师风专题学习, 暨“四有”好老师座谈",
    ("SX", 4): "清明祭英烈 传承红色基因（赴青州革命烈士陵园）",
    ("LT", 7): "老党员讲党史：我的入党故事",
    ("LT", 10): "喜迎二十大 老党员话变化",
    ("XS", 3): "“学党章、守党纪”专题学习, 第二期（线上）",
    ("XS", 5): "学习习近平总书记在庆祝中国共产主义青年团成立100周年大会上的重要讲话, 青年党员谈体会",
    ("FX", 10): "补开9月主题党日：学习\"喜迎二十大、永远跟党走、奋进新征程\"主题教育",
}
DAHUI_TOPICS = {3: "讨论接收预备党员", 6: "预备党员转正表决", 9: "支部工作半年总结暨下半年工作部署",
                12: "年度工作总结 民主评议党员"}
DANGKE_TOPICS = {4: "党史专题党课：从井冈山到延安", 7: "七一专题党课：百年大党的初心使命",
                 11: "学习宣传贯彻党的二十大精神专题党课"}


def weekday_between(month, lo, hi):
    days = [d for d in range(lo, hi + 1) if dt.date(YEAR, month, d).weekday() < 5]
    return dt.date(YEAR, month, rng.choice(days))


class Meeting:
    pass


meetings = []


def add_meeting(mid_, code, date, kind, topic, actions, minutes, rows=True):
    mt = Meeting()
    mt.id, mt.branch, mt.date, mt.kind, mt.topic = mid_, code, date, kind, topic
    mt.actions, mt.minutes, mt.rows = actions, minutes, rows
    meetings.append(mt)
    return mt


FULL = "、".join(ACTIONS)
for code, _, _ in BRANCHES:
    for month in range(1, 13):
        tag = "M%d-%02d-%s" % (YEAR, month, code)
        topic = LOCAL_TOPICS.get((code, month), TOPICS[month])
        # 主题党日
        if (code, month) == ("XS", 8):
            pass                                    # TD-HELD: summer vacation, none held
        elif (code, month) == ("FX", 9):
            pass                                    # TD-HELD: school term start, none held
        else:
            if code == "XS" and month == 7:
                d = weekday_between(7, 4, 8)        # before the summer break
            elif code == "XS" and month == 9:
                d = weekday_between(9, 13, 20)
            else:
                d = weekday_between(month, 10, 20)
            actions = FULL
            minutes = "是"
            rows = True
            if (code, month) == ("LT", 1):
                d = dt.date(YEAR, 1, 25)            # TD-LATE: held before Spring Festival
            if (code, month) == ("SX", 9):
                d = dt.date(YEAR, 9, 26)            # TD-LATE: after the 22nd
            if (code, month) == ("XS", 3):          # TD-ACTIONS: online, no anthem, no oath
                actions = "、".join(a for a in ACTIONS if a not in ("奏唱国歌", "重温入党誓词"))
            if (code, month) in (("FX", 5), ("JG", 9)):   # TD-ACTIONS: no 微党课
                actions = "、".join(a for a in ACTIONS if a != "讲授微党课")
            if (code, month) in (("LT", 9), ("WX", 11)):  # TD-RECORD: no minutes
                minutes = "否"
            if (code, month) == ("XS", 6):          # TD-RECORD: sign-in sheet lost
                rows = False
            if (code, month) == ("FX", 10):         # make-up of September
                add_meeting(tag, code, dt.date(YEAR, 10, 11), "主题党日", topic, FULL, "是")
                add_meeting(tag + "-2", code, weekday_between(10, 17, 21), "主题党日",
                            TOPICS[10], FULL, "是")
            else:
                add_meeting(tag, code, d, "主题党日", topic, actions, minutes, rows)
        # 支委会, a few days before the theme day
        if (code, month) != ("XS", 8):
            add_meeting(tag + "-ZW", code, weekday_between(month, 3, 9), "支委会",
                        "研究部署%d月支部工作" % month, "", "是")
        # 支部党员大会, quarterly
        if month in DAHUI_TOPICS:
            if (code, month) == ("FX", 9):
                d = dt.date(YEAR, 9, 7)
                t = "新学期开学工作部署支部党员大会"
            else:
                d = weekday_between(month, 21, 28) if month != 9 else weekday_between(9, 5, 9)
                t = DAHUI_TOPICS[month]
            add_meeting(tag + "-DH", code, d, "支部党员大会", t, "", "是")
        # 党课
        if month in DANGKE_TOPICS and not (code == "XS" and month == 7):
            d = dt.date(YEAR, 7, 1) if month == 7 else weekday_between(month, 23, 28)
            add_meeting(tag + "-DK", code, d, "党课", DANGKE_TOPICS[month], "", "是")

meetings.sort(key=lambda mt: (mt.date, BNUM[mt.branch], mt.id))
WHOLE = ("主题党日", "支部党员大会")


def member_meetings(m, kinds=WHOLE):
    return [mt for mt in meetings if mt.branch == m.branch and mt.kind in kinds
            and mt.rows and in_month(m, mt.date.month)]


# ---------------------------------------------------------------- attendance plan
LEAVE_REASONS_WORK = ["出差", "外出参加学术会议", "带学生教育实习", "参加上级培训", "监考",
                      "陪护家人住院", "身体不适", "家中有事", "赴外校交流"]
LEAVE_REASONS_RET = ["身体原因", "住院治疗", "外地探亲", "行动不便", "家中有事"]
LEAVE_REASONS_STU = ["课程冲突", "外出参加比赛", "身体不适", "参加考试", "返乡"]

status = {}    # (meeting_id, member_id) -> (status, reason) ; ("", "") = no row

def set_status(mt_id, m_id, st, reason=""):
    status[(mt_id, m_id)] = (st, reason)


# deliberate attendance
set_status("M2022-09-WX", "QZ0102", "请假", "出差参加全国语言学年会")      # AT-LEADER 2022-09
set_status("M2022-03-JG", "QZ0302", "缺席")                                # AT-LEADER + AT-ABSENT
for month in range(4, 10):                                                 # AT-LAPSE QZ0207
    for mt in member_meetings(M["QZ0207"]):
        if mt.date.month == month:
            set_status(mt.id, "QZ0207", "缺席")
set_status("M2022-09-JG", "QZ0312", "", "")                                # no sign-in row
set_status("M2022-09-XS", "QZ0507", "缺席")
set_status("M2022-05-WX", "QZ0112", "缺席")
set_status("M2022-05-LT", "QZ0409", "缺席")
set_status("M2022-11-FX", "QZ0608", "缺席")
set_status("M2022-12-XS-DH", "QZ0506", "缺席")
set_status("M2022-09-SX", "QZ0204", "请假", "出差")
for mt in member_meetings(M["QZ0206"]):                                    # 病休
    if 7 <= mt.date.month <= 9:
        set_status(mt.id, "QZ0206", "请假", "病休")
for mt in member_meetings(M["QZ0108"]):                                    # 哺乳期
    if mt.date.month in (3, 4):
        set_status(mt.id, "QZ0108", "请假", "哺乳期")
for mt in member_meetings(M["QZ0310"]):                                    # 借调 from April
    if mt.date.month >= 4:
        set_status(mt.id, "QZ0310", "请假", "借调省教育厅，在外地")
for mt in member_meetings(M["QZ0513"]):                                    # 流动: internship
    if mt.date.month >= 3 and mt.date.month != 7:
        set_status(mt.id, "QZ0513", "请假", "外地顶岗实习")

# ordinary leave: stars get exactly 0 or 1, everyone else 2..5 (so that the
# 优秀 groups of each branch are small and fit under the 30 % cap)
for m in members:
    mine = [mt for mt in member_meetings(m) if (mt.id, m.id) not in status]
    if "star0" in m.note:
        n = 0
    elif "star1" in m.note:
        n = 1
    elif any((mt.id, m.id) in status for mt in member_meetings(m)):
        n = rng.choice([0, 1, 1, 2])
    elif m.category == "离退休":
        n = rng.choice([2, 3, 3, 4, 5, 6])
    else:
        n = rng.choice([2, 2, 3, 3, 4, 5])
    if m.leader:                       # leaders take leave only from 支部党员大会
        mine = [mt for mt in mine if mt.kind == "支部党员大会"]
        n = min(n, 2)
    n = min(n, max(0, len(mine) - 2))
    if n == 0 and "star" not in m.note and mine:
        n = 1 if m.leader else min(2, len(mine) - 1)
    for mt in rng.sample(mine, n):
        pool = (LEAVE_REASONS_RET if m.category == "离退休" else
                LEAVE_REASONS_STU if m.category in ("学生", "流动") and m.branch == "XS" else
                LEAVE_REASONS_WORK)
        set_status(mt.id, m.id, "请假", rng.choice(pool))

attendance_rows = []
for mt in meetings:
    if not mt.rows:
        continue
    bm = [m for m in branch_members(mt.branch) if in_month(m, mt.date.month)]
    if mt.kind == "支委会":
        bm = bm[:3]                    # 支部委员: the first three of each branch
        for m in bm:
            attendance_rows.append((mt.id, m.id, "出席", ""))
        continue
    for m in bm:
        st, reason = status.get((mt.id, m.id), ("出席", ""))
        if mt.kind == "党课" and m.id in ("QZ0310", "QZ0513"):
            st, reason = "请假", "在外地"
        if st == "":
            continue
        if st == "缺席" and not reason:
            reason = "未请假"
        attendance_rows.append((mt.id, m.id, st, reason))

# ---------------------------------------------------------------- dues
def theme_day(code, month):
    for mt in meetings:
        if mt.branch == code and mt.kind == "主题党日" and mt.date.month == month:
            return mt
    return None


dues_rows = []
for m in members:
    if m.dues == 0:
        continue
    quarterly = "quarterly" in m.note
    for month in range(1, 13):
        if not in_month(m, month):
            continue
        if m.id == "QZ0310" and month >= 4:            # DU-LAPSE: stopped paying
            continue
        if m.id == "QZ0106" and month == 9:            # DU-UNPAID
            continue
        if m.id == "QZ0409" and month == 12:           # DU-UNPAID
            continue
        amount = m.dues
        td = theme_day(m.branch, month)
        attended = td is not None and (not td.rows or
                                       status.get((td.id, m.id), ("出席",))[0] == "出席")
        if quarterly:
            q0 = (month - 1) // 3 * 3 + 1
            tq = theme_day(m.branch, q0)
            paid = tq.date if tq else dt.date(YEAR, q0, 10)
        elif attended:
            paid = td.date
        else:
            paid = dt.date(YEAR, month, rng.randint(3, 28))
        if m.category == "离退休":
            channel = "现金（交组织委员）" if quarterly else rng.choice(["现金（交组织委员）", "微信", "微信"])
        else:
            channel = "复兴壹号" if rng.random() < 0.8 else "微信"
        if m.id == "QZ0204" and month == 9:            # DU-LATE 2022-09
            paid = dt.date(2022, 10, 8)
        if m.id == "QZ0304" and month == 3:            # DU-LATE 2022-03
            paid = dt.date(2022, 4, 2)
        if m.id == "QZ0403" and month == 9:            # DU-SHORT 2022-09
            amount = m.dues // 2
        if m.id == "QZ0210" and month == 6:            # DU-SHORT 2022-06: old amount
            amount = m.dues - 1500
        if m.id == "QZ0112" and month == 5:            # two payments, summed in full (warning)
            first = m.dues - 3000
            dues_rows.append((m.id, "%d-%02d" % (YEAR, month), money(first),
                              paid.isoformat(), channel))
            amount = 3000
            paid = dt.date(YEAR, 5, 27)
        dues_rows.append((m.id, "%d-%02d" % (YEAR, month), money(amount),
                          paid.isoformat(), channel))

# ---------------------------------------------------------------- service
CONTENT_ANY = ["垃圾分类宣传", "关爱独居老人", "反诈宣传", "文明城市创建志愿服务",
               "环境卫生整治", "政策宣讲", "协助社区矛盾调解", "关爱独居老人, 代购药品"]
CONTENT_MONTH = {
    1: ["春节走访慰问困难群众", "疫情防控值守"], 2: ["疫情防控值守", "元宵节社区文化活动"],
    3: ["学雷锋志愿服务", "疫情防控值守"], 4: ["核酸检测秩序维护", "疫情防控值守"],
    5: ["核酸检测秩序维护", "疫情防控值守"], 6: ["防溺水安全宣传", "核酸检测秩序维护"],
    7: ["防汛值守", "暑期“四点半课堂”辅导"], 8: ["防汛值守", "暑期“四点半课堂”辅导"],
    9: ["反诈宣传", "国家安全教育宣传"], 10: ["喜迎二十大政策宣讲", "疫情防控值守"],
    11: ["垃圾分类宣传", "消防安全宣传"], 12: ["冬季消防安全宣传", "疫情防控值守"],
}
CONTENT_TEACHER = ["社区“四点半课堂”作业辅导", "家庭教育讲座", "青少年读书会"]
CONTENT_DOCTOR = ["社区义诊", "健康知识讲座", "核酸采样支援"]
CONFIRMERS = ["社区书记", "网格员", "小区党支部"]


def service_record(m, month, hours=None, day=None, confirmed=True):
    if day is None:
        days = [d for d in range(1, 29) if dt.date(YEAR, month, d).weekday() >= 5]
        day = rng.choice(days) if rng.random() < 0.75 else rng.randint(1, 28)
    if hours is None:
        hours = rng.choice([2, 2, 2.5, 2.5, 3, 3, 3.5, 4, 1.5]) if not m.post else rng.choice([1.5, 2, 2])
    r = rng.random()
    if m.post == "一线医护":
        content = rng.choice(CONTENT_DOCTOR)
    elif m.post == "中小学教师" and r < 0.4:
        content = rng.choice(CONTENT_TEACHER)
    elif r < 0.6:
        content = rng.choice(CONTENT_MONTH[month])
    else:
        content = rng.choice(CONTENT_ANY)
    conf = rng.choice(CONFIRMERS) if confirmed else ""
    rating = "满意" if rng.random() < 0.85 else "基本满意"
    h = ("%g" % hours)
    return (m.id, dt.date(YEAR, month, day).isoformat(), h, m.community, content, conf, rating)


service_rows = []
for m in members:
    if m.category == "离退休":
        # a few retirees volunteer as well (not required of them)
        if m.id in ("QZ0401", "QZ0404", "QZ0410"):
            for month in (3, 6, 10):
                service_rows.append(service_record(m, month, hours=2))
        continue
    if m.category != "在职":
        continue
    for month in range(1, 13):
        if not eligible(m, month):
            continue
        if m.id == "QZ0110":                      # CS-COUNT + CS-HOURS: 3 records, 7.5 h
            if month in (3, 5, 10):
                service_rows.append(service_record(m, month, hours=2.5))
            continue
        if m.id == "QZ0211":                      # CS-HOURS: 12 short records, 15 h
            service_rows.append(service_record(m, month, hours=1 if month % 2 else 1.5))
            continue
        if m.id == "QZ0308":                      # CS-COUNT: 4 long records, 22 h
            if month in (4, 7, 10, 12):
                service_rows.append(service_record(m, month, hours=5.5))
            continue
        if m.id == "QZ0305":                      # doctor: 7 records, enough for 一线医护
            if month in (1, 3, 6, 7, 10, 11, 12):
                service_rows.append(service_record(m, month, hours=2))
            continue
        if m.id in ("QZ0306", "QZ0605") and month == 9:   # CS-MONTH 2022-09
            continue
        if m.id == "QZ0105" and month == 9:       # only an unconfirmed record in September
            service_rows.append(service_record(m, 9, hours=3, day=24, confirmed=False))
            continue
        service_rows.append(service_record(m, month))
        if m.id == "QZ0502" and month == 5:       # CS-UNCONFIRMED 2022-05 (plus a confirmed one)
            service_rows.append(service_record(m, 5, hours=2, day=29, confirmed=False))
        elif rng.random() < 0.12:
            service_rows.append(service_record(m, month))
service_rows.sort(key=lambda r: (r[0], r[1]))


# guarantee: ordinary in-service members reach 20 h (prorated) -- top up the last record
def _hours_min(m):
    el = sum(1 for mo in range(1, 13) if eligible(m, mo))
    f = 0.5 if m.post else 1.0
    return math.ceil(20 * el / 12 * f * 2) / 2


for m in members:
    if m.category != "在职" or m.id in ("QZ0110", "QZ0211", "QZ0308", "QZ0305"):
        continue
    idx = [i for i, r in enumerate(service_rows) if r[0] == m.id and r[5]]
    total = sum(float(service_rows[i][2]) for i in idx)
    need = _hours_min(m)
    while total < need:
        i = idx[rng.randrange(len(idx))]
        r = list(service_rows[i])
        if float(r[2]) < 4:
            r[2] = "%g" % (float(r[2]) + 0.5)
            total += 0.5
            service_rows[i] = tuple(r)

# ---------------------------------------------------------------- write
def write_csv(path, header, rows):
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(header)
    for r in rows:
        w.writerow(r)
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(buf.getvalue())


def main(argv):
    if len(argv) != 2:
        sys.stderr.write("usage: make_sample.py OUTDIR\n")
        return 2
    out = argv[1]
    os.makedirs(out, exist_ok=True)
    yn = lambda b: "是" if b else "否"
    write_csv(os.path.join(out, "members.csv"),
              ["member_id", "name", "branch", "unit", "category", "special_post", "leader",
               "monthly_dues", "dues_base", "joined", "left"],
              [(m.id, m.name, BNAME[m.branch], m.unit, m.category, m.post, yn(m.leader),
                money(m.dues), "" if m.base is None else str(m.base),
                m.joined.isoformat(), m.left.isoformat() if m.left else "") for m in members])
    write_csv(os.path.join(out, "meetings.csv"),
              ["meeting_id", "branch", "date", "kind", "topic", "actions", "minutes"],
              [(mt.id, BNAME[mt.branch], mt.date.isoformat(), mt.kind, mt.topic, mt.actions,
                mt.minutes) for mt in meetings])
    write_csv(os.path.join(out, "attendance.csv"),
              ["meeting_id", "member_id", "status", "reason"], attendance_rows)
    write_csv(os.path.join(out, "dues.csv"),
              ["member_id", "month", "amount", "paid_on", "channel"], dues_rows)
    write_csv(os.path.join(out, "service.csv"),
              ["member_id", "date", "hours", "community", "content", "confirmed_by", "rating"],
              service_rows)
    write_csv(os.path.join(out, "exemptions.csv"), ["member_id", "type", "from", "to"],
              [(i, t, a.isoformat(), b.isoformat()) for i, t, a, b in EXEMPTIONS])
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8", newline="") as f:
        f.write(readme())
    return 0


def readme():
    by = lambda i: "%s %s（%s）" % (i, M[i].name, BNAME[M[i].branch])
    n = {c: sum(1 for m in members if m.category == c) for c in ("在职", "离退休", "学生", "流动")}
    return README % dict(
        n=len(members), nb=len(BRANCHES), nz=n["在职"], nl=n["离退休"], ns=n["学生"], nf=n["流动"],
        nmeet=len(meetings), natt=len(attendance_rows), ndues=len(dues_rows),
        nserv=len(service_rows),
        **{k: by(k) for k in ["QZ0102", "QZ0302", "QZ0207", "QZ0312", "QZ0507", "QZ0106",
                              "QZ0310", "QZ0403", "QZ0204", "QZ0209", "QZ0406", "QZ0105",
                              "QZ0110", "QZ0211", "QZ0308", "QZ0305", "QZ0306", "QZ0605",
                              "QZ0108", "QZ0206", "QZ0114", "QZ0213", "QZ0510", "QZ0514",
                              "QZ0304", "QZ0210", "QZ0409", "QZ0112", "QZ0502", "QZ0412",
                              "QZ0401", "QZ0608", "QZ0506"]})


README = """\
# 示例数据 / Sample input

本目录是 `make run` 使用的示例数据，由 `tests/tools/make_sample.py` 生成
（`python3 tests/tools/make_sample.py input` 可逐字节重新生成，请勿手工修改）。

虚构单位“中共青州师范学院委员会”下 %(nb)d 个党支部、%(n)d 名党员（在职 %(nz)d、离退休 %(nl)d、
学生 %(ns)d、流动 %(nf)d），2022 年全年数据：活动 %(nmeet)d 次、签到 %(natt)d 条、党费 %(ndues)d 条、
下沉社区服务 %(nserv)d 条。**所有人名、单位、社区均为虚构，如有雷同纯属巧合。**
未附 `rules.ini`，规则取 `templates/rules.ini` 的默认值。

This is the sample the `make run` demo reports on: a fictional teachers' college party
committee (中共青州师范学院委员会), six branches, %(n)d members, the whole year 2022. All
names of people, places and organisations are invented. It is generated by
`tests/tools/make_sample.py` (deterministic; do not edit by hand). No `rules.ini` here:
the defaults of `templates/rules.ini` apply.

Most records are in order (一个主题党日每月、按时足额交纳党费、每月下沉社区服务);
the problems below are deliberate, so that every rule code appears.

## 2022 年 9 月（`zhibu monthly --month 2022-09`）

| 规则 | 情况 |
| --- | --- |
| TD-HELD | 附属实验小学党支部 9 月未开主题党日（开学工作繁忙，10 月 11 日补开） |
| TD-LATE | M2022-09-SX 数学与统计学院教工党支部 9 月 26 日才开（晚于 22 日） |
| TD-ACTIONS | M2022-09-JG 机关第一党支部 缺“讲授微党课” |
| TD-RECORD | M2022-09-LT 离退休教职工党支部 无会议记录（minutes 否） |
| AT-ABSENT | %(QZ0207)s 缺席 M2022-09-SX 与 9 月支部党员大会；%(QZ0312)s 在 M2022-09-JG 无签到记录；%(QZ0507)s 缺席 M2022-09-XS |
| AT-LEADER | %(QZ0102)s（院长，领导干部）请假未参加 M2022-09-WX |
| AT-LAPSE | %(QZ0207)s 4—9 月连续 6 个月未参加组织生活 |
| DU-UNPAID | %(QZ0106)s 9 月未交；%(QZ0310)s 4 月起未交 |
| DU-SHORT | %(QZ0403)s 9 月只交一半 |
| DU-LATE | %(QZ0204)s 9 月党费 2022-10-08 才交 |
| DU-RATE | %(QZ0209)s（在职，基数 6800，按 1%% 核定 68 元，应为 102 元）；%(QZ0406)s（离退休，基数 5600，核定 28 元，应为 56 元） |
| DU-LAPSE | %(QZ0310)s（流动，借调外地）4—9 月连续 6 个月未交 |
| CS-MONTH | %(QZ0105)s、%(QZ0110)s、%(QZ0305)s、%(QZ0306)s、%(QZ0308)s、%(QZ0605)s 9 月无已确认的下沉服务 |
| CS-UNCONFIRMED | %(QZ0105)s 2022-09-24 的服务记录无确认人 |

## 其他月份 / other months

- TD-HELD：文学院学生党支部 8 月（暑假）未开主题党日。
- TD-LATE：M2022-01-LT（1 月 25 日，春节前）。
- TD-ACTIONS：M2022-03-XS（线上，缺奏唱国歌、重温入党誓词）；M2022-05-FX（缺讲授微党课）。
- TD-RECORD：M2022-06-XS 签到表遗失（无任何签到行，不计出勤）；M2022-11-WX 无会议记录。
- AT-ABSENT / AT-LEADER：%(QZ0302)s（领导干部）缺席 M2022-03-JG；AT-ABSENT：%(QZ0112)s M2022-05-WX，
  %(QZ0409)s M2022-05-LT，%(QZ0608)s M2022-11-FX，%(QZ0506)s M2022-12-XS-DH；%(QZ0207)s 4—9 月每次均缺席。
- DU-LATE：%(QZ0304)s 3 月党费 4 月 2 日交。DU-SHORT：%(QZ0210)s 6 月。DU-UNPAID：%(QZ0409)s 12 月；
  %(QZ0310)s 4—12 月。
- CS-UNCONFIRMED：%(QZ0502)s 2022-05-29。
- CS-MONTH：上述 %(QZ0110)s、%(QZ0305)s、%(QZ0308)s 多个月份无服务记录。
- 全年（`zhibu annual --year 2022`）：CS-COUNT 与 CS-HOURS —— %(QZ0110)s（全年 3 次 7.5 小时）；
  仅 CS-HOURS —— %(QZ0211)s（12 次共 15 小时）；仅 CS-COUNT —— %(QZ0308)s（4 次共 22 小时）。
  %(QZ0207)s 因 AT-LAPSE 与缺席超过 3 次、%(QZ0310)s 因 DU-LAPSE 评为不合格。

## 不是问题的特殊情况 / edge cases that are not problems

- %(QZ0305)s 为一线医护（校医院），附属实验小学教师为中小学教师：年度最低次数、时长按 0.5 核减（3 次、10 小时）。
- 免除期（exemptions.csv）：%(QZ0108)s 哺乳期 3—8 月，%(QZ0206)s 病休 7—9 月，这些月份不要求下沉服务，
  年度要求按其余月份折算。
- %(QZ0114)s 2022-06-20 转入（7 月起为本支部党员）；%(QZ0213)s 2022-10-12 转出（算到 9 月）；
  %(QZ0510)s 2022-06-30 毕业转出；%(QZ0514)s 2022-09-08 转入。
- %(QZ0401)s 自愿多交党费（允许）；%(QZ0412)s 经批准免交党费（核定 0 元，不检查党费）。
- %(QZ0112)s 5 月党费分两次交足（两条记录合计，输入检查给出“重复交费”提示，不是问题）。
- 离退休教职工党支部没有在职领导干部，故无“领导干部”标记。
- 各支部有少数全年无任何问题、出勤最高的党员，年度考核可评为优秀（每支部不超过 30%%）。
- CSV 中有带逗号、引号的字段（如主题“学党章、守党纪”专题学习, 第一期），按 RFC 4180 加引号。
"""

if __name__ == "__main__":
    sys.exit(main(sys.argv))
