# The audit trail (doc/audit.md): manifest.txt and the fingerprint anyone can
# recompute with sha256sum; `zhibu verify` of a fresh PDF, workbook and
# manifest says 一致; one changed byte in any input, the rules or a template
# is exit 1 naming that file; a document changed after the run is exit 1;
# a file without a fingerprint is exit 2; the QR code on the last page
# decodes to the fingerprint; the fingerprint does not depend on the output
# directory, the time, the time zone, the locale, the working directory or
# the order files were created in.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
cp "$ZHIBU" "$TMP/zhibu" && ZHIBU="$TMP/zhibu"   # the checkout may be rebuilt meanwhile
P=2022-09
in="$TMP/in"
cp -r input "$in"
"$ZHIBU" monthly --month $P -q -i "$in" -o "$TMP/o" 2>"$TMP/err" || { nok "audit: the run failed"; cat "$TMP/err"; exit 0; }
out="$TMP/o/$P"
man="$out/manifest.txt"
fp=$(sed -n 's/^fingerprint //p' "$man")
pdf="$out/机关第一党支部.pdf"
xlsx="$out/zhibu-$P.xlsx"

# --- manifest.txt: recomputable with sha256sum --------------------------------
[ ${#fp} = 64 ] && ok "audit: manifest.txt starts with a 64-digit fingerprint" || nok "audit: fingerprint \"$fp\""
pre=$(grep -v -e '^fingerprint ' -e '^output ' "$man" | sha256sum | cut -d' ' -f1)
[ "$pre" = "$fp" ] && ok "audit: fingerprint = sha256sum of the manifest's lines other than fingerprint and output" \
    || nok "audit: fingerprint $fp, sha256sum of the record $pre"
bad=""
for f in attendance.csv dues.csv exemptions.csv meetings.csv members.csv service.csv; do
    grep -qx "input $(sha256sum <"$in/$f" | cut -d' ' -f1) $(stat -c %s "$in/$f") $f" "$man" || bad="$bad $f"
done
grep -qx "rules $(sha256sum <"$in/rules.ini" | cut -d' ' -f1) $(stat -c %s "$in/rules.ini") rules.ini" "$man" || bad="$bad rules.ini"
for f in monthly.ini wording.ini workbook.ini; do
    grep -qx "template $(sha256sum <"templates/$f" | cut -d' ' -f1) $(stat -c %s "templates/$f") $f" "$man" || bad="$bad $f"
done
[ -z "$bad" ] && ok "audit: one line per input, rules and template file: sha256sum and size" || nok "audit: wrong lines for:$bad"
bad=""
for f in "$out"/*; do
    b=$(basename "$f"); [ "$b" = manifest.txt ] && continue
    grep -qxF "output $(sha256sum <"$f" | cut -d' ' -f1) $(stat -c %s "$f") $b" "$man" || bad="$bad $b"
done
n=$(grep -c '^output ' "$man")
[ -z "$bad" ] && [ "$n" = $(($(ls "$out" | wc -l) - 1)) ] && ok "audit: one line per output file ($n), sha256sum and size" \
    || nok "audit: output lines wrong:$bad ($n lines)"
check "audit: output lines sorted by name (byte order)" sh -c "grep '^output ' '$man' | cut -d' ' -f4- | LC_ALL=C sort -c"

# --- verify: fresh files are 一致 ----------------------------------------------
for f in "$pdf" "$xlsx" "$man"; do
    "$ZHIBU" verify "$f" -i "$in" >"$TMP/v" 2>&1
    rc=$?
    [ $rc = 0 ] && grep -q '^一致' "$TMP/v" && ok "audit: verify $(basename "$f"): 一致, exit 0" \
        || { nok "audit: verify $(basename "$f"): exit $rc"; cat "$TMP/v"; }
done

# --- one changed byte in any input, the rules or a template: exit 1 naming it ---
flip() { # file: change one byte in the middle of it
    python3 - "$1" <<'EOF'
import sys
p = sys.argv[1]
d = bytearray(open(p, 'rb').read())
i = len(d) // 2
d[i] = ord('7') if d[i] != ord('7') else ord('8')
open(p, 'wb').write(d)
EOF
}
changed() { # kind file target-document: a copy of the inputs or templates with one byte changed
    local kind=$1 f=$2 doc=$3
    rm -rf "$TMP/c" "$TMP/t" && cp -r "$in" "$TMP/c" && cp -r templates "$TMP/t"
    if [ "$kind" = template ]; then flip "$TMP/t/$f"; else flip "$TMP/c/$f"; fi
    "$ZHIBU" verify "$doc" -i "$TMP/c" -t "$TMP/t" >"$TMP/v" 2>&1
    rc=$?
    if [ $rc = 1 ] && grep -q "已改动：.*/$f\$" "$TMP/v" && [ "$(grep -c '已改动' "$TMP/v")" = 1 ]; then
        ok "audit: one byte changed in $f: verify $(basename "$doc") exits 1 naming $f"
    else
        nok "audit: one byte changed in $f: verify $(basename "$doc") exit $rc"; cat "$TMP/v"
    fi
}
for f in attendance.csv dues.csv exemptions.csv meetings.csv members.csv service.csv; do changed input $f "$pdf"; done
changed input rules.ini "$pdf"
changed template monthly.ini "$pdf"
changed template wording.ini "$xlsx"
changed template workbook.ini "$man"
changed input members.csv "$man"
# a template another kind of run reads does not count
rm -rf "$TMP/t" && cp -r templates "$TMP/t" && flip "$TMP/t/annual.ini"
"$ZHIBU" verify "$pdf" -i "$in" -t "$TMP/t" >"$TMP/v" 2>&1 \
    && ok "audit: annual.ini is not part of a monthly run's fingerprint" || { nok "audit: annual.ini counted"; cat "$TMP/v"; }
# alone (no manifest beside it) the PDF still knows the data changed, but cannot say which file
cp "$pdf" "$TMP/alone.pdf"
rm -rf "$TMP/c" && cp -r "$in" "$TMP/c" && flip "$TMP/c/dues.csv"
"$ZHIBU" verify "$TMP/alone.pdf" -i "$TMP/c" >"$TMP/v" 2>&1
[ $? = 1 ] && grep -q '数据指纹不同' "$TMP/v" && grep -q '没有这次运行的 manifest.txt' "$TMP/v" \
    && ok "audit: a PDF alone with changed data: exit 1, fingerprint differs" || { nok "audit: alone"; cat "$TMP/v"; }

# --- documents changed after the run: exit 1, the data match but the bytes differ
python3 - "$pdf" "$TMP" <<'EOF'
import sys
src, tmp = sys.argv[1], sys.argv[2]
d = open(src, 'rb').read()
# a byte inside a deflated content stream (a page's text and figures)
s = bytearray(d)
i = s.index(b'stream\n', s.index(b'/FlateDecode')) + 7 + 40
s[i] ^= 0x01
open(tmp + '/stream.pdf', 'wb').write(s)
# one hex digit of the document's title in the Info dictionary
t = bytearray(d)
i = t.index(b'/Title <') + 12
t[i] = ord('0') if t[i] != ord('0') else ord('1')
open(tmp + '/title.pdf', 'wb').write(t)
EOF
qpdf --object-streams=generate "$pdf" "$TMP/objstm.pdf" 2>/dev/null
for t in stream title objstm; do
    cp "$TMP/$t.pdf" "$out/x-$t.pdf"
    "$ZHIBU" verify "$out/x-$t.pdf" -i "$in" >"$TMP/v" 2>&1
    rc=$?
    rm -f "$out/x-$t.pdf"
    [ $rc = 1 ] && grep -q '数据相同' "$TMP/v" && grep -q '文件内容与重新生成的不同' "$TMP/v" \
        && ok "audit: PDF changed after the run ($t): exit 1, bytes differ" || { nok "audit: PDF changed ($t): exit $rc"; cat "$TMP/v"; }
done
# a figure in the workbook (a digit in a sheet, the package rezipped)
python3 - "$xlsx" "$TMP/x.xlsx" <<'EOF'
import re, sys, zipfile
src, dst = sys.argv[1], sys.argv[2]
zin = zipfile.ZipFile(src)
zout = zipfile.ZipFile(dst, 'w', zipfile.ZIP_DEFLATED)
done = False
for item in zin.infolist():
    data = zin.read(item.filename)
    if not done and item.filename.startswith('xl/worksheets/sheet'):
        new = re.sub(rb'<v>(\d)', lambda m: b'<v>' + bytes([ord('0') + (int(m.group(1)) + 1) % 10]), data, count=1)
        done = new != data
        data = new
    zout.writestr(item, data)
zout.close()
EOF
"$ZHIBU" verify "$TMP/x.xlsx" -i "$in" >"$TMP/v" 2>&1
[ $? = 1 ] && grep -q '文件内容与重新生成的不同' "$TMP/v" && ok "audit: a figure changed in the workbook: exit 1" \
    || { nok "audit: workbook changed"; cat "$TMP/v"; }
# an output beside the manifest changed after the run
cp -a "$out" "$TMP/o3"
printf 'x' >>"$TMP/o3/findings.csv"
"$ZHIBU" verify "$TMP/o3/manifest.txt" -i "$in" >"$TMP/v" 2>&1
[ $? = 1 ] && grep -q 'findings.csv：文件在生成后被改动过' "$TMP/v" \
    && ok "audit: verify manifest.txt names an output changed after the run" || { nok "audit: manifest, changed output"; cat "$TMP/v"; }
# a file without a fingerprint: exit 2
qpdf --empty "$TMP/empty.pdf" 2>/dev/null
for f in "$TMP/empty.pdf" README.md "$in/members.csv"; do
    "$ZHIBU" verify "$f" -i "$in" >"$TMP/v" 2>&1
    rc=$?
    [ $rc = 2 ] && grep -q '没有数据指纹' "$TMP/v" && ok "audit: verify $(basename "$f") (not zhibu's): exit 2" \
        || { nok "audit: verify $(basename "$f"): exit $rc"; cat "$TMP/v"; }
done

# --- the mark: QR code, caption, metadata -------------------------------------
pages=$(pdfinfo "$pdf" 2>/dev/null | awk '/^Pages:/{print $2}')
pdftoppm -r 300 -png -f "$pages" -l "$pages" "$pdf" "$TMP/last" 2>/dev/null
qr=$(zbarimg -q --raw "$TMP"/last*.png 2>/dev/null)
[ "$qr" = "$fp" ] && ok "audit: the QR code on the last page decodes to the fingerprint" || nok "audit: QR decodes to \"$qr\""
pdftotext -f "$pages" -l "$pages" "$pdf" - 2>/dev/null | grep -q "数据指纹：${fp:0:16}\$" \
    && ok "audit: the last page says 数据指纹：and the first 16 hex digits" || nok "audit: no 数据指纹 caption"
[ "$pages" -gt 1 ] && ! pdftotext -f 1 -l $((pages - 1)) "$pdf" - 2>/dev/null | grep -q 数据指纹 \
    && ok "audit: only the last page carries the mark" || nok "audit: the mark on another page"
pdfinfo "$pdf" 2>/dev/null | grep -q "^Keywords: *数据指纹 $fp\$" && ok "audit: PDF Keywords hold the whole fingerprint" \
    || nok "audit: PDF Keywords"
pdfinfo -custom "$pdf" 2>/dev/null | grep -q "ZhibuFingerprint: *$fp" \
    && pdfinfo -custom "$pdf" 2>/dev/null | sed -n 's/^ZhibuDocument: *//p' \
       | python3 -c 'import sys, urllib.parse; sys.exit(urllib.parse.unquote(sys.stdin.read().strip()) != "branch:机关第一党支部")' \
    && ok "audit: PDF Info keys ZhibuFingerprint and ZhibuDocument" || nok "audit: PDF Info keys"
python3 - "$xlsx" "$fp" <<'EOF' && ok "audit: workbook keywords and custom properties hold the fingerprint" || nok "audit: workbook properties"
import sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
fp = sys.argv[2]
core, custom = z.read('docProps/core.xml').decode(), z.read('docProps/custom.xml').decode()
assert ('数据指纹 ' + fp) in core, core
assert 'name="ZhibuFingerprint"' in custom and fp in custom and '>workbook<' in custom, custom
EOF

# --- annual: the unit report and a branch packet, verified and scanned ----------
"$ZHIBU" annual --year 2022 -q -i "$in" -o "$TMP/o" 2>/dev/null
unit=$(ls "$TMP/o/2022"/单位*.pdf 2>/dev/null | head -1)
afp=$(sed -n 's/^fingerprint //p' "$TMP/o/2022/manifest.txt")
"$ZHIBU" verify "$unit" -i "$in" >"$TMP/v" 2>&1 && grep -q '^一致' "$TMP/v" \
    && ok "audit: verify the annual unit report: 一致" || { nok "audit: verify unit report"; cat "$TMP/v"; }
pages=$(pdfinfo "$unit" 2>/dev/null | awk '/^Pages:/{print $2}')
rm -f "$TMP"/last*.png
pdftoppm -r 300 -png -f "$pages" -l "$pages" "$unit" "$TMP/last" 2>/dev/null
qr=$(zbarimg -q --raw "$TMP"/last*.png 2>/dev/null)
[ "$qr" = "$afp" ] && ok "audit: the unit report's QR code decodes to the annual fingerprint" || nok "audit: unit QR \"$qr\""
[ "$afp" != "$fp" ] && ok "audit: another run (annual) has another fingerprint" || nok "audit: annual = monthly fingerprint"

# --- the fingerprint does not depend on where, when, or how files are listed ----
fresh="$TMP/elsewhere/data dir"
mkdir -p "$fresh"
for f in $(ls "$in" | sort -r); do cp "$in/$f" "$fresh/$f"; touch -d '2001-02-03 04:05' "$fresh/$f"; done
sleep 1
locale=C.UTF-8; locale -a 2>/dev/null | grep -qi '^zh_CN.utf-\?8$' && locale=zh_CN.UTF-8
(cd "$TMP/elsewhere" && TZ=Pacific/Kiritimati LC_ALL=$locale "$ZHIBU" monthly --month $P -q -j 1 -i "data dir" -o out2) 2>/dev/null
(cd / && TZ=America/Los_Angeles LC_ALL=C "$ZHIBU" monthly --month $P -q -f pdf -i "$in" -o "$TMP/o4") 2>/dev/null
fp2=$(sed -n 's/^fingerprint //p' "$TMP/elsewhere/out2/$P/manifest.txt")
fp3=$(sed -n 's/^fingerprint //p' "$TMP/o4/$P/manifest.txt")
[ "$fp2" = "$fp" ] && [ "$fp3" = "$fp" ] \
    && ok "audit: same fingerprint from another output dir, input dir, working dir, time, TZ, locale ($locale, C), file order, -j, -f" \
    || nok "audit: fingerprints differ: $fp / $fp2 / $fp3"
check "audit: the whole manifest is byte-identical across those runs" cmp -s "$man" "$TMP/elsewhere/out2/$P/manifest.txt"
check "audit: a PDF of a -f pdf run equals the full run's" cmp -s "$pdf" "$TMP/o4/$P/机关第一党支部.pdf"
"$ZHIBU" verify "$TMP/elsewhere/out2/$P/机关第一党支部.pdf" -i "$fresh" >"$TMP/v" 2>&1 && grep -q '^一致' "$TMP/v" \
    && ok "audit: verify with the inputs in another directory: 一致" || { nok "audit: verify elsewhere"; cat "$TMP/v"; }
