#!/usr/bin/env python3
"""Goldens for traitlab's SentencePiece-style GGUF tokenizer (tokenizer.ggml.model
"llama", core/tokenizer/gguf_spm.cpp), made by transformers building its tokenizer
from the very same file:

    scripts/fetch-real-models.sh gemma3     # or put the file in the models dir
    $PYTHON tools/goldens/make_gguf_spm_goldens.py

    AutoTokenizer.from_pretrained(<models dir>, gguf_file="gemma-3-270m-q4_k_m.gguf")

The models dir is $TRAITLAB_MODELS_DIR, else $XDG_CACHE_HOME/traitlab/models, else
~/.cache/traitlab/models (as tests/real/*_test.cpp look for it).

Writes tests/data/real/gemma3_tokenizer.json: the GGUF file's name and sha256,
the versions used, and
  - strings: for each hard string (accents, combining marks, CJK, emoji, digits,
    indented code, runs of spaces/tabs/newlines, leading spaces, chat markers,
    the empty string, text that needs byte fallback), the ids with
    add_special_tokens=True and decode() of those ids (skip_special_tokens False
    and True);
  - backend: sizes and sha256 digests of the tokenizer transformers built
    (vocab in id order, merges in rank order, added tokens), so that a C++
    test can check the whole tokenizer, not only the strings. Each digest is
    over UTF-8 fields each followed by a NUL byte:
      vocab:  token                                   (ids 0..n-1)
      merges: left, right                             (rank order)
      added:  id, content, special (0/1), normalized (0/1)   (id order)
"""
import hashlib
import json
import os
import platform
import sys

import tokenizers
import transformers
from transformers import AutoTokenizer

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "real", "gemma3_tokenizer.json")
FORMAT_VERSION = 1
FILE = "gemma-3-270m-q4_k_m.gguf"
CACHE = os.environ.get("TRAITLAB_MODELS_DIR") or os.path.join(
    os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"), "traitlab", "models")

HARD_STRINGS = [
    "Hello, world!",
    "I see myself as someone who is reserved.",
    "caf\u00e9 na\u00efve r\u00e9sum\u00e9 \u00c5ngstr\u00f6m",
    "e\u0301 written as e + U+0301, and A\u030a",
    "\u4f60\u597d\uff0c\u4e16\u754c\u3002\u65e5\u672c\u8a9e\u306e\u30c6\u30ad\u30b9\u30c8 \ud55c\uad6d\uc5b4",
    "emoji \U0001f600\U0001f44d\U0001f3fd and \u2764\ufe0f \U0001f468\u200d\U0001f469\u200d\U0001f467",
    "digits 1234567 3.14159 2026-12-07 \u0661\u0662\u0663",
    "def f(x):\n    if x:\n\treturn x**2  # square\n",
    "   leading spaces, tabs\t\tand\n\n\nnewlines  ",
    "a  b   c    d\u3000e\u00a0f \r\n g",
    " x",
    "<start_of_turn>user\nhi<end_of_turn>\n<start_of_turn>model\n",
    "",
    "\u0000\u0001\u007f bytes",
    "rare \U0001d11e \U000e0041 \u0e3f \u16a0 \U00010348 \ufdfd",
    "Answer: (A) or **B** or C. <unk> <mask> <0x41>",
    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
    "\u2581 literal lower-one-eighth block \u2581\u2581x",
]


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def digest(rows):
    h = hashlib.sha256()
    for row in rows:
        for field in row:
            h.update(str(field).encode("utf-8", "surrogatepass"))
            h.update(b"\0")
    return h.hexdigest()


def backend_summary(tok):
    j = json.loads(tok.backend_tokenizer.to_str())
    vocab = j["model"]["vocab"]
    by_id = sorted(vocab.items(), key=lambda kv: kv[1])
    assert [i for _, i in by_id] == list(range(len(by_id))), "vocab ids are not 0..n-1"
    merges = [m.split(" ") if isinstance(m, str) else m for m in j["model"]["merges"]]
    added = sorted(j["added_tokens"], key=lambda t: t["id"])
    return {
        "vocab_size": len(by_id),
        "vocab_sha256": digest([t] for t, _ in by_id),
        "merges": len(merges),
        "merges_sha256": digest(merges),
        "added_tokens": len(added),
        "added_sha256": digest((t["id"], t["content"], int(t["special"]), int(t["normalized"]))
                               for t in added),
        "normalizer": j["normalizer"],
        "pre_tokenizer": j["pre_tokenizer"],
        "post_processor": j["post_processor"],
        "decoder": j["decoder"],
        "model": {k: v for k, v in j["model"].items() if k not in ("vocab", "merges")},
    }


def main():
    path = os.path.join(CACHE, FILE)
    if not os.path.exists(path):
        sys.exit(f"{path}: missing; run scripts/fetch-real-models.sh gemma3")
    tok = AutoTokenizer.from_pretrained(CACHE, gguf_file=FILE)
    rows = []
    for s in HARD_STRINGS:
        ids = tok(s, add_special_tokens=True)["input_ids"]
        rows.append({"text": s, "ids": ids,
                     "decoded": tok.decode(ids, skip_special_tokens=False),
                     "decoded_skip_special": tok.decode(ids, skip_special_tokens=True)})
    out = {"format_version": FORMAT_VERSION,
           "script": "tools/goldens/make_gguf_spm_goldens.py",
           "file": FILE, "sha256": sha256_file(path),
           "versions": {"python": platform.python_version(),
                        "transformers": transformers.__version__,
                        "tokenizers": tokenizers.__version__},
           "tokenizer_class": type(tok).__name__,
           "backend": backend_summary(tok),
           "strings": rows}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1, ensure_ascii=False)
        f.write("\n")
    print(OUT, len(rows), "strings")


if __name__ == "__main__":
    main()
