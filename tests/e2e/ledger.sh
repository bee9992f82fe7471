# The 整改台账 input (doc/ledger.md): workbooks from the three kinds of
# writer read back exactly, --ledger and input/ledger.*, ledger problems in
# check, in a run and in the workbook's 输入问题 sheet, and a corpus of
# damaged and hostile workbooks that each stop with a clear message.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3
UNIT=${UNIT:-build/unit_tests}
case "$UNIT" in /*) ;; *) UNIT="$ZHIBU_ROOT/$UNIT" ;; esac
base="$TMP/base"
cp -r tests/corpus/_base "$base"

# ---- fresh workbooks from libxlsxwriter, openpyxl and LibreOffice ------------------
fx="$TMP/fx"
if UNIT="$UNIT" tests/ledger/make-fixtures "$fx" >"$TMP/mk.log" 2>&1; then
    ok "make-fixtures: zhibu, openpyxl and LibreOffice workbooks"
else
    nok "make-fixtures"; cat "$TMP/mk.log"
fi
# what each writer put in the file (so the read-back below covers it)
parts() { "$PY" - "$1" "$2" <<'EOF'
import sys, zipfile
print(zipfile.ZipFile(sys.argv[1]).read(sys.argv[2]).decode())
EOF
}
parts "$fx/zhibu.xlsx" xl/worksheets/sheet1.xml | grep -q 't="inlineStr"' && ! parts "$fx/zhibu.xlsx" '[Content_Types].xml' | grep -q sharedStrings \
    && ok "libxlsxwriter writes inline strings" || nok "libxlsxwriter writes inline strings"
parts "$fx/openpyxl.xlsx" xl/worksheets/sheet2.xml | grep -q '<is><t>&#' \
    && ok "openpyxl writes inline strings as character references" || nok "openpyxl writes inline strings as character references"
parts "$fx/libreoffice.xlsx" xl/sharedStrings.xml | grep -q '<si><r><rPr>' && parts "$fx/libreoffice.xlsx" xl/worksheets/sheet1.xml | grep -q 't="s"' \
    && ok "LibreOffice writes shared strings with rich-text runs" || nok "LibreOffice writes shared strings with rich-text runs"
ZHIBU_LEDGER_FIXTURES="$fx" "$UNIT" ledger_ >"$TMP/unit.log" 2>&1
for t in ledger_openpyxl_workbook ledger_libreoffice_workbook; do
    grep -q "^ok [0-9]* $t\$" "$TMP/unit.log" && ok "$t reads the fresh workbook back exactly" \
        || { nok "$t on the fresh workbook"; grep -v '^ok' "$TMP/unit.log" | head -20; }
done

# ---- the command line ----------------------------------------------------------------
"$ZHIBU" check -i "$base" --ledger "$fx/libreoffice.xlsx" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -qx 'libreoffice.xlsx: 整改台账（XLSX，2 张问题清单），读入 8 条：未整改 2、整改中 2、已整改 3、无需整改 1' "$TMP/err" \
    && ok "check --ledger: the ledger is read and summed up" || { nok "check --ledger ($rc)"; cat "$TMP/err"; }
"$ZHIBU" --help | grep -q -- '--ledger FILE' && ok "--help lists --ledger" || nok "--help lists --ledger"

cp "$fx/openpyxl.xlsx" "$base/ledger.xlsx"
"$ZHIBU" check -i "$base" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -q '^ledger.xlsx: 整改台账（XLSX，2 张问题清单），读入 8 条' "$TMP/err" \
    && ok "input/ledger.xlsx is read without --ledger" || { nok "input/ledger.xlsx ($rc)"; cat "$TMP/err"; }
printf 'problem_id,整改情况\n' > "$base/ledger.csv"
"$ZHIBU" check -i "$base" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^ledger.xlsx: 输入目录里同时有 ledger.xlsx 和 ledger.csv' "$TMP/err" \
    && ok "ledger.xlsx and ledger.csv both there: a file-level error" || { nok "both ledgers ($rc)"; cat "$TMP/err"; }
"$ZHIBU" check -i "$base" --ledger "$base/ledger.csv" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -q '^ledger.csv: 整改台账（UTF-8），读入 0 条' "$TMP/err" \
    && ok "--ledger chooses between them" || { nok "--ledger chooses ($rc)"; cat "$TMP/err"; }
rm -f "$base/ledger.xlsx"
"$ZHIBU" check -i "$base" --ledger "$TMP/nope.xlsx" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^nope.xlsx: 无法打开文件' "$TMP/err" && ok "--ledger with a missing file: status 1" \
    || { nok "--ledger missing file ($rc)"; cat "$TMP/err"; }

# a ledger row error stops the run like any input error; --keep-going lists it in 输入问题
printf 'problem_id,整改情况,完成日期,整改措施,责任人\nTD-HELD/第一支部/2022-09,完成,,,\nDU-LATE/P01/2022-09,已整改,2022-10-08,补交,张三\n' \
    > "$base/ledger.csv"
"$ZHIBU" monthly --month 2022-09 -i "$base" -o "$TMP/o1" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 1 ] && grep -q '^ledger.csv:2: 整改情况: “完成”不是整改情况' "$TMP/err" && [ ! -e "$TMP/o1/2022-09" ] \
    && ok "monthly: a ledger error stops the run, nothing written" || { nok "monthly with a ledger error ($rc)"; cat "$TMP/err"; }
"$ZHIBU" monthly --month 2022-09 -k -f xlsx -i "$base" -o "$TMP/o1" >/dev/null 2>"$TMP/err"; rc=$?
[ $rc = 0 ] && grep -q '跳过了 1 行' "$TMP/err" && "$PY" tests/xlsx_read.py "$TMP/o1/2022-09/zhibu-2022-09.xlsx" --csv 输入问题 \
    | grep -q 'ledger.csv,2,整改情况,“完成”不是整改情况' \
    && ok "--keep-going: the ledger row is skipped, counted, and listed in 输入问题" \
    || { nok "--keep-going with a ledger error ($rc)"; cat "$TMP/err"; }
rm -f "$base/ledger.csv"

# ---- damaged and hostile workbooks ------------------------------------------------------
light=""; [ -n "${ZHIBU_SANITIZED:-}" ] && light=--light
"$PY" tests/ledger/damaged.py "$fx/openpyxl.xlsx" "$TMP/dmg" $light 2>"$TMP/err" || { nok "damaged.py"; cat "$TMP/err"; }
while IFS='|' read -r f want; do
    [ -n "$f" ] || continue
    [ -e "$TMP/dmg/$f" ] || [ -z "$light" ] || continue
    start=$(date +%s%N)
    timeout 20 "$ZHIBU" check -i "$base" --ledger "$TMP/dmg/$f" >/dev/null 2>"$TMP/err"; rc=$?
    ms=$(( ($(date +%s%N) - start) / 1000000 ))
    if [ $rc = 1 ] && grep -qF -- "$f$want" "$TMP/err"; then ok "$f: status 1, “${want#: }” ($ms ms)"
    else nok "$f: status $rc, want “$want”"; head -5 "$TMP/err"; fi
done <<'EOF'
truncated.xlsx|: ZIP 压缩包损坏：找不到 ZIP 目录：文件不完整（被截断）
bomb.xlsx|: 工作表“问题清单”的部件 xl/worksheets/sheet1.xml 的压缩比超过 250:1，拒绝读取（可能是“压缩炸弹”）
sst-huge.xlsx|: 部件 xl/sharedStrings.xml：共享字符串超过 16777216 个，拒绝读取
sst-declared.xlsx|: 部件 xl/sharedStrings.xml：声明了 16777217 个共享字符串，超过上限 16777216 个，拒绝读取
laughs.xlsx|: 部件 xl/sharedStrings.xml：含有 DOCTYPE 声明（OOXML 从不使用，可能是恶意构造的文件），拒绝读取
docx.xlsx|: 这是 Word 文档（DOCX），不是 Excel 工作簿
gbk.xlsx|: 文件损坏：工作表“问题清单”的部件 xl/worksheets/sheet1.xml 第 1 行：使用了不支持的字符编码，应为 UTF-8
bad-utf8.xlsx|: 文件损坏：工作表“问题清单”的部件 xl/worksheets/sheet1.xml 第 2 行：含有非法字符，或有不是 UTF-8 的字节
xls.xlsx|: 这是旧版 Excel（XLS）文件或设了密码的工作簿
csv.xlsx|: 不是 XLSX 工作簿（不是 ZIP 压缩包）：若是 CSV 文件，请把扩展名改为 .csv
empty.xlsx|: 文件是空的
no-id.xlsx|: 不是 zhibu 生成的问题清单：缺少列“problem_id”
bad-status.xlsx|:问题清单 (2):3: 整改情况: “完成”不是整改情况：应为 未整改、整改中、已整改 或 无需整改（空白 = 未整改）
EOF
