#!/usr/bin/env bash
# POST /api/v1/feeds/{feed}: records as JSON, authorised by a feed token scoped to one source
# and one feed; the same engine and validation as a file. Wrong feed or source: 403;
# unknown or revoked token: 401; invalid records: 422 listing them by index and field.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "organisations" "$INBEELD" org load "$F/organisations.csv"
ok "a token for care from GM0935" "$INBEELD" import token add --source municipality:GM0935 --feed care --json
care_token=$(printf '%s' "$OUT" | jq -r .token)
care_id=$(printf '%s' "$OUT" | jq -r .id)
like "64 hex digits" '^[0-9a-f]{64}$' "$care_token"
ok "a token for work from UWV" "$INBEELD" import token add --source uwv:UWV-ZL --feed work
like "printed once, with a warning" "shown once" "$OUT"
fails 1 "a token for an unknown source" "$INBEELD" import token add --source duo:NOPE --feed care
fails 2 "a token for an unknown feed" "$INBEELD" import token add --source duo:DUO --feed grades
ok "token list" "$INBEELD" import token list --json
is "two tokens, no token shown" "2 null" "$(printf '%s' "$OUT" | jq -r '"\(length) \(.[0].token)"')"
unlike "the token is not listed" "$care_token" "$OUT"

start_server
post() { # path token body
	_request "$1" -X POST -H "Authorization: Bearer $2" -H 'Content-Type: application/json' --data-binary "$3"
}
records='[{"allocation_id":"TW1","bsn":"100015839","provider_agb":"98765432","law":"jeugdwet","product_category":"45","start_date":"2026-01-05","end_date":null,"municipality_code":"GM0935"},
{"allocation_id":"TW2","bsn":"100071272","provider_agb":"91234567","law":"wmo","product_category":"02","start_date":"2026-02-01","municipality_code":"GM0935"}]'
post "/api/v1/feeds/care?mode=delta&as_of=2026-10-01" "$care_token" "$records"
is "posted records are imported" "200" "$STATUS"
is "with their counts" "care municipality:GM0935 delta 2 2 0" \
	"$(printf '%s' "$BODY" | jq -r '"\(.feed) \(.source) \(.mode) \(.records) \(.new) \(.rejected)"')"
run "$INBEELD" timeline --bsn 100071272 --json
is "… into the timeline" "care_started 91234567" "$(printf '%s' "$OUT" | jq -r '.events[0] | "\(.kind) \(.org)"')"

post "/api/v1/feeds/care?as_of=2026-10-01" "$care_token" \
	'[{"allocation_id":"TW3","bsn":"100015838","provider_agb":"98765432","law":"jeugdwet","product_category":"45","start_date":"2026-01-05","municipality_code":"GM0935"},
	  {"allocation_id":"TW4","bsn":"100015839","provider_agb":"11111111","law":"jeugdwet","product_category":"99","start_date":"2026-01-05","municipality_code":"GM0935"}]'
is "invalid records: 422" "422" "$STATUS"
is "listed by index and field" "0 bsn 1 provider_agb 1 product_category" \
	"$(printf '%s' "$BODY" | jq -r '[.errors[] | "\(.index) \(.field)"] | join(" ")')"
unlike "the BSN masked" "100015838" "$BODY"
like "with the rule" "elfproef" "$BODY"
post "/api/v1/feeds/care?as_of=2026-10-01" "$care_token" '{"not":"an array"}'
is "not an array: 400" "400" "$STATUS"

post "/api/v1/feeds/work?as_of=2026-10-01" "$care_token" '[]'
is "a token for another feed: 403" "403" "$STATUS"
post "/api/v1/feeds/care?as_of=2026-10-01&source=municipality:GM0917" "$care_token" '[]'
is "a token for another source: 403" "403" "$STATUS"
post "/api/v1/feeds/care?as_of=2026-10-01" "$(printf '%064d' 0)" '[]'
is "an unknown token: 401" "401" "$STATUS"
_request "/api/v1/feeds/care" -X POST --data-binary '[]'
is "no token: 401" "401" "$STATUS"
_request "/api/v1/feeds/care" -X POST -H "Authorization: Bearer $TOKEN" --data-binary '[]'
is "the server's own token does not open this route" "401" "$STATUS"
post "/api/v1/feeds/grades" "$care_token" '[]'
is "an unknown feed: 404" "404" "$STATUS"

# Posted records are looked at by the signal rules at once, as after a file: a relatief
# verzuim report over the threshold raises its signal without a separate run.
cat >"$T/residence.csv" <<'CSV'
bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died
111222333;Sem;;Jansen;2012-01-10;Vijverweg;16;6211AB;Maastricht;GM0935;2012-01-10;;
CSV
printf 'bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason
111222333;14EK;00;VO;vmbo-t;;2024-08-01;;
' >"$T/enrolments.csv"
ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 --as-of 2026-10-01 --no-signals
ok "enrolments" "$INBEELD" import enrolments "$T/enrolments.csv" --source duo:DUO --as-of 2026-10-01 --no-signals
ok "a run of the rules before the report" "$INBEELD" signals run
verzuim() { "$INBEELD" signals list --rule relatief_verzuim_threshold --json | jq -r '[.[] | .state] | join(" ")'; }
is "no verzuim signal yet" "" "$(verzuim)"
ok "a token for absence from DUO" "$INBEELD" import token add --source duo:DUO --feed absence --json
absence_token=$(printf '%s' "$OUT" | jq -r .token)
post "/api/v1/feeds/absence?as_of=2026-11-23" "$absence_token" \
	'[{"report_id":"R1","bsn":"111222333","brin":"14EK","vestiging":"00","kind":"relatief","period_from":"2026-10-26","period_to":"2026-11-15","hours_lost":20,"reported_on":"2026-11-20","status":"Geregistreerd","status_date":"2026-11-20"}]'
is "the report is imported" "200 1" "$STATUS $(printf '%s' "$BODY" | jq -r .new)"
is "and the rules ran over its person" "1 1" "$(printf '%s' "$BODY" | jq -r '"\(.signals.persons) \(.signals.raised)"')"
is "the signal is open without a separate run" "open" "$(verzuim)"

ok "revoke" "$INBEELD" import token revoke "$care_id"
post "/api/v1/feeds/care?as_of=2026-10-01" "$care_token" '[]'
is "a revoked token: 401" "401" "$STATUS"
like "says so" "revoked" "$BODY"
fails 1 "revoking twice" "$INBEELD" import token revoke "$care_id"
ok "the audit log is intact" "$INBEELD" audit verify
done_testing
