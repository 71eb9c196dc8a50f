#!/usr/bin/env bash
# inbeeld monitor vsv: the vsv count and percentage of school year 2024/25 and the oud-vsv,
# by municipality, from hand-written feeds: six leavers without a startkwalificatie, one
# with a diploma on 31 December, stayers, two PrO leavers (apart, and in the population when
# the region says so), an oud-vsv; small cells suppressed (the setting), the policy role
# reads it, the care role does not, and the read is audited as an aggregate.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
sql() {
	if [ "${INBEELD_TEST_BACKEND:-sqlite}" = postgresql ]; then
		PGOPTIONS="-csearch_path=$INBEELD_SCHEMA" psql -At "$INBEELD_TEST_PG" -c "$1"
	else
		sqlite3 "$INBEELD_DB" "$1"
	fi
}
new_store
ok "init" "$INBEELD" init
ok "region" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv"
ok "organisations" "$INBEELD" org load "$F/organisations.csv"

# BSNs that pass the elfproef; who is who is in the comments.
leavers="123456708 123456721 123456733 123456745 123456757 123456769" # mbo-2, left June 2025
late_sk=123456770                                                   # diploma 31 Dec 2025
stayers="123456782 123456794 123456800 123456812 123456824 123456836 123456848 123456861"
pro="123456873 123456885"                                           # PrO, Heerlen, left
oud=123456897                                                       # left in June 2024
{
	echo "bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died"
	for b in $leavers $late_sk $stayers $oud; do
		echo "$b;Sam;;Test;2006-05-01;Markt;1;6211CK;Maastricht;GM0935;2006-05-01;;"
	done
	for b in $pro; do
		echo "$b;Sam;;Test;2007-05-01;Markt;1;6411CD;Heerlen;GM0917;2007-05-01;;"
	done
} >"$T/residence.csv"
header="bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason"
{
	echo "$header"
	for b in $leavers $late_sk $stayers; do echo "$b;25LR;02;mbo;mbo-2;25000;2023-08-01;;"; done
	for b in $pro; do echo "$b;30AB;00;PrO;arbeidsmarkt;;2020-08-01;;"; done
	echo "$oud;25LR;02;mbo;mbo-2;25000;2022-08-01;;"
} >"$T/enrolments_2023-10-01.csv"
{
	echo "$header"
	for b in $leavers $late_sk $stayers; do echo "$b;25LR;02;mbo;mbo-2;25000;2023-08-01;;"; done
	for b in $pro; do echo "$b;30AB;00;PrO;arbeidsmarkt;;2020-08-01;;"; done
	echo "$oud;25LR;02;mbo;mbo-2;25000;2022-08-01;2024-06-30;uitval"
} >"$T/enrolments_2024-10-01.csv"
{
	echo "$header"
	for b in $leavers; do echo "$b;25LR;02;mbo;mbo-2;25000;2023-08-01;2025-06-30;uitval"; done
	echo "$late_sk;25LR;02;mbo;mbo-2;25000;2023-08-01;2025-06-30;uitval"
	for b in $stayers; do echo "$b;25LR;02;mbo;mbo-2;25000;2023-08-01;;"; done
	for b in $pro; do echo "$b;30AB;00;PrO;arbeidsmarkt;;2020-08-01;2025-07-31;uitstroom"; done
} >"$T/enrolments_2025-10-01.csv"
printf '%s\n%s\n' "bsn;qualification;crebo;diploma_date;brin;vestiging" \
	"$late_sk;mbo-2;25000;2025-12-31;25LR;02" >"$T/diplomas.csv"

ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 --as-of 2026-01-01 --no-signals
for y in 2023 2024 2025; do
	ok "enrolments $y" "$INBEELD" import enrolments "$T/enrolments_$y-10-01.csv" --source duo:DUO --as-of "$y-10-01" --no-signals
done
ok "diplomas" "$INBEELD" import diplomas "$T/diplomas.csv" --source duo:DUO --as-of 2026-01-01 --no-signals

