#!/usr/bin/env bash
# inbeeld demo: creates a region of synthetic young people on SQLite, reuses it when run
# again, and serves it: healthz answers and the API lists organisations and people.
. "$(dirname "$0")/lib.sh"

# The demo is always SQLite in its own folder, whatever the back end under test.
cd "$T"
ok "demo creates a region" "$INBEELD" demo --dir "$T/demo" --youths 300 --seed 3 --no-serve
like "it reports the municipalities" "16 municipalities" "$OUT"
like "it reports the young people" "generated 300 young people" "$OUT"
is "the key file is private" 600 "$(stat -c %a "$T/demo/inbeeld.key")"
is "the users file is private" 600 "$(stat -c %a "$T/demo/users.txt")"
is "one demo user per role" "leerplicht rmc school care jobcoach policy admin auditor editor" \
	"$(grep -v '^#' "$T/demo/users.txt" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
like "the passwords are printed once" "^  leerplicht +[A-Za-z0-9]{20}  \(municipality:GM" "$OUT"
export INBEELD_DB="$T/demo/inbeeld.db" INBEELD_KEYFILE="$T/demo/inbeeld.key"
ok "the demo store lists organisations" "$INBEELD" org list --json
like "with schools among them" '"school"' "$OUT"
ok "and young people" "$INBEELD" person list --json --limit 5
like "with a total" '"total": [1-9][0-9]*' "$OUT"

ok "the demo's history came in through the feeds" "$INBEELD" import list --json
like "enrolment snapshots of several school years" '"enrolments_20[0-9]{2}-10-01.csv"' "$OUT"
is "all ten files of the manifest were imported" 10 "$(printf '%s' "$OUT" | jq 'length')"
like "the vrijstellingen among them" '"feed": "vrijstellingen"' "$OUT"
ok "the signal rules ran over it" "$INBEELD" signals list --open --json
like "and raised signals" '"rule"' "$OUT"

ok "a second demo run reuses the region" "$INBEELD" demo --dir "$T/demo" --no-serve
like "and says so" "using the region already in" "$OUT"

port=$((20000 + RANDOM % 20000))
"$INBEELD" demo --dir "$T/demo" --listen "127.0.0.1:$port" >"$T/serve.out" 2>"$T/serve.err" &
pid=$!
for _ in $(seq 1 100); do
	curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done
ok "the served demo answers /healthz" curl -fsS "http://127.0.0.1:$port/healthz"
like "healthz says ok" '"ok"' "$OUT"
token=$(sed -n 's/^API token: \([0-9a-f]*\).*/\1/p' "$T/serve.out")
ok "the API lists organisations" curl -fsS -H "Authorization: Bearer $token" \
	"http://127.0.0.1:$port/api/v1/organisations"
like "as JSON with schools" '"school"' "$OUT"
password=$(awk '$1 == "leerplicht" {print $2}' "$T/demo/users.txt")
ok "the demo leerplicht user logs in" curl -fsS -c "$T/jar" -H 'Content-Type: application/json' \
	--data-binary "{\"username\":\"leerplicht\",\"password\":\"$password\"}" \
	"http://127.0.0.1:$port/api/v1/session"
ok "the API lists people" curl -fsS -b "$T/jar" \
	"http://127.0.0.1:$port/api/v1/persons?limit=3"
like "with their pseudonymous keys" '"key": *"[0-9a-f]{64}"' "$OUT"
kill -TERM "$pid"
wait "$pid"
is "SIGTERM stops the demo cleanly" 0 "$?"
done_testing
