#!/usr/bin/env bash
# Playwright drives Debian's chromium (a browser download cannot work offline). Install it when missing.
set -euo pipefail
CHROMIUM="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
echo "ask-ci: $CHROMIUM not found; installing Debian's chromium for the browser tests…"
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "ask-ci: cannot install chromium: not root and no sudo. Run: apt-get install -y chromium (or set CHROMIUM_PATH)." >&2
    exit 1
  fi
fi
if ! { $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq chromium >/dev/null; }; then
  echo "ask-ci: installing chromium failed. Install it yourself (apt-get install -y chromium) or set CHROMIUM_PATH to a Chromium binary." >&2
  exit 1
fi
echo "ask-ci: chromium installed at $CHROMIUM"
