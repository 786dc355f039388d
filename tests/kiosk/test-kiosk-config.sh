#!/bin/sh
# rekamd refuses a bad [kiosk] group at start (exit 1) with a message that
# names the key: an unknown key, an idle warning out of range, a negative
# idle logout.
#   test-kiosk-config.sh REKAMD
set -u
rekamd=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check () { # config-text expected-substring
  printf '%b' "$1" > "$dir/rekamd.conf"
  "$rekamd" --config "$dir/rekamd.conf" --state-dir "$dir/state" --socket "$dir/sock" \
            --port 0 > "$dir/out" 2> "$dir/err" &
  pid=$!
  i=0
  while kill -0 "$pid" 2>/dev/null && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
  if kill -0 "$pid" 2>/dev/null; then
    kill "$pid"; wait "$pid"
    echo "FAIL: rekamd started with: $1"; fail=1; return
  fi
  wait "$pid"; rc=$?
  if [ $rc -ne 1 ] || ! grep -qF "$2" "$dir/err"; then
    echo "FAIL: exit $rc for: $1 (want 1 and \"$2\"):"; cat "$dir/err"; fail=1
  else
    echo "ok: refused: $2"
  fi
}
check '[kiosk]\nacounts=operator\n' '[kiosk] acounts: unknown key'
check '[kiosk]\nidle_warning_seconds=2\n' '[kiosk] idle_warning_seconds'
check '[kiosk]\nidle_logout_seconds=-5\n' '[kiosk] idle_logout_seconds'
exit $fail
