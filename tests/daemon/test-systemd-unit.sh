#!/bin/sh
# The unit passes `systemd-analyze verify` and `systemd-analyze security`
# rates it 2.5 or lower (the score is printed). Skips (77) where
# systemd-analyze cannot run offline.
#   test-systemd-unit.sh rekamd.service.in /path/to/rekamd
set -u
unit_in=$1
rekamd=$2
command -v systemd-analyze >/dev/null 2>&1 || { echo "SKIP: no systemd-analyze"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
# verify checks ExecStart exists: point it at the binary under test.
sed "s|@REKAM_SBINDIR@/rekamd|$rekamd|" "$unit_in" > "$dir/rekamd.service"

if ! out=$(systemd-analyze security --offline=yes "$dir/rekamd.service" 2>&1); then
  if echo "$out" | grep -q "Overall exposure"; then :; else
    echo "SKIP: systemd-analyze security cannot run here: $out" | tail -3
    exit 77
  fi
fi
score=$(echo "$out" | sed -n 's/.*Overall exposure level for rekamd.service: \([0-9.]*\).*/\1/p')
[ -n "$score" ] || { echo "SKIP: no score in output"; echo "$out" | tail -3; exit 77; }
echo "systemd-analyze security: exposure $score (limit 2.5)"
if ! awk -v s="$score" 'BEGIN { exit !(s <= 2.5) }'; then
  echo "FAIL: exposure $score is above 2.5"
  echo "$out" | grep '✗'
  exit 1
fi

if ! vout=$(systemd-analyze verify "$dir/rekamd.service" 2>&1); then
  echo "FAIL: systemd-analyze verify:"
  echo "$vout"
  exit 1
fi
# verify prints warnings without failing; any line about our unit is one.
if echo "$vout" | grep -q "rekamd.service"; then
  echo "FAIL: systemd-analyze verify warns:"
  echo "$vout"
  exit 1
fi
echo "systemd-analyze verify: ok"
exit 0
