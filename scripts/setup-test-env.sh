#!/usr/bin/env bash
# Installs what the test suite needs on a fresh machine; idempotent and quiet when all is there.
#  - Java 17+ (Debian package) if missing; Maven comes from the wrapper (./mvnw, Maven Central)
#  - .venv with the pinned local AWS emulators (scripts/install-emulator.sh; python3-venv if missing)
#  - Debian chromium and npm, and npm playwright-core for the dashboard's browser test
# Packages come from scripts/apt-install.sh, which prints apt's output when an install fails.
# Under CI=true any failure here fails the run; elsewhere the affected tests skip with a message.
set -uo pipefail
cd "$(dirname "$0")/.."

ci() { [ "${CI:-}" = "true" ]; }
failures=0
problem() {
  echo "setup-test-env: $*" >&2
  failures=$((failures + 1))
}

apt_install() { scripts/apt-install.sh "$@"; }

# --- Java (Maven itself is downloaded by ./mvnw on first use) -----------------------------------
command -v java >/dev/null || apt_install openjdk-17-jdk-headless || problem "could not install a JDK"

# --- local AWS emulators in a project-local virtualenv (pins live in install-emulator.sh) --------
scripts/install-emulator.sh >/dev/null || problem "could not install the AWS emulators into .venv"

# --- headless browser for the dashboard test -------------------------------------------------
if [ ! -x /usr/bin/chromium ]; then
  echo "setup-test-env: installing Debian chromium"
  apt_install chromium || problem "could not install chromium"
fi
browser_dir=tracker-websocket/src/test/browser
if [ -f "$browser_dir/package.json" ] && [ ! -d "$browser_dir/node_modules/playwright-core" ]; then
  if ! command -v npm >/dev/null; then
    echo "setup-test-env: installing Debian npm"
    apt_install npm || true   # apt-install.sh has shown apt's output
  fi
  if ! command -v npm >/dev/null; then
    problem "npm is missing and could not be installed (apt-get install npm)"
  else
    echo "setup-test-env: installing playwright-core"
    npm_log="$(mktemp)"
    if ! (cd "$browser_dir" && npm ci --no-audit --no-fund) >"$npm_log" 2>&1; then
      cat "$npm_log" >&2
      problem "could not install playwright-core (npm ci in $browser_dir)"
    fi
    rm -f "$npm_log"
  fi
fi

if [ "$failures" -gt 0 ] && ci; then
  echo "setup-test-env: $failures problem(s); CI=true, so this is a failure" >&2
  exit 1
fi
exit 0
