#!/usr/bin/env bash
# The editorial workflow from the command line: an edit is a draft the public does not see,
# publish makes it public and searchable, rollback brings an earlier text back as a new
# version, and the history names every version and its author.
. "$(dirname "$0")/lib.sh"

export USER=redacteur
content="$INBEELD_SRC/content/knowledge.json"
slug=$(jq -r '.practices[0].slug' "$content")
name=$(jq -r '.practices[0].name.nl' "$content")

new_store
ok "init" "$INBEELD" init
ok "edit the Dutch name" "$INBEELD" kb edit practice "$slug" --field name --lang nl \
	--text "Proefplaatsing Zonnebloem"
like "the edit is a draft, version 2" "version 2 is the latest draft" "$OUT"
ok "search for the new name" "$INBEELD" kb search --json zonnebloem
is "the draft is not found" 0 "$(jq .total <<<"$OUT")"
ok "show the published version" "$INBEELD" kb show practice "$slug" --published --json
is "the public still sees the old name" "$name" "$(jq -r .content.name.nl <<<"$OUT")"
ok "kb list --status draft" "$INBEELD" kb list --status draft --json
is "one draft" "$slug" "$(jq -r '.[0].slug' <<<"$OUT")"

ok "publish" "$INBEELD" kb publish practice "$slug"
like "says which version" "version 2 published" "$OUT"
ok "search again" "$INBEELD" kb search --json zonnebloem
is "now it is found" "$slug" "$(jq -r '.hits[0].slug' <<<"$OUT")"
like "with the word marked" "<mark>Zonnebloem</mark>" "$(jq -r '.hits[0].title_html' <<<"$OUT")"
fails 1 "publishing again has nothing to publish" "$INBEELD" kb publish practice "$slug"
like "and says so" "nothing to publish" "$ERR"

printf 'Leerlingen werken **een jaar** mee bij De Zonnebloem.\n' >"$T/what.md"
ok "edit from a file, with a note" env USER=tweede "$INBEELD" kb edit practice "$slug" \
	--field what --lang nl --file "$T/what.md" --note "tekst herschreven"
ok "publish it" env USER=tweede "$INBEELD" kb publish practice "$slug"
ok "show the HTML" "$INBEELD" kb show practice "$slug" --published --html
like "the Markdown is rendered" "<strong>een jaar</strong>" "$OUT"

ok "roll back to version 1" "$INBEELD" kb rollback practice "$slug" --version 1
like "as a new version" "published again as version 4" "$OUT"
ok "search after the rollback" "$INBEELD" kb search --json zonnebloem
is "the edited text is gone from the search" 0 "$(jq .total <<<"$OUT")"
ok "show after the rollback" "$INBEELD" kb show practice "$slug" --json
is "the public sees the first name again" "$name" "$(jq -r .content.name.nl <<<"$OUT")"
is "as version 4" 4 "$(jq .published_version <<<"$OUT")"

ok "history" "$INBEELD" kb history practice "$slug" --json
is "four versions" 4 "$(jq length <<<"$OUT")"
is "their authors" "system:seed cli:redacteur cli:tweede cli:redacteur" \
	"$(jq -r '[.[].author] | join(" ")' <<<"$OUT")"
is "their notes" "starting content|edit name.nl|tekst herschreven|rollback to version 1" \
	"$(jq -r '[.[].note] | join("|")' <<<"$OUT")"
is "only the last is public" "false false false true" "$(jq -r '[.[].published] | map(tostring) | join(" ")' <<<"$OUT")"
ok "history as text" "$INBEELD" kb history practice "$slug"
like "names the publisher" "made public .* by cli:tweede" "$OUT"
ok "an old version stays readable" "$INBEELD" kb show practice "$slug" --version 2 --json
is "version 2 has the edited name" "Proefplaatsing Zonnebloem" "$(jq -r .content.name.nl <<<"$OUT")"

fails 1 "rollback to a version that does not exist" "$INBEELD" kb rollback practice "$slug" --version 9
like "names the versions there are" "has no version 9" "$ERR"
fails 1 "edit of an item that does not exist" "$INBEELD" kb edit practice geen-praktijk \
	--field region --text X
like "names it" "no practice 'geen-praktijk'" "$ERR"
fails 1 "a field that differs per language needs --lang" "$INBEELD" kb edit practice "$slug" \
	--field name --text X
like "and says so" "say which language" "$ERR"
fails 1 "an empty title is refused" "$INBEELD" kb edit practice "$slug" --field name --lang en --text " "
like "naming the item and field" "practice '$slug', field name.en: must not be empty" "$ERR"
fails 2 "a kind that does not exist is a usage error" "$INBEELD" kb publish thema "$slug"
fails 2 "edit without --field" "$INBEELD" kb edit practice "$slug" --text X
fails 2 "edit with both --text and --file" "$INBEELD" kb edit practice "$slug" --field region \
	--text X --file "$T/what.md"
ok "kb --help lists the verbs" "$INBEELD" kb --help
like "with rollback" "rollback" "$OUT"
done_testing
