#!/bin/sh
# run-node.sh TEST.mjs [ARGS]: runs one kiosk test with node, installing
# playwright-core from the committed package-lock.json (npm ci) the first
# time. Exit 77 (skip) when node or npm is missing.
# run-node.sh --install: only the installation (the CTest fixture that the
# browser tests require, so that two of them never run npm ci at once).
set -eu
here=$(cd "$(dirname "$0")" && pwd)
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed (apt-get install nodejs npm; see deps/kiosk.txt)"
  exit 77
fi
case "$1" in
  i18n.test.mjs) ;;
  --install)
    [ -d "$here/node_modules/playwright-core" ] && exit 0
    command -v npm >/dev/null 2>&1 || { echo "SKIP: npm is not installed"; exit 77; }
    (cd "$here" && npm ci --no-audit --no-fund --loglevel=error) || {
      echo "SKIP: npm ci failed (no registry access?); cannot install playwright-core"
      exit 77
    }
    exit 0 ;;
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
