#!/usr/bin/env bash
# Duplicates and merges from the command line: a provisional record that is likely the same
# young person as a registered one is listed with its score; a merge fills the survivor and
# marks the other; an undo restores both; the refusals say why.
. "$(dirname "$0")/lib.sh"

new_store
"$INBEELD" init >/dev/null
ok "registered" "$INBEELD" person add --bsn 111222333 --given-name Zwaantje \
	--surname Testbeeld --birth-date 2009-03-04
kept=$OUT
ok "another registered" "$INBEELD" person add --bsn 123456782 --given-name Piet \
	--surname Visser --birth-date 2010-05-06 --postcode 6212AB
other=$OUT
ok "provisional, day and month swapped, a typo" "$INBEELD" person add --given-name Zwaantje \
	--surname Testbeeldt --birth-date 2009-04-03 --postcode 6211AB --phone 0612345678
prov=$OUT

ok "duplicates" "$INBEELD" person duplicates
like "the pair is listed, registered record first" "$kept  $prov" "$OUT"
like "with what agrees" 'surname~1,given_names,birth_date\(swapped\)' "$OUT"
unlike "the other person is not" "$other" "$OUT"
ok "duplicates as JSON" "$INBEELD" person duplicates --json
like "has a score" '"score": [0-9]+' "$OUT"
ok "a high minimum leaves it out" "$INBEELD" person duplicates --min-score 99 --json
is "none" "[]" "$OUT"
fails 2 "a minimum above 100 is a usage error" "$INBEELD" person duplicates --min-score 101

ok "merge" "$INBEELD" person merge "$prov" "$kept"
like "the record with the BSN survives" "merged $prov into $kept \\(merge 1\\)" "$OUT"
ok "show the survivor" "$INBEELD" person show "$kept"
like "its empty phone was filled" '0612345678' "$OUT"
like "and its postcode" 'postcode: +6211AB' "$OUT"
ok "show the merged record" "$INBEELD" person show "$prov"
like "it says where it went" "merged into: +$kept" "$OUT"
ok "no duplicates left" "$INBEELD" person duplicates --json
is "none" "[]" "$OUT"

fails 1 "a merged record is not merged again" "$INBEELD" person merge "$prov" "$other"
like "the refusal says so" 'merged into another record' "$ERR"
fails 1 "two records with a BSN are never merged" "$INBEELD" person merge "$kept" "$other"
like "the refusal says why" 'both have a BSN' "$ERR"

ok "unmerge" "$INBEELD" person unmerge 1
like "says so" 'merge 1 undone' "$OUT"
ok "show the survivor again" "$INBEELD" person show "$kept"
like "its phone is empty again" 'phone: +-' "$OUT"
ok "show the other again" "$INBEELD" person show "$prov" --json
like "it is no longer merged" '"merged_into": null' "$OUT"
fails 1 "a second undo is refused" "$INBEELD" person unmerge 1
like "it says it was undone" 'undone already' "$ERR"
fails 1 "an unknown merge" "$INBEELD" person unmerge 99
like "named" 'no merge with id 99' "$ERR"
fails 2 "a merge number must be a number" "$INBEELD" person unmerge abc
ok "the audit log is intact" "$INBEELD" audit verify
done_testing
