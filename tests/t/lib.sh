# Shared helpers for the black-box tests: each tests/t/tNNNN-area-detail.sh sources this file,
# drives the built binary ($INBEELD) against a store of its own, and speaks TAP.
#
#   new_store            fresh store and key file in INBEELD_DB / INBEELD_KEYFILE (not yet init)
#   ok DESC CMD...       passes when CMD exits 0
#   fails CODE DESC CMD... passes when CMD exits with CODE; its stderr is in $ERR
#   is DESC EXPECTED ACTUAL
#   like DESC REGEX ACTUAL
#   unlike DESC REGEX ACTUAL
#   done_testing
set -u
: "${INBEELD:?run through tests/run.sh or set INBEELD}"
INBEELD_SRC=${INBEELD_SRC:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}
SHARED=${SHARED:-$INBEELD_SRC/../shared}
[ -d "$SHARED" ] || SHARED=/work/shared
T=$(mktemp -d /tmp/inbeeld-t.XXXXXX)
export INBEELD_TODAY=${INBEELD_TODAY:-2026-11-23}
_n=0
_failed=0
_schemas=()
OUT=""
ERR=""

_cleanup() {
	for s in "${_schemas[@]}"; do
		psql -q "$INBEELD_TEST_PG" -c "DROP SCHEMA IF EXISTS $s CASCADE" >/dev/null 2>&1
	done
	rm -rf "$T"
}
trap _cleanup EXIT

# A fresh, empty store for this test on the back end under test.
new_store() {
	export INBEELD_KEYFILE="$T/inbeeld-$RANDOM.key"
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		local schema="t_$$_$RANDOM"
		psql -q "$INBEELD_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
		_schemas+=("$schema")
		export INBEELD_DB="$INBEELD_TEST_PG?options=-csearch_path%3D$schema"
		export INBEELD_SCHEMA=$schema
	else
		export INBEELD_DB="$T/inbeeld-$RANDOM.db"
	fi
}

# Run a command, keeping stdout in $OUT and stderr in $ERR; returns its status.
run() {
	local rc
	OUT=$("$@" 2>"$T/.stderr")
	rc=$?
	ERR=$(cat "$T/.stderr")
	return $rc
}

_report() { # status description [diagnostics]
	_n=$((_n + 1))
	if [ "$1" -eq 0 ]; then
		echo "ok $_n - $2"
	else
		_failed=$((_failed + 1))
		echo "not ok $_n - $2"
		[ -n "${3:-}" ] && printf '%s\n' "$3" | sed 's/^/# /'
	fi
}

ok() {
	local desc=$1
	shift
	run "$@"
	local rc=$?
	_report $((rc != 0)) "$desc" "command: $*
exit status $rc
stdout: $OUT
stderr: $ERR"
}

fails() {
	local code=$1 desc=$2
	shift 2
	run "$@"
	local rc=$?
	_report $((rc != code)) "$desc" "command: $*
expected exit status $code, got $rc
stdout: $OUT
stderr: $ERR"
}

is() {
	local rc=1
	[ "$2" = "$3" ] && rc=0
	_report $rc "$1" "expected: $2
got:      $3"
}

like() {
	local rc=1
	printf '%s' "$3" | grep -q -E -- "$2" && rc=0
	_report $rc "$1" "expected to match: $2
got: $3"
}

unlike() {
	local rc=0
	printf '%s' "$3" | grep -q -E -- "$2" && rc=1
	_report $rc "$1" "expected not to match: $2
got: $3"
}

done_testing() {
	echo "1..$_n"
	[ "$_failed" -eq 0 ]
}