run "$INBEELD" monitor vsv --year 2024 --json
is "exits 0" 0 "$?"
is "the region of the store" MC39 "$(jq -r .region <<<"$OUT")"
is "the reference dates" '["2024-10-01","2025-10-01"]' "$(jq -c .reference_dates <<<"$OUT")"
M=$(jq -c '.municipalities[] | select(.municipality == "GM0935")' <<<"$OUT")
is "Maastricht: 15 enrolled on 1 October 2024" 15 "$(jq .population.enrolled <<<"$M")"
is "six new vsv (the late diploma is not one)" 6 "$(jq .population.new_vsv <<<"$M")"
is "the percentage" 40 "$(jq .population.vsv_percentage <<<"$M")"
is "named" Maastricht "$(jq -r .name <<<"$M")"
H=$(jq -c '.municipalities[] | select(.municipality == "GM0917")' <<<"$OUT")
is "Heerlen's PrO leavers are not in the population" 0 "$(jq .population.enrolled <<<"$H")"
is "and their two are suppressed" "null null" "$(jq -r '"\(.pro.enrolled) \(.pro.new_vsv)"' <<<"$H")"
is "one oud-vsv: suppressed too" null "$(jq .total.oud_vsv <<<"$OUT")"
run "$INBEELD" monitor vsv --year 2024
like "a table in text" "GM0935 Maastricht" "$OUT"

ok "show every count" "$INBEELD" settings set monitor.suppress_below 1
run "$INBEELD" monitor vsv --year 2024 --json
is "PrO apart: 2 enrolled, 2 left" "2 2" "$(jq -r '.total.pro | "\(.enrolled) \(.new_vsv)"' <<<"$OUT")"
is "the oud-vsv" 1 "$(jq .total.oud_vsv <<<"$OUT")"
is "the population without PrO" "15 6" "$(jq -r '.total.population | "\(.enrolled) \(.new_vsv)"' <<<"$OUT")"
ok "PrO in the population" "$INBEELD" settings set definitions.vsv_population_includes_pro true
run "$INBEELD" monitor vsv --year 2024 --json
is "the population with PrO" "17 8" "$(jq -r '.total.population | "\(.enrolled) \(.new_vsv)"' <<<"$OUT")"
is "says so" true "$(jq .population.includes_pro <<<"$OUT")"
run "$INBEELD" monitor vsv --year 2025 --json
is "a year later the six and the two PrO leavers are oud-vsv, and the first one" 9 \
	"$(jq .total.oud_vsv <<<"$OUT")"

fails 1 "1 October 2027 has not come" "$INBEELD" monitor vsv --year 2026
like "says so" "not come yet" "$ERR"
fails 2 "the year is required" "$INBEELD" monitor vsv
fails 1 "an unknown region" "$INBEELD" monitor vsv --year 2024 --region MC99
like "names the region" "no RMC region .MC99." "$ERR"

ok "a policy user" "$INBEELD" user add beleid1 --org municipality:GM0935 --role policy --password-file <(echo "een lang wachtwoord 1")
ok "a care user" "$INBEELD" user add zorg1 --org municipality:GM0935 --role care --password-file <(echo "een lang wachtwoord 2")
ok "the policy role reads the aggregates" "$INBEELD" monitor vsv --year 2024 --user beleid1 --json
fails 1 "the care role does not" "$INBEELD" monitor vsv --year 2024 --user zorg1
like "says who may" "policy" "$ERR"
is "each report audited as an aggregate read, without a person" 6 \
	"$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'monitor.vsv' AND person_key IS NULL")"
is "one of them the policy user's" 1 \
	"$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'monitor.vsv' AND actor = 'beleid1'")"
is "the refusal too" 1 "$(sql "SELECT COUNT(*) FROM audit_log WHERE action = 'monitor.denied' AND actor = 'zorg1'")"
ok "the audit chain holds" "$INBEELD" audit verify
done_testing
