#!/usr/bin/env python3
"""Reference persona vector and steered log-probs for tests/elicit/steering_test.cpp.

Writes tests/data/elicit/steering_goldens.json from the tiny llama_gqa
checkpoint in tests/data/models (float32, eager attention, CPU):
  high / low: fixed token sequences with a fixed response mask (1 = response)
  mean_high, mean_low, vector: [n_layer][hidden]. For layer l the activation
    is the output of model.model.layers[l] (a forward hook), i.e. traitlab's
    layers.{l}.resid_post = HF output_hidden_states[l + 1] for l < n_layer - 1
    (checked here); the last hidden_states entry has the final norm applied,
    so the hook is the reference there.
    mean = average over samples of (average over that sample's response tokens).
  steered: log_softmax of the logits for `steer_tokens` with alpha * vector[l]
    added to the output of layer `steer_layer` at every position.
Re-run: /work/venv/bin/python tools/goldens/make_steering_goldens.py
"""
import json
import os
import platform

import torch
import transformers

FORMAT_VERSION = 1
HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = os.path.join(HERE, "..", "..", "tests", "data", "models", "llama_gqa")
OUT = os.path.join(HERE, "..", "..", "tests", "data", "elicit", "steering_goldens.json")
SEED = 7
STEER_LAYER = 0
ALPHA = 3.0


def sequences(gen, n, lo, hi):
    out = []
    for _ in range(n):
        length = int(torch.randint(lo, hi + 1, (1,), generator=gen))
        prompt = int(torch.randint(2, length - 1, (1,), generator=gen))
        toks = torch.randint(3, 256, (length,), generator=gen).tolist()
        mask = [0] * prompt + [1] * (length - prompt)
        out.append({"tokens": toks, "response_mask": mask})
    return out


def layer_outputs(model, tokens):
    """Output of every decoder layer for one sequence, [n_layer, T, H]."""
    captured = []

    def hook(_mod, _inp, out):
        captured.append((out[0] if isinstance(out, tuple) else out).detach())

    handles = [layer.register_forward_hook(hook) for layer in model.model.layers]
    with torch.no_grad():
        res = model(torch.tensor([tokens]), output_hidden_states=True)
    for h in handles:
        h.remove()
    acts = torch.stack([c[0] for c in captured])
    n_layer = len(model.model.layers)
    for l in range(n_layer - 1):  # the convention stated in docs/steering.md
        assert torch.equal(acts[l], res.hidden_states[l + 1][0]), l
    return acts


def mean_response(model, samples):
    total = None
    for s in samples:
        acts = layer_outputs(model, s["tokens"]).double()
        m = torch.tensor(s["response_mask"], dtype=torch.float64)
        avg = (acts * m[None, :, None]).sum(1) / m.sum()
        total = avg if total is None else total + avg
    return total / len(samples)


def main():
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    model = transformers.AutoModelForCausalLM.from_pretrained(
        MODEL, dtype=torch.float32, attn_implementation="eager").eval()
    high = sequences(gen, 3, 6, 14)
    low = sequences(gen, 4, 5, 12)
    mean_high, mean_low = mean_response(model, high), mean_response(model, low)
    vector = (mean_high - mean_low).float()

    steer_tokens = torch.randint(3, 256, (9,), generator=gen).tolist()
    v = vector[STEER_LAYER]

    def steer(_mod, _inp, out):
        if isinstance(out, tuple):
            return (out[0] + ALPHA * v,) + tuple(out[1:])
        return out + ALPHA * v

    h = model.model.layers[STEER_LAYER].register_forward_hook(steer)
    with torch.no_grad():
        steered = torch.log_softmax(model(torch.tensor([steer_tokens])).logits[0].float(), -1)
    h.remove()
    with torch.no_grad():
        plain = torch.log_softmax(model(torch.tensor([steer_tokens])).logits[0].float(), -1)

    out = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/goldens/make_steering_goldens.py",
        "model": "tests/data/models/llama_gqa",
        "seed": SEED,
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "python": platform.python_version()},
        "hook": "resid_post",
        "high": high,
        "low": low,
        "mean_high": mean_high.float().tolist(),
        "mean_low": mean_low.float().tolist(),
        "vector": vector.tolist(),
        "steer_layer": STEER_LAYER,
        "alpha": ALPHA,
        "steer_tokens": steer_tokens,
        "steered_logprobs": steered.tolist(),
        "max_abs_steering_effect": float((steered - plain).abs().max()),
    }
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f)
    print(f"wrote {OUT}; |v| per layer = {vector.norm(dim=1).tolist()}; "
          f"steering effect {out['max_abs_steering_effect']:.4f}")


if __name__ == "__main__":
    main()
