#!/usr/bin/env bash
# inbeeld region load / list / show: the shipped demo file, the shipped 2023 list and a CBS
# "Gebieden in Nederland" excerpt load; loading again changes nothing; lists in text and JSON.
. "$(dirname "$0")/lib.sh"

DEMO="$INBEELD_SRC/data/regions/demo_region_zuid_limburg.csv"
CBS="$INBEELD_SRC/tests/fixtures/gebieden_in_nederland_2024.csv"
new_store
ok "init" "$INBEELD" init

ok "list before any load" "$INBEELD" region list
like "says nothing is loaded" "no municipalities loaded yet" "$OUT"

ok "load the demo region (year from the shipped file)" "$INBEELD" region load "$DEMO"
like "16 added to 2023" "municipalities of 2023: 16 rows; 16 added, 0 changed, 0 unchanged" "$OUT"
like "with its three regions" "3 regions added or renamed" "$OUT"

ok "list in text" "$INBEELD" region list
like "a header line" "^code +name +rmc +labour-market region +province" "$OUT"
like "Maastricht with its regions" \
	"GM0935 +Maastricht +MC39 Zuid-Limburg +AM35 Zuid-Limburg +PV31 Limburg" "$OUT"
like "the count and year" "16 municipalities in 2023" "$OUT"
is "ordered by name: Beek first" "GM0888" "$(printf '%s\n' "$OUT" | sed -n 2p | cut -c1-6)"

ok "list as JSON" "$INBEELD" region list --json
is "JSON count" 16 "$(printf '%s' "$OUT" | jq .count)"
is "JSON year" 2023 "$(printf '%s' "$OUT" | jq .year)"
is "every one in MC39" 16 "$(printf '%s' "$OUT" | jq '[.municipalities[] | select(.rmc.code == "MC39")] | length')"
is "labour-market region named" '"Zuid-Limburg"' \
	"$(printf '%s' "$OUT" | jq '.municipalities[0].labour_market_region.name')"
is "province named" '"Limburg"' "$(printf '%s' "$OUT" | jq '.municipalities[0].province.name')"

ok "load the same file again" "$INBEELD" region load "$DEMO" --year 2023 --json
is "nothing added" 0 "$(printf '%s' "$OUT" | jq .added)"
is "nothing changed" 0 "$(printf '%s' "$OUT" | jq .changed)"
is "all unchanged" 16 "$(printf '%s' "$OUT" | jq .unchanged)"
ok "still 16" "$INBEELD" region list --json
is "count after the second load" 16 "$(printf '%s' "$OUT" | jq .count)"

ok "filter by RMC region number" "$INBEELD" region list --rmc 39 --json
is "all 16 in RMC 39" 16 "$(printf '%s' "$OUT" | jq .count)"
is "the filter is normalised" '"MC39"' "$(printf '%s' "$OUT" | jq .rmc)"
ok "another RMC region" "$INBEELD" region list --rmc MC38
like "has none" "no municipalities of MC38" "$OUT"

ok "show one" "$INBEELD" region show 0935
like "by name and year" "GM0935 Maastricht \(2023\)" "$OUT"
like "with its point" "point: +50\.85000, 5\.70000" "$OUT"
ok "show as JSON" "$INBEELD" region show GM0917 --json
is "Heerlen" '"Heerlen"' "$(printf '%s' "$OUT" | jq .name)"

ok "load a CBS Gebieden in Nederland excerpt (year 2024 from its name)" \
	"$INBEELD" region load "$CBS"
like "6 added to 2024" "municipalities of 2024: 6 rows; 6 added" "$OUT"
ok "the latest year is listed by default" "$INBEELD" region list --json
is "2024" 2024 "$(printf '%s' "$OUT" | jq .year)"
is "Amsterdam in RMC 21" '"MC21 Agglomeratie Amsterdam"' \
	"$(printf '%s' "$OUT" | jq '.municipalities[] | select(.code == "GM0363") | .rmc.code + " " + .rmc.name')"
is "Utrecht in AM15" '"AM15"' \
	"$(printf '%s' "$OUT" | jq '.municipalities[] | select(.code == "GM0344") | .labour_market_region.code')"
ok "2023 is still there" "$INBEELD" region list --year 2023 --json
is "16 in 2023" 16 "$(printf '%s' "$OUT" | jq .count)"

# A shipped file can be named by its path in the source tree from anywhere.
cd "$T"
ok "load the shipped 2023 list from the binary" "$INBEELD" region load data/regions/gemeenten_2023.csv
like "342 rows, 326 of them new" "342 rows; 326 added, 0 changed, 16 unchanged" "$OUT"
ok "the RMC region of the demo stays" "$INBEELD" region list --year 2023 --rmc MC39 --json
is "16 in MC39" 16 "$(printf '%s' "$OUT" | jq .count)"
ok "a municipality without RMC region" "$INBEELD" region show GM1900 --year 2023
like "has a province" "province: +PV21 Fryslân" "$OUT"
like "and no RMC region" "rmc: +-$" "$OUT"
done_testing
