#!/usr/bin/env bash
# The authorisation matrix (docs/access.md, "Who sees whom"): every route and command that
# touches persons, for every role, for a person inside and one outside the caller's scope,
# against the answer written in the table below. A person route in src/http/routes.c
# without rows here fails the test. The person lists hold exactly whom each role may see
# one by one; care details (youth care and Wmo facts, care records and events, care records
# cited by signals) reach care roles alone, per view, in a second table. Then break the
# glass, the audit of reads and refusals, and a server log without the fixture's BSNs and
# names.
. "$(dirname "$0")/lib.sh"
. "$(dirname "$0")/lib-serve.sh"
. "$(dirname "$0")/lib-login.sh"

export INBEELD_TODAY=2026-11-01
unset INBEELD_USER

sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}

# ---- the fixture: one person in scope of each role, and one in nobody's -------------------
#   school   Anouk  enrolled at 14EK00 now, lives in Heerlen, 21
#   lp       Bram   leerplichtig (14), lives in Maastricht, enrolled at 14EK01
#   rmc      Chantal 20, lives in Maastricht, no startkwalificatie, not enrolled
#   care     Daan   client of care provider 98765432, enrolled in mbo, lives in Heerlen
#   jobcoach Eva    23, handed to UWV by consent (a grant)
#   out      Finn   25, lives in Maastricht: in nobody's scope
#   Gijs     19, lives in Maastricht, youth care ended 2026-03-31, nothing since: uit beeld
#            (a signal for the RMC that cites the ended care record); in the RMC's scope
#   Bram also has youth care paid by Heerlen: a leerplicht user with a
#   care role in Maastricht sees Bram, but not his care.
F="$INBEELD_SRC/tests/fixtures/feeds"
new_store
ok "init" "$INBEELD" init
ok "region" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv" \
	--year 2023
ok "organisations" "$INBEELD" org load "$F/organisations.csv"
# The RMC signals of the region go to Maastricht, where the RMC user works.
ok "RMC of the region is Maastricht" "$INBEELD" settings set signals.rmc_municipality GM0935 \
	--region MC39

cat >"$T/residence.csv" <<'EOF'
bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died
200000330;Anouk;;Smeets;2005-05-05;Akerstraat;1;6411AA;Heerlen;GM0917;2005-05-05;;
200000421;Bram;;Janssen;2012-02-02;Boschstraat;2;6211AB;Maastricht;GM0935;2012-02-02;;
200000470;Chantal;;Peeters;2006-06-06;Tongerseweg;3;6213AC;Maastricht;GM0935;2006-06-06;;
200000512;Daan;;Hendriks;2004-04-04;Geleenstraat;4;6411AD;Heerlen;GM0917;2004-04-04;;
200000561;Eva;;Willems;2003-03-03;Valkenburgerweg;5;6411AE;Heerlen;GM0917;2003-03-03;;
200000603;Finn;;Dekker;2001-01-01;Statensingel;6;6217AF;Maastricht;GM0935;2001-01-01;;
200000615;Gijs;;Vos;2007-07-07;Wycker Brugstraat;7;6221AG;Maastricht;GM0935;2007-07-07;;
EOF
cat >"$T/enrolments.csv" <<'EOF'
bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason
200000330;14EK;00;VO;havo;;2023-08-01;;
200000421;14EK;01;VO;vmbo-t;;2024-08-01;;
200000512;25LR;02;mbo;mbo-2;25255;2025-08-01;;
EOF
cat >"$T/care.csv" <<'EOF'
allocation_id;bsn;provider_agb;law;product_category;product_code;start_date;end_date;municipality_code
TW9000001;200000512;98765432;jeugdwet;45;45A01;2026-01-01;;GM0917
TW9000002;200000615;98765432;jeugdwet;45;45A01;2025-01-01;2026-03-31;GM0935
TW9000003;200000421;98765432;jeugdwet;41;41A01;2026-02-01;;GM0917
EOF
ok "import residence" "$INBEELD" import residence "$T/residence.csv" \
	--source municipality:GM0935 --as-of 2026-10-01
ok "import enrolments" "$INBEELD" import enrolments "$T/enrolments.csv" --source duo:DUO \
	--as-of 2026-10-01
