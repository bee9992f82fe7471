# lib.sh — helpers for the end-to-end scripts (sourced, not run).
# Each check prints "ok NAME" or "not ok NAME"; tests/run-tests counts them.
set -u
ZHIBU=${ZHIBU:-./zhibu}
case "$ZHIBU" in /*) ;; *) ZHIBU="$ZHIBU_ROOT/$ZHIBU" ;; esac
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
ok()   { echo "ok $*"; }
nok()  { echo "not ok $*"; }
check() { # name, command...: ok when the command succeeds
    local name=$1; shift
    if "$@"; then ok "$name"; else nok "$name"; fi
}
