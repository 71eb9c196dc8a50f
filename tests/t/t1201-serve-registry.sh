#!/usr/bin/env bash
# inbeeld serve: the registry read routes over a store filled through the CLI — regions of the
# demo region, organisations, a page of persons without personal data, one person with the
# BSN masked (and audited), one 404 for unknown keys — and an access log without personal
# data.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

# One value from the store under test.
sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

new_store
ok "init" "$INBEELD" init
ok "region load" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv" \
	--year 2023
municipalities=$(($(grep -c . "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv") - 1))
ok "org add school" "$INBEELD" org add --kind school --ident 12AB00 \
	--name "Sint-Maartenscollege" --school-type VO --levels havo,vwo --municipality GM0935
ok "org add care" "$INBEELD" org add --kind care --ident 12345678 --name "Jeugdzorg Zuid"
ok "person add with BSN" "$INBEELD" person add --bsn 111222333 --given-names Sanne \
	--surname "van Dijk" --birth-date 2008-03-14 --postcode 6211AB --municipality GM0935
key=$(printf '%s' "$OUT" | grep -o -E '[0-9a-f]{64}')
ok "person add provisional" "$INBEELD" person add --surname Jansen --birth-date 2009-11-02 \
	--postcode 6411CD
key2=$(printf '%s' "$OUT" | grep -o -E '[0-9a-f]{64}')
like "keys printed" '^[0-9a-f]{64}$' "$key"
ok "a school user" add_user anna school school:12AB00
# The need-to-know rule lets a school see its own pupils: Sanne is enrolled at 12AB00.
printf 'bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason\n%s\n' \
	'111222333;12AB;00;VO;havo;;2020-08-01;;' >"$T/enrolments.csv"
ok "Sanne enrolled at the school" "$INBEELD" import enrolments "$T/enrolments.csv" \
	--source school:12AB00 --as-of 2020-10-01

start_server
is "server up" 0 $?
requests=1 # start_server's /healthz

api /api/v1/regions
requests=$((requests + 1))
is "regions 200" 200 "$STATUS"
like "regions: year and count" "^\{\"year\":2023,\"rmc\":null,\"count\":$municipalities," "$BODY"
like "regions: Maastricht with its RMC region" \
	'\{"code":"GM0935","name":"Maastricht","year":2023,"rmc":\{"code":"MC39","name":"Zuid-Limburg"\}' \
	"$BODY"
is "regions: every municipality in RMC 39" "$municipalities" \
	"$(printf '%s' "$BODY" | grep -o '"rmc":{"code":"MC39"' | grep -c .)"

api "/api/v1/regions?rmc=MC39"
requests=$((requests + 1))
like "regions ?rmc=MC39" "\"rmc\":\"MC39\",\"count\":$municipalities," "$BODY"
api "/api/v1/regions?rmc=MC01"
requests=$((requests + 1))
like "regions ?rmc=MC01: none" '"count":0,"municipalities":\[\]' "$BODY"
api "/api/v1/regions?rmc=banana"
requests=$((requests + 1))
is "regions ?rmc=banana: 400" 400 "$STATUS"
like "regions ?rmc=banana: names the parameter" '"code":"invalid","message":"[^"]*rmc' "$BODY"

api /api/v1/organisations
requests=$((requests + 1))
is "organisations 200" 200 "$STATUS"
like "organisations: both" '"count":2,' "$BODY"
api "/api/v1/organisations?kind=school"
requests=$((requests + 1))
like "organisations ?kind=school" \
	'^\{"kind":"school","count":1,"organisations":\[\{"id":[0-9]+,"kind":"school","ident":"12AB00","name":"Sint-Maartenscollege","school_type":"VO","levels":\["havo","vwo"\],"municipality_code":"GM0935",' \
	"$BODY"
api /api/v1/organisations/school:12AB00
requests=$((requests + 1))
is "organisation by kind:ident 200" 200 "$STATUS"
like "organisation by kind:ident" '"ident":"12AB00"' "$BODY"
api /api/v1/organisations/school:99ZZ99
requests=$((requests + 1))
is "unknown organisation 404" 404 "$STATUS"
like "unknown organisation: JSON error" '^\{"error":\{"code":"not_found","message":"[^"]+"\}\}$' \
	"$BODY"

login anna
requests=$((requests + 1))
as anna /api/v1/persons
requests=$((requests + 1))
is "persons 200" 200 "$STATUS"
# The school sees its own pupil, not the provisional person it has no relation to.
like "persons: total and page" '^\{"total":1,"offset":0,"limit":50,"count":1,"persons":\[' "$BODY"
like "persons: the first without personal data" \
	"\{\"key\":\"$key\",\"provisional\":false,\"birth_date\":\"2008-03-14\",\"municipality_code\":\"GM0935\",\"postcode4\":\"6211\",\"merged_into\":null\}" \
	"$BODY"
unlike "persons: not the provisional one" "$key2" "$BODY"
unlike "persons: no name in the list" 'Dijk|Sanne|Jansen' "$BODY"
as anna "/api/v1/persons?limit=1&offset=1"
requests=$((requests + 1))
is "persons: a second page is empty" '{"total":1,"offset":1,"limit":1,"count":0,"persons":[]}' \
	"$BODY"

as anna "/api/v1/persons/$key"
requests=$((requests + 1))
is "person 200" 200 "$STATUS"
like "person: opened, BSN masked" \
	"^\{\"key\":\"$key\",.*\"bsn_masked\":\"\*\*\*\*\*\*333\",\"given_names\":\"Sanne\",\"surname_prefix\":\"van\",\"surname\":\"Dijk\"" \
	"$BODY"
unlike "person: no full BSN" '111222333' "$BODY"
is "person: read audited under the user" "anna|school|127.0.0.1|school:12AB00" \
	"$(sql "SELECT actor || '|' || role || '|' || client || '|' || organisation FROM audit_log
		WHERE action = 'person.read' AND person_key = '$key'")"

unknown=$(printf '%s' "$key" | tr '0-9a-f' '1-9a-f0')
as anna "/api/v1/persons/$unknown"
requests=$((requests + 1))
is "unknown person 404" 404 "$STATUS"
is "unknown person: JSON error" '{"error":{"code":"not_found","message":"no such person"}}' "$BODY"
not_found=$BODY
as anna "/api/v1/persons/123456782"
requests=$((requests + 1))
is "a BSN in the path: the same 404" "$not_found" "$BODY"

get "/api/v1/persons/$key"
requests=$((requests + 1))
is "person without session: 401" 401 "$STATUS"
unlike "person without session: nothing of the person" 'Dijk|333' "$BODY"
api "/api/v1/persons/$key"
requests=$((requests + 1))
is "person with the token only: 401" 401 "$STATUS"

stop_server TERM
is "stopped with 0" 0 "$STOP_STATUS"

log=$(cat "$SERVER_LOG")
access=$(grep -E ' info: (GET|HEAD|POST) ' "$SERVER_LOG")
is "one access-log line per request" "$requests" "$(printf '%s\n' "$access" | grep -c .)"
like "access log: the person key cut to 8 digits" \
	" info: GET /api/v1/persons/${key:0:8}… 200 [0-9]+ [0-9]+us$" "$access"
like "access log: a BSN in the path masked" ' info: GET /api/v1/persons/\*\*\*\*\*\*782 404 ' \
	"$access"
unlike "log: no full person key" "$key|$key2|$unknown" "$log"
unlike "log: no BSN" '111222333|123456782' "$log"
unlike "log: no name" 'Sanne|Dijk|Jansen' "$log"
unlike "log: no query string" 'offset=|rmc=' "$log"

done_testing
