#!/usr/bin/env python3
"""damaged.py GOOD.xlsx OUTDIR [--light] — damaged and hostile workbooks for
tests/e2e/ledger.sh, made at test time (nothing big is committed):

  truncated.xlsx   GOOD cut at 60 %: no zip directory
  bomb.xlsx        a sheet of 200 MB of spaces (~1000:1 deflated)
  sst-huge.xlsx    16,777,217 shared strings (padded so the ratio is normal;
                   not made with --light: reading up to the cap takes seconds
                   under the sanitizers)
  sst-declared.xlsx  a shared-string table that declares 16,777,217 strings
  laughs.xlsx      billion laughs: nested entities in the shared strings
  docx.xlsx        a Word document renamed
  gbk.xlsx         a sheet declared and written in GBK
  bad-utf8.xlsx    a sheet declared UTF-8 holding GBK bytes
  xls.xlsx         an old binary Excel file (OLE header)
  csv.xlsx         a CSV renamed
  empty.xlsx       0 bytes
  no-id.xlsx       GOOD without its problem_id column (openpyxl)
  bad-status.xlsx  GOOD with 整改情况 “完成” on 问题清单 (2) row 3 (openpyxl)
"""
import base64
import os
import random
import sys
import warnings
import zipfile

M = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
P = "http://schemas.openxmlformats.org/package/2006/relationships"


def book(path, sheet, sst=None, stream_sheet=None, stream_sst=None):
    """A one-sheet workbook; sheet/sst are bytes, or stream_* write into a file object."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                   'Target="xl/workbook.xml"/></Relationships>' % (P, R))
        z.writestr("xl/workbook.xml", '<workbook xmlns="%s" xmlns:r="%s"><sheets><sheet name="问题清单" sheetId="1" '
                   'r:id="rId1"/></sheets></workbook>' % (M, R))
        z.writestr("xl/_rels/workbook.xml.rels", '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/worksheet" '
                   'Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="%s/sharedStrings" '
                   'Target="sharedStrings.xml"/></Relationships>' % (P, R, R))
        if stream_sheet:
            with z.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as f:
                stream_sheet(f)
        else:
            z.writestr("xl/worksheets/sheet1.xml", sheet)
        if stream_sst:
            with z.open("xl/sharedStrings.xml", "w", force_zip64=True) as f:
                stream_sst(f)
        elif sst is not None:
            z.writestr("xl/sharedStrings.xml", sst)


HEADER = ('<worksheet xmlns="%s"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>problem_id</t></is></c>'
          '<c r="B1" t="inlineStr"><is><t>整改情况</t></is></c></row>' % M)
ROW = ('<row r="2"><c r="A2" t="inlineStr"><is><t>%s</t></is></c><c r="B2" t="inlineStr"><is><t>%s</t></is></c></row>'
       '</sheetData></worksheet>')


def main(good, out, light):
    os.makedirs(out, exist_ok=True)
    j = lambda n: os.path.join(out, n)
    data = open(good, "rb").read()
    open(j("truncated.xlsx"), "wb").write(data[: len(data) * 6 // 10])

    def spaces(f):
        f.write(HEADER.encode())
        chunk = b" " * (1 << 20)
        for _ in range(200):
            f.write(chunk)
        f.write((ROW % ("DU-LATE/QZ0301/2022-08", "已整改")).encode())
    book(j("bomb.xlsx"), None, stream_sheet=spaces)

    def many(f):
        # random bytes in a comment keep the part's deflate ratio ordinary
        random.seed(14)
        pad = base64.b64encode(bytes(random.getrandbits(8) for _ in range(600000)))
        f.write(b'<?xml version="1.0" encoding="UTF-8"?><!--' + pad + b'--><sst xmlns="' + M.encode() + b'">')
        chunk = b"<si/>" * 100000
        n = 16777217
        while n > 0:
            k = min(n, 100000)
            f.write(chunk[: 5 * k])
            n -= k
        f.write(b"</sst>")
    if not light:
        book(j("sst-huge.xlsx"), HEADER.encode() + (ROW % ("a", "b")).encode(), stream_sst=many)
    book(j("sst-declared.xlsx"), HEADER + ROW % ("a", "b"),
         sst='<sst xmlns="%s" count="16777217" uniqueCount="16777217"><si><t>a</t></si></sst>' % M)

    ents = '<!ENTITY l0 "lol">' + "".join('<!ENTITY l%d "%s">' % (k, ("&l%d;" % (k - 1)) * 10) for k in range(1, 10))
    book(j("laughs.xlsx"), HEADER + ROW % ("&#x41;", "b"),
         sst='<?xml version="1.0"?><!DOCTYPE sst [%s]><sst xmlns="%s"><si><t>&l9;</t></si></sst>' % (ents, M))

    with zipfile.ZipFile(j("docx.xlsx"), "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>')
        z.writestr("_rels/.rels", '<Relationships xmlns="%s"><Relationship Id="rId1" Type="%s/officeDocument" '
                   'Target="word/document.xml"/></Relationships>' % (P, R))
        z.writestr("word/document.xml", '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/'
                   '2006/main"><w:body><w:p><w:r><w:t>问题清单</w:t></w:r></w:p></w:body></w:document>')

    gbk = (HEADER + ROW % ("DU-LATE/QZ0301/2022-08", "已整改")).encode("gbk")
    book(j("gbk.xlsx"), b'<?xml version="1.0" encoding="GBK"?>' + gbk)
    book(j("bad-utf8.xlsx"), b'<?xml version="1.0" encoding="UTF-8"?>\n' + gbk)
    open(j("xls.xlsx"), "wb").write(b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1" + bytes(504))
    open(j("csv.xlsx"), "w").write("problem_id,整改情况\nDU-LATE/QZ0301/2022-08,已整改\n")
    open(j("empty.xlsx"), "wb").close()

    try:
        import openpyxl
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import openpyxl
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(good)
    for ws in wb.worksheets:
        ws.delete_cols(1)
    wb.save(j("no-id.xlsx"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = openpyxl.load_workbook(good)
    ws = wb["问题清单 (2)"]
    col = [c.value for c in ws[1]].index("整改情况") + 1
    ws.cell(3, col).value = "完成"
    wb.save(j("bad-status.xlsx"))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], "--light" in sys.argv[3:])
