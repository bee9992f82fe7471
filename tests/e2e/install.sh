# make install: the binary, the templates and the man page, under DESTDIR.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
root="$TMP/root"
make --no-print-directory install DESTDIR="$root" PREFIX=/usr >"$TMP/log" 2>&1 && ok "make install succeeds" \
    || { nok "make install succeeds"; cat "$TMP/log"; }
check "binary installed" test -x "$root/usr/bin/zhibu"
check "templates installed" test -s "$root/usr/share/zhibu/templates/monthly.ini" -a -s "$root/usr/share/zhibu/templates/rules.ini"
check "man page installed" test -s "$root/usr/share/man/man1/zhibu.1"
check "man page formats" sh -c "man -l '$root/usr/share/man/man1/zhibu.1' 2>/dev/null | grep -q 'zhibu monthly' || groff -man -Tutf8 '$root/usr/share/man/man1/zhibu.1' 2>/dev/null | grep -q 'zhibu monthly' || grep -q '^.SH SYNOPSIS' '$root/usr/share/man/man1/zhibu.1'"
mkdir -p "$TMP/elsewhere"
cd "$TMP/elsewhere"
"$root/usr/bin/zhibu" monthly --month 2022-09 -q -f csv,pdf -i "$ZHIBU_ROOT/input" -t "$root/usr/share/zhibu/templates" -o out 2>"$TMP/err" \
    && ok "the installed binary runs with the installed templates" || { nok "the installed binary runs with the installed templates"; cat "$TMP/err"; }
check "it wrote findings and PDFs" sh -c "test -s out/2022-09/findings.csv && ls out/2022-09/*.pdf >/dev/null"
