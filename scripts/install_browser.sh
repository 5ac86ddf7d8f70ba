#!/usr/bin/env bash
# Debian's chromium for the browser test (tests/browser). Idempotent: does nothing when
# chromium is already installed. Playwright's own browser download fails offline, so the
# test drives /usr/bin/chromium instead (../shared/STACK-NOTES.md, "Browser tests").
set -euo pipefail
if command -v chromium >/dev/null 2>&1; then
  echo "chromium: already installed ($(command -v chromium))" >&2
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
$SUDO apt-get update
$SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium
command -v chromium >/dev/null || { echo "error: chromium did not install" >&2; exit 1; }
