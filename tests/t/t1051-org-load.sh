#!/usr/bin/env bash
# inbeeld org load: a file of organisations loads all rows or none, again without change;
# an error names the file, line, column, field and rule.
. "$(dirname "$0")/lib.sh"

FIXTURE="$INBEELD_SRC/tests/fixtures/organisations.csv"
new_store
ok "init" "$INBEELD" init
ok "load the demo region" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv"

ok "load organisations" "$INBEELD" org load "$FIXTURE"
like "says how many" "loaded 10 organisations from .*organisations.csv" "$OUT"
ok "load them again, as JSON" "$INBEELD" org load "$FIXTURE" --json
is "10 rows" 10 "$(printf '%s' "$OUT" | jq .rows)"
ok "list" "$INBEELD" org list --json
is "still 10 organisations" 10 "$(printf '%s' "$OUT" | jq .count)"
is "4 schools" 4 "$(printf '%s' "$OUT" | jq '[.organisations[] | select(.kind == "school")] | length')"
is "the VSO school's profiles" '["arbeidsmarkt","dagbesteding"]' \
	"$(printf '%s' "$OUT" | jq -c '.organisations[] | select(.ident == "56EF00") | .levels')"

cat >"$T/changes.csv" <<'CSV'
kind,ident,name,school_type,levels,municipality_code
school,12AB00,Ander college,VO,havo,GM0935
care,11112222,Nieuwe zorg,,,GM0917
employer,8765432,Te kort,,,GM0928
CSV
fails 1 "a file with one bad row" "$INBEELD" org load "$T/changes.csv"
like "names file, line and column" "changes.csv: line 4, column 2" "$ERR"
like "names the field, value and rule" "field ident: '8765432' is not a KvK number \(rule: exactly 8 digits\)" "$ERR"
ok "show the school" "$INBEELD" org show school:12AB00
like "is not renamed" "Voorbeeldcollege Maastricht" "$OUT"
ok "list" "$INBEELD" org list --json
is "nothing added" 10 "$(printf '%s' "$OUT" | jq .count)"

sed -i '$d' "$T/changes.csv"
ok "without the bad row it loads" "$INBEELD" org load "$T/changes.csv"
ok "show the school" "$INBEELD" org show 12AB00 --json
is "renamed" '"Ander college"' "$(printf '%s' "$OUT" | jq .name)"
is "its levels replaced" '["havo"]' "$(printf '%s' "$OUT" | jq -c .levels)"

printf 'soort;naam\nschool;X\n' >"$T/columns.csv"
fails 1 "a file without the ident column" "$INBEELD" org load "$T/columns.csv"
like "lists the headers it found" "needs the columns kind, ident and name .*it has: 'soort', 'naam'" "$ERR"
fails 1 "a missing file" "$INBEELD" org load "$T/missing.csv"
ok "org load --help" "$INBEELD" org load --help
like "shows the usage" "usage: inbeeld org load FILE" "$OUT"
fails 2 "a wrong option" "$INBEELD" org load "$FIXTURE" --force
fails 2 "two files" "$INBEELD" org load "$FIXTURE" "$FIXTURE"
done_testing
