#!/usr/bin/env bash
# inbeeld person show KEY --on DATE: the person with their status on that date, the same
# status that `inbeeld status` gives. Also: an import is followed by a run of the signal rules.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null
"$INBEELD" gen --youths 60 --seed 11 --out "$T/feeds" >/dev/null
ok "the generated region imports" "$INBEELD" import all "$T/feeds"
like "and the signal rules run over it afterwards" "^signals: [0-9]+ persons looked at" "$OUT"
ok "signals were raised without a separate run" "$INBEELD" signals list --open --json
like "with their rule" '"rule"' "$OUT"
key=$("$INBEELD" person list --json --limit 1 | sed -n 's/.*"key": *"\([0-9a-f]\{64\}\)".*/\1/p' | head -1)
like "a person key is listed" "^[0-9a-f]{64}$" "$key"

ok "person show --on answers" "$INBEELD" person show "$key" --on 2026-10-01 --json
like "with the identifying data" '"pii"' "$OUT"
like "and the status" '"status"' "$OUT"
shown=$(printf '%s' "$OUT" | jq -S '.status')
ok "status gives a status" "$INBEELD" status "$key" --on 2026-10-01 --json
is "the same status as the status command" "$(printf '%s' "$OUT" | jq -S '.')" "$shown"

ok "person show --on in text" "$INBEELD" person show "$key" --on 2026-10-01
like "names the date" "status on 2026-10-01" "$OUT"
fails 2 "a bad date is a usage error" "$INBEELD" person show "$key" --on 2026-13-01
done_testing
