#!/bin/sh
# tmux for the terminal debugger's tests (apps/node/test/debug.test.ts), from Debian's apt.
# Without it those tests skip locally; with CI set they run and fail when tmux is missing.
set -eu
if command -v tmux >/dev/null 2>&1; then
  tmux -V
  exit 0
fi
SUDO=''
if [ "$(id -u)" -ne 0 ]; then SUDO='sudo'; fi
$SUDO apt-get update
$SUDO apt-get install -y --no-install-recommends tmux
tmux -V
