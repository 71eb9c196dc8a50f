#!/usr/bin/env bash
# Benchmark: the signal rules over a generated region (docs/signals.md). Steps:
#   1. inbeeld gen --youths YOUTHS (default 1,000,000) and `inbeeld import all` (timed, for
#      information);
#   2. signals run --full on the as-of date (timed: every person, every rule);
#   3. a small delta: 1% of the absence reports get a new status (Afgesloten), imported as an
#      absence delta; then an incremental signals run on the same date (timed);
#   4. a second full run (timed: nothing changes, so this is the evaluation without writes).
# Prints the figures. Target (issue 5): full under 5 s at 1M youths on 2 cores; incremental
# in proportion to the changed persons. BACKEND=postgresql with INBEELD_TEST_PG runs it on
# PostgreSQL.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INBEELD=$PWD/$BUILD/inbeeld
YOUTHS=${YOUTHS:-1000000}
AS_OF=${AS_OF:-2026-11-23}
make -s "$BUILD/inbeeld"
work=$(mktemp -d /tmp/inbeeld-bench-signals.XXXXXX)
trap 'rm -rf "$work"' EXIT
export INBEELD_KEYFILE=$work/inbeeld.key INBEELD_TODAY=$AS_OF
if [ "${BACKEND:-sqlite}" = postgresql ]; then
	schema=bench_signals_$$
	psql -q "$INBEELD_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
	trap 'psql -q "$INBEELD_TEST_PG" -c "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" >/dev/null; rm -rf "$work"' EXIT
	export INBEELD_DB="$INBEELD_TEST_PG?options=-csearch_path%3D$schema"
else
	export INBEELD_DB=$work/inbeeld.db
fi

timed() { # sets SECS and PEAK_MB; the command's output is in $work/out
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
	read -r SECS PEAK_KB <"$work/time"
	PEAK_MB=$((PEAK_KB / 1024))
}

timed "$INBEELD" gen --youths "$YOUTHS" --seed 7 --out "$work/feeds" --as-of "$AS_OF"
printf 'gen:          %d youths in %.1f s\n' "$YOUTHS" "$SECS"
"$INBEELD" init >/dev/null
timed "$INBEELD" import all "$work/feeds"
printf 'import all:   %.1f s\n' "$SECS"

timed "$INBEELD" signals run --on "$AS_OF" --full --json
printf 'full run:     %.2f s wall, peak %d MiB: %s\n' "$SECS" "$PEAK_MB" \
	"$(jq -c '{persons, raised, open, seconds}' "$work/out")"

# The delta: every 100th report's last row, now closed on the as-of date.
awk -F';' -v OFS=';' -v d="$AS_OF" 'NR == 1 { print; next } { last[$1] = $0 }
	END { n = 0; for (k in last) if (n++ % 100 == 0) { split(last[k], f, ";");
		f[10] = "Afgesloten"; f[11] = d; line = f[1];
		for (i = 2; i <= 11; i++) line = line ";" f[i]; print line } }' \
	"$work/feeds/absence.csv" >"$work/absence-delta.csv"
delta_rows=$(($(wc -l <"$work/absence-delta.csv") - 1))
timed "$INBEELD" import absence "$work/absence-delta.csv" --source duo:DUO --as-of "$AS_OF" --mode delta
printf 'delta:        %d absence status rows imported in %.2f s\n' "$delta_rows" "$SECS"
timed "$INBEELD" signals run --on "$AS_OF" --json
printf 'incremental:  %.2f s wall: %s\n' "$SECS" \
	"$(jq -c '{persons, raised, resolved, reopened, seconds}' "$work/out")"
timed "$INBEELD" signals run --on "$AS_OF" --full --json
printf 'full again:   %.2f s wall, peak %d MiB: %s\n' "$SECS" "$PEAK_MB" \
	"$(jq -c '{persons, raised, resolved, seconds}' "$work/out")"
