#!/usr/bin/env bash
# The ends of the audit log (docs/access.md, "Retention of the audit log"; docs/security.md):
# removing its newest entries directly in the database is found by `audit verify`, and so is
# a store put back from an older copy when an anchor was kept apart; `audit prune` removes
# what is older than the retention only after a dry run named it, and the log still verifies
# from the checkpoint, which a quiet removal of the oldest entry kept does not fool.
. "$(dirname "$0")/lib.sh"

sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -qAt "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

add_persons() { # how many
	local i
	for i in $(seq 1 "$1"); do
		"$INBEELD" person add --surname "Testbeeld$RANDOM" --birth-date 2009-03-04 \
			--postcode 6211AB >/dev/null || return 1
	done
}

# ---- the newest entries removed -----------------------------------------------------------
new_store
ok "init" "$INBEELD" init
ok "five entries" add_persons 5
ok "an honest log verifies" "$INBEELD" audit verify
like "all five" 'intact: 5 entries verified' "$OUT"
sql "DELETE FROM audit_log WHERE id IN (SELECT id FROM audit_log ORDER BY id DESC LIMIT 2)"
fails 1 "the last two rows deleted: verify fails" "$INBEELD" audit verify
like "and says so" 'the newest 2 audit entries were removed' "$ERR"
fails 1 "as JSON too" "$INBEELD" audit verify --json
is "not intact" false "$(printf '%s' "$OUT" | jq .intact)"
is "names the entry the head seals" 5 "$(printf '%s' "$OUT" | jq .first_bad)"
ok "the next entry" add_persons 1
fails 1 "does not hide it" "$INBEELD" audit verify
# A head made to agree with a shortened log, by someone without the key file.
sql "DELETE FROM audit_log WHERE id > 3; UPDATE audit_anchors SET seq = 3, entry_id = 3,
	hash = (SELECT hash FROM audit_log WHERE id = 3) WHERE name = 'head'"
fails 1 "a forged head" "$INBEELD" audit verify
like "its seal does not fit" 'seal does not fit' "$ERR"
fails 1 "verify needs the key file" env INBEELD_KEYFILE="$T/none.key" "$INBEELD" audit verify

# ---- an older copy put back, found by an anchor kept apart --------------------------------
new_store
ok "init" "$INBEELD" init
ok "three entries" add_persons 3
sql "CREATE TABLE old_log AS SELECT * FROM audit_log;
	CREATE TABLE old_anchors AS SELECT * FROM audit_anchors;"
ok "two more" add_persons 2
ok "anchor the head apart" "$INBEELD" audit anchor --file "$T/anchors"
like "anchored five" 'anchored: 5 entries' "$OUT"
is "the anchor file is private" 600 "$(stat -c %a "$T/anchors")"
ok "verify with the anchor" "$INBEELD" audit verify --anchor "$T/anchors"
like "one anchor checked" '1 anchor checked' "$OUT"
sql "DELETE FROM audit_log; INSERT INTO audit_log SELECT * FROM old_log;
	DELETE FROM audit_anchors; INSERT INTO audit_anchors SELECT * FROM old_anchors;"
ok "the older copy is consistent in itself" "$INBEELD" audit verify
fails 1 "but not with the anchor" "$INBEELD" audit verify --anchor "$T/anchors"
like "which says so" 'older copy' "$ERR"

# ---- prune ------------------------------------------------------------------------------------
new_store
ok "init" "$INBEELD" init
ok "four entries" add_persons 4
fails 2 "prune needs --dry-run or --up-to" "$INBEELD" audit prune
ok "dry run today" "$INBEELD" audit prune --dry-run
like "nothing is older than five years" 'no audit entry is older than 5 years' "$OUT"
fails 1 "a prune of what is younger is refused" "$INBEELD" audit prune --up-to 2
like "names the rule" 'younger than the retention' "$ERR"
is "nothing was removed" 4 "$(sql "SELECT count(*) FROM audit_log")"
later=$(date -u -d '+6 years' +%Y-%m-%d)
ok "dry run six years on" env INBEELD_TODAY="$later" "$INBEELD" audit prune --dry-run --json
is "all four would go" 4 "$(printf '%s' "$OUT" | jq .would_remove)"
ok "the dry run as text" env INBEELD_TODAY="$later" "$INBEELD" audit prune --dry-run
like "tells the command" 'audit prune --up-to 4' "$OUT"
ok "prune up to the third" env INBEELD_TODAY="$later" "$INBEELD" audit prune --up-to 3
like "three removed" '3 audit entries older than 5 years removed' "$OUT"
is "the fourth and the prune's entry are left" 2 "$(sql "SELECT count(*) FROM audit_log")"
is "the prune is audited" 1 "$(sql "SELECT count(*) FROM audit_log WHERE action = 'audit.prune'
	AND detail LIKE 'removed 3 entries, ids 1 to 3%'")"
ok "the log verifies from the checkpoint" "$INBEELD" audit verify
like "two verified after three pruned" 'intact: 2 entries verified after 3 pruned' "$OUT"
ok "one more" add_persons 1
ok "and still" "$INBEELD" audit verify
sql "DELETE FROM audit_log WHERE id = 4"
fails 1 "the oldest entry kept removed quietly" "$INBEELD" audit verify
like "does not follow the checkpoint" 'does not follow the checkpoint' "$ERR"
fails 1 "a prune does not hide it" env INBEELD_TODAY="$later" "$INBEELD" audit prune --up-to 6
like "nothing pruned" 'nothing pruned' "$ERR"
done_testing
