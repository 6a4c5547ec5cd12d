#!/usr/bin/env python3
"""Goldens for traitlab on real pretrained GGUF checkpoints, made by transformers
loading the very same files (AutoModelForCausalLM.from_pretrained(dir, gguf_file=...)).

    scripts/fetch-real-models.sh smollm2 qwen25coder
    $PYTHON tools/goldens/make_real_model_goldens.py [smollm2 qwen25coder]

Writes tests/data/real/<name>.json: the GGUF file's sha256, versions, and
  - tokenizer: ids of hard strings (accents, combining marks, CJK, emoji,
    digits, code, whitespace runs), as transformers' GGUF tokenizer gives them;
  - chat: the chat template rendered by apply_chat_template for a system
    persona + a user item (add_generation_prompt) and its ids; a model without a
    chat template (Gemma 3 270M base) gets the plain text SYSTEM\n\nUSER\nAnswer:
    with the tokenizer's BOS, and options with a leading space;
  - logprobs: per-token log-probabilities (float32 model) of each answer
    option after that chat prompt, every token of the option scored;
  - greedy: 12 greedily generated ids after the prompt.
The reference is float32 throughout. No weights are written.

Recorded, not hidden: transformers 5.25 builds the tokenizer of a GGUF whose
tokenizer.ggml.pre is "smollm" with GPT-2's pre-tokenizer only, while SmolLM2's
own tokenizer.json (and llama.cpp) split digits one by one first. The reference
used here puts that Digits step back (fix_pre_tokenizer) and also records the
ids transformers gives without it ("transformers_gguf_ids"); on SmolLM2's
vocabulary, which has single-digit tokens only, the two agree on every string.
"""
import hashlib
import json
import os
import platform
import sys

import torch
import transformers
import tokenizers
from tokenizers import pre_tokenizers
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "real")
FORMAT_VERSION = 1
CACHE = os.environ.get("TRAITLAB_MODELS_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "traitlab", "models")

MODELS = {
    "smollm2": "SmolLM2-135M-Instruct.Q4_1.gguf",
    "qwen25coder": "qwen2.5-coder-0.5b-instruct-q4_k_m.gguf",
    "gemma3": "gemma-3-270m-q4_k_m.gguf",
}

HARD_STRINGS = [
    "Hello, world!",
    "I see myself as someone who is reserved.",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9",
    "e\u0301 written as e + U+0301, and A\u030a",
    "\u4f60\u597d\uff0c\u4e16\u754c\u3002\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8",
    "emoji \U0001f600\U0001f44d\U0001f3fd and \u2764\ufe0f",
    "digits 1234567 3.14159 2026-12-07",
    "def f(x):\n    return x**2  # square\n",
    "   leading spaces, tabs\t\tand\n\n\nnewlines  ",
    "Answer: (A) or **B** or C.",
    "<|im_start|>user\nhi<|im_end|>",
]

SYSTEM = "You are a person who is extremely organised, careful and dutiful."
USER = ("Scenario: You have a report due tomorrow and friends invite you out tonight.\n"
        "Which would you do?\nA. Stay home and finish the report carefully.\n"
        "B. Go out and deal with the report later.\nAnswer with A or B.")
OPTIONS = ["A", " A", "B", "A. Stay home and finish the report carefully.",
           "B. Go out and deal with the report later."]


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def fix_pre_tokenizer(tok, pre):
    if pre == "smollm":
        tok.backend_tokenizer.pre_tokenizer = pre_tokenizers.Sequence([
            pre_tokenizers.Digits(individual_digits=True),
            pre_tokenizers.ByteLevel(add_prefix_space=False, use_regex=True)])


def gguf_pre(path):
    import gguf
    r = gguf.GGUFReader(path)
    f = r.fields.get("tokenizer.ggml.pre")
    return f.contents() if f is not None else ""


def main(names):
    torch.manual_seed(0)
    for name in names:
        fname = MODELS[name]
        path = os.path.join(CACHE, fname)
        if not os.path.exists(path):
            sys.exit(f"{path}: missing; run scripts/fetch-real-models.sh {name}")
        pre = gguf_pre(path)
        tok = AutoTokenizer.from_pretrained(CACHE, gguf_file=fname)
        raw_ids = {s: tok(s, add_special_tokens=True)["input_ids"] for s in HARD_STRINGS}
        fix_pre_tokenizer(tok, pre)
        model = AutoModelForCausalLM.from_pretrained(CACHE, gguf_file=fname, dtype=torch.float32)
        model.eval()

        out = {"format_version": FORMAT_VERSION,
               "script": "tools/goldens/make_real_model_goldens.py",
               "file": fname, "sha256": sha256(path), "tokenizer_pre": pre,
               "versions": {"python": platform.python_version(), "torch": torch.__version__,
                            "transformers": transformers.__version__,
                            "tokenizers": tokenizers.__version__}}
        out["tokenizer"] = [{"text": s, "ids": tok(s, add_special_tokens=True)["input_ids"],
                             "transformers_gguf_ids": raw_ids[s]} for s in HARD_STRINGS]
        messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": USER}]
        if tok.chat_template:
            prompt = tok.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
            prompt_ids = tok(prompt, add_special_tokens=False)["input_ids"]
        else:  # a base model: plain text, the tokenizer adds BOS if it does
            prompt = SYSTEM + "\n\n" + USER + "\nAnswer:"
            prompt_ids = tok(prompt, add_special_tokens=True)["input_ids"]
        out["chat"] = {"system": SYSTEM, "user": USER, "rendered": prompt, "ids": prompt_ids,
                       "template": bool(tok.chat_template)}
        rows = []
        with torch.no_grad():
            for opt in OPTIONS if tok.chat_template else [" " + o.strip() for o in OPTIONS]:
                opt_ids = tok(opt, add_special_tokens=False)["input_ids"]
                ids = torch.tensor([prompt_ids + opt_ids])
                logits = model(ids).logits[0].float()
                lp = torch.log_softmax(logits, -1)
                n = len(prompt_ids)
                per_token = [lp[n - 1 + i, t].item() for i, t in enumerate(opt_ids)]
                rows.append({"option": opt, "ids": opt_ids, "logprobs": per_token})
            gen = model.generate(torch.tensor([prompt_ids]), max_new_tokens=12, do_sample=False,
                                 pad_token_id=tok.eos_token_id or 0)
        out["logprobs"] = rows
        out["greedy"] = gen[0, len(prompt_ids):].tolist()
        os.makedirs(OUT, exist_ok=True)
        dst = os.path.join(OUT, name + ".json")
        with open(dst, "w") as f:
            json.dump(out, f, indent=1, ensure_ascii=False)
            f.write("\n")
        print(dst, "greedy:", repr(tok.decode(out["greedy"])))


if __name__ == "__main__":
    main(sys.argv[1:] or list(MODELS))
