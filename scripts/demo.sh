#!/usr/bin/env bash
# `npm start`: the whole demo — a local InfluxDB (unless INFLUX_URL is set),
# the collector on PORT (8080), the simulator driving it, the dashboard.
set -euo pipefail
cd "$(dirname "$0")/.."
# Chromium renders the shift reports' PDFs at every shift end (docs/reports.md).
if [ -z "${INFLUX_URL:-}" ]; then bash scripts/ensure-system.sh demo; else bash scripts/ensure-system.sh reports; fi
bash scripts/ensure-node-deps.sh
echo "Building the dashboard…"
npx vite build --logLevel warn
exec npx tsx scripts/demo.ts "$@"
