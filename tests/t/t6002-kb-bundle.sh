#!/usr/bin/env bash
# Bundles: kb export writes the published content in the shape of content/knowledge.json with
# version numbers; kb import brings it into another store in one transaction, and refuses a
# bundle with a wrong field, naming the item and field, without writing anything.
. "$(dirname "$0")/lib.sh"

export USER=redacteur
content="$INBEELD_SRC/content/knowledge.json"
slug=$(jq -r '.practices[0].slug' "$content")
other=$(jq -r '.practices[1].slug' "$content")
strip='del(.. | objects | .version?) | del(.faqs[].slug)'

new_store
ok "init" "$INBEELD" init
ok "export to a file" "$INBEELD" kb export --out "$T/a.json"
like "says what it wrote" "10 themes" "$OUT"
is "the export is the starting content, faq slugs and versions aside" \
	"$(jq -S . "$content")" "$(jq -S "$strip | .version = 1" "$T/a.json")"
ok "export to standard output" "$INBEELD" kb export
is "the same bundle" "$(jq -S . "$T/a.json")" "$(jq -S . <<<"$OUT")"

# A published change and a draft in store A.
ok "edit in store A" "$INBEELD" kb edit practice "$slug" --field region --text "Regio Achterhoek"
ok "publish it" "$INBEELD" kb publish practice "$slug"
ok "a draft in store A" "$INBEELD" kb edit practice "$other" --field region --text "Concept"
ok "export store A" "$INBEELD" kb export --out "$T/a.json"
is "the published change goes out with its version" "2 Regio Achterhoek" \
	"$(jq -r --arg s "$slug" '.practices[] | select(.slug == $s) | "\(.version) \(.region)"' "$T/a.json")"
is "the draft stays behind" "1" \
	"$(jq -r --arg s "$other" '.practices[] | select(.slug == $s) | .version' "$T/a.json")"
a_db=$INBEELD_DB

new_store
ok "init store B" "$INBEELD" init
ok "import store A's bundle into store B as drafts" "$INBEELD" kb import "$T/a.json" --json
is "one item changed, none published" "0 1 0" "$(jq -r '"\(.created) \(.changed) \(.published)"' <<<"$OUT")"
ok "kb list --status draft in store B" "$INBEELD" kb list --status draft --json
is "the change waits as a draft" "$slug" "$(jq -r '.[0].slug' <<<"$OUT")"
ok "import again with --publish" "$INBEELD" kb import "$T/a.json" --publish
like "publishes it" "0 new, 0 changed, .* 1 published" "$OUT"
ok "export store B" "$INBEELD" kb export --out "$T/b.json"
is "store B now has store A's published content" \
	"$(jq -S "$strip" "$T/a.json")" "$(jq -S "$strip" "$T/b.json")"

# Every field is checked; the error names the item and the field; nothing is written.
jq '.practices[1].kind = "project" | .practices[0].region = "Gewijzigd"' "$T/a.json" >"$T/bad.json"
fails 1 "a bundle with a wrong field is refused" "$INBEELD" kb import "$T/bad.json" --publish
like "naming the item and field" "practices\[2\]: practice '$other', field kind: must be one of" "$ERR"
ok "export after the refusal" "$INBEELD" kb export --out "$T/c.json"
is "nothing was written" "$(jq -S . "$T/b.json")" "$(jq -S . "$T/c.json")"

jq '.faqs[0].theme = "geen-thema"' "$T/a.json" >"$T/bad.json"
fails 1 "a reference to a theme that does not exist" "$INBEELD" kb import "$T/bad.json"
like "is named" "faqs\[1\]: faq '.*', field theme: no theme 'geen-thema'" "$ERR"
jq '.themes[0].actions[0].title.en = ""' "$T/a.json" >"$T/bad.json"
fails 1 "an empty English title" "$INBEELD" kb import "$T/bad.json"
like "is named" "themes\[1\].actions\[1\]: action '.*', field title.en: must not be empty" "$ERR"
printf '{"version": 1, "themes": [}' >"$T/broken.json"
fails 1 "a file that is not JSON" "$INBEELD" kb import "$T/broken.json"
like "says where" "broken.json:1:" "$ERR"
fails 1 "a file that is not there" "$INBEELD" kb import "$T/missing.json"
like "says so" "cannot read bundle" "$ERR"
ok "a bundle from standard input" "$INBEELD" kb import - <"$T/a.json"
like "with nothing new" "0 new, 0 changed" "$OUT"
fails 2 "import needs a file" "$INBEELD" kb import
[ -n "$a_db" ]
done_testing
