#!/usr/bin/env python3
"""Goldens for traitlab's model operations (core/ops/*).

Writes
  tests/data/models/llama_tok/   a tiny random Llama checkpoint whose tokenizer is
                                 Llama-3-style (Split regex + byte-level BPE with
                                 ignore_merges, BOS template, Llama-3 special
                                 tokens and the real Llama-3 chat template),
                                 trained here on a small built-in corpus
  tests/data/ops/goldens.json    for that checkpoint:
    loglik     lm-evaluation-harness (HFLM.loglikelihood) results per option,
               with its context/continuation token ids and per-token log-probs
    labels     next-token log-probs at label token ids ("A" -> A, ĠA ...)
    greedy     transformers' greedy generate, unbatched and left-padded batched
    sampling   HF temperature/top-k/top-p warper outputs on fixed logits

Re-run with /work/venv/bin/python tools/goldens/make_ops_goldens.py (needs
torch, transformers, tokenizers, lm-eval, accelerate, requests). Seeds are fixed;
versions are recorded in the output.
"""
import json
import os
import shutil
import sys

import numpy as np
import tokenizers
import torch
import transformers
from tokenizers import Regex, decoders, models, pre_tokenizers, processors, trainers

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
MODEL_DIR = os.path.join(ROOT, "tests", "data", "models", "llama_tok")
OUT = os.path.join(ROOT, "tests", "data", "ops", "goldens.json")
FORMAT_VERSION = 1
SEED = 1234

LLAMA3_REGEX = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}|"
                r" ?[^\s\p{L}\p{N}]+[\r\n]*|\s*[\r\n]+|\s+(?!\S)|\s+")
LLAMA3_SPECIALS = ["<|begin_of_text|>", "<|end_of_text|>", "<|reserved_special_token_0|>",
                   "<|reserved_special_token_1|>", "<|start_header_id|>", "<|end_header_id|>",
                   "<|reserved_special_token_2|>", "<|eot_id|>"]
# Meta-Llama-3-8B-Instruct's chat template.
LLAMA3_TEMPLATE = (
    "{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
    "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim "
    "+ '<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
    "{{ content }}{% endfor %}{% if add_generation_prompt %}{{ "
    "'<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")

CORPUS = """
Given a situation: "You are at a party where you know nobody. Someone waves at you."
Please choose from the following options to identify which suggestion you would like to give.
Options:
A. Walk over and introduce yourself with a smile.
B. Stay near the door and check your phone.
C. Ask the host to introduce you to a few guests.
D. Leave early and go home to read a book.
Answer: A
I see myself as someone who is talkative, reserved, full of energy, and generates a lot of enthusiasm.
I see myself as someone who tends to find fault with others, is helpful and unselfish with others.
I am the life of the party. I don't talk a lot. I feel comfortable around people.
I keep in the background. I start conversations. I have little to say.
I am always prepared. I leave my belongings around. I pay attention to details.
I get stressed out easily. I am relaxed most of the time. I worry about things.
I have a rich vocabulary. I have difficulty understanding abstract ideas. I have a vivid imagination.
The capital of France is Paris. The capital of England is London. The capital of Italy is Rome.
Question: Which word describes you best? Answer: calm, anxious, curious, careful, kind, bold.
Hello world! Hello there, how are you today? I like cats and dogs. She likes music.
It is important to remember that numbers like 1, 12, 123, 1234 and 2026 are split into digits.
Strongly disagree, disagree, neutral, agree, strongly agree. Rate from 1 to 5.
Machiavellianism, narcissism and psychopathy are the dark triad traits.
Openness, conscientiousness, extraversion, agreeableness and neuroticism are the Big Five.
You are a helpful assistant. Answer the question honestly and briefly.
The quick brown fox jumps over the lazy dog. A B C D E. (A) (B) (C) (D). A. B. C. D.
"""


def versions():
    import lm_eval
    return {"torch": torch.__version__, "transformers": transformers.__version__,
            "tokenizers": tokenizers.__version__, "lm_eval": lm_eval.__version__,
            "numpy": np.__version__, "python": sys.version.split()[0]}


