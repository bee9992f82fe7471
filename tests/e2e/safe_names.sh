# Names that come from data (branch, unit) never write outside -o DIR:
# `../`, `/`, control characters, newlines, leading dots, names that look like
# temporaries, very long names and names that clash after cleaning.  Runs
# monthly and annual in the default formats, with a template whose file name
# uses {unit} as well as {branch}.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
in="$TMP/in"
mkdir -p "$in"
cp tests/corpus/_base/*.csv "$in/"
long=$(printf '党%.0s' $(seq 1 100))
tab=$(printf 'a\tb')
{
    echo 'member_id,name,branch,unit,category,special_post,leader,monthly_dues,dues_base,joined,left'
    n=0
    while IFS= read -r b; do
        n=$((n + 1))
        printf 'Q%02d,党员%d,"%s","%s",在职,,否,10,,,\n' "$n" "$n" "$b" "$b"
    done <<NAMES
../../evil
/tmp/zhibu-escape
a/b
a_b
..
.
.zhibu-tmp-1-x
-rf
$tab
第一
支部
$long
${long}/../../x
C:\\Windows\\x
NAMES
    printf 'Q99,党员99,"换行\n支部","单位\r\n名",在职,,否,10,,,\n'
} > "$in/members.csv"
# keep only rows of the other files that still refer to known ids
printf 'meeting_id,branch,date,kind,topic,actions,minutes\n' > "$in/meetings.csv"
printf 'meeting_id,member_id,status,reason\n' > "$in/attendance.csv"
printf 'member_id,month,amount,paid_on,channel\nQ01,2022-09,10,2022-09-01,\n' > "$in/dues.csv"
printf 'member_id,date,hours,community,content,confirmed_by,rating\n' > "$in/service.csv"
printf 'member_id,type,from,to\n' > "$in/exemptions.csv"
nb=$(grep -c '^Q' "$in/members.csv")
cp -r templates "$TMP/tpl"
sed -i '/^file = /d; s/^\[document\]$/[document]\nfile = {unit}-{branch}.pdf/' "$TMP/tpl/monthly.ini"
sed -i 's/^file = .*/file = {organization}-{year}.pdf/' "$TMP/tpl/unit-annual.ini"
mkdir -p "$TMP/deep/er/out"
out="$TMP/deep/er/out"
touch "$TMP/marker"
sleep 1
for run in "monthly --month 2022-09:2022-09:" "annual --year 2022:2022:" "monthly --month 2022-09:2022-09:-t $TMP/tpl" "annual --year 2022:2022:-t $TMP/tpl"; do
    IFS=: read -r args period extra <<<"$run"
    rm -rf "$out"
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -i "$in" -o "$out" $extra 2>"$TMP/err"
    rc=$?
    [ "$rc" = 0 ] && ok "safe names: $args $extra runs" || { nok "safe names: $args $extra ($rc)"; sed 's/^/    /' "$TMP/err" | head; continue; }
    outside=$(find "$TMP" /tmp/zhibu-escape -newer "$TMP/marker" -type f 2>/dev/null | grep -v "^$out/$period/[^/]*\$" | grep -v "^$TMP/err\$")
    [ -z "$outside" ] && ok "safe names: $args $extra: nothing written outside $period/" \
        || nok "safe names: $args $extra: written outside: $outside"
    npdf=$(find "$out/$period" -maxdepth 1 -name '*.pdf' | wc -l)
    want=$nb; case $args in annual*) want=$((nb + 1)) ;; esac
    [ "$npdf" = "$want" ] && ok "safe names: $args $extra: one PDF per branch ($npdf), none lost to a clash" \
        || { nok "safe names: $args $extra: $npdf PDFs, want $want"; ls "$out/$period"; }
    badname=$(find "$out/$period" -mindepth 1 | sed "s|^$out/$period/||" | LC_ALL=C grep -nE '^\.|/|[[:cntrl:]]|^.{256,}' )
    [ -z "$badname" ] && ok "safe names: $args $extra: no hidden, nested, control-character or over-long names" \
        || nok "safe names: $args $extra: bad names: $badname"
    noext=$(find "$out/$period" -maxdepth 1 -type f ! -name '*.pdf' ! -name '*.xlsx' ! -name '*.csv' ! -name manifest.txt)
    [ -z "$noext" ] && ok "safe names: $args $extra: every file keeps its extension" || nok "safe names: lost extension: $noext"
done
rm -f /tmp/zhibu-escape
