# The run's workbook, read back: sheets, frozen header rows, autofilter,
# 问题清单 = findings.csv, data that looks like a formula stored as text,
# byte-identical reruns, and LibreOffice opening every sheet.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
READ="$PY $ZHIBU_ROOT/tests/xlsx_read.py"
cp -r input "$TMP/in"
# a member whose name is a formula, and one whose branch name is hostile
sed -i 's/^\(QZ0203\),[^,]*,/\1,=1+1,/' "$TMP/in/members.csv"
"$ZHIBU" monthly --month 2022-09 -q -f xlsx,csv -i "$TMP/in" -o "$TMP/out" 2>"$TMP/err" && ok "monthly with xlsx runs" \
    || { nok "monthly with xlsx runs"; cat "$TMP/err"; }
x="$TMP/out/2022-09/zhibu-2022-09.xlsx"
check "the workbook is written" test -s "$x"
$READ "$x" --flat > "$TMP/flat" 2>&1
check "sheets in order" grep -qx 'sheetnames=汇总|主题党日|出勤|党费|下沉社区|预警|问题清单|整改台账|输入问题' "$TMP/flat"
for s in 主题党日 出勤 党费 下沉社区 问题清单 输入问题; do
    case $s in 出勤|党费|下沉社区) pane=E2 ;; *) pane=A2 ;; esac   # 序号, 支部, 党员编号, 姓名 frozen
    check "$s: header row frozen (and the identifying columns: $pane)" grep -qx "sheet.$s.freeze=$pane" "$TMP/flat"
    check "$s: autofilter from A1" grep -q "^sheet.$s.autofilter=A1:" "$TMP/flat"
    check "$s: A4 landscape, fit to width or scaled, header repeated" sh -c "grep -qx 'sheet.$s.print.orientation=landscape' '$TMP/flat' && grep -qx 'sheet.$s.print.title_rows=\$1:\$1' '$TMP/flat' && grep -Eqx 'sheet.$s.print.(fit_to_page=1|scale=(7[5-9]|[89][0-9]|100))' '$TMP/flat'"
done
check "汇总 has a chart" grep -q '^chart\.' "$TMP/flat"
# 问题清单 rows equal findings.csv (rule code, branch, member_id, detail; its 时间 is in words)
$READ "$x" --csv 问题清单 > "$TMP/sheet.csv"
check "问题清单 equals findings.csv" $PY - "$TMP/sheet.csv" "$TMP/out/2022-09/findings.csv" <<'PY'
import csv, sys
sheet = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
found = list(csv.DictReader(open(sys.argv[2], encoding="utf-8-sig", newline="")))
h = sheet[0]
col = {k: h.index(t) for k, t in [("rule", "代码"), ("branch", "支部"), ("member_id", "党员编号"), ("detail", "详情")]}
a = [tuple(r[col[k]] for k in ("rule", "branch", "member_id", "detail")) for r in sheet[1:] if any(r)]
b = [tuple(r[k] for k in ("rule", "branch", "member_id", "detail")) for r in found]
sys.exit(0 if a == b and b else 1)
PY
$READ "$x" --cells 党费 > "$TMP/cells.json"
check "a name like =1+1 is stored as text" $PY - "$TMP/cells.json" <<'PY'
import json, sys
cells = json.load(open(sys.argv[1]))
sys.exit(0 if any(c["value"] == "=1+1" and c["type"] == "s" for c in cells) else 1)
PY
check "money is a number with 2 decimals" $PY - "$TMP/cells.json" <<'PY'
import json, sys
cells = json.load(open(sys.argv[1]))
sys.exit(0 if any(c["type"] == "n" and c["format"] == "0.00" for c in cells) else 1)
PY
"$ZHIBU" monthly --month 2022-09 -q -f xlsx,csv -i "$TMP/in" -o "$TMP/out2" 2>/dev/null
check "reruns give a byte-identical workbook" cmp "$x" "$TMP/out2/2022-09/zhibu-2022-09.xlsx"
"$ZHIBU" annual --year 2022 -q -f xlsx,csv -i "$TMP/in" -o "$TMP/out" 2>/dev/null
$READ "$TMP/out/2022/zhibu-2022.xlsx" --flat > "$TMP/flat2"
check "annual workbook has 考核结果" grep -q '^sheetnames=.*考核结果' "$TMP/flat2"
$READ "$TMP/out/2022/zhibu-2022.xlsx" --csv 党费 > "$TMP/annual.csv"; head -1 "$TMP/annual.csv" > "$TMP/head"
check "annual 党费 has twelve month columns" grep -q '1月实交.*12月实交' "$TMP/head"
if command -v soffice >/dev/null 2>&1; then
    mkdir -p "$TMP/lo"
    HOME="$TMP/lo" timeout 120 soffice --headless --convert-to 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1' \
        --outdir "$TMP/lo" "$x" >"$TMP/lo.log" 2>&1
    n=$(ls "$TMP"/lo/*.csv 2>/dev/null | wc -l)
    [ "$n" -ge 7 ] && ok "LibreOffice converts every sheet ($n)" || { nok "LibreOffice converts every sheet ($n)"; cat "$TMP/lo.log"; }
else
    nok "LibreOffice is installed (make deps installs libreoffice-calc-nogui)"
fi
