#!/usr/bin/env bash
# Items/s of TRAIT-style scoring: traitlab measure (letters and loglik modes)
# against lm-evaluation-harness (HFLM, batch size 1 and 8) and a plain
# transformers loop, on the same random-weight model (llama, hidden 256,
# 4 layers, GPT-2 tokenizer: 50,257-token vocabulary), the same items
# (template 1, TRAIT's two orders) and the same thread count. Writes
# bench/results/measure-cpu.md with the ratios and the loglik max |diff|
# between traitlab and lm-eval.
#
# usage: bench/run_measure_bench.sh [BUILD_DIR]
#   env: ITEMS_PER_TRAIT (default 3 -> 24 items), THREADS (default 2),
#        PYTHON (default /work/venv/bin/python: torch, transformers, lm-eval, h5py)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD=${1:-$ROOT/build}
BIN=$BUILD/traitlab
PY=${PYTHON:-/work/venv/bin/python}
N=${ITEMS_PER_TRAIT:-3}
T=${THREADS:-2}
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

MODEL=$WORK/model
"$BIN" init-model --arch llama --layers 4 --hidden 256 --heads 4 --kv-heads 4 \
  --vocab-from "$ROOT/tests/data/tokenizers/gpt2/tokenizer.json" --chat-format plain \
  --seed 1 --out "$MODEL" >/dev/null
# transformers needs to know the tokenizer class; GPT-2's adds no BOS, so
# both sides encode the same ids.
cat >"$MODEL/tokenizer_config.json" <<'JSON'
{"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": "<|endoftext|>",
 "eos_token": "<|endoftext|>", "clean_up_tokenization_spaces": false, "model_max_length": 1024}
JSON

COMMON=(--model "$MODEL" --instrument trait-builtin --items-per-trait "$N" --templates 1
  --orders trait2 --chat off --bootstrap 0 --quiet --threads "$T" --overwrite)
# libgomp threads spin-wait after each parallel region; on a shared (loaded)
# machine that starves OpenBLAS's own threads. traitlab runs twice: default
# environment, and OMP_WAIT_POLICY=passive (read by libgomp at load time).
for mode in letters loglik; do
  for bs in 1 8; do
    echo "traitlab $mode batch $bs" >&2
    "$BIN" measure "${COMMON[@]}" --scoring "$mode" --batch-size "$bs" \
      --out "$WORK/tl_${mode}_${bs}.h5" >/dev/null
    OMP_WAIT_POLICY=passive "$BIN" measure "${COMMON[@]}" --scoring "$mode" --batch-size "$bs" \
      --out "$WORK/tlp_${mode}_${bs}.h5" >/dev/null
  done
done
for mode in letters loglik; do
  for bs in 1 8; do
    echo "lm-eval $mode batch $bs" >&2
    "$PY" "$ROOT/bench/peers/lmeval_peer.py" --model "$MODEL" --banks "$ROOT/elicit/banks" \
      --items-per-trait "$N" --mode "$mode" --batch-size "$bs" --threads "$T" \
      >"$WORK/lm_${mode}_${bs}.json" 2>/dev/null
  done
  echo "hf loop $mode" >&2
  "$PY" "$ROOT/bench/peers/hf_loop_peer.py" --model "$MODEL" --banks "$ROOT/elicit/banks" \
    --items-per-trait "$N" --mode "$mode" --threads "$T" >"$WORK/hf_${mode}.json" 2>/dev/null
done
LOAD_AFTER=$(cut -d' ' -f1-3 /proc/loadavg)

"$PY" - "$WORK" "$ROOT/bench/results/measure-cpu.md" "$LOAD_BEFORE" "$LOAD_AFTER" "$T" <<'PY'
import json, os, platform, sys, h5py, numpy as np
work, out, load0, load1, threads = sys.argv[1:]
def tl(mode, bs, env=""):
    with h5py.File(f"{work}/tl{env}_{mode}_{bs}.h5", "r") as f:
        n_items = len({(r["trait"], r["item_id"]) for r in f["responses"][:]})
        return n_items, float(f.attrs["elapsed_s"]), f["responses"][:]
def peer(name):
    return json.load(open(f"{work}/{name}.json"))
