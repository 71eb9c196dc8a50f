#!/usr/bin/env bash
# import all: a small generated region imported from its manifest in one go, one JSON object
# per file; imported again, nothing changes.
. "$(dirname "$0")/lib.sh"
new_store
ok "init" "$INBEELD" init
ok "a generated region" "$INBEELD" gen --youths 300 --seed 1 --out "$T/region"
ok "import all" "$INBEELD" import all "$T/region" --json
all=$OUT
is "one object per file of the manifest" "$(($(wc -l <"$T/region/manifest.csv") - 1))" \
	"$(printf '%s' "$all" | jq length)"
is "in the manifest's order" "$(tail -n +2 "$T/region/manifest.csv" | cut -d';' -f2 | tr '\n' ' ')" \
	"$(printf '%s' "$all" | jq -r '.[].feed' | tr '\n' ' ')"
is "every file imported, none rejected" "0" \
	"$(printf '%s' "$all" | jq '[.[] | select(.status != "done" or (.rejected // 0) > 0)] | length')"
is "rows as the manifest says" "$(tail -n +3 "$T/region/manifest.csv" | cut -d';' -f7 | tr '\n' ' ')" \
	"$(printf '%s' "$all" | jq -r '.[1:][].rows' | tr '\n' ' ')"
is "every young person known" "300" \
	"$(printf '%s' "$all" | jq '.[1].persons_created')"
is "a timeline for each of them" "true" "$(printf '%s' "$all" | jq '[.[1:][].events] | add > 1000')"

ok "import all again" "$INBEELD" import all "$T/region" --json
is "every feed file unchanged" "$(printf '%s' "$all" | jq '.[1:] | length')" \
	"$(printf '%s' "$OUT" | jq '[.[] | select(.status == "unchanged")] | length')"
ok "import list" "$INBEELD" import list --json
is "one import per file and run" "$((2 * ($(printf '%s' "$all" | jq length) - 1)))" \
	"$(printf '%s' "$OUT" | jq length)"
ok "the audit log is intact" "$INBEELD" audit verify

mkdir "$T/bad"
printf 'order;feed;file;source;mode;as_of\n1;grades;x.csv;duo:DUO;snapshot;2026-10-01\n' >"$T/bad/manifest.csv"
fails 1 "a manifest with an unknown feed" "$INBEELD" import all "$T/bad"
like "names line and column" "manifest.csv, line 2, column feed: 'grades'" "$ERR"
fails 1 "a directory without a manifest" "$INBEELD" import all "$T"
done_testing
