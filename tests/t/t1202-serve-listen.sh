#!/usr/bin/env bash
# inbeeld serve: where it may listen (loopback literals only, IPv4 and IPv6), a port in use,
# bad options, a store that is not ready, and a stop on SIGINT.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"

new_store
fails 1 "refuses to serve a store without schema" timeout 10 "$INBEELD" serve --listen 127.0.0.1:0
like "names the cause" "inbeeld init" "$ERR"
ok "init" "$INBEELD" init

for addr in 0.0.0.0:8080 192.0.2.1:8080 '[::]:8080' '[2001:db8::1]:8080'; do
	fails 1 "refuses non-loopback $addr" timeout 10 "$INBEELD" serve --listen "$addr"
	like "says why for $addr" "not a loopback address" "$ERR"
done
for addr in localhost:8080 127.0.0.1 127.0.0.1:99999 '::1:8080' 'http://127.0.0.1:80'; do
	fails 2 "usage error for --listen $addr" timeout 10 "$INBEELD" serve --listen "$addr"
	like "names the address $addr" "listen address" "$ERR"
done
fails 2 "--threads 0 is a usage error" timeout 10 "$INBEELD" serve --threads 0
fails 2 "--threads 65 is a usage error" timeout 10 "$INBEELD" serve --threads 65
fails 1 "token file in a missing directory" timeout 10 "$INBEELD" serve --listen 127.0.0.1:0 \
	--token-file "$T/no/such/dir/token"
like "names the token file" "token file '$T/no/such/dir/token'" "$ERR"

start_server --threads 3
is "serves with 3 threads" 0 $?
like "logs the thread count" "with 3 threads" "$(cat "$SERVER_LOG")"
port=${URL##*:}
fails 1 "a port in use is an error" timeout 10 "$INBEELD" serve --listen "127.0.0.1:$port"
like "says the address is in use" "cannot listen on 127\.0\.0\.1:$port: Address already in use" \
	"$ERR"
get /healthz
is "the first server still answers" 200 "$STATUS"
stop_server INT
is "SIGINT: exit status 0" 0 "$STOP_STATUS"
like "SIGINT: logged" "SIGINT received" "$(cat "$SERVER_LOG")"

# IPv6 loopback, when this machine has it.
if "$INBEELD" serve --listen '[::1]:0' >"$T/v6.out" 2>"$T/v6.log" &
	pid=$!
	for i in $(seq 1 50); do grep -q '^listening' "$T/v6.out" && break; sleep 0.1; done
	grep -q '^listening' "$T/v6.out"
then
	url=$(sed -n 's/^listening on //p' "$T/v6.out")
	like "IPv6 URL" '^http://\[::1\]:[0-9]+/$' "$url"
	ok "IPv6 healthz" curl -s -g -f --max-time 5 "${url}healthz"
	like "IPv6 healthz body" '"status":"ok"' "$OUT"
	token=$(sed -n 's/^API token: //p' "$T/v6.out")
	ok "IPv6 with token" curl -s -g -f --max-time 5 -H "Authorization: Bearer $token" \
		"${url}api/v1/organisations"
	like "IPv6 organisation list" '"count":0' "$OUT"
	kill -TERM "$pid"
	wait "$pid"
	is "IPv6 server stops with 0" 0 $?
else
	kill -KILL "$pid" 2>/dev/null
	wait "$pid" 2>/dev/null
	like "IPv6 unavailable here: says so" "cannot listen on \[::1\]" "$(cat "$T/v6.log")"
fi

done_testing
