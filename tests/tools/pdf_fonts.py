#!/usr/bin/env python3
"""pdf_fonts.py — the embedded CID fonts of a PDF, decompressed (through qpdf).

    pdf_fonts.py check FILE...     every Type0 font has a ToUnicode map in
                                   bfchar/bfrange form (no cidrange), and no
                                   CIDToGIDMap stream is over 4,096 bytes once
                                   decompressed; prints one line per file,
                                   exit 1 when a file breaks a rule
    pdf_fonts.py extract FILE DIR  writes DIR/N.ttf (FontFile2), DIR/N.map
                                   (CIDToGIDMap) and DIR/N.tu (ToUnicode) of
                                   each Type0 font; prints "N BASEFONT" lines
"""
import base64
import json
import os
import subprocess
import sys

MAP_LIMIT = 4096


def objects(path):
    out = subprocess.run(["qpdf", "--json=2", "--json-stream-data=inline", "--decode-level=generalized", path],
                         capture_output=True, check=True).stdout
    return json.loads(out)["qpdf"][1]


def ref(objs, r):
    return objs.get("obj:" + r, {})


def value(o):
    return o.get("value") if "value" in o else o.get("stream", {}).get("dict", {})


def data(o):
    return base64.b64decode(o.get("stream", {}).get("data", ""))


def type0_fonts(objs):
    """(BaseFont, ToUnicode bytes, FontFile2 bytes, CIDToGIDMap bytes) of each Type0 font."""
    for k, o in sorted(objs.items()):
        d = o.get("value")
        if not isinstance(d, dict) or d.get("/Subtype") != "/Type0":
            continue
        tu = data(ref(objs, d["/ToUnicode"])) if "/ToUnicode" in d else None
        desc = d["/DescendantFonts"]
        if isinstance(desc, str):
            desc = value(ref(objs, desc))
        cid = value(ref(objs, desc[0]))
        fd = value(ref(objs, cid["/FontDescriptor"]))
        ff = data(ref(objs, fd["/FontFile2"])) if "/FontFile2" in fd else b""
        m = cid.get("/CIDToGIDMap")
        cmap = data(ref(objs, m)) if isinstance(m, str) and m.endswith(" R") else b""
        yield d.get("/BaseFont", "?"), tu, ff, cmap


def check(paths):
    bad = 0
    for p in paths:
        objs = objects(p)
        problems, nfont, largest = [], 0, 0
        for base, tu, _ff, cmap in type0_fonts(objs):
            nfont += 1
            largest = max(largest, len(cmap))
            if len(cmap) > MAP_LIMIT:
                problems.append(f"{base}: CIDToGIDMap {len(cmap)} bytes")
            if tu is None:
                problems.append(f"{base}: no ToUnicode")
            elif b"cidrange" in tu or not (b"beginbfchar" in tu or b"beginbfrange" in tu):
                problems.append(f"{base}: ToUnicode is not a bfchar/bfrange map")
        # a CIDToGIDMap stream anywhere (not only under a Type0 font)
        for k, o in objs.items():
            d = value(o)
            if isinstance(d, dict) and "/CIDToGIDMap" in d and isinstance(d["/CIDToGIDMap"], str) \
                    and d["/CIDToGIDMap"].endswith(" R"):
                n = len(data(ref(objs, d["/CIDToGIDMap"])))
                if n > MAP_LIMIT and not any("CIDToGIDMap" in x for x in problems):
                    problems.append(f"{k}: CIDToGIDMap {n} bytes")
        if problems:
            bad = 1
            print(f"BAD {p}: " + "; ".join(problems))
        else:
            print(f"clean {p}: {nfont} fonts, largest CIDToGIDMap {largest} bytes")
    return bad


def extract(path, outdir):
    os.makedirs(outdir, exist_ok=True)
    for i, (base, tu, ff, cmap) in enumerate(type0_fonts(objects(path))):
        for ext, blob in (("ttf", ff), ("map", cmap), ("tu", tu or b"")):
            with open(os.path.join(outdir, f"{i}.{ext}"), "wb") as f:
                f.write(blob)
        print(i, base)
    return 0


if __name__ == "__main__":
    if len(sys.argv) >= 3 and sys.argv[1] == "check":
        sys.exit(check(sys.argv[2:]))
    if len(sys.argv) == 4 and sys.argv[1] == "extract":
        sys.exit(extract(sys.argv[2], sys.argv[3]))
    print(__doc__, file=sys.stderr)
    sys.exit(2)
