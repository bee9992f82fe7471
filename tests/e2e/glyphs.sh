#!/usr/bin/env bash
# The composite-glyph proof: all 3,755 GB2312 level-1 hanzi go through the
# PDF path (harfbuzz subset, libharu embedding) in each face the reports use,
# and every embedded outline must equal the source font's (FreeType, unscaled).
# The check must be able to fail: with the fonts embedded the way libharu
# does it itself (ZHIBU_PDF_LIBHARU_EMBED=1: it keeps only the direct
# components of composite glyphs), the damage to ü ǖ ǘ ǚ ǜ in AR PL UMing /
# UKai must be caught.  Then the fallback
# proof: rare characters of names are drawn with the first fallback face's
# own outlines (and the check sees it when another face draws them).
# See tests/glyphs/glyphcheck.c and tests/tools/pdf_fonts.py.
. "$(dirname "$0")/../lib.sh"
cd "${ZHIBU_ROOT:-$(dirname "$0")/../..}" || exit 1

GC=$TMP/glyphcheck
if ! cc -std=c11 -D_GNU_SOURCE -O1 -Igen $(pkg-config --cflags harfbuzz-subset icu-uc fontconfig freetype2) \
    tests/glyphs/glyphcheck.c gen/render/pdf/*.c gen/model/report.c gen/base/arena.c gen/base/dates.c \
    $(pkg-config --libs harfbuzz-subset harfbuzz icu-uc icu-i18n fontconfig freetype2 libqrencode libdeflate) -lhpdf -lm \
    -o "$GC" 2>"$TMP/cc.log"; then
    cat "$TMP/cc.log"; nok "glyphs-build"; exit 1
fi

# GB2312 level 1: rows 0xB0..0xD7, cells 0xA1..0xFE (row 0xD7 ends at 0xF9)
bytes=""
for ((hi = 0xB0; hi <= 0xD7; hi++)); do
    for ((lo = 0xA1; lo <= 0xFE; lo++)); do
        ((hi == 0xD7 && lo > 0xF9)) && break
        printf -v b '\\x%02x\\x%02x' "$hi" "$lo"; bytes+=$b
    done
done
printf "$bytes" | iconv -f GB2312 -t UTF-8 >"$TMP/chars.txt"
n=$(python3 -c 'import sys; print(len(open(sys.argv[1], encoding="utf-8").read()))' "$TMP/chars.txt")
check "glyphs-gb2312-level1-is-3755-hanzi" test "$n" = 3755

# Characters libharu itself damages in AR PL UMing / UKai (nested composites),
# which the renderer avoids by embedding the harfbuzz subset as it is.
printf 'ǖǘǚǜüÜ' >"$TMP/pinyin.txt"
cat "$TMP/chars.txt" "$TMP/pinyin.txt" >"$TMP/all.txt"

# prove PDF [fonts...]: render all.txt in the three faces, extract the
# embedded fonts, then check each set against each face's source; prints
# "SET FACE intact|DAMAGED: ..." lines.  Status 2 when the pipeline failed.
prove() {
    local pdf=$1; shift
    "$GC" render "$pdf" "$TMP/all.txt" "$@" >"$TMP/faces" || return 2
    rm -rf "$TMP/fonts"
    python3 tests/tools/pdf_fonts.py extract "$pdf" "$TMP/fonts" >/dev/null || return 2
    local face file idx set
    while read -r face file idx; do
        for set in chars pinyin; do
            "$GC" compare "$file" "$idx" "$TMP/$set.txt" "$TMP/fonts" >"$TMP/out"
            case $? in
            0) echo "$set $face intact: $(tail -1 "$TMP/out")" ;;
            1) echo "$set $face DAMAGED: $(tail -1 "$TMP/out")"; head -3 "$TMP/out" ;;
            *) return 2 ;;
            esac
        done
    done <"$TMP/faces"
}

prove "$TMP/good.pdf" >"$TMP/good.log" 2>&1
check "glyphs-pipeline-ran" test $? -eq 0
cat "$TMP/good.log"
for face in song hei kai; do
    check "glyphs-$face-gb2312-level1-intact" grep -q "^chars $face intact" "$TMP/good.log"
    check "glyphs-$face-pinyin-intact" grep -q "^pinyin $face intact" "$TMP/good.log"
done

# Negative control: embedded by libharu itself, the nested components of
# ü ǖ ǘ ǚ ǜ in Song and Kai are dropped — the check must see it.
ZHIBU_PDF_LIBHARU_EMBED=1 prove "$TMP/bad.pdf" >"$TMP/bad.log" 2>&1
check "glyphs-negative-control-ran" test $? -eq 0
cat "$TMP/bad.log"
check "glyphs-check-catches-damage-song" grep -q "^pinyin song DAMAGED" "$TMP/bad.log"
check "glyphs-check-catches-damage-kai" grep -q "^pinyin kai DAMAGED" "$TMP/bad.log"

# The PDF itself: a text layer poppler reads without a warning, and no
# CIDToGIDMap over 4 KB although each face draws 3,761 characters (the
# renderer splits them over fonts of at most 1,784 glyphs).
check "glyphs-pdf-text-layer-clean" sh -c "pdftotext '$TMP/good.pdf' /dev/null 2>'$TMP/pt.err' && test ! -s '$TMP/pt.err'"
check "glyphs-pdf-maps-small" sh -c "python3 tests/tools/pdf_fonts.py check '$TMP/good.pdf' >&2"
check "glyphs-pdf-qpdf-clean" sh -c "qpdf --check '$TMP/good.pdf' >/dev/null"

# Fallback faces (SPEC item 23): names whose characters AR PL UMing lacks —
# above U+FFFF (𠮷 𬸚 𫖯 𬌗), 鿏, Extension A (㐀 㻏) — go through zhibu itself
# into a half-year form; each must come out of the PDF as BabelStone Han's
# own outline (the first [fonts] fallback), not another face's.
printf '𠮷𬸚𫖯𬌗鿏㐀㻏' >"$TMP/rare.txt"
mkdir -p "$TMP/rare"
cp input/*.csv "$TMP/rare/"
python3 - "$TMP/rare/members.csv" <<'PY'
import csv, sys
rows = list(csv.reader(open(sys.argv[1], encoding="utf-8")))
names = {"QZ0101": "𠮷野家", "QZ0102": "李𬸚", "QZ0103": "王𫖯", "QZ0104": "张𬌗鿏", "QZ0105": "㐀㻏明"}
for r in rows[1:]:
    r[1] = names.get(r[0], r[1])
csv.writer(open(sys.argv[1], "w", encoding="utf-8", newline=""), lineterminator="\n").writerows(rows)
PY
bs=$(fc-match -f '%{file}' 'BabelStone Han')
rare_proof() { # rules-file: render, extract, compare with BabelStone Han
    rm -rf "$TMP/rout" "$TMP/rfonts"
    "$ZHIBU" halfyear --half 2022-H2 -q -j 1 -f pdf,csv -i "$TMP/rare" -c "$1" -o "$TMP/rout" 2>/dev/null || return 2
    python3 tests/tools/pdf_fonts.py extract "$TMP/rout/2022-H2/文学院教工党支部-2022年下半年双报告.pdf" "$TMP/rfonts" \
        >/dev/null || return 2
    "$GC" compare "$bs" 0 "$TMP/rare.txt" "$TMP/rfonts"
}
cp templates/rules.ini "$TMP/fallback.ini"
rare_proof "$TMP/fallback.ini" >"$TMP/rare.log"
check "glyphs-fallback-draws-babelstone" grep -q '^7 characters, 0 missing from the source font, 0 damaged' "$TMP/rare.log"
cat "$TMP/rare.log"
# Negative control: with HanaMinA first in the chain its glyphs are drawn,
# and the comparison with BabelStone Han must see that.
sed 's/^fallback = .*/fallback = HanaMinA, BabelStone Han, HanaMinB/' templates/rules.ini >"$TMP/swapped.ini"
rare_proof "$TMP/swapped.ini" >"$TMP/swapped.log"
check "glyphs-fallback-check-sees-another-face" test $? -eq 1
cat "$TMP/swapped.log"
