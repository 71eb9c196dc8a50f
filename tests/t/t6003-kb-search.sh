#!/usr/bin/env bash
# kb search: ranked results with the matching words marked, stemming and accent folding, and
# the filters on theme, target group, region, kind and language.
. "$(dirname "$0")/lib.sh"

new_store
ok "init" "$INBEELD" init
ok "import the small test bundle" "$INBEELD" kb import --publish "$INBEELD_SRC/tests/fixtures/knowledge-small.json"

slugs() { jq -r '[.hits[].slug] | join(",")' <<<"$OUT"; }
sorted() { jq -r '[.hits[].slug] | sort | join(",")' <<<"$OUT"; }

ok "search practices for stage" "$INBEELD" kb search --json --kind practice --theme werk-en-stage stage
is "the one with stage in its name first" "stage-in-titel,stage-in-tekst" "$(slugs)"
like "the match is marked" "<mark>Stage</mark> bij de gemeente" "$(jq -r '.hits[0].title_html' <<<"$OUT")"
ok "stages finds stage" "$INBEELD" kb search --json --theme werk-en-stage --kind practice stages
is "both" "stage-in-tekst,stage-in-titel" "$(sorted)"
ok "coordinatie finds coördinatie" "$INBEELD" kb search --json coordinatie --theme zorg-op-school
is "the coördinatiepunt" "coordinatiepunt" "$(slugs)"
like "marked as written" "<mark>Coördinatiepunt</mark>" "$(jq -r '.hits[0].title_html' <<<"$OUT")"
ok "in English" "$INBEELD" kb search --json --lang en --theme werk-en-stage --kind practice internships
is "the English texts are searched" "stage-in-titel,stage-in-tekst" "$(slugs)"
ok "target group filter" "$INBEELD" kb search --json --target-group vso gemeente --theme werk-en-stage
is "only the practice for vso" "stage-in-tekst" "$(slugs)"
ok "region filter" "$INBEELD" kb search --json --region twente gemeente
is "only the practice in Twente" "stage-in-titel" "$(slugs)"
ok "kind filter" "$INBEELD" kb search --json --kind faq --theme werk-en-stage jobcoach
is "only the question" "wie-betaalt-de-jobcoach" "$(slugs)"
is "with its theme" "werk-en-stage" "$(jq -r '.hits[0].theme' <<<"$OUT")"
ok "limit" "$INBEELD" kb search --json --limit 1 --theme werk-en-stage gemeente
is "one hit of three" "1 3" "$(jq -r '"\(.hits | length) \(.total)"' <<<"$OUT")"
ok "text output" "$INBEELD" kb search --theme werk-en-stage --kind practice stage
like "shows the marks" "\[Stage\] bij de gemeente" "$OUT"

fails 1 "an unknown theme" "$INBEELD" kb search --theme geen-thema stage
like "is named" "no theme 'geen-thema'" "$ERR"
fails 1 "an unknown target group" "$INBEELD" kb search --target-group geen stage
like "is named" "no target group 'geen'" "$ERR"
fails 1 "a search without words" "$INBEELD" kb search "?!"
like "says so" "at least one word" "$ERR"
fails 2 "a language the platform does not have" "$INBEELD" kb search --lang de stage
fails 2 "a limit out of range" "$INBEELD" kb search --limit 0 stage
fails 2 "no query at all" "$INBEELD" kb search
done_testing
