#!/usr/bin/env python3
"""Tiny random-init Hugging Face checkpoints and reference outputs for the
decoder tests (tests/core/model_*_test.cpp).

For every model in MODELS this writes tests/data/models/<name>/:
  config.json, model.safetensors   save_pretrained output (float32)
  goldens.safetensors              reference tensors (see GOLDEN TENSORS below)
  goldens.json                     versions, seeds, shapes, greedy tokens, notes

GOLDEN TENSORS (all from HF with attn_implementation="eager", float32 on CPU):
  single_tokens [1, T] int64, single_logits [1, T, V]
  single_logprobs [1, T-1]: log p(token[t+1] | token[..t])
  batch_tokens [2, T2], batch_logits [2, T2, V]
  padded_tokens [2, T3] (row 1 left-padded with pad id 0), padded_mask [2, T3]
    (1 = real token), padded_positions [2, T3] (as HF generate: cumsum - 1,
    pads at 1), padded_logits [2, T3, V]
  hidden_states [L+1, 1, T, H]: HF output_hidden_states for single_tokens
    (the last one has the final norm applied, as HF does)
  last_resid_post [1, T, H]: output of the last block before the final norm
  greedy_prompt [1, P], greedy_tokens [1, N]: generate(do_sample=False)
A "<name>_bf16" directory holds a bfloat16 copy of one model plus
single_logits computed by HF in bfloat16.

Re-run with /work/venv/bin/python tools/goldens/make_model_goldens.py.
"""
import json
import os
import shutil
import sys

import torch
import transformers
from safetensors.torch import save_file

FORMAT_VERSION = 1
ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "models")
VOCAB = 256
WEIGHT_STD = 0.1  # larger than HF's 0.02 so logits are O(1) and attention is not uniform
GREEDY_NEW = 20

COMMON = dict(vocab_size=VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=2,
              max_position_embeddings=256, bos_token_id=1, eos_token_id=2)

MODELS = {
    # GQA (4 heads, 2 kv heads) with llama3 rope scaling whose wavelength
    # bands fall inside head_dim 16: low-, medium- and high-frequency cases.
    "llama_gqa": ("llama", 101, dict(COMMON, num_attention_heads=4, num_key_value_heads=2,
                                     rms_norm_eps=1e-5, rope_theta=10000.0, tie_word_embeddings=False,
                                     rope_scaling=dict(rope_type="llama3", factor=8.0, low_freq_factor=1.0,
                                                       high_freq_factor=4.0,
                                                       original_max_position_embeddings=64))),
    # Plain rope, explicit head_dim != hidden/heads, attention + mlp biases, tied head.
    "llama_bias": ("llama", 102, dict(COMMON, num_attention_heads=4, num_key_value_heads=4, head_dim=8,
                                      rms_norm_eps=1e-6, rope_theta=500000.0, attention_bias=True,
                                      mlp_bias=True, tie_word_embeddings=True)),
    "qwen2": ("qwen2", 103, dict(COMMON, num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-6,
                                 rope_theta=1000000.0, tie_word_embeddings=True, use_sliding_window=False)),
    # A sliding window shorter than the prompts so the window matters.
    "mistral": ("mistral", 104, dict(COMMON, num_attention_heads=4, num_key_value_heads=2, rms_norm_eps=1e-5,
                                     rope_theta=10000.0, sliding_window=8, tie_word_embeddings=False)),
    "gpt2": ("gpt2", 105, dict(vocab_size=VOCAB, n_embd=64, n_layer=2, n_head=4, n_positions=128, n_inner=None,
                               layer_norm_epsilon=1e-5, activation_function="gelu_new",
                               bos_token_id=1, eos_token_id=2)),
}
BF16_OF = "llama_gqa"


def build(family, seed, kwargs):
    cfg_cls = {"llama": transformers.LlamaConfig, "qwen2": transformers.Qwen2Config,
               "mistral": transformers.MistralConfig, "gpt2": transformers.GPT2Config}[family]
    cfg = cfg_cls(**kwargs)
    cfg._attn_implementation = "eager"
    torch.manual_seed(seed)
    model = transformers.AutoModelForCausalLM.from_config(cfg, attn_implementation="eager")
    # Re-initialise everything (norm weights and biases too) so that every
    # parameter influences the logits.
    with torch.no_grad():
        for name, p in model.named_parameters():
            if p.dim() == 1 and ("norm" in name or "ln_" in name):
                p.copy_(1.0 + WEIGHT_STD * torch.randn_like(p))
            else:
                p.copy_(WEIGHT_STD * torch.randn_like(p))
    return model.eval()


def run(model, tokens, **kw):
    with torch.no_grad():
        return model(input_ids=tokens, **kw)


