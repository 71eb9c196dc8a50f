#!/usr/bin/env bash
# inbeeld user: add (password from a file or standard input, the password policy, the name
# rule, unknown organisations and roles), list, disable, enable, passwd, roles — each change
# audited without the password, and the password stored only as an argon2id hash.
. "$(dirname "$0")/lib.sh"

sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

new_store
ok "init" "$INBEELD" init
ok "org add" "$INBEELD" org add --kind municipality --ident GM0935 --name Maastricht
ok "org add school" "$INBEELD" org add --kind school --ident 12AB00 --name "Sint-Maartenscollege" \
	--school-type VO

printf 'correct horse battery\n' >"$T/pw"
ok "add with --password-file" "$INBEELD" user add Anna --org municipality:GM0935 \
	--role leerplicht,rmc --name "Anna de Vries" --password-file "$T/pw"
is "says what it did" "user anna added (organisation municipality:GM0935, roles leerplicht,rmc)" "$OUT"
ok "add with the password on standard input" \
	sh -c 'printf "another long secret\n" | "$INBEELD" user add bob --org school:12AB00 --role school'
fails 1 "a name in use" sh -c 'printf "another long secret\n" | "$INBEELD" user add ANNA --org municipality:GM0935 --role rmc'
like "says it exists" "a user 'anna' exists already" "$ERR"
fails 1 "a short password" sh -c 'printf "short\n" | "$INBEELD" user add carol --org municipality:GM0935 --role rmc'
like "names the rule" "fewer than 12 characters" "$ERR"
fails 1 "the user name inside the password" \
	sh -c 'printf "xxCAROLxx-1234\n" | "$INBEELD" user add carol --org municipality:GM0935 --role rmc'
like "names that rule" "contains the user name" "$ERR"
unlike "never repeats the password" "xxCAROLxx" "$ERR"
fails 1 "no password at all" sh -c '"$INBEELD" user add carol --org municipality:GM0935 --role rmc </dev/null'
like "says so" "no password on standard input" "$ERR"
fails 1 "an unknown role" sh -c 'printf "another long secret\n" | "$INBEELD" user add carol --org municipality:GM0935 --role rmc,wizard'
like "names the role and the roles" "role 'wizard' is not a role \(roles: leerplicht, rmc" "$ERR"
fails 1 "an unknown organisation" sh -c 'printf "another long secret\n" | "$INBEELD" user add carol --org municipality:GM0999 --role rmc'
like "names the organisation" "user 'carol'.*GM0999" "$ERR"
fails 1 "a bad user name" sh -c 'printf "another long secret\n" | "$INBEELD" user add "carol smith" --org municipality:GM0935 --role rmc'
like "names the rule" "breaks the rule" "$ERR"
fails 2 "--org is required" "$INBEELD" user add carol --role rmc
fails 1 "a missing password file" "$INBEELD" user add carol --org municipality:GM0935 --role rmc \
	--password-file "$T/nothing"
like "names the file" "$T/nothing" "$ERR"

ok "list" "$INBEELD" user list
like "anna with her organisation, roles and name" \
	"^anna +municipality:GM0935 +leerplicht,rmc +active +Anna de Vries" "$OUT"
like "bob at the school" "bob +school:12AB00 +school +active" "$OUT"
ok "list --json" "$INBEELD" user list --json
is "two users" 2 "$(printf '%s' "$OUT" | jq length)"
is "roles as an array" '["leerplicht","rmc"]' "$(printf '%s' "$OUT" | jq -c '.[0].roles')"
is "no hash in the listing" "" "$(printf '%s' "$OUT" | grep -i -E 'argon|hash|password')"

hash=$(sql "SELECT password_hash FROM users WHERE username = 'anna'")
like "the password is an argon2id hash" '^\$argon2id\$v=19\$m=65536,t=2,p=1\$' "$hash"
unlike "not the password itself" "correct horse" "$hash"

ok "disable" "$INBEELD" user disable anna
ok "shows disabled" "$INBEELD" user list
like "anna disabled" "^anna .* disabled" "$OUT"
ok "enable" "$INBEELD" user enable anna
ok "list again" "$INBEELD" user list
like "anna active again" "^anna .* active" "$OUT"
fails 1 "disable an unknown user" "$INBEELD" user disable nobody
like "names the user" "no user 'nobody'" "$ERR"

ok "passwd from standard input" sh -c 'printf "a brand new secret\n" | "$INBEELD" user passwd anna'
new_hash=$(sql "SELECT password_hash FROM users WHERE username = 'anna'")
ok "the hash changed" test "$hash" != "$new_hash"
fails 1 "passwd refuses a short password" sh -c 'printf "tiny\n" | "$INBEELD" user passwd anna'
fails 1 "passwd for an unknown user" sh -c 'printf "a brand new secret\n" | "$INBEELD" user passwd nobody'

ok "roles --set" "$INBEELD" user roles anna --set care,policy
is "says the new roles" "user anna has roles care,policy" "$OUT"
is "roles stored" "care,policy" "$(sql "SELECT string_agg(role, ',') FROM (SELECT role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'anna' ORDER BY role) x" 2>/dev/null ||
	sql "SELECT group_concat(role, ',') FROM (SELECT role FROM user_roles r JOIN users u ON u.id = r.user_id WHERE u.username = 'anna' ORDER BY role)")"
fails 1 "roles --set with an unknown role" "$INBEELD" user roles anna --set nope

actions=$(sql "SELECT action || ' ' || actor || ' ' || coalesce(person_key, '-') FROM audit_log WHERE action LIKE 'user.%' ORDER BY id")
like "user.add audited" "^user\.add cli:[^ ]+ -" "$actions"
is "every change audited" "user.add user.add user.disable user.enable user.passwd user.roles" \
	"$(printf '%s\n' "$actions" | cut -d' ' -f1 | tr '\n' ' ' | sed 's/ $//')"
unlike "no password in the audit log" "correct horse|brand new|another long" \
	"$(sql "SELECT detail FROM audit_log")"
ok "the audit chain holds" "$INBEELD" audit verify

done_testing
