#!/bin/sh
# A throwaway PostgreSQL 15 cluster for the tests: initdb into a temporary folder, run by the
# unprivileged 'postgres' user, listening on a loopback port only.
#
#   scripts/pg-cluster.sh start [PORT]   prints the URL of an empty database 'inbeeld'
#   scripts/pg-cluster.sh stop DIR       stops the cluster whose folder is DIR and removes it
#
# The folder is printed on the second line of 'start', for 'stop'.
set -eu
PGBIN=${PGBIN:-/usr/lib/postgresql/15/bin}

run_as_postgres() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

case "${1:-}" in
start)
	port=${2:-55432}
	dir=$(mktemp -d /tmp/inbeeld-pg.XXXXXX)
	chmod 755 "$dir"
	[ "$(id -u)" = 0 ] && chown postgres "$dir"
	run_as_postgres "$PGBIN/initdb" -D "$dir/data" -A trust -U inbeeld -E UTF8 \
		--locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1
	run_as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
		-o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c fsync=off \
		    -c synchronous_commit=off -c full_page_writes=off -c max_connections=200" \
		start >/dev/null
	"$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U inbeeld inbeeld
	echo "postgresql://inbeeld@127.0.0.1:$port/inbeeld"
	echo "$dir"
	;;
stop)
	dir=${2:?usage: pg-cluster.sh stop DIR}
	run_as_postgres "$PGBIN/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null 2>&1 || true
	rm -rf "$dir"
	;;
*)
	echo "usage: pg-cluster.sh start [PORT] | stop DIR" >&2
	exit 2
	;;
esac
