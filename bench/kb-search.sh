#!/usr/bin/env bash
# Benchmark: knowledge search on PRACTICES generated practices (default 10,000) besides the
# starting content. The practices are written as a bundle (their words drawn from the
# starting content, so that term frequencies are Dutch- and English-like) and loaded with
# `kb import --publish`, the public path. Then QUERIES searches (default 200: one and two
# words, some with a filter, in both languages) run through `kb search --json`, which reports
# the time of the search itself (took_ms: query, ranking and snippets, without starting the
# process; each query runs REPEAT times, default 3, and counts with the median of its runs).
# Prints the median and p95 per query on SQLite and, when INBEELD_TEST_PG names a database,
# on PostgreSQL. Target: under 50 ms per query.
set -eu
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
INBEELD=$PWD/$BUILD/inbeeld
PRACTICES=${PRACTICES:-10000}
QUERIES=${QUERIES:-200}
make -s "$BUILD/inbeeld"
work=$(mktemp -d /tmp/inbeeld-bench-kb.XXXXXX)
schema=""
cleanup() {
	[ -n "$schema" ] && psql -q "$INBEELD_TEST_PG" -c "DROP SCHEMA IF EXISTS $schema CASCADE" \
		>/dev/null 2>&1
	rm -rf "$work"
}
trap cleanup EXIT

# The practices, as a bundle. Word i of practice p is word (p * 7919 + i * 104729) mod n of
# the starting content's vocabulary in that language.
jq --argjson n "$PRACTICES" '
	def words($lang): [(.themes[] | (.stake, .cooperation, .summary) | .[$lang]),
			   (.themes[].actions[] | .body | .[$lang]),
			   (.practices[] | (.what, .result) | .[$lang]),
			   (.faqs[] | .answer | .[$lang])]
		| join(" ") | [scan("[[:alpha:]]{3,}")];
	def text($w; $p; $count; $salt):
		[range(0; $count) as $i | $w[(($p * 7919 + $i * 104729 + $salt) % ($w | length))]]
		| join(" ");
	words("nl") as $nl | words("en") as $en
	| [.themes[].slug] as $themes | [.target_groups[].slug] as $groups
	| ["Haaglanden", "Twente", "Achterhoek", "Drenthe", "Regio Utrecht", "Friesland",
	   "Zuid-Limburg", "Rijnmond", "Gooi en Vechtstreek", "Noord-Holland Noord"] as $regions
	| {version: 1, practices: [range(0; $n) as $p | {
		slug: ("gen-praktijk-\($p)"),
		kind: (if $p % 4 == 0 then "pilot" else "practice" end),
		name: {nl: text($nl; $p; 4; 1), en: text($en; $p; 4; 1)},
		region: $regions[$p % ($regions | length)],
		partners: ["gemeente \($p % 40)", "school \($p % 25)"],
		target_groups: [$groups[$p % ($groups | length)]],
		what: {nl: text($nl; $p; 90; 2), en: text($en; $p; 90; 2)},
		result: {nl: text($nl; $p; 40; 3), en: text($en; $p; 40; 3)},
		themes: [$themes[$p % ($themes | length)]],
		actions: [],
		contact_organisation: "organisatie \($p % 100)",
		source: "gegenereerd"}]}' content/knowledge.json >"$work/practices.json"

# The queries: words of the vocabulary, as "lang<TAB>words<TAB>filter options".
jq -r --argjson q "$QUERIES" '
	def words($lang): [.practices[] | (.what, .result) | .[$lang]] | join(" ")
		| [scan("[[:alpha:]]{5,}")] | unique;
	words("nl") as $nl | words("en") as $en | [.themes[].slug] as $themes
	| range(0; $q) as $i
	| (if $i % 2 == 0 then "nl" else "en" end) as $lang
	| (if $lang == "nl" then $nl else $en end) as $w
	| [$lang,
	   (if $i % 3 == 0 then "\($w[($i * 37) % ($w | length)]) \($w[($i * 53 + 11) % ($w | length)])"
	    else $w[($i * 37) % ($w | length)] end),
	   (if $i % 5 == 0 then "--theme \($themes[$i % ($themes | length)])"
	    elif $i % 7 == 0 then "--region twente" else "" end)]
	| @tsv' content/knowledge.json >"$work/queries.tsv"

# Run every query REPEAT times (default 3) and keep, per query, the median of its runs, so
# that one run disturbed by another process on a shared machine does not decide a figure.
# Collects took_ms, the whole command's time in ms, and the number of matches.
REPEAT=${REPEAT:-3}
run_queries() {
	: >"$work/took" && : >"$work/wall" && : >"$work/totals"
	while IFS=$'\t' read -r lang words filter; do
		: >"$work/took1" && : >"$work/wall1"
		for _ in $(seq "$REPEAT"); do
			start=$(date +%s%N)
			# shellcheck disable=SC2086
			"$INBEELD" kb search --json --lang "$lang" $filter -- $words >"$work/out"
			end=$(date +%s%N)
			jq .took_ms "$work/out" >>"$work/took1"
			echo "($end - $start) / 1000000" | bc -l >>"$work/wall1"
		done
		sort -g "$work/took1" | sed -n "$(((REPEAT + 1) / 2))p" >>"$work/took"
		sort -g "$work/wall1" | sed -n "$(((REPEAT + 1) / 2))p" >>"$work/wall"
		jq .total "$work/out" >>"$work/totals"
	done <"$work/queries.tsv"
}

stats() { # file → "median p95 max"
	sort -g "$1" | awk '{ v[NR] = $1 } END {
		m = v[int((NR + 1) / 2)]; p = v[int(NR * 0.95 + 0.999)]
		printf "median %.2f ms, p95 %.2f ms, max %.2f ms", m, p, v[NR] }'
}

bench_on() { # name
	local started ended
	"$INBEELD" init >/dev/null
	started=$(date +%s%N)
	"$INBEELD" kb import --publish "$work/practices.json" >/dev/null
	ended=$(date +%s%N)
	printf '%s: %d practices imported and indexed in %.1f s\n' "$1" "$PRACTICES" \
		"$(echo "($ended - $started) / 1000000000" | bc -l)"
	run_queries
	printf '%s: %d queries, search itself: %s\n' "$1" "$(wc -l <"$work/took")" \
		"$(stats "$work/took")"
	printf '%s: whole command (start, connect, search, print): %s\n' "$1" "$(stats "$work/wall")"
	printf '%s: matches per query: %s\n' "$1" "$(stats "$work/totals" | sed 's/ ms//g')"
}

export INBEELD_DB=$work/kb.db INBEELD_KEYFILE=$work/kb.key
bench_on sqlite

if [ -n "${INBEELD_TEST_PG:-}" ]; then
	schema="bench_kb_$$"
	psql -q "$INBEELD_TEST_PG" -c "CREATE SCHEMA $schema" >/dev/null
	export INBEELD_DB="$INBEELD_TEST_PG?options=-csearch_path%3D$schema"
	export INBEELD_KEYFILE=$work/kb-pg.key
	bench_on postgresql
fi
