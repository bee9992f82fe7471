#!/usr/bin/env python3
"""secretary.py IN OUT — fill in the 问题清单 of the sample's August workbook
as a branch secretary would, with openpyxl, and save it as OUT
(tests/e2e/ledger_loop.sh gives it to the September run as the ledger).

Marks problems 已整改 (one of them fixed in the data too, the others not),
整改中 and 无需整改, gives 完成日期 as a date cell and as text, leaves some
untouched (blank = 未整改), and adds a row with an id the data do not have.
The loop test expects exactly these.
"""
import datetime
import sys
import warnings

try:
    import openpyxl
except ImportError:  # Debian's python3-openpyxl, when another python3 comes first
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl

MARKS = {
    # 已整改, data unchanged: the September run says the data still show it
    "AT-ABSENT/QZ0207/M2022-08-SX": {"整改情况": "已整改", "完成日期": datetime.date(2022, 9, 5),
                                     "整改措施": "约谈提醒，补学会议内容", "责任人": "王书记"},
    "CS-MONTH/QZ0308/2022-08": {"整改情况": "已整改", "完成日期": "2022年9月6日"},
    # 已整改, and the record was added to service.csv: closed
    "CS-MONTH/QZ0305/2022-08": {"整改情况": "已整改", "完成日期": datetime.date(2022, 9, 3),
                                "整改措施": "补录社区确认的服务记录", "责任人": "廖杰博"},
    "TD-HELD/文学院学生党支部/2022-08": {"整改情况": "无需整改", "整改措施": "暑期，经党委同意改在9月开展"},
    "DU-RATE/QZ0209/2022": {"整改情况": "整改中", "整改措施": "重新核定党费基数", "责任人": "叶俊晨",
                            "整改时限": datetime.date(2022, 10, 31)},
    "CS-MONTH/QZ0110/2022-08": {"整改情况": "整改中", "责任人": "胡健新"},
}
UNKNOWN = "DU-UNPAID/QZ9999/2022-08"


def main(src, dst):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(src)
    ws = wb["问题清单"]
    header = next(r for r in ws.iter_rows(min_row=1, max_row=20) if r[0].value == "问题编号")
    cols = {c.value: c.column for c in header if c.value}
    seen, last = set(), header[0].row
    for r in range(header[0].row + 1, ws.max_row + 1):
        pid = ws.cell(r, 1).value
        if not pid:
            continue
        last = r
        for col, value in MARKS.get(pid, {}).items():
            cell = ws.cell(r, cols[col])
            cell.value = value
            if isinstance(value, datetime.date):
                cell.number_format = "yyyy-mm-dd"
        seen.add(pid)
    missing = set(MARKS) - seen
    if missing:
        sys.exit("not in the 问题清单: %s" % ", ".join(sorted(missing)))
    ws.cell(last + 1, 1).value = UNKNOWN
    ws.cell(last + 1, cols["整改情况"]).value = "整改中"
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
