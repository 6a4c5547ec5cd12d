#!/usr/bin/env bash
# Builds traitlab with its tests and runs them (the README's test command).
# Slow checks carry the ctest label "slow" and run only with SLOW=1.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/build.sh
cd build
if [ "${SLOW:-0}" = "1" ]; then
  ctest --output-on-failure -j"${JOBS:-$(nproc)}"
else
  ctest --output-on-failure -j"${JOBS:-$(nproc)}" -LE slow
fi
