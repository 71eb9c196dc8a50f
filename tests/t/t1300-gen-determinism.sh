#!/usr/bin/env bash
# inbeeld gen: the same arguments give byte-identical files, another seed other files; every
# file has the header docs/feeds.md documents, and the manifest lists every data file with
# its row count.
. "$(dirname "$0")/lib.sh"

DOC="$INBEELD_SRC/docs/feeds.md"
args=(--youths 3000 --seed 20261123 --as-of 2026-11-23)

ok "generate" "$INBEELD" gen "${args[@]}" --out "$T/a"
like "one summary line" "^generated 3000 young people in .*/a in [0-9.]+ s: organisations [0-9]+, residence [0-9]+, enrolments [0-9]+ in 4 files, diplomas [0-9]+, absence [0-9]+, care [0-9]+, work [0-9]+, vrijstellingen [0-9]+ rows$" "$OUT"
ok "generate again" "$INBEELD" gen "${args[@]}" --out "$T/b"
ok "and once with another seed" "$INBEELD" gen --youths 3000 --seed 20261124 --as-of 2026-11-23 --out "$T/c"

sums() { (cd "$1" && sha256sum -- *.csv); }
is "same seed: byte-identical files" "$(sums "$T/a")" "$(sums "$T/b")"
is "same set of files" "$(ls "$T/a")" "$(ls "$T/c")"
for f in residence.csv enrolments_2026-10-01.csv diplomas.csv care.csv work.csv vrijstellingen.csv; do
	unlike "another seed: $f differs" "^$(sha256sum <"$T/a/$f" | cut -c1-64)" "$(sha256sum <"$T/c/$f")"
done

# The headers, as docs/feeds.md gives them after each file's heading ("## NAME.csv …").
doc_header() { # file name pattern as in the doc, e.g. enrolments_YYYY-10-01.csv
	awk -v want="$1" '
		/^## / { name = $2 }
		/^header: `/ && name == want { sub(/^header: `/, ""); sub(/`$/, ""); print; exit }
	' "$DOC"
}
doc_name() { # a generated file's name → its heading in the doc
	case "$1" in
	enrolments_*) echo "enrolments_YYYY-10-01.csv" ;;
	*) echo "$1" ;;
	esac
}
for path in "$T"/a/*.csv; do
	f=$(basename "$path")
	want=$(doc_header "$(doc_name "$f")")
	[ -n "$want" ] || want="(no header in docs/feeds.md for $f)"
	is "$f: header as documented" "$want" "$(head -n1 "$path")"
done

# The seven feeds, organisations and the manifest are all there.
for feed in organisations residence enrolments diplomas absence care work vrijstellingen; do
	like "manifest names feed $feed" "^[0-9]+;$feed;" "$(cat "$T/a/manifest.csv")"
done

# Every data file is in the manifest, in import order, with its row count; nothing else is.
listed=$(tail -n +2 "$T/a/manifest.csv" | cut -d';' -f3 | sort)
present=$(cd "$T/a" && ls -- *.csv | grep -v '^manifest.csv$' | sort)
is "manifest lists exactly the data files" "$present" "$listed"
is "organisations first, residence second" "organisations.csv residence.csv" \
	"$(tail -n +2 "$T/a/manifest.csv" | head -n2 | cut -d';' -f3 | tr '\n' ' ' | sed 's/ $//')"
is "enrolment snapshots old to new" \
	"enrolments_2023-10-01.csv enrolments_2024-10-01.csv enrolments_2025-10-01.csv enrolments_2026-10-01.csv" \
	"$(grep ';enrolments;' "$T/a/manifest.csv" | cut -d';' -f3 | tr '\n' ' ' | sed 's/ $//')"
is "orders are 1, 2, 3, …" "$(seq 1 11 | tr '\n' ' ')" \
	"$(tail -n +2 "$T/a/manifest.csv" | cut -d';' -f1 | tr '\n' ' ')"
bad_counts=""
while IFS=';' read -r order feed file source mode as_of rows malformed; do
	n=$(($(wc -l <"$T/a/$file") - 1))
	[ "$n" = "$rows" ] || bad_counts="$bad_counts $file:$rows/$n"
	[ "$malformed" = 0 ] || bad_counts="$bad_counts $file:malformed=$malformed"
	case "$feed:$mode:$source" in
	organisations:snapshot:municipality:GM0935 | residence:snapshot:municipality:GM0935 | \
		enrolments:snapshot:duo:DUO | diplomas:snapshot:duo:DUO | absence:delta:duo:DUO | \
		care:snapshot:municipality:GM0935 | work:snapshot:uwv:UWV-ZL | \
		vrijstellingen:snapshot:municipality:GM0935) ;;
	*) bad_counts="$bad_counts $file:$mode:$source" ;;
	esac
done < <(tail -n +2 "$T/a/manifest.csv")
is "row counts, modes and sources in the manifest" "" "$bad_counts"
like "an enrolment snapshot is as of its 1 October" ";enrolments;enrolments_2025-10-01.csv;duo:DUO;snapshot;2025-10-01;" \
	"$(cat "$T/a/manifest.csv")"

# Every young person is in residence.csv, and every BSN of the other feeds is one of them.
tail -n +2 "$T/a/residence.csv" | cut -d';' -f1 | sort -u >"$T/bsns"
is "3000 young people in residence.csv" 3000 "$(wc -l <"$T/bsns")"
strays=""
for f in "$T"/a/enrolments_*.csv diplomas.csv:1 absence.csv:2 care.csv:2 work.csv:1 \
	vrijstellingen.csv:1; do
	case "$f" in
	*:*) file="$T/a/${f%%:*}" col=${f##*:} ;;
	*) file=$f col=1 ;;
	esac
	n=$(tail -n +2 "$file" | cut -d';' -f"$col" | sort -u | comm -23 - "$T/bsns" | wc -l)
	[ "$n" = 0 ] || strays="$strays $(basename "$file"):$n"
done
is "no BSN outside residence.csv" "" "$strays"

# Defects are deterministic too, and counted per file in the manifest.
ok "generate with defects" "$INBEELD" gen "${args[@]}" --malformed 0.02 --out "$T/d"
ok "and again" "$INBEELD" gen "${args[@]}" --malformed 0.02 --out "$T/e"
is "same defects" "$(sums "$T/d")" "$(sums "$T/e")"
like "summary counts the defects" "residence [0-9]+ \([0-9]+ malformed\)" "$OUT"
total=$(tail -n +2 "$T/d/manifest.csv" | awk -F';' '{ n += $8 } END { print n }')
is "malformed.csv lists as many defects as the manifest counts" "$total" \
	"$(($(wc -l <"$T/d/malformed.csv") - 1))"
is "the clean rows did not change" \
	"$(grep -v -x -F -f "$T/d/residence.csv" "$T/a/residence.csv" | wc -l)" \
	"$(grep -c '^residence.csv;' "$T/d/malformed.csv")"

done_testing
