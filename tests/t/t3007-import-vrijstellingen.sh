#!/usr/bin/env bash
# The vrijstellingen feed: a vrijstelling (article 5a) of a pupil who left school gives its
# events, shows in the status of the roles that may see it and is withheld from the others,
# keeps the absoluut verzuim and thuiszitter rules quiet while it runs, and lets absoluut
# verzuim be raised the day after it ends without new data. A wrong article is refused with
# file, line, column and rule.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-login.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

cat >"$T/residence.csv" <<'CSV'
bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died
111222333;Sem;;Jansen;2010-01-10;Vijverweg;16;6211AB;Maastricht;GM0935;2010-01-10;;
CSV
cat >"$T/enrolments.csv" <<'CSV'
bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason
111222333;14EK;00;VO;vmbo-t;;2022-08-01;2025-12-31;uitval
CSV
cat >"$T/vrijstellingen.csv" <<'CSV'
bsn;article;start_date;end_date;municipality_code
111222333;5a;2026-01-01;2026-03-31;0935
CSV
ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 \
	--as-of 2026-01-05 --no-signals
ok "enrolments" "$INBEELD" import enrolments "$T/enrolments.csv" --source duo:DUO \
	--as-of 2026-01-05 --no-signals
ok "vrijstellingen" "$INBEELD" import vrijstellingen "$T/vrijstellingen.csv" \
	--source municipality:GM0935 --as-of 2026-01-05 --no-signals
KEY=$("$INBEELD" timeline --bsn 111222333 --json | jq -r .key)

run "$INBEELD" timeline "$KEY" --json
is "events: started, and the planned end (the municipality as GM0935)" \
"2026-01-01 vrijstelling_started GM0935 5a
2026-03-31 vrijstelling_ended GM0935 5a true" \
	"$(jq -r '.events[] | select(.kind | startswith("vrijstelling")) |
		"\(.date) \(.kind) \(.org) \(.code)\(if .detail.planned then " true" else "" end)"' <<<"$OUT")"

run "$INBEELD" status "$KEY" --on 2026-02-15 --json
is "status: the vrijstelling and its end" "5a 2026-03-31" \
	"$(jq -r '"\(.vrijstelling.article) \(.vrijstelling.until)"' <<<"$OUT")"
run "$INBEELD" status "$KEY" --on 2026-04-01 --json
is "status: none after its last day" null "$(jq -c .vrijstelling <<<"$OUT")"

add_user leerplicht1 leerplicht
add_user school1 school school:14EK00
run "$INBEELD" status "$KEY" --on 2026-02-15 --user leerplicht1 --json
is "leerplicht sees the vrijstelling" 5a "$(jq -r .vrijstelling.article <<<"$OUT")"
run "$INBEELD" status "$KEY" --on 2026-02-15 --user school1 --json
is "the school (nazorg) does not" "null [\"care\",\"vrijstellingen\"]" \
	"$(jq -c '[.vrijstelling, .withheld] | "\(.[0]) \(.[1])"' -r <<<"$OUT")"
run "$INBEELD" timeline "$KEY" --user school1 --json
is "nor its events" 0 "$(jq '[.events[] | select(.kind | startswith("vrijstelling"))] | length' <<<"$OUT")"

signal() { "$INBEELD" signals list --rule "$1" --json | jq -r '.[0].state // "none"'; }
ok "a full run while it runs" "$INBEELD" signals run --on 2026-02-15 --full
is "no absoluut verzuim while it runs" none "$(signal absoluut_verzuim)"
is "no thuiszitter while it runs" none "$(signal thuiszitter)"
run "$INBEELD" signals run --on 2026-04-01 --json
is "the incremental run looks again the day after it ends" 1 "$(jq .persons <<<"$OUT")"
is "absoluut verzuim then" open "$(signal absoluut_verzuim)"

cat >"$T/bad.csv" <<'CSV'
bsn;article;start_date;end_date;municipality_code
111222333;7;2026-01-01;;GM0935
CSV
fails 1 "an unknown article" "$INBEELD" import vrijstellingen "$T/bad.csv" \
	--source municipality:GM0935 --as-of 2026-04-01 --no-signals
like "the error names file, line, column and rule" "bad\.csv, line 2, column 2 \(article\), value .7.: unknown code" "$ERR"
like "and the codes" "rule: one of 5a, 5b, 5c, 3a, 15" "$ERR"

done_testing
