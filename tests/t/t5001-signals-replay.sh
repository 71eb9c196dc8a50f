#!/usr/bin/env bash
# Replay: running the rules day by day (incrementally) over a generated region's history
# gives the same open signals as one full run on the last day; and a full run right after
# changes nothing.
. "$(dirname "$0")/lib.sh"
new_store
ok "init" "$INBEELD" init
ok "generate" "$INBEELD" gen --youths 400 --seed 7 --out "$T/gen" --as-of 2026-11-23
ok "import" "$INBEELD" import all "$T/gen" --no-signals

open_set() {
	"$INBEELD" signals list --open --json |
		jq -r '.[] | "\(.rule) \(.org) \(.role) \(.episode) \(.detail)"' | sort
}

# Day by day from 1 September to 23 November 2026.
ok "first run" "$INBEELD" signals run --on 2026-09-01
day=2026-09-02
fails_seen=0
while [ "$day" != 2026-11-24 ]; do
	"$INBEELD" signals run --on "$day" >/dev/null 2>&1 || fails_seen=$((fails_seen + 1))
	day=$(date -u -d "$day + 1 day" +%F)
done
is "every daily run succeeded" 0 "$fails_seen"
DAILY=$(open_set)
ok "some signals are open" test -n "$DAILY"
run "$INBEELD" signals run --on 2026-11-23 --full --json
is "a full run raises nothing new" 0 "$(jq .raised <<<"$OUT")"
is "a full run resolves nothing" 0 "$(jq .resolved <<<"$OUT")"
is "a full run updates nothing" 0 "$(jq .updated <<<"$OUT")"

# The same region, evaluated once on the last day (a new key file: other person keys, so
# the signals are compared without them).
new_store
ok "init again" "$INBEELD" init
ok "import again" "$INBEELD" import all "$T/gen" --no-signals
ok "one full run" "$INBEELD" signals run --on 2026-11-23 --full
ONCE=$(open_set)
is "same open signals" "$ONCE" "$DAILY"
done_testing
