# The command line: help, version, usage errors (2), configuration errors (2).
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
status() { "$@" >"$TMP/out" 2>"$TMP/err"; echo $?; }
check "--help exits 0 and lists the commands" sh -c "'$ZHIBU' --help | grep -q 'zhibu monthly'"
check "--version exits 0" sh -c "'$ZHIBU' --version | grep -q '^zhibu [0-9]'"
[ "$(status "$ZHIBU")" = 2 ] && ok "no command: status 2" || nok "no command: status 2"
[ "$(status "$ZHIBU" frobnicate)" = 2 ] && ok "unknown command: status 2" || nok "unknown command: status 2"
[ "$(status "$ZHIBU" monthly)" = 2 ] && ok "monthly without --month: status 2" || nok "monthly without --month: status 2"
[ "$(status "$ZHIBU" monthly --month 2022-13)" = 2 ] && grep -q -- '--month' "$TMP/err" \
    && ok "bad month: status 2 with a message" || nok "bad month: status 2 with a message"
[ "$(status "$ZHIBU" halfyear --half 2022-H3)" = 2 ] && ok "bad half: status 2" || nok "bad half: status 2"
[ "$(status "$ZHIBU" annual --year 22)" = 2 ] && ok "bad year: status 2" || nok "bad year: status 2"

# configuration errors name the file, line, section and key
printf '[theme_day]\ndeadline_day = late\n' > "$TMP/bad-type.ini"
[ "$(status "$ZHIBU" check -i input -c "$TMP/bad-type.ini")" = 2 ] \
    && grep -q 'bad-type.ini:2: \[theme_day\] deadline_day' "$TMP/err" \
    && ok "wrong value type: status 2 naming the key" || { nok "wrong value type: status 2 naming the key"; cat "$TMP/err"; }
printf '[theme_day]\nper_month = 1\nfrequency = 2\n' > "$TMP/unknown-key.ini"
[ "$(status "$ZHIBU" check -i input -c "$TMP/unknown-key.ini")" = 2 ] \
    && grep -q 'unknown-key.ini:3: \[theme_day\] frequency: 未知的键' "$TMP/err" \
    && ok "unknown key: status 2 naming it" || { nok "unknown key: status 2 naming it"; cat "$TMP/err"; }
printf '[holidays]\nx = 1\n' > "$TMP/unknown-sec.ini"
[ "$(status "$ZHIBU" check -i input -c "$TMP/unknown-sec.ini")" = 2 ] && grep -q '\[holidays\]' "$TMP/err" \
    && ok "unknown section: status 2" || nok "unknown section: status 2"
printf '[deadlines]\n2022-09 = 2022-10-01\n' > "$TMP/deadline.ini"
[ "$(status "$ZHIBU" check -i input -c "$TMP/deadline.ini")" = 2 ] && grep -q '不在该月内' "$TMP/err" \
    && ok "deadline outside its month: status 2" || nok "deadline outside its month: status 2"
printf '\xEF\xBB\xBF[theme_day]\nper_month = 1\n' > "$TMP/bom.ini"
[ "$(status "$ZHIBU" check -i input -c "$TMP/bom.ini")" = 0 ] && ok "a rules file with a BOM loads" || { nok "a rules file with a BOM loads"; cat "$TMP/err"; }
[ "$(status "$ZHIBU" check -i input -c "$TMP/none.ini")" = 2 ] && ok "missing rules file: status 2" || nok "missing rules file: status 2"