ok "import care" "$INBEELD" import care "$T/care.csv" --source municipality:GM0917 \
	--as-of 2026-10-01

key_of() { "$INBEELD" person find --surname "$1" --birth-date "$2" --json | jq -r '.[0].key'; }
declare -A KEY
KEY[school]=$(key_of Smeets 2005-05-05)
KEY[leerplicht]=$(key_of Janssen 2012-02-02)
KEY[rmc]=$(key_of Peeters 2006-06-06)
KEY[care]=$(key_of Hendriks 2004-04-04)
KEY[jobcoach]=$(key_of Willems 2003-03-03)
KEY[out]=$(key_of Dekker 2001-01-01)
GIJS=$(key_of Vos 2007-07-07)
# The roles that never see a person get the leerplicht person as their "in" case.
for r in policy admin auditor editor; do KEY[$r]=${KEY[leerplicht]}; done
like "keys found" '^[0-9a-f]{64}$' "${KEY[out]}"
declare -A SURNAME=([school]=Smeets [leerplicht]=Janssen [rmc]=Peeters [care]=Hendriks
	[jobcoach]=Willems [out]=Dekker [policy]=Janssen [admin]=Janssen [auditor]=Janssen
	[editor]=Janssen)
declare -A BIRTH=([Smeets]=2005-05-05 [Janssen]=2012-02-02 [Peeters]=2006-06-06
	[Hendriks]=2004-04-04 [Willems]=2003-03-03 [Dekker]=2001-01-01)

ok "consent grant for UWV" "$INBEELD" access grant "${KEY[jobcoach]}" --org uwv:UWV-ZL \
	--kind consent --purpose "werkbegeleiding" --legal-ground "toestemming van de jongere"
grant_id=$OUT

declare -A ORG=([leerplicht]=municipality:GM0935 [rmc]=municipality:GM0935
	[school]=school:14EK00 [care]=care:98765432 [jobcoach]=uwv:UWV-ZL
	[policy]=municipality:GM0935 [admin]=municipality:GM0935
	[auditor]=municipality:GM0935 [editor]=municipality:GM0935)
ROLES="leerplicht rmc school care jobcoach policy admin auditor editor"
for r in $ROLES; do
	ok "user $r" add_user "u$r" "$r" "${ORG[$r]}"
done
ok "user with leerplicht and care" add_user ulpcare leerplicht,care municipality:GM0935

