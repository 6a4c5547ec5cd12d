#!/usr/bin/env python3
"""A tiny random Gemma 3 text model written as GGUF the way llama.cpp's
convert_hf_to_gguf.py writes Gemma 3 (every norm weight + 1, Q/K unpermuted,
ffn_norm = pre_feedforward_layernorm, post_attention_norm, post_ffw_norm,
attn_q_norm / attn_k_norm), and transformers' float32 logits of the original
checkpoint, for traitlab's GGUF loader test (no download).

    /work/pyref/bin/python tools/goldens/make_gguf_gemma3_goldens.py

Writes tests/data/gguf/tiny_gemma3.gguf (6 layers: llama.cpp's fixed pattern,
5 sliding + 1 full; sliding_window 4; GQA 4/2; head_dim 32 != hidden/heads;
linear rope scaling on the full layer; tensors F16, the reference model's
weights rounded to match; a placeholder vocabulary) and
tests/data/gguf/tiny_gemma3.json: versions, seed, token ids and float32
logits from Gemma3ForCausalLM (eager), checked here against transformers'
own GGUF loader on the written file.
"""
import json
import os
import platform
import tempfile

import gguf
import numpy as np
import torch
import transformers

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "gguf")
SEED = 301
FORMAT_VERSION = 1
VOCAB, HIDDEN, FFN, LAYERS, HEADS, KV, HEAD_DIM, WINDOW = 256, 64, 128, 6, 4, 2, 32, 4

# HF name (under model.layers.N.) -> GGUF name (under blk.N.), as llama.cpp's tensor map.
LAYER_NAMES = {
    "input_layernorm": "attn_norm", "self_attn.q_proj": "attn_q", "self_attn.k_proj": "attn_k",
    "self_attn.v_proj": "attn_v", "self_attn.o_proj": "attn_output",
    "self_attn.q_norm": "attn_q_norm", "self_attn.k_norm": "attn_k_norm",
    "post_attention_layernorm": "post_attention_norm", "pre_feedforward_layernorm": "ffn_norm",
    "post_feedforward_layernorm": "post_ffw_norm", "mlp.gate_proj": "ffn_gate",
    "mlp.up_proj": "ffn_up", "mlp.down_proj": "ffn_down",
}


def gguf_name(hf):
    if hf == "model.embed_tokens.weight":
        return "token_embd.weight"
    if hf == "model.norm.weight":
        return "output_norm.weight"
    parts = hf.split(".")
    layer, module, kind = parts[2], ".".join(parts[3:-1]), parts[-1]
    return f"blk.{layer}.{LAYER_NAMES[module]}.{kind}"


