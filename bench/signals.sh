#!/usr/bin/env bash
# Benchmark: the signal rules over a generated region (docs/signals.md). Steps:
#   1. inbeeld gen --youths YOUTHS (default 1,000,000) and `inbeeld import all` (timed, for
#      information); with KEEP=DIR the imported store is kept in DIR (SQLite) and later runs
#      with the same KEEP and YOUTHS start from a copy of it instead;
#   2. a baseline: every feed record read once in person order by the back end's own client
#      (sqlite3 or psql), no evaluation, to tell a slow machine from a slow run;
#   3. the first full run: signals run --full on the as-of date with no signal stored yet
#      (timed: every person, every rule, and every signal and next check day written);
#   4. a small delta: 1% of the absence reports get a new status (Afgesloten), imported as an
#      absence delta; then an incremental run on the same date (timed: the changed persons
#      only), and one more with no one to visit (timed: what every run costs);
#   5. the second full run (timed: every person and rule again, with nearly nothing to write:
#      the evaluation and the comparison with the stored signals).
# Prints the figures, the processor seconds (user + system) of each run, the load average,
# each full run's ratio to the baseline, and at the end the three times side by side. Target
# (issue 5): full under 5 s at 1M youths on 2 cores; incremental in proportion to the
# changed persons. BACKEND=postgresql with INBEELD_TEST_PG runs it on PostgreSQL. THREADS=N
# passes --threads N to the full runs.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INBEELD=$PWD/$BUILD/inbeeld
YOUTHS=${YOUTHS:-1000000}
AS_OF=${AS_OF:-2026-11-23}
THREADS=${THREADS:-}
make -s "$BUILD/inbeeld"
work=$(mktemp -d /tmp/inbeeld-bench-signals.XXXXXX)
trap 'rm -rf "$work"' EXIT
export INBEELD_KEYFILE=$work/inbeeld.key INBEELD_TODAY=$AS_OF
pg=false
if [ "${BACKEND:-sqlite}" = postgresql ]; then
	pg=true
	schema=bench_signals_$$
	psql -q "$INBEELD_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
	trap 'psql -q "$INBEELD_TEST_PG" -c "SET client_min_messages = warning; DROP SCHEMA $schema CASCADE" >/dev/null; rm -rf "$work"' EXIT
	export INBEELD_DB="$INBEELD_TEST_PG?options=-csearch_path%3D$schema"
else
	export INBEELD_DB=$work/inbeeld.db
fi

timed() { # sets SECS, CPU and PEAK_MB; the command's output is in $work/out
	/usr/bin/time -f "%e %U %S %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
	read -r SECS USER_S SYS_S PEAK_KB <"$work/time"
	CPU=$(echo "$USER_S + $SYS_S" | bc)
	PEAK_MB=$((PEAK_KB / 1024))
}
load() { cut -d' ' -f1-3 /proc/loadavg; }

printf 'machine:      %s cores, load average %s at the start\n' "$(nproc)" "$(load)"
kept=${KEEP:+$KEEP/signals-$YOUTHS}
if ! $pg && [ -n "$kept" ] && [ -f "$kept/inbeeld.db" ]; then
	cp "$kept/inbeeld.db" "$INBEELD_DB"
	cp "$kept/inbeeld.key" "$INBEELD_KEYFILE"
	cp "$kept/absence.csv" "$work/absence.csv"
	"$INBEELD" init >/dev/null # a newer schema, if the binary has one
	printf 'store:        %d youths, copied from %s\n' "$YOUTHS" "$kept"
else
	timed "$INBEELD" gen --youths "$YOUTHS" --seed 7 --out "$work/feeds" --as-of "$AS_OF"
	printf 'gen:          %d youths in %.1f s\n' "$YOUTHS" "$SECS"
	"$INBEELD" init >/dev/null
	timed "$INBEELD" import all "$work/feeds" --no-signals
	printf 'import all:   %.1f s\n' "$SECS"
	cp "$work/feeds/absence.csv" "$work/absence.csv"
	if ! $pg && [ -n "$kept" ]; then
		mkdir -p "$kept"
		sqlite3 "$INBEELD_DB" "PRAGMA wal_checkpoint(TRUNCATE)" >/dev/null
		cp "$INBEELD_DB" "$kept/inbeeld.db"
		cp "$INBEELD_KEYFILE" "$kept/inbeeld.key"
		cp "$work/absence.csv" "$kept/absence.csv"
	fi
fi

baseline_sql="SELECT COUNT(*), SUM(LENGTH(content)) FROM feed_records"
if $pg; then
	timed psql -At "$INBEELD_DB" -c "$baseline_sql"
else
	timed sqlite3 "$INBEELD_DB" "$baseline_sql"
fi
BASE=$SECS
printf 'baseline:     every record read once in %.2f s (%s)\n' "$BASE" "$(tr '|' ' ' <"$work/out" | awk '{print $1 " records"}')"

threads=${THREADS:+--threads $THREADS}
# shellcheck disable=SC2086
timed "$INBEELD" signals run --on "$AS_OF" --full $threads --json
FIRST=$SECS
printf 'first full:   %.2f s wall, %.2f s processor, peak %d MiB, %.1f× the baseline: %s\n' \
	"$SECS" "$CPU" "$PEAK_MB" "$(echo "$SECS / $BASE" | bc -l)" \
	"$(jq -c '{persons, raised, open, seconds}' "$work/out")"

# The delta: every 100th report's last row, now closed on the as-of date.
awk -F';' -v OFS=';' -v d="$AS_OF" 'NR == 1 { print; next } { last[$1] = $0 }
	END { n = 0; for (k in last) if (n++ % 100 == 0) { split(last[k], f, ";");
		f[10] = "Afgesloten"; f[11] = d; line = f[1];
		for (i = 2; i <= 11; i++) line = line ";" f[i]; print line } }' \
	"$work/absence.csv" >"$work/absence-delta.csv"
delta_rows=$(($(wc -l <"$work/absence-delta.csv") - 1))
timed "$INBEELD" import absence "$work/absence-delta.csv" --source duo:DUO --as-of "$AS_OF" --mode delta --no-signals
printf 'delta:        %d absence status rows imported in %.2f s\n' "$delta_rows" "$SECS"
timed "$INBEELD" signals run --on "$AS_OF" --json
INCR=$SECS
INCR_PERSONS=$(jq '.persons' "$work/out")
printf 'incremental:  %.2f s wall, %.2f s processor: %s\n' "$SECS" "$CPU" \
	"$(jq -c '{persons, raised, resolved, reopened, seconds}' "$work/out")"
timed "$INBEELD" signals run --on "$AS_OF" --json
printf 'nothing new:  %.2f s wall (an incremental run with no one to visit): %s\n' "$SECS" \
	"$(jq -c '{persons, seconds}' "$work/out")"
# shellcheck disable=SC2086
timed "$INBEELD" signals run --on "$AS_OF" --full $threads --json
SECOND=$SECS
printf 'second full:  %.2f s wall, %.2f s processor, peak %d MiB, %.1f× the baseline: %s\n' \
	"$SECS" "$CPU" "$PEAK_MB" "$(echo "$SECS / $BASE" | bc -l)" \
	"$(jq -c '{persons, raised, resolved, seconds}' "$work/out")"
printf 'machine:      load average %s at the end\n' "$(load)"
printf 'summary:      %d youths: first full run %.2f s, second full run %.2f s, incremental %.2f s (%s persons); target: a full run under 5 s at 1,000,000 on 2 cores\n' \
	"$YOUTHS" "$FIRST" "$SECOND" "$INCR" "$INCR_PERSONS"
