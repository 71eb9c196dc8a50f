#!/usr/bin/env bash
# definitions.leap_day_birthday through the command line: a young person born on 29 February
# 2008 who left school in 2024 is kwalificatieplichtig until the day before their 18th
# birthday, 1 March 2026 by default, 28 February 2026 when the region sets 02-28; status and
# the absoluut verzuim signal follow the region's setting.
. "$(dirname "$0")/lib.sh"
F=$INBEELD_SRC/tests/fixtures/feeds
new_store
ok "init" "$INBEELD" init
ok "region" "$INBEELD" region load "$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv"
ok "organisations" "$INBEELD" org load "$F/organisations.csv"
printf '%s\n%s\n' \
	"bsn;given_names;surname_prefix;surname;birth_date;street;house_number;postcode;city;municipality_code;moved_in;moved_out;died" \
	"123456708;Sam;;Test;2008-02-29;Markt;1;6211CK;Maastricht;GM0935;2008-02-29;;" >"$T/residence.csv"
printf '%s\n%s\n' "bsn;brin;vestiging;school_type;level;crebo;start_date;end_date;end_reason" \
	"123456708;14EK;00;VO;vmbo-t;;2020-08-01;2024-07-31;uitval" >"$T/enrolments_2024-10-01.csv"
ok "residence" "$INBEELD" import residence "$T/residence.csv" --source municipality:GM0935 --as-of 2026-01-01 --no-signals
ok "enrolments" "$INBEELD" import enrolments "$T/enrolments_2024-10-01.csv" --source duo:DUO --as-of 2024-10-01 --no-signals
KEY=$("$INBEELD" timeline --bsn 123456708 --json | jq -r .key)

status() { "$INBEELD" status "$KEY" --on "$1" --json | jq -r "$2"; }
absoluut() { "$INBEELD" signals list --rule absoluut_verzuim --json | jq -r '.[0].state // "none"'; }

is "by default the plicht ends the day before 1 March" 2026-02-28 "$(status 2026-02-28 .kwalificatieplicht_end)"
is "kwalificatieplichtig on 28 February" true "$(status 2026-02-28 .kwalificatieplichtig)"
is "17 on 28 February" 17 "$(status 2026-02-28 .age)"
ok "signals on 28 February" "$INBEELD" signals run --on 2026-02-28 --full
is "absoluut verzuim" open "$(absoluut)"

ok "the region reads 29 February as 28 February" "$INBEELD" settings set definitions.leap_day_birthday 02-28 --region MC39
fails 1 "no third reading" "$INBEELD" settings set definitions.leap_day_birthday 02-29
is "now the plicht ends on 27 February" 2026-02-27 "$(status 2026-02-28 .kwalificatieplicht_end)"
is "not kwalificatieplichtig on 28 February" false "$(status 2026-02-28 .kwalificatieplichtig)"
is "18 on 28 February" 18 "$(status 2026-02-28 .age)"
is "still plichtig on 27 February" true "$(status 2026-02-27 .kwalificatieplichtig)"
ok "signals again on 28 February" "$INBEELD" signals run --on 2026-02-28 --full
is "the plicht has ended: resolved" resolved "$(absoluut)"
done_testing
