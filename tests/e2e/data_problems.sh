# Nothing hidden (SPEC item 20): with --keep-going, a skipped row and the rows
# that depend on it are listed in a 数据问题 section of the PDFs of the branch
# they belong to (文件 第N行：…) and of the unit report, and in the workbook's
# 输入问题 sheet; a branch that no problem concerns has no such section.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # Debian's, with openpyxl
cp -r input "$TMP/in"
rm -f "$TMP/in/README.md"
# 机关第一党支部's September 主题党日 with a date that does not exist
line=$(awk -F, '$1 == "M2022-09-JG" {print NR}' input/meetings.csv)
awk -F, -v n="$line" 'BEGIN{OFS=","} NR==n{$3="2022-09-31"} {print}' input/meetings.csv >"$TMP/in/meetings.csv"
[ -n "$line" ] && ! cmp -s input/meetings.csv "$TMP/in/meetings.csv" && ok "the meeting row is broken (meetings.csv line $line)" \
    || nok "the meeting row is broken"

text() { pdftotext -enc UTF-8 "$1" - 2>/dev/null | tr -d '\f'; }

"$ZHIBU" monthly --month 2022-09 -q -i "$TMP/in" -o "$TMP/o" 2>/dev/null; rc=$?
[ $rc = 1 ] && ok "without --keep-going the run stops (1)" || nok "without --keep-going the run stops (got $rc)"

"$ZHIBU" monthly --month 2022-09 -q -k -i "$TMP/in" -o "$TMP/o" 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && ok "monthly --keep-going runs" || { nok "monthly --keep-going runs ($rc)"; cat "$TMP/err"; }
text "$TMP/o/2022-09/机关第一党支部.pdf" >"$TMP/jg.txt"
check "monthly: the affected branch's PDF has a 数据问题 section" grep -q '数据问题' "$TMP/jg.txt"
check "monthly: it names the row as 文件 第N行" grep -q "meetings.csv 第${line}行：" "$TMP/jg.txt"
# the sign-ins of the skipped meeting were skipped too: each listed, and counted
n=$(grep -c "^attendance.csv:[0-9]*: .*M2022-09-JG”在 meetings.csv 第 $line 行有错误" "$TMP/err")
m=$(grep -o 'attendance.csv 第[0-9]*行' "$TMP/jg.txt" | sort -u | wc -l)
[ "$n" -gt 0 ] && [ "$m" = "$n" ] && ok "monthly: the $n sign-ins of that meeting are listed too" \
    || nok "monthly: the sign-ins of that meeting are listed too ($m of $n)"
check "monthly: the count is said" grep -q "读入的数据中有$((n + 1))个问题涉及本支部：$((n + 1))行有错误，已跳过" "$TMP/jg.txt"
text "$TMP/o/2022-09/数学与统计学院教工党支部.pdf" >"$TMP/sx.txt"
check "monthly: a branch no problem concerns has no 数据问题" sh -c "! grep -q '数据问题' '$TMP/sx.txt' && grep -q '问题清单' '$TMP/sx.txt'"
check "monthly: nor that branch's problems" sh -c "! grep -q 'meetings.csv' '$TMP/sx.txt'"
# the sample's duplicate payment (a warning) belongs to 文学院教工党支部
text "$TMP/o/2022-09/文学院教工党支部.pdf" >"$TMP/wx.txt"
check "monthly: a warning is shown in its branch's PDF" grep -q 'dues.csv 第[0-9]*行：month：警告：' "$TMP/wx.txt"
check "monthly: and not the other branch's rows" sh -c "! grep -q 'meetings.csv' '$TMP/wx.txt'"
# the workbook lists every problem
total=$(grep -c '^[a-z]*\.csv:' "$TMP/err")
rows=$($PY tests/xlsx_read.py "$TMP/o/2022-09/zhibu-2022-09.xlsx" --csv 输入问题 | grep -c '\.csv')
[ "$total" -gt 0 ] && [ "$rows" = "$total" ] && ok "workbook: 输入问题 lists all $total problems" \
    || nok "workbook: 输入问题 lists all problems ($rows of $total)"

"$ZHIBU" annual --year 2022 -q -k -f pdf -i "$TMP/in" -o "$TMP/o" 2>/dev/null; rc=$?
[ $rc = 0 ] && ok "annual --keep-going runs" || nok "annual --keep-going runs ($rc)"
text "$TMP/o/2022/单位年度双报告-2022.pdf" >"$TMP/u.txt"
check "annual: the unit report has 数据问题 with the row" sh -c "grep -q '数据问题' '$TMP/u.txt' && grep -q 'meetings.csv 第${line}行：' '$TMP/u.txt'"
check "annual: the unit report lists the other branch's warning too" grep -q 'dues.csv 第[0-9]*行：month：警告：' "$TMP/u.txt"
check "annual: the branch's packet has it" grep -q "meetings.csv 第${line}行：" <(text "$TMP/o/2022/机关第一党支部-2022年度考核.pdf")
check "annual: another branch's packet has none" sh -c "! pdftotext '$TMP/o/2022/附属实验小学党支部-2022年度考核.pdf' - 2>/dev/null | grep -q '数据问题'"

"$ZHIBU" halfyear --half 2022-H2 -q -k -f pdf -i "$TMP/in" -o "$TMP/o" 2>/dev/null; rc=$?
text "$TMP/o/2022-H2/机关第一党支部-2022年下半年双报告.pdf" >"$TMP/h.txt"
[ $rc = 0 ] && grep -q "meetings.csv 第${line}行：" "$TMP/h.txt" && ok "halfyear: the branch's PDF has it" \
    || nok "halfyear: the branch's PDF has it ($rc)"
