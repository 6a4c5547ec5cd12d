#!/usr/bin/env bash
# Configures and builds traitlab in Release into ./build.
#   JOBS=N       parallel compile jobs (default: all cores)
#   TARGETS=...  what to build (default: traitlab, the command-line tool the
#                quickstart needs; scripts/test.sh builds "all", tests included)
# Extra arguments go to cmake's configure step.
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
TARGETS="${TARGETS:-traitlab}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
# shellcheck disable=SC2086  # TARGETS is a list of target names
cmake --build build -j"$JOBS" --target $TARGETS
