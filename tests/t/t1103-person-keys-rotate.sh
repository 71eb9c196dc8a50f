#!/usr/bin/env bash
# inbeeld keys rotate: all identifying data is re-encrypted under a new data key, the data
# stays readable, the old key leaves the key file, and a backup of the old key file no
# longer opens the data.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null
ok "add a person" "$INBEELD" person add --bsn 111222333 --given-name Zwaantje \
	--surname Testbeeld --birth-date 2009-03-04 --postcode 6211AB
key=$OUT
ok "add a second" "$INBEELD" person add --given-name Piet --surname Visser \
	--birth-date 2010-01-01 --postcode 6212AB
prov=$OUT
ok "and a provisional twin record to merge" "$INBEELD" person add --given-name Zwaantje \
	--surname Testbeeld --birth-date 2009-03-04 --postcode 6211AB
ok "merge it" "$INBEELD" person merge "$key" "$OUT"
like "the merge has a number" 'merge 1' "$OUT"

old_data=$(grep '^data ' "$INBEELD_KEYFILE")
cp "$INBEELD_KEYFILE" "$T/backup.key"
chmod 600 "$T/backup.key"

ok "keys rotate" "$INBEELD" keys rotate --json
like "re-sealed three persons and one merge" '"resealed": 4' "$OUT"
like "the new key is 2" '"key_id": 2' "$OUT"
is "the key file holds one data key" 1 "$(grep -c '^data ' "$INBEELD_KEYFILE")"
like "it is key 2" '^data 2 ' "$(grep '^data ' "$INBEELD_KEYFILE")"
is "the old key is gone from the file" 0 "$(grep -c -F "$old_data" "$INBEELD_KEYFILE")"
is "the key file is still private" 600 "$(stat -c %a "$INBEELD_KEYFILE")"

ok "the data is still readable" "$INBEELD" person show "$key" --show-bsn
like "with the BSN" '111222333' "$OUT"
ok "so is the other" "$INBEELD" person show "$prov"
like "with the name" 'Visser' "$OUT"
ok "the merge still undoes" "$INBEELD" person unmerge 1

fails 1 "the old key file no longer opens the data" \
	env INBEELD_KEYFILE="$T/backup.key" "$INBEELD" person show "$key"
like "it lacks the new key" 'data key 2' "$ERR"

ok "rotate again" "$INBEELD" keys rotate
like "now under key 3" 'data key 3' "$OUT"
ok "still readable" "$INBEELD" person find --surname testbeeld --birth-date 2009-03-04
like "found by the unchanged blind index" "$key" "$OUT"
ok "the audit log is intact" "$INBEELD" audit verify
done_testing
