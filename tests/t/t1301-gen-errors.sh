#!/usr/bin/env bash
# inbeeld gen: usage errors, a non-empty directory, and bad region files are refused with a
# message that says what is wrong, and nothing is written.
. "$(dirname "$0")/lib.sh"

fails 2 "--youths is required" "$INBEELD" gen --seed 1 --out "$T/x"
like "says so" "--youths N is required" "$ERR"
fails 2 "--seed is required" "$INBEELD" gen --youths 10 --out "$T/x"
fails 2 "a seed must be a number" "$INBEELD" gen --youths 10 --seed abc --out "$T/x"
like "names the value" "--seed wants a whole number .* not 'abc'" "$ERR"
fails 2 "too many young people" "$INBEELD" gen --youths 9000001 --seed 1 --out "$T/x"
like "names the limit" "between 1 and 9000000" "$ERR"
fails 2 "years out of range" "$INBEELD" gen --youths 10 --seed 1 --years 21 --out "$T/x"
fails 2 "a fraction above 1" "$INBEELD" gen --youths 10 --seed 1 --malformed 1.5 --out "$T/x"
fails 2 "a bad date" "$INBEELD" gen --youths 10 --seed 1 --as-of 2026-02-30 --out "$T/x"
ok "nothing was written" test ! -e "$T/x"

mkdir -p "$T/full"
echo keep >"$T/full/notes.txt"
fails 1 "refuses a non-empty directory" "$INBEELD" gen --youths 10 --seed 1 --out "$T/full"
like "and says how to go on" "is not empty \(use --force" "$ERR"
ok "with --force it writes" "$INBEELD" gen --youths 10 --seed 1 --out "$T/full" --force
ok "and leaves other files alone" test -f "$T/full/notes.txt"
ok "the manifest is there" test -f "$T/full/manifest.csv"

printf 'gemeentecode,gemeentenaam\nGM0935,Maastricht\nGM093,Kapot\n' >"$T/region.csv"
fails 1 "a bad gemeentecode in --region" "$INBEELD" gen --youths 10 --seed 1 --region "$T/region.csv" --out "$T/y"
like "names file, line and field" "region.csv, line 3.*gemeentecode" "$ERR"
printf 'gemeentecode,gemeentenaam\nGM0935,Maastricht\nGM0003,Appingedam\n' >"$T/region2.csv"
fails 1 "a municipality without PC4 areas" "$INBEELD" gen --youths 10 --seed 1 --region "$T/region2.csv" --out "$T/y"
like "names it" "no PC4 area of municipality GM0003 \(Appingedam\)" "$ERR"
ok "nothing half-written" test ! -e "$T/y/manifest.csv"

# A region of its own with its own PC4 file works.
printf 'pc4;gemeentecode\n6211;GM0935\n6212;GM0935\n9901;GM0003\n' >"$T/pc4.csv"
ok "own region and PC4 file" "$INBEELD" gen --youths 50 --seed 1 --region "$T/region2.csv" --pc4 "$T/pc4.csv" --out "$T/z" --json
is "50 young people" 50 "$(printf '%s' "$OUT" | jq .youths)"
like "Appingedam's PC4 is used" ";9901[A-Z][A-Z];Appingedam;GM0003;" "$(cat "$T/z/residence.csv")"

done_testing
