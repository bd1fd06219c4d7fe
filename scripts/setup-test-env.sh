#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine; idempotent and quiet when all is there.
#  - Java 17+ and Maven (Debian packages) if missing
#  - .venv with the pinned local AWS emulators (scripts/install-emulator.sh)
#  - Debian chromium and npm playwright-core for the dashboard's browser test
# Under CI=true any failure here fails the run; elsewhere the affected tests skip with a message.
set -uo pipefail
cd "$(dirname "$0")/.."

ci() { [ "${CI:-}" = "true" ]; }
failures=0
problem() {
  echo "setup-test-env: $*" >&2
  failures=$((failures + 1))
}

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else return 1; fi
}

apt_updated=
apt_install() {
  if [ -z "$apt_updated" ]; then
    as_root apt-get update -qq >/dev/null 2>&1 || true
    apt_updated=1
  fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "$@" >/dev/null 2>&1
}

# --- Java and Maven --------------------------------------------------------------------------
command -v java >/dev/null || apt_install openjdk-17-jdk-headless || problem "could not install a JDK"
command -v mvn >/dev/null || apt_install maven || problem "could not install Maven"

# --- local AWS emulators in a project-local virtualenv (pins live in install-emulator.sh) --------
scripts/install-emulator.sh >/dev/null || problem "could not install the AWS emulators into .venv"

# --- headless browser for the dashboard test -------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-test-env: installing Debian chromium"
  apt_install chromium || problem "could not install chromium"
fi
browser_dir=tracker-websocket/src/test/browser
if [ -f "$browser_dir/package.json" ] && [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
  echo "setup-test-env: installing playwright-core"
  (cd "$browser_dir" && npm ci --silent --no-audit --no-fund >/dev/null 2>&1) || problem "could not install playwright-core"
fi

if [ "$failures" -gt 0 ] && ci; then
  echo "setup-test-env: $failures problem(s); CI=true, so this is a failure" >&2
  exit 1
fi
exit 0
