#!/usr/bin/env bash
# inbeeld init loads the knowledge platform's starting content (content/knowledge.json): the
# ten themes with their actions, the practices and the questions, published, in Dutch and
# English, searchable; a second init leaves it alone.
. "$(dirname "$0")/lib.sh"

content="$INBEELD_SRC/content/knowledge.json"
themes=$(jq '.themes | length' "$content")
actions=$(jq '[.themes[].actions | length] | add' "$content")
practices=$(jq '.practices | length' "$content")
faqs=$(jq '.faqs | length' "$content")
total=$((themes + actions + practices + faqs))

new_store
ok "init creates the store" "$INBEELD" init
like "init says it loaded the starting content" "knowledge platform: $total items" "$OUT"
is "ten themes" 10 "$themes"

ok "kb list --json" "$INBEELD" kb list --json
is "every item is listed" "$total" "$(jq length <<<"$OUT")"
is "themes" "$themes" "$(jq '[.[] | select(.kind == "theme")] | length' <<<"$OUT")"
is "actions" "$actions" "$(jq '[.[] | select(.kind == "action")] | length' <<<"$OUT")"
is "practices" "$practices" "$(jq '[.[] | select(.kind == "practice")] | length' <<<"$OUT")"
is "questions" "$faqs" "$(jq '[.[] | select(.kind == "faq")] | length' <<<"$OUT")"
is "all published" "$total" "$(jq '[.[] | select(.status == "published" and .published_version == 1)] | length' <<<"$OUT")"
ok "kb list --status draft" "$INBEELD" kb list --status draft
like "no drafts" "^0 items" "$OUT"
ok "kb list --kind theme" "$INBEELD" kb list --kind theme
like "lists the themes" "^$themes items$" "$(tail -1 <<<"$OUT")"

theme=$(jq -r '.themes[0].slug' "$content")
title_nl=$(jq -r '.themes[0].title.nl' "$content")
title_en=$(jq -r '.themes[0].title.en' "$content")
ok "kb show a theme" "$INBEELD" kb show theme "$theme" --json
is "its Dutch title" "$title_nl" "$(jq -r .content.title.nl <<<"$OUT")"
is "its English title" "$title_en" "$(jq -r .content.title.en <<<"$OUT")"
ok "kb show --html --lang en" "$INBEELD" kb show theme "$theme" --published --html --lang en
like "the English page" "<article class=\"kb-item kb-theme\" lang=\"en\"" "$OUT"

ok "search a theme by its Dutch title" "$INBEELD" kb search --json --kind theme "$title_nl"
like "finds it" "\"slug\": \"$theme\"" "$OUT"
ok "search a theme by its English title" "$INBEELD" kb search --json --lang en --kind theme "$title_en"
like "finds it" "\"slug\": \"$theme\"" "$OUT"

ok "init again" "$INBEELD" init --json
is "loads nothing the second time" 0 "$(jq .knowledge_items_loaded <<<"$OUT")"
ok "kb list after the second init" "$INBEELD" kb list --json
is "still the same items" "$total" "$(jq length <<<"$OUT")"
done_testing
