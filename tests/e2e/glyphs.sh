#!/usr/bin/env bash
# The composite-glyph proof: all 3,755 GB2312 level-1 hanzi go through the
# PDF path (harfbuzz subset, libharu embedding) in each face the reports use,
# and every embedded outline must equal the source font's (FreeType, unscaled).
# The check must be able to fail: with the renderer's repair of nested
# composites switched off (ZHIBU_PDF_NO_FLATTEN=1), the damage libharu does
# to ü ǖ ǘ ǚ ǜ in AR PL UMing / UKai must be caught.
# See tests/glyphs/glyphcheck.c.
. "$(dirname "$0")/../lib.sh"
cd "${ZHIBU_ROOT:-$(dirname "$0")/../..}" || exit 1

GC=$TMP/glyphcheck
if ! cc -std=c11 -D_GNU_SOURCE -O1 -Igen $(pkg-config --cflags harfbuzz-subset icu-uc fontconfig freetype2) \
    tests/glyphs/glyphcheck.c gen/render/pdf/*.c gen/model/report.c gen/base/arena.c gen/base/dates.c \
    $(pkg-config --libs harfbuzz-subset harfbuzz icu-uc icu-i18n fontconfig freetype2 libqrencode) -lhpdf -lm \
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

# extract PDF: writes TAG FONTFILE CIDTOGIDMAP lines for each embedded CID font
embedded_fonts() {
    qpdf --json=2 --json-key=qpdf "$1" | python3 -c '
import json, sys
objs = json.load(sys.stdin)["qpdf"][1]
def val(k):
    v = objs.get("obj:" + k, {})
    return v.get("value") or v.get("stream", {}).get("dict") or {}
for v in objs.values():
    d = v.get("value")
    if isinstance(d, dict) and d.get("/Subtype") == "/CIDFontType2":
        desc = val(d["/FontDescriptor"])
        tag = d["/BaseFont"][1:7]
        print(tag, desc["/FontFile2"].split()[0], d["/CIDToGIDMap"].split()[0])'
}

# Characters libharu itself damages in AR PL UMing / UKai (nested composites),
# which the renderer repairs by flattening composites before embedding.
printf 'ǖǘǚǜüÜ' >"$TMP/pinyin.txt"
cat "$TMP/chars.txt" "$TMP/pinyin.txt" >"$TMP/all.txt"

# prove PDF [fonts...]: render all.txt in the three faces, then compare each
# face's embedded font with its source for each set; prints
# "SET FACE intact|DAMAGED: ..." lines.  Status 2 when the pipeline failed.
prove() {
    local pdf=$1; shift
    "$GC" render "$pdf" "$TMP/all.txt" "$@" >"$TMP/faces" || return 2
    embedded_fonts "$pdf" >"$TMP/fonts" || return 2
    local tags=(HPDFAA HPDFAB HPDFAC) i=0 face file idx obj map set
    while read -r face file idx; do
        read -r _ obj map < <(grep "^${tags[$i]} " "$TMP/fonts") || return 2
        qpdf --show-object="$obj" --filtered-stream-data "$pdf" >"$TMP/$face.ttf" || return 2
        qpdf --show-object="$map" --filtered-stream-data "$pdf" >"$TMP/$face.map" || return 2
        for set in chars pinyin; do
            "$GC" compare "$file" "$idx" "$TMP/$face.ttf" "$TMP/$face.map" "$TMP/$set.txt" >"$TMP/out"
            case $? in
            0) echo "$set $face intact: $(tail -1 "$TMP/out")" ;;
            1) echo "$set $face DAMAGED: $(tail -1 "$TMP/out")"; head -3 "$TMP/out" ;;
            *) return 2 ;;
            esac
        done
        i=$((i + 1))
    done <"$TMP/faces"
}

prove "$TMP/good.pdf" >"$TMP/good.log" 2>&1
check "glyphs-pipeline-ran" test $? -eq 0
cat "$TMP/good.log"
for face in song hei kai; do
    check "glyphs-$face-gb2312-level1-intact" grep -q "^chars $face intact" "$TMP/good.log"
    check "glyphs-$face-pinyin-intact" grep -q "^pinyin $face intact" "$TMP/good.log"
done

# Negative control: with the composite flattening switched off, libharu drops
# the nested components of ü ǖ ǘ ǚ ǜ in Song and Kai — the check must see it.
ZHIBU_PDF_NO_FLATTEN=1 prove "$TMP/bad.pdf" >"$TMP/bad.log" 2>&1
check "glyphs-negative-control-ran" test $? -eq 0
cat "$TMP/bad.log"
check "glyphs-check-catches-damage-song" grep -q "^pinyin song DAMAGED" "$TMP/bad.log"
check "glyphs-check-catches-damage-kai" grep -q "^pinyin kai DAMAGED" "$TMP/bad.log"
