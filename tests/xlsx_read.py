#!/usr/bin/env python3
"""xlsx_read.py — read an XLSX workbook back for the tests (openpyxl).

  xlsx_read.py FILE                 JSON: properties, charts, and per sheet its
                                    name, frozen pane, autofilter, size, column
                                    widths and print settings
  xlsx_read.py FILE --flat         the same as key=value lines, for grep and C
                                    tests: sheetnames=A|B|… (the visible ones),
                                    hidden=…, font=NAME (the Normal style's),
                                    props.KEY=…, sheet.NAME.KEY=… (print.KEY=…;
                                    conditional_formats=RANGE|FORMULA|FILL,
                                    validations=RANGE|TYPE|FORMULA1),
                                    chart.N.KEY=… (lists: one line per item)
  xlsx_read.py FILE --csv SHEET     the sheet's values as CSV (dates YYYY-MM-DD)
  xlsx_read.py FILE --cells SHEET   JSON list of the non-empty cells: ref, type
                                    (openpyxl data_type: s, n, d, b, f), value
                                    (a formula's text), format, bold, fill (RGB),
                                    wrap, font
  xlsx_read.py FILE --values SHEET  the sheet's cached values as CSV (a formula's
                                    value as the writer stored it)
  xlsx_read.py FILE --attr SHEET REF one cell (blank too) as one JSON line, like --cells
  xlsx_read.py FILE --cell SHEET REF
                                    one line: type<TAB>format<TAB>value<TAB>bold<TAB>fill

Exit status 0, or 1 with a message when the file cannot be read or the sheet
does not exist.
"""
import csv
import datetime
import json
import re
import sys
import warnings
import zipfile


def import_openpyxl():
    try:
        import openpyxl
    except ImportError:
        # Debian's python3-openpyxl, when another python3 comes first in PATH
        sys.path.append("/usr/lib/python3/dist-packages")
        import openpyxl
    return openpyxl


def load(path):
    openpyxl = import_openpyxl()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return openpyxl.load_workbook(path)


def fmt_value(v):
    if isinstance(v, datetime.datetime):
        if v.time() == datetime.time(0):
            return v.strftime("%Y-%m-%d")
        return v.isoformat()
    if isinstance(v, datetime.date):
        return v.strftime("%Y-%m-%d")
    return v


def fill_of(cell):
    f = cell.fill
    if f is None or f.fill_type in (None, "none"):
        return ""
    rgb = f.fgColor.rgb if f.fgColor is not None else ""
    return rgb if isinstance(rgb, str) else ""


def sheet_info(ws):
    ps = ws.page_setup
    fit = ws.sheet_properties.pageSetUpPr
    widths = {}
    for key, dim in sorted(ws.column_dimensions.items()):
        if dim.width:
            widths[key] = round(dim.width, 2)
    heights = {}
    for r, dim in sorted(ws.row_dimensions.items()):
        if dim.height:
            heights[str(r)] = dim.height
    footer = ws.oddFooter
    header = ws.oddHeader
    cf = []
    for rng in ws.conditional_formatting:
        for rule in rng.rules:
            fill = rule.dxf.fill.bgColor.rgb if rule.dxf is not None and rule.dxf.fill is not None else ""
            cf.append("%s|%s|%s" % (rng.sqref, "|".join(rule.formula), fill))
    dv = ["%s|%s|%s" % (v.sqref, v.type, v.formula1) for v in ws.data_validations.dataValidation]
    return {
        "name": ws.title,
        "state": ws.sheet_state,
        "freeze": ws.freeze_panes,
        "autofilter": ws.auto_filter.ref,
        "max_row": ws.max_row,
        "max_column": ws.max_column,
        "col_widths": widths,
        "row_heights": heights,
        "conditional_formats": cf,
        "validations": dv,
        "print": {
            "orientation": ps.orientation,
            "paper": ps.paperSize,
            "fit_to_page": bool(fit.fitToPage) if fit is not None else False,
            # absent attributes take their OOXML default (1)
            "fit_width": 1 if ps.fitToWidth is None else ps.fitToWidth,
            "fit_height": 1 if ps.fitToHeight is None else ps.fitToHeight,
            "title_rows": ws.print_title_rows,
            "title_cols": ws.print_title_cols,
            "scale": ps.scale,
            "page_order": ps.pageOrder,
            "footer_left": footer.left.text,
            "footer_center": footer.center.text,
            "header_left": header.left.text,
        },
    }


