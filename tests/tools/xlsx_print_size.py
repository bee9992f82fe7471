#!/usr/bin/env python3
"""xlsx_print_size.py BOOK.xlsx SHEET [--keep DIR]

The size, in points, at which LibreOffice prints the body text (the table's
cells) of one sheet of a workbook.

How: LibreOffice (soffice --headless) prints the workbook to PDF, and prints
a copy in which every sheet is set to 100 % without fitting (openpyxl).  The
sheet's pages are the ones whose footer names it ("SHEET — 第 n 页"); its body
words are the text cells of its table found as whole words on those pages
(pdftotext -bbox).  The same word at 100 % is as high as the cells' font size
(read from the workbook), so the size printed is

    font size × height on the real print / height on the 100 % print

— whatever the fonts LibreOffice substitutes, since both prints use the same.
Prints "SIZE_PT WORDS" (the smallest size among the matched words and how
many were matched); exits 1 when no body word is found.  --keep DIR keeps the
PDFs there.
"""
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import warnings
import xml.etree.ElementTree as ET


def openpyxl():
    try:
        import openpyxl as o
    except ImportError:
        sys.path.append("/usr/lib/python3/dist-packages")
        import openpyxl as o
    return o


def to_pdf(xlsx, outdir, home):
    env = dict(os.environ, HOME=home)
    subprocess.run(["soffice", "--headless", "--convert-to", "pdf", "--outdir", outdir, xlsx], env=env,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=300, check=False)
    pdf = os.path.join(outdir, os.path.splitext(os.path.basename(xlsx))[0] + ".pdf")
    if not os.path.exists(pdf):
        sys.exit(f"xlsx_print_size: LibreOffice did not print {xlsx}")
    return pdf


def words_by_page(pdf):
    """[(page text, [(word, height)])] from pdftotext -bbox."""
    xml = subprocess.run(["pdftotext", "-bbox", pdf, "-"], capture_output=True, check=True).stdout.decode("utf-8")
    xml = re.sub(r"<!DOCTYPE[^>]*>", "", xml)
    xml = re.sub(r' xmlns="[^"]*"', "", xml)
    pages = []
    for page in ET.fromstring(xml).iter("page"):
        words = [(w.text or "", float(w.get("yMax")) - float(w.get("yMin"))) for w in page.iter("word")]
        pages.append((" ".join(t for t, _ in words), words))
    return pages


def sheet_heights(pdf, sheet, body):
    """Height of each body word on the sheet's pages (the first occurrence)."""
    footer = re.compile(re.escape(sheet) + r" — 第 \d+ 页")
    found = {}
    for text, words in words_by_page(pdf):
        if not footer.search(text):
            continue
        for t, h in words:
            if t in body and t not in found:
                found[t] = h
    return found


def main(argv):
    if len(argv) < 3:
        sys.exit(__doc__)
    book, sheet = argv[1], argv[2]
    keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
    o = openpyxl()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        wb = o.load_workbook(book)
    if sheet not in wb.sheetnames:
        sys.exit(f"xlsx_print_size: no sheet {sheet!r}")
    ws = wb[sheet]
    # the body: text cells under the header (rows after the frozen pane), no spaces (whole words)
    first = ws[ws.freeze_panes].row if ws.freeze_panes else 2
    body, sizes = set(), set()
    for row in ws.iter_rows(min_row=first):
        for c in row:
            v = c.value
            if isinstance(v, int) and not isinstance(v, bool) and c.number_format in ("0", "General"):
                v = str(v)  # a whole number prints as its digits
            if isinstance(v, str) and not v.startswith("=") and not re.search(r"\s", v) and len(v) >= 2:
                body.add(v)
                sizes.add(c.font.sz or 11)
    if not body:
        sys.exit(f"xlsx_print_size: {sheet}: no text cells")
    if len(sizes) != 1:
        sys.exit(f"xlsx_print_size: {sheet}: cells of several sizes {sorted(sizes)}")
    size = sizes.pop()

    tmp = tempfile.mkdtemp(prefix="printsize")
    try:
        home = os.path.join(tmp, "home")
        os.makedirs(home)
        real = to_pdf(os.path.abspath(book), os.path.join(tmp, "real"), home)
        for w in wb.worksheets:  # the same workbook at 100 %
            w.page_setup.scale = 100
            w.page_setup.fitToWidth = None
            w.page_setup.fitToHeight = None
            if w.sheet_properties.pageSetUpPr is not None:
                w.sheet_properties.pageSetUpPr.fitToPage = False
        full = os.path.join(tmp, "full.xlsx")
        wb.save(full)
        ref = to_pdf(full, os.path.join(tmp, "ref"), home)
        a, b = sheet_heights(real, sheet, body), sheet_heights(ref, sheet, body)
        ratios = [a[t] / b[t] for t in a if t in b and b[t] > 0]
        if keep:
            os.makedirs(keep, exist_ok=True)
            shutil.copy(real, os.path.join(keep, "real.pdf"))
            shutil.copy(ref, os.path.join(keep, "full.pdf"))
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    if not ratios:
        sys.exit(f"xlsx_print_size: {sheet}: no body word found on its printed pages")
    print(f"{size * min(ratios):.2f} {len(ratios)} (median {size * statistics.median(ratios):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