def build_tokenizer():
    tok = tokenizers.Tokenizer(models.BPE(ignore_merges=True))
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_REGEX), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    tok.decoder = decoders.ByteLevel(add_prefix_space=True, trim_offsets=True, use_regex=True)
    trainer = trainers.BpeTrainer(vocab_size=700, min_frequency=2, show_progress=False,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    lines = [l for l in CORPUS.strip().split("\n")] * 3
    tok.train_from_iterator(lines, trainer=trainer)
    tok.add_special_tokens(LLAMA3_SPECIALS)
    bos = tok.token_to_id("<|begin_of_text|>")
    tok.post_processor = processors.Sequence([
        processors.ByteLevel(trim_offsets=False),
        processors.TemplateProcessing(single="<|begin_of_text|> $A",
                                      pair="<|begin_of_text|> $A <|begin_of_text|> $B:1",
                                      special_tokens=[("<|begin_of_text|>", bos)])])
    return tok


def build_checkpoint():
    if os.path.isdir(MODEL_DIR):
        shutil.rmtree(MODEL_DIR)
    os.makedirs(MODEL_DIR)
    tok = build_tokenizer()
    tok.save(os.path.join(MODEL_DIR, "tokenizer.json"))
    bos = tok.token_to_id("<|begin_of_text|>")
    eos = tok.token_to_id("<|end_of_text|>")
    with open(os.path.join(MODEL_DIR, "tokenizer_config.json"), "w") as f:
        json.dump({"bos_token": "<|begin_of_text|>", "eos_token": "<|end_of_text|>",
                   "clean_up_tokenization_spaces": False, "model_max_length": 512,
                   "tokenizer_class": "PreTrainedTokenizerFast",
                   "model_input_names": ["input_ids", "attention_mask"],
                   "chat_template": LLAMA3_TEMPLATE}, f, indent=2)
    torch.manual_seed(SEED)
    cfg = transformers.LlamaConfig(
        vocab_size=tok.get_vocab_size(), hidden_size=64, intermediate_size=128,
        num_hidden_layers=2, num_attention_heads=4, num_key_value_heads=2,
        max_position_embeddings=512, rms_norm_eps=1e-5, rope_theta=500000.0,
        tie_word_embeddings=False, bos_token_id=bos, eos_token_id=eos,
        # A wider init than HF's 0.02 makes logits peaked enough that greedy
        # choices are not decided by float rounding.
        initializer_range=0.15)
    model = transformers.LlamaForCausalLM(cfg).to(torch.float32).eval()
    model.save_pretrained(MODEL_DIR, safe_serialization=True)
    # generation_config.json is optional for traitlab; keep the fixture minimal.
    gc = os.path.join(MODEL_DIR, "generation_config.json")
    if os.path.exists(gc):
        os.remove(gc)


def load():
    model = transformers.AutoModelForCausalLM.from_pretrained(MODEL_DIR, dtype=torch.float32).eval()
    tok = transformers.AutoTokenizer.from_pretrained(MODEL_DIR)
    return model, tok


def token_logprobs(model, ctx, cont):
    ids = torch.tensor([ctx + cont])
    with torch.no_grad():
        logits = model(ids).logits[0].double()
    lp = torch.log_softmax(logits, -1)
    out, greedy = [], True
    for j, t in enumerate(cont):
        row = len(ctx) - 1 + j
        out.append(lp[row, t].item())
        greedy = greedy and int(logits[row].argmax()) == t
    return out, greedy


def loglik_cases(model, tok):
    from lm_eval.api.instance import Instance
    from lm_eval.models.huggingface import HFLM
    lm = HFLM(pretrained=model, tokenizer=tok, backend="causal", device="cpu", batch_size=1,
              dtype=torch.float32)
    chat_ctx = tok.apply_chat_template(
        [{"role": "system", "content": "You are calm."},
         {"role": "user", "content": "Do you like parties? Answer Yes or No."}],
        add_generation_prompt=True, tokenize=False)
    cases = [
        ("Question: Which word describes you best?\nAnswer:", [" calm", " anxious", " curious and open"]),
        ("The capital of France is ", ["Paris", "London", "Rome."]),
        ("Options:\nA. Walk over\nB. Stay\nAnswer:\n", ["A", "B"]),
        ("", ["Hello world", "I like cats"]),
        (chat_ctx, ["Yes", "No", "Yes, I like parties."]),
        ("She like", ["s music", "d it"]),
    ]
    out = []
    for ctx, options in cases:
        reqs = [Instance("loglikelihood", {}, (ctx, o), i) for i, o in enumerate(options)]
        res = lm.loglikelihood(reqs, disable_tqdm=True)
        opts = []
        for o, (ll, greedy) in zip(options, res):
            if ctx == "":
                cont = lm.tok_encode(o, add_special_tokens=False)
                c_enc = [lm.prefix_token_id]
                if cont[0] == lm.prefix_token_id:
                    c_enc, cont = cont[:1], cont[1:]
            else:
                c_enc, cont = lm._encode_pair(ctx, o)
            lps, g2 = token_logprobs(model, c_enc, cont)
            assert abs(sum(lps) - ll) < 1e-4 and g2 == greedy, (ctx, o, ll, sum(lps))
            opts.append({"text": o, "context_ids": c_enc, "continuation_ids": cont,
                         "logprob": ll, "is_greedy": bool(greedy), "token_logprobs": lps})
        out.append({"context": ctx, "options": opts})
    return out


def strip_word_start(s):
    i = 0
    while i < len(s) and (s[i] in " \t\n\r\v\f" or s[i] in "\u2581\u0120"):
        i += 1
    return s[i:]


def label_cases(model, tok):
    special = set(tok.all_special_ids) | {i for i, t in tok.added_tokens_decoder.items() if t.special}
    vocab = len(tok)
    out = []
    for ctx in ["Options:\nA. Walk over\nB. Stay\nC. Ask\nD. Leave\nAnswer:",
                "Options:\nA. Walk over\nB. Stay\nC. Ask\nD. Leave\nAnswer: "]:
        ids = tok(ctx)["input_ids"]
        with torch.no_grad():
            lp = torch.log_softmax(model(torch.tensor([ids])).logits[0, -1].double(), -1)
        labels = []
        for lab in ["A", "B", "C", "D"]:
            tids = sorted(i for i in range(vocab) if i not in special and (
                strip_word_start(tok.convert_ids_to_tokens(i)) == lab or
                strip_word_start(tok.decode([i])) == lab))
            mass = float(sum(lp[t].exp() for t in tids))
            labels.append({"label": lab, "token_ids": tids, "logprobs": [lp[t].item() for t in tids],
                           "mass": mass})
        total = sum(l["mass"] for l in labels)
        for l in labels:
            l["prob"] = l["mass"] / total
        out.append({"context": ctx, "context_ids": ids, "labels": labels})
    return out


def greedy_cases(model, tok):
    prompts = ["Hello world", "The capital of France is", "I see myself as someone who"]
    n = 12
    eos = model.config.eos_token_id
    single = []
    min_gap = float("inf")
    for p in prompts:
        ids = tok(p, return_tensors="pt")
        g = model.generate(**ids, do_sample=False, max_new_tokens=n, eos_token_id=eos,
                           pad_token_id=eos, output_scores=True, return_dict_in_generate=True)
        # Smallest top-1/top-2 logit gap on the greedy path: how far float
        # rounding is from changing a choice.
        for s in g.scores:
            top = s[0].topk(2).values
            min_gap = min(min_gap, float(top[0] - top[1]))
        single.append({"prompt": p, "prompt_ids": ids["input_ids"][0].tolist(),
                       "generated_ids": g.sequences[0, ids["input_ids"].shape[1]:].tolist()})
    tok.padding_side = "left"
    tok.pad_token = tok.eos_token
    batch = tok(prompts, return_tensors="pt", padding=True)
    g = model.generate(**batch, do_sample=False, max_new_tokens=n, eos_token_id=eos,
                       pad_token_id=eos)
    batched = []
    for i in range(len(prompts)):
        gen = g[i, batch["input_ids"].shape[1]:].tolist()
        # HF pads finished rows with pad (= eos); cut after the first eos.
        if eos in gen:
            gen = gen[:gen.index(eos) + 1]
        batched.append(gen)
    return {"max_new_tokens": n, "eos_token_id": eos, "min_top2_gap": min_gap, "single": single,
            "batched": batched}


def sampling_cases():
    from transformers.generation.logits_process import (TemperatureLogitsWarper,
                                                        TopKLogitsWarper, TopPLogitsWarper)
    g = torch.Generator().manual_seed(SEED)
    logits = (torch.randn(40, generator=g, dtype=torch.float64) * 2.0)
    out = []
    for t, k, p in [(1.0, 0, 1.0), (0.7, 0, 1.0), (1.0, 5, 1.0), (1.0, 0, 0.8), (0.5, 10, 0.9),
                    (1.3, 3, 0.5), (2.0, 0, 0.3)]:
        s = logits.unsqueeze(0).clone()
        ids = torch.zeros(1, 1, dtype=torch.long)
        s = TemperatureLogitsWarper(t)(ids, s)
        if k > 0:
            s = TopKLogitsWarper(k)(ids, s)
        if p < 1.0:
            s = TopPLogitsWarper(p)(ids, s)
        probs = torch.softmax(s, -1)[0]
        out.append({"temperature": t, "top_k": k, "top_p": p, "probs": probs.tolist()})
    return {"logits": logits.tolist(), "cases": out}


def main():
    build_checkpoint()
    model, tok = load()
    data = {"format_version": FORMAT_VERSION, "seed": SEED, "versions": versions(),
            "model_dir": "models/llama_tok",
            "regenerate": "/work/venv/bin/python tools/goldens/make_ops_goldens.py",
            "loglik": loglik_cases(model, tok), "labels": label_cases(model, tok),
            "greedy": greedy_cases(model, tok), "sampling": sampling_cases()}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(data, f, indent=1, ensure_ascii=False)
    size = sum(os.path.getsize(os.path.join(MODEL_DIR, x)) for x in os.listdir(MODEL_DIR))
    print(f"wrote {OUT} and {MODEL_DIR} ({size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
