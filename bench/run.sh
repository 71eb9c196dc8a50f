#!/usr/bin/env bash
# Run every benchmark in bench/ (each prints its figures and a ratio against a baseline
# measured in the same run). BENCH=name runs one; YOUTHS=N changes the size (default 1,000,000).
set -u
cd "$(dirname "$0")/.."
export BUILD=${BUILD:-build}
for b in bench/*.sh; do
	[ -n "${BENCH:-}" ] && [[ "$b" != *"$BENCH"* ]] && continue
	echo "== $b"
	bash "$b" || echo "benchmark $b failed"
done
