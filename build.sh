#!/bin/sh
# build.sh - the wasm build from a POSIX shell (macOS, Linux): runs
# tools/build.js with this machine's Node and the same arguments, e.g.
#   ./build.sh
#   ./build.sh --toolchain wasi-sdk
#   ./build.sh --out /tmp/out --force
# `npm run build` is the same build and also works on Windows.
set -eu
if ! command -v node >/dev/null 2>&1; then
    echo "build.sh: node not found on PATH (the build needs Node.js; see README.md)" >&2
    exit 127
fi
here=$(CDPATH='' cd -- "$(dirname -- "$0")" && pwd)
exec node "$here/tools/build.js" "$@"
