#!/usr/bin/env python3
"""edit.py IN OUT — edit a zhibu workbook's 问题清单 sheets as a secretary
would, with openpyxl, and save it as OUT (tests/ledger/make-fixtures).

Marks problems 已整改 / 整改中 / 无需整改, fills 整改措施 and 责任人, gives
完成日期 as a date cell, as text and as a date-time, 整改时限 with a Chinese
date format, adds the 整改情况 dropdown and a note under the table.  What
tests/unit/test_ledger.c expects to read back is exactly this.
"""
import datetime
import sys
import warnings

try:
    import openpyxl
except ImportError:  # Debian's python3-openpyxl, when another python3 comes first
    sys.path.append("/usr/lib/python3/dist-packages")
    import openpyxl
from openpyxl.worksheet.datavalidation import DataValidation

EDITS = {
    "AT-ABSENT/QZ0207/M2022-08-SX": {"整改情况": "已整改", "完成日期": datetime.date(2022, 9, 5),
                                     "整改措施": "约谈提醒，补学会议内容", "责任人": "王书记"},
    "DU-RATE/QZ0209/2022": {"整改情况": "整改中", "整改措施": "重新核定党费基数\n下月起按规定比例交纳",
                            "责任人": "叶俊晨"},
    "TD-HELD/文学院学生党支部/2022-08": {"整改情况": "无需整改", "整改措施": "8月为暑期，经党委同意改在9月开展"},
    "CS-MONTH/QZ0110/2022-08": {"整改情况": "已整改", "完成日期": "2022年9月8日",
                                "整改措施": "已补做下沉服务 2 小时", "责任人": "胡健新"},
    "DU-LATE/QZ0301/2022-08": {"整改情况": " 整改中 ", "整改时限": datetime.date(2022, 10, 15), "责任人": "王一"},
    "AT-ABSENT/QZ0207/M2022-08-SX#2": {"整改情况": "已整改", "完成日期": datetime.datetime(2022, 9, 10, 14, 30),
                                       "整改措施": "<&> “引号”\t𠮷", "责任人": "张三"},
    "DU-UNPAID/QZ0302/2022-08": {"整改情况": "未整改", "责任人": "李二"},
}
FORMATS = {"完成日期": "yyyy-mm-dd", "整改时限": 'yyyy"年"m"月"d"日"'}


def main(src, dst):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(src)
    seen = set()
    for ws in wb.worksheets:
        if not ws.title.startswith("问题清单"):
            continue
        header = None
        for row in ws.iter_rows(min_row=1, max_row=20):
            if row[0].value == "problem_id":
                header = row[0].row
                cols = {c.value: c.column for c in row if c.value}
                break
        if header is None:
            sys.exit("%s: no header row" % ws.title)
        last = header
        for r in range(header + 1, ws.max_row + 1):
            pid = ws.cell(r, 1).value
            if not pid:
                continue
            last = r
            for col, value in EDITS.get(pid, {}).items():
                cell = ws.cell(r, cols[col])
                cell.value = value
                if isinstance(value, datetime.datetime):
                    cell.number_format = "yyyy/m/d h:mm"
                elif isinstance(value, datetime.date):
                    cell.number_format = FORMATS[col]
            seen.add(pid)
        dv = DataValidation(type="list", formula1='"未整改,整改中,已整改,无需整改"', allow_blank=True)
        ws.add_data_validation(dv)
        letter = openpyxl.utils.get_column_letter(cols["整改情况"])
        dv.add("%s%d:%s%d" % (letter, header + 1, letter, last))
        if ws.title != "问题清单":
            ws.cell(last + 2, 1).value = "说明：整改情况请从下拉列表中选择"
    missing = set(EDITS) - seen
    if missing:
        sys.exit("not found: %s" % ", ".join(sorted(missing)))
    wb.save(dst)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