# ---- the matrix ------------------------------------------------------------------------------
# route or command                   role        in   out
# HTTP cells are status codes; "-" where a route takes no person (lists). CLI cells are exit
# statuses; for `person find`, "found" or "none" (a search never says who else exists).
MATRIX='
GET /api/v1/persons                  leerplicht  200  -
GET /api/v1/persons                  rmc         200  -
GET /api/v1/persons                  school      200  -
GET /api/v1/persons                  care        200  -
GET /api/v1/persons                  jobcoach    200  -
GET /api/v1/persons                  policy      403  -
GET /api/v1/persons                  admin       403  -
GET /api/v1/persons                  auditor     403  -
GET /api/v1/persons                  editor      403  -
GET /api/v1/persons/{key}            leerplicht  200  404
GET /api/v1/persons/{key}            rmc         200  404
GET /api/v1/persons/{key}            school      200  404
GET /api/v1/persons/{key}            care        200  404
GET /api/v1/persons/{key}            jobcoach    200  404
GET /api/v1/persons/{key}            policy      403  403
GET /api/v1/persons/{key}            admin       403  403
GET /api/v1/persons/{key}            auditor     403  403
GET /api/v1/persons/{key}            editor      403  403
GET /api/v1/persons/{key}/status     leerplicht  200  404
GET /api/v1/persons/{key}/status     rmc         200  404
GET /api/v1/persons/{key}/status     school      200  404
GET /api/v1/persons/{key}/status     care        200  404
GET /api/v1/persons/{key}/status     jobcoach    200  404
GET /api/v1/persons/{key}/status     policy      403  403
GET /api/v1/persons/{key}/status     admin       403  403
GET /api/v1/persons/{key}/status     auditor     403  403
GET /api/v1/persons/{key}/status     editor      403  403
GET /api/v1/persons/{key}/timeline   leerplicht  200  404
GET /api/v1/persons/{key}/timeline   rmc         200  404
GET /api/v1/persons/{key}/timeline   school      200  404
GET /api/v1/persons/{key}/timeline   care        200  404
GET /api/v1/persons/{key}/timeline   jobcoach    200  404
GET /api/v1/persons/{key}/timeline   policy      403  403
GET /api/v1/persons/{key}/timeline   admin       403  403
GET /api/v1/persons/{key}/timeline   auditor     403  403
GET /api/v1/persons/{key}/timeline   editor      403  403
GET /api/v1/signals                  leerplicht  200  -
GET /api/v1/signals                  rmc         200  -
GET /api/v1/signals                  school      200  -
GET /api/v1/signals                  care        200  -
GET /api/v1/signals                  jobcoach    200  -
GET /api/v1/signals                  policy      403  -
GET /api/v1/signals                  admin       403  -
GET /api/v1/signals                  auditor     403  -
GET /api/v1/signals                  editor      403  -
POST /api/v1/persons/{key}/break-glass leerplicht 201 201
POST /api/v1/persons/{key}/break-glass rmc        201 201
POST /api/v1/persons/{key}/break-glass school     201 201
POST /api/v1/persons/{key}/break-glass care       201 201
POST /api/v1/persons/{key}/break-glass jobcoach   201 201
POST /api/v1/persons/{key}/break-glass policy     403 403
POST /api/v1/persons/{key}/break-glass admin      403 403
POST /api/v1/persons/{key}/break-glass auditor    403 403
POST /api/v1/persons/{key}/break-glass editor     403 403
cli person-show                      leerplicht  0    1
cli person-show                      rmc         0    1
cli person-show                      school      0    1
cli person-show                      care        0    1
cli person-show                      jobcoach    0    1
cli person-show                      policy      1    1
cli person-show                      admin       1    1
cli person-show                      auditor     1    1
cli person-show                      editor      1    1
cli person-find                      leerplicht  found none
cli person-find                      rmc         found none
cli person-find                      school      found none
cli person-find                      care        found none
cli person-find                      jobcoach    found none
cli person-find                      policy      none  none
cli person-find                      admin       none  none
cli person-find                      auditor     none  none
cli person-find                      editor      none  none
cli status                           leerplicht  0    1
cli status                           rmc         0    1
cli status                           school      0    1
cli status                           care        0    1
cli status                           jobcoach    0    1
cli status                           policy      1    1
cli status                           admin       1    1
cli status                           auditor     1    1
cli status                           editor      1    1
cli timeline                         leerplicht  0    1
cli timeline                         rmc         0    1
cli timeline                         school      0    1
cli timeline                         care        0    1
cli timeline                         jobcoach    0    1
cli timeline                         policy      1    1
cli timeline                         admin       1    1
cli timeline                         auditor     1    1
cli timeline                         editor      1    1
cli person-list                      leerplicht  0    -
cli person-list                      rmc         0    -
cli person-list                      school      0    -
cli person-list                      care        0    -
cli person-list                      jobcoach    0    -
cli person-list                      policy      1    -
cli person-list                      admin       1    -
cli person-list                      auditor     1    -
cli person-list                      editor      1    -
'

rows() { printf '%s\n' "$MATRIX" | grep -v '^$'; }

# Every person route of the route table has rows, for every role; and no row names a route
# that is not there.
routes=$(grep -oE '\{"(GET|POST|PUT|PATCH|DELETE)", "/api/v1/(persons|signals)[^"]*"' \
	"$INBEELD_SRC/src/http/routes.c" | sed -E 's/\{"([A-Z]+)", "([^"]+)"/\1 \2/' | sort -u)
like "the route table has person routes" '/api/v1/persons/\{key\}' "$routes"
while read -r method pattern; do
	for r in $ROLES; do
		n=$(rows | awk -v m="$method" -v p="$pattern" -v r="$r" \
			'$1 == m && $2 == p && $3 == r' | wc -l)
		is "matrix has $method $pattern for $r" 1 "$n"
	done
done <<<"$routes"
tabled=$(rows | awk '$1 != "cli" {print $1 " " $2}' | sort -u)
is "the matrix names only routes of the table" "$routes" "$tabled"
for c in person-show person-find status timeline person-list; do
	for r in $ROLES; do
		is "matrix has cli $c for $r" 1 "$(rows | awk -v c="$c" -v r="$r" \
			'$1 == "cli" && $2 == c && $3 == r' | wc -l)"
	done
