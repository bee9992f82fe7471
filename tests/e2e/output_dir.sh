# The output directory as a unit (SPEC item 21): after a branch is renamed
# the second run leaves exactly the new set of files, plus the files zhibu
# did not write (untouched); a file zhibu wrote and somebody changed since
# is kept; a -f csv run removes the previous documents; a symbolic link at
# output/<period> or at a name the run would write gives status 2 and
# writes nothing, there or where the link points.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
cp "$ZHIBU" "$TMP/zhibu" && ZHIBU="$TMP/zhibu"
P=2022-09
in="$TMP/in"
cp -r input "$in"
o="$TMP/o"
"$ZHIBU" monthly --month $P -q -i "$in" -o "$o" 2>/dev/null || { nok "output dir: first run failed"; exit 0; }
[ -e "$o/$P/文学院学生党支部.pdf" ] || { nok "output dir: the sample has no 文学院学生党支部"; exit 0; }
echo "the secretary's notes" >"$o/$P/notes.txt"
mkdir "$o/$P/扫描件" && echo scan >"$o/$P/扫描件/a.txt"
cp "$o/$P/notes.txt" "$TMP/notes.txt"

# the branch renamed in every input file
sed -i 's/文学院学生党支部/文学院学生第一党支部/g' "$in"/*.csv
"$ZHIBU" monthly --month $P -q -i "$in" -o "$o" 2>"$TMP/err"
rc=$?
"$ZHIBU" monthly --month $P -q -i "$in" -o "$TMP/fresh" 2>/dev/null
want=$( (ls "$TMP/fresh/$P"; echo notes.txt; echo 扫描件) | LC_ALL=C sort)
have=$(ls "$o/$P" | LC_ALL=C sort)
[ $rc = 0 ] && [ "$have" = "$want" ] \
    && ok "output dir: after a branch is renamed, exactly the new set of files plus the user's" \
    || { nok "output dir: files after the rename (status $rc)"; diff <(echo "$want") <(echo "$have"); cat "$TMP/err"; }
check "output dir: the old branch's PDF is gone" test ! -e "$o/$P/文学院学生党支部.pdf"
check "output dir: a file zhibu did not write is untouched" cmp -s "$o/$P/notes.txt" "$TMP/notes.txt"
check "output dir: a directory zhibu did not write is untouched" test -f "$o/$P/扫描件/a.txt"
check "output dir: every file zhibu wrote equals a fresh run's" \
    sh -c "for f in \$(ls '$TMP/fresh/$P'); do cmp -s '$TMP/fresh/$P/'\$f '$o/$P/'\$f || exit 1; done"

# a file zhibu wrote, changed by hand since, is kept when the next run no longer writes it
printf '\n手写批注' >>"$o/$P/机关第一党支部.pdf"
"$ZHIBU" monthly --month $P -q -f csv -i "$in" -o "$o" 2>"$TMP/err"
rc=$?
left=$(ls "$o/$P" | LC_ALL=C sort | tr '\n' ' ')
[ $rc = 0 ] && [ "$left" = "findings.csv manifest.txt notes.txt warnings.csv 扫描件 机关第一党支部.pdf " ] \
    && ok "output dir: a -f csv run removes the previous PDFs and workbook, keeps the one changed by hand" \
    || { nok "output dir: after -f csv (status $rc): $left"; cat "$TMP/err"; }
grep -q '机关第一党支部.pdf: 上次运行写的文件已被改动，保留不删' "$TMP/err" \
    && ok "output dir: it says why that file was kept" || { nok "output dir: no word about the kept file"; cat "$TMP/err"; }

# a symbolic link at output/<period>
s="$TMP/s"
mkdir -p "$s" "$TMP/target"
ln -s "$TMP/target" "$s/$P"
"$ZHIBU" monthly --month $P -q -i "$in" -o "$s" 2>"$TMP/err"
rc=$?
[ $rc = 2 ] && [ -z "$(ls -A "$TMP/target")" ] && [ "$(ls -A "$s")" = "$P" ] && [ -L "$s/$P" ] \
    && ok "output dir: a symbolic link at output/$P: status 2, nothing written" \
    || { nok "output dir: link at the period (status $rc)"; ls -la "$TMP/target" "$s"; }
grep -q '符号链接' "$TMP/err" && ok "output dir: the message says it is a symbolic link" || { nok "output dir: message"; cat "$TMP/err"; }

# a symbolic link at a name the run would write, in a directory of an earlier run
for name in findings.csv 机关第一党支部.pdf "zhibu-$P.xlsx" manifest.txt; do
    rm -rf "$s" "$TMP/target" && mkdir -p "$s" "$TMP/target"
    "$ZHIBU" monthly --month $P -q -i "$in" -o "$s" 2>/dev/null
    rm -f "$s/$P/$name"
    ln -s "$TMP/target/victim" "$s/$P/$name"
    before=$(cd "$s/$P" && ls -lA --time-style=+%s.%N | sha256sum; cat -- * 2>/dev/null | sha256sum)
    "$ZHIBU" monthly --month $P -q -i "$in" -o "$s" 2>"$TMP/err"
    rc=$?
    after=$(cd "$s/$P" && ls -lA --time-style=+%s.%N | sha256sum; cat -- * 2>/dev/null | sha256sum)
    [ $rc = 2 ] && [ "$before" = "$after" ] && [ ! -e "$TMP/target/victim" ] && grep -q "$name: 是符号链接" "$TMP/err" \
        && ok "output dir: a symbolic link at $name: status 2, the directory unchanged, nothing where it points" \
        || { nok "output dir: link at $name (status $rc)"; cat "$TMP/err"; ls -lA "$s/$P" "$TMP/target"; }
done
