#!/usr/bin/env bash
# Logging in to `inbeeld serve`: the session cookie and its attributes, the session and its
# CSRF token, a stolen cookie without the CSRF token refused, person routes for people with
# a person role only, the users API for administrators, logout, a disabled user, and one
# answer for a wrong user name and a wrong password.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

new_store
ok "init" "$INBEELD" init
add_org
ok "users" add_user anna leerplicht,rmc
ok "a policy officer" add_user piet policy
ok "an administrator" add_user root admin
# Leerplichtig and living in Maastricht: in scope of anna's leerplicht role.
ok "a person" "$INBEELD" person add --bsn 111222333 --given-names Sanne --surname "van Dijk" \
	--birth-date 2014-03-14 --postcode 6211AB --municipality GM0935
key=$(printf '%s' "$OUT" | grep -o -E '[0-9a-f]{64}')

start_server
is "server up" 0 $?

get /api/v1/persons
is "persons without a session: 401" 401 "$STATUS"
like "says how to log in" "log in with POST /api/v1/session" "$BODY"
get "/api/v1/persons/$key"
is "one person without a session: 401" 401 "$STATUS"
unlike "nothing of the person" 'Dijk|333' "$BODY"
api /api/v1/persons
is "the server's token does not open persons" 401 "$STATUS"
api /api/v1/organisations
is "the token still opens reference data" 200 "$STATUS"

login anna
is "login 200" 200 "$STATUS"
cookie=$(printf '%s\n' "$HEADERS" | grep -i '^Set-Cookie:')
like "session cookie: 64 hex digits" '^Set-Cookie: inbeeld_session=[0-9a-f]{64};' "$cookie"
like "HttpOnly" '; HttpOnly' "$cookie"
like "SameSite=Strict" '; SameSite=Strict' "$cookie"
like "Path=/" '; Path=/' "$cookie"
unlike "not Secure over plain HTTP" 'Secure' "$cookie"
like "the body has the CSRF token" '"csrf_token":"[0-9a-f]{64}"' "$BODY"
like "the body has the roles" '"roles":\["leerplicht","rmc"\]' "$BODY"
csrf=$(cat "$T/csrf.anna")
token=$(printf '%s' "$cookie" | sed -E 's/^Set-Cookie: inbeeld_session=([0-9a-f]{64}).*/\1/')
is "only the hash of the session token is stored" 0 \
	"$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$token' OR csrf_token = '$token'")"
is "the SHA-256 of it is" 1 \
	"$(sql "SELECT count(*) FROM sessions WHERE token_hash = '$(printf '%s' "$token" | sha256sum | cut -c1-64)'")"

as anna /api/v1/session
is "GET /api/v1/session with the cookie" 200 "$STATUS"
like "names the user and organisation" '"username":"anna".*"organisation":\{"id":[0-9]+,"ref":"municipality:GM0935","name":"Maastricht"\}' "$BODY"
is "the same CSRF token" "$csrf" "$(printf '%s' "$BODY" | jq -r .csrf_token)"
as anna /api/v1/persons
is "persons with a session" 200 "$STATUS"
like "lists the person" "\"key\":\"$key\"" "$BODY"
as anna "/api/v1/persons/$key"
is "one person with a session" 200 "$STATUS"
is "the read is audited under the user" "anna|municipality:GM0935|leerplicht,rmc|127.0.0.1" \
	"$(sql "SELECT actor || '|' || organisation || '|' || role || '|' || client FROM audit_log
		WHERE action = 'person.read' AND person_key = '$key'")"

login piet
as piet /api/v1/persons
is "policy: persons 403" 403 "$STATUS"
as piet "/api/v1/persons/$key"
is "policy: one person 403" 403 "$STATUS"
unlike "policy: nothing of the person" 'Dijk|333' "$BODY"
as piet /api/v1/users
is "policy: users 403" 403 "$STATUS"
as piet /api/v1/organisations
is "policy: reference data 200" 200 "$STATUS"

