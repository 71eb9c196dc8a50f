#!/bin/sh
# Install the Debian 12 packages that building, testing and the demo need. Idempotent and
# quiet when everything is there already; run as root (or through sudo).
#
#   scripts/install-deps.sh           build and test dependencies
#   scripts/install-deps.sh --browser also Chromium and Node.js for the browser tests
#   scripts/install-deps.sh --bench   also wrk and nginx for bench/access-http.sh
set -eu

packages="build-essential pkg-config ca-certificates curl
libsqlite3-dev sqlite3 libpq-dev postgresql-15 postgresql-client-15
libmicrohttpd-dev libjansson-dev libsodium-dev nettle-dev libcmocka-dev libcmark-dev libstemmer-dev
libcairo2-dev libpango1.0-dev
clang libclang-rt-14-dev valgrind time bc jq"

if [ "${1:-}" = "--bench" ]; then
	packages="$packages wrk nginx"
fi
if [ "${1:-}" = "--browser" ]; then
	packages="$packages chromium"
	# Node.js may come from elsewhere than Debian (its npm then conflicts with Debian's):
	# install Debian's only where there is none.
	command -v node >/dev/null || packages="$packages nodejs"
	command -v npm >/dev/null || packages="$packages npm"
fi

missing=""
for p in $packages; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
		missing="$missing $p"
	fi
done
[ -z "$missing" ] && exit 0

if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then
		exec sudo "$0" "$@"
	fi
	echo "install-deps: these packages are missing and installing them needs root:$missing" >&2
	exit 1
fi
echo "installing:$missing"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
# shellcheck disable=SC2086
apt-get install -y -qq --no-install-recommends $missing >/dev/null
