#!/usr/bin/env bash
# Bad input to person add exits 1 with a message that names the field and the rule, shows no
# BSN in full and no name, and writes nothing: no person, no audit entry.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null
base=(--given-name Zwaantje --surname Testbeeld --birth-date 2009-03-04 --postcode 6211AB)

# field | extra options | what the message must say
while IFS='|' read -r what field rule args; do
	eval "extra=($args)"
	fails 1 "$what is refused" "$INBEELD" person add "${base[@]}" "${extra[@]}"
	like "$what: the message names the field" "field $field" "$ERR"
	like "$what: the message names the rule" "$rule" "$ERR"
	unlike "$what: no full BSN in the message" '111222334|000000000|111222333' "$ERR"
	unlike "$what: no name in the message" 'Zwaantje|Testbeeld' "$ERR"
done <<'CASES'
a BSN failing the elfproef|bsn|elfproef|--bsn 111222334
a BSN of zeros|bsn|not all zeros|--bsn 000000000
a BSN with letters|bsn|9 digits|--bsn 11122233x
a postcode with SA|postcode|SA, SD and SS|--postcode 6211SA
a postcode starting with 0|postcode|not starting with 0|--postcode 0211AB
a birth date in the future|birth_date|in the future|--birth-date 2027-01-01
a person over 30|birth_date|at most 30|--birth-date 1990-01-01
a date that does not exist|birth_date|not a date|--birth-date 2009-02-30
a bad gemeentecode|municipality_code|gemeentecode|--municipality GM12
a bad e-mail address|email|name@domain|--email zwaantje.example.nl
a bad phone number|phone|8 to 15|--phone 12345
an empty surname|surname|required|--surname ""
CASES

fails 1 "no postcode without a BSN" "$INBEELD" person add --surname Testbeeld \
	--birth-date 2009-03-04
like "says what a provisional person needs" 'without a BSN needs' "$ERR"
fails 1 "no surname at all" "$INBEELD" person add --bsn 111222333 --birth-date 2009-03-04
like "names the surname" 'field surname' "$ERR"

ok "audit after all that" "$INBEELD" audit verify --json
like "no audit entry was written" '"checked": 0' "$OUT"
ok "list after all that" "$INBEELD" person list --json
like "no person was written" '"total": 0' "$OUT"

fails 2 "an unknown option is a usage error" "$INBEELD" person add --nickname Z
fails 2 "an option without its value" "$INBEELD" person add --surname
fails 2 "list with a negative limit" "$INBEELD" person list --limit -1
done_testing
