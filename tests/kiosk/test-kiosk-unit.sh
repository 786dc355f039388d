#!/bin/sh
# rekam-kiosk.service passes `systemd-analyze verify` (next to rekamd's
# unit, which it requires) without a warning about it, and keeps the
# properties the kiosk relies on. Skips (77) without systemd-analyze.
#   test-kiosk-unit.sh SOURCE_DIR REKAMD
set -u
src=$1
rekamd=$2
command -v systemd-analyze >/dev/null 2>&1 || { echo "SKIP: no systemd-analyze"; exit 77; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
sed -e "s|@REKAM_KIOSK_LIBEXECDIR@/rekam-kiosk-session|$src/daemon/kiosk/systemd/rekam-kiosk-session|" \
    -e "s|@REKAM_KIOSK_URL@|http://127.0.0.1:8470/|" \
    "$src/daemon/kiosk/systemd/rekam-kiosk.service.in" > "$dir/rekam-kiosk.service"
sed "s|@REKAM_SBINDIR@/rekamd|$rekamd|" "$src/daemon/data/rekamd.service.in" > "$dir/rekamd.service"
if ! out=$(cd "$dir" && systemd-analyze verify ./rekam-kiosk.service 2>&1); then
  echo "FAIL: systemd-analyze verify:"; echo "$out"; exit 1
fi
if echo "$out" | grep -q "rekam-kiosk.service"; then
  echo "FAIL: systemd-analyze verify warns:"; echo "$out"; exit 1
fi
for want in '^Restart=always$' '^User=rekam-kiosk$' '^After=rekamd.service' '^Requires=rekamd.service$' \
            '^PAMName=login$' '^ExecStart=/usr/bin/cage ' '^WantedBy=graphical.target$'; do
  grep -q "$want" "$dir/rekam-kiosk.service" || { echo "FAIL: the unit lacks $want"; exit 1; }
done
echo "ok: rekam-kiosk.service verifies"
