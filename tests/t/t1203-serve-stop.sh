#!/usr/bin/env bash
# inbeeld serve stops gracefully: a request in flight at SIGTERM is answered before the
# server exits with status 0, and under a burst of requests every answer is whole.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

new_store
ok "init" "$INBEELD" init
add_org
ok "a user" add_user anna leerplicht

# A burst from several clients at once, with keep-alive, then a stop while it runs.
start_server --threads 2
is "server up" 0 $?
login anna
is "logged in" 200 "$STATUS"
for c in 1 2 3 4; do
	(
		for i in $(seq 1 25); do
			printf 'url = "%s/api/v1/persons"\noutput = "/dev/null"\n' "$URL"
		done >"$T/urls.$c"
		curl -s --max-time 10 -b "$T/jar.anna" -K "$T/urls.$c" \
			-w '%{http_code}\n' >"$T/codes.$c"
	) &
done
wait $(jobs -p | grep -v "^$SERVER_PID$")
codes=$(cat "$T"/codes.*)
is "100 concurrent requests answered" 100 "$(printf '%s\n' "$codes" | grep -c '^200$')"

# A request held in flight: on PostgreSQL a lock on the table keeps it waiting.
if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
	PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -q "$INBEELD_TEST_PG" -c \
		"BEGIN; LOCK TABLE persons IN ACCESS EXCLUSIVE MODE; SELECT pg_sleep(1.5); COMMIT;" \
		>/dev/null &
	locker=$!
	sleep 0.3
	curl -s --max-time 10 -b "$T/jar.anna" -o "$T/held.body" \
		-w '%{http_code}' "$URL/api/v1/persons" >"$T/held.code" &
	held=$!
	sleep 0.3
	stop_server TERM
	wait "$held"
	wait "$locker"
	is "the request in flight got its answer" 200 "$(cat "$T/held.code")"
	like "a whole JSON body" '^\{"total":0,.*\}$' "$(cat "$T/held.body")"
	is "then the server exited with 0" 0 "$STOP_STATUS"
	ok "it waited for the request ($STOP_MS ms)" test "$STOP_MS" -ge 500
	ok "but not long ($STOP_MS ms)" test "$STOP_MS" -lt 5000
else
	# SQLite readers never wait for a writer (WAL), so a request cannot be held; stop while
	# a burst runs instead: every request is answered whole or refused, never cut.
	for i in $(seq 1 300); do
		printf 'url = "%s/healthz"\noutput = "/dev/null"\n' "$URL"
	done >"$T/urls.stop"
	# Bursts of 300 keep-alive requests, one after another, until one is refused.
	(
		for round in $(seq 1 100); do
			curl -s --max-time 20 -K "$T/urls.stop" -w '%{http_code} %{size_download}\n' \
				>>"$T/codes.stop" 2>/dev/null
			grep -q '^000 ' "$T/codes.stop" && break
		done
	) &
	burst=$!
	for i in $(seq 1 100); do
		[ -s "$T/codes.stop" ] && break
		sleep 0.05
	done
	stop_server TERM
	wait "$burst"
	is "SIGTERM under load: exit status 0" 0 "$STOP_STATUS"
	ok "stopped within 5 s ($STOP_MS ms)" test "$STOP_MS" -lt 5000
	answered=$(grep -c '^200 ' "$T/codes.stop")
	ok "some requests were answered before the stop ($answered)" test "$answered" -gt 0
	ok "and some refused after it" grep -q '^000 ' "$T/codes.stop"
	is "every answer is whole" "" "$(grep -v -E '^(200 35|000 0)$' "$T/codes.stop" | sort -u)"
fi
unlike "no error in the log" ' error: ' "$(cat "$SERVER_LOG")"

done_testing
