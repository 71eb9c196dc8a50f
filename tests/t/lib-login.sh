# Helpers for tests that log in to `inbeeld serve`, sourced after lib.sh and lib-serve.sh.
# Each user gets a cookie jar of their own ($T/jar.NAME) and their CSRF token ($T/csrf.NAME).
#
#   add_org                       the municipality GM0935 (Maastricht) that users belong to
#   add_user NAME ROLES [ORG]     `inbeeld user add` with password $PASSWORD (ORG default
#                                 municipality:GM0935)
#   login NAME [PASSWORD]         POST /api/v1/session as NAME; $STATUS, $BODY, $HEADERS
#   as NAME PATH [CURL ARGS...]   a request with NAME's cookie and CSRF token
#   as_no_csrf NAME PATH [ARGS]   the same without the CSRF token (a forged request)
PASSWORD="correct horse battery staple"

add_org() {
	"$INBEELD" org add --kind municipality --ident GM0935 --name Maastricht >/dev/null
}

add_user() {
	local name=$1 roles=$2 org=${3:-municipality:GM0935}
	printf '%s\n' "$PASSWORD" | "$INBEELD" user add "$name" --org "$org" --role "$roles" \
		--name "Test $name" >/dev/null
}

login() {
	local name=$1 password=${2:-$PASSWORD} body
	body=$(jq -cn --arg u "$name" --arg p "$password" '{username: $u, password: $p}')
	# A failed login keeps the jar of the last good one.
	_request /api/v1/session -c "$T/jar.new" -H 'Content-Type: application/json' \
		--data-binary "$body"
	if [ "$STATUS" = 200 ]; then
		mv "$T/jar.new" "$T/jar.$name"
		printf '%s' "$BODY" | jq -r .csrf_token >"$T/csrf.$name"
	fi
}

as() {
	local name=$1 path=$2
	shift 2
	_request "$path" -b "$T/jar.$name" -c "$T/jar.$name" \
		-H "X-CSRF-Token: $(cat "$T/csrf.$name" 2>/dev/null)" "$@"
}

as_no_csrf() {
	local name=$1 path=$2
	shift 2
	_request "$path" -b "$T/jar.$name" "$@"
}
