# The sample input: the September run finds every rule a monthly run checks.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
"$ZHIBU" monthly --month 2022-09 -q -i input -o "$TMP/out" 2>"$TMP/err" && ok "monthly 2022-09 on input/ runs" \
    || { nok "monthly 2022-09 on input/ runs"; cat "$TMP/err"; }
f="$TMP/out/2022-09/findings.csv"
check "findings.csv starts with a BOM and the header" sh -c "head -c 3 '$f' | od -An -tx1 | grep -q 'ef bb bf' && head -1 '$f' | grep -q 'rule,branch,member_id,name,period,detail'"
for code in TD-HELD TD-LATE TD-ACTIONS TD-RECORD AT-ABSENT AT-LEADER AT-LAPSE DU-UNPAID DU-SHORT DU-LATE DU-RATE DU-LAPSE CS-MONTH CS-UNCONFIRMED; do
    check "sample September has $code" grep -q "^$code," "$f"
done
check "findings are sorted by branch, rule, member_id, period" python3 - "$f" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig", newline="")))
keys = [(r["branch"], r["rule"], r["member_id"], r["period"], r["detail"]) for r in rows]
sys.exit(0 if keys == sorted(keys) and rows else 1)
PY
"$ZHIBU" monthly --month 2022-09 -q -i input -o "$TMP/out2" 2>/dev/null
check "reruns give byte-identical findings.csv" cmp "$f" "$TMP/out2/2022-09/findings.csv"