def charts(path):
    out = []
    with zipfile.ZipFile(path) as z:
        for name in sorted(z.namelist()):
            m = re.fullmatch(r"xl/charts/chart(\d+)\.xml", name)
            if not m:
                continue
            x = z.read(name).decode("utf-8")
            kind = re.search(r"<c:(barChart|lineChart|pieChart|areaChart)>", x)
            bar_dir = re.search(r'<c:barDir val="(\w+)"', x)
            titles = re.findall(r"<a:t>(.*?)</a:t>", x)
            out.append({
                "file": name,
                "kind": kind.group(1) if kind else None,
                "bar_dir": bar_dir.group(1) if bar_dir else None,
                "refs": re.findall(r"<c:f>(.*?)</c:f>", x),
                "texts": titles,
                "num_formats": re.findall(r'formatCode="([^"]*)"', x),
            })
    return out


def app_company(path):
    with zipfile.ZipFile(path) as z:
        try:
            x = z.read("docProps/app.xml").decode("utf-8")
        except KeyError:
            return None
    m = re.search(r"<Company>(.*?)</Company>", x)
    return m.group(1) if m else None


def summary(path):
    wb = load(path)
    p = wb.properties
    normal = [st for st in wb._named_styles if st.name == "Normal"]
    return {
        "font": normal[0].font.name if normal else None,
        "properties": {
            "title": p.title,
            "subject": p.subject,
            "creator": p.creator,
            "company": app_company(path),
            "created": p.created.isoformat() if p.created else None,
        },
        "sheets": [sheet_info(ws) for ws in wb.worksheets],
        "charts": charts(path),
    }


def flat(obj, prefix, out):
    if isinstance(obj, dict):
        for k, v in obj.items():
            flat(v, prefix + "." + str(k) if prefix else str(k), out)
    elif isinstance(obj, list):
        for v in obj:
            flat(v, prefix, out)
    else:
        v = "" if obj is None else obj
        if isinstance(v, bool):
            v = int(v)
        out.append("%s=%s" % (prefix, str(v).replace("\n", "\\n")))


def flat_summary(path):
    s = summary(path)
    out = ["sheetnames=" + "|".join(sh["name"] for sh in s["sheets"] if sh["state"] == "visible")]
    out.append("hidden=" + "|".join(sh["name"] for sh in s["sheets"] if sh["state"] != "visible"))
    out.append("font=%s" % s["font"])
    flat(s["properties"], "props", out)
    for sh in s["sheets"]:
        flat({k: v for k, v in sh.items() if k != "name"}, "sheet." + sh["name"], out)
    for i, c in enumerate(s["charts"], 1):
        flat(c, "chart.%d" % i, out)
    return out


def sheet(wb, name):
    if name not in wb.sheetnames:
        sys.exit("xlsx_read: no sheet %r (have %s)" % (name, ", ".join(wb.sheetnames)))
    return wb[name]


def cell_json(c):
    return {
        "ref": c.coordinate,
        "type": c.data_type,
        "value": fmt_value(c.value),
        "format": c.number_format,
        "bold": bool(c.font.b),
        "fill": fill_of(c),
        "wrap": bool(c.alignment.wrap_text),
        "font": c.font.name,
    }


def main(argv):
    if len(argv) < 2:
        sys.exit(__doc__)
    path = argv[1]
    try:
        if len(argv) == 2:
            json.dump(summary(path), sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        if argv[2] == "--flat" and len(argv) == 3:
            print("\n".join(flat_summary(path)))
            return 0
        wb = load(path)
        if argv[2] == "--values" and len(argv) == 4:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wbv = import_openpyxl().load_workbook(path, data_only=True)
            w = csv.writer(sys.stdout, lineterminator="\n")
            for row in sheet(wbv, argv[3]).iter_rows(values_only=True):
                w.writerow(["" if v is None else fmt_value(v) for v in row])
            return 0
        if argv[2] == "--csv" and len(argv) == 4:
            w = csv.writer(sys.stdout, lineterminator="\n")
            for row in sheet(wb, argv[3]).iter_rows(values_only=True):
                w.writerow(["" if v is None else fmt_value(v) for v in row])
            return 0
        if argv[2] == "--cells" and len(argv) == 4:
            cells = [cell_json(c) for row in sheet(wb, argv[3]).iter_rows() for c in row
                     if c.value is not None]
            json.dump(cells, sys.stdout, ensure_ascii=False, indent=1)
            print()
            return 0
        if argv[2] == "--attr" and len(argv) == 5:
            print(json.dumps(cell_json(sheet(wb, argv[3])[argv[4]]), ensure_ascii=False))
            return 0
        if argv[2] == "--cell" and len(argv) == 5:
            c = sheet(wb, argv[3])[argv[4]]
            j = cell_json(c)
            print("\t".join(str(x) for x in (j["type"], j["format"], j["value"], int(j["bold"]), j["fill"])))
            return 0
    except (OSError, zipfile.BadZipFile, KeyError, ValueError) as e:
        sys.exit("xlsx_read: %s: %s" % (path, e))
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv))
