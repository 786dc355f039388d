#!/bin/sh
# NIK lookups on a 500,000-resident store: generate the extract with
# intake's rekam-siak-gen, import it through rekamctl, then run
# bench-daemon-api on GET /v1/residents/{nik} with 10,000 of its NIKs.
#
#   tests/bench/daemon/bench-residents.sh BUILD_DIR [ROWS] [RUNS]
#
# BUILD_DIR must be a build without sanitizers (e.g. build/ from
# scripts/demo, with -DBUILD_TESTING=ON for the benchmark binary, or the
# binary built by hand: see bench-daemon-api.c). Work files go to a temp
# dir that is removed afterwards.
set -eu
BUILD=${1:?usage: bench-residents.sh BUILD_DIR [ROWS] [RUNS]}
ROWS=${2:-500000}
RUNS=${3:-5}
REKAMD=$BUILD/daemon/rekamd
REKAMCTL=$BUILD/daemon/rekamctl
GEN=$BUILD/daemon/intake/rekam-siak-gen
BENCH=${REKAM_BENCH_DAEMON_API:-$BUILD/tests/bench/daemon/bench-daemon-api}
for f in "$REKAMD" "$REKAMCTL" "$GEN" "$BENCH"; do
  [ -x "$f" ] || { echo "missing $f (build it first)"; exit 77; }
done
WORK=$(mktemp -d)
trap 'kill "$PID" 2>/dev/null || true; rm -rf "$WORK"' EXIT
PID=""

"$GEN" --rows "$ROWS" --seed 1 "$WORK/siak.csv" 2>/dev/null
"$REKAMD" --config "" --state-dir "$WORK/state" --socket "$WORK/sock" --port 0 \
  >"$WORK/out" 2>"$WORK/err" &
PID=$!
i=0
until grep -q REKAMD_READY "$WORK/out" 2>/dev/null; do
  i=$((i + 1)); [ $i -lt 300 ] || { cat "$WORK/err"; exit 1; }; sleep 0.1
done
echo "importing $ROWS residents..."
"$REKAMCTL" --socket "$WORK/sock" siak import "$WORK/siak.csv"
kill "$PID"; wait "$PID" || true; PID=""
awk -F, 'NR > 1 && NR % 50 == 0 { print $1 }' "$WORK/siak.csv" | head -10000 > "$WORK/niks.txt"
"$BENCH" "$REKAMD" --state-dir "$WORK/state" --path '/v1/residents/%s' \
  --ids "$WORK/niks.txt" --runs "$RUNS"
