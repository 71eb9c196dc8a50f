#!/usr/bin/env bash
# The whole test suite, as `make check` runs it: on SQLite, and on PostgreSQL 15 in a
# throwaway cluster on a loopback port (started here unless INBEELD_TEST_PG names one, or
# INBEELD_NO_PG=1). Ends with the line "N passed, N failed" from tests/run.sh.
set -u
cd "$(dirname "$0")/.."
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}
cluster_dir=""

stop_cluster() {
	[ -n "$cluster_dir" ] && scripts/pg-cluster.sh stop "$cluster_dir"
}

if [ -z "${INBEELD_TEST_PG:-}" ] && [ "${INBEELD_NO_PG:-}" != 1 ]; then
	if [ -x "$PGBIN/initdb" ]; then
		for attempt in 1 2 3 4 5; do
			port=$((40000 + RANDOM % 10000))
			if info=$(scripts/pg-cluster.sh start "$port" 2>/dev/null); then
				INBEELD_TEST_PG=$(echo "$info" | sed -n 1p)
				cluster_dir=$(echo "$info" | sed -n 2p)
				export INBEELD_TEST_PG
				trap stop_cluster EXIT
				break
			fi
		done
		[ -z "${INBEELD_TEST_PG:-}" ] && echo "warning: could not start PostgreSQL; testing SQLite only" >&2
	else
		echo "note: PostgreSQL 15 is not installed ($PGBIN); testing SQLite only" >&2
	fi
fi
[ -n "${INBEELD_TEST_PG:-}" ] && echo "PostgreSQL for the tests: $INBEELD_TEST_PG"
tests/run.sh
