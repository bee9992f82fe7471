#!/usr/bin/env python3
"""pdf_layout.py FILE... — the page layout of zhibu's PDFs, read back.

The words and their boxes come from `pdftotext -bbox-layout`; the table
grids from the page content (the 0.5 pt rules zhibu draws tables with,
through qpdf).  Three kinds of fault are reported, one line each:

  single    a table line holding a single character that belongs to a longer
            word of its cell (本月无确认的服 / 务, 出 / 席, 135 / 元);
  heading   a page whose text ends with a heading (一、…, （一）…, 1. …, a
            centred title) or a table caption: what it announces is on the
            next page;
  rows      a table split over pages with fewer than 3 body rows on one of
            its pages (its start, or a page under a repeated header) while
            the table has 3 or more.

A table continues on the next page when that page starts with a table whose
header row reads the same.  Prints "FAULT kind file p.N: what" lines and a
summary "N PDFs, P pages, T tables, F faults"; exits 1 when there is a
fault.  --kinds single,heading,rows limits the checks.
"""
import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

MIN_ROWS = 3
RULE_W = 0.5
MM = 72 / 25.4
XHTML = "{http://www.w3.org/1999/xhtml}"
HEADING = re.compile(r"^([一二三四五六七八九十]+、|（[一二三四五六七八九十]+）|\d+[.．]\s*\S)")


def is_word_char(c):
    o = ord(c)
    return (c.isascii() and c.isalnum()) or 0x3400 <= o <= 0x9FFF or 0xF900 <= o <= 0xFAFF or o >= 0x20000 \
        or 0xFF10 <= o <= 0xFF19 or c == "〇"


# ---- the text ----------------------------------------------------------------

def words_by_page(path):
    """Per page: (width, height, [lines]); a line is a list of words (x0, y0, x1, y1, text),
    y from the top of the page, as pdftotext -bbox-layout gives them."""
    out = subprocess.run(["pdftotext", "-bbox-layout", path, "-"], capture_output=True, check=True).stdout
    root = ET.fromstring(out)
    pages = []
    for page in root.iter(XHTML + "page"):
        lines = []
        for line in page.iter(XHTML + "line"):
            ws = [(float(w.get("xMin")), float(w.get("yMin")), float(w.get("xMax")), float(w.get("yMax")), w.text or "")
                  for w in line.iter(XHTML + "word")]
            if ws:
                lines.append(ws)
        pages.append((float(page.get("width")), float(page.get("height")), lines))
    return pages


# ---- the rules ---------------------------------------------------------------

def page_contents(path):
    """The decoded content stream of every page (bytes)."""
    pj = json.loads(subprocess.run(["qpdf", "--json=2", "--json-key=pages", path], capture_output=True,
                                   check=True).stdout)
    refs = [p["contents"] for p in pj["pages"]]
    args = ["qpdf", "--json=2", "--json-key=qpdf", "--json-stream-data=inline", "--decode-level=generalized"]
    for rs in refs:
        for r in rs:
            args.append("--json-object=" + r.split()[0])
    objs = json.loads(subprocess.run(args + [path], capture_output=True, check=True).stdout)["qpdf"][1]
    import base64
    return [b"".join(base64.b64decode(objs["obj:" + r]["stream"].get("data", "")) for r in rs) for rs in refs]


TOKEN = re.compile(rb"\((?:\\.|[^\\)])*\)|<[0-9A-Fa-f\s]*>|\[|\]|/[^\s/\[\]()<>]+|[^\s/\[\]()<>]+")


