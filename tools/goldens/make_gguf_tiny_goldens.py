#!/usr/bin/env python3
"""A tiny random llama written as GGUF by the `gguf` package (gguf.GGUFWriter),
and transformers' reading of it, for traitlab's GGUF loader tests (no download).

    $PYTHON tools/goldens/make_gguf_tiny_goldens.py

Writes tests/data/gguf/tiny_llama.gguf (a 2-layer llama, hidden 32, GQA 4/2,
byte-level BPE tokenizer with "smollm" pre-tokenizer, ChatML template; tensors
stored as F32, F16, Q8_0 and Q4_0, Q/K permuted as llama.cpp's converter does)
and tests/data/gguf/tiny_llama.json: versions, seed, token ids of a few texts and
float32 logits of one sequence from
AutoModelForCausalLM.from_pretrained(dir, gguf_file="tiny_llama.gguf").
"""
import json
import os
import platform

import gguf
import numpy as np
import torch
import transformers
from gguf import GGMLQuantizationType as Q
from transformers import AutoModelForCausalLM, AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "gguf")
SEED = 7
FORMAT_VERSION = 1
HIDDEN, FFN, LAYERS, HEADS, KV = 32, 64, 2, 4, 2
HEAD_DIM = HIDDEN // HEADS
SPECIALS = ["<|endoftext|>", "<|im_start|>", "<|im_end|>"]
MERGES = ["\u0120 t", "h e", "\u0120t he", "i n", "o r", "e r", "\u0120 a", "a n", "\u0120 w", "o u"]
CHATML = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + "
          "message['content'] + '<|im_end|>' + '\n'}}{% endfor %}"
          "{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
TEXTS = ["the weather", "Hello, world 123!", "<|im_start|>user\nhi<|im_end|>"]


def bytes_to_unicode():  # GPT-2's byte -> printable character table (a published fact)
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(ord("\u00a1"), ord("\u00ac") + 1)) + \
        list(range(ord("\u00ae"), ord("\u00ff") + 1))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def permute(w, n_head):  # llama.cpp convert_hf_to_gguf.py LlamaModel.permute
    return (w.reshape(n_head, 2, w.shape[0] // n_head // 2, *w.shape[1:])
            .swapaxes(1, 2).reshape(w.shape))


def main():
    rng = np.random.default_rng(SEED)
    tokens = SPECIALS + list(bytes_to_unicode().values())
    for m in MERGES:
        tokens.append(m.replace(" ", ""))
    vocab = len(tokens)
    types = [3] * len(SPECIALS) + [1] * (vocab - len(SPECIALS))

    path = os.path.join(OUT, "tiny_llama.gguf")
    os.makedirs(OUT, exist_ok=True)
    w = gguf.GGUFWriter(path, "llama")
    w.add_name("traitlab tiny llama (random weights)")
    w.add_license("apache-2.0")
    w.add_block_count(LAYERS)
    w.add_context_length(256)
    w.add_embedding_length(HIDDEN)
    w.add_feed_forward_length(FFN)
    w.add_head_count(HEADS)
    w.add_head_count_kv(KV)
    w.add_rope_freq_base(10000.0)
    w.add_layer_norm_rms_eps(1e-5)
    w.add_rope_dimension_count(HEAD_DIM)
    w.add_tokenizer_model("gpt2")
    w.add_tokenizer_pre("smollm")
    w.add_token_list(tokens)
    w.add_token_types(types)
    w.add_token_merges(MERGES)
    w.add_bos_token_id(1)
    w.add_eos_token_id(2)
    w.add_add_bos_token(False)
    w.add_chat_template(CHATML)

    def rnd(*shape, scale=0.2):
        return (rng.standard_normal(shape) * scale).astype(np.float32)

    def add(name, arr, qtype):
        if qtype == Q.F32:
            w.add_tensor(name, arr.astype(np.float32))
        elif qtype == Q.F16:
            w.add_tensor(name, arr.astype(np.float16))
        else:
            data = gguf.quants.quantize(arr, qtype)
            w.add_tensor(name, data, raw_shape=data.shape, raw_dtype=qtype)

    add("token_embd.weight", rnd(vocab, HIDDEN), Q.Q8_0)
    add("output_norm.weight", 1 + rnd(HIDDEN, scale=0.1), Q.F32)
    add("output.weight", rnd(vocab, HIDDEN), Q.F16)
    for i in range(LAYERS):
        p = f"blk.{i}."
        add(p + "attn_norm.weight", 1 + rnd(HIDDEN, scale=0.1), Q.F32)
        add(p + "attn_q.weight", permute(rnd(HEADS * HEAD_DIM, HIDDEN), HEADS), Q.Q8_0)
        add(p + "attn_k.weight", permute(rnd(KV * HEAD_DIM, HIDDEN), KV), Q.Q4_0)
        add(p + "attn_v.weight", rnd(KV * HEAD_DIM, HIDDEN), Q.F16)
        add(p + "attn_output.weight", rnd(HIDDEN, HEADS * HEAD_DIM), Q.Q8_0)
        add(p + "ffn_norm.weight", 1 + rnd(HIDDEN, scale=0.1), Q.F32)
        add(p + "ffn_gate.weight", rnd(FFN, HIDDEN), Q.Q4_0)
        add(p + "ffn_up.weight", rnd(FFN, HIDDEN), Q.Q8_0)
        add(p + "ffn_down.weight", rnd(HIDDEN, FFN), Q.Q8_0)
    w.write_header_to_file()
    w.write_kv_data_to_file()
    w.write_tensors_to_file()
    w.close()

    tok = AutoTokenizer.from_pretrained(OUT, gguf_file="tiny_llama.gguf")
    model = AutoModelForCausalLM.from_pretrained(OUT, gguf_file="tiny_llama.gguf",
                                                 dtype=torch.float32).eval()
    ids = tok("the weather is 42", add_special_tokens=False)["input_ids"]
    with torch.no_grad():
        logits = model(torch.tensor([ids])).logits[0]
    golden = {
        "format_version": FORMAT_VERSION, "script": "tools/goldens/make_gguf_tiny_goldens.py",
        "seed": SEED,
        "versions": {"python": platform.python_version(), "gguf": gguf.__version__ if hasattr(gguf, "__version__") else "0.19.0",
                     "numpy": np.__version__, "torch": torch.__version__,
                     "transformers": transformers.__version__},
        "config": {"vocab_size": vocab, "hidden_size": HIDDEN, "num_hidden_layers": LAYERS,
                   "num_attention_heads": HEADS, "num_key_value_heads": KV},
        "texts": [{"text": t, "ids": tok(t, add_special_tokens=True)["input_ids"]} for t in TEXTS],
        "chat": {"rendered": tok.apply_chat_template([{"role": "user", "content": "hi"}],
                                                      tokenize=False, add_generation_prompt=True)},
        "logits": {"ids": ids, "values": logits.tolist()},
    }
    with open(os.path.join(OUT, "tiny_llama.json"), "w") as f:
        json.dump(golden, f)
        f.write("\n")
    print(path, os.path.getsize(path), "bytes; vocab", vocab)


if __name__ == "__main__":
    main()
