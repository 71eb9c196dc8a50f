#!/usr/bin/env bash
# Benchmark: generate a region of YOUTHS young people (default 1,000,000) and load its registry
# (municipalities, organisations, persons with pseudonyms, sealed identifying data and blind
# indexes). Prints rows/s and peak memory of each step, and the person load's rate as a ratio
# against a bare prepared-INSERT loop of the same rows into SQLite, measured in the same run.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INBEELD=$PWD/$BUILD/inbeeld
BASELINE=$PWD/$BUILD/bench/baseline-insert
YOUTHS=${YOUTHS:-1000000}
make -s "$BUILD/inbeeld" "$BUILD/bench/baseline-insert"
work=$(mktemp -d /tmp/inbeeld-bench.XXXXXX)
trap 'rm -rf "$work"' EXIT
export INBEELD_DB=$work/inbeeld.db INBEELD_KEYFILE=$work/inbeeld.key

# Run a command under /usr/bin/time; sets SECS and PEAK_MB.
timed() {
	/usr/bin/time -f "%e %M" -o "$work/time" "$@" >"$work/out" 2>&1 || { cat "$work/out"; exit 1; }
	read -r SECS PEAK_KB <"$work/time"
	PEAK_MB=$((PEAK_KB / 1024))
}

timed "$INBEELD" gen --youths "$YOUTHS" --seed 7 --out "$work/feeds"
rows=$(($(wc -l <"$work/feeds/residence.csv") - 1))
printf 'gen:          %d youths in %.2f s (%.0f youths/s), peak %d MiB\n' \
	"$YOUTHS" "$SECS" "$(echo "$YOUTHS / $SECS" | bc -l)" "$PEAK_MB"

"$INBEELD" init >/dev/null
"$INBEELD" region load data/regions/demo_region_zuid_limburg.csv >/dev/null
timed "$INBEELD" org load "$work/feeds/organisations.csv"
printf 'org load:     %.2f s, peak %d MiB\n' "$SECS" "$PEAK_MB"

timed "$INBEELD" person load "$work/feeds/residence.csv"
load_secs=$SECS
load_rps=$(echo "$rows / $load_secs" | bc -l)
printf 'person load:  %d rows in %.2f s = %.0f rows/s, peak %d MiB\n' \
	"$rows" "$load_secs" "$load_rps" "$PEAK_MB"

read -r _ base_rows _ base_secs _ base_rps < <("$BASELINE" "$work/base.db" "$work/feeds/residence.csv")
printf 'baseline:     %d rows in %.2f s = %.0f rows/s (bare prepared INSERT, same rows)\n' \
	"$base_rows" "$base_secs" "$base_rps"
printf 'ratio:        person load / baseline = %.2f\n' "$(echo "$load_rps / $base_rps" | bc -l)"
