#!/usr/bin/env bash
# The browser tests drive Debian's Chromium through playwright-core (no browser download). Installs it
# when missing and we are root with apt-get; otherwise says what to install.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "chromium present: $(/usr/bin/chromium --version 2>/dev/null || echo unknown version)"
  exit 0
fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "Installing Debian chromium for the browser tests…"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium >/dev/null
  /usr/bin/chromium --version
else
  echo "Debian chromium is missing: install it with 'sudo apt-get install chromium' to run the browser tests." >&2
  exit 1
fi
