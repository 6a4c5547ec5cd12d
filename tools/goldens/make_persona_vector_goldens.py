#!/usr/bin/env python3
"""Reference trait vector from contrastive persona runs, for
tests/elicit/elicit_vector_test.cpp.

Writes tests/data/elicit/persona_vector_goldens.json from the tiny llama_tok
checkpoint in tests/data/models (float32, eager attention, CPU), which has a
tokenizer and a Llama-3 chat template:
  1. persona texts for Openness at level 9 and level 1, built here from
     elicit/banks/markers_big5.json by the rule in docs/steering.md
     ("You are a person who is extremely imaginative, ... and extremely
     perceptive.");
  2. for the first 3 interview questions (elicit/banks/interview_questions.jsonl),
     the chat prompt [system: persona, user: "You are in a job interview. " + q]
     rendered by the tokenizer's own chat template (add_generation_prompt),
     encoded without extra special tokens (the template holds the BOS);
  3. a fixed response per question and pole (RESPONSES below), encoded
     without special tokens and appended; the response mask covers it;
  4. for every layer l the output of model.model.layers[l] (a forward hook =
     traitlab's layers.{l}.resid_post), averaged over the response tokens,
     then over samples; vector = mean(high) - mean(low).
No randomness is involved (fixed texts, a committed checkpoint); SEED is
recorded for the format only.
Re-run: /work/venv/bin/python tools/goldens/make_persona_vector_goldens.py
"""
import json
import os
import platform

import tokenizers
import torch
import transformers

FORMAT_VERSION = 1
SEED = 0
HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.join(HERE, "..", "..")
MODEL = os.path.join(ROOT, "tests", "data", "models", "llama_tok")
BANKS = os.path.join(ROOT, "elicit", "banks")
OUT = os.path.join(ROOT, "tests", "data", "elicit", "persona_vector_goldens.json")
TRAIT = "Openness"
N_QUESTIONS = 3
RESPONSES = {
    9: [" I love exploring new ideas and unusual paths.",
        " Their bold and creative projects drew me in.",
        " I suggested we try something nobody had tried."],
    1: [" I prefer proven routines and clear rules.",
        " It is a stable company with a steady process.",
        " I said we should keep doing what always worked."],
}


def persona(level):
    markers = json.load(open(os.path.join(BANKS, "markers_big5.json")))[TRAIT]
    words = markers["high"] if level > 5 else markers["low"]
    phrases = ["extremely " + w for w in words]
    description = ", ".join(phrases[:-1]) + " and " + phrases[-1]
    return f"You are a person who is {description}."


def layer_means(model, tokens, mask):
    captured = []

    def hook(_mod, _inp, out):
        captured.append((out[0] if isinstance(out, tuple) else out).detach())

    handles = [layer.register_forward_hook(hook) for layer in model.model.layers]
    with torch.no_grad():
        model(torch.tensor([tokens]))
    for h in handles:
        h.remove()
    acts = torch.stack([c[0] for c in captured]).double()  # [n_layer, T, H]
    m = torch.tensor(mask, dtype=torch.float64)
    return (acts * m[None, :, None]).sum(1) / m.sum()


def main():
    torch.manual_seed(SEED)
    tok = transformers.AutoTokenizer.from_pretrained(MODEL)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        MODEL, dtype=torch.float32, attn_implementation="eager").eval()
    questions = [json.loads(l) for l in open(os.path.join(BANKS, "interview_questions.jsonl"))
                 if l.strip()][:N_QUESTIONS]
    out = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/goldens/make_persona_vector_goldens.py",
        "model": "tests/data/models/llama_tok",
        "trait": TRAIT,
        "seed": SEED,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "tokenizers": tokenizers.__version__, "python": platform.python_version()},
        "hook": "resid_post",
        "question_ids": [q["id"] for q in questions],
    }
    means = {}
    for level in (9, 1):
        p = persona(level)
        samples, total = [], None
        for q, resp in zip(questions, RESPONSES[level]):
            messages = [{"role": "system", "content": p},
                        {"role": "user", "content": "You are in a job interview. " + q["text"]}]
            prompt = tok.apply_chat_template(messages, add_generation_prompt=True, tokenize=False)
            ids = tok(prompt, add_special_tokens=False).input_ids
            rids = tok(resp, add_special_tokens=False).input_ids
            tokens, mask = ids + rids, [0] * len(ids) + [1] * len(rids)
            avg = layer_means(model, tokens, mask)
            total = avg if total is None else total + avg
            samples.append({"prompt": prompt, "response": resp, "tokens": tokens,
                            "response_mask": mask})
        means[level] = total / len(samples)
        out["high" if level > 5 else "low"] = {"level": level, "persona": p, "samples": samples}
    vector = (means[9] - means[1]).float()
    out["vector"] = vector.tolist()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f)
    print(f"wrote {OUT}; |v| per layer = {vector.norm(dim=1).tolist()}")


if __name__ == "__main__":
    main()
