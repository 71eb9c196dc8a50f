#!/usr/bin/env bash
# Run every test: the cmocka unit tests (build/tests/u-*) and the black-box scripts
# (tests/t/t*.sh), on SQLite and, when INBEELD_TEST_PG names a PostgreSQL database, on
# PostgreSQL too; then the browser tests (tests/e2e) once, when chromium and their
# node_modules are installed. Every test speaks TAP; this script counts the lines and ends with
#   N passed, N failed
# Set TESTS=pattern to run only matching files; VERBOSE=1 to see every line.
set -u
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
export INBEELD="$PWD/$BUILD/inbeeld"
export INBEELD_SRC="$PWD"
export CMOCKA_MESSAGE_OUTPUT=TAP
pattern=${TESTS:-}

backends=(sqlite)
[ -n "${INBEELD_TEST_PG:-}" ] && backends+=(postgresql)

passed=0
failed=0
failures=()
log_dir=$(mktemp -d /tmp/inbeeld-tests.XXXXXX)

run_one() { # backend name command...
	local backend=$1 name=$2
	shift 2
	local log="$log_dir/$backend-$(basename "$name").log"
	INBEELD_TEST_BACKEND=$backend "$@" >"$log" 2>&1
	local rc=$?
	local ok nok
	ok=$(grep -c -E '^ok ' "$log")
	nok=$(grep -c -E '^not ok ' "$log")
	if [ "$rc" -ne 0 ] && [ "$nok" -eq 0 ]; then
		nok=1 # died before saying what failed
		echo "not ok - $name exited with status $rc" >>"$log"
	fi
	passed=$((passed + ok))
	failed=$((failed + nok))
	if [ "$nok" -gt 0 ]; then
		failures+=("$backend $name")
		echo "FAIL [$backend] $name ($ok passed, $nok failed)"
		grep -E -B2 -A12 '^not ok ' "$log" | head -60 | sed 's/^/    /'
	else
		echo "ok   [$backend] $name ($ok passed)"
	fi
	[ "${VERBOSE:-}" = 1 ] && sed 's/^/    /' "$log"
	return 0
}

for backend in "${backends[@]}"; do
	for bin in "$BUILD"/tests/u-*; do
		[ -x "$bin" ] || continue
		[ -n "$pattern" ] && [[ "$bin" != *$pattern* ]] && continue
		run_one "$backend" "$(basename "$bin")" "$bin"
	done
	for script in tests/t/t*.sh; do
		[ -f "$script" ] || continue
		[ -n "$pattern" ] && [[ "$script" != *$pattern* ]] && continue
		run_one "$backend" "$(basename "$script" .sh)" bash "$script"
	done
	# The browser tests (tests/e2e, playwright-core + chromium) drive the server over HTTP;
	# the back end makes no difference to them, so they run once, after SQLite's scripts.
	if [ "$backend" = sqlite ] && [ -x /usr/bin/chromium ] && [ -d tests/e2e/node_modules ] &&
		{ [ -z "$pattern" ] || [[ tests/e2e/run.mjs == *$pattern* ]]; }; then
		run_one "$backend" e2e node tests/e2e/run.mjs
	fi
done

if [ ${#failures[@]} -gt 0 ]; then
	echo
	echo "failed:"
	printf '  %s\n' "${failures[@]}"
	echo "logs: $log_dir"
else
	rm -rf "$log_dir"
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
