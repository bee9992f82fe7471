# The PDF workers give way to the workbook: while the parent writes it, the
# workers it forked run at nice +10 over the parent's (ZHIBU_WORKER_NICE sets
# the step; 0 keeps the parent's priority); with -f pdf (no workbook) they
# keep it.  The workers are sampled with ps while the run goes.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
city="$TMP/city"
python3 tests/bench/gencity.py "$city" --members 3000 --branches 150 >/dev/null 2>&1 \
    || { nok "workers: gencity failed"; exit 0; }

# the nice values of the run's workers (children of the zhibu process), the
# last one seen of each (a worker sampled between its fork and its
# setpriority shows the parent's), sorted and unique
worker_nice() { # formats, then env assignments
    local fmt=$1; shift
    # under the sanitizers, LeakSanitizer's check at exit runs in a child
    # process of its own, at the parent's priority: not a worker (leaks are
    # checked by every other script)
    env ASAN_OPTIONS="${ASAN_OPTIONS:-}:detect_leaks=0" "$@" "$ZHIBU" annual --year 2022 -q -j 2 -f "$fmt" -i "$city" -o "$TMP/out-$fmt" 2>/dev/null &
    local pid=$! seen=""
    while kill -0 "$pid" 2>/dev/null; do
        seen="$seen
$(ps -o pid=,ni= --ppid "$pid" 2>/dev/null)"
        sleep 0.02
    done
    wait "$pid" || echo "failed"
    echo "$seen" | awk 'NF == 2 { last[$1] = $2 } END { for (p in last) print last[p] }' | sort -u
}
base=$(ps -o ni= $$ | tr -d ' ')
plus() { local n=$((base + $1)); [ "$n" -gt 19 ] && n=19; echo "$n"; } # the kernel stops at 19
got=$(worker_nice pdf,xlsx,csv)
[ "$got" = "$(plus 10)" ] && ok "workers: at nice +10 while the workbook is written" \
    || nok "workers: at nice +10 while the workbook is written (saw: $(echo $got))"
got=$(worker_nice pdf,xlsx,csv ZHIBU_WORKER_NICE=3)
[ "$got" = "$(plus 3)" ] && ok "workers: ZHIBU_WORKER_NICE=3 sets the step" \
    || nok "workers: ZHIBU_WORKER_NICE=3 sets the step (saw: $(echo $got))"
got=$(worker_nice pdf)
[ "$got" = "$base" ] && ok "workers: without a workbook they keep the parent's priority" \
    || nok "workers: without a workbook they keep the parent's priority (saw: $(echo $got))"
check "workers: the same PDFs whatever the priority" diff -r "$TMP/out-pdf/2022" "$TMP/out-pdf,xlsx,csv/2022" -x '*.xlsx' -x 'manifest.txt' -x '*.csv'
