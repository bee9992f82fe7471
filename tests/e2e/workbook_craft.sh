# A workbook to work in (doc/xlsx.md), read back: totals are =SUM formulas
# cached with the facts' figures, highlights are conditional formats that
# mark exactly what findings.csv / evaluation.csv call for, the identifying
# columns are frozen, the default font is 等线 (tests/tools/workbook_craft.py),
# for the monthly, half-year and annual runs of the sample and of the shared
# city-small case; LibreOffice prints the 汇总 with its body text at 8 pt or
# more (tests/tools/xlsx_print_size.py); reruns give byte-identical workbooks.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3   # Debian's, with openpyxl
city="$SHARED/acceptance/city-small"

for spec in "sample|input|" "city|$city|$city/rules.ini"; do
    IFS='|' read -r name in rules <<<"$spec"
    [ -d "$in" ] || { nok "workbook craft: no input $in"; continue; }
    c=(); [ -n "$rules" ] && c=(-c "$rules")
    for r in "monthly --month 2022-09|2022-09" "halfyear --half 2022-H2|2022-H2" "annual --year 2022|2022"; do
        args=${r%%|*} period=${r##*|}
        # shellcheck disable=SC2086
        if ! "$ZHIBU" $args -q -f xlsx,csv -i "$in" "${c[@]}" -o "$TMP/$name" 2>"$TMP/err"; then
            nok "$name $period: runs"; cat "$TMP/err"; continue
        fi
        $PY tests/tools/workbook_craft.py "$TMP/$name/$period" | sed "s/^\(not \)\{0,1\}ok /&$name $period: /"
    done
done

# byte-identical reruns (another directory, a second later)
sleep 1
for r in "halfyear --half 2022-H2|2022-H2" "annual --year 2022|2022"; do
    args=${r%%|*} period=${r##*|}
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -f xlsx,csv -i input -o "$TMP/again" 2>/dev/null
    check "sample $period: a rerun gives a byte-identical workbook" \
        cmp "$TMP/sample/$period/zhibu-$period.xlsx" "$TMP/again/$period/zhibu-$period.xlsx"
done

# LibreOffice prints the 汇总 legibly: body text at 8 pt or more (it was 4 pt
# when the sheet was fitted to one page wide with the chart beside the table)
if command -v soffice >/dev/null 2>&1; then
    for name in sample city; do
        book="$TMP/$name/2022/zhibu-2022.xlsx"
        [ -f "$book" ] || { nok "$name: no annual workbook to print"; continue; }
        size=$($PY tests/tools/xlsx_print_size.py "$book" 汇总 2>"$TMP/size.err")
        pt=${size%% *}
        if [ -n "$pt" ] && awk -v p="$pt" 'BEGIN { exit !(p >= 8) }'; then
            ok "$name: LibreOffice prints the 汇总 at $pt pt"
        else
            nok "$name: LibreOffice prints the 汇总 at ${pt:-?} pt (want 8 or more)"; cat "$TMP/size.err"
        fi
    done
else
    nok "LibreOffice is installed (make deps installs libreoffice-calc-nogui)"
fi
