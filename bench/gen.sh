#!/usr/bin/env bash
# Benchmark of `inbeeld gen`: generate a region of 1,000,000 young people (YOUTHS=…) and
# report rows per second and peak memory, then the same at a tenth of the size to show that
# memory stays flat. Target (docs/generator.md): 1,000,000 young people in under a minute.
#
# Peak memory is read with /usr/bin/time -v ("Maximum resident set size") when it is
# installed; otherwise from VmHWM in /proc/PID/status, polled while the generator runs (the
# high-water mark only rises, so the last reading before exit is the peak). The line printed
# says which one was used.
#
#   bench/gen.sh                  BUILD=build-san bench/gen.sh      YOUTHS=200000 bench/gen.sh
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INBEELD=${INBEELD:-$PWD/$BUILD/inbeeld}
YOUTHS=${YOUTHS:-1000000}
SEED=${SEED:-1}
AS_OF=${AS_OF:-2026-11-23}
WORK=$(mktemp -d /tmp/inbeeld-bench-gen.XXXXXX)
trap 'rm -rf "$WORK"' EXIT

[ -x "$INBEELD" ] || { echo "bench/gen.sh: $INBEELD not built (run make)" >&2; exit 1; }

# run N: generate N young people; sets ROWS, SECONDS_, PEAK_KB, BYTES and METHOD.
run() {
	local n=$1 dir="$WORK/region-$1"
	local cmd=("$INBEELD" gen --youths "$n" --seed "$SEED" --as-of "$AS_OF" --out "$dir" --json)
	if [ -x /usr/bin/time ]; then
		METHOD="/usr/bin/time -v (Maximum resident set size)"
		/usr/bin/time -v "${cmd[@]}" >"$WORK/gen.json" 2>"$WORK/time.txt"
		PEAK_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$WORK/time.txt")
	else
		METHOD="VmHWM from /proc/PID/status, polled every 10 ms"
		"${cmd[@]}" >"$WORK/gen.json" &
		local pid=$! v
		PEAK_KB=0
		while kill -0 "$pid" 2>/dev/null; do
			v=$(awk '/^VmHWM:/ { print $2 }' "/proc/$pid/status" 2>/dev/null || true)
			if [ -n "$v" ] && [ "$v" -gt "$PEAK_KB" ]; then PEAK_KB=$v; fi
			sleep 0.01
		done
		wait "$pid"
	fi
	ROWS=$(jq .rows "$WORK/gen.json")
	SECONDS_=$(jq .seconds "$WORK/gen.json")
	BYTES=$(du -sb "$dir" | cut -f1)
	rm -rf "$dir"
}

run "$YOUTHS"
big_rows=$ROWS big_s=$SECONDS_ big_kb=$PEAK_KB big_bytes=$BYTES
small=$((YOUTHS / 10))
run "$small"
awk -v n="$YOUTHS" -v rows="$big_rows" -v s="$big_s" -v kb="$big_kb" -v bytes="$big_bytes" \
	-v small="$small" -v skb="$PEAK_KB" -v method="$METHOD" 'BEGIN {
	printf "gen: %d young people, %d rows (%.0f MB) in %.2f s: %.0f rows/s, %.0f MB/s\n",
		n, rows, bytes / 1e6, s, rows / s, bytes / 1e6 / s
	printf "gen: peak memory %.1f MB at %d young people, %.1f MB at %d (%s)\n",
		kb / 1024, n, skb / 1024, small, method
	printf "gen: target under 60 s for 1,000,000: %s\n",
		n < 1000000 ? "not measured (YOUTHS < 1000000)" : (s < 60 ? "met" : "MISSED")
}'
