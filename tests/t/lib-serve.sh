# Helpers for the tests of `inbeeld serve`, sourced after lib.sh. The server runs on a free
# loopback port and is killed when the test exits, whatever happens.
#
#   start_server [ARGS...]  start `inbeeld serve` on 127.0.0.1 at a random port in 20000–40000
#                           (another one when in use) and wait for /healthz; sets URL, TOKEN,
#                           SERVER_PID, SERVER_OUT (its stdout) and SERVER_LOG (its stderr)
#   get PATH [CURL ARGS...] request URL/PATH without a token: body in $BODY, status in
#                           $STATUS, response headers in $HEADERS
#   api PATH [CURL ARGS...] the same with "Authorization: Bearer $TOKEN"
#   stop_server [SIGNAL]    send SIGTERM (or SIGNAL) and wait up to 10 s; sets STOP_STATUS
#                           (the exit status, or "timeout") and STOP_MS
SERVER_PID=""
URL=""
TOKEN=""
BODY=""
STATUS=""
HEADERS=""

_kill_server() {
	if [ -n "$SERVER_PID" ] && kill -0 "$SERVER_PID" 2>/dev/null; then
		kill -KILL "$SERVER_PID" 2>/dev/null
		wait "$SERVER_PID" 2>/dev/null
	fi
	SERVER_PID=""
}
trap '_kill_server; _cleanup' EXIT

# Wait until /healthz answers 200 and the server has said where it listens (it prints that
# just after it starts serving); fails when the server dies first or after 10 s.
_wait_healthy() {
	local i healthy=""
	for i in $(seq 1 100); do
		kill -0 "$SERVER_PID" 2>/dev/null || return 1
		if [ -z "$healthy" ] &&
			[ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 2 "$URL/healthz")" = 200 ]; then
			healthy=1
		fi
		[ -n "$healthy" ] && grep -q '^listening on ' "$SERVER_OUT" && return 0
		sleep 0.1
	done
	return 1
}

start_server() {
	local try port
	SERVER_OUT="$T/serve.out"
	SERVER_LOG="$T/serve.log"
	for try in 1 2 3 4 5 6 7 8 9 10; do
		port=$((20000 + RANDOM % 20001))
		URL="http://127.0.0.1:$port"
		: >"$SERVER_OUT"
		"$INBEELD" serve --listen "127.0.0.1:$port" --token-file "$T/token" "$@" \
			>"$SERVER_OUT" 2>"$SERVER_LOG" &
		SERVER_PID=$!
		if _wait_healthy; then
			TOKEN=$(cat "$T/token")
			return 0
		fi
		_kill_server
		grep -q 'Address already in use' "$SERVER_LOG" || break
	done
	echo "# the server did not start:"
	sed 's/^/#   /' "$SERVER_LOG"
	return 1
}

_request() {
	local path=$1
	shift
	BODY=$(curl -s --max-time 5 -D "$T/headers" -o - -w '\n%{http_code}' "$@" "$URL$path")
	STATUS=${BODY##*$'\n'}
	BODY=${BODY%$'\n'*}
	BODY=${BODY%$'\n'} # the server ends each JSON body with a newline
	HEADERS=$(tr -d '\r' <"$T/headers")
}

get() {
	_request "$@"
}

api() {
	local path=$1
	shift
	_request "$path" -H "Authorization: Bearer $TOKEN" "$@"
}

stop_server() {
	local sig=${1:-TERM} start i
	start=$(date +%s%N)
	kill -"$sig" "$SERVER_PID"
	STOP_STATUS=timeout
	for i in $(seq 1 100); do
		if ! kill -0 "$SERVER_PID" 2>/dev/null; then
			wait "$SERVER_PID"
			STOP_STATUS=$?
			break
		fi
		sleep 0.1
	done
	STOP_MS=$((($(date +%s%N) - start) / 1000000))
	[ "$STOP_STATUS" = timeout ] && _kill_server
	SERVER_PID=""
}

