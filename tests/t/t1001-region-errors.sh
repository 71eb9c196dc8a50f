#!/usr/bin/env bash
# inbeeld region: bad input is refused with exit 1, a message that names the file, line,
# column and rule, and nothing written; usage errors exit 2; --help exits 0.
. "$(dirname "$0")/lib.sh"

new_store
fails 1 "a command before init says to run init" "$INBEELD" region list
like "the message names the remedy" "inbeeld init" "$ERR"
ok "init" "$INBEELD" init

printf 'gemeentecode;gemeentenaam;rmc_code;provincie\nGM0935;Maastricht;39;Limburg\nGM0917;Heerlen;390;Limburg\n' \
	>"$T/bad_2023.csv"
fails 1 "a bad RMC code is refused" "$INBEELD" region load "$T/bad_2023.csv"
like "naming the file, line and column" "bad_2023.csv: line 3, column 3" "$ERR"
like "the field, the value and the rule" "field rmc_code: '390' is not a CBS region code \(rule: MC and 2 digits\)" "$ERR"
ok "nothing was written" "$INBEELD" region list --json
is "no municipalities" 0 "$(printf '%s' "$OUT" | jq .count)"

printf 'pc4,lat,lon,gemeente\n6121,51.03,5.81,Sittard-Geleen\n' >"$T/pc4.csv"
fails 1 "a file without a municipality code column" "$INBEELD" region load "$T/pc4.csv" --year 2023
like "lists the headers it found" "no municipality code column .*the header has: 'pc4', 'lat', 'lon', 'gemeente'" "$ERR"

printf 'gemeentecode,gemeentenaam\nGM0935,Maastricht\n' >"$T/regions.csv"
fails 2 "a file name without a year needs --year" "$INBEELD" region load "$T/regions.csv"
like "and says so" "give --year" "$ERR"
fails 2 "--year must be a number" "$INBEELD" region load "$T/regions.csv" --year twenty
fails 2 "--year must be plausible" "$INBEELD" region load "$T/regions.csv" --year 99
ok "with --year it loads" "$INBEELD" region load "$T/regions.csv" --year 2020

fails 1 "a missing file" "$INBEELD" region load "$T/missing_2023.csv"
like "is named" "missing_2023.csv: cannot open" "$ERR"
fails 1 "show an unknown municipality" "$INBEELD" region show GM9999
like "not found" "no municipality GM9999" "$ERR"
fails 1 "show a malformed code" "$INBEELD" region show GM99
like "names the rule" "GM and 4 digits" "$ERR"
fails 1 "list with a malformed RMC code" "$INBEELD" region list --rmc AM35
like "names the field" "field rmc: 'AM35'" "$ERR"

ok "region --help" "$INBEELD" region --help
like "lists the verbs" "load .*list .*show" "$(printf '%s' "$OUT" | tr '\n' ' ')"
ok "region load --help" "$INBEELD" region load --help
like "shows the usage" "usage: inbeeld region load FILE" "$OUT"
ok "region list --help" "$INBEELD" region list --help
like "names --rmc" "--rmc MCxx" "$OUT"
fails 2 "a wrong option" "$INBEELD" region list --frobnicate
like "is named" "unknown option '--frobnicate'" "$ERR"
fails 2 "load without a file" "$INBEELD" region load
fails 2 "an unknown verb" "$INBEELD" region frobnicate
fails 2 "no verb" "$INBEELD" region
done_testing
