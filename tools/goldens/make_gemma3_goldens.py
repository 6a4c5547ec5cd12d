#!/usr/bin/env python3
"""Tiny random-init Gemma 3 text checkpoints (Gemma3ForCausalLM, model_type
"gemma3_text") and reference outputs, in the format of make_model_goldens.py
(same golden tensors, same goldens.json; see that file's docstring).

  gemma3          4 layers mixing sliding and full attention (sliding_window 4,
                  so the 9..12-token inputs are cut by it), GQA 4/2 heads,
                  head_dim 32 != hidden/heads, query_pre_attn_scalar 24 !=
                  head_dim, linear rope scaling on the full layers, local
                  rope base 10000 on the sliding ones, tied head.
  gemma3_softcap  the same shape with attn_logit_softcapping and
                  final_logit_softcapping set small enough to bite (Gemma 3
                  leaves them None; Gemma 2 uses them). transformers'
                  Gemma3Attention ignores attn_logit_softcapping, so only the
                  final cap changes these logits.

Norm weights are drawn around 0 (Gemma's RMSNorm scales by 1 + w), the other
weights with make_model_goldens.WEIGHT_STD. These vocab-256 models carry no
tokenizer, like the other golden models (llama_tok is the one with a tokenizer).

Re-run with /work/pyref/bin/python tools/goldens/make_gemma3_goldens.py
(writes only tests/data/models/gemma3*).
"""
import os
import sys

import torch
import transformers

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_model_goldens as mg  # noqa: E402

BASE = dict(vocab_size=mg.VOCAB, hidden_size=64, intermediate_size=128, num_hidden_layers=4,
            num_attention_heads=4, num_key_value_heads=2, head_dim=32, query_pre_attn_scalar=24,
            max_position_embeddings=256, rms_norm_eps=1e-6, sliding_window=4,
            layer_types=["sliding_attention", "full_attention", "sliding_attention", "full_attention"],
            rope_parameters={"full_attention": {"rope_type": "linear", "factor": 2.0, "rope_theta": 1000000.0},
                             "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}},
            hidden_activation="gelu_pytorch_tanh", tie_word_embeddings=True,
            bos_token_id=1, eos_token_id=2, pad_token_id=0)

MODELS = {
    "gemma3": (201, dict(BASE)),
    "gemma3_softcap": (202, dict(BASE, attn_logit_softcapping=2.0, final_logit_softcapping=3.0)),
}


def build(seed, kwargs):
    cfg = transformers.Gemma3TextConfig(**kwargs)
    torch.manual_seed(seed)
    model = transformers.AutoModelForCausalLM.from_config(cfg, attn_implementation="eager")
    with torch.no_grad():
        for name, p in model.named_parameters():
            # (1 + w) norms: w around 0 gives scales around 1.
            p.copy_(mg.WEIGHT_STD * torch.randn_like(p))
    return model.eval()


def main():
    torch.set_num_threads(1)
    for name, (seed, kwargs) in MODELS.items():
        model = build(seed, kwargs)
        assert model.config._attn_implementation == "eager"
        tensors, gap = mg.goldens_for(model, seed)
        info = mg.meta(name, "gemma3_text", seed, kwargs, tensors, gap, "float32")
        info["generator"] = "tools/goldens/make_gemma3_goldens.py"
        mg.write(name, model, tensors, info)
        print(f"{name}: greedy min top-2 gap {gap:.4g}, |logits| max "
              f"{tensors['single_logits'].abs().max():.3g}")


if __name__ == "__main__":
    main()
