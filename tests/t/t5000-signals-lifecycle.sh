#!/usr/bin/env bash
# Signals from hand-written feed files, driven through the CLI: a relatief verzuim report
# raises a signal for leerplicht once, closing the report resolves it, a later status
# reopens it, a dismissal needs a reason and sticks; status on a date; settings per region.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
# The imports here skip the automatic run of the rules: the test runs them on its own dates.
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

cat >"$T/residence.csv" <<'CSV'
bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died
111222333;Sem;;Jansen;2010-01-10;Vijverweg;16;6211AB;Maastricht;GM0935;2010-01-10;;
CSV
cat >"$T/enrolments_2025-10-01.csv" <<'CSV'
bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason
111222333;14EK;00;VO;vmbo-t;;2022-08-01;;
CSV
absence() { # as_of status status_date
	printf '%s\n%s\n' \
		"report_id;bsn;brin;vestiging;kind;period_from;period_to;hours_lost;reported_on;status;status_date" \
		"R1;111222333;14EK;00;relatief;2026-01-12;2026-02-01;20;2026-02-03;$2;$3" >"$T/absence-$1.csv"
	ok "absence $2" "$INBEELD" import absence "$T/absence-$1.csv" --source duo:DUO --as-of "$1" --no-signals
}
ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 --as-of 2026-01-01 --no-signals
ok "enrolments" "$INBEELD" import enrolments "$T/enrolments_2025-10-01.csv" --source duo:DUO --as-of 2025-10-01 --no-signals
KEY=$("$INBEELD" timeline --bsn 111222333 --json | jq -r .key)

state() { "$INBEELD" signals list --rule relatief_verzuim_threshold --json | jq -r '.[0].state // "none"'; }

ok "first run, before the report" "$INBEELD" signals run --on 2026-02-02
is "no signal before the report" "none" "$(state)"
absence 2026-02-03 Geregistreerd 2026-02-03
run "$INBEELD" signals run --on 2026-02-03 --json
is "raised once" 1 "$(jq .raised <<<"$OUT")"
is "open" open "$(state)"
run "$INBEELD" signals run --on 2026-02-04 --json
is "not raised again (incremental)" 0 "$(jq .raised <<<"$OUT")"
run "$INBEELD" signals run --on 2026-02-04 --full --json
is "not raised again (full)" 0 "$(jq .raised <<<"$OUT")"

LIST=$("$INBEELD" signals list --org municipality:GM0935 --json)
is "for leerplicht of the residence" "leerplicht municipality:GM0935" "$(jq -r '.[0] | "\(.role) \(.org)"' <<<"$LIST")"
is "evidence: the report's record" 1 "$(jq '.[0].evidence | length' <<<"$LIST")"
is "detail: the hours" 20 "$(jq '.[0].detail.hours' <<<"$LIST")"
is "due 7 days after raising" 2026-02-10 "$(jq -r '.[0].due_on' <<<"$LIST")"
is "the school's inbox is empty" 0 "$("$INBEELD" signals list --org school:14EK00 --json | jq length)"
is "overdue after the due day" true "$("$INBEELD" signals list --on 2026-02-11 --json | jq '.[0].overdue')"

absence 2026-02-20 Afgesloten 2026-02-20
run "$INBEELD" signals run --on 2026-02-20 --json
is "closing the report resolves it" 1 "$(jq .resolved <<<"$OUT")"
is "resolved" resolved "$(state)"
absence 2026-03-01 "In behandeling" 2026-03-01
run "$INBEELD" signals run --on 2026-03-01 --json
is "a new status reopens it" 1 "$(jq .reopened <<<"$OUT")"
is "open again" open "$(state)"

ID=$("$INBEELD" signals list --rule relatief_verzuim_threshold --json | jq -r '.[0].id')
fails 2 "dismiss without a reason" "$INBEELD" signals dismiss "$ID"
ok "dismiss with a reason" "$INBEELD" signals dismiss "$ID" --reason "gesprek gevoerd"
fails 1 "dismiss twice" "$INBEELD" signals dismiss "$ID" --reason again
like "says why" "not open" "$ERR"
run "$INBEELD" signals run --on 2026-03-02 --full --json
is "a dismissed signal is not raised again" 0 "$(jq .raised <<<"$OUT")"
is "dismissed" dismissed "$(state)"

# Status on a date, with its evidence.
run "$INBEELD" status "$KEY" --on 2026-02-03 --json
is "leerplichtig" true "$(jq .leerplichtig <<<"$OUT")"
is "in vmbo-t at 14EK00" "14EK00 vmbo-t" "$(jq -r '"\(.education.school) \(.education.level)"' <<<"$OUT")"
is "leerplicht ends 31 July of the year of the 16th birthday" 2026-07-31 "$(jq -r .leerplicht_end <<<"$OUT")"
ok "status lists evidence" test "$(jq '.evidence | length' <<<"$OUT")" -ge 2
fails 1 "status of an unknown key" "$INBEELD" status nosuchkey --on 2026-02-03
fails 2 "status with a bad date" "$INBEELD" status "$KEY" --on 2026-02-30

# Settings: defaults, a value for every region, bad values rejected.
is "default threshold" 16 "$("$INBEELD" settings get definitions.absence_threshold_hours)"
ok "set for every region" "$INBEELD" settings set definitions.absence_threshold_hours 25
is "value set" 25 "$("$INBEELD" settings get definitions.absence_threshold_hours)"
fails 1 "a bad value" "$INBEELD" settings set definitions.absence_threshold_hours many
like "names the setting" "absence_threshold_hours" "$ERR"
fails 1 "an unknown region" "$INBEELD" settings set signals.uit_beeld_months 4 --region MC99
is "the list holds every setting" 1 "$("$INBEELD" settings list --json | jq '[.[] | select(.name == "signals.uit_beeld_months")] | length')"
done_testing
