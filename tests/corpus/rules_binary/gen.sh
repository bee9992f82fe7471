head -c 2000 /bin/true > "$1/rules.ini"
