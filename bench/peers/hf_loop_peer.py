#!/usr/bin/env python3
"""Plain transformers loop peer for bench/run_measure_bench.sh, written the
way a researcher would without a harness: one forward pass per prompt.

letters: per item and order, one forward; the last position's log-softmax,
         summed over the tokens spelling each letter ("A", " A").
loglik:  per item and option, one forward over prompt + " " + option.
Prints one JSON object: items, seconds, items_per_s."""
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
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    import transformers
    model = transformers.AutoModelForCausalLM.from_pretrained(args.model, dtype=torch.float32).eval()
    tok = transformers.AutoTokenizer.from_pretrained(args.model)
    items = tp.load_items(args.banks, args.items_per_trait)
    letter_ids = [sorted({i for v in (l, " " + l) for i in tok.encode(v, add_special_tokens=False)
                          if len(tok.encode(v, add_special_tokens=False)) == 1})
                  for l in tp.LETTERS]
    t0 = time.perf_counter()
    with torch.no_grad():
        for it in items:
            if args.mode == "letters":
                for order in tp.ORDERS:
                    ids = tok(tp.letters_prompt(it, order), return_tensors="pt").input_ids
                    lp = torch.log_softmax(model(ids).logits[0, -1].double(), -1)
                    mass = torch.stack([lp[i].exp().sum() for i in letter_ids])
                    (mass / mass.sum()).tolist()
            else:
                ctx = tok(tp.cloze_prompt(it)).input_ids
                for o in it["options"]:
                    cont = tok(tp.cloze_prompt(it) + " " + o).input_ids[len(ctx):]
                    ids = torch.tensor([ctx + cont])
                    lp = torch.log_softmax(model(ids).logits[0].double(), -1)
                    sum(lp[len(ctx) - 1 + j, t].item() for j, t in enumerate(cont))
    dt = time.perf_counter() - t0
    print(json.dumps({"peer": "hf-loop", "mode": args.mode, "threads": args.threads,
                      "items": len(items), "seconds": dt, "items_per_s": len(items) / dt}))


if __name__ == "__main__":
    main()
