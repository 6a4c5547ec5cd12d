#!/usr/bin/env bash
# Rebuilds the committed persona-world models from nothing but traitlab:
#   1. the world (seed 1): population, items, corpus, alignment data;
#   2. a byte-level BPE tokenizer trained on the corpus;
#   3. a random-initialised llama (1.82M parameters);
#   4. pre-training on the corpus (full fine-tuning, loss on every token),
#   5. instruction tuning on prompted_sft.jsonl (full fine-tuning, loss on
#      the answers only);
#   6. persona following: DPO (full, beta 1) on prompted_dpo.jsonl, pairs
#      whose chosen answer follows the response model at the persona's
#      theta -> models/world-base;
#   7. alignment SFT (LoRA, merged) on alignment_prompted.jsonl (the
#      assistant profile in traitlab's item wording) -> models/world-aligned.
# Steps 4-5 are PRETRAIN_STEPS (400) + INSTRUCT_STEPS (150) steps of 32
# sequences: about 25 minutes on 2 idle CPU cores (55 on a machine shared
# with two compilers); step 6 is PERSONA_STEPS (1600) DPO steps of 16 pairs,
# about 28 minutes (measured: 1.05 s per step in the median, 35 minutes in
# all with other jobs on the cores part of the time); step 7 1-2 minutes. Same
# seeds -> same files on the same machine (float sums may differ across
# CPUs/BLAS builds).
#   scripts/make-world-model.sh [OUT_DIR=models] [WORK_DIR=build/world-work]
set -euo pipefail
cd "$(dirname "$0")/.."
OUT="${1:-models}"
WORK="${2:-build/world-work}"
TL="${TRAITLAB:-./build/traitlab}"
PRETRAIN_STEPS="${PRETRAIN_STEPS:-400}"
INSTRUCT_STEPS="${INSTRUCT_STEPS:-150}"
PERSONA_STEPS="${PERSONA_STEPS:-1600}"
export OMP_WAIT_POLICY="${OMP_WAIT_POLICY:-passive}"
rm -rf "$WORK"
mkdir -p "$WORK" "$OUT"

"$TL" world --out "$WORK/world" --seed 1
"$TL" train-tokenizer --corpus "$WORK/world/corpus.txt" --vocab-size 1280 \
  --out "$WORK/tokenizer/tokenizer.json"
"$TL" init-model --arch llama --vocab-from "$WORK/tokenizer/tokenizer.json" --hidden 192 --layers 4 \
  --heads 6 --kv-heads 2 --intermediate 512 --max-positions 512 --tie-embeddings \
  --seed 1 --out "$WORK/init"
"$TL" finetune --model "$WORK/init" --data "$WORK/world/corpus.jsonl" --method sft --full \
  --loss-on all --lr 3e-3 --schedule cosine --warmup-steps 30 --max-steps "$PRETRAIN_STEPS" \
  --batch-size 32 --max-length 320 --seed 1 --threads "${PRETRAIN_THREADS:-2}" --log-every 10 \
  --save-every 50 \
  --out "$WORK/pretrain"
"$TL" finetune --model "$WORK/pretrain/model" --data "$WORK/world/prompted_sft.jsonl" --method sft \
  --full --lr 1e-3 --schedule cosine --warmup-steps 10 --max-steps "$INSTRUCT_STEPS" \
  --batch-size 32 --max-length 320 --seed 1 --threads "${PRETRAIN_THREADS:-2}" --log-every 10 \
  --save-every 50 \
  --out "$WORK/instruct"
"$TL" finetune --model "$WORK/instruct/model" --data "$WORK/world/prompted_dpo.jsonl" --method dpo \
  --full --beta 1 --lr 1e-4 --schedule cosine --warmup-steps 10 --max-steps "$PERSONA_STEPS" \
  --batch-size 16 --max-length 320 --seed 1 --threads "${PRETRAIN_THREADS:-2}" --log-every 20 \
  --save-every 200 \
  --out "$WORK/persona"
rm -rf "$OUT/world-base" && cp -r "$WORK/persona/model" "$OUT/world-base"

"$TL" finetune --model "$OUT/world-base" --data "$WORK/world/alignment_prompted.jsonl" \
  --method sft --lora-rank 16 --lora-alpha 32 --lora-targets all-linear --lr 2e-3 --max-steps 80 \
  --batch-size 16 --max-length 320 --seed 1 --threads "${PRETRAIN_THREADS:-2}" --log-every 10 \
  --save-merged \
  --out "$WORK/aligned"
rm -rf "$OUT/world-aligned" && cp -r "$WORK/aligned/merged" "$OUT/world-aligned"

mkdir -p "$OUT/world-data"
for f in items_test.jsonl likert_test.jsonl alignment_sft.jsonl alignment_dpo.jsonl world.json \
  respondents.csv persona_markers.json alignment_prompted.jsonl; do
  cp "$WORK/world/$f" "$OUT/world-data/$f"
done
echo "wrote $OUT/world-base, $OUT/world-aligned, $OUT/world-data"
