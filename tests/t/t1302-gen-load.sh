#!/usr/bin/env bash
# inbeeld gen output loads into a store: organisations with `org load`, young people with
# `person load`, and the whole set, in the manifest's order, with `import all`.
. "$(dirname "$0")/lib.sh"

new_store
ok "init" "$INBEELD" init
ok "generate" "$INBEELD" gen --youths 1500 --seed 77 --out "$T/region"
orgs=$(($(wc -l <"$T/region/organisations.csv") - 1))
ok "org load organisations.csv" "$INBEELD" org load "$T/region/organisations.csv"
like "all of them" "loaded $orgs organisations" "$OUT"
ok "list them" "$INBEELD" org list --json
is "as many in the registry" "$orgs" "$(printf '%s' "$OUT" | jq .count)"
is "one DUO" 1 "$(printf '%s' "$OUT" | jq '[.organisations[] | select(.kind == "duo")] | length')"
is "16 municipalities" 16 "$(printf '%s' "$OUT" | jq '[.organisations[] | select(.kind == "municipality")] | length')"

ok "person load residence.csv" "$INBEELD" person load "$T/region/residence.csv"
ok "list persons" "$INBEELD" person list --limit 1 --json
is "one person per young person" 1500 "$(printf '%s' "$OUT" | jq .total)"

# The whole set through the importer, in the manifest's order; it stops at a rejected row.
new_store
ok "init a second store" "$INBEELD" init
ok "import all" "$INBEELD" import all "$T/region"
unlike "no row rejected" "rejected [1-9]" "$OUT"

# With defects, the importer rejects the rows malformed.csv lists and no other. (It does not
# yet check a municipality code against the CBS list, so the made-up GM9999 gets in.)
ok "generate with 3% defects" "$INBEELD" gen --youths 1500 --seed 78 --malformed 0.03 --out "$T/bad"
new_store
ok "init a third store" "$INBEELD" init
ok "import all, keeping the valid rows" "$INBEELD" import all "$T/bad" --accept-valid
lines_of() { # file with a header that has a column "line" → its line numbers, sorted
	[ -f "$1" ] || return 0
	awk -F';' 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == "line") c = i; next } { print $c }' "$1" |
		sort -u
}
wrong=""
for f in $(tail -n +3 "$T/bad/manifest.csv" | cut -d';' -f3); do
	awk -F';' -v f="$f" '$1 == f && $3 == "municipality_code" && $4 == "unknown_code" {
		print $2 }' "$T/bad/malformed.csv" | sort -u >"$T/unchecked"
	lines_of "$T/bad/$f.rejected.csv" | comm -23 - "$T/unchecked" >"$T/rejected"
	awk -F';' -v f="$f" '$1 == f { print $2 }' "$T/bad/malformed.csv" | sort -u |
		comm -23 - "$T/unchecked" >"$T/spoiled"
	clean_rejected=$(comm -23 "$T/rejected" "$T/spoiled" | wc -l)
	spoiled_kept=$(comm -13 "$T/rejected" "$T/spoiled" | wc -l)
	[ "$clean_rejected$spoiled_kept" = 00 ] || wrong="$wrong $f:+$clean_rejected/-$spoiled_kept"
done
is "rejected rows are exactly the defective ones" "" "$wrong"

done_testing
