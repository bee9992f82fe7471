# The PDF's characters and text layer (SPEC item 23): every PDF of `make run`
# is read by poppler without a warning, passes qpdf --check and has no
# CIDToGIDMap over 4 KB; names with characters above U+FFFF and Extension A
# characters come back out of pdftotext exactly, a character no face has is
# a warning (file:line: column: … U+XXXXX) and 〓; [fonts] families that do
# not exist or cannot write Chinese are configuration errors (status 2); a
# 10 MB cell goes through every run kind and the PDF says it was cut.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"

all_sound() { # DIR: pdf_sound on every PDF below it; prints the failures
    local f bad=0 n=0
    for f in $(find "$1" -name '*.pdf' | sort); do
        n=$((n + 1))
        pdf_sound "$f" || bad=1
    done
    [ "$n" -gt 0 ] && [ "$bad" = 0 ]
}

# --- make run -----------------------------------------------------------------
for args in "monthly --month 2022-09" "halfyear --half 2022-H2" "annual --year 2022"; do
    # shellcheck disable=SC2086  # args is a word list
    "$ZHIBU" $args -q -i input -o "$TMP/run" 2>"$TMP/err" || { nok "make run: $args"; cat "$TMP/err"; }
done
check "make run: every PDF has a clean text layer, qpdf-clean, small CIDToGIDMaps ($(find "$TMP/run" -name '*.pdf' | wc -l) PDFs)" \
    all_sound "$TMP/run"

