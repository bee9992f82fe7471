# One source of truth: every figure that appears in more than one output of a
# run (PDF text, the workbook read back, findings.csv, evaluation.csv) agrees,
# for every branch of the sample and of the shared city-small case, in the
# monthly, half-year and annual runs (tests/tools/consistency.py says what is
# compared).  No rule code and no input file name in a PDF or a workbook cell
# outside the code columns.  Then the checker is shown to catch a difference
# planted in each kind of output.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # Debian's, with openpyxl
CHECK="$PY $ZHIBU_ROOT/tests/tools/consistency.py"
city="$SHARED/acceptance/city-small"

run() { # name, input dir, rules (or ""), zhibu arguments...
    local name=$1 in=$2 rules=$3; shift 3
    local c=(); [ -n "$rules" ] && c=(-c "$rules")
    "$ZHIBU" "$@" -q -i "$in" "${c[@]}" -o "$TMP/$name" 2>"$TMP/err" || { nok "$name: $* runs"; cat "$TMP/err"; return 1; }
}

for spec in "sample|input|" "city|$city|$city/rules.ini"; do
    IFS='|' read -r name in rules <<<"$spec"
    [ -d "$in" ] || { nok "consistency: no input $in"; continue; }
    for r in "monthly --month 2022-09|2022-09" "halfyear --half 2022-H2|2022-H2" "annual --year 2022|2022"; do
        args=${r%%|*} period=${r##*|}
        # shellcheck disable=SC2086
        run "$name" "$in" "$rules" $args || continue
        if $CHECK "$TMP/$name/$period" >"$TMP/out" 2>&1; then
            ok "consistency: $name $period: $(tail -1 "$TMP/out" | sed 's/.*: //')"
        else
            nok "consistency: $name $period"; head -40 "$TMP/out"
        fi
    done
done

# the ledger carried forward: September with the August workbook, every problem still open
"$ZHIBU" monthly --month 2022-08 -q -f xlsx,csv -i input -o "$TMP/aug" 2>/dev/null
if run ledger input "" monthly --month 2022-09 --ledger "$TMP/aug/2022-08/zhibu-2022-08.xlsx"; then
    if $CHECK "$TMP/ledger/2022-09" >"$TMP/out" 2>&1; then
        ok "consistency: sample 2022-09 with a ledger: $(tail -1 "$TMP/out" | sed 's/.*: //')"
    else
        nok "consistency: sample 2022-09 with a ledger"; head -40 "$TMP/out"
    fi
fi

# ---- the checker catches a planted difference in each kind of output --------------------------

plant() { # name, directory to check, expected words in the report, [checker options]
    local what=$1 dir=$2 expect=$3; shift 3
    if $CHECK "$dir" "$@" >"$TMP/out" 2>&1; then
        nok "planted: $what: not caught"; tail -3 "$TMP/out"
    elif grep -q -- "$expect" "$TMP/out"; then
        ok "planted: $what: caught"
    else
        nok "planted: $what: failed without naming it"; head -20 "$TMP/out"
    fi
}
fresh() { rm -rf "$TMP/p" && mkdir -p "$TMP/p" && cp -r "$TMP/sample/$1" "$TMP/p/$1"; }

# findings.csv: one DU-UNPAID row less
fresh 2022-09
grep -v '^DU-UNPAID,机关第一党支部,' "$TMP/sample/2022-09/findings.csv" >"$TMP/p/2022-09/findings.csv"
plant "a finding removed from findings.csv" "$TMP/p/2022-09" "党费 QZ0310 情况 = findings.csv"

# evaluation.csv: one grade changed
fresh 2022
$PY - "$TMP/p/2022/evaluation.csv" <<'PY'
import sys
p = sys.argv[1]
s = open(p, encoding="utf-8-sig", newline="").read().split("\r\n")
s[1] = s[1].replace(",合格,", ",优秀,", 1) if ",合格," in s[1] else s[1].replace(",优秀,", ",合格,", 1)
open(p, "w", encoding="utf-8-sig", newline="").write("\r\n".join(s))
PY
plant "a grade changed in evaluation.csv" "$TMP/p/2022" "= evaluation.csv"

# the workbook: one member's paid amount in the 党费 sheet
fresh 2022-09
$PY - "$TMP/p/2022-09/zhibu-2022-09.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["党费"]
head = [c.value for c in ws[1]]
for row in ws.iter_rows(min_row=2):
    if row[head.index("党员编号")].value == "QZ0301":
        row[head.index("实交（元）")].value = 113.0
wb.save(sys.argv[1])
PY
plant "a paid amount changed in the workbook" "$TMP/p/2022-09" "党费 QZ0301 实交 = workbook"

# the workbook: the 汇总's 问题合计 total one more than its rows (a typed total that went stale)
fresh 2022
$PY - "$TMP/p/2022/zhibu-2022.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wbv = openpyxl.load_workbook(sys.argv[1], data_only=True)
ws, wv = wb["汇总"], wbv["汇总"]
head = next(r for r in ws.iter_rows(values_only=True) if "问题合计" in r)
c = head.index("问题合计") + 1
for row in ws.iter_rows():
    if row[0].value == "合计":
        row[c - 1].value = wv.cell(row[0].row, c).value + 1
wb.save(sys.argv[1])
PY
plant "a total changed in the workbook" "$TMP/p/2022" "问题合计 = the sum of its rows"

# a PDF's text: the member count of one monthly report
fresh 2022-09
mkdir -p "$TMP/text"
pdf="$TMP/p/2022-09/机关第一党支部.pdf"
pdftotext -layout "$pdf" - 2>/dev/null | sed 's/党员人数：14名/党员人数：13名/' >"$TMP/text/机关第一党支部.pdf.layout.txt"
if grep -q '党员人数：13名' "$TMP/text/机关第一党支部.pdf.layout.txt"; then
    plant "a member count changed in a PDF's text" "$TMP/p/2022-09" "党员人数 = workbook 党员" --text "$TMP/text"
else
    nok "planted: the PDF's text has no 党员人数：14名 to change"
fi

# a PDF's text: a rule code where its name should be
rm -rf "$TMP/text" && mkdir -p "$TMP/text"
pdftotext -layout "$pdf" - 2>/dev/null | sed 's/当月党费未交纳/DU-UNPAID/' >"$TMP/text/机关第一党支部.pdf.layout.txt"
plant "a rule code in a PDF's text" "$TMP/p/2022-09" "rule code or id in the text" --text "$TMP/text"

# the annual packet's service total, in its raw text
fresh 2022
rm -rf "$TMP/text" && mkdir -p "$TMP/text"
pdf="$TMP/p/2022/机关第一党支部-2022年度考核.pdf"
pdftotext -layout "$pdf" - 2>/dev/null | sed 's/确认活动166次/确认活动165次/' >"$TMP/text/机关第一党支部-2022年度考核.pdf.layout.txt"
plant "a service total changed in an annual packet" "$TMP/p/2022" "下沉社区 次数 = workbook" --text "$TMP/text"

# warnings.csv: one warning less
fresh 2022-09
grep -v '^WARN-CS-PACE,机关第一党支部,' "$TMP/sample/2022-09/warnings.csv" >"$TMP/p/2022-09/warnings.csv"
plant "a warning removed from warnings.csv" "$TMP/p/2022-09" "预警 机关第一党支部 (党员编号, 代码) = warnings.csv"

# a PDF's 预警名单: its count
rm -rf "$TMP/text" && mkdir -p "$TMP/text"
pdf="$TMP/p/2022-09/机关第一党支部.pdf"
cp "$TMP/sample/2022-09/warnings.csv" "$TMP/p/2022-09/warnings.csv"
pdftotext -layout "$pdf" - 2>/dev/null | sed 's/警1条，涉及党员1名/警2条，涉及党员1名/' >"$TMP/text/机关第一党支部.pdf.layout.txt"
if grep -q '警2条' "$TMP/text/机关第一党支部.pdf.layout.txt"; then
    plant "a warning count changed in a PDF's text" "$TMP/p/2022-09" "预警名单: count = warnings.csv" --text "$TMP/text"
else
    nok "planted: the PDF's text has no 预警 count to change"
fi

# the 整改台账 sheet: one row's 核对结果
rm -rf "$TMP/p" && mkdir -p "$TMP/p" && cp -r "$TMP/ledger/2022-09" "$TMP/p/2022-09"
$PY - "$TMP/p/2022-09/zhibu-2022-09.xlsx" <<'PY'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb["整改台账"]
for row in ws.iter_rows():
    if row[0].value == "CS-MONTH/QZ0308/2022-08":
        head = [c.value for c in ws[3]]
        row[head.index("核对结果")].value = "已销号"
wb.save(sys.argv[1])
PY
plant "a 整改台账 row changed in the workbook" "$TMP/p/2022-09" "问题整改情况 (仍未整改, 标记已整改…, 销号, 此前已销号) = 整改台账"