def rules(content):
    """The straight lines stroked at the table rule width: (x1, y1, x2, y2), PDF coordinates."""
    out, stack, width, path, in_text = [], [], 1.0, [], False
    cur = None
    for tok in TOKEN.findall(content):
        t = tok.decode("latin-1")
        if t == "BT":
            in_text = True
        elif t == "ET":
            in_text = False
        elif t == "w" and stack:
            width = float(stack[-1])
        elif t == "m" and len(stack) >= 2 and not in_text:
            cur = (float(stack[-2]), float(stack[-1]))
        elif t == "l" and len(stack) >= 2 and cur and not in_text:
            nxt = (float(stack[-2]), float(stack[-1]))
            path.append((cur[0], cur[1], nxt[0], nxt[1], width))
            cur = nxt
        elif t in ("S", "s"):
            out.extend(p for p in path if abs(p[4] - RULE_W) < 0.01)
            path = []
        elif t in ("n", "f", "F", "B", "b", "f*", "B*", "b*"):
            path = []
        if re.fullmatch(r"-?[0-9.]+", t):
            stack.append(t)
        else:
            stack = []
    return [(x1, y1, x2, y2) for x1, y1, x2, y2, _ in out]


def grids(lines_, page_h):
    """Table fragments of a page from its rules: each {"xs", "ys"} (y from the page's top,
    ys[0] the top rule), in reading order."""
    vert = {}
    horiz = []
    for x1, y1, x2, y2 in lines_:
        if abs(x1 - x2) < 0.01 and abs(y1 - y2) > 0.01:
            top, bot = page_h - max(y1, y2), page_h - min(y1, y2)
            vert.setdefault((round(top, 1), round(bot, 1)), set()).add(round(x1, 2))
        elif abs(y1 - y2) < 0.01:
            horiz.append((min(x1, x2), max(x1, x2), page_h - y1))
    frags = []
    for (top, bot), xs in vert.items():
        xs = sorted(xs)
        if len(xs) < 2:
            continue
        ys = sorted({round(y, 1) for a, b, y in horiz
                     if top - 0.6 <= y <= bot + 0.6 and a <= xs[0] + 0.6 and b >= xs[-1] - 0.6})
        ys = sorted(set(ys) | {top, bot})
        frags.append({"xs": xs, "ys": ys, "top": top, "bot": bot})
    frags.sort(key=lambda f: (f["top"], f["xs"][0]))
    return frags


# ---- the checks ----------------------------------------------------------------

def text_block(w, h):
    """The text block (x0, top, x1, bottom), y from the top (GB/T 9704 frame, turned for landscape)."""
    if w > h:
        return 35 * MM, 28 * MM, 35 * MM + 225 * MM, 28 * MM + 156 * MM
    return 28 * MM, 37 * MM, 28 * MM + 156 * MM, 37 * MM + 225 * MM


def cell_lines(frag, words):
    """{(row, col): [line text, …]} of a fragment's words, lines top to bottom."""
    xs, ys = frag["xs"], frag["ys"]
    cells = {}
    for x0, y0, x1, y1, t in words:
        cx, cy = (x0 + x1) / 2, (y0 + y1) / 2
        if not (xs[0] < cx < xs[-1] and ys[0] < cy < ys[-1]):
            continue
        col = max(i for i in range(len(xs) - 1) if xs[i] < cx)
        row = max(i for i in range(len(ys) - 1) if ys[i] < cy)
        cells.setdefault((row, col), []).append((round(y0, 0), x0, t))
    out = {}
    for key, ws in cells.items():
        ws.sort()
        lines, last = [], None
        for y, x, t in ws:
            if last is None or abs(y - last) > 2:
                lines.append("")
            lines[-1] += t
            last = y
        out[key] = lines
    return out


def check_single(cells, where, faults):
    for (row, col), lines in sorted(cells.items()):
        for k, line in enumerate(lines):
            wc = [c for c in line if is_word_char(c)]
            if len(wc) != 1:
                continue
            joined_before = k > 0 and lines[k - 1] and is_word_char(lines[k - 1][-1]) and is_word_char(line[0])
            joined_after = k + 1 < len(lines) and lines[k + 1] and is_word_char(lines[k + 1][0]) \
                and is_word_char(line[-1])
            if joined_before or joined_after:
                faults.append(("single", f"{where}: row {row} column {col + 1}: line “{line}” of “{'/'.join(lines)}”"))


