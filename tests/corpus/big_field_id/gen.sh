{ cat "$1/dues.csv"; printf '"'; head -c 10485760 /dev/zero | tr '\0' '9'; printf '",2022-09,50,,\n'; } > "$1/d" && mv "$1/d" "$1/dues.csv"
