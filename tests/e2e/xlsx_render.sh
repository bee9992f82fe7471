#!/usr/bin/env bash
# xlsx_render.sh — the demo workbook of tests/unit/test_xlsx.c, checked from
# outside: every XML part well-formed, and (when LibreOffice is installed:
# libreoffice-calc-nogui) opened and converted by soffice without complaint.
. "$(dirname "$0")/../lib.sh"
UNIT=${UNIT:-build/unit_tests}
case "$UNIT" in /*) ;; *) UNIT="$ZHIBU_ROOT/$UNIT" ;; esac
PY=python3
[ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # Debian's, with python3-openpyxl

demo=$TMP/demo.xlsx
if ZHIBU_XLSX_KEEP="$demo" "$UNIT" xlsx_render_demo >"$TMP/unit.log" 2>&1 && [ -s "$demo" ]; then
    ok xlsx_demo_written
else
    nok xlsx_demo_written; sed 's/^/    /' "$TMP/unit.log"; exit 0
fi

check xlsx_parts_well_formed "$PY" - "$demo" <<'PYEOF'
import sys, zipfile, xml.dom.minidom
with zipfile.ZipFile(sys.argv[1]) as z:
    assert z.testzip() is None
    for n in z.namelist():
        if n.endswith(".xml") or n.endswith(".rels"):
            xml.dom.minidom.parseString(z.read(n))
PYEOF

if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$TMP/lo"
    # UTF-8, all sheets (-1), cells as shown
    HOME=$TMP/lo soffice --headless --convert-to \
        'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,true,false,false,-1' \
        --outdir "$TMP/lo" "$demo" >"$TMP/lo.log" 2>&1
    att=$TMP/lo/demo-出勤.csv
    check xlsx_libreoffice_opens test -s "$att"
    check xlsx_libreoffice_text_not_formula grep -qx '教育学院教工党支部,2022001,=1+1,3,100.0%' "$att"
    check xlsx_libreoffice_escaped_x grep -q '^教育学院教工党支部,_x0041_,-李四,' "$att"
    check xlsx_libreoffice_money grep -qx '2022002,王五,15.50,15.50,2022-09-15' "$TMP/lo/demo-党费.csv"
    check xlsx_libreoffice_empty_table grep -qx '无,,,' "$TMP/lo/demo-输入问题.csv"
else
    echo "ok xlsx_libreoffice_opens # SKIP soffice not installed (libreoffice-calc-nogui)"
fi
