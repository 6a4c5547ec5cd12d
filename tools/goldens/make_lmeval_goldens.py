#!/usr/bin/env python3
"""lm-evaluation-harness goldens for traitlab's "loglik" scoring mode.

Builds a multiple-choice task from 6 built-in scenario items (the first item
of six trait banks), with
  doc_to_text   = traitlab's scenario template 1 cloze text (base form, no
                  persona): the TRAIT framing without the option list, ending
                  in "Answer:"
  doc_to_choice = the four responses in canonical order H1, H2, L1, L2
  doc_to_target = 0
and runs lm_eval.simple_evaluate with HFLM on the tiny Llama-3-style test
checkpoint (tests/data/models/llama_tok), log_samples=True. For every item it
records lm-eval's per-option log-likelihoods (the sample's `resps`), the
unconditional ones acc_mutual_info asks for (each continuation alone after
the prefix token), the acc / acc_norm / acc_mutual_info decisions and versions.

Writes tests/data/lmeval/goldens.json. Re-run with
  $PYTHON tools/goldens/make_lmeval_goldens.py
(needs torch, transformers, lm-eval 0.4.x and sacrebleu, which lm-eval's task
module imports). Deterministic: no sampling, float32 on CPU.
"""
import json
import os
import sys
import tempfile

import numpy as np
import torch
import transformers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_DIR = os.path.join(ROOT, "tests", "data", "models", "llama_tok")
BANKS = os.path.join(ROOT, "elicit", "banks", "scenarios")
OUT = os.path.join(ROOT, "tests", "data", "lmeval", "goldens.json")
FORMAT_VERSION = 1
TRAITS = ["openness", "conscientiousness", "extraversion", "agreeableness", "neuroticism",
          "machiavellianism"]


def cloze_text(item):
    # Must equal elicit/prompts/render_scenario.cpp trait_cloze(); the C++
    # test checks that render_scenario produces exactly this string.
    return ("Given a situation: \"" + item["situation"] + " " + item["query"] + "\"\n"
            "Please identify which suggestion you would like to give.\n\nAnswer:")


def docs():
    out = []
    for t in TRAITS:
        with open(os.path.join(BANKS, t + ".jsonl")) as f:
            item = json.loads(f.readline())
        out.append({"trait": item["personality"], "idx": str(item["idx"]),
                    "text": cloze_text(item),
                    "choices": [item["response_high1"], item["response_high2"],
                                item["response_low1"], item["response_low2"]],
                    "target": 0})
    return out


def main():
    import lm_eval
    from lm_eval.api.task import ConfigurableTask
    from lm_eval.models.huggingface import HFLM

    items = docs()
    tmp = tempfile.mkdtemp()
    data = os.path.join(tmp, "items.jsonl")
    with open(data, "w") as f:
        for d in items:
            f.write(json.dumps(d) + "\n")
    task = ConfigurableTask(config={
        "task": "traitlab_scenarios",
        "dataset_path": "json",
        "dataset_kwargs": {"data_files": {"test": data}},
        "test_split": "test",
        "output_type": "multiple_choice",
        "doc_to_text": "{{text}}",
        "doc_to_choice": "{{choices}}",
        "doc_to_target": "{{target}}",
        "target_delimiter": " ",
        "metric_list": [{"metric": "acc"}, {"metric": "acc_norm"},
                        {"metric": "acc_mutual_info"}],
    })
    model = transformers.AutoModelForCausalLM.from_pretrained(MODEL_DIR, dtype=torch.float32).eval()
    tok = transformers.AutoTokenizer.from_pretrained(MODEL_DIR)
    lm = HFLM(pretrained=model, tokenizer=tok, backend="causal", device="cpu", batch_size=1,
              dtype=torch.float32)
    res = lm_eval.simple_evaluate(model=lm, tasks=[task], log_samples=True, num_fewshot=0,
                                  random_seed=0, numpy_random_seed=0, torch_random_seed=0,
                                  bootstrap_iters=0)
    samples = sorted(res["samples"]["traitlab_scenarios"], key=lambda s: s["doc_id"])
    assert len(samples) == len(items)
    out_items = []
    for s in samples:
        d = items[s["doc_id"]]
        assert s["doc"]["text"] == d["text"]
        n = len(d["choices"])
        assert len(s["resps"]) == 2 * n, "acc_mutual_info: conditional then unconditional"
        ll = [float(r[0][0]) for r in s["resps"][:n]]
        ll_uncond = [float(r[0][0]) for r in s["resps"][n:]]
        greedy = [bool(r[0][1]) for r in s["resps"][:n]]
        ctx = s["arguments"]
        args = list(ctx.values()) if isinstance(ctx, dict) else list(ctx)
        conts = [a[1] for a in args[:n]]
        assert all(a[0] == "" for a in args[n:])
        uncond_conts = [a[1] for a in args[n:]]
        pmi = np.array(ll) - np.array(ll_uncond)
        out_items.append({
            "trait": d["trait"], "idx": d["idx"], "context": d["text"], "choices": d["choices"],
            "continuations": conts, "loglik": ll, "is_greedy": greedy,
            "unconditional_continuations": uncond_conts, "loglik_unconditional": ll_uncond,
            "acc": float(s["acc"]), "acc_norm": float(s["acc_norm"]),
            "acc_mutual_info": float(s["acc_mutual_info"]),
            "choice_acc_mutual_info": int(np.argmax(pmi)),
            "choice_acc": int(np.argmax(ll)),
            "choice_acc_norm": int(np.argmax(np.array(ll) / np.array([len(c) for c in d["choices"]]))),
        })
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    golden = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/goldens/make_lmeval_goldens.py",
        "model": "tests/data/models/llama_tok",
        "versions": {"lm_eval": lm_eval.__version__, "torch": torch.__version__,
                     "transformers": transformers.__version__, "numpy": np.__version__,
                     "python": sys.version.split()[0]},
        "seed": 0,
        "items": out_items,
    }
    with open(OUT, "w") as f:
        json.dump(golden, f, indent=1, ensure_ascii=False)
    print("wrote", OUT, "items:", len(out_items))


if __name__ == "__main__":
    main()
