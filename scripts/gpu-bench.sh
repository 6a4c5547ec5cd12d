#!/usr/bin/env bash
# The GPU benchmarks of issue 8, from traitlab's own commands:
#   1. a random-initialised llama-shaped model (SIZE=1b: hidden 2048, 16
#      layers, 32 heads / 8 KV heads, MLP 5632, vocabulary 128256 as in
#      Llama 3: 1.3B parameters) in DTYPE;
#   2. TRAIT-style loglik scoring of the built-in scenario items, items/s and
#      tokens/s, for each --option-packing: packed (one pass per context,
#      fused chunked log-probs, never the [tokens x vocab] matrix), prefix
#      (shared KV cache) and separate (one pass per option, full logits);
#      peak device memory by polling nvidia-smi;
#   3. a LoRA SFT run (rank 16, all linear layers): tokens/s and MFU against
#      PEAK_TFLOPS (default 989: H100/H200 SXM dense bf16) from the
#      trainer's own log.
# Writes $OUT/gpu-bench.md. On a machine without a GPU, DEVICE=cpu
# DTYPE=float32 SIZE=tiny runs the same steps in seconds (how it is tested).
#   DEVICE=cuda DTYPE=bfloat16 SIZE=1b OUT=gpu-report scripts/gpu-bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
TL="${TL:-build/traitlab}"
DEVICE="${DEVICE:-cuda}"
DTYPE="${DTYPE:-bfloat16}"
SIZE="${SIZE:-1b}"
OUT="${OUT:-gpu-report}"
PEAK_TFLOPS="${PEAK_TFLOPS:-989}"
ITEMS="${ITEMS:-25}"
mkdir -p "$OUT"
REPORT="$OUT/gpu-bench.md"
MODEL="$OUT/bench-model-$SIZE"
case "$SIZE" in
  1b) SHAPE=(--hidden 2048 --layers 16 --heads 32 --kv-heads 8 --intermediate 5632 --vocab 128256) ;;
  tiny) SHAPE=(--hidden 64 --layers 2 --heads 4 --kv-heads 2 --intermediate 128 --vocab 4096) ;;
  *) echo "gpu-bench: SIZE must be 1b or tiny, got '$SIZE'" >&2; exit 2 ;;
esac

peak_mem() {  # LOG CMD...: runs CMD (output to LOG) while polling device memory; prints the peak MiB
  local log="$1"; shift
  if [ "$DEVICE" = cpu ] || ! command -v nvidia-smi >/dev/null; then
    "$@" >"$log" 2>&1; echo "-"; return
  fi
  local f; f=$(mktemp)
  (while true; do nvidia-smi --query-gpu=memory.used --format=csv,noheader,nounits | head -1 >>"$f"; sleep 0.2; done) &
  local poller=$!
  "$@" >"$log" 2>&1
  kill "$poller"; wait "$poller" 2>/dev/null || true
  sort -n "$f" | tail -1; rm -f "$f"
}

{
  echo "# GPU benchmarks ($(date -u +%FT%TZ))"
  echo
  echo "- device $DEVICE, dtype $DTYPE, model $SIZE (${SHAPE[*]}), git $(git rev-parse --short=12 HEAD 2>/dev/null || echo unknown)"
  command -v nvidia-smi >/dev/null && echo "- GPU: $(nvidia-smi --query-gpu=name,memory.total --format=csv,noheader | head -1)"
} >"$REPORT"

[ -f "$MODEL/config.json" ] ||
  "$TL" init-model --arch llama "${SHAPE[@]}" --max-positions 4096 --dtype "$DTYPE" --seed 1 \
    --out "$MODEL" --overwrite >/dev/null
echo "- parameters: $("$TL" info --model "$MODEL" 2>/dev/null | grep -i -m1 '^ *parameters' | sed 's/^[^:]*: *//' || echo '?')" >>"$REPORT"

{
  echo
  echo "## Scoring (loglik, built-in scenario items, $ITEMS per trait, 2 orders, template 1)"
  echo
  echo "| --option-packing | contexts | seconds | items/s | peak device MiB |"
  echo "|---|---:|---:|---:|---:|"
} >>"$REPORT"
for packing in packed prefix separate; do
  log="$OUT/measure-$packing.log"
  mem=$(peak_mem "$log" "$TL" measure --model "$MODEL" --device "$DEVICE" --dtype "$DTYPE" \
    --instrument trait-builtin --items-per-trait "$ITEMS" --scoring loglik --templates 1 \
    --option-packing "$packing" --batch-size 16 --bootstrap 0 --chat off --quiet \
    --out "$OUT/measure-$packing.h5" --overwrite)
  # "wrote FILE (N contexts, T s)" is the engine's own timing.
  line=$(grep -m1 -o '([0-9]* contexts, [0-9.e+-]* s)' "$log" || true)
  n=$(echo "$line" | grep -o '^([0-9]*' | tr -d '(' || true)
  t=$(echo "$line" | grep -o '[0-9.e+-]* s)' | tr -d ' s)' || true)
  rate=$(awk -v n="$n" -v t="$t" 'BEGIN { if (t > 0) printf "%.1f", n / t; else print "-" }')
  echo "| $packing | ${n:--} | ${t:--} | $rate | $mem |" >>"$REPORT"
done

sft="$OUT/sft"
rm -rf "$sft"
"$TL" finetune --model "$MODEL" --device "$DEVICE" --dtype "$DTYPE" \
  --data models/world-data/alignment_prompted.jsonl --method sft --lora-rank 16 \
  --lora-targets all-linear --lr 1e-4 --max-steps 12 --batch-size 16 --max-length 512 \
  --peak-flops "${PEAK_TFLOPS}e12" --log-every 0 --out "$sft" >"$OUT/sft.log" 2>&1
# Steady state: the mean over steps 3.. of the trainer's own per-step numbers.
python_free_mean() {  # mean of numeric field $1 over step rows after the first 2
  grep '"kind":"step"' "$sft/train_log.jsonl" | tail -n +3 |
    grep -o "\"$1\":[-0-9.e+]*" | cut -d: -f2 |
    awk '{ s += $1; n++ } END { if (n) printf "%.4g", s / n; else print "-" }'
}
{
  echo
  echo "## LoRA SFT step (rank 16, all linear layers, batch 16, max length 512)"
  echo
  echo "- tokens/s (steps 3-12): $(python_free_mean tokens_per_s)"
  echo "- MFU vs ${PEAK_TFLOPS} TFLOP/s: $(python_free_mean mfu)"
  echo "- peak memory (bytes, trainer's report): $(python_free_mean peak_mem_bytes)"
} >>"$REPORT"
cat "$REPORT"
