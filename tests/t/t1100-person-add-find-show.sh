#!/usr/bin/env bash
# inbeeld person add / find / show / list: a young person is registered under a pseudonym,
# found by surname and birth date whatever the case, accents or tussenvoegsel, shown with the
# BSN masked unless asked, and every read of identifying data is in the audit log.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null

ok "add a person with a BSN" "$INBEELD" person add --bsn 111222333 --given-name Zwaantje \
	--surname "van den Testbeeld" --birth-date 2009-03-04 --postcode 6211AB \
	--street Markt --house-number 1a --city Maastricht --municipality GM0935 \
	--phone 0612345678 --email zwaantje@example.nl
key=$OUT
like "add prints the 64-hex key" '^[0-9a-f]{64}$' "$key"
unlike "the key is not the BSN" '111222333' "$key"

ok "add a provisional person as JSON" "$INBEELD" person add --given-name Zwaantje \
	--surname Testbeeld --birth-date 04-04-2009 --postcode "6211 ab" --json
like "JSON says provisional" '"provisional": true' "$OUT"
like "JSON has the ISO birth date" '"birth_date": "2009-04-04"' "$OUT"
prov=$(printf '%s' "$OUT" | sed -n 's/.*"key": "\([0-9a-f]*\)".*/\1/p')
like "JSON has the key" '^[0-9a-f]{64}$' "$prov"

fails 1 "the same BSN twice is refused" "$INBEELD" person add --bsn 111222333 \
	--surname Ander --birth-date 2010-01-01
like "the refusal masks the BSN" '\*\*\*\*\*\*333' "$ERR"
unlike "and does not show it" '111222333' "$ERR"

ok "find by surname and birth date" "$INBEELD" person find --surname Testbeeld \
	--birth-date 2009-03-04
like "find shows the key" "^$key" "$OUT"
like "find masks the BSN" '\*\*\*\*\*\*333' "$OUT"
unlike "find does not show the BSN" '111222333' "$OUT"
like "find shows the name" 'Zwaantje van den Testbeeld' "$OUT"

ok "find ignores case, accents and tussenvoegsel" "$INBEELD" person find \
	--surname "VAN DER TÉSTBEELD" --birth-date 04-03-2009 --json
like "and finds the same person" "\"key\": \"$key\"" "$OUT"

ok "a wrong birth date finds nothing" "$INBEELD" person find --surname Testbeeld \
	--birth-date 2009-03-05 --json
is "an empty JSON array" "[]" "$OUT"

ok "show the person" "$INBEELD" person show "$key"
like "show masks the BSN" 'BSN: +\*\*\*\*\*\*333' "$OUT"
like "show has the tussenvoegsel apart" 'tussenvoegsel: +van den' "$OUT"
like "show has the surname" 'surname: +Testbeeld' "$OUT"
like "show has the e-mail" 'zwaantje@example.nl' "$OUT"
like "show has the municipality" 'GM0935' "$OUT"

ok "show --show-bsn --json" "$INBEELD" person show "$key" --show-bsn --json
like "the full BSN when asked" '"bsn": "111222333"' "$OUT"
like "postcode normalised" '"postcode": "6211AB"' "$OUT"

fails 1 "show of an unknown key" "$INBEELD" person show 00ff
like "names the key" "no person with key '00ff'" "$ERR"

ok "list" "$INBEELD" person list
like "list counts the persons" '2 of 2 persons' "$OUT"
unlike "list has no names" 'Testbeeld|Zwaantje' "$OUT"
ok "list with a page" "$INBEELD" person list --limit 1 --offset 1 --json
like "the page has the total" '"total": 2' "$OUT"
like "the page holds the second" "\"key\": \"$prov\"" "$OUT"
unlike "the page holds no pii" '"pii"' "$OUT"

ok "the audit log is intact" "$INBEELD" audit verify --json
like "it holds every add, find, show and list" '"checked": 9' "$OUT"

for verb in add find show list load duplicates merge unmerge; do
	ok "person $verb --help" "$INBEELD" person "$verb" --help
	like "person $verb --help shows usage" "usage: inbeeld person $verb" "$OUT"
done
fails 2 "an unknown verb" "$INBEELD" person frobnicate
fails 2 "find without a birth date" "$INBEELD" person find --surname Testbeeld
fails 2 "show without a key" "$INBEELD" person show
done_testing
