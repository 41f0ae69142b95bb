#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests (test/browser): playwright-core drives /usr/bin/chromium,
# since Playwright cannot download its own browser on machines without internet. Run as root (or with sudo).
set -euo pipefail
if [ -x /usr/bin/chromium ]; then
  echo "Chromium is already installed: $(/usr/bin/chromium --version 2>/dev/null || echo /usr/bin/chromium)"
  exit 0
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "No apt-get here: install Chromium or Chrome yourself and set FLEETFIRE_CHROMIUM to its binary." >&2
  exit 1
fi
apt-get update -qq
apt-get install -y -qq chromium
/usr/bin/chromium --version
