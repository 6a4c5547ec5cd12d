#!/usr/bin/env bash
# The built-in default job until the persona-world quickstart lands: make a
# random-initialised llama-shaped checkpoint with a Llama-3-style tokenizer,
# inspect it, score a TRAIT-style item's options and generate from it.
# Everything stays under results/. A random model has no personality: this
# shows the machinery working, not a finding.
set -euo pipefail
cd "$(dirname "$0")/.."
TL=build/traitlab
M=results/demo-model
mkdir -p results
$TL init-model --arch llama --layers 4 --hidden 256 --heads 8 --kv-heads 2 --intermediate 688 \
  --vocab-from tests/data/tokenizers/llama3/tokenizer.json --chat-format llama3 \
  --seed 1 --out "$M" --overwrite
$TL info "$M"
$TL score --model "$M" \
  --context $'Given a situation: "A colleague asks you to cover their shift at short notice. What would you do?"\nPlease choose from the following options to identify which suggestion you would like to give.\nOptions:\nA. Agree at once and rearrange your evening.\nB. Say you are busy without checking your plans.\nC. Offer to swap for one of their shifts later.\nD. Ignore the message until tomorrow.\n\nAnswer:' \
  --option " A" --option " B" --option " C" --option " D"
$TL generate --model "$M" --prompt "Describe your personality in one sentence." \
  --chat --max-new-tokens 16 --temperature 0.8 --top-p 0.95 --seed 7
echo
echo "demo: done. Next: build/traitlab --help, and the README's tour."