# --- rare characters in names ---------------------------------------------------
mkdir -p "$TMP/rare"
cp input/*.csv "$TMP/rare/"
python3 - "$TMP/rare/members.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
names = {"QZ0101": "𠮷野家", "QZ0102": "李𬸚", "QZ0103": "王𫖯", "QZ0104": "张𬌗鿏", "QZ0105": "㐀㻏明",
         "QZ0106": "赵𮯰"}   # 𮯰 U+2EBF0 (Extension I): no face has it
for r in rows[1:]:
    r[1] = names.get(r[0], r[1])
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
"$ZHIBU" check -i "$TMP/rare" >/dev/null 2>"$TMP/check.err"
check "rare names: check warns of the character no face has, with file:line, column and code point" \
    grep -q '^members.csv:7: name: 警告：字符“𮯰”（U+2EBF0）' "$TMP/check.err"
check "rare names: no warning for the characters a fallback face has" \
    sh -c "! grep -E 'U\+(20BB7|2CE1A|2B5AF|2C317|9FCF|3400|3ECF)' '$TMP/check.err'"
for args in "monthly --month 2022-09" "halfyear --half 2022-H2" "annual --year 2022"; do
    # shellcheck disable=SC2086
    "$ZHIBU" $args -q -f pdf,csv -i "$TMP/rare" -o "$TMP/rout" 2>"$TMP/err"
    check "rare names: $args runs and warns on stderr" grep -q 'U+2EBF0' "$TMP/err"
done
"$ZHIBU" monthly --month 2022-09 -q -i "$TMP/rare" -o "$TMP/rxlsx" 2>/dev/null   # all formats
check "rare names: the workbook's 输入问题 sheet lists the warning" sh -c \
    "python3 tests/xlsx_read.py '$TMP/rxlsx/2022-09/zhibu-2022-09.xlsx' --csv 输入问题 | grep -q '^[0-9]*,警告,members.csv,7,name,字符“𮯰”（U+2EBF0）'"
form="$TMP/rout/2022-H2/文学院教工党支部-2022年下半年双报告.pdf"
pdftotext -enc UTF-8 "$form" "$TMP/form.txt" 2>/dev/null
for name in 𠮷野家 李𬸚 王𫖯 张𬌗鿏 㐀㻏明; do
    check "rare names: half-year form gives back $name exactly" grep -qx "$name" "$TMP/form.txt"
    check "rare names: half-year form's member block reads 姓名：$name" \
        sh -c "pdftotext -layout -enc UTF-8 '$form' - 2>/dev/null | grep -q '名：$name'"
done
check "rare names: the character no face has is 〓" grep -qx '赵〓' "$TMP/form.txt"
check "rare names: monthly and annual PDFs name 𠮷野家 too" sh -c \
    "pdftotext '$TMP/rout/2022-09/文学院教工党支部.pdf' - 2>/dev/null | grep -q '𠮷野家' &&
     pdftotext '$TMP/rout/2022/文学院教工党支部-2022年度考核.pdf' - 2>/dev/null | grep -q '𠮷野家'"
check "rare names: every PDF clean" all_sound "$TMP/rout"

# --- [fonts] configuration errors ----------------------------------------------------
fonts_error() { # NAME INI-LINES WANT: status 2, WANT on stderr, nothing written
    printf '[fonts]\n%s\n' "$2" >"$TMP/f.ini"
    rm -rf "$TMP/fout"
    "$ZHIBU" monthly --month 2022-09 -i input -c "$TMP/f.ini" -o "$TMP/fout" 2>"$TMP/ferr"
    local rc=$?
    if [ "$rc" = 2 ] && grep -qF -- "$3" "$TMP/ferr" && [ ! -e "$TMP/fout" ]; then ok "fonts: $1"
    else nok "fonts: $1 (status $rc)"; cat "$TMP/ferr"; fi
}
fonts_error "a Latin-only face is a configuration error" "song = DejaVu Sans" \
    '字体配置错误：[fonts] song：字体“DejaVu Sans”没有报告用字'
fonts_error "a family that does not exist is named, in Chinese" "hei = Comic Sans MS" \
    '[fonts] hei：本机没有字体“Comic Sans MS”'
fonts_error "a fallback family that does not exist" "fallback = BabelStone Han, No Such Font" \
    '[fonts] fallback：本机没有字体“No Such Font”'
fonts_error "a CFF (not TrueType) face cannot be embedded" "kai = C059" "不是 TrueType 字体"
fonts_error "a Latin family that does not exist" "latin = No Such Serif" '[fonts] latin：本机没有字体“No Such Serif”'
printf '[fonts]\nfallback =\n' >"$TMP/nofb.ini"
"$ZHIBU" check -i "$TMP/rare" -c "$TMP/nofb.ini" >/dev/null 2>"$TMP/nofb.err"
check "fonts: without fallbacks 𠮷 is warned about" grep -q '^members.csv:2: name: 警告：字符“𠮷”（U+20BB7）' "$TMP/nofb.err"

# --- a 10 MB cell -------------------------------------------------------------------
mkdir -p "$TMP/big"
cp tests/corpus/_base/* "$TMP/big/"
bash tests/corpus/big_field_text/gen.sh "$TMP/big"   # a 10 MB service content
python3 - "$TMP/big/meetings.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
rows[1][4] = ("学习贯彻党的二十大精神，" * 300000)[:3500000]   # a 10 MB topic
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
for args in "check" "monthly --month 2022-09" "halfyear --half 2022-H2" "annual --year 2022"; do
    # shellcheck disable=SC2086
    timeout 600 "$ZHIBU" $args -q -i "$TMP/big" -o "$TMP/bout" 2>"$TMP/err"
    rc=$?
    [ "$rc" = 0 ] && ok "10 MB cell: $args finishes" || { nok "10 MB cell: $args (status $rc)"; head -5 "$TMP/err"; }
done
check "10 MB cell: the monthly PDF says the topic was cut" sh -c \
    "pdftotext '$TMP/bout/2022-09/第一支部.pdf' - 2>/dev/null | tr -d '\n' | grep -q '学习贯彻党的二十大精神，学习.*（内容过长，以下从略，全文见工作簿）'"
check "10 MB cell: the half-year form says the service content was cut" sh -c \
    "pdftotext '$TMP/bout/2022-H2/第一支部-2022年下半年双报告.pdf' - 2>/dev/null | tr -d '\n' | grep -q 'xxxx（内容过长，以下从略，全文见工作簿）'"
check "10 MB cell: every PDF clean" all_sound "$TMP/bout"

# --- digits and Latin letters: one face for Song and Kai (Liberation Serif) ---------------
# which characters each embedded font of a PDF draws (its ToUnicode map)
font_chars() { # PDF: "BASEFONT<TAB>characters" lines
    rm -rf "$TMP/fx" && python3 "$ZHIBU_ROOT/tests/tools/pdf_fonts.py" extract "$1" "$TMP/fx" |
    while read -r i base; do
        printf '%s\t%s\n' "$base" "$(grep -o '> <[0-9A-F]*>' "$TMP/fx/$i.tu" | tr -d '<> ' |
            python3 -c 'import sys; print("".join(chr(int(x, 16)) for x in sys.stdin.read().split()))')"
    done
}
"$ZHIBU" monthly --month 2022-09 -q -f pdf,csv -i input -o "$TMP/lat" 2>/dev/null
font_chars "$TMP/lat/2022-09/数学与统计学院教工党支部.pdf" >"$TMP/fc"
check "Latin: the digits of body, tables and bold cells come from Liberation Serif" \
    sh -c "grep '^/[A-Z]*+LiberationSerif' '$TMP/fc' | grep -q '0123456789'"
check "Latin: AR PL UMing draws no digit or Latin letter" sh -c "! grep 'UMing' '$TMP/fc' | cut -f2 | grep -q '[0-9A-Za-z]'"
printf '[fonts]\nlatin =\n' >"$TMP/nolat.ini"
"$ZHIBU" monthly --month 2022-09 -q -f pdf,csv -i input -c "$TMP/nolat.ini" -o "$TMP/nolat" 2>/dev/null
font_chars "$TMP/nolat/2022-09/数学与统计学院教工党支部.pdf" >"$TMP/fc0"
check "Latin: with latin = (empty) the Chinese faces draw them again" \
    sh -c "! grep -q LiberationSerif '$TMP/fc0' && grep 'UMing' '$TMP/fc0' | cut -f2 | grep -q '[0-9]'"
