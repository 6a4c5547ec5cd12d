#!/usr/bin/env python3
"""lm-evaluation-harness peer for bench/run_measure_bench.sh: scores the bench
items with HFLM.loglikelihood (lm-eval 0.4.x) and reports items/s.

letters: per item and order, 4 requests (prompt, " A".." D") -> next-token
         letter log-likelihoods (lm-eval's MMLU-style scoring).
loglik:  per item, 4 requests (cloze prompt, " " + option): multiple choice.
Prints one JSON object: items, seconds, items_per_s, and per-item loglik."""
import argparse
import json
import os
import sys
import time

import torch

sys.path.insert(0, os.path.dirname(__file__))
import trait_prompts as tp  # noqa: E402


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", required=True)
    ap.add_argument("--banks", required=True)
    ap.add_argument("--items-per-trait", type=int, default=3)
    ap.add_argument("--mode", choices=["letters", "loglik"], required=True)
    ap.add_argument("--batch-size", default="1")
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import lm_eval
    import transformers
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM

    model = transformers.AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
    tok = transformers.AutoTokenizer.from_pretrained(args.model)
    bs = int(args.batch_size) if args.batch_size.isdigit() else args.batch_size
    lm = HFLM(pretrained=model, tokenizer=tok, backend="causal", device="cpu", batch_size=bs,
              dtype=torch.float32)
    items = tp.load_items(args.banks, args.items_per_trait)
    reqs = []
    for i, it in enumerate(items):
        if args.mode == "letters":
            for order in tp.ORDERS:
                ctx = tp.letters_prompt(it, order)
                reqs += [Instance("loglikelihood", {}, (ctx, " " + l), len(reqs)) for l in tp.LETTERS]
        else:
            ctx = tp.cloze_prompt(it)
            reqs += [Instance("loglikelihood", {}, (ctx, " " + o), len(reqs)) for o in it["options"]]
    t0 = time.perf_counter()
    res = lm.loglikelihood(reqs, disable_tqdm=True)
    dt = time.perf_counter() - t0
    per = 8 if args.mode == "letters" else 4
    out = {"peer": "lm-eval", "lm_eval": lm_eval.__version__, "torch": torch.__version__,
           "mode": args.mode, "batch_size": args.batch_size, "threads": args.threads,
           "items": len(items), "requests": len(reqs), "seconds": dt,
           "items_per_s": len(items) / dt,
           "loglik": [[r[0] for r in res[i * per:(i + 1) * per]] for i in range(len(items))],
           "ids": [it["personality"] + "/" + it["idx"] for it in items]}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
