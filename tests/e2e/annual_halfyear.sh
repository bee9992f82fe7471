# The year-end and half-year PDFs on the sample input: the annual packet of
# every branch (grades with reasons, ledgers, findings, signature), the
# unit's annual 双报告 (every branch, the 优秀-ratio check), and the
# half-year 个人下沉社区情况报告表 — one per in-service member — for H2 and H1.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
PY=python3; [ -x /usr/bin/python3 ] && PY=/usr/bin/python3

"$ZHIBU" annual --year 2022 -q -j 1 -f pdf,csv -i input -o "$TMP/a" 2>"$TMP/err" && ok "annual 2022 on input/ runs" \
    || { nok "annual 2022 on input/ runs"; cat "$TMP/err"; }
dir="$TMP/a/2022"
branches=$(tail -n +2 input/members.csv | cut -d, -f3 | sort -u)
nb=$(echo "$branches" | wc -l)
check "annual writes evaluation.csv" test -s "$dir/evaluation.csv"
n=$(ls "$dir" | grep -c '年度考核\.pdf$')
[ "$n" = "$nb" ] && ok "annual: one packet per branch ($n)" || nok "annual: one packet per branch ($n of $nb)"
unit="$dir/单位年度双报告-2022.pdf"
check "annual: the unit PDF" test -s "$unit"
for f in "$dir"/*.pdf; do
    check "annual $(basename "$f" .pdf): qpdf --check, silent pdftotext, CIDToGIDMaps within 4 KB" pdf_sound "$f"
done

# each branch packet: its name, 优秀 (in the grade rule or a grade), and every
# assessed member's name on one line with their grade (pdftotext -layout)
echo "$branches" | while read -r br; do
    f="$dir/$br-2022年度考核.pdf"
    pdftotext -layout -enc UTF-8 "$f" "$TMP/t.txt" 2>/dev/null
    check "$br: packet names the branch and 优秀" sh -c "grep -q '$br' '$TMP/t.txt' && grep -q '优秀' '$TMP/t.txt'"
    $PY - "$dir/evaluation.csv" "$br" "$TMP/t.txt" <<'PY' && ok "$br: every member's name with their grade" || nok "$br: every member's name with their grade"
import csv, sys
rows = [r for r in csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")) if r["branch"] == sys.argv[2]]
lines = open(sys.argv[3], encoding="utf-8").read().splitlines()
missing = [r["name"] for r in rows
           if not any(r["name"] in l and r["member_id"] in l and f" {r['grade']} " in f" {l} " for l in lines)]
if missing or not rows:
    print("missing:", missing or "no members")
    sys.exit(1)
PY
    check "$br: packet has landscape pages (the 12-month ledgers)" sh -c "pdfinfo -l 99 '$f' 2>/dev/null | grep -q 'size: *841.* x 595'"
    check "$br: packet ends with the secretary's signature" sh -c "pdftotext -enc UTF-8 -f \$(pdfinfo '$f' | awk '/^Pages:/{print \$2}') '$f' - 2>/dev/null | grep -q '支部书记（签字）'"
done

pdftotext -layout -enc UTF-8 "$unit" "$TMP/u.txt" 2>/dev/null
missing=0
for br in $branches; do grep -q "$br" "$TMP/u.txt" || { missing=1; echo "unit PDF lacks $br"; }; done
[ $missing = 0 ] && ok "unit PDF names every branch" || nok "unit PDF names every branch"
check "unit PDF has the 30% check, 符合 per branch" sh -c "grep -q '优秀比例核查' '$TMP/u.txt' && [ \$(grep -c '符合' '$TMP/u.txt') -ge $nb ]"
check "unit PDF has the seal line and the grades" sh -c "grep -q '单位党组织（盖章）' '$TMP/u.txt' && grep -q '不合格' '$TMP/u.txt'"
$PY - "$dir/evaluation.csv" "$TMP/u.txt" <<'PY' && ok "unit PDF: grade totals match evaluation.csv" || nok "unit PDF: grade totals match evaluation.csv"
import csv, re, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8-sig")))
text = open(sys.argv[2], encoding="utf-8").read()
want = {g: sum(r["grade"] == g for r in rows) for g in ("优秀", "合格", "不合格")}
line = f"优秀{want['优秀']}名、合格{want['合格']}名、不合格{want['不合格']}名"
sys.exit(0 if line in re.sub(r"\s+", " ", text) else 1)
PY

# half-year: one form per in-service member (在职, a member in a month of the half)
for half in H2 H1; do
    "$ZHIBU" halfyear --half 2022-$half -q -j 1 -f pdf,csv -i input -o "$TMP/h$half" 2>"$TMP/err" && ok "halfyear 2022-$half runs" \
        || { nok "halfyear 2022-$half runs"; cat "$TMP/err"; }
    hdir="$TMP/h$half/2022-$half"
    for f in "$hdir"/*.pdf; do
        check "halfyear $half $(basename "$f" .pdf): qpdf --check, silent pdftotext, CIDToGIDMaps within 4 KB" pdf_sound "$f"
    done
    n=$(ls "$hdir"/*.pdf 2>/dev/null | wc -l)
    [ "$n" = "$nb" ] && ok "halfyear $half: one PDF per branch ($n)" || nok "halfyear $half: one PDF per branch ($n of $nb)"
    $PY - input/members.csv "$hdir" "$half" <<'PY' && ok "halfyear $half: one 个人下沉社区情况报告表 per in-service member, one page each" \
        || nok "halfyear $half: one 个人下沉社区情况报告表 per in-service member, one page each"
import csv, glob, os, re, subprocess, sys
members, hdir, half = sys.argv[1], sys.argv[2], sys.argv[3]
months = range(1, 7) if half == "H1" else range(7, 13)
def day(s):
    m = re.match(r"(\d{4})\D(\d{1,2})\D(\d{1,2})", s or "")
    return int(m[1]) * 10000 + int(m[2]) * 100 + int(m[3]) if m else 0
want = {}
for r in csv.DictReader(open(members, encoding="utf-8-sig")):
    if (r.get("category") or "在职") != "在职":
        continue
    j, l = day(r.get("joined")), day(r.get("left"))
    if any((not j or j <= 20220015 + mo * 100) and (not l or l >= 20220015 + mo * 100) for mo in months):
        want.setdefault(r["branch"], []).append(r["name"])
bad = 0
for f in sorted(glob.glob(os.path.join(hdir, "*.pdf"))):
    if subprocess.run(["qpdf", "--check", f], capture_output=True).returncode:
        print("qpdf fails:", f); bad = 1
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", f, "-"], capture_output=True, text=True).stdout
    branch = next((b for b in sorted(set(want) | {os.path.basename(f).split("-")[0]}) if os.path.basename(f).startswith(b + "-")), None)
    names = want.get(branch, [])
    forms = text.count("个人下沉社区情况报告表")
    pages = text.count("\f")
    if forms != len(names) or pages < len(names) or not all(n in text for n in names):
        print(f"{os.path.basename(f)}: {forms} forms, {pages} pages, {len(names)} members"); bad = 1
    if names and ("党员本人（签字）" not in text or "支部审核意见" not in text):
        print(f"{os.path.basename(f)}: no signature or review lines"); bad = 1
    # every form fits on its page: after the summary, each page starts a form
    pg = text.split("\f")[:-1]
    first = next((i for i, p in enumerate(pg) if "个人下沉社区情况报告表" in p), len(pg))
    spill = [i + 1 for i, p in enumerate(pg) if i > first and "个人下沉社区情况报告表" not in p]
    if spill:
        print(f"{os.path.basename(f)}: forms run over onto pages {spill}"); bad = 1
sys.exit(bad)
PY
done
