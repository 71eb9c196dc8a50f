#!/usr/bin/env bash
# A forum thread from start to finish through the CLI, acting as several people: started,
# followed, answered with a quote, marked helpful, reported, hidden, locked and moved by an
# editor, with the moderation log keeping every step; a BSN in a post and a post above the
# rate limit are refused.
. "$(dirname "$0")/lib.sh"

new_store
ok "init loads the themes" "$INBEELD" init

anna=(--as anna --org "Gemeente Heerlen" --role participant)
bram=(--as bram --org "ROC Leeuwenborgh" --role participant)
carla=(--as carla --org UWV --role participant)
eddy=(--as eddy --org Kennisplatform --role editor)

ok "anna starts a thread" "$INBEELD" forum start --theme verzuim-en-uitval \
	--title "Thuiszitters in beeld" --body "Hoe houden jullie *thuiszitters* in beeld?" \
	"${anna[@]}"
like "it gets an id" "thread 1 started on verzuim-en-uitval" "$OUT"
fails 1 "a thread on an unknown theme is refused" "$INBEELD" forum start --theme geen-thema \
	--title t --body b "${anna[@]}"
like "naming the theme" "no published theme 'geen-thema'" "$ERR"

ok "carla follows it" "$INBEELD" forum follow 1 "${carla[@]}"
ok "bram replies, quoting the opening post" "$INBEELD" forum reply 1 \
	--body "Met een **casusoverleg** per maand." --quote 1 "${bram[@]}"
like "as post 2" "post 2 added to thread 1" "$OUT"
ok "anna replies too" "$INBEELD" forum reply 1 --body "Dank, dat proberen we." "${anna[@]}"

ok "the thread lists both replies for carla" "$INBEELD" forum threads --theme verzuim-en-uitval \
	--json "${carla[@]}"
is "replies" 2 "$(jq '.[0].replies' <<<"$OUT")"
is "new since carla's last visit" 2 "$(jq '.[0].new_posts' <<<"$OUT")"
ok "carla reads the thread" "$INBEELD" forum show 1 --json "${carla[@]}"
is "the quote is kept" 1 "$(jq '.posts[1].quote_id' <<<"$OUT")"
is "the body is rendered safely" "<p>Met een <strong>casusoverleg</strong> per maand.</p>" \
	"$(jq -r '.posts[1].body_html' <<<"$OUT" | head -1)"
is "followers are listed" "anna carla" "$(jq -r '[.followers[].name] | join(" ")' <<<"$OUT")"
ok "after her visit nothing is new" "$INBEELD" forum threads --json "${carla[@]}"
is "new posts" 0 "$(jq '.[0].new_posts' <<<"$OUT")"
ok "the HTML shows the quote" "$INBEELD" forum show 1 --html "${carla[@]}"
like "as a blockquote" '<blockquote class="forum-quote" cite="#post-1">' "$OUT"

fails 1 "carla cannot mark a reply helpful" "$INBEELD" forum helpful 2 "${carla[@]}"
like "only the starter or an editor" "only the starter of thread 1" "$ERR"
ok "anna, the starter, can" "$INBEELD" forum helpful 2 "${anna[@]}"
fails 1 "once" "$INBEELD" forum helpful 2 "${eddy[@]}"

fails 1 "a BSN in a post is refused" "$INBEELD" forum reply 1 \
	--body "Het gaat om leerling 123456782" "${carla[@]}"
like "saying why" "passes the BSN elfproef \(\*\*\*\*\*\*782\)" "$ERR"
unlike "without the number" "123456782" "$ERR"

ok "carla reports anna's reply" "$INBEELD" forum report 3 --reason "noemt een school en klas" \
	"${carla[@]}"
like "the report is sent" "report 1 of post 3 sent to the editors" "$OUT"
fails 1 "reports are for editors" "$INBEELD" forum reports "${carla[@]}"
ok "the editor sees the open report" "$INBEELD" forum reports --json "${eddy[@]}"
is "one report of post 3" "1:3:carla" "$(jq -r '.[] | "\(.id):\(.post):\(.reporter)"' <<<"$OUT")"

fails 1 "only editors hide" "$INBEELD" forum hide --post 3 --reason "privacy" "${bram[@]}"
ok "the editor hides the post" "$INBEELD" forum hide --post 3 --reason "te herleidbaar" "${eddy[@]}"
ok "carla no longer sees it" "$INBEELD" forum show 1 --json "${carla[@]}"
is "posts carla sees" "1 2" "$(jq -r '[.posts[].id] | join(" ")' <<<"$OUT")"
ok "the editor still does" "$INBEELD" forum show 1 --json "${eddy[@]}"
is "marked hidden" true "$(jq '.posts[] | select(.id == 3) | .hidden' <<<"$OUT")"
ok "the report is closed by hiding" "$INBEELD" forum reports "${eddy[@]}"
like "none open" "no open reports" "$OUT"

ok "the editor locks the thread" "$INBEELD" forum lock 1 --reason "beantwoord" "${eddy[@]}"
fails 1 "a locked thread takes no replies" "$INBEELD" forum reply 1 --body "Nog iets" "${bram[@]}"
like "and says so" "thread 1 is locked" "$ERR"
ok "the editor moves it" "$INBEELD" forum move 1 --theme onderwijs-en-zorg \
	--reason "gaat over zorg" "${eddy[@]}"
ok "it is listed under the new theme" "$INBEELD" forum threads --theme onderwijs-en-zorg \
	--json "${bram[@]}"
is "thread 1 there" "1 true" "$(jq -r '.[0] | "\(.id) \(.locked)"' <<<"$OUT")"
ok "and no longer under the old" "$INBEELD" forum threads --theme verzuim-en-uitval --json \
	"${bram[@]}"
is "none" 0 "$(jq length <<<"$OUT")"

ok "the moderation log has every step" "$INBEELD" forum log 1 --json "${eddy[@]}"
is "hide, lock, move" "hide lock move" "$(jq -r '[.[].action] | join(" ")' <<<"$OUT")"
is "with who and why" "eddy: gaat over zorg (from verzuim-en-uitval to onderwijs-en-zorg)" \
	"$(jq -r '.[2] | "\(.by): \(.reason) (\(.detail))"' <<<"$OUT")"
fails 2 "moderation needs a reason" "$INBEELD" forum unlock 1 "${eddy[@]}"

ok "the editor sets a low rate limit" "$INBEELD" forum limits --posts 2 "${eddy[@]}"
ok "carla posts once" "$INBEELD" forum start --theme verzuim-en-uitval --title "Vraag" \
	--body "Een" "${carla[@]}"
like "thread 2" "thread 2 started" "$OUT"
ok "twice" "$INBEELD" forum reply 2 --body "Twee" "${carla[@]}"
fails 1 "the third post within ten minutes is refused" "$INBEELD" forum reply 2 --body "Drie" \
	"${carla[@]}"
like "saying when posting is possible again" \
	"at most 2 posts per 10 minutes per author; you can post again at [0-9-]+T[0-9:]+Z" "$ERR"
done_testing