done

start_server
is "server up" 0 $?
for r in $ROLES lpcare; do
	login "u$r"
	is "login u$r" 200 "$STATUS"
done

# One HTTP cell: request the route as the role's user for the person, compare the status.
http_cell() { # method pattern role which expected
	local method=$1 pattern=$2 role=$3 which=$4 want=$5 key path
	[ "$want" = - ] && return 0
	key=${KEY[$role]}
	[ "$which" = out ] && key=${KEY[out]}
	path=${pattern//\{key\}/$key}
	if [ "$method" = POST ]; then
		as "u$role" "$path" -X POST -H 'Content-Type: application/json' \
			--data-binary '{"reason": "acute zorgmelding, bellen met ouders"}'
	else
		as "u$role" "$path"
	fi
	is "$method $pattern as $role, $which scope: $want" "$want" "$STATUS"
	if [ "$want" = 404 ]; then
		is "$method $pattern as $role, $which: the same answer as an unknown key" \
			'{"error":{"code":"not_found","message":"no such person"}}' "$BODY"
	fi
}

cli_cell() { # command role which expected
	local cmd=$1 role=$2 which=$3 want=$4 key surname rc
	[ "$want" = - ] && return 0
	key=${KEY[$role]}
	surname=${SURNAME[$role]}
	if [ "$which" = out ]; then
		key=${KEY[out]}
		surname=Dekker
	fi
	case $cmd in
	person-show) run "$INBEELD" person show "$key" --user "u$role" ;;
	status) run "$INBEELD" status "$key" --user "u$role" ;;
	timeline) run "$INBEELD" timeline "$key" --user "u$role" ;;
	person-list) run "$INBEELD" person list --user "u$role" ;;
	person-find)
		run "$INBEELD" person find --surname "$surname" --birth-date "${BIRTH[$surname]}" \
			--user "u$role"
		rc=$?
		local got=none
		[ $rc -eq 0 ] && printf '%s' "$OUT" | grep -q "$key" && got=found
		is "cli person find as $role, $which scope: $want" "$want" "$got"
		return 0
		;;
	esac
	rc=$?
	is "cli $cmd as $role, $which scope: exit $want" "$want" "$rc"
	if [ "$want" = 1 ] && [ "$which" = out ]; then
		like "cli $cmd as $role, out: as for an unknown key" \
			"no person with key|never sees persons" "$ERR"
	fi
}

# Break the glass changes what is seen afterwards: those rows run last.
while read -r first second role in out; do
	[ "$first" = POST ] && continue
	if [ "$first" = cli ]; then
		cli_cell "$second" "$role" in "$in"
		cli_cell "$second" "$role" out "$out"
	else
		http_cell "$first" "$second" "$role" in "$in"
		http_cell "$first" "$second" "$role" out "$out"
	fi
done < <(rows)

# ---- the person list holds exactly whom the role sees one by one ------------------------------
# For every role that works with persons and every person of the fixture: listed by
# GET /api/v1/persons and `person list` if and only if GET /api/v1/persons/{key} answers 200;
# `total` counts just those.
ALL_KEYS="${KEY[school]} ${KEY[leerplicht]} ${KEY[rmc]} ${KEY[care]} ${KEY[jobcoach]} ${KEY[out]} $GIJS"
for r in leerplicht rmc school care jobcoach; do
	as "u$r" "/api/v1/persons?limit=1000"
	is "list as $r: 200" 200 "$STATUS"
	api_list=$BODY
	run "$INBEELD" person list --user "u$r" --limit 1000 --json
	cli_list=$OUT
	seen=0
	for k in $ALL_KEYS; do
		as "u$r" "/api/v1/persons/$k"
		want=no
		[ "$STATUS" = 200 ] && want=yes && seen=$((seen + 1))
		got=no
		printf '%s' "$api_list" | jq -e --arg k "$k" 'any(.persons[]; .key == $k)' \
			>/dev/null && got=yes
		is "API list as $r has ${k:0:8}: as the person route says" "$want" "$got"
		got=no
		printf '%s' "$cli_list" | jq -e --arg k "$k" 'any(.persons[]; .key == $k)' \
			>/dev/null && got=yes
		is "CLI list as $r has ${k:0:8}: as the person route says" "$want" "$got"
	done
	is "list as $r: total counts only those" "$seen" "$(printf '%s' "$api_list" | jq .total)"
	is "CLI list as $r: total counts only those" "$seen" "$(printf '%s' "$cli_list" | jq .total)"
