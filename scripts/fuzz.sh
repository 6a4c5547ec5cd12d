#!/usr/bin/env bash
# Builds the libFuzzer targets in fuzz/ with clang (ASan + UBSan, no
# recovery) and runs each for SECONDS seconds (default 120), one after the
# other, seeded from the test fixtures; prints the executions per target.
#   scripts/fuzz.sh [SECONDS] [TARGET...]   e.g. scripts/fuzz.sh 600 safetensors tokenize
#   FUZZ_BUILD_ONLY=1 scripts/fuzz.sh       build only
# Output: build-fuzz/fuzz_<t> (binary), build-fuzz/fuzz_<t>.log, the grown
# corpus in build-fuzz/corpus-<t>, crashes as build-fuzz/crash-*.
# Each target links only the sources it exercises (lists below); sources are
# compiled once into build-fuzz/obj (through ccache when present, so header
# edits are seen). Targets that touch tensors link Debian's LibTorch.
set -euo pipefail
cd "$(dirname "$0")/.."
SECS="${1:-120}"
shift || true
OUT=build-fuzz
CXX="${CXX_FUZZ:-clang++}"
LAUNCH=()
if command -v ccache >/dev/null; then LAUNCH=(ccache); fi
CFLAGS=(-std=c++17 -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
  -fno-omit-frame-pointer -D_GLIBCXX_USE_CXX11_ABI=1 -I. -I/usr/include/hdf5/serial
  -isystem /usr/include/torch/csrc/api/include -DTRAITLAB_TEST_DATA="\"$PWD/tests/data\"")
LFLAGS=(-fsanitize=fuzzer,address,undefined)
TORCH_LIBS=(-L/usr/lib/x86_64-linux-gnu -ltorch -ltorch_cpu -lc10)
HDF5_LIBS=(-L/usr/lib/x86_64-linux-gnu/hdf5/serial -lhdf5)

JSON="core/io/strict_json.cpp core/util/json_io.cpp"
# The tokenizer pipeline without its GGUF front end (gguf_*.cpp need the
# GGUF reader and LibTorch; the gguf target adds them).
TOK="$(ls core/tokenizer/*.cpp | grep -v /gguf_ | tr '\n' ' ') $JSON"
CONFIG="$(ls experiments/config/*.cpp | tr '\n' ' ')"
HDF5="$(ls core/io/hdf5_*.cpp | tr '\n' ' ')"
RUNNER="experiments/runner/run_store.cpp experiments/runner/run_state.cpp
  experiments/runner/grid.cpp experiments/runner/shard.cpp experiments/runner/record.cpp
  experiments/runner/file_ops.cpp experiments/runner/hash.cpp core/util/sha256.cpp
  core/util/child_guard.cpp"
ST="core/io/safetensors.cpp core/io/safetensors_dtype.cpp core/io/safetensors_write.cpp
  core/io/mapped_file.cpp $JSON"
BANKS="elicit/traits.cpp elicit/instruments/csv_reader.cpp elicit/instruments/item_records.cpp
  elicit/instruments/likert_item.cpp elicit/instruments/scenario_item.cpp
  core/tokenizer/unicode.cpp $JSON"

declare -A SRCS=(
  [config]="$CONFIG"
  [json]="core/io/strict_json.cpp"
  [safetensors]="$ST"
  [model_config]="core/model/config.cpp core/model/config_write.cpp $JSON"
  [tokenizer_json]="$TOK"
  [tokenize]="$TOK"
  [chat_format]="$TOK"
  [item_bank]="$BANKS"
  [train_data]="finetune/data.cpp $TOK"
  [results_h5]="$RUNNER $CONFIG $HDF5 $JSON"
  [gguf]="core/io/gguf.cpp core/io/gguf_quant.cpp core/io/mapped_file.cpp core/model/gguf_model.cpp
    core/model/config.cpp core/model/config_write.cpp core/tokenizer/gguf_tokenizer.cpp
    core/tokenizer/gguf_spm.cpp $TOK"
)
declare -A LIBS=(
  [config]="-lboost_program_options"
  [safetensors]="${TORCH_LIBS[*]}"
  [tokenizer_json]="-lpcre2-8"
  [tokenize]="-lpcre2-8"
  [chat_format]="-lpcre2-8"
  [train_data]="-lpcre2-8"
  [results_h5]="-lboost_program_options ${HDF5_LIBS[*]} ${TORCH_LIBS[*]}"
  [gguf]="-lpcre2-8 ${TORCH_LIBS[*]}"
)
# libhdf5 (1.10.8, not ours) can loop for minutes on a corrupted global heap
# (docs/reliability.md), so results_h5 runs in fork mode, where a timeout
# is recorded (build-fuzz/timeout-*) and fuzzing goes on; crashes still stop
# it, and libhdf5's own heap overflow in H5HG_read stops it within a minute
# (add -ignore_crashes=1 by hand to go on, then replay each crash-* to triage).
declare -A RUNARGS=(
  [results_h5]="-fork=1 -ignore_timeouts=1"
)
ALL=(config json safetensors model_config tokenizer_json tokenize chat_format item_bank
  train_data results_h5 gguf)
