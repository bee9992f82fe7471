# lib.sh — helpers for the end-to-end scripts (sourced, not run).
# Each check prints "ok NAME" or "not ok NAME"; tests/run-tests counts them.
set -u
ZHIBU=${ZHIBU:-./zhibu}
case "$ZHIBU" in /*) ;; *) ZHIBU="$ZHIBU_ROOT/$ZHIBU" ;; esac
TMP=$(mktemp -d)
trap 'pdf_sweep; rm -rf "$TMP"' EXIT
ok()   { echo "ok $*"; }
nok()  { echo "not ok $*"; }
check() { # name, command...: ok when the command succeeds
    local name=$1; shift
    if "$@"; then ok "$name"; else nok "$name"; fi
}
# pdf_sound FILE: poppler reads the text layer without a word on stderr,
# qpdf --check finds nothing, and every embedded font has a bfchar
# ToUnicode map and a CIDToGIDMap of at most 4 KB (tests/tools/pdf_fonts.py).
pdf_sound() {
    local e
    e=$(pdftotext "$1" /dev/null 2>&1) || { echo "pdftotext fails on $1"; return 1; }
    [ -z "$e" ] || { echo "pdftotext on $1: $e" | head -3; return 1; }
    qpdf --check "$1" >/dev/null 2>&1 || { echo "qpdf --check: $1"; return 1; }
    python3 "$ZHIBU_ROOT/tests/tools/pdf_fonts.py" check "$1" | grep -v '^clean ' && return 1
    return 0
}

# On exit: the PDFs the script made (a spread of at most 12 of them, in name
# order) pass pdf_sound — so every test's PDFs, not only those it looks at.
pdf_sweep() {
    local list n step k=0 checked=0 bad=0 f
    list=$(find "$TMP" -name '*.pdf' -size +0 2>/dev/null | LC_ALL=C sort)
    n=$(printf '%s' "$list" | grep -c .)
    [ "$n" -gt 0 ] || return 0
    step=$(( (n + 11) / 12 ))
    while IFS= read -r f; do
        k=$((k + 1))
        [ $(( (k - 1) % step )) = 0 ] || continue
        checked=$((checked + 1))
        pdf_sound "$f" || bad=1
    done <<<"$list"
    if [ "$bad" = 0 ]; then ok "the script's PDFs: silent pdftotext, qpdf-clean, CIDToGIDMaps within 4 KB ($checked of $n)"
    else nok "the script's PDFs: silent pdftotext, qpdf-clean, CIDToGIDMaps within 4 KB ($checked of $n)"; fi
}
