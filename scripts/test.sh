#!/usr/bin/env bash
# Everything CI checks, in order: lint, types, all tests (fast, slow with the real models,
# browser), then the evaluation gate on the dev question set. Run through scripts/run.sh.
set -euo pipefail
cd "$(dirname "$0")/.."
PY=.venv/bin/python
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 GRADIO_ANALYTICS_ENABLED=False

echo "==> ruff" >&2
"$PY" -m ruff check .
"$PY" -m ruff format --check .
echo "==> mypy (index, web, eval)" >&2
"$PY" -m mypy index web eval
echo "==> pytest (fast, slow and browser tests)" >&2
"$PY" -m pytest -q -m "slow or browser or not slow" "$@"
echo "==> evaluation gate: dev question set, extractive mode, real models" >&2
rm -rf var/eval/dev
"$PY" -m eval run --questions eval/questions/dev.jsonl --out var/eval/dev --mode extractive
"$PY" -m eval gate var/eval/dev --thresholds eval/thresholds.json
echo "==> translation set: shown renderings that change a number, a name or a negation" >&2
# The target is 0, measured on 2026-11-27 (renderings r5: 0 of 36-37 shown failed the evaluation's
# independent checks); gate at 1 for run-to-run differences of the LLM. Coverage: 36-38 of 51
# sentences had a shown rendering in every run (r5, r6), 38-39 with r7 and r8, 40 with r10, 43 with
# r12 (the termbase, the glossary read backwards), 44 with r13, 46 with r14 (superlatives in the
# dictionary, two more terms); the gate wants 44 (0.85), two sentences of slack for the LLM's
# run-to-run differences.
rm -rf var/eval/translations
"$PY" -m eval translations --set eval/questions/translations.jsonl --out var/eval/translations \
  --max-failures 1 --min-shown 0.85
echo "==> evaluation gate: first 40 dev items, generative mode (local LLM, 10-20 minutes)" >&2
# 40 of 97 items: on 2 cores a generative answer takes 10-30 s, and CI has 90 minutes.
rm -rf var/eval/dev-generative
"$PY" -m eval run --questions eval/questions/dev.jsonl --out var/eval/dev-generative \
  --mode generative --limit 40
"$PY" -m eval gate var/eval/dev-generative --thresholds eval/thresholds.generative.json