done
listed=$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.list' AND actor = 'uschool'")
as uschool "/api/v1/persons?limit=1&offset=0"
is "a page of one as school" 1 "$(printf '%s' "$BODY" | jq '.persons | length')"
is "the page is audited, once" "$((listed + 1))" \
	"$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.list' AND actor = 'uschool'")"
is "its entry names no person" "persons(birth_date,municipality_code,postcode4) 1 of 1 from 0|" \
	"$(sql "SELECT detail || '|' || COALESCE(person_key, '') FROM audit_log
		WHERE action = 'person.list' AND actor = 'uschool' ORDER BY id DESC LIMIT 1")"

# The signals inbox of a role never lists a person outside its scope.
for r in leerplicht rmc school care jobcoach; do
	as "u$r" /api/v1/signals
	unlike "signals of $r: not the outside person" "${KEY[out]}" "$BODY"
done

# Reads and refusals are in the audit, with the rule that allowed each read.
is "read audited with the rule" "school: enrolled at 14EK00" \
	"$(sql "SELECT reason FROM audit_log WHERE action = 'person.read' AND actor = 'uschool'
		AND person_key = '${KEY[school]}' ORDER BY id LIMIT 1")"
is "refusal audited" "outside the need-to-know rules" \
	"$(sql "SELECT reason FROM audit_log WHERE action = 'person.denied' AND actor = 'uschool'
		AND person_key = '${KEY[out]}' ORDER BY id LIMIT 1")"
is "a jobcoach never gets the BSN" 1 \
	"$(run "$INBEELD" person show "${KEY[jobcoach]}" --user ujobcoach --show-bsn; echo $?)"
as ujobcoach "/api/v1/persons/${KEY[jobcoach]}"
unlike "jobcoach: masked BSN only" 200000561 "$BODY"
# Care details: only the care role sees the care feed's events in the timeline.
ok "care sees the care events" "$INBEELD" timeline "${KEY[care]}" --user ucare --json
like "care: allocation in the timeline" '"feed": *"care"' "$OUT"
ok "a school with a grant sees Daan" "$INBEELD" access grant "${KEY[care]}" \
	--org school:14EK00 --kind handover --purpose "overdracht mbo" --legal-ground "art. 8 WEB"
ok "school: the timeline of Daan" "$INBEELD" timeline "${KEY[care]}" --user uschool --json
unlike "school: no care events" '"feed": *"care"' "$OUT"
ok "the operator sees the care events" \
	"$INBEELD" timeline "${KEY[care]}" --json
like "operator: care events" '"feed": *"care"' "$OUT"

