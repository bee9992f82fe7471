awk 'BEGIN{FS=OFS=","} {s=$0; for(i=12;i<=1000;i++) s=s "," (NR==1 ? "extra" i : i); print s}' "$1/members.csv" > "$1/m" && mv "$1/m" "$1/members.csv"
