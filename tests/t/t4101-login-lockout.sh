#!/usr/bin/env bash
# Brute force against POST /api/v1/session: after 5 wrong passwords in a row the account is
# locked (429 with Retry-After), even the right password is refused while it lasts, the lock
# is audited; and a wrong user name takes about as long as a wrong password (medians of 10).
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
ok "a user to attack" add_user anna rmc
ok "a user to time" add_user tim rmc
start_server
is "server up" 0 $?

for i in 1 2 3 4; do
	login anna "wrong password number $i"
	is "failure $i: 401" 401 "$STATUS"
done
login anna "wrong password number 5"
is "the fifth failure still answers 401" 401 "$STATUS"
is "and locks the account" 1 "$(sql "SELECT count(*) FROM users WHERE username = 'anna' AND locked_until > 0")"
login anna
is "locked: the right password is refused" 429 "$STATUS"
like "says it is locked" '"code":"locked"' "$BODY"
like "Retry-After about 30 s" '^Retry-After: (29|30)$' "$(printf '%s\n' "$HEADERS" | grep -i '^Retry-After')"
login anna "wrong password number 6"
is "locked: a wrong one too" 429 "$STATUS"
is "no session was made" 0 "$(sql "SELECT count(*) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.username = 'anna'")"
ok "the operator can lift the lock" "$INBEELD" user enable anna
login anna
is "then the right password works" 200 "$STATUS"
is "and the count is reset" 0 "$(sql "SELECT failed_attempts FROM users WHERE username = 'anna'")"
is "the lock-out is audited once" 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'session.locked' AND actor = 'anna'")"
like "with its length" 'locked for 30 s after 5 failures' \
	"$(sql "SELECT detail FROM audit_log WHERE action = 'session.locked'")"

# Timing: a wrong user name against a wrong password, 10 tries each, interleaved; a good
# login after each wrong password keeps the account from locking.
median() { sort -n | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }
timed_login() { # name password
	local body
	body=$(jq -cn --arg u "$1" --arg p "$2" '{username: $u, password: $p}')
	curl -s -o /dev/null -w '%{time_total}\n' --max-time 10 -H 'Content-Type: application/json' \
		--data-binary "$body" "$URL/api/v1/session"
}
timed_login nobody-at-all "warm up the dummy hash" >/dev/null
: >"$T/user.times"
: >"$T/pass.times"
for i in $(seq 1 10); do
	timed_login "nobody-$i" "$PASSWORD" >>"$T/user.times"
	timed_login tim "not the right one $i" >>"$T/pass.times"
	login tim >/dev/null
done
mu=$(median <"$T/user.times")
mp=$(median <"$T/pass.times")
echo "# median wrong user ${mu}s, wrong password ${mp}s"
ok "wrong user and wrong password take alike time (${mu}s vs ${mp}s: within 0.5-2x)" \
	awk -v a="$mu" -v b="$mp" 'BEGIN {r = a / b; exit !(r >= 0.5 && r <= 2)}'
ok "both do the argon2id work (over 5 ms)" awk -v a="$mu" -v b="$mp" 'BEGIN {exit !(a > 0.005 && b > 0.005)}'

stop_server TERM
is "stopped" 0 "$STOP_STATUS"
unlike "no password in the log" "wrong password number|$PASSWORD" "$(cat "$SERVER_LOG")"
done_testing