def main():
    torch.manual_seed(SEED)
    cfg = transformers.Gemma3TextConfig(
        vocab_size=VOCAB, hidden_size=HIDDEN, intermediate_size=FFN, num_hidden_layers=LAYERS,
        num_attention_heads=HEADS, num_key_value_heads=KV, head_dim=HEAD_DIM,
        query_pre_attn_scalar=HEAD_DIM, max_position_embeddings=256, rms_norm_eps=1e-6,
        sliding_window=WINDOW, rope_theta=1000000.0, rope_local_base_freq=10000.0,
        rope_scaling={"rope_type": "linear", "factor": 2.0}, tie_word_embeddings=True,
        bos_token_id=2, eos_token_id=1, pad_token_id=0)
    model = transformers.AutoModelForCausalLM.from_config(cfg, attn_implementation="eager").eval()
    # Weights drawn, then rounded to what the file stores (F16; norms as
    # f16(w + 1)), so the reference model and the file hold the same numbers.
    with torch.no_grad():
        for name, p in model.named_parameters():
            v = 0.1 * torch.randn_like(p)
            if name.endswith("norm.weight"):
                v = (v + 1.0).half().float() - 1.0
            else:
                v = v.half().float()
            p.copy_(v)
    assert model.config.layer_types == ["sliding_attention"] * 5 + ["full_attention"]

    path = os.path.join(OUT, "tiny_gemma3.gguf")
    os.makedirs(OUT, exist_ok=True)
    w = gguf.GGUFWriter(path, "gemma3")
    w.add_name("traitlab tiny gemma3 (random weights)")
    w.add_context_length(256)
    w.add_embedding_length(HIDDEN)
    w.add_block_count(LAYERS)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV)
    w.add_key_length(HEAD_DIM)
    w.add_value_length(HEAD_DIM)
    w.add_layer_norm_rms_eps(1e-6)
    w.add_rope_freq_base(1000000.0)
    w.add_rope_scaling_type(gguf.RopeScalingType.LINEAR)
    w.add_rope_scaling_factor(2.0)
    w.add_sliding_window(WINDOW)
    w.add_bos_token_id(2)
    w.add_eos_token_id(1)
    # A placeholder SentencePiece vocabulary, only so that transformers'
    # GGUF loader learns vocab_size (traitlab reads it from token_embd).
    w.add_tokenizer_model("llama")
    w.add_token_list([f"<t{i}>" for i in range(VOCAB)])
    w.add_token_scores([0.0] * VOCAB)
    w.add_token_types([1] * VOCAB)
    for name, p in model.state_dict().items():
        if name == "lm_head.weight":
            continue  # tied
        data = p.detach().float().numpy()
        if name.endswith("norm.weight"):
            data = data + 1.0  # llama.cpp's Gemma converter: norm weights + 1
        w.add_tensor(gguf_name(name), data.astype(np.float16))
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    g = torch.Generator().manual_seed(SEED + 1)
    ids = torch.randint(3, VOCAB, (1, 12), generator=g)
    with torch.no_grad():
        logits = model(input_ids=ids).logits[0].float()
    # transformers' own reading of the file (its Gemma loader subtracts 1 from
    # norms). Its gguf->config table for gemma3 reads neither the rope scaling
    # nor an attention scale (leaving query_pre_attn_scalar at 256), so those
    # two are passed in as llama.cpp would use them.
    their_max_diff = None
    try:
        tf = transformers.AutoModelForCausalLM.from_pretrained(
            OUT, gguf_file="tiny_gemma3.gguf", dtype=torch.float32, attn_implementation="eager",
            query_pre_attn_scalar=HEAD_DIM,
            rope_parameters={"full_attention": {"rope_type": "linear", "factor": 2.0, "rope_theta": 1000000.0},
                             "sliding_attention": {"rope_type": "default", "rope_theta": 10000.0}}).eval()
        with torch.no_grad():
            their = tf(input_ids=ids).logits[0].float()
        their_max_diff = float((their - logits).abs().max())
    except Exception as e:  # recorded, not fatal: the HF logits above are the reference
        their_max_diff = f"transformers could not load the GGUF: {type(e).__name__}: {e}"[:300]
    golden = {
        "format_version": FORMAT_VERSION, "script": "tools/goldens/make_gguf_gemma3_goldens.py",
        "seed": SEED,
        "versions": {"python": platform.python_version(), "numpy": np.__version__,
                     "torch": torch.__version__, "transformers": transformers.__version__},
        "config": {"vocab_size": VOCAB, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
                   "num_attention_heads": HEADS, "num_key_value_heads": KV, "head_dim": HEAD_DIM,
                   "sliding_window": WINDOW},
        "transformers_gguf_loader_max_abs_diff": their_max_diff,
        "logits": {"ids": ids[0].tolist(), "values": logits.tolist()},
    }
    with open(os.path.join(OUT, "tiny_gemma3.json"), "w") as f:
        json.dump(golden, f)
        f.write("\n")
    print(path, os.path.getsize(path), "bytes; transformers' GGUF loader vs HF:", their_max_diff)


if __name__ == "__main__":
    main()