def goldens_for(model, seed):
    g = torch.Generator().manual_seed(seed + 1000)
    out = {}
    single = torch.randint(3, VOCAB, (1, 12), generator=g)
    r = run(model, single, output_hidden_states=True)
    out["single_tokens"] = single
    out["single_logits"] = r.logits.float()
    lp = torch.log_softmax(r.logits.float(), dim=-1)[:, :-1]
    out["single_logprobs"] = lp.gather(-1, single[:, 1:, None])[..., 0]
    out["hidden_states"] = torch.stack(r.hidden_states)
    captured = {}
    layers = model.transformer.h if hasattr(model, "transformer") else model.model.layers
    handle = layers[-1].register_forward_hook(lambda m, i, o: captured.setdefault("h", o[0] if isinstance(o, tuple) else o))
    run(model, single)
    handle.remove()
    out["last_resid_post"] = captured["h"]

    batch = torch.randint(3, VOCAB, (2, 10), generator=g)
    out["batch_tokens"] = batch
    out["batch_logits"] = run(model, batch).logits.float()

    padded = torch.randint(3, VOCAB, (2, 9), generator=g)
    mask = torch.ones_like(padded)
    mask[1, :3] = 0
    padded[1, :3] = 0
    positions = (mask.cumsum(-1) - 1).masked_fill(mask == 0, 1)
    out["padded_tokens"] = padded
    out["padded_mask"] = mask
    out["padded_positions"] = positions
    out["padded_logits"] = run(model, padded, attention_mask=mask, position_ids=positions).logits.float()

    prompt = torch.randint(3, VOCAB, (1, 10), generator=g)
    with torch.no_grad():
        # eos_token_id=None: plain argmax for GREEDY_NEW steps, no early stop
        # and no logits processor, so the C++ greedy loop is comparable.
        gcfg = transformers.GenerationConfig(max_new_tokens=GREEDY_NEW, do_sample=False, num_beams=1,
                                             eos_token_id=None, pad_token_id=0, output_scores=True,
                                             return_dict_in_generate=True)
        model.generation_config.eos_token_id = None
        gen = model.generate(prompt, generation_config=gcfg)
    assert gen.sequences.shape[1] == prompt.shape[1] + GREEDY_NEW
    out["greedy_prompt"] = prompt
    out["greedy_tokens"] = gen.sequences[:, prompt.shape[1]:]
    # Smallest top-1/top-2 gap along the greedy path: a tiny gap would make
    # the comparison fragile, so it is recorded.
    gaps = [float((s.topk(2).values[0, 0] - s.topk(2).values[0, 1])) for s in gen.scores]
    return out, min(gaps)


def meta(name, family, seed, kwargs, tensors, gap, dtype):
    return {
        "format_version": FORMAT_VERSION,
        "generator": "tools/goldens/make_model_goldens.py",
        "model": name, "family": family, "seed": seed, "weight_std": WEIGHT_STD, "dtype": dtype,
        "attn_implementation": "eager",
        "versions": {"torch": torch.__version__, "transformers": transformers.__version__,
                     "python": sys.version.split()[0]},
        "config_kwargs": kwargs,
        "greedy_new_tokens": GREEDY_NEW,
        "greedy_min_top2_gap": gap,
        "greedy_tokens": tensors["greedy_tokens"][0].tolist() if "greedy_tokens" in tensors else None,
        "tensors": {k: list(v.shape) for k, v in tensors.items()},
    }


def write(dirname, model, tensors, info):
    path = os.path.join(ROOT, dirname)
    shutil.rmtree(path, ignore_errors=True)
    model.save_pretrained(path, safe_serialization=True)
    for extra in ("generation_config.json",):
        if os.path.exists(os.path.join(path, extra)):
            os.remove(os.path.join(path, extra))
    if tensors:
        write_goldens(path, tensors, info)


def write_goldens(path, tensors, info):
    save_file({k: v.contiguous() for k, v in tensors.items()}, os.path.join(path, "goldens.safetensors"),
              metadata={"format_version": str(FORMAT_VERSION)})
    with open(os.path.join(path, "goldens.json"), "w") as f:
        json.dump(info, f, indent=1)
        f.write("\n")


def main():
    torch.set_num_threads(1)
    os.makedirs(ROOT, exist_ok=True)
    for name, (family, seed, kwargs) in MODELS.items():
        model = build(family, seed, kwargs)
        tensors, gap = goldens_for(model, seed)
        write(name, model, tensors, meta(name, family, seed, kwargs, tensors, gap, "float32"))
        print(f"{name}: greedy min top-2 gap {gap:.4g}")
        if name == BF16_OF:
            # Save bf16 weights, then reload them the way users do, so the
            # rotary inv_freq stays float32 (model.to(bf16) would round it).
            bf_dir = os.path.join(ROOT, name + "_bf16")
            write(name + "_bf16", model.to(torch.bfloat16), {}, {})
            bf = transformers.AutoModelForCausalLM.from_pretrained(bf_dir, dtype=torch.bfloat16,
                                                                   attn_implementation="eager").eval()
            with torch.no_grad():
                logits = bf(input_ids=tensors["single_tokens"]).logits.float()
            bt = {"single_tokens": tensors["single_tokens"], "single_logits": logits}
            write_goldens(bf_dir, bt, meta(name + "_bf16", family, seed, kwargs, bt, None, "bfloat16"))
    total = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(ROOT) for f in fs)
    print(f"wrote {ROOT} ({total / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
