#!/usr/bin/env bash
# No identifying data in the clear: after adding and loading young people with distinctive
# names, BSNs, addresses and contact details, none of them appears in the raw store (the
# SQLite file and its write-ahead log, or a dump of the PostgreSQL schema), neither as text
# nor hex-encoded. Birth date and postcode-4 are in the clear by design.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null

ok "add a person" "$INBEELD" person add --bsn 111222333 --given-name Quirijntje \
	--surname "van Zwaardvechter" --birth-date 2010-06-07 --postcode 6229QX \
	--street Kwartelhofje --house-number 17 --city Oud-Vroenhoven \
	--phone 0687654321 --email quirijntje@voorbeeld.nl
ok "add a provisional person" "$INBEELD" person add --given-name Wubbolina \
	--surname Kraaijeveldt --birth-date 2011-07-08 --postcode 6218WZ
printf 'bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code\n123456782;Hendrikje;ter;Brugghenkamp;2012-08-09;Pimpernelstraat;3;6214PQ;Sint-Pietersvoer;GM0935\n' >"$T/res.csv"
ok "load a residence file" "$INBEELD" person load "$T/res.csv"
ok "read them back (audited)" "$INBEELD" person find --surname Zwaardvechter \
	--birth-date 2010-06-07
like "the data is there" 'Quirijntje' "$OUT"
ok "duplicates run over them" "$INBEELD" person duplicates --min-score 0

secrets=(111222333 123456782 Quirijntje Zwaardvechter zwaardvechter Kwartelhofje
	Oud-Vroenhoven 0687654321 quirijntje@voorbeeld Wubbolina Kraaijeveldt kraaijeveldt
	Hendrikje Brugghenkamp Pimpernelstraat Sint-Pietersvoer 6229QX 6218WZ 6214PQ)

if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
	dump="$T/dump.txt"
	: >"$dump"
	for table in persons person_merges person_merge_moves audit_log meta; do
		psql -q "$INBEELD_TEST_PG" -c "COPY $INBEELD_SCHEMA.$table TO STDOUT" >>"$dump"
	done
	files=("$dump")
else
	files=("$INBEELD_DB")
	[ -f "$INBEELD_DB-wal" ] && files+=("$INBEELD_DB-wal")
fi
like "the raw store holds the persons" '.' "$(cat "${files[@]}" | head -c 100)"
for s in "${secrets[@]}"; do
	hex=$(printf '%s' "$s" | od -An -tx1 | tr -d ' \n')
	found=$(cat "${files[@]}" | grep -a -c -i -e "$s" -e "$hex")
	is "'$s' is not in the raw store" 0 "$found"
done
found=$(cat "${files[@]}" | grep -a -c -e '2010-06-07')
like "while the birth date is, by design" '^[1-9]' "$found"
done_testing
