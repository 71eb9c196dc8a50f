#!/usr/bin/env bash
# kb attach: PDF and images only, judged by their first bytes; at most 5 MiB; the file name
# made safe; one name once per item.
. "$(dirname "$0")/lib.sh"

content="$INBEELD_SRC/content/knowledge.json"
slug=$(jq -r '.practices[0].slug' "$content")
new_store
ok "init" "$INBEELD" init

printf '%%PDF-1.4\n%%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n' >"$T/Jaarverslag 2024 (def).pdf"
ok "attach a PDF" "$INBEELD" kb attach practice "$slug" "$T/Jaarverslag 2024 (def).pdf" --json
is "the name is made safe" "Jaarverslag-2024-def.pdf" "$(jq -r .file_name <<<"$OUT")"
is "the type is from the content" "application/pdf" "$(jq -r .media_type <<<"$OUT")"
fails 1 "the same name again" "$INBEELD" kb attach practice "$slug" "$T/Jaarverslag 2024 (def).pdf"
like "is refused" "has an attachment 'Jaarverslag-2024-def.pdf' already" "$ERR"

printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR' >"$T/kaart.pdf"
ok "a PNG named .pdf" "$INBEELD" kb attach practice "$slug" "$T/kaart.pdf" --name "../../kaart.pdf"
like "is stored as a PNG" "attached kaart.png \(image/png" "$OUT"

printf 'MZ\x90\0\x03\0\0\0' >"$T/setup.pdf"
fails 1 "a program named .pdf" "$INBEELD" kb attach practice "$slug" "$T/setup.pdf"
like "is refused by its content" "not a PDF, PNG, JPEG or WebP" "$ERR"
printf '<script>alert(1)</script>' >"$T/page.png"
fails 1 "HTML named .png" "$INBEELD" kb attach practice "$slug" "$T/page.png"
: >"$T/empty.pdf"
fails 1 "an empty file" "$INBEELD" kb attach practice "$slug" "$T/empty.pdf"
like "is refused" "empty" "$ERR"
{ printf '%%PDF-1.4\n'; head -c $((5 * 1024 * 1024)) /dev/zero; } >"$T/big.pdf"
fails 1 "a file over 5 MiB" "$INBEELD" kb attach practice "$slug" "$T/big.pdf"
like "is refused with the limit" "limit of 5242880 bytes" "$ERR"
head -c $((5 * 1024 * 1024)) "$T/big.pdf" >"$T/just.pdf"
ok "a file of exactly 5 MiB" "$INBEELD" kb attach practice "$slug" "$T/just.pdf"
fails 1 "an item that does not exist" "$INBEELD" kb attach practice geen-praktijk "$T/kaart.pdf"
like "is named" "no practice 'geen-praktijk'" "$ERR"
fails 2 "a wrong kind" "$INBEELD" kb attach pagina "$slug" "$T/kaart.pdf"

ok "show lists the attachments" "$INBEELD" kb show practice "$slug" --json
is "three files" "Jaarverslag-2024-def.pdf just.pdf kaart.png" \
	"$(jq -r '[.attachments[].file_name] | join(" ")' <<<"$OUT")"
is "with their sizes" "$((5 * 1024 * 1024))" \
	"$(jq -r '.attachments[] | select(.file_name == "just.pdf") | .size' <<<"$OUT")"
done_testing
