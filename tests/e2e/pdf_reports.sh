# The filed PDFs of a monthly run: valid, embedded subset fonts, searchable
# text with each finding's member, within the size budget, and a 300-member
# branch whose every page carries a table header and its page number.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
"$ZHIBU" monthly --month 2022-09 -q -f pdf,csv -i input -o "$TMP/out" 2>"$TMP/err" && ok "monthly PDFs run" \
    || { nok "monthly PDFs run"; cat "$TMP/err"; }
dir="$TMP/out/2022-09"
n=$(ls "$dir"/*.pdf | wc -l)
branches=$(tail -n +2 input/members.csv | cut -d, -f3 | sort -u | wc -l)
[ "$n" = "$branches" ] && ok "one PDF per branch ($n)" || nok "one PDF per branch ($n of $branches)"

budget_ok() { # pdf: ≤ 20 KB a page + 600 bytes a distinct character
    local pages chars size
    pages=$(pdfinfo "$1" 2>/dev/null | awk '/^Pages:/{print $2}')
    chars=$(pdftotext -enc UTF-8 "$1" - 2>/dev/null | $PY -c 'import sys; print(len(set(sys.stdin.read()) - set(" \n\f")))')
    size=$(stat -c %s "$1")
    [ "$size" -le $((pages * 20480 + chars * 600)) ]
}
for f in "$dir"/*.pdf; do
    b=$(basename "$f" .pdf)
    check "$b: qpdf --check, silent pdftotext, CIDToGIDMaps within 4 KB" pdf_sound "$f"
    pdffonts "$f" 2>/dev/null | tail -n +3 > "$TMP/fonts"
    check "$b: only embedded subset fonts" sh -c "test -s '$TMP/fonts' && ! grep -vE '^[A-Z]{6}\+.* yes +yes +yes +[0-9]+ +[0-9]+ *$' '$TMP/fonts'"
    pdftotext -enc UTF-8 "$f" "$TMP/t.txt" 2>/dev/null
    check "$b: text has the branch name and 主题党日" sh -c "grep -q '$b' '$TMP/t.txt' && grep -q '主题党日' '$TMP/t.txt'"
    check "$b: within the size budget" budget_ok "$f"
    # every finding's member name of this branch is in the text
    $PY - "$dir/findings.csv" "$b" "$TMP/t.txt" <<'PY' && ok "$b: each finding's member is named" || nok "$b: each finding's member is named"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")) if r["branch"] == sys.argv[2]]
text = open(sys.argv[3], encoding="utf-8").read().replace("\n", "").replace(" ", "")
missing = [r["name"] for r in rows if r["name"] and r["name"] not in text]
print("missing:", missing) if missing else None
sys.exit(1 if missing else 0)
PY
done
"$ZHIBU" monthly --month 2022-09 -q -f pdf,csv -i input -o "$TMP/out2" 2>/dev/null
check "reruns give byte-identical PDFs" diff -r "$dir" "$TMP/out2/2022-09"

# 300 members in one branch
python3 tests/bench/gencity.py "$TMP/big" --members 300 --branches 1 >/dev/null 2>&1
"$ZHIBU" monthly --month 2022-09 -q -k -f pdf,csv -i "$TMP/big" -o "$TMP/bigout" 2>"$TMP/err" || cat "$TMP/err"
big=$(ls "$TMP"/bigout/2022-09/*.pdf | head -1)
pages=$(pdfinfo "$big" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "${pages:-0}" -ge 10 ] && ok "300-member branch: a multi-page report ($pages pages)" || nok "300-member branch: multi-page ($pages)"
bad=""
for p in $(seq 1 "${pages:-0}"); do
    pdftotext -enc UTF-8 -f "$p" -l "$p" "$big" "$TMP/p.txt" 2>/dev/null
    grep -q "— $p —" "$TMP/p.txt" || bad="$bad $p(number)"
    # a page of a table starts with its header row; the last pages hold the chart and
    # the signature (which may be left alone on the last page: pagination's to decide)
    grep -qE '党员编号|序号|日期|出勤率' "$TMP/p.txt" || { [ "$p" = "$pages" ] && grep -q '支部书记（签字）' "$TMP/p.txt"; } \
        || bad="$bad $p(header)"
done
[ -z "$bad" ] && ok "300-member branch: every page has a table header and its page number" \
    || nok "300-member branch: pages without header or number:$bad"
check "300-member branch: within the size budget" budget_ok "$big"

# a branch whose embedded font once hit libharu's 4 KB stream-block bug (0x1033)
"$ZHIBU" annual --year 2022 -q -j 1 -f pdf,csv -i tests/regress/pdf-font-4k -o "$TMP/regress" 2>"$TMP/err" \
    && ok "regression: annual packet of pdf-font-4k renders" || { nok "regression: annual packet of pdf-font-4k renders"; cat "$TMP/err"; }
for f in "$TMP"/regress/2022/*.pdf; do
    check "regression: $(basename "$f") passes qpdf --check and the text-layer checks" pdf_sound "$f"
done
