#!/usr/bin/env bash
# `npm test`: everything CI runs. Type errors and lint errors fail it; so does
# a missing system program (it is installed when this may, or the command to
# install it is printed).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/ensure-system.sh test
bash scripts/ensure-node-deps.sh

echo "== typecheck"
npm run --silent typecheck
echo "== lint"
npx eslint . --max-warnings=0
echo "== build the dashboard (browser tests load it from the collector)"
npx vite build --logLevel warn
echo "== tests"
report=$(mktemp)
status=0
npx vitest run --reporter=default --reporter=json --outputFile.json="$report" "$@" || status=$?
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
  const skipped = r.numPendingTests + r.numTodoTests;
  console.log(`tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed` + (skipped ? `, ${skipped} skipped` : ""));
' "$report" || true
rm -f "$report"
exit "$status"
