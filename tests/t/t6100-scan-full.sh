#!/usr/bin/env bash
# A region's self-scan from start to finish through the CLI: open it, two partners answer
# (one changes the other's answer), read the profile and the actions to take next, close it,
# fill in a second scan and read the change; the history keeps who answered what; the export
# is a printable page.
. "$(dirname "$0")/lib.sh"

# jq EXPR on the theme or action with slug $1 of the report in $3.
theme_of() { jq -r --arg s "$1" ".themes[] | select(.slug == \$s) | $2" <<<"$3"; }
action_of() { jq -r --arg s "$1" ".actions[] | select(.slug == \$s) | $2" <<<"$3"; }

new_store
ok "init loads the themes and actions" "$INBEELD" init

anna=(--as anna --org "Gemeente Maastricht")
bram=(--as bram --org "ROC Leeuwenborgh")

ok "a scan is opened" "$INBEELD" scan new --region mc39 --title "Zelfscan 2025" "${anna[@]}"
like "for the region's code" "scan 1 opened for region MC39: Zelfscan 2025" "$OUT"

ok "anna answers an action" "$INBEELD" scan answer 1 --action regionale-leerlingenprognose \
	--level planned --partners "Gemeente Maastricht, ROC Leeuwenborgh" "${anna[@]}"
ok "bram answers another" "$INBEELD" scan answer 1 --action regionaal-spreidingsplan \
	--level embedded --note "Vastgesteld in 2024" "${bram[@]}"
ok "bram changes anna's answer" "$INBEELD" scan answer 1 \
	--action regionale-leerlingenprognose --level in_progress "${bram[@]}"
ok "anna answers in a second theme" "$INBEELD" scan answer 1 --action sluitende-aanmelding \
	--level not_started "${anna[@]}"
ok "and a planned one there" "$INBEELD" scan answer 1 --action warme-overdracht-vmbo-mbo \
	--level planned "${anna[@]}"
fails 1 "an unknown action is refused" "$INBEELD" scan answer 1 --action bestaat-niet \
	--level planned
like "naming it" "no published action 'bestaat-niet'" "$ERR"
fails 1 "an unknown level is refused" "$INBEELD" scan answer 1 \
	--action sluitende-aanmelding --level bijna
like "naming the levels" "not one of not_started, planned, in_progress, embedded" "$ERR"
fails 2 "a scan id must be a number" "$INBEELD" scan answer een --action x --level planned

ok "the profile is shown as JSON" "$INBEELD" scan show 1 --json
profile=$OUT
# spreiding-onderwijsaanbod has 7 actions: in_progress (2) + embedded (3) = 5 of 21 points.
is "theme score: the mean level over all its actions" 23.8 \
	"$(theme_of spreiding-onderwijsaanbod .score "$profile")"
is "its actions answered" 2 "$(theme_of spreiding-onderwijsaanbod .answered "$profile")"
# aansluiting-vmbo-mbo has 7 actions: planned (1) + not_started (0) = 1 of 21 points.
is "second theme's score" 4.8 "$(theme_of aansluiting-vmbo-mbo .score "$profile")"
is "the latest answer counts" in_progress \
	"$(action_of regionale-leerlingenprognose .level "$profile")"
is "answered by the one who changed it" bram \
	"$(action_of regionale-leerlingenprognose .answer.answered_by "$profile")"
is "recommendations: lowest theme first, planned before not_started" \
	"warme-overdracht-vmbo-mbo sluitende-aanmelding" \
	"$(jq -r '[.recommendations[].action] | join(" ")' <<<"$profile")"
is "each with practices" true \
	"$(jq '[.recommendations[] | (.practices | length) > 0] | all' <<<"$profile")"
is "no previous scan yet" null "$(jq '.previous' <<<"$profile")"

ok "the text view shows the profile" "$INBEELD" scan show 1
like "with the region score" "region score: [0-9]+%" "$OUT"
like "and the actions to take next" "1\. \[planned\] warme-overdracht-vmbo-mbo" "$OUT"

ok "the history keeps who answered what" "$INBEELD" scan history 1 \
	--action regionale-leerlingenprognose --json
is "both answers" "anna:planned bram:in_progress" \
	"$(jq -r '[.[] | "\(.answered_by):\(.level)"] | join(" ")' <<<"$OUT")"
is "with the partners of the first" "Gemeente Maastricht,ROC Leeuwenborgh" \
	"$(jq -r '.[0].partners | join(",")' <<<"$OUT")"

ok "the scan is closed" "$INBEELD" scan close 1 "${anna[@]}"
fails 1 "a closed scan takes no answers" "$INBEELD" scan answer 1 \
	--action sluitende-aanmelding --level embedded
like "and says so" "scan 1 is closed" "$ERR"

ok "a second scan is opened" "$INBEELD" scan new --region MC39 --title "Zelfscan 2026" "${bram[@]}"
ok "answered" "$INBEELD" scan answer 2 --action regionale-leerlingenprognose --level embedded \
	"${anna[@]}"
ok "answered again" "$INBEELD" scan answer 2 --action regionaal-spreidingsplan \
	--level embedded "${bram[@]}"
ok "and a third" "$INBEELD" scan answer 2 --action sluitende-aanmelding --level planned \
	"${bram[@]}"
ok "the second scan compares with the first" "$INBEELD" scan show 2 --json
is "previous scan" 1 "$(jq '.previous.scan.id' <<<"$OUT")"
# spreiding: 2 × embedded = 6 of 21 points = 28.6%, was 23.8%.
is "change per theme" 4.8 "$(theme_of spreiding-onderwijsaanbod .change "$OUT")"
is "change per action" "in_progress→embedded +1" \
	"$(action_of regionale-leerlingenprognose \
		'"\(.previous_level)→\(.level) +\(.change)"' "$OUT")"
is "an action not answered now" "planned→unanswered" \
	"$(action_of warme-overdracht-vmbo-mbo '"\(.previous_level)→\(.level)"' "$OUT")"
ok "the text view shows the comparison" "$INBEELD" scan show 2
like "with the previous scan" "compared with scan 1 \(Zelfscan 2025" "$OUT"
like "and the level changes" "sluitende-aanmelding +not_started → planned \(\+1\)" "$OUT"

ok "scans are listed per region" "$INBEELD" scan list --region MC39 --json
is "both, the newest first" "2:open 1:closed" \
	"$(jq -r '[.[] | "\(.id):\(.status)"] | join(" ")' <<<"$OUT")"

ok "the report is exported" "$INBEELD" scan export 2 --out "$T/scan.html"
page=$(cat "$T/scan.html")
like "as an HTML page" "^<!DOCTYPE html>" "$page"
like "with a chart per theme" "<svg[^>]*role=\"img\"" "$page"
is "ten charts" 10 "$(grep -c '<svg' "$T/scan.html")"
like "the recommendations" "Acties om nu op te pakken" "$page"
like "the comparison" "Vergeleken met: Zelfscan 2025" "$page"
ok "in English too" "$INBEELD" scan export 2 --out "$T/scan-en.html" --lang en
like "with English labels" "Actions to take next" "$(cat "$T/scan-en.html")"
fails 2 "export needs --out" "$INBEELD" scan export 2
done_testing
