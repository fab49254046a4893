#!/usr/bin/env bash
# Installs Debian's chromium when it is missing (the browser check drives it with
# playwright-core; no browser download of playwright's own). Prints the browser's path.
set -euo pipefail
find_chromium() { command -v chromium || command -v chromium-browser || true; }
browser="$(find_chromium)"
if [ -z "$browser" ]; then
  if [ "$(id -u)" -ne 0 ] && ! command -v sudo >/dev/null; then
    echo "chromium is missing and this user cannot install it: apt-get install chromium" >&2
    exit 1
  fi
  run() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
  echo "installing chromium (apt-get)..." >&2
  run apt-get update -qq >&2
  DEBIAN_FRONTEND=noninteractive run apt-get install -y -qq --no-install-recommends chromium >&2
  browser="$(find_chromium)"
fi
echo "$browser"
