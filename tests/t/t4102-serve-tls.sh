#!/usr/bin/env bash
# inbeeld serve --tls-cert/--tls-key: HTTPS with a self-signed certificate made here, a
# Secure session cookie, plain HTTP refused on the TLS port, a non-loopback address allowed
# with TLS (and with --behind-proxy) but not without, and bad certificate options.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

new_store
ok "init" "$INBEELD" init
add_org
ok "a user" add_user anna leerplicht

ok "a self-signed certificate" openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
	-subj /CN=localhost -keyout "$T/key.pem" -out "$T/cert.pem"
chmod 600 "$T/key.pem"

fails 2 "--tls-cert without --tls-key" "$INBEELD" serve --listen 127.0.0.1:0 --tls-cert "$T/cert.pem"
like "says they go together" "go together" "$ERR"
fails 1 "a missing certificate file" timeout 10 "$INBEELD" serve --listen 127.0.0.1:0 \
	--tls-cert "$T/none.pem" --tls-key "$T/key.pem"
like "names the file" "cannot read the TLS certificate '$T/none.pem'" "$ERR"
printf 'not a key\n' >"$T/bad.pem"
fails 1 "a key file that is not PEM" timeout 10 "$INBEELD" serve --listen 127.0.0.1:0 \
	--tls-cert "$T/cert.pem" --tls-key "$T/bad.pem"
like "says so" "is not a PEM file" "$ERR"
fails 1 "without TLS a non-loopback address is refused" timeout 10 "$INBEELD" serve \
	--listen 0.0.0.0:0
like "and says what would allow it" "tls-cert.*behind-proxy" "$ERR"
fails 1 "a bad proxy address" timeout 10 "$INBEELD" serve --listen 0.0.0.0:0 \
	--behind-proxy proxy.example
like "names it" "proxy address 'proxy.example'" "$ERR"

# Start the server with TLS on a free port; the URL is what it prints.
start_tls() {
	local try port
	SERVER_OUT="$T/serve.out"
	SERVER_LOG="$T/serve.log"
	for try in 1 2 3 4 5; do
		port=$((20000 + RANDOM % 20001))
		: >"$SERVER_OUT"
		"$INBEELD" serve --listen "${LISTEN_HOST:-127.0.0.1}:$port" "$@" >"$SERVER_OUT" \
			2>"$SERVER_LOG" &
		SERVER_PID=$!
		for _ in $(seq 1 100); do
			grep -q '^listening on ' "$SERVER_OUT" && break
			kill -0 "$SERVER_PID" 2>/dev/null || break
			sleep 0.1
		done
		if grep -q '^listening on ' "$SERVER_OUT"; then
			URL="https://127.0.0.1:$port"
			return 0
		fi
		_kill_server
		grep -q 'Address already in use' "$SERVER_LOG" || break
	done
	sed 's/^/#   /' "$SERVER_LOG"
	return 1
}

ok "a certificate for 127.0.0.1" openssl req -x509 -newkey rsa:2048 -nodes -days 1 \
	-subj /CN=localhost -addext "subjectAltName=IP:127.0.0.1,DNS:localhost" \
	-keyout "$T/key.pem" -out "$T/cert.pem"
start_tls --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
is "serves with TLS" 0 $?
like "prints an https URL" '^listening on https://127\.0\.0\.1:[0-9]+/$' "$(grep '^listening' "$SERVER_OUT")"
ok "curl -k answers over https" curl -k -s -f --max-time 5 "$URL/healthz"
like "healthz ok" '"status":"ok"' "$OUT"
ok "and the certificate is the one given" curl -s -f --max-time 5 --cacert "$T/cert.pem" \
	"$URL/healthz"
fails 60 "an unknown certificate is not trusted without -k" curl -s --max-time 5 "$URL/healthz"
run curl -s -o /dev/null -w '%{http_code}' --max-time 5 "http://127.0.0.1:${URL##*:}/healthz"
unlike "plain HTTP on the TLS port gets no answer" '^200$' "$OUT"

# The helpers from lib-login.sh, over TLS.
printf 'insecure\n' >"$T/.curlrc"
export CURL_HOME="$T"
login anna
is "login over TLS" 200 "$STATUS"
cookie=$(printf '%s\n' "$HEADERS" | grep -i '^Set-Cookie:')
like "the session cookie is Secure" '; Secure' "$cookie"
like "and HttpOnly, SameSite=Strict" 'HttpOnly; SameSite=Strict' "$cookie"
as anna /api/v1/persons
is "persons with the session over TLS" 200 "$STATUS"
stop_server TERM
is "stopped" 0 "$STOP_STATUS"

# With TLS the server may listen on every address.
LISTEN_HOST=0.0.0.0 start_tls --tls-cert "$T/cert.pem" --tls-key "$T/key.pem"
is "TLS on 0.0.0.0 is allowed" 0 $?
ok "and answers" curl -k -s -f --max-time 5 "$URL/healthz"
stop_server TERM

# Behind a proxy: the server answers the proxy and loopback, and takes the client's address
# and scheme from the proxy's headers only.
unset CURL_HOME
start_server --behind-proxy 127.0.0.1
is "serves behind a proxy at 127.0.0.1" 0 $?
login anna
like "the proxy's X-Forwarded-Proto: https makes the cookie Secure" '; Secure' \
	"$(_request /api/v1/session -H 'Content-Type: application/json' -H 'X-Forwarded-Proto: https' \
		--data-binary "{\"username\":\"anna\",\"password\":\"$PASSWORD\"}"; printf '%s' "$HEADERS" | grep -i '^Set-Cookie:')"
_request /api/v1/session -H 'Content-Type: application/json' \
	-H 'X-Forwarded-For: 203.0.113.9, 198.51.100.7' \
	--data-binary "{\"username\":\"anna\",\"password\":\"$PASSWORD\"}"
is "login through the proxy" 200 "$STATUS"
stop_server TERM
sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}
is "the client is the address the proxy added last" "198.51.100.7" \
	"$(sql "SELECT client FROM audit_log WHERE action = 'session.login' ORDER BY id DESC LIMIT 1")"

# Without the proxy option the same headers prove nothing.
start_server
_request /api/v1/session -H 'Content-Type: application/json' -H 'X-Forwarded-For: 203.0.113.9' \
	-H 'X-Forwarded-Proto: https' --data-binary "{\"username\":\"anna\",\"password\":\"$PASSWORD\"}"
is "login without a proxy" 200 "$STATUS"
unlike "X-Forwarded-Proto from a client is ignored" 'Secure' "$(printf '%s\n' "$HEADERS" | grep -i '^Set-Cookie:')"
stop_server TERM
is "X-Forwarded-For from a client is ignored" "127.0.0.1" \
	"$(sql "SELECT client FROM audit_log WHERE action = 'session.login' ORDER BY id DESC LIMIT 1")"

done_testing
