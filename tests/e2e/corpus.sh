# The bad-input corpus: tests/corpus/<case>/ holds only the files that differ
# from the small valid input in tests/corpus/_base/, plus
#   expect   line 1: the exit status; then one check per line:
#              TEXT            stderr contains TEXT (fixed string)
#              !TEXT           stderr does not contain TEXT
#              >PATH TEXT      output file PATH (under -o) contains TEXT
#              >PATH           output file PATH exists
#              !>PATH TEXT     output file PATH exists and does not contain TEXT
#              !>PATH          output file PATH does not exist
#   cmd      the command and its period (default: check)
#   args     more options (e.g. --keep-going, -c my.ini)
#   remove   input files to delete, one per line
#   gen.sh   run as `bash gen.sh INPUTDIR` to make big inputs at test time
# Every case must end with its status (never a crash or a hang: run under
# `timeout 20`), keep stderr short, and print every problem as
# `file:line: column: message` or `file: message`.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
ncase=0
for dir in tests/corpus/*/; do
    name=$(basename "$dir")
    [ "$name" = _base ] && continue
    ncase=$((ncase + 1))
    w="$TMP/$name"
    mkdir -p "$w/in" "$w/out"
    cp tests/corpus/_base/* "$w/in/"
    for f in "$dir"* "$dir".[!.]*; do
        [ -e "$f" ] || continue
        case $(basename "$f") in expect|cmd|args|remove|gen.sh) continue ;; esac
        rm -rf "$w/in/$(basename "$f")"
        cp -r "$f" "$w/in/"
    done
    if [ -f "$dir/remove" ]; then
        while read -r f; do [ -n "$f" ] && rm -rf "$w/in/$f"; done < "$dir/remove"
    fi
    [ -f "$dir/gen.sh" ] && bash "$dir/gen.sh" "$w/in"
    cmd="check"; [ -f "$dir/cmd" ] && cmd=$(cat "$dir/cmd")
    args=""; [ -f "$dir/args" ] && args=$(cat "$dir/args")
    # shellcheck disable=SC2086  # cmd and args are word lists
    (cd "$w/in" && timeout 20 "$ZHIBU" $cmd -i . -o ../out $args) >"$w/stdout" 2>"$w/stderr"
    rc=$?
    want=$(head -1 "$dir/expect")
    fail=""
    case $rc in 124) fail="hung (killed after 20 s)" ;; 134|139|13[0-9]|1[4-9][0-9]) fail="crashed (status $rc)" ;; esac
    [ -z "$fail" ] && [ "$rc" != "$want" ] && fail="status $rc, want $want"
    size=$(wc -c < "$w/stderr")
    [ -z "$fail" ] && [ "$size" -gt 65536 ] && fail="stderr is $size bytes"
    if [ -z "$fail" ]; then
        bad=$(grep -nvE '^(zhibu: |[^ :]+(:[0-9]+)?: )' "$w/stderr" | head -3)
        [ -n "$bad" ] && fail="a message is not 'file:line: column: message': $bad"
    fi
    if [ -z "$fail" ]; then
        while IFS= read -r line; do
            [ -z "$line" ] && continue
            case $line in
                '!>'*' '*) p=${line#!>}; p=${p%% *}; t=${line#!>* }
                    [ -e "$w/out/$p" ] || { fail="no output $p"; break; }
                    grep -qF -- "$t" "$w/out/$p" && { fail="output $p has: $t"; break; } ;;
                '!>'*) [ -e "$w/out/${line#!>}" ] && { fail="output ${line#!>} exists"; break; } ;;
                '>'*' '*) p=${line#>}; p=${p%% *}; t=${line#>* }
                    grep -qF -- "$t" "$w/out/$p" 2>/dev/null || { fail="output $p lacks: $t"; break; } ;;
                '>'*) [ -e "$w/out/${line#>}" ] || { fail="no output ${line#>}"; break; } ;;
                '!'*) grep -qF -- "${line#!}" "$w/stderr" && { fail="stderr has: ${line#!}"; break; } ;;
                *) grep -qF -- "$line" "$w/stderr" || { fail="stderr lacks: $line"; break; } ;;
            esac
        done < <(tail -n +2 "$dir/expect")
    fi
    if [ -z "$fail" ]; then ok "corpus $name"
    else nok "corpus $name: $fail"; sed 's/^/    | /' "$w/stderr" | head -20; fi
    rm -rf "$w"
done
[ "$ncase" -ge 50 ] && ok "corpus has $ncase cases" || nok "corpus has only $ncase cases (want 50)"
