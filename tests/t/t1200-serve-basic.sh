#!/usr/bin/env bash
# inbeeld serve: health check, version, the token rule, JSON errors for unknown routes and
# wrong methods, security headers, the access log, and a clean stop on SIGTERM.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

new_store
ok "init" "$INBEELD" init
add_org
ok "a user" add_user anna leerplicht

start_server
is "server answers /healthz" 0 $?
is "prints the token once on standard output" 1 "$(grep -c '^API token: ' "$SERVER_OUT")"
like "the token is 64 hex digits" "^API token: [0-9a-f]{64}$" "$(grep '^API token: ' "$SERVER_OUT")"
is "token file holds the printed token" "API token: $TOKEN" "$(grep '^API token: ' "$SERVER_OUT")"
is "token file is mode 0600" 600 "$(stat -c %a "$T/token")"
like "prints the URL" "^listening on http://127\.0\.0\.1:[0-9]+/$" "$(grep '^listening' "$SERVER_OUT")"
requests=1 # start_server's successful /healthz

get /healthz
requests=$((requests + 1))
is "healthz 200" 200 "$STATUS"
backend=sqlite
[ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ] && backend=postgresql
is "healthz body" "{\"status\":\"ok\",\"backend\":\"$backend\"}" "$BODY"
like "JSON content type" "Content-Type: application/json" "$HEADERS"
like "nosniff" "X-Content-Type-Options: nosniff" "$HEADERS"
like "no referrer" "Referrer-Policy: no-referrer" "$HEADERS"
like "restrictive CSP" "Content-Security-Policy: default-src 'none'" "$HEADERS"

get /api/v1/version
requests=$((requests + 1))
is "version needs no token" 200 "$STATUS"
like "version body" '^\{"version":"[0-9]+\.[0-9]+\.[0-9]+","api":"v1","schema_version":[0-9]+\}$' "$BODY"
like "API responses are not cached" "Cache-Control: no-store" "$HEADERS"

get /api/v1/persons
requests=$((requests + 1))
is "no session: 401" 401 "$STATUS"
like "no session: JSON error" '^\{"error":\{"code":"unauthorized","message":"[^"]+"\}\}$' "$BODY"
like "no session: WWW-Authenticate" "WWW-Authenticate: Cookie" "$HEADERS"

get /api/v1/regions
requests=$((requests + 1))
is "no token: 401" 401 "$STATUS"
like "no token: WWW-Authenticate" "WWW-Authenticate: Bearer" "$HEADERS"

get /api/v1/regions -H "Authorization: Bearer $(printf '%064d' 0)"
requests=$((requests + 1))
is "wrong token: 401" 401 "$STATUS"
like "wrong token: JSON error" '"code":"unauthorized"' "$BODY"

get /api/v1/regions -H "Authorization: Bearer ${TOKEN}x"
requests=$((requests + 1))
is "token with a character more: 401" 401 "$STATUS"

get /api/v1/nothing-here
requests=$((requests + 1))
is "unknown API route without token: 401" 401 "$STATUS"

api /api/v1/nothing-here
requests=$((requests + 1))
is "unknown route: 404" 404 "$STATUS"
like "unknown route: JSON error" '^\{"error":\{"code":"not_found","message":"[^"]+"\}\}$' "$BODY"

api /api/v1/persons -X DELETE
requests=$((requests + 1))
is "wrong method: 405" 405 "$STATUS"
like "wrong method: Allow" "Allow: GET, HEAD" "$HEADERS"
like "wrong method: JSON error" '"code":"method_not_allowed"' "$BODY"

api /api/v1/persons
requests=$((requests + 1))
is "the token does not open persons" 401 "$STATUS"
login anna
requests=$((requests + 1))
as anna /api/v1/persons
requests=$((requests + 1))
is "with a session: 200" 200 "$STATUS"
like "empty person list" '^\{"total":0,"offset":0,"limit":50,"count":0,"persons":\[\]\}$' "$BODY"

as anna /api/v1/persons?limt=3
requests=$((requests + 1))
is "unknown query parameter: 400" 400 "$STATUS"
like "unknown query parameter named" 'limt' "$BODY"

head -c 1100000 /dev/zero | tr '\0' 'a' >"$T/big"
api /api/v1/persons -X POST --data-binary @"$T/big"
requests=$((requests + 1))
is "body over 1 MiB: 413" 413 "$STATUS"
like "body over 1 MiB: JSON error" '"code":"payload_too_large"' "$BODY"

# Keep-alive: two requests in one curl share one connection, and no "Connection: close".
out=$(curl -sv --max-time 5 "$URL/healthz" "$URL/api/v1/version" 2>&1)
requests=$((requests + 2))
like "keep-alive: the connection is reused" "Re-using existing connection" "$out"
unlike "keep-alive: no Connection: close" "< Connection: close" "$out"

stop_server TERM
is "SIGTERM: exit status 0" 0 "$STOP_STATUS"
ok "SIGTERM: stopped within 5 s ($STOP_MS ms)" test "$STOP_MS" -lt 5000
fails 7 "nothing listens afterwards" curl -s --max-time 2 "$URL/healthz"

access=$(grep -E ' info: (GET|POST|DELETE|HEAD) ' "$SERVER_LOG")
csrf=$(cat "$T/csrf.anna")
is "one access-log line per request" "$requests" "$(printf '%s\n' "$access" | grep -c .)"
like "access log: method, path, status, bytes, microseconds" \
	' info: GET /api/v1/version 200 [0-9]+ [0-9]+us$' "$access"
like "access log: 401 recorded" ' info: GET /api/v1/persons 401 ' "$access"
like "access log: path without query string" ' info: GET /api/v1/persons 400 ' "$access"
unlike "access log: no query string" 'limt' "$access"
unlike "log: no token" "$TOKEN|$csrf" "$(cat "$SERVER_LOG")"
like "log: the stop is logged" "SIGTERM received" "$(cat "$SERVER_LOG")"

done_testing