# ---- care details: care roles alone, in every view ---------------------------------------------
# view: api-status, api-timeline, cli-status, cli-timeline, cli-show (person show --on);
# user "-" is the operator. shown: the youth care flag and the care records and events are
# there; withheld: youth_care and wmo are null with "withheld": ["care"], no care record in
# the evidence and no care event (text: "not shown").
CARE='
api-status    ucare    care        shown
api-timeline  ucare    care        shown
cli-status    ucare    care        shown
cli-timeline  ucare    care        shown
cli-show      ucare    care        shown
api-status    uschool  care        withheld
api-timeline  uschool  care        withheld
cli-status    uschool  care        withheld
cli-timeline  uschool  care        withheld
cli-show      uschool  care        withheld
api-status    ulpcare  leerplicht  withheld
api-timeline  ulpcare  leerplicht  withheld
cli-status    ulpcare  leerplicht  withheld
cli-timeline  ulpcare  leerplicht  withheld
api-status    urmc     gijs        withheld
api-timeline  urmc     gijs        withheld
cli-status    urmc     gijs        withheld
cli-timeline  urmc     gijs        withheld
cli-status    -        care        shown
cli-timeline  -        leerplicht  shown
cli-timeline  -        gijs        shown
'
care_cell() { # view user person expected
	local view=$1 user=$2 who=$3 want=$4 key as_user=() got
	key=${KEY[$who]:-}
	[ "$who" = gijs ] && key=$GIJS
	[ "$user" != - ] && as_user=(--user "$user")
	case $view in
	api-status | api-timeline)
		as "$user" "/api/v1/persons/$key/${view#api-}"
		is "$view as $user for $who: 200" 200 "$STATUS"
		OUT=$BODY
		;;
	cli-status) run "$INBEELD" status "$key" "${as_user[@]}" --json ;;
	cli-timeline) run "$INBEELD" timeline "$key" "${as_user[@]}" --json ;;
	cli-show) run "$INBEELD" person show "$key" --on 2026-11-01 "${as_user[@]}" --json ;;
	esac
	case $view in
	*-timeline)
		got=$(printf '%s' "$OUT" | jq -r 'if (.events | type) != "array" then "no timeline"
			elif any(.events[]; .feed == "care") then "shown" else "withheld" end')
		;;
	*)
		local st=.
		[ "$view" = cli-show ] && st=.status
		# Vrijstellingen are withheld from every role here but leerplicht and RMC
		# (t3007); what counts is whether care is.
		got=$(printf '%s' "$OUT" | jq -r "$st"' | (.withheld // []) as $w |
			if ($w | index("care")) != null and
			.youth_care == null and .wmo == null and all(.evidence[]; .feed != "care")
			then "withheld" elif (.youth_care | type) == "boolean" and
			($w | index("care")) == null then "shown" else "mixed" end')
		;;
	esac
	is "$view as $user for $who: care $want" "$want" "$got"
}
while read -r view user who want; do
	[ -n "$view" ] && care_cell "$view" "$user" "$who" "$want"
done <<<"$CARE"
ok "text status as school: care not shown" "$INBEELD" status "${KEY[care]}" --user uschool
like "the text says why" 'youth care: +not shown' "$OUT"
ok "text status as care: care shown" "$INBEELD" status "${KEY[care]}" --user ucare
like "the text says yes" 'youth care: +yes' "$OUT"
# For a care role the layout is the operator's: the same keys in the same order, and
# `withheld` naming the vrijstellingen, which are for leerplicht and RMC roles.
as ucare "/api/v1/persons/${KEY[care]}/status"
care_keys=$(printf '%s' "$BODY" | jq -c 'keys_unsorted')
run "$INBEELD" status "${KEY[care]}" --json
is "care role: the status layout of the operator" \
	"$(printf '%s' "$OUT" | jq -c 'keys_unsorted + ["withheld", "key"]')" "$care_keys"
is "care role: vrijstellingen withheld" '["vrijstellingen"]' \
	"$(printf '%s' "$BODY" | jq -c .withheld)"