def is_heading(line, block, all_frags):
    x0 = min(w[0] for w in line)
    x1 = max(w[2] for w in line)
    y0 = min(w[1] for w in line)
    y1 = max(w[3] for w in line)
    text = "".join(w[4] for w in line)
    if any(f["top"] - 1 <= (y0 + y1) / 2 <= f["bot"] + 1 for f in all_frags):
        return None  # inside a table
    centred = abs((x0 + x1) / 2 - (block[0] + block[2]) / 2) < 3
    h = y1 - y0
    if HEADING.match(text) and h >= 14:
        return "heading “" + text + "”"
    if centred and h >= 17:
        return "title “" + text + "”"
    if centred and 14.8 <= h <= 15.6 and x0 > block[0] + 10:
        return "caption “" + text + "”"
    return None


def check_file(path, kinds, faults, stats):
    pages = words_by_page(path)
    contents = page_contents(path)
    name = path.rsplit("/", 1)[-1]
    tables = []  # each: list of (page no, body rows, header text)
    prev_last = None  # the last fragment of the previous page: (table index, bottom reached)
    for pno, ((w, h, lines), content) in enumerate(zip(pages, contents), 1):
        block = text_block(w, h)
        frags = grids(rules(content), h)
        words = [wd for line in lines for wd in line]
        stats["pages"] += 1
        first_at_top = None
        for fi, f in enumerate(frags):
            cells = cell_lines(f, words)
            header = "|".join("".join(cells.get((0, c), [])) for c in range(len(f["xs"]) - 1))
            body = len(f["ys"]) - 2
            if "single" in kinds:
                check_single(cells, f"{name} p.{pno}", faults)
            # is it the one the previous page ended with, going on?
            at_top = f["top"] <= block[1] + 2
            if fi == 0 and at_top and prev_last is not None and tables[prev_last][-1][2] == header:
                tables[prev_last].append((pno, body, header))
                idx = prev_last
            else:
                tables.append([(pno, body, header)])
                idx = len(tables) - 1
            if fi == len(frags) - 1:
                first_at_top = idx
        prev_last = first_at_top if frags else None
        if "heading" in kinds:
            inside = [ln for ln in lines
                      if block[0] - 2 <= min(x[0] for x in ln) and max(x[2] for x in ln) <= block[2] + 2
                      and block[1] - 2 <= min(x[1] for x in ln) and max(x[3] for x in ln) <= block[3] + 2
                      and not "".join(x[4] for x in ln).startswith("数据指纹")]
            if inside:
                last_y = max(max(x[3] for x in ln) for ln in inside)
                last = [ln for ln in inside if max(x[3] for x in ln) >= last_y - 2]
                for ln in last:
                    what = is_heading(ln, block, frags)
                    if what:
                        faults.append(("heading", f"{name} p.{pno}: the page ends with {what}"))
    stats["tables"] += len(tables)
    if "rows" in kinds:
        for t in tables:
            total = sum(b for _, b, _ in t)
            if len(t) < 2 or total < MIN_ROWS:
                continue
            for k, (pno, body, header) in enumerate(t):
                if body < MIN_ROWS:
                    where = "starts with" if k == 0 else "goes on with"
                    faults.append(("rows", f"{name} p.{pno}: a table of {total} rows ({header[:40]}) {where} "
                                           f"{body} row{'s' if body != 1 else ''} on this page"))


def main(argv):
    kinds = {"single", "heading", "rows"}
    files = []
    i = 0
    while i < len(argv):
        if argv[i] == "--kinds":
            kinds = set(argv[i + 1].split(","))
            i += 2
            continue
        files.append(argv[i])
        i += 1
    if not files:
        print(__doc__, file=sys.stderr)
        return 2
    faults, stats = [], {"pages": 0, "tables": 0}
    for f in files:
        check_file(f, kinds, faults, stats)
    for kind, what in faults:
        print(f"FAULT {kind} {what}")
    print(f"{len(files)} PDFs, {stats['pages']} pages, {stats['tables']} tables, {len(faults)} faults")
    return 1 if faults else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
