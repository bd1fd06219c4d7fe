#!/usr/bin/env bash
# Installs Debian packages (as root, or through sudo): quiet when it works, apt's own output when
# it does not. Usage: scripts/apt-install.sh PACKAGE...
# "apt-get update" runs first unless the package lists were refreshed in the last hour.
set -uo pipefail

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else echo "apt-install: need root or sudo to install $*" >&2; return 1
  fi
}

log="$(mktemp)"
trap 'rm -f "$log"' EXIT
run() {
  if ! DEBIAN_FRONTEND=noninteractive as_root "$@" >"$log" 2>&1; then
    echo "apt-install: '$*' failed:" >&2
    cat "$log" >&2
    return 1
  fi
}

if [ -z "$(find /var/lib/apt/lists -maxdepth 1 -name '*Packages*' -mmin -60 -print -quit 2>/dev/null)" ]; then
  run apt-get update -q || exit 1
fi
run apt-get install -y -q "$@"
