#!/bin/sh
# Writes crucible.tar.gz beside this script: the committed sources of the repository (git
# archive of HEAD), which the Dockerfile unpacks and installs.
set -e
here=$(cd "$(dirname "$0")" && pwd)
git -C "$here" archive --format=tar.gz -o "$here/crucible.tar.gz" HEAD
echo "wrote $here/crucible.tar.gz"