TARGETS=("$@")
[ ${#TARGETS[@]} -gt 0 ] || TARGETS=("${ALL[@]}")

obj() {  # compiles one source into build-fuzz/obj, prints the object path
  local o="$OUT/obj/${1%.cpp}.o"
  mkdir -p "$(dirname "$o")"
  "${LAUNCH[@]}" "$CXX" "${CFLAGS[@]}" -c "$1" -o "$o" >&2
  echo "$o"
}

# Seeds: the fixtures each parser reads in the tests (small files only, so
# libFuzzer's default input-size limit stays small and executions fast).
seed() {
  local dir="$OUT/corpus-$1" t=$1
  mkdir -p "$dir"
  case $t in
    config) cp experiments/*.ini tests/data/configs/*.ini tests/bad_inputs/*.ini "$dir/" ;;
    json | model_config | chat_format)
      find tests/data -name '*config*.json' -size -16k -exec cp {} "$dir/" \; ;;&
    json) cp tests/bad_inputs/*.jsonl "$dir/" ;;
    safetensors) find tests/data -name '*.safetensors' -size -64k -exec cp {} "$dir/" \; ;;
    gguf) cp tests/data/gguf/*.gguf "$dir/" ;;
    tokenizer_json) for d in llama2 llama3 qwen2; do
        cp "tests/data/tokenizers/$d/tokenizer.json" "$dir/$d.json"; done ;;
    tokenize) for i in 0 1 2 3; do printf "\\x0$i%s" "Hello world, it's 2026! é e\xcc\x81 中 😀 <s>" \
        >"$dir/text$i"; done ;;
    item_bank)  # first byte: 0 .jsonl, 1 .json scenarios; 2 .jsonl, 3 .json, 4 .csv Likert
      for f in tests/data/instruments/* tests/bad_inputs/item_* tests/bad_inputs/likert_*; do
        local k=0
        case $f in *likert*.jsonl) k=2 ;; *likert*.json) k=3 ;; *.csv) k=4 ;;
          *.jsonl) k=0 ;; *.json) k=1 ;; *) continue ;; esac
        { printf "\\x0$k"; cat "$f"; } >"$dir/$(basename "$f")"
      done ;;
    train_data)  # first byte: bit 0 DPO, bit 1 loss on all, bit 2 chatml/qwen2, >>3 max_length/2
      for f in tests/data/finetune/*.jsonl tests/bad_inputs/sft_* tests/bad_inputs/pref_*; do
        local k=0
        case $f in *dpo* | *pref*) k=1 ;; esac
        for b in $k $((k + 2)) $((k + 4)) $((k + 64)); do
          { printf "\\x$(printf %02x $b)"; cat "$f"; } >"$dir/$b-$(basename "$f")"
        done
      done ;;
    results_h5) cp tests/data/fuzz/results/*.h5 "$dir/" ;;
  esac
}

mkdir -p "$OUT"
for t in "${TARGETS[@]}"; do
  [ -n "${SRCS[$t]+x}" ] || { echo "unknown target '$t' (known: ${ALL[*]})" >&2; exit 2; }
  objs=()
  for s in ${SRCS[$t]}; do objs+=("$(obj "$s")"); done
  # shellcheck disable=SC2086
  "$CXX" "${LFLAGS[@]}" "$(obj "fuzz/fuzz_$t.cpp")" "${objs[@]}" ${LIBS[$t]:-} -o "$OUT/fuzz_$t"
done
[ "${FUZZ_BUILD_ONLY:-0}" = 1 ] && exit 0
for t in "${TARGETS[@]}"; do
  seed "$t"
  env=()
  if [ "$t" = results_h5 ]; then  # see tools/sanitizers/lsan_hdf5.supp
    env=(ASAN_OPTIONS=fast_unwind_on_malloc=0 LSAN_OPTIONS=suppressions=tools/sanitizers/lsan_hdf5.supp)
  fi
  # shellcheck disable=SC2086
  if ! env "${env[@]}" "$OUT/fuzz_$t" -max_total_time="$SECS" -timeout=10 -rss_limit_mb=4096 \
    -print_final_stats=1 -artifact_prefix="$OUT/" ${RUNARGS[$t]:-} "$OUT/corpus-$t" \
    >"$OUT/fuzz_$t.log" 2>&1; then
    echo "fuzz_$t FOUND A PROBLEM: see $OUT/fuzz_$t.log"
    exit 1
  fi
  # Executions: the final stats line, or in fork mode the last "#N" status line.
  n=$(grep -m1 'stat::number_of_executed_units' "$OUT/fuzz_$t.log" | awk '{print $2}' || true)
  [ -n "$n" ] || n=$(grep -o '^#[0-9]*' "$OUT/fuzz_$t.log" | tail -1 | tr -d '#' || true)
  echo "fuzz_$t: $n executions in ${SECS} s"
done
