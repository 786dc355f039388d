#!/bin/sh
# rekam-afis end to end on synthetic prints: synth -> extract -> match,
# score, identify, eval, bench; bad input named on stderr with a reason
# and no record written; every command answers --help.
set -eu
AFIS="$1"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
fail () { echo "FAIL: $*" >&2; exit 1; }

for command in extract match score identify eval synth bench; do
  "$AFIS" "$command" --help > "$work/help.txt" || fail "$command --help"
  grep -q "Usage: rekam-afis $command" "$work/help.txt" || fail "$command --help text"
done

mkdir "$work/images" "$work/records" "$work/gallery"
"$AFIS" synth -o "$work/images" --fingers 2 --impressions 2 --seed 7 > /dev/null
[ -f "$work/images/2_2.png" ] || fail "synth wrote no images"
"$AFIS" extract "$work"/images/*.png -o "$work/records" > /dev/null
for name in 1_1 1_2 2_1 2_2; do
  [ -s "$work/records/$name.fmr" ] || fail "no record for $name"
done

genuine=$("$AFIS" match "$work/records/1_1.fmr" "$work/records/1_2.fmr")
impostor=$("$AFIS" match "$work/records/1_1.fmr" "$work/records/2_1.fmr")
[ "$genuine" -gt "$impostor" ] || fail "genuine $genuine not above impostor $impostor"

printf '%s\t%s\n%s\t%s\n' "$work/records/1_1.fmr" "$work/records/1_2.fmr" \
  "$work/records/1_1.fmr" "$work/records/2_1.fmr" | "$AFIS" score > "$work/scores.txt"
[ "$(sed -n 1p "$work/scores.txt")" = "$genuine" ] || fail "score line 1"
[ "$(sed -n 2p "$work/scores.txt")" = "$impostor" ] || fail "score line 2"

# an unusable image: named on stderr with a reason, no record, exit 1
head -c 3000 /dev/zero > "$work/images/blank.pgm"
if "$AFIS" extract "$work/images/blank.pgm" -o "$work/records" 2> "$work/err.txt"; then
  fail "extract accepted a broken image"
fi
grep -q "blank.pgm: " "$work/err.txt" || fail "broken image not named"
[ ! -e "$work/records/blank.fmr" ] || fail "record written for a broken image"

# a damaged record is refused with a reason
head -c 20 "$work/records/1_1.fmr" > "$work/bad.fmr"
if "$AFIS" match "$work/bad.fmr" "$work/records/1_1.fmr" 2> "$work/err.txt"; then
  fail "match accepted a damaged record"
fi
grep -q "malformed record" "$work/err.txt" || fail "damaged record reason"

cp "$work/records/1_1.fmr" "$work/gallery/alice.fmr"
cp "$work/records/2_1.fmr" "$work/gallery/bob.fmr"
"$AFIS" identify --gallery "$work/gallery" "$work/records/2_2.fmr" > "$work/ranked.txt" 2> /dev/null
[ "$(sed -n 2p "$work/ranked.txt" | cut -f2)" = "bob" ] || fail "identify ranked $(cat "$work/ranked.txt")"

"$AFIS" eval "$work/images" > "$work/eval.txt" 2> /dev/null
grep -q "EER" "$work/eval.txt" || fail "eval printed no EER"
"$AFIS" bench --people 30 --searches 3 > "$work/bench.txt"
grep -q "rank-1 3/3" "$work/bench.txt" || fail "bench: $(cat "$work/bench.txt")"
echo "1 passed, 0 failed"
