#!/usr/bin/env bash
# Configures and builds traitlab in Release into ./build (JOBS=N to change parallelism).
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
cmake -S . -B build -DCMAKE_BUILD_TYPE=Release "$@" >/dev/null
cmake --build build -j"$JOBS"
