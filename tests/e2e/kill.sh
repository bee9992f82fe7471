# A run killed with SIGKILL at any moment leaves the previous outputs intact:
# every file under its final name is whole (byte-identical to the previous
# run's or, once the run had reached its commit, to the new run's), nothing
# partial appears under a final name, temporaries carry the .zhibu-tmp-
# prefix, no worker outlives the killed run, and the next run succeeds and
# removes the stale temporaries.  Uses the default formats (PDF, XLSX, CSV)
# when they work, else -f csv.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
# a snapshot of the binary: the checkout may be rebuilt while this runs
cp "$ZHIBU" "$TMP/zhibu" && ZHIBU="$TMP/zhibu"
size="--members 3000 --branches 150"
[ -n "${ZHIBU_SANITIZED:-}" ] && size="--members 1000 --branches 50"
city="$TMP/city"
python3 tests/bench/gencity.py "$city" $size >/dev/null 2>&1 \
    || { nok "kill: gencity failed"; exit 0; }
# the previous output comes from an older state of the input (fewer service
# records), so old and new outputs differ and a mix would show
mkdir -p "$TMP/old-in"
cp "$city"/* "$TMP/old-in/"
head -n -3000 "$city/service.csv" > "$TMP/old-in/service.csv"

FMT=""
start=$(date +%s%N)
if ! "$ZHIBU" monthly --month 2022-09 -q -i "$city" -o "$TMP/ref" 2>"$TMP/err"; then
    FMT="-f csv"
    echo "# kill: default formats do not run yet ($(tail -1 "$TMP/err")); using -f csv"
    rm -rf "$TMP/ref"
    start=$(date +%s%N)
    "$ZHIBU" monthly --month 2022-09 -q $FMT -i "$city" -o "$TMP/ref" 2>/dev/null || { nok "kill: reference run failed"; exit 0; }
fi
# how long a whole run takes, to spread the kills over it
ms=$(( ($(date +%s%N) - start) / 1000000 ))
out="$TMP/out"
"$ZHIBU" monthly --month 2022-09 -q $FMT -i "$TMP/old-in" -o "$out" 2>/dev/null || { nok "kill: previous run failed"; exit 0; }
cp -a "$out" "$TMP/prev"
P=2022-09
nfiles=$(ls "$TMP/prev/$P" | wc -l)
cmp -s "$TMP/prev/$P/findings.csv" "$TMP/ref/$P/findings.csv" && { nok "kill: old and new outputs should differ"; exit 0; }
echo "# kill: a whole run takes ${ms} ms; $nfiles files per run"

restore() { # put the previous outputs back (leaving any temporaries)
    for f in "$out/$P"/*; do [ -e "$f" ] && rm -f "$f"; done
    cp "$TMP/prev/$P"/* "$out/$P/"
}
killed=0 before=0
for pct in 2 5 10 20 35 50 65 80 95 99; do
    delay=$(awk -v ms="$ms" -v p="$pct" 'BEGIN{printf "%.3f", ms*p/100000}')
    "$ZHIBU" monthly --month 2022-09 -q $FMT -i "$city" -o "$out" 2>/dev/null &
    pid=$!
    sleep "$delay"
    kill -KILL "$pid" 2>/dev/null
    wait "$pid" 2>/dev/null
    st=$?
    sleep 0.3
    # no worker of the killed run survives it
    left=$(pgrep -f -- "-i $city -o $out" | wc -l)
    bad="" same_old=0 same_new=0
    for f in "$out/$P"/* ; do
        [ -e "$f" ] || continue
        b=$(basename "$f")
        if cmp -s "$f" "$TMP/prev/$P/$b"; then same_old=$((same_old + 1))
        elif cmp -s "$f" "$TMP/ref/$P/$b"; then same_new=$((same_new + 1))
        else bad="$bad $b"; fi
    done
    tmps=$(find "$out/$P" -name '.zhibu-tmp-*' | wc -l)
    if [ "$st" = 137 ]; then
        killed=$((killed + 1))
        [ "$same_new" = 0 ] && before=$((before + 1))
        what="killed at ${delay}s: $same_old previous, $same_new new, $tmps temporaries"
    else
        what="not killed (finished in under ${delay}s, status $st): $same_new new files"
    fi
    if [ -z "$bad" ] && [ "$left" = 0 ] && [ $((same_old + same_new)) -ge "$nfiles" ]; then ok "kill: $what"
    else nok "kill: $what; partial or foreign:${bad:- none}; $left processes left; $((same_old + same_new)) of $nfiles whole"; fi
    restore
done
[ "$killed" -ge 3 ] && ok "kill: $killed runs killed, $before of them before the commit (previous outputs byte-identical)" \
    || nok "kill: only $killed runs were killed in time"
# the next run succeeds and removes the stale temporaries
"$ZHIBU" monthly --month 2022-09 -q $FMT -i "$city" -o "$out" 2>"$TMP/err"
rc=$?
[ "$rc" = 0 ] && ok "kill: the next run succeeds" || { nok "kill: the next run failed ($rc)"; cat "$TMP/err"; }
n=$(find "$out" -name '.zhibu-tmp-*' | wc -l)
[ "$n" = 0 ] && ok "kill: stale temporaries removed" || nok "kill: $n stale temporaries left"
check "kill: the next run's outputs equal an undisturbed run's" diff -r "$out/$P" "$TMP/ref/$P"
