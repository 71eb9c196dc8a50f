#!/usr/bin/env bash
# Script in any text field, put there by an edit, comes out of kb show --html and kb search as
# text: no script element, no event handler, no script URL.
. "$(dirname "$0")/lib.sh"

attack='<script>alert(1)</script><img src=x onerror=alert(1)> <a href="javascript:alert(1)" onclick="alert(1)">x</a>'
md_attack="$attack

<div onmouseover=\"alert(1)\">y</div>

[klik](javascript:alert(1)) ![b](javascript:alert(1)) <svg onload=alert(1)>"

content="$INBEELD_SRC/content/knowledge.json"
slug=$(jq -r '.practices[0].slug' "$content")
new_store
ok "init" "$INBEELD" init
for field in name; do
	for lang in nl en; do
		ok "attack in $field.$lang" "$INBEELD" kb edit practice "$slug" --field $field --lang $lang --text "$attack zonnebloem"
	done
done
for field in what result; do
	for lang in nl en; do
		ok "attack in $field.$lang" "$INBEELD" kb edit practice "$slug" --field $field --lang $lang --text "$md_attack zonnebloem"
	done
done
for field in region contact_organisation source; do
	ok "attack in $field" "$INBEELD" kb edit practice "$slug" --field $field --text "$attack zonnebloem"
done
ok "attack in partners" "$INBEELD" kb edit practice "$slug" --field partners --text "$attack"
ok "publish" "$INBEELD" kb publish practice "$slug"

check() { # description html
	unlike "$1: no script element" "<script" "$2"
	unlike "$1: no event handler" "<[^>]* on[a-z]+=" "$2"
	unlike "$1: no script URL" "<[a-z]+[^>]* (href|src)=\"javascript:" "$2"
	unlike "$1: no raw img, div or svg" "<(img src=x|div on|svg)" "$2"
}
for lang in nl en; do
	ok "show --html --lang $lang" "$INBEELD" kb show practice "$slug" --published --html --lang $lang
	check "page in $lang" "$OUT"
	like "page in $lang: the name is shown as text" "<h1 class=\"kb-field\" data-field=\"name\">&lt;script&gt;alert\(1\)&lt;/script&gt;" "$OUT"
	like "page in $lang: the region as text" "data-field=\"region\">&lt;script&gt;" "$OUT"
	ok "search in $lang" "$INBEELD" kb search --json --lang $lang zonnebloem
	is "search in $lang finds the practice" "$slug" "$(jq -r '.hits[0].slug' <<<"$OUT")"
	check "search title in $lang" "$(jq -r '.hits[].title_html' <<<"$OUT")"
	check "search snippet in $lang" "$(jq -r '.hits[].snippet_html' <<<"$OUT")"
done
done_testing
