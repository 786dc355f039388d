#!/bin/sh
# rekam-capture end to end: every command answers --help, WSQ round trip
# through files, and bad input gives a clear error and exit 1.
# Usage: test-capture-cli.sh PATH/TO/rekam-capture
set -eu
cli=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

for command in wsq slap signature document bench; do
  "$cli" "$command" --help | grep -q Usage || fail "$command --help"
done
"$cli" nonsense >/dev/null 2>&1 && fail "unknown command accepted"

# a 96x80 gray PGM with ridges
python3 - "$dir/print.pgm" <<'PY'
import math, sys
w, h = 96, 80
px = bytes(int(200 - 100 * (0.5 + 0.5 * math.sin(math.hypot(x - 48, y - 44) / 1.5)))
           for y in range(h) for x in range(w))
open(sys.argv[1], "wb").write(b"P5\n%d %d\n255\n" % (w, h) + px)
PY
"$cli" wsq encode "$dir/print.pgm" "$dir/print.wsq" --bitrate 2.25 --psnr > "$dir/out.txt"
grep -q "96x80" "$dir/out.txt" || fail "encode summary"
"$cli" wsq decode "$dir/print.wsq" "$dir/back.pgm" | grep -q "500 ppi" || fail "decode ppi"
head -c 12 "$dir/back.pgm" | grep -q "P5" || fail "decoded PGM"

# truncated WSQ: a clear error, exit 1
head -c 200 "$dir/print.wsq" > "$dir/cut.wsq"
if "$cli" wsq decode "$dir/cut.wsq" "$dir/x.pgm" 2> "$dir/err.txt"; then fail "truncated WSQ accepted"; fi
grep -q "malformed" "$dir/err.txt" || fail "truncated WSQ message: $(cat "$dir/err.txt")"
# zero-size and missing files
: > "$dir/empty.pgm"
if "$cli" wsq encode "$dir/empty.pgm" "$dir/x.wsq" 2>/dev/null; then fail "empty image accepted"; fi
if "$cli" wsq encode "$dir/none.png" "$dir/x.wsq" 2>/dev/null; then fail "missing file accepted"; fi
if "$cli" wsq encode "$dir/print.pgm" "$dir/x.wsq" --bitrate 0 2>/dev/null; then fail "bitrate 0 accepted"; fi

# a signature: a pen-down scribble passes, a dot is rejected
python3 - "$dir/sig.json" "$dir/dot.json" <<'PY'
import json, math, sys
pad = {"width": 10000, "height": 4000, "units_per_inch": 2540, "max_pressure": 1023}
pts = [[1000 + i * 15 + 300 * math.cos(i / 8), 2000 + 800 * math.sin(i / 8), 500, i * 5, True]
       for i in range(400)]
json.dump({"pad": pad, "points": pts}, open(sys.argv[1], "w"))
json.dump({"pad": pad, "points": [[500, 500, 300, 0, True]]}, open(sys.argv[2], "w"))
PY
"$cli" signature render "$dir/sig.json" "$dir/sig.png" | grep -q '"passed": true' || fail "signature"
if "$cli" signature render "$dir/dot.json" "$dir/dot.png" > "$dir/dot.txt"; then fail "dot accepted"; fi
grep -q "signature.too_short" "$dir/dot.txt" || fail "dot code"
echo "ok"
