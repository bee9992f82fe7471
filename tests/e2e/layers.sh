#!/usr/bin/env bash
# The pipeline's folders: tests/tools/check-layers passes on gen/, and fails
# on a copy where an include points up (base → app) or sideways
# (render/pdf → render/xlsx), or names a header without its folder.
. "$(dirname "$0")/../lib.sh"
cd "${ZHIBU_ROOT:-$(dirname "$0")/../..}" || exit 1

check "layers-clean" tests/tools/check-layers gen

plant() { # name, file to edit (relative to gen/), include line
    rm -rf "$TMP/gen" && cp -r gen "$TMP/gen"
    printf '%s\n' "$3" >>"$TMP/gen/$2"
    if tests/tools/check-layers "$TMP/gen" >"$TMP/out" 2>&1; then
        nok "$1: not caught"
    elif grep -q "$2" "$TMP/out"; then
        ok "$1"
    else
        cat "$TMP/out"; nok "$1: message does not name the file"
    fi
}
plant "layers-up" base/dates.c '#include "app/run.h"'
plant "layers-sideways" render/pdf/render_pdf.c '#include "render/xlsx/render_xlsx.h"'
plant "layers-build-to-render" build/build.c '#include "render/pdf/render_pdf.h"'
plant "layers-bare-name" check/rules.c '#include "arena.h"'
