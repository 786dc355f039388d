#!/bin/sh
# run-node.sh TEST.mjs [ARGS]: runs one kiosk test with node, installing
# playwright-core from the committed package-lock.json (npm ci) the first
# time. Exit 77 (skip) when node or npm is missing.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (apt-get install nodejs npm; see deps/kiosk.txt)"
  exit 77
fi
case "$1" in
  i18n.test.mjs) ;;
  *)
    if [ ! -d "$here/node_modules/playwright-core" ]; then
      if ! command -v npm >/dev/null 2>&1; then
        echo "SKIP: npm is not installed (apt-get install npm; see deps/kiosk.txt)"
        exit 77
      fi
      (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || {
        echo "SKIP: npm ci failed (no registry access?); cannot install playwright-core"
        exit 77
      }
    fi ;;
esac
exec node "$here/$@"
