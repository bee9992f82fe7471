# The page layout of every PDF of the sample's three runs and of a generated
# 300-member branch, read back from pdftotext -bbox-layout and the table rules
# (tests/tools/pdf_layout.py): no table line holding one character of a
# longer word of its cell, no page whose text ends with a heading or a
# caption, no page of a split table with fewer than 3 rows.  Then each kind
# of fault is shown caught: the renderer's rule switched off
# (ZHIBU_PDF_NAIVE=widths|keep|rows) makes it.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
CHECK="$PY $ZHIBU_ROOT/tests/tools/pdf_layout.py"
python3 tests/bench/gencity.py "$TMP/big" --members 300 --branches 1 >/dev/null 2>&1

render() { # out, input dir, run arguments...; the environment passes ZHIBU_PDF_NAIVE
    local out=$1 in=$2; shift 2
    "$ZHIBU" "$@" -q -k -f pdf,csv -i "$in" -o "$out" 2>"$TMP/err" || { cat "$TMP/err"; return 1; }
}
for r in "monthly --month 2022-09" "halfyear --half 2022-H2" "annual --year 2022"; do
    # shellcheck disable=SC2086
    render "$TMP/good/sample" input $r || nok "sample: $r runs"
    # shellcheck disable=SC2086
    render "$TMP/good/big" "$TMP/big" $r || nok "300-member branch: $r runs"
done
mapfile -t pdfs < <(find "$TMP/good" -name '*.pdf' | LC_ALL=C sort)
if $CHECK "${pdfs[@]}" >"$TMP/out" 2>&1; then
    ok "layout of ${#pdfs[@]} PDFs: $(tail -1 "$TMP/out")"
else
    nok "layout of ${#pdfs[@]} PDFs"; head -30 "$TMP/out"
fi
n300=$(pdfinfo "$(find "$TMP/good/big" -name '*年度考核.pdf' | head -1)" 2>/dev/null | awk '/^Pages:/{print $2}')
[ "${n300:-0}" -ge 40 ] && ok "the 300-member annual packet is checked over its $n300 pages" \
    || nok "the 300-member annual packet has only ${n300:-0} pages"

# ---- each kind of fault, made on purpose ----------------------------------------------
caught() { # kind, naive rule, input, run arguments...
    local kind=$1 rule=$2 in=$3; shift 3
    rm -rf "$TMP/bad"
    ZHIBU_PDF_NAIVE=$rule render "$TMP/bad" "$in" "$@" || { nok "$kind: $rule run"; return; }
    mapfile -t bad < <(find "$TMP/bad" -name '*.pdf')
    if $CHECK "${bad[@]}" >"$TMP/out" 2>&1; then
        nok "$kind: not caught with ZHIBU_PDF_NAIVE=$rule"
    elif grep -q "^FAULT $kind " "$TMP/out"; then
        ok "$kind: caught with ZHIBU_PDF_NAIVE=$rule ($(grep -c "^FAULT $kind " "$TMP/out")): $(grep -m1 "^FAULT $kind " "$TMP/out" | cut -c1-150)"
    else
        nok "$kind: failed without naming it"; head -5 "$TMP/out"
    fi
}
caught single widths input monthly --month 2022-09
caught heading keep input monthly --month 2022-09
caught rows rows input annual --year 2022
