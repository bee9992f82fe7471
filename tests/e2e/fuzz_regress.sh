# Replays the fuzz seeds (tests/fuzz/seeds/<target>/, where crashers found by
# `make fuzz` are kept) so a fixed crash stays fixed.  With clang and
# libclang-rt, the fuzz targets themselves (ASan + UBSan) run over them;
# without, each seed goes through `zhibu check` (CSV seeds as members.csv,
# INI seeds as rules.ini, parser seeds as a date and an amount, XLSX seeds
# as --ledger), which must end with its status, never a crash or a hang.
. "$ZHIBU_ROOT/tests/lib.sh"
cd "$ZHIBU_ROOT"
export ZHIBU_TEMPLATES="$ZHIBU_ROOT/templates"
have_fuzz=0
if command -v clang >/dev/null 2>&1 && ls /usr/lib/llvm-*/lib/clang/*/lib/linux/libclang_rt.fuzzer-x86_64.a >/dev/null 2>&1; then
    if make --no-print-directory -s BUILD=build-fuzz CC=clang \
        OPT="-O1 -g -fsanitize=fuzzer-no-link -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer" \
        build-fuzz/fuzz_csv build-fuzz/fuzz_ini build-fuzz/fuzz_parse build-fuzz/fuzz_xlsx >"$TMP/build.log" 2>&1; then
        have_fuzz=1
    else
        echo "# fuzz_regress: could not build the fuzz targets; replaying through zhibu"; tail -5 "$TMP/build.log"
    fi
fi
for t in csv ini parse xlsx; do
    n=$(ls tests/fuzz/seeds/$t | wc -l)
    if [ $have_fuzz = 1 ]; then
        timeout 300 build-fuzz/fuzz_$t -runs=0 tests/fuzz/seeds/$t >"$TMP/log" 2>&1
        rc=$?
        [ $rc = 0 ] && ok "fuzz_$t replays its $n seeds" || { nok "fuzz_$t over its seeds: status $rc"; tail -30 "$TMP/log"; }
        continue
    fi
    fails=""
    for s in tests/fuzz/seeds/$t/*; do
        w="$TMP/w"; rm -rf "$w"; mkdir -p "$w"; cp tests/corpus/_base/*.csv "$w/"
        want="0 1"
        ledger=""
        case $t in
            csv) cp "$s" "$w/members.csv" ;;
            ini) cp "$s" "$w/rules.ini"; want="0 2" ;;
            parse) v=$(tr -d '\n\r",' < "$s" | head -c 200)
                   printf 'member_id,month,amount,paid_on,channel\nP01,2022-09,%s,%s,\n' "$v" "$v" > "$w/dues.csv" ;;
            xlsx) ledger="--ledger=$s" ;;
        esac
        timeout 20 "$ZHIBU" check -i "$w" $ledger >/dev/null 2>&1
        rc=$?
        case " $want " in *" $rc "*) ;; *) fails="$fails $(basename "$s")($rc)" ;; esac
    done
    [ -z "$fails" ] && ok "zhibu check replays the $n $t seeds" || nok "zhibu check on $t seeds:$fails"
done
