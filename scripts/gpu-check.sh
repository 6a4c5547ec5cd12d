#!/usr/bin/env bash
# One-shot GPU check (issue 8): on a bare GPU machine with CUDA-enabled
# PyTorch (its LibTorch via torch.utils.cmake_prefix_path), CMake and nvcc,
# but no network and no HDF5/Boost/GoogleTest packages:
#   1. unpack the .deb files of scripts/fetch-gpu-debs.sh into a local prefix;
#   2. build traitlab against PyTorch's LibTorch with CUDA on;
#   3. run the CUDA test cases (every *cuda* parameterisation) and the suite;
#   4. run the fused log-prob benchmark and scripts/gpu-bench.sh (bf16,
#      ~1.3B llama: scoring items/s by option packing, LoRA SFT MFU);
#   5. write one report: $OUT/gpu-report.md (OUT defaults to ./gpu-report).
#   DEBS=gpu-debs OUT=/tmp/out scripts/gpu-check.sh
# Budget: under 8 minutes on 16 cores. Status: written, never run (no GPU
# machine was available to this work).
set -uo pipefail
cd "$(dirname "$0")/.."
DEBS="${DEBS:-gpu-debs}"
OUT="${OUT:-gpu-report}"
JOBS="${JOBS:-$(nproc)}"
PREFIX="$PWD/build-gpu/prefix"
mkdir -p "$OUT" "$PREFIX"
REPORT="$OUT/gpu-report.md"
log() { echo "$*" | tee -a "$REPORT"; }
: > "$REPORT"
log "# traitlab GPU check ($(date -u +%FT%TZ))"
log "- git: $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
log "- GPU: $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader 2>/dev/null || echo none)"
for f in "$DEBS"/*.deb; do dpkg -x "$f" "$PREFIX"; done
TORCH_PREFIX="$(python3 -c 'import torch;print(torch.utils.cmake_prefix_path)')"
log "- torch: $(python3 -c 'import torch;print(torch.__version__, torch.version.cuda)')"
export PKG_CONFIG_PATH="$PREFIX/usr/lib/x86_64-linux-gnu/pkgconfig:$PREFIX/usr/share/pkgconfig"
export LD_LIBRARY_PATH="$PREFIX/usr/lib/x86_64-linux-gnu:$PREFIX/usr/lib/x86_64-linux-gnu/hdf5/serial:${LD_LIBRARY_PATH:-}"
t0=$(date +%s)
cmake -S . -B build-gpu -DCMAKE_BUILD_TYPE=Release -DTRAITLAB_WITH_CUDA=ON -DTRAITLAB_BUILD_BENCH=ON \
  -DCMAKE_PREFIX_PATH="$TORCH_PREFIX;$PREFIX/usr" \
  -DHDF5_C_INCLUDE_DIR="$PREFIX/usr/include/hdf5/serial" \
  -DHDF5_C_LIBRARY="$PREFIX/usr/lib/x86_64-linux-gnu/hdf5/serial/libhdf5.so" \
  -DBoost_INCLUDE_DIR="$PREFIX/usr/include" >"$OUT/cmake.log" 2>&1 || { log "configure FAILED (cmake.log)"; exit 1; }
cmake --build build-gpu -j"$JOBS" >"$OUT/build.log" 2>&1 || { log "build FAILED (build.log)"; exit 1; }
log "- build: $(( $(date +%s) - t0 )) s"
(cd build-gpu && ctest -R cuda -j4 --timeout 300 >"../$OUT/ctest-cuda.log" 2>&1)
log "- CUDA tests: $(grep -E 'tests passed' "$OUT/ctest-cuda.log")"
(cd build-gpu && ctest -LE slow -j8 --timeout 300 >"../$OUT/ctest-all.log" 2>&1)
log "- all tests: $(grep -E 'tests passed' "$OUT/ctest-all.log")"
if [ -x build-gpu/bench/bench_fused_logprob ]; then
  build-gpu/bench/bench_fused_logprob >"$OUT/bench-fused.txt" 2>&1
  log "- fused log-prob bench (CPU path of this build):"; sed 's/^/    /' "$OUT/bench-fused.txt" >>"$REPORT"
fi
# The bf16 GPU benchmarks: ~1.3B llama, scoring by option packing (packed =
# fused chunked log-probs; separate = full logits), LoRA SFT tokens/s and MFU.
TL=build-gpu/traitlab DEVICE=cuda DTYPE=bfloat16 SIZE=1b OUT="$OUT" scripts/gpu-bench.sh \
  >"$OUT/gpu-bench.log" 2>&1 || log "- GPU benchmarks FAILED (gpu-bench.log)"
[ -f "$OUT/gpu-bench.md" ] && sed 's/^/    /' "$OUT/gpu-bench.md" >>"$REPORT"
log "- total: $(( $(date +%s) - t0 )) s"