NOTES = """
Notes.
- letters: traitlab runs each context once, batched with left padding, and
  projects only the last position to the vocabulary; lm-eval and the loop
  compute logits for every position.
- loglik: traitlab evaluates the cloze context once and scores the four
  options from its KV cache, but every option token still needs a full-vocabulary
  log-softmax. With this model the output head (50,257 x 256) costs 3x a
  whole decoder layer stack per token, so the FLOP ratio to lm-eval is at most
  ~3.8x here; models whose body outweighs the head gain more.
- Default environment: LibTorch's OpenMP threads spin-wait after every
  parallel region and starve OpenBLAS's threads when cores are shared; on
  this busy machine that costs traitlab 2-5x (worst for loglik, which runs
  many small ops). `OMP_WAIT_POLICY=passive` (libgomp reads it at start-up)
  removes it; Python torch ships its own OpenMP runtime and is not affected.
"""
rows, speeds = [], {}
for mode in ["letters", "loglik"]:
    for env, label in [("", "default env"), ("p", "OMP_WAIT_POLICY=passive")]:
        for bs in [1, 8]:
            n, s, _ = tl(mode, bs, env)
            speeds[("traitlab" + env, mode, bs)] = n / s
            rows.append((mode, f"traitlab (batch {bs}, {label})", n, s, n / s))
    for bs in [1, 8]:
        p = peer(f"lm_{mode}_{bs}")
        speeds[("lm-eval", mode, bs)] = p["items_per_s"]
        rows.append((mode, f"lm-eval HFLM (batch {bs})", p["items"], p["seconds"], p["items_per_s"]))
    p = peer(f"hf_{mode}")
    speeds[("hf", mode, 1)] = p["items_per_s"]
    rows.append((mode, "transformers loop", p["items"], p["seconds"], p["items_per_s"]))
# loglik agreement: traitlab cloze rows (canonical H1,H2,L1,L2) vs lm-eval's
_, _, resp = tl("loglik", 1)
# item ids are unique per trait only
mine = {r["trait"].decode() + "/" + r["item_id"].decode():
        [r["logprob_h1"], r["logprob_h2"], r["logprob_l1"], r["logprob_l2"]] for r in resp}
lm = peer("lm_loglik_1")
diff = max(abs(a - b) for i, ll in zip(lm["ids"], lm["loglik"]) for a, b in zip(mine[i], ll))
best_lm = {m: max(speeds[("lm-eval", m, 1)], speeds[("lm-eval", m, 8)]) for m in ["letters", "loglik"]}
best_tl = {e: {m: max(speeds[("traitlab" + e, m, 1)], speeds[("traitlab" + e, m, 8)])
               for m in ["letters", "loglik"]} for e in ["", "p"]}
with open(out, "w") as f:
    f.write("# traitlab measure vs lm-evaluation-harness and a transformers loop (CPU)\n\n")
    f.write("Generated by `bench/run_measure_bench.sh`; do not edit by hand.\n\n")
    f.write(f"- model: random-weight llama, hidden 256, 4 layers, 4 heads, GPT-2 tokenizer "
            f"(vocab 50,257), float32\n- items: {lm['items']} built-in scenario items, template 1, "
            f"TRAIT's two orders for letters (2 contexts/item), cloze + 4 options for loglik\n")
    f.write(f"- threads: {threads}; CPU: {platform.processor() or platform.machine()}, "
            f"{os.cpu_count()} cores; load average before {load0}, after {load1} "
            f"(a shared machine: absolute numbers are noisy, ratios less so)\n")
    f.write(f"- lm-eval {lm['lm_eval']}, torch {lm['torch']}\n\n")
    f.write("| mode | runner | items | seconds | items/s |\n|---|---|---:|---:|---:|\n")
    for m, name, n, s, ips in rows:
        f.write(f"| {m} | {name} | {n} | {s:.2f} | {ips:.2f} |\n")
    f.write("\n| mode | traitlab env | traitlab best / lm-eval best | traitlab best / transformers loop |\n|---|---|---:|---:|\n")
    for m in ["letters", "loglik"]:
        for e, label in [("", "default"), ("p", "OMP_WAIT_POLICY=passive")]:
            f.write(f"| {m} | {label} | {best_tl[e][m] / best_lm[m]:.1f}x | "
                    f"{best_tl[e][m] / speeds[('hf', m, 1)]:.1f}x |\n")
    f.write(f"\nloglik agreement: max |traitlab - lm-eval| per-option log-likelihood = {diff:.2e} "
            f"over {4 * lm['items']} options.\n\n")
    f.write("traitlab times are the engine's (`elapsed_s` in the results file: rendering, "
            "tokenising, scoring, no model load); peer times cover their scoring calls only.\n")
    f.write(NOTES)
print(open(out).read())
PY