login root
as root /api/v1/persons
is "admin: persons 403" 403 "$STATUS"
as root /api/v1/users
is "admin: users 200" 200 "$STATUS"
is "admin: three users listed" "anna piet root" "$(printf '%s' "$BODY" | jq -r '[.users[].username] | join(" ")')"
unlike "admin: no password hashes" 'argon2|password' "$BODY"
new='{"username":"karin","organisation":"municipality:GM0935","roles":["care"],"password":"a fine long secret"}'
as_no_csrf root /api/v1/users -H 'Content-Type: application/json' --data-binary "$new"
is "a stolen cookie without the CSRF token cannot POST" 403 "$STATUS"
like "says the CSRF token is missing" 'CSRF' "$BODY"
as_no_csrf root /api/v1/users -H 'Content-Type: application/json' -H "X-CSRF-Token: $csrf" \
	--data-binary "$new"
is "another session's CSRF token does not do" 403 "$STATUS"
is "no user was added" 0 "$(sql "SELECT count(*) FROM users WHERE username = 'karin'")"
as root /api/v1/users -H 'Content-Type: application/json' --data-binary "$new"
is "with the CSRF token: 201" 201 "$STATUS"
like "the new user" '"username":"karin".*"roles":\["care"\]' "$BODY"
as root /api/v1/users -H 'Content-Type: application/json' \
	--data-binary '{"username":"lisa","organisation":"municipality:GM0935","roles":["care"],"password":"short"}'
is "the password policy holds: 400" 400 "$STATUS"
like "names the rule" 'fewer than 12 characters' "$BODY"
as root /api/v1/users -H 'Content-Type: application/json' --data-binary "$new"
is "a name in use: 409" 409 "$STATUS"
is "the add is audited under the administrator" "root|admin" \
	"$(sql "SELECT actor || '|' || role FROM audit_log WHERE action = 'user.add' AND detail LIKE 'user=karin %'")"
# A form post carries the token as the field csrf_token.
as_no_csrf root /api/v1/session -X DELETE -H 'Content-Type: application/x-www-form-urlencoded' \
	--data-binary "csrf_token=$(printf '%064d' 0)"
is "a form post with a wrong csrf_token: 403" 403 "$STATUS"

# Wrong user name and wrong password: one answer.
login nobody "$PASSWORD"
is "unknown user: 401" 401 "$STATUS"
unknown=$BODY
login anna "not the password at all"
is "wrong password: 401" 401 "$STATUS"
is "the same message for both" "$unknown" "$BODY"
is "which says neither" '{"error":{"code":"unauthorized","message":"wrong user name or password"}}' "$BODY"
_request /api/v1/session -H 'Content-Type: text/plain' --data-binary '{"username":"anna"}'
is "a login that is not JSON: 415" 415 "$STATUS"

# Logout ends the session; the old cookie no longer works.
cp "$T/jar.anna" "$T/jar.stolen"
as anna /api/v1/session -X DELETE
is "logout 200" 200 "$STATUS"
like "the cookie is cleared" 'Set-Cookie: inbeeld_session=; .*Max-Age=0' "$HEADERS"
_request /api/v1/persons -b "$T/jar.stolen"
is "the old cookie after logout: 401" 401 "$STATUS"
like "says the session ended" 'session has ended' "$BODY"

# A disabled user cannot log in, and their session ends.
login anna
is "anna again" 200 "$STATUS"
ok "disable anna" "$INBEELD" user disable anna
as anna /api/v1/persons
is "a disabled user's session: 401" 401 "$STATUS"
login anna
is "a disabled user cannot log in" 401 "$STATUS"
is "with the same message" "$unknown" "$BODY"

stop_server TERM
is "stopped" 0 "$STOP_STATUS"
actions=$(sql "SELECT action FROM audit_log WHERE action LIKE 'session.%' ORDER BY id" | sort | uniq -c | awk '{print $2 "=" $1}' | tr '\n' ' ')
like "logins audited" 'session\.login=[0-9]+' "$actions"
like "failures audited" 'session\.login_failed=3' "$actions"
like "logouts audited" 'session\.logout=1' "$actions"
is "an unknown name is not recorded" "anonymous|unknown user name" \
	"$(sql "SELECT actor || '|' || detail FROM audit_log WHERE action = 'session.login_failed' ORDER BY id LIMIT 1")"
unlike "no password in the audit log" "$PASSWORD|not the password|fine long" \
	"$(sql "SELECT coalesce(detail, '') || coalesce(reason, '') FROM audit_log")"
log=$(cat "$SERVER_LOG")
unlike "no password, token or cookie in the server log" "$PASSWORD|$token|$csrf" "$log"
unlike "no name or BSN in the server log" 'Sanne|Dijk|111222333' "$log"
ok "the audit chain holds" "$INBEELD" audit verify

done_testing
