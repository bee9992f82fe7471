python3 - "$1/members.csv" <<'PY'
import sys, zipfile
with zipfile.ZipFile(sys.argv[1], "w") as z:
    z.writestr("[Content_Types].xml", "<?xml version='1.0'?><Types/>")
    z.writestr("xl/workbook.xml", "<workbook/>")
PY
