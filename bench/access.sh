#!/usr/bin/env bash
# Benchmark of the need-to-know check and the audit entry per read (docs/access.md): PERSONS
# young people (default 2000), each enrolled at one school and living in Maastricht, read
# READS times (default 20000) by a school user through person_get (access_decide, the read,
# audit_append) against the same read without decision and audit (bench/access-read.c).
# Prints reads per second of each and their ratio. On SQLite by default; STORE=postgresql://…
# for PostgreSQL (a fresh schema is made and dropped).
#
#   bench/access.sh        PERSONS=500 READS=5000 bench/access.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
PERSONS=${PERSONS:-2000}
READS=${READS:-20000}
make -s "$BUILD/inbeeld" "$BUILD/bench/access-read"
INBEELD=$PWD/$BUILD/inbeeld
WORK=$(mktemp -d /tmp/inbeeld-bench-access.XXXXXX)
schema=
cleanup() {
	[ -n "$schema" ] && psql -q "$STORE" -c "DROP SCHEMA $schema CASCADE" >/dev/null 2>&1
	rm -rf "$WORK"
}
trap cleanup EXIT
export INBEELD_KEYFILE=$WORK/bench.key
if [ -n "${STORE:-}" ]; then
	schema="bench_access_$$"
	psql -q "$STORE" -c "CREATE SCHEMA $schema" >/dev/null
	export INBEELD_DB="$STORE?options=-csearch_path%3D$schema"
else
	export INBEELD_DB=$WORK/bench.db
fi

"$INBEELD" init >/dev/null
"$INBEELD" org add --kind municipality --ident GM0935 --name Maastricht >/dev/null
"$INBEELD" org add --kind school --ident 14EK00 --name School --school-type VO \
	--levels havo >/dev/null
# Valid BSNs (elfproef) from 100000000 upward, with residence and an enrolment each.
python3 - "$PERSONS" "$WORK" <<'PY'
import sys
n, work = int(sys.argv[1]), sys.argv[2]
bsns, b = [], 100000000
while len(bsns) < n:
    s = str(b).zfill(9)
    v = sum(int(s[i]) * (9 - i) for i in range(8)) - int(s[8])
    if v % 11 == 0 and v != 0:
        bsns.append(s)
    b += 1
with open(f"{work}/residence.csv", "w") as f:
    f.write("bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;"
            "city;municipality_code;moved_in;moved_out;died\n")
    for i, s in enumerate(bsns):
        f.write(f"{s};Jongere;;Bench{i};2011-01-01;Straat;{i + 1};6211AB;Maastricht;GM0935;"
                "2011-01-01;;\n")
with open(f"{work}/enrolments.csv", "w") as f:
    f.write("bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason\n")
    for s in bsns:
        f.write(f"{s};14EK;00;VO;havo;;2023-08-01;;\n")
PY
"$INBEELD" import residence "$WORK/residence.csv" --source municipality:GM0935 \
	--as-of 2026-10-01 >/dev/null
"$INBEELD" import enrolments "$WORK/enrolments.csv" --source school:14EK00 \
	--as-of 2026-10-01 >/dev/null
printf 'bench password long enough\n' |
	"$INBEELD" user add mentor --org school:14EK00 --role school >/dev/null
backend=SQLite
[ -n "${STORE:-}" ] && backend=PostgreSQL
echo "access check + audit per read: $PERSONS persons, $READS reads, $backend"
"$PWD/$BUILD/bench/access-read" "$INBEELD_DB" "$INBEELD_KEYFILE" mentor "$READS"
