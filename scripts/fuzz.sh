#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan) and runs
# each for SECONDS seconds (default 120), seeded from the test fixtures.
#   scripts/fuzz.sh [SECONDS]        -> build-fuzz/<target>, build-fuzz/<target>.log
# The targets need no LibTorch: they link only the parser sources.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-120}"
OUT=build-fuzz
mkdir -p "$OUT/corpus-config" "$OUT/corpus-json"
CXX="${CXX_FUZZ:-clang++}"
FLAGS=(-std=c++17 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -I. )
"$CXX" "${FLAGS[@]}" fuzz/fuzz_config.cpp experiments/config/*.cpp \
  -lboost_program_options -o "$OUT/fuzz_config"
"$CXX" "${FLAGS[@]}" fuzz/fuzz_json.cpp core/io/strict_json.cpp -o "$OUT/fuzz_json"
cp experiments/*.ini tests/data/configs/*.ini tests/bad_inputs/*.ini "$OUT/corpus-config/"
find tests/data -name '*.json' -size -64k | head -200 | xargs -I{} cp {} "$OUT/corpus-json/" 2>/dev/null || true
cp tests/bad_inputs/*.jsonl "$OUT/corpus-json/"
for t in config json; do
  "$OUT/fuzz_$t" -max_total_time="$SECS" -print_final_stats=1 "$OUT/corpus-$t" \
    >"$OUT/fuzz_$t.log" 2>&1 || { echo "fuzz_$t FOUND A PROBLEM: see $OUT/fuzz_$t.log"; exit 1; }
  echo "fuzz_$t: $(grep -m1 'stat::number_of_executed_units' "$OUT/fuzz_$t.log")"
done
