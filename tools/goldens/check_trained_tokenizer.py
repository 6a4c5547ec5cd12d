#!/usr/bin/env python3
"""Goldens for traitlab's BPE trainer (tests/core/bpe_trainer_test.cpp).

    /work/venv/bin/python tools/goldens/check_trained_tokenizer.py [--traitlab build/traitlab]

1. Writes tests/data/world/tokenizer_corpus.txt with `traitlab world` (a small
   world, seed 1) unless --keep-corpus.
2. Trains tests/data/world/tokenizer/{tokenizer.json,tokenizer_config.json}
   with `traitlab train-tokenizer --vocab-size 1024`.
3. Loads that file with Python `tokenizers` and writes
   tests/data/world/trained_tokenizer_goldens.json: for every test text the
   ids with and without special tokens and the decode, plus a chat rendered
   by transformers' apply_chat_template from tokenizer_config.json.
It fails if the Python library cannot load the file or if its encodings do
not round-trip. The C++ test checks that traitlab retrains the identical
file and encodes every text to the same ids.
"""
import argparse
import json
import os
import platform
import random
import shutil
import subprocess
import sys
import tempfile

import tokenizers
import transformers
from tokenizers import Tokenizer

FORMAT_VERSION = 1
SEED = 1234
VOCAB_SIZE = 1024
ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))
OUT = os.path.join(ROOT, "tests", "data", "world")

HARD_TEXTS = [
    "", " ", "  ", "\n", "\n\n", "\t", "a", "I", " I am", "Hello world", "hello  world  ",
    "I'm sure you'll see they've done it, haven't they?", "It's 2024; 3.14159 and 1,000,000.",
    "Answer: C", "Answer: C. Help them move all day.", "Statement: I am kind.\nAnswer: 4",
    "Interviewer: Tell me a little about yourself.\nCandidate: I enjoy being around lots of people.",
    "<|begin_of_text|>", "<|end_of_text|>", "a<|eot_id|>b", "<|start_header_id|>user<|end_header_id|>\n\nHi",
    "Ich bin müde, aber glücklich. Straße!", "日本語のテキスト", "emoji 😀👍🏽 mix", "naïve café résumé",
    "tabs\tand\r\nwindows\r\nlines", "trailing spaces   \n  leading", "((nested)) [brackets] {braces}",
    "email@example.com http://x.y/z?q=1&r=2", "UPPER lower MiXeD", "don't DON'T Don'T",
    "\u00a0non-breaking\u2009thin\u3000ideographic", "zero\u200bwidth", "über-extremely-long-hyphenated-word",
]


def run(cmd):
    print("+", " ".join(cmd), file=sys.stderr)
    subprocess.run(cmd, check=True)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--traitlab", default=os.path.join(ROOT, "build", "traitlab"))
    ap.add_argument("--keep-corpus", action="store_true")
    args = ap.parse_args()
    os.makedirs(OUT, exist_ok=True)
    corpus_path = os.path.join(OUT, "tokenizer_corpus.txt")
    if not args.keep_corpus:
        with tempfile.TemporaryDirectory() as tmp:
            run([args.traitlab, "world", "--out", tmp, "--seed", "1", "--respondents", "40",
                 "--alignment_sft", "0", "--alignment_dpo", "0"])
            shutil.copy(os.path.join(tmp, "corpus.txt"), corpus_path)
    tok_dir = os.path.join(OUT, "tokenizer")
    run([args.traitlab, "train-tokenizer", "--corpus", corpus_path, "--vocab-size", str(VOCAB_SIZE),
         "--out", os.path.join(tok_dir, "tokenizer.json")])

    tok = Tokenizer.from_file(os.path.join(tok_dir, "tokenizer.json"))
    corpus = open(corpus_path, encoding="utf-8").read()
    docs = [d for d in corpus.split("<|end_of_text|>\n") if d]
    rng = random.Random(SEED)
    texts = HARD_TEXTS + rng.sample(docs, 30) + [docs[0] + "<|end_of_text|>\n" + docs[1]]
    # Random strings over the corpus alphabet and a few rarer characters.
    alphabet = sorted(set(corpus)) + list("é😀\u00a0日")
    for _ in range(20):
        texts.append("".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60))))
    cases = []
    for t in texts:
        ids = tok.encode(t).ids
        plain = tok.encode(t, add_special_tokens=False).ids
        decoded = tok.decode(plain, skip_special_tokens=False)
        assert decoded == t, f"Python round trip failed for {t!r}"
        cases.append({"text": t, "ids": ids, "ids_plain": plain, "decoded": decoded})

    hf = transformers.PreTrainedTokenizerFast(tokenizer_file=os.path.join(tok_dir, "tokenizer.json"))
    cfg = json.load(open(os.path.join(tok_dir, "tokenizer_config.json")))
    hf.bos_token = cfg["bos_token"]
    hf.eos_token = cfg["eos_token"]
    hf.chat_template = cfg["chat_template"]
    messages = [
        {"role": "system", "content": "You are a helpful assistant."},
        {"role": "user", "content": "How do you usually plan your week?"},
        {"role": "assistant", "content": "I make a plan and I stick to it."},
        {"role": "user", "content": "  And when a rule gets in your way?  "},
    ]
    rendered = hf.apply_chat_template(messages, tokenize=False, add_generation_prompt=True)
    chat_ids = tok.encode(rendered, add_special_tokens=False).ids  # BOS is in the template

    golden = {
        "format_version": FORMAT_VERSION,
        "generator": "tools/goldens/check_trained_tokenizer.py",
        "versions": {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__,
                     "python": platform.python_version()},
        "seed": SEED,
        "vocab_size": VOCAB_SIZE,
        "cases": cases,
        "chat": {"messages": messages, "rendered": rendered, "ids": chat_ids},
    }
    with open(os.path.join(OUT, "trained_tokenizer_goldens.json"), "w", encoding="utf-8") as f:
        json.dump(golden, f, ensure_ascii=False, indent=1)
        f.write("\n")
    print(f"{len(cases)} cases; vocab {tok.get_vocab_size()}; corpus {len(corpus)} chars", file=sys.stderr)


if __name__ == "__main__":
    main()
