#!/usr/bin/env bash
# Installs the Debian 12 packages shefu builds with — only those missing, so it is idempotent and
# quick on a machine that already has them. Needs root (or sudo) only when something is missing.
#   scripts/install-deps.sh          build + test dependencies
#   scripts/install-deps.sh --fuzz   also clang 14 and its libFuzzer runtime
set -euo pipefail

pkgs=(g++ cmake make pkg-config ca-certificates curl jq
      libsqlite3-dev libcurl4-openssl-dev nlohmann-json3-dev libcpp-httplib-dev catch2
      libssl-dev zlib1g-dev libqrencode-dev sqlite3 procps)
if [[ "${1:-}" == "--fuzz" ]]; then
  pkgs+=(clang-14 libclang-rt-14-dev)
fi

missing=()
for p in "${pkgs[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done
if [[ ${#missing[@]} -eq 0 ]]; then
  exit 0
fi

echo "shefu: installing missing packages: ${missing[*]}" >&2
sudo=""
if [[ $(id -u) -ne 0 ]]; then
  command -v sudo >/dev/null || { echo "shefu: need root to install: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
