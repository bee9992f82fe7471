# Bad input: `file:line: column: message`, exit status 1, nothing written;
# --keep-going skips the bad rows and says how many.  GBK files with
# Chinese headers give the same findings as UTF-8 ones.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
cp -r input "$TMP/in"
rm -f "$TMP/in/README.md"
# a bad date on line 7 of members.csv (the joined column)
awk -F, 'BEGIN{OFS=","} NR==7{$10="2022-02-30"} {print}' input/members.csv > "$TMP/in/members.csv"
"$ZHIBU" check -i "$TMP/in" >"$TMP/out" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && ok "check: bad date exits 1" || nok "check: bad date exits 1 (got $rc)"
check "check: message names members.csv:7 and the column" grep -q '^members.csv:7: joined: 无法识别的日期“2022-02-30”' "$TMP/err"
"$ZHIBU" monthly --month 2022-09 -i "$TMP/in" -o "$TMP/out1" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && ok "monthly: bad row stops the run with 1" || nok "monthly: bad row stops the run (got $rc)"
[ ! -e "$TMP/out1/2022-09/findings.csv" ] && ok "monthly: nothing written on error" || nok "monthly: nothing written on error"
"$ZHIBU" monthly --month 2022-09 -k -f csv -i "$TMP/in" -o "$TMP/out1" 2>"$TMP/err"; rc=$?
# the member's own row, and each row that refers to the member
n=$(grep -c -e '^members.csv:7:' -e '在 members.csv 第 7 行有错误' "$TMP/err")
[ $rc = 0 ] && [ "$n" -gt 1 ] && grep -q "跳过了 $n 行" "$TMP/err" && ok "--keep-going: runs and says how many rows it skipped" \
    || { nok "--keep-going: runs and says how many rows it skipped ($n)"; cat "$TMP/err"; }

# file-level problems stop even with --keep-going
printf 'member_id,name\nP1,"unterminated\n' > "$TMP/in/members.csv"
"$ZHIBU" check -k -i "$TMP/in" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^members.csv:2: 引号不匹配' "$TMP/err" && ok "broken quoting is a file-level error" \
    || { nok "broken quoting is a file-level error"; cat "$TMP/err"; }
cp input/members.csv "$TMP/in/members.csv"
cut -d, -f1,2,4 input/dues.csv > "$TMP/in/dues.csv"
"$ZHIBU" check -i "$TMP/in" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^dues.csv:1: amount: 缺少必需的列' "$TMP/err" && ok "missing required column is named" \
    || { nok "missing required column is named"; cat "$TMP/err"; }
cp input/dues.csv "$TMP/in/dues.csv"
rm "$TMP/in/service.csv"
"$ZHIBU" check -i "$TMP/in" 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^service.csv: 无法打开文件' "$TMP/err" && ok "missing file is named" || nok "missing file is named"
cp input/service.csv "$TMP/in/service.csv"

# GBK with Chinese headers: same findings
mkdir -p "$TMP/gbk"
rename_header() { # file, then pairs english=chinese
    local f=$1; shift
    local head; head=$(head -1 "input/$f")
    for pair in "$@"; do head=$(echo "$head" | sed "s/\\b${pair%%=*}\\b/${pair#*=}/"); done
    { echo "$head"; tail -n +2 "input/$f"; } | iconv -f UTF-8 -t GB18030 > "$TMP/gbk/$f"
}
rename_header members.csv member_id=党员编号 name=姓名 branch=所在支部 unit=单位 category=人员类别 \
    special_post=特殊岗位 leader=领导干部 monthly_dues=月党费 dues_base=党费基数 joined=入党日期 left=转出日期
rename_header meetings.csv meeting_id=活动编号 branch=支部 date=活动日期 kind=活动类型 topic=主题 actions=规定动作 minutes=会议记录
rename_header attendance.csv meeting_id=活动编号 member_id=党员编号 status=状态 reason=请假事由
rename_header dues.csv member_id=党员编号 month=所属月份 amount=实缴金额 paid_on=交纳日期 channel=渠道
rename_header service.csv member_id=党员编号 date=服务日期 hours=时长 community=社区 content=服务内容 confirmed_by=确认人 rating=群众评价
rename_header exemptions.csv member_id=党员编号 type=类型 from=开始日期 to=结束日期
check "GBK copy really is GBK" sh -c "! iconv -f UTF-8 -t UTF-8 '$TMP/gbk/members.csv' >/dev/null 2>&1"
"$ZHIBU" monthly --month 2022-09 -q -f csv -i "$TMP/gbk" -o "$TMP/o-gbk" 2>"$TMP/err" || cat "$TMP/err"
"$ZHIBU" monthly --month 2022-09 -q -f csv -i input -o "$TMP/o-utf8" 2>/dev/null
check "GBK input gives the same findings" cmp "$TMP/o-gbk/2022-09/findings.csv" "$TMP/o-utf8/2022-09/findings.csv"
"$ZHIBU" check -i "$TMP/gbk" 2>"$TMP/err"
check "check reports the detected encoding" grep -q 'members.csv: GB18030' "$TMP/err"
