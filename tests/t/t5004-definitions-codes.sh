#!/usr/bin/env bash
# Two fixed lists of docs/definitions.md through the feeds: the statuses of a verzuimmelding
# (DUO: Geregistreerd, In behandeling, Afgesloten, Ingetrokken, Ter kennisgeving aangenomen)
# and the uitstroomprofielen of VSO (vervolgonderwijs, arbeidsmarkt, dagbesteding); any other
# value is refused with the field and the rule.
. "$(dirname "$0")/lib.sh"
new_store
ok "init" "$INBEELD" init
printf '%s\n%s\n%s\n%s\n' "kind;ident;name;school_type;levels;municipality_code" \
	"municipality;GM0935;Maastricht;;;GM0935" \
	"school;40VS00;VSO De Wissel;VSO;vervolgonderwijs,arbeidsmarkt,dagbesteding;GM0935" \
	"duo;DUO;DUO;;;" >"$T/organisations.csv"
ok "organisations" "$INBEELD" org load "$T/organisations.csv"
printf '%s\n%s\n' \
	"bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died" \
	"123456708;Sam;;Test;2010-05-01;Markt;1;6211CK;Maastricht;GM0935;2010-05-01;;" >"$T/residence.csv"
ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 --as-of 2026-01-01 --no-signals

header="bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason"
n=0
for profile in vervolgonderwijs arbeidsmarkt dagbesteding; do
	n=$((n + 1))
	printf '%s\n%s\n' "$header" "123456708;40VS;00;VSO;$profile;;2022-08-0$n;;" >"$T/enrolments_2025-10-01.csv"
	ok "VSO profile $profile" "$INBEELD" import enrolments "$T/enrolments_2025-10-01.csv" --source duo:DUO --as-of 2025-10-01 --mode delta --no-signals
done
printf '%s\n%s\n' "$header" "123456708;40VS;00;VSO;werk;;2022-08-04;;" >"$T/enrolments_2025-10-01.csv"
fails 1 "no fourth profile" "$INBEELD" import enrolments "$T/enrolments_2025-10-01.csv" --source duo:DUO --as-of 2025-10-01 --mode delta --no-signals
like "names the field and the profiles" "level.*arbeidsmarkt" "$ERR"

absence() { # status status_date
	printf '%s\n%s\n' "report_id;bsn;brin;vestiging;kind;period_from;period_to;hours_lost;reported_on;status;status_date" \
		"R1;123456708;40VS;00;relatief;2026-01-05;2026-02-01;16;2026-02-03;$1;$2" >"$T/absence.csv"
	"$INBEELD" import absence "$T/absence.csv" --source duo:DUO --as-of "$2" --no-signals
}
day=2026-02-03
for status in Geregistreerd "In behandeling" Afgesloten Ingetrokken "Ter kennisgeving aangenomen"; do
	ok "status $status" absence "$status" "$day"
	day=$(date -u -d "$day + 1 day" +%F)
done
fails 1 "no other status" absence Open "$day"
like "names the field and the rule" "status.*unknown code" "$ERR"
done_testing
