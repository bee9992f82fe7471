# Real exports in, nothing silently lost (SPEC items 14–19, 22): the sample
# and the city-small case rewritten the way platforms and Excel export them
# (tests/tools/to_platform.py: platform headers, dates with times, GBK + CRLF,
# tab- and ;-separated files, a dues status column with 待缴费 and 支付失败
# rows, one column mapped in rules.ini) give byte-identical findings.csv and
# evaluation.csv; then one check per item, the formula guard read back
# through LibreOffice, and a full disk for each kind of output.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3

# ---- the same data in the platforms' shape gives the same findings ---------
same_findings() { # label, zhibu-shaped dir, its rules, platform dir, run args, period dir
    local label=$1 a=$2 rules=$3 p=$4 args=$5 d=$6 f
    # shellcheck disable=SC2086  # args is a word list
    "$ZHIBU" $args -q -f csv -i "$a" -c "$rules" -o "$TMP/ref-$label" 2>"$TMP/err-a" \
        || { nok "$label: zhibu-shaped run"; cat "$TMP/err-a"; return; }
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -f csv -i "$p" -c "$p/rules.ini" -o "$TMP/pl-$label" 2>"$TMP/err-p" \
        || { nok "$label: platform-shaped run"; head -20 "$TMP/err-p"; return; }
    for f in "$TMP/ref-$label/$d"/*.csv; do
        if cmp -s "$f" "$TMP/pl-$label/$d/$(basename "$f")"; then ok "$label: $(basename "$f") byte-identical"
        else nok "$label: $(basename "$f") differs"; diff "$f" "$TMP/pl-$label/$d/$(basename "$f")" | head -10; fi
    done
    [ "$(grep -c . "$TMP/ref-$label/$d/findings.csv")" -gt 5 ] && ok "$label: the findings are not trivially empty" \
        || nok "$label: too few findings to compare"
}

$PY tests/tools/to_platform.py input "$TMP/pl-sample" || nok "to_platform.py on the sample"
"$ZHIBU" check -i "$TMP/pl-sample" 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && ok "platform sample: check passes" || { nok "platform sample: check passes ($rc)"; head "$TMP/err"; }
for want in "members.csv: GB18030/GBK，读入 82 行" "meetings.csv: UTF-8（带 BOM），制表符（Tab）分隔，读入 183 行" \
    "attendance.csv: UTF-8，分号分隔，读入 1697 行" "dues.csv: GB18030/GBK，读入"; do
    check "platform sample: check says '$want'" grep -qF -- "$want" "$TMP/err"
done
check "platform sample: no column goes unread" bash -c "! grep -q '这一列没有读入' '$TMP/err'"
same_findings sample-monthly input input/rules.ini "$TMP/pl-sample" "monthly --month 2022-09" 2022-09
same_findings sample-halfyear input input/rules.ini "$TMP/pl-sample" "halfyear --half 2022-H2" 2022-H2
same_findings sample-annual input input/rules.ini "$TMP/pl-sample" "annual --year 2022" 2022
city="$SHARED/acceptance/city-small"
if [ -d "$city" ]; then
    $PY tests/tools/to_platform.py "$city" "$TMP/pl-city" || nok "to_platform.py on city-small"
    same_findings city-annual "$city" "$city/rules.ini" "$TMP/pl-city" "annual --year 2022" 2022
    same_findings city-monthly "$city" "$city/rules.ini" "$TMP/pl-city" "monthly --month 2022-09" 2022-09
else
    nok "no city-small case under \$SHARED/acceptance"
fi

# ---- item 15/16: without the mapping, the branch column of meetings.csv is
# named, with the line that maps it -----------------------------------------
cp -r "$TMP/pl-sample" "$TMP/nomap"
grep -v -e '^\[columns.meetings\]' -e '^branch = 所属党支部' "$TMP/pl-sample/rules.ini" > "$TMP/nomap/rules.ini"
"$ZHIBU" check -i "$TMP/nomap" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -qF 'meetings.csv:1: branch: 缺少必需的列“branch”（支部）' "$TMP/err" \
    && grep -qF 'meetings.csv:1: 所属党支部: 警告：这一列没有读入，它像是 branch（支部）列；若是，请在规则文件中写 [columns.meetings] branch = 所属党支部' "$TMP/err" \
    && ok "unmapped 所属党支部 in meetings.csv: the error and how to map it" \
    || { nok "unmapped 所属党支部 in meetings.csv"; head "$TMP/err"; }

# ---- item 16: a look-alike header is a warning, and check reports it -------
cp -r input "$TMP/look"
sed '1s/,joined,/,入党时间（年月）,/' input/members.csv > "$TMP/look/members.csv"
"$ZHIBU" check -i "$TMP/look" 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -qF 'members.csv:1: 入党时间（年月）: 警告：这一列没有读入，它像是 joined（入党日期）列；若是，请在规则文件中写 [columns.members] joined = 入党时间（年月）' "$TMP/err" \
    && grep -qF '（有警告，见上）' "$TMP/err" \
    && ok "check warns of 入党时间（年月）" || { nok "check warns of 入党时间（年月）"; head "$TMP/err"; }
printf '\n[columns.members]\njoined = 入党时间（年月）\n' | cat input/rules.ini - > "$TMP/look/rules.ini"
"$ZHIBU" monthly --month 2022-09 -q -f csv -i "$TMP/look" -o "$TMP/look-out" 2>"$TMP/err" \
    && cmp -s "$TMP/look-out/2022-09/findings.csv" "$TMP/ref-sample-monthly/2022-09/findings.csv" \
    && ! grep -q '没有读入' "$TMP/err" \
    && ok "mapped with [columns.members]: the same findings" || { nok "mapped with [columns.members]"; head "$TMP/err"; }

# ---- item 19: a payment whose status says 待缴费 is no payment ---------------
cp -r input "$TMP/owed"
# the first September payment of the sample, marked as still owed
row=$(grep -n ',2022-09,' input/dues.csv | head -1 | cut -d: -f1)
mid=$(sed -n "${row}p" input/dues.csv | cut -d, -f1)
awk -F, -v r="$row" 'BEGIN{OFS=","} NR==1{print $0",缴费状态"; next} {print $0 "," (NR==r ? "待缴费" : "已缴")}' \
    input/dues.csv > "$TMP/owed/dues.csv"
"$ZHIBU" monthly --month 2022-09 -q -f csv -i "$TMP/owed" -o "$TMP/owed-out" 2>"$TMP/err"
grep -q "^DU-UNPAID,[^,]*,$mid,.*,2022-09," "$TMP/owed-out/2022-09/findings.csv" \
    && ! grep -q "^DU-UNPAID,[^,]*,$mid,.*,2022-09," "$TMP/ref-sample-monthly/2022-09/findings.csv" \
    && ok "dues status 待缴费: $mid is DU-UNPAID for 2022-09" || { nok "dues status 待缴费 counted as paid"; head "$TMP/err"; }

# ---- item 22: a name that is a formula opens as text -----------------------
cp -r input "$TMP/inject"
# the formula goes into the name of a member with findings
victim=$(awk -F, '$3 != "" {print $3; exit}' <(tail -n +2 "$TMP/ref-sample-annual/2022/findings.csv"))
awk -F, -v v="$victim" 'BEGIN{OFS=","} $1==v{$2="\"=HYPERLINK(\"\"http://example.com\"\",\"\"点此\"\")\""} NR==3{$2="+1+2"} NR==4{$2="\"@SUM(1,2)\""} NR==5{$2="-3"} {print}' \
    input/members.csv > "$TMP/inject/members.csv"
"$ZHIBU" annual --year 2022 -q -f csv -i "$TMP/inject" -o "$TMP/inject-out" 2>"$TMP/err" || { nok "inject: run"; head "$TMP/err"; }
fcsv="$TMP/inject-out/2022/findings.csv" ecsv="$TMP/inject-out/2022/evaluation.csv"
check "inject: findings.csv writes '=HYPERLINK as text" grep -qF "\"'=HYPERLINK(\"\"http://example.com\"\",\"\"点此\"\")\"" "$fcsv"
check "inject: evaluation.csv guards = + @ -" bash -c "grep -qF \"'=HYPERLINK\" '$ecsv' && grep -qF \"'+1+2\" '$ecsv' && grep -qF \"\\\"'@SUM(1,2)\\\"\" '$ecsv' && grep -qF \"'-3\" '$ecsv'"
check "inject: no field starts with = + - @ unguarded" $PY - "$fcsv" "$ecsv" <<'EOF'
import csv, sys
bad = [x for f in sys.argv[1:] for row in csv.reader(open(f, encoding="utf-8-sig")) for x in row if x[:1] in ("=", "+", "-", "@", "\t", "\r") and x]
sys.exit(1 if bad else 0)
EOF
if command -v soffice >/dev/null 2>&1 && $PY -c 'import openpyxl' 2>/dev/null; then
    lo="$TMP/lo"
    mkdir -p "$lo"
    cp "$ecsv" "$lo/evaluation.csv"
    # CSV import: comma, double quote, UTF-8 (76), from line 1
    HOME="$lo" timeout 120 soffice -env:UserInstallation="file://$lo/profile" --headless --infilter="CSV:44,34,76,1" \
        --convert-to xlsx --outdir "$lo" "$lo/evaluation.csv" >/dev/null 2>&1
    check "inject: LibreOffice opens evaluation.csv with no formula, the names as text" $PY - "$lo/evaluation.xlsx" <<'EOF'
import openpyxl, sys
ws = openpyxl.load_workbook(sys.argv[1]).active
cells = [c for row in ws.iter_rows() for c in row if c.value is not None]
formulas = [c.coordinate for c in cells if c.data_type == "f"]
names = [c.value for c in cells if isinstance(c.value, str) and "HYPERLINK" in c.value]
sys.exit(0 if not formulas and names and all(c.data_type in ("s", "n") for c in cells) else 1)
EOF
else
    ok "inject: LibreOffice read-back # skip: soffice or openpyxl missing"
fi

# ---- a full disk: each output says 磁盘空间不足：写入 … 失败 -------------------
# A small tmpfs, filled up to `keep` free bytes, with an earlier output in it.
full="$TMP/full"
mkdir -p "$full"
disk_full() { # label, free bytes to leave, formats, the failing file (or its end), run args...
    local label=$1 keep=$2 fmt=$3 file=$4; shift 4
    if ! mount -t tmpfs -o size=2m zhibu-test "$full" 2>/dev/null; then
        ok "disk full ($label) # skip: cannot mount a small tmpfs here"; return
    fi
    mkdir -p "$full/out/2022-09" && echo "earlier" > "$full/out/2022-09/findings.csv"
    local avail; avail=$(df --output=avail -B1 "$full" | tail -1)
    dd if=/dev/zero of="$full/filler" bs=4096 count=$(( (avail - keep) / 4096 )) 2>/dev/null
    "$ZHIBU" "$@" -q -f "$fmt" -j 2 -i input -o "$full/out" 2>"$TMP/err"; rc=$?
    local left; left=$(find "$full/out" -name '.zhibu-tmp-*' | wc -l)
    if [ $rc = 2 ] && grep -F "磁盘空间不足：写入 $full/out/2022-09/" "$TMP/err" | grep -qF "$file 失败" \
        && [ "$left" = 0 ] && [ "$(cat "$full/out/2022-09/findings.csv")" = earlier ] \
        && ! grep -q -e 'error 0x' -e '\[ERROR\]' -e 'No space' -e 'tmp-' "$TMP/err"; then
        ok "disk full ($label): 磁盘空间不足：写入 …$file 失败, status 2, nothing changed"
    else
        nok "disk full ($label): status $rc, $left temporaries left"; cat "$TMP/err"
    fi
    umount "$full"
}
# findings.csv of the sample is ~3 KB, the workbook ~35 KB, a PDF ~90 KB
disk_full csv 0 csv findings.csv monthly --month 2022-09
disk_full xlsx 16384 xlsx,csv zhibu-2022-09.xlsx monthly --month 2022-09
disk_full pdf 16384 pdf,csv .pdf monthly --month 2022-09
