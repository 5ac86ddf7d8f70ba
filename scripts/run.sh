#!/usr/bin/env bash
# The README's two commands: `bash scripts/run.sh serve` and `bash scripts/run.sh test`.
# Both set everything up first (idempotent), so each works on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False

what=${1:-}
shift || true
case "$what" in
  serve)
    bash scripts/setup.sh
    exec .venv/bin/python app.py serve "$@"
    ;;
  test)
    bash scripts/setup.sh
    bash scripts/install_browser.sh   # Debian's chromium for the browser tests
    bash scripts/test.sh "$@"
    ;;
  *)
    echo "usage: bash scripts/run.sh serve [--host H --port P] | test" >&2
    exit 2
    ;;
esac
