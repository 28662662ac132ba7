#!/usr/bin/env bash
# Makes sure the system programs a command needs are installed.
#   ensure-system.sh demo   influxd (InfluxDB 1.x from Debian), chromium (shift-report PDFs)
#   ensure-system.sh reports chromium only (the demo against your own InfluxDB)
#   ensure-system.sh test   influxd, chromium, victoria-metrics, mosquitto, pdftoppm
# As root (or with passwordless sudo) it installs what is missing with apt-get,
# after one apt-get update. Otherwise it prints the exact command and fails.
set -euo pipefail

purpose=${1:-test}
declare -A binary_of=(
  [influxdb]=influxd
  [influxdb-client]=influx
  [chromium]=chromium
  [victoria-metrics]=victoria-metrics
  [mosquitto]=mosquitto
  # The shift report's PDF is turned into PNG pages in the tests (docs/reports.md).
  [poppler-utils]=pdftoppm
)
case "$purpose" in
  demo) packages=(influxdb influxdb-client chromium) ;;
  reports) packages=(chromium) ;;
  test) packages=(influxdb influxdb-client chromium victoria-metrics mosquitto poppler-utils) ;;
  *) echo "usage: $0 demo|reports|test" >&2; exit 2 ;;
esac

missing=()
for pkg in "${packages[@]}"; do
  bin=${binary_of[$pkg]}
  # mosquitto lives in /usr/sbin, which is not on every user's PATH.
  command -v "$bin" >/dev/null 2>&1 || [ -x "/usr/sbin/$bin" ] || missing+=("$pkg")
done
[ ${#missing[@]} -eq 0 ] && exit 0

if ! command -v apt-get >/dev/null 2>&1; then
  echo "Taktline needs: ${missing[*]} (Debian/Ubuntu package names). Install them with your system's package manager." >&2
  exit 1
fi
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo=(sudo)
else
  echo "Taktline needs system packages that are not installed: ${missing[*]}" >&2
  echo "Install them, then run the command again:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${missing[*]}" >&2
  exit 1
fi
echo "Installing system packages: ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
# Debian's packages may start their services; Taktline runs its own private instances.
for svc in influxdb mosquitto victoria-metrics; do
  if command -v service >/dev/null 2>&1; then "${sudo[@]}" service "$svc" stop >/dev/null 2>&1 || true; fi
done
