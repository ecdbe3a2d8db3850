#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks to run Hindsight in a real VS Code
# (code-server's native modules, ripgrep) and to drive it (Debian's Chromium).
# Needs root for apt-get; does nothing when everything is already there.
set -euo pipefail

packages=(libkrb5-dev libsecret-1-dev libx11-dev libxkbfile-dev pkg-config ripgrep git)
if [ "${1:-}" != "--no-browser" ]; then packages+=(chromium); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "Hindsight needs these Debian packages: ${missing[*]} — run: sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
  echo "installing ${missing[*]}…"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
fi
