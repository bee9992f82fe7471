awk 'BEGIN{FS=OFS=","} {s=$0; n=(NR==3?999:1000); for(i=12;i<=n;i++) s=s "," (NR==1 ? "extra" i : i); print s}' "$1/members.csv" > "$1/m" && mv "$1/m" "$1/members.csv"
