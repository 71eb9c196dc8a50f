#!/usr/bin/env bash
# Each event kind from small hand-made files (tests/fixtures/feeds/): the six feeds are
# imported and each young person's timeline is compared with the one written here.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

imp() { # feed file source as_of
	ok "import $2" "$INBEELD" import "$1" "$F/$2" --source "$3" --as-of "$4"
}
imp residence residence.csv municipality:GM0935 2026-10-01
# A person new to the registry is created with the data of their first row; only a later
# row of theirs (Noah's second address) updates them.
like "three persons created, one updated" "persons created 3, updated 1;" "$OUT"
ok "Noah is found by name" "$INBEELD" person find --surname Berg --birth-date 2010-03-14 --json
is "with the address of his last row" "GM0917 6411 Molenweg 3A Heerlen Noah Pieter" \
	"$(printf '%s' "$OUT" | jq -r '.[0] | "\(.municipality_code) \(.postcode4) \(.pii.street) \(.pii.house_number) \(.pii.city) \(.pii.given_names)"')"
imp enrolments enrolments_2025-10-01.csv duo:DUO 2025-10-01
imp enrolments enrolments_2026-10-01.csv duo:DUO 2026-10-01
imp diplomas diplomas.csv duo:DUO 2026-10-01
imp absence absence.csv duo:DUO 2026-10-01
imp care care.csv municipality:GM0935 2026-10-01
imp work work.csv uwv:UWV-ZL 2026-10-01

# "date kind org code" per event, in date order.
timeline() {
	"$INBEELD" timeline --bsn "$1" --json |
		jq -r '.events[] | "\(.date) \(.kind) \(.org // "-") \(.code // "-")"'
}

# Noah: a change of school with overstap, a move within the region, care that ended, a
# side job, a diploma (no startkwalificatie), then mbo.
is "moved, changed_school, care, job, diploma, left_school, enrolled" \
"2022-08-01 enrolled 14EK00 havo
2024-09-02 care_started 98765432 45
2025-06-01 moved - GM0917
2025-07-31 changed_school 14EK00 overstap
2025-08-01 enrolled 14EK01 vmbo-t
2025-08-31 care_ended 98765432 45
2025-09-01 job_started 61234567 employment
2026-02-28 job_ended 61234567 employment
2026-07-10 diploma 14EK01 vmbo-t
2026-07-31 left_school 14EK01 diploma
2026-08-01 enrolled 25LR02 mbo-2" "$(timeline 100015839)"

# Emma: moved out of the region; her running vwo enrolment is missing from the next
# 1-October snapshot, so it ended on that date.
is "moved_out_of_region, left_school not delivered" \
"2021-08-01 enrolled 14EK00 vwo
2026-02-01 moved_out_of_region - GM0935
2026-10-01 left_school 14EK00 not_delivered" "$(timeline 100071272)"

# Daan: moved into the region, mbo dropout (uitval), died.
is "moved in, left_school uitval, died" \
"2012-01-10 moved - GM0917
2024-08-01 enrolled 25LR02 mbo-2
2025-03-01 left_school 25LR02 uitval
2026-03-03 died - -" "$(timeline 100300923)"

# A change of level at the same school, then an absence report and its next status.
is "changed_level, absence_reported, absence_status" \
"2022-08-01 enrolled 14EK00 vmbo-t
2025-07-31 changed_level 14EK00 overstap
2025-08-01 enrolled 14EK00 havo
2026-02-11 absence_reported 14EK00 relatief
2026-02-17 absence_status 14EK00 In behandeling" "$(timeline 100316761)"

is "an mbo diploma of a person first seen in the diplomas feed" \
"2025-07-02 diploma 25LR02 mbo-2" "$(timeline 100364275)"
is "absolute absence without a school" "2026-03-05 absence_reported - absoluut" \
	"$(timeline 100467222)"
is "Wmo care still running" "2026-03-01 care_started 91234567 02" "$(timeline 100490979)"
is "a planned end after the as-of date" \
"2026-01-05 care_started 98765432 41
2027-01-04 care_ended 98765432 41" "$(timeline 100593926)"
run "$INBEELD" timeline --bsn 100593926 --json
is "the planned end is marked" "true" "$(printf '%s' "$OUT" | jq -r '.events[1].detail.planned')"
is "benefit and dagbesteding" \
"2026-04-01 benefit_started - participatiewet
2026-05-01 dagbesteding_started - dagbesteding" "$(timeline 100609764)"
is "a benefit that ended" \
"2025-01-01 benefit_started - wajong
2026-06-30 benefit_ended - wajong" "$(timeline 100657278)"

# What the residence feed brought: the person's data, sealed, shown through the registry.
run "$INBEELD" person show "$("$INBEELD" timeline --bsn 100015839 --json | jq -r .key)" --json
is "the current address from the residence feed" "GM0917 6411" \
	"$(printf '%s' "$OUT" | jq -r '"\(.municipality_code) \(.postcode4)"')"
key=$("$INBEELD" timeline --bsn 100316761 --json | jq -r .key)
run "$INBEELD" person show "$key" --json
is "a person first seen in enrolments has no birth date yet" "" \
	"$(printf '%s' "$OUT" | jq -r '.birth_date // ""')"
is "… and only the BSN sealed" "******761 null" \
	"$(printf '%s' "$OUT" | jq -r '"\(.pii.bsn) \(.pii.surname)"')"

# Events carry codes only: no BSN and no name anywhere in a timeline.
run "$INBEELD" timeline --bsn 100015839 --json
unlike "no BSN in the timeline" "100015839" "$OUT"
unlike "no name in the timeline" "Noah|Berg|Kerkstraat" "$OUT"
run "$INBEELD" audit verify
ok "the audit log is intact" "$INBEELD" audit verify
fails 1 "an unknown person" "$INBEELD" timeline 0000000000000000000000000000000000000000000000000000000000000000
like "names the key" "no person with key" "$ERR"
done_testing