# Signal evidence: the RMC's uit-beeld signal for Gijs cites his ended care only for care eyes.
care_record=$(sql "SELECT r.id FROM feed_records r JOIN persons p ON p.id = r.person_id
	WHERE r.feed = 'care' AND p.pkey = '$GIJS'")
ok "the operator's view of Gijs's signal" "$INBEELD" signals list --person "$GIJS" \
	--rule uit_beeld --json
is "operator: the evidence cites the care record" true \
	"$(printf '%s' "$OUT" | jq --argjson c "$care_record" '[.[].evidence[]] | index($c) != null')"
as urmc "/api/v1/signals?rule=uit_beeld"
is "rmc: Gijs's uit-beeld signal is there" true \
	"$(printf '%s' "$BODY" | jq --arg k "$GIJS" 'any(.signals[]; .person == $k)')"
is "rmc: without the care record in its evidence" false \
	"$(printf '%s' "$BODY" | jq --argjson c "$care_record" '[.signals[].evidence[]] | index($c) != null')"
is "rmc: the residence is still cited" true \
	"$(printf '%s' "$BODY" | jq --arg k "$GIJS" '[.signals[] | select(.person == $k) | .evidence | length] | all(. > 0)')"

# Revoking the consent closes the jobcoach's access.
ok "revoke the consent" "$INBEELD" access revoke "$grant_id"
as ujobcoach "/api/v1/persons/${KEY[jobcoach]}"
is "jobcoach after the revoke: 404" 404 "$STATUS"
ok "access grants lists the revoked grant" "$INBEELD" access grants "${KEY[jobcoach]}" --json
like "grants: revoked" '"revoked": *true' "$OUT"

# ---- break the glass ---------------------------------------------------------------------------
as uschool "/api/v1/persons/${KEY[out]}/break-glass" -X POST -H 'Content-Type: application/json' \
	--data-binary '{"reason": "kort"}'
is "break the glass without a real reason: 400" 400 "$STATUS"
as_no_csrf uschool "/api/v1/persons/${KEY[out]}/break-glass" -X POST \
	-H 'Content-Type: application/json' --data-binary '{"reason": "acute zorgmelding"}'
is "break the glass without the CSRF token: 403" 403 "$STATUS"
while read -r first second role in out; do
	[ "$first" = POST ] || continue
	http_cell "$first" "$second" "$role" in "$in"
	http_cell "$first" "$second" "$role" out "$out"
done < <(rows)
as uschool "/api/v1/persons/${KEY[out]}"
is "after break the glass the school sees the outside person" 200 "$STATUS"
is "the read under it is marked" "break-the-glass: acute zorgmelding, bellen met ouders" \
	"$(sql "SELECT reason FROM audit_log WHERE action = 'person.read' AND actor = 'uschool'
		AND person_key = '${KEY[out]}' ORDER BY id DESC LIMIT 1")"
is "break the glass audited" 5 \
	"$(sql "SELECT count(*) FROM audit_log WHERE action = 'person.break_glass'
		AND person_key = '${KEY[out]}'")"
ok "glass-list" "$INBEELD" access glass-list --org school:14EK00 --json
is "glass-list: the school's" "uschool" "$(printf '%s' "$OUT" | jq -r '.[].user' | sort -u)"
is "glass-list: its two accesses" 2 "$(printf '%s' "$OUT" | jq length)"
ok "glass-list since tomorrow is empty" "$INBEELD" access glass-list --since 2099-01-01 --json
is "nothing since then" 0 "$(printf '%s' "$OUT" | jq length)"

# ---- the audit export a young person is entitled to, and the retention ---------------------
ok "audit export" "$INBEELD" audit export --person "${KEY[out]}" --json
like "export: the school's read under break the glass" \
	'"organisation": *"school:14EK00"' "$OUT"
is "export: break the glass marked" true \
	"$(printf '%s' "$OUT" | jq '[.entries[] | select(.action == "person.read") | .break_glass] | any')"
is "export: only this person's entries" "${KEY[out]}" \
	"$(printf '%s' "$OUT" | jq -r '[.entries[].detail, .person] | map(select(. != null)) | .[]' |
		grep -oE '[0-9a-f]{64}' | sort -u)"
unlike "export: no other person's key" "${KEY[school]}|${KEY[rmc]}" "$OUT"
ok "audit export as text" "$INBEELD" audit export --person "${KEY[out]}"
like "text export marks break the glass" 'BREAK THE GLASS' "$OUT"
ok "retention shown" "$INBEELD" audit retention
like "retention: 5 years by default" 'kept 5 years' "$OUT"
fails 1 "retention below 5 years refused" "$INBEELD" audit retention --years 3
like "names the rule" 'at least 5' "$ERR"
ok "retention set to 7" "$INBEELD" audit retention --years 7 --json
is "retention now 7" 7 "$(printf '%s' "$OUT" | jq .retention_years)"
ok "prune --dry-run" "$INBEELD" audit prune --dry-run --json
is "nothing younger than the retention would go" 0 "$(printf '%s' "$OUT" | jq .would_remove)"
fails 2 "prune without --dry-run is a usage error" "$INBEELD" audit prune

ok "audit verify" "$INBEELD" audit verify
stop_server

# ---- no personal data in the server's log ----------------------------------------------------
for v in 200000330 200000421 200000470 200000512 200000561 200000603 \
	Anouk Bram Chantal Daan Eva Finn Smeets Janssen Peeters Hendriks Willems Dekker; do
	unlike "server log holds no $v" "$v" "$(cat "$SERVER_LOG" "$SERVER_OUT")"
done

done_testing
