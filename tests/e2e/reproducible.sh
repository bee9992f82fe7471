# The same inputs and rules give byte-identical outputs: monthly and annual
# (and halfyear) on input/ twice, into two output directories, in the
# default formats (PDF, XLSX, CSV), the second with -j 1, another TZ, locale and
# working directory; every file under the period directory is
# compared.  A third run over the first output (replacing it) gives the same
# bytes again.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
cp "$ZHIBU" "$TMP/zhibu" && ZHIBU="$TMP/zhibu"   # the checkout may be rebuilt meanwhile
for run in "monthly --month 2022-09:2022-09" "halfyear --half 2022-H2:2022-H2" "annual --year 2022:2022"; do
    args=${run%%:*} period=${run##*:}
    # the second run: one PDF worker instead of several, another time zone
    # and locale, another working directory
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -i input -o "$TMP/o1" 2>"$TMP/err1" || { nok "reproducible: $args failed"; cat "$TMP/err1"; continue; }
    # shellcheck disable=SC2086
    (cd "$TMP" && TZ=America/Los_Angeles LC_ALL=C "$ZHIBU" $args -q -j 1 -i "$ZHIBU_ROOT/input" -o o2) 2>"$TMP/err2" \
        || { nok "reproducible: $args failed (second run)"; cat "$TMP/err2"; continue; }
    n=$(find "$TMP/o1/$period" -type f | wc -l)
    if diff -r "$TMP/o1/$period" "$TMP/o2/$period" >"$TMP/diff"; then
        ok "reproducible: $args: $n files byte-identical across runs"
    else
        nok "reproducible: $args: outputs differ"; cat "$TMP/diff"
    fi
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -i input -o "$TMP/o1" 2>/dev/null
    check "reproducible: $args: a rerun over the old output gives the same bytes" diff -r "$TMP/o1/$period" "$TMP/o2/$period"
    exts=$(find "$TMP/o1/$period" -type f | sed 's/.*\.//' | sort -u | tr '\n' ' ')
    case "$exts" in *csv*pdf*xlsx*) ok "reproducible: $args: compared csv, pdf and xlsx" ;;
                    *) echo "# reproducible: $args wrote only: $exts" ;; esac
done
