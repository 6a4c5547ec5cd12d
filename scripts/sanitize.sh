#!/usr/bin/env bash
# ASan + UBSan check of the parsers of outside input: configures build-asan
# with -DTRAITLAB_SANITIZE=address,undefined, builds only
# traitlab_sanitize_tests (the parser sources and their unit tests, see
# tests/sanitize_subset.cmake) and runs them (ctest label "sanitize").
# Any sanitizer report fails the test that triggered it (no recovery).
#   scripts/sanitize.sh            JOBS=N for parallel build and tests
set -euo pipefail
cd "$(dirname "$0")/.."
JOBS="${JOBS:-$(nproc)}"
SUPP="$PWD/tools/sanitizers"
start=$(date +%s)
# -O1 -g1 (line tables): stack traces with lines, at a fraction of the
# compile time of -O2 -g with LibTorch's headers.
cmake -S . -B build-asan -DCMAKE_BUILD_TYPE=None -DCMAKE_CXX_FLAGS="-O1 -g1" \
  -DTRAITLAB_SANITIZE=address,undefined -DTRAITLAB_BUILD_BENCH=OFF -DTRAITLAB_WITH_CUDA=OFF >/dev/null
cmake --build build-asan --target traitlab_sanitize_tests -j"$JOBS"
built=$(date +%s)
# Suppressions cover findings inside LibTorch only (see the files).
export ASAN_OPTIONS="detect_leaks=1:abort_on_error=1:${ASAN_OPTIONS:-}"
export LSAN_OPTIONS="suppressions=$SUPP/lsan.supp:print_suppressions=0:${LSAN_OPTIONS:-}"
export UBSAN_OPTIONS="suppressions=$SUPP/ubsan.supp:print_stacktrace=1:halt_on_error=1:${UBSAN_OPTIONS:-}"
cd build-asan
ctest --output-on-failure -j"$JOBS" -L sanitize
echo "sanitize: build $((built - start)) s, tests $(($(date +%s) - built)) s"
