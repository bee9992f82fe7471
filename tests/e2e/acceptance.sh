# The public conformance cases of the shared contract: findings must match
# as multisets of (rule, branch, member_id, period); grades by member_id.
. "$ZHIBU_ROOT/tests/lib.sh"
for case in "$SHARED"/acceptance/*/; do
    [ -d "$case/expected" ] || continue
    name=$(basename "$case")
    if [ -d "$case/expected/monthly-2022-09" ]; then
        "$ZHIBU" monthly --month 2022-09 -q -f csv -i "$case" -c "$case/rules.ini" -o "$TMP/$name" 2>"$TMP/err" \
            && ok "$name: monthly 2022-09 runs" || { nok "$name: monthly 2022-09 runs"; cat "$TMP/err"; }
        check "$name: monthly 2022-09 findings match" \
            python3 "$ZHIBU_ROOT/tests/compare.py" findings "$case/expected/monthly-2022-09/findings.csv" "$TMP/$name/2022-09/findings.csv"
    fi
    if [ -d "$case/expected/annual" ]; then
        "$ZHIBU" annual --year 2022 -q -f csv -i "$case" -c "$case/rules.ini" -o "$TMP/$name" 2>"$TMP/err" \
            && ok "$name: annual 2022 runs" || { nok "$name: annual 2022 runs"; cat "$TMP/err"; }
        check "$name: annual 2022 findings match" \
            python3 "$ZHIBU_ROOT/tests/compare.py" findings "$case/expected/annual/findings.csv" "$TMP/$name/2022/findings.csv"
        check "$name: annual 2022 evaluation matches" \
            python3 "$ZHIBU_ROOT/tests/compare.py" evaluation "$case/expected/annual/evaluation.csv" "$TMP/$name/2022/evaluation.csv"
    fi
done
