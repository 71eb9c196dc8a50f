#!/usr/bin/env bash
# inbeeld org add / show / list: identifiers checked by the rule of their kind, the
# municipality checked against the loaded regions, look-up by id, kind:ident or identifier;
# bad input exits 1 naming the field and writes nothing.
. "$(dirname "$0")/lib.sh"

new_store
ok "init" "$INBEELD" init
ok "load the demo region" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv"

ok "add a school" "$INBEELD" org add --kind school --ident 12ab-00 --name "Voorbeeldcollege" \
	--school-type vo --levels vwo,havo --municipality 0935
like "says what was added, normalised" \
	'added organisation 1: school:12AB00 "Voorbeeldcollege" \(VO; havo,vwo; GM0935\)' "$OUT"
ok "add a care provider as JSON" "$INBEELD" org add --kind care --ident 12345678 \
	--name "Jeugdhulp Zuid" --municipality GM0917 --json
is "its kind" '"care"' "$(printf '%s' "$OUT" | jq .kind)"
is "no levels" '[]' "$(printf '%s' "$OUT" | jq -c .levels)"
ok "add an employer with the same number" "$INBEELD" org add --kind employer --ident 12345678 \
	--name "Bouwbedrijf Zuid"
ok "add the WSP" "$INBEELD" org add --kind wsp --ident wsp-zl --name "WSP Zuid-Limburg"
like "its code upper-cased" "wsp:WSP-ZL" "$OUT"

ok "show by identifier" "$INBEELD" org show 12AB00
like "with its fields" "organisation 1: Voorbeeldcollege" "$OUT"
like "school type" "school type: +VO" "$OUT"
like "levels" "levels: +havo,vwo" "$OUT"
ok "show by kind:ident, as JSON" "$INBEELD" org show school:12ab-00 --json
is "the levels as a list" '["havo","vwo"]' "$(printf '%s' "$OUT" | jq -c .levels)"
ok "show by id" "$INBEELD" org show 2
like "the care provider" "Jeugdhulp Zuid" "$OUT"
fails 1 "a bare number of two organisations is ambiguous" "$INBEELD" org show 12345678
like "naming both" "care:12345678 \(id 2\), employer:12345678 \(id 3\)" "$ERR"
fails 1 "an unknown one" "$INBEELD" org show school:99ZZ00
like "is not found" "no organisation 'school:99ZZ00'" "$ERR"

ok "list" "$INBEELD" org list
like "schools first" "^id +kind +ident +name +details
1 +school +12AB00 +Voorbeeldcollege +VO; havo,vwo; GM0935" "$OUT"
like "a count" "4 organisations" "$OUT"
ok "list schools as JSON" "$INBEELD" org list --kind School --json
is "one school" 1 "$(printf '%s' "$OUT" | jq .count)"
is "kind normalised" '"school"' "$(printf '%s' "$OUT" | jq .kind)"

count_orgs() { "$INBEELD" org list --json | jq .count; }
fails 1 "a malformed BRIN" "$INBEELD" org add --kind school --ident 12AB0 --name X --school-type VO
like "names field, value and rule" "field ident: '12AB0' is not a BRIN with vestiging \(rule:" "$ERR"
fails 1 "a school without a type" "$INBEELD" org add --kind school --ident 34CD00 --name X
like "names school_type" "field school_type: empty" "$ERR"
fails 1 "a level the type does not offer" "$INBEELD" org add --kind school --ident 34CD00 \
	--name X --school-type PrO --levels havo
like "names the levels" "field levels: 'havo' is not a level of PrO \(rule: one of pro\)" "$ERR"
fails 1 "a municipality outside the reference data" "$INBEELD" org add --kind care \
	--ident 87654321 --name X --municipality GM0363
like "names municipality_code" "field municipality_code: 'GM0363' is not a municipality" "$ERR"
fails 1 "a malformed AGB code" "$INBEELD" org add --kind care --ident 1234567 --name X
like "names the rule" "field ident: '1234567' is not an AGB code \(rule: exactly 8 digits\)" "$ERR"
fails 1 "a malformed KvK number" "$INBEELD" org add --kind employer --ident 1234567a --name X
like "names the rule" "is not a KvK number" "$ERR"
fails 1 "a malformed gemeentecode" "$INBEELD" org add --kind municipality --ident GM935 --name X
like "names the rule" "GM and 4 digits" "$ERR"
fails 1 "an unknown kind" "$INBEELD" org add --kind bank --ident X1 --name X
like "lists the kinds" "field kind: 'bank' is not a kind of organisation \(rule: one of school," "$ERR"
fails 1 "the same school twice" "$INBEELD" org add --kind school --ident 12AB00 --name Y \
	--school-type VO
like "exists already" "school:12AB00 exists already" "$ERR"
is "nothing was written" 4 "$(count_orgs)"

fails 2 "org add without --name" "$INBEELD" org add --kind school --ident 12AB00
like "names what is missing" "needs --kind, --ident and --name" "$ERR"
fails 2 "a wrong option" "$INBEELD" org add --kind school --colour blue
fails 2 "show without a reference" "$INBEELD" org show
fails 2 "an unknown verb" "$INBEELD" org frobnicate
ok "org --help" "$INBEELD" org --help
like "lists the verbs" "add .*load .*list .*show" "$(printf '%s' "$OUT" | tr '\n' ' ')"
ok "org add --help" "$INBEELD" org add --help
like "shows the usage" "usage: inbeeld org add --kind KIND" "$OUT"
done_testing
