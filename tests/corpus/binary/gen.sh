head -c 3000 /bin/true > "$1/meetings.csv"
