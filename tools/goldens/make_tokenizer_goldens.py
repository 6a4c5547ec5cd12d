#!/usr/bin/env python3
"""Writes the tokenizer goldens in tests/data/tokenizers/.

(One script of ~500 lines on purpose: every golden file comes from one run,
with one set of versions and seeds.)

    /work/venv/bin/python tools/goldens/make_tokenizer_goldens.py [--gpt2-tiktoken PATH]

Outputs (all deterministic for a fixed seed and library versions):
  gpt2/tokenizer.json    real GPT-2 BPE, converted from whisper's gpt2.tiktoken
                         (pip download --no-deps --no-binary :all: openai-whisper;
                         kept if present, since the ranks never change)
  llama3/tokenizer.json  Llama-3 style: Split(llama3 regex) + ByteLevel, ignore_merges,
                         header specials at the end of the vocab, BOS template
  llama2/tokenizer.json  Llama-2 style: Prepend+Replace normalizer, byte_fallback,
                         <unk> with fuse_unk, <s> BOS template
  qwen2/tokenizer.json   Qwen2 style: NFC, Split(qwen regex) + ByteLevel, ChatML specials
  goldens.json           ids (with and without special tokens) and decodes of every
                         hard text for every tokenizer and variant (a variant is a
                         base file plus a JSON merge patch, RFC 7386)
  chat/*.json            tokenizer_config.json files holding the real chat templates
  chat_goldens.json      transformers' apply_chat_template output for them
"""
import argparse
import base64
import copy
import json
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import unicodedata

import tokenizers
import transformers
from tokenizers import Regex, Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers

FORMAT_VERSION = 1
SEED = 1234
OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "tests", "data", "tokenizers")

GPT2_PATTERN = r"""'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+"""
LLAMA3_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}{1,3}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                  r"|\s*[\r\n]+|\s+(?!\S)|\s+")
QWEN2_PATTERN = (r"(?i:'s|'t|'re|'ve|'m|'ll|'d)|[^\r\n\p{L}\p{N}]?\p{L}+|\p{N}| ?[^\s\p{L}\p{N}]+[\r\n]*"
                 r"|\s*[\r\n]+|\s+(?!\S)|\s+")

# ---------------------------------------------------------------- texts

WORDS = ("the of and to in is you that it he was for on are as with his they at be this have from or one had by "
         "word but not what all were we when your can said there use an each which she do how their if will up "
         "other about out many then them these so some her would make like him into time has look two more write "
         "go see number no way could people my than first water been call who oil its now find long down day did "
         "get come made may part personality trait openness conscientiousness extraversion agreeableness "
         "neuroticism honest humble curious careful friendly anxious calm model token language experiment "
         "question answer agree disagree strongly neutral score measure vector steering layer").split()
EXTRA_LINES = [
    "Ich bin müde, aber glücklich. Straße, Größe, Äpfel.", "Le café est très bon à Paris, n'est-ce pas?",
    "这是一个简单的中文句子。我们测试分词器。", "日本語の文章です。カタカナとひらがな。", "한국어 문장입니다.",
    "Emoji: 😀 😂 🎉 👍 ❤️", "Numbers: 12345 67890 3.14 2,718", "def main():\n    return 0\n",
    "Привет, как дела?", "Γεια σου κόσμε", "DON'T SHOUT! She'S here. We'RE done.",
]


def training_corpus(rng, n_lines=4000):
    lines = []
    for _ in range(n_lines):
        k = rng.randint(3, 14)
        ws = [rng.choice(WORDS) for _ in range(k)]
        if rng.random() < 0.3:
            ws[0] = ws[0].capitalize()
        if rng.random() < 0.1:
            ws.insert(rng.randrange(len(ws)), str(rng.randint(0, 100000)))
        if rng.random() < 0.1:
            ws.insert(rng.randrange(len(ws)), rng.choice(["don't", "it's", "I'm", "we're", "you'll", "they've"]))
        line = " ".join(ws) + rng.choice([".", ",", "!", "?", ":", ""])
        if rng.random() < 0.05:
            line = rng.choice(EXTRA_LINES)
        lines.append(line)
    return lines


def hard_texts():
    """(name, raw bytes). Invalid UTF-8 is encoded as Python's decode('utf-8', 'replace') would."""
    t = [
        ("empty", ""), ("space", " "), ("two_spaces", "  "), ("hello", "Hello world"),
        ("leading_space", " Hello world"), ("trailing_space", "Hello world "), ("leading_two", "  leading two"),
        ("trailing_two", "trailing two  "), ("tab_inside", "Hello\tworld"), ("tabs", "\t\ttabs\t"),
        ("newline", "line1\nline2"), ("crlf", "line1\r\nline2\r\n"), ("newlines", "\n\n\n"),
        ("space_newline_space", "a \n b"), ("ws_newline_ws", "   \n   "), ("space_runs", "many     spaces     here"),
        ("digits", "1234567"), ("decimals", "3.14159 and 2,718,281"), ("digit_groups", "12 345 6789 0"),
        ("digits_letters", "x1y22z333w4444"), ("dont_caps", "DON'T"), ("shes_caps", "She'S here"),
        ("contractions", "we're they've I'm you'll he'd it's"), ("contractions_caps", "I'M YOU'LL HE'D THEY'VE WE'RE"),
        ("bare_contractions", "'s 't 're"), ("long_s", "it\u017fs 'ſ"), ("accents", "naïve café résumé"),
        ("combining", "e\u0301 combining (decomposed \u00e9)"), ("ring", "A\u030a vs \u00c5 vs \u212b"),
        ("hangul_jamo", "\u1100\u1161\u11a8 jamo \uac01"), ("ohm", "\u2126 ohm sign vs \u03a9"),
        ("ligature", "\ufb01 ligature"), ("combining_stack", "a\u0323\u0302 o\u0302\u0323 q\u0307\u0323"),
        ("chinese", "中文字符测试"), ("japanese", "日本語のテキスト、カタカナ。"), ("korean", "한국어 텍스트"),
        ("mixed_cjk", "mixed中文and English"), ("emoji", "emoji 😀🎉"),
        ("zwj_family", "family 👨\u200d👩\u200d👧\u200d👦 zwj"), ("flag_skin", "flag 🇩🇪 and skin 👍🏽"),
        ("heart_vs16", "❤️ heart vs ❤"), ("endoftext_inside", "special <|endoftext|> inside"),
        ("endoftext_alone", "<|endoftext|>"), ("endoftext_glued", "a<|endoftext|>b"),
        ("endoftext_spaced", " <|endoftext|> "), ("begin_of_text", "<|begin_of_text|>Hello"),
        ("llama3_header", "<|start_header_id|>user<|end_header_id|>\n\nHi there<|eot_id|>"),
        ("chatml", "<|im_start|>user\nHi<|im_end|>\n<|im_start|>assistant\n"),
        ("llama2_inst", "<s>[INST] Hi [/INST]"), ("eos_bos_spaced", "</s> <s> x"), ("unk_text", "<unk> and <s>"),
        ("partial_special", "<|im_start and <|begin_of_text|"), ("hello_world_lower", "say hello world and hello world!"), ("my_special", "a my special day, ay ayay"), ("mask_words", "a <mask> b <mask>c d<mask> <mask>"),
        ("punct", "Hello, world! How's it going? (fine) [ok] {yes} ..."), ("punct_runs", "!!!??? --- ___ ***"),
        ("path", "path/to/file.txt"), ("url", "https://example.com/a?b=c&d=e#frag"),
        ("code", "def f(x):\n    return x*2\n\n\tpass"), ("email", "email@example.com"),
        ("nbsp", "\u00a0non-breaking\u00a0space"), ("ideographic_space", "\u3000ideographic space"),
        ("nel", "a\u0085b NEL"), ("line_sep", "a\u2028b\u2029c"), ("zero_width", "zero\u200bwidth"),
        ("byte_token_text", "<0x41> literal byte token"), ("metaspace_text", "▁ literal ▁▁ metaspace"),
        ("g_text", "Ġ literal Ċ"), ("all_caps", "ALL CAPS SENTENCE"), ("mixed_case", "MiXeD CaSe"),
        ("german", "Ä Ö Ü ß straße"), ("greek", "Ελληνικά κείμενο"), ("russian", "Русский текст"),
        ("hebrew", "עברית"), ("arabic", "العربية"), ("hindi", "हिन्दी"),
        ("controls", "\x00 null \x01 control \x7f"), ("vertical_tab_ff", "tab\tand\vvertical\ffeed"),
        ("supplementary", "\U00010348 gothic \U0001d400 math"),
        ("long_word", "a" * 700 + "b" * 300), ("long_mixed_word", "supercalifragilistic" * 25),
    ]
    out = [(n, s.encode("utf-8")) for n, s in t]
    out += [
        ("invalid_ff", b"abc\xff def"), ("invalid_c3_28", b"\xc3\x28 x"), ("truncated_euro", b"\xe2\x82"),
        ("truncated_emoji", b"ok \xf0\x9f\x98"), ("surrogate", b"\xed\xa0\x80 surrogate"),
        ("overlong", b"\xc0\xaf overlong"), ("lone_continuations", b"\x80\x80\x80"),
        ("f4_out_of_range", b"\xf4\x90\x80\x80 big"), ("invalid_then_special", b"\xfe<|endoftext|>\xe2\x82"),
    ]
    rng = random.Random(SEED)
    para = training_corpus(rng, 40)
    out.append(("paragraph", "\n".join(para).encode("utf-8")))
    return out


# ---------------------------------------------------------------- tokenizers


def bytes_to_unicode():
    bs = list(range(ord("!"), ord("~") + 1)) + list(range(0xA1, 0xAD)) + list(range(0xAE, 0x100))
    cs = bs[:]
    n = 0
    for b in range(256):
        if b not in bs:
            bs.append(b)
            cs.append(256 + n)
            n += 1
    return dict(zip(bs, map(chr, cs)))


def find_tiktoken(path):
    if path:
        return path
    tmp = tempfile.mkdtemp()
    subprocess.check_call([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                           "openai-whisper", "-d", tmp])
    sdist = [f for f in os.listdir(tmp) if f.endswith(".tar.gz")][0]
    with tarfile.open(os.path.join(tmp, sdist)) as tf:
        member = [m for m in tf.getmembers() if m.name.endswith("whisper/assets/gpt2.tiktoken")][0]
        tf.extract(member, tmp)
        return os.path.join(tmp, member.name)


def recover_merge(ranks, token):
    """tiktoken's max_rank BPE: the pair that was merged to form `token`."""
    rank = ranks[token]
    parts = [bytes([b]) for b in token]
    while True:
        best = None
        for i in range(len(parts) - 1):
            r = ranks.get(parts[i] + parts[i + 1])
            if r is not None and r < rank and (best is None or r < best[1]):
                best = (i, r)
        if best is None:
            break
        i = best[0]
        parts = parts[:i] + [parts[i] + parts[i + 1]] + parts[i + 2:]
    assert len(parts) == 2, token
    return parts


def make_gpt2(tiktoken_path):
    ranks = {}
    with open(tiktoken_path) as f:
        for line in f:
            tok, r = line.split()
            ranks[base64.b64decode(tok)] = int(r)
    b2u = bytes_to_unicode()
    enc = lambda b: "".join(b2u[x] for x in b)  # noqa: E731
    vocab = {enc(t): r for t, r in sorted(ranks.items(), key=lambda kv: kv[1])}
    merges = []
    for t, r in sorted(ranks.items(), key=lambda kv: kv[1]):
        if len(t) > 1:
            a, b = recover_merge(ranks, t)
            merges.append(enc(a) + " " + enc(b))
    vocab["<|endoftext|>"] = 50256
    j = {
        "version": "1.0", "truncation": None, "padding": None,
        "added_tokens": [{"id": 50256, "content": "<|endoftext|>", "single_word": False, "lstrip": False,
                          "rstrip": False, "normalized": True, "special": True}],
        "normalizer": None,
        "pre_tokenizer": {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": True},
        "post_processor": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        "decoder": {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True},
        "model": {"type": "BPE", "dropout": None, "unk_token": None, "continuing_subword_prefix": "",
                  "end_of_word_suffix": "", "fuse_unk": False, "byte_fallback": False, "ignore_merges": False,
                  "vocab": vocab, "merges": merges},
    }
    tok = Tokenizer.from_str(json.dumps(j))
    assert tok.encode("Hello world").ids == [15496, 995], tok.encode("Hello world").ids
    assert tok.token_to_id("<|endoftext|>") == 50256
    assert tok.encode("a<|endoftext|>").ids[-1] == 50256
    return j


def train_bpe(tok, corpus, vocab_size, **kw):
    trainer = trainers.BpeTrainer(vocab_size=vocab_size, show_progress=False, **kw)
    tok.train_from_iterator(corpus, trainer=trainer)
    return json.loads(tok.to_str())


def added(id_, content, special=True, normalized=False, lstrip=False, rstrip=False, single_word=False):
    return {"id": id_, "content": content, "single_word": single_word, "lstrip": lstrip, "rstrip": rstrip,
            "normalized": normalized, "special": special}


def append_specials(j, names):
    n = max(j["model"]["vocab"].values()) + 1
    for i, name in enumerate(names):
        j["added_tokens"].append(added(n + i, name))
    return {name: n + i for i, name in enumerate(names)}


def make_llama3(corpus):
    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(LLAMA3_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=True, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    j = train_bpe(tok, corpus, 1500, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    j["model"]["ignore_merges"] = True
    # Whole words reachable only through ignore_merges (no merge path builds them).
    n = max(j["model"]["vocab"].values()) + 1
    for i, w in enumerate(["Ġsupercalifragilistic", "ĠDON'T", "Ġpersonality-trait"]):
        j["model"]["vocab"][w] = n + i
    ids = append_specials(j, ["<|begin_of_text|>", "<|end_of_text|>", "<|start_header_id|>", "<|end_header_id|>",
                              "<|eot_id|>"])
    bos = ids["<|begin_of_text|>"]
    j["post_processor"] = {"type": "Sequence", "processors": [
        {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": False, "use_regex": True},
        {"type": "TemplateProcessing",
         "single": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}},
                    {"Sequence": {"id": "A", "type_id": 0}}],
         "pair": [{"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                  {"SpecialToken": {"id": "<|begin_of_text|>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
         "special_tokens": {"<|begin_of_text|>": {"id": "<|begin_of_text|>", "ids": [bos],
                                                  "tokens": ["<|begin_of_text|>"]}}}]}
    return j


def make_llama2(corpus):
    tok = Tokenizer(models.BPE(unk_token="<unk>", fuse_unk=True, byte_fallback=True))
    tok.normalizer = normalizers.Sequence([normalizers.Prepend("▁"), normalizers.Replace(" ", "▁")])
    # Train with Metaspace words (sentencepiece never merges across "▁" either), then drop it.
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="never", split=True)
    byte_tokens = ["<0x%02X>" % b for b in range(256)]
    j = train_bpe(tok, corpus, 1200, special_tokens=["<unk>", "<s>", "</s>"] + byte_tokens)
    j["added_tokens"] = [t for t in j["added_tokens"] if t["content"] in ("<unk>", "<s>", "</s>")]
    j["pre_tokenizer"] = None
    j["decoder"] = {"type": "Sequence", "decoders": [
        {"type": "Replace", "pattern": {"String": "▁"}, "content": " "}, {"type": "ByteFallback"},
        {"type": "Fuse"}, {"type": "Strip", "content": " ", "start": 1, "stop": 0}]}
    j["post_processor"] = {
        "type": "TemplateProcessing",
        "single": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}}],
        "pair": [{"SpecialToken": {"id": "<s>", "type_id": 0}}, {"Sequence": {"id": "A", "type_id": 0}},
                 {"SpecialToken": {"id": "<s>", "type_id": 1}}, {"Sequence": {"id": "B", "type_id": 1}}],
        "special_tokens": {"<s>": {"id": "<s>", "ids": [1], "tokens": ["<s>"]}}}
    return j


def make_qwen2(corpus):
    tok = Tokenizer(models.BPE())
    tok.normalizer = normalizers.NFC()
    tok.pre_tokenizer = pre_tokenizers.Sequence([
        pre_tokenizers.Split(Regex(QWEN2_PATTERN), behavior="isolated", invert=False),
        pre_tokenizers.ByteLevel(add_prefix_space=False, trim_offsets=False, use_regex=False)])
    tok.decoder = decoders.ByteLevel()
    j = train_bpe(tok, corpus, 1400, initial_alphabet=pre_tokenizers.ByteLevel.alphabet())
    append_specials(j, ["<|endoftext|>", "<|im_start|>", "<|im_end|>"])
    j["post_processor"] = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": False, "use_regex": False}
    return j


BL_NOREGEX = {"type": "ByteLevel", "add_prefix_space": False, "trim_offsets": True, "use_regex": False}


def split(pattern, behavior, invert=False, regex=True):
    return {"type": "Split", "pattern": {"Regex" if regex else "String": pattern}, "behavior": behavior,
            "invert": invert}


def variants(jsons):
    """(name, base, merge patch): pipelines that the four styles do not cover."""
    seq = lambda *p: {"pre_tokenizer": {"type": "Sequence", "pretokenizers": list(p)}}  # noqa: E731
    nxt = lambda base: max(max(jsons[base]["model"]["vocab"].values()),  # noqa: E731
                           max(t["id"] for t in jsons[base]["added_tokens"])) + 1
    l2vocab = jsons["llama2"]["model"]["vocab"]
    rename = {"<0x%02X>" % b: None for b in range(0xF0, 0x100)}  # 4-byte leads fall back to <unk>
    rename.update({"<byte%02X>" % b: l2vocab["<0x%02X>" % b] for b in range(0xF0, 0x100)})
    n3, nq, n2 = nxt("llama3"), nxt("qwen2"), nxt("llama2")
    l3added = jsons["llama3"]["added_tokens"]
    return [
        ("llama3_split_removed", "llama3", seq(split(r"\s+", "Removed"), BL_NOREGEX)),
        ("llama3_split_merged_prev", "llama3", seq(split(" ", "MergedWithPrevious", regex=False), BL_NOREGEX)),
        ("llama3_split_merged_next", "llama3", seq(split(r"\p{P}", "MergedWithNext"), BL_NOREGEX)),
        ("llama3_split_contiguous", "llama3", seq(split(r"\p{N}|\s", "Contiguous"), BL_NOREGEX)),
        ("llama3_split_invert", "llama3", seq(split(r"\p{L}+", "Isolated", invert=True), BL_NOREGEX)),
        ("llama3_split_invert_removed", "llama3", seq(split(r"[aeiou]", "Removed", invert=True), BL_NOREGEX)),
        ("llama3_digits_bytelevel_prefix", "llama3",
         seq({"type": "Digits", "individual_digits": True},
             {"type": "ByteLevel", "add_prefix_space": True, "trim_offsets": True, "use_regex": True})),
        ("llama3_digits_contiguous", "llama3",
         seq({"type": "Digits", "individual_digits": False}, split(LLAMA3_PATTERN, "Isolated"), BL_NOREGEX)),
        ("llama3_no_ignore_merges", "llama3", {"model": {"ignore_merges": False}}),
        ("llama3_added_flags", "llama3", {"added_tokens": l3added + [
            added(n3, "<mask>", special=True, lstrip=True, rstrip=True, single_word=True),
            added(n3 + 1, "[[x]]", special=False, normalized=True),
            added(n3 + 2, "caf\u00e9", special=False, normalized=True, single_word=True),
            added(n3 + 3, " Hi", special=False, normalized=False),
            added(n3 + 4, "<|endoftext|>", special=True, rstrip=True),
            added(n3 + 5, "<|im_start", special=False, lstrip=True),
            added(n3 + 6, "<|im_start|>", special=True),
        ]}),
        ("qwen2_replace_regex", "qwen2", {
            "normalizer": {"type": "Sequence", "normalizers": [
                {"type": "NFC"}, {"type": "Replace", "pattern": {"Regex": r"\s{2,}"}, "content": " "},
                {"type": "Strip", "strip_left": True, "strip_right": True}]},
            "added_tokens": jsons["qwen2"]["added_tokens"] + [added(nq, "caf\u00e9", special=False, normalized=True)]}),
        ("llama2_metaspace_first", "llama2", {
            "normalizer": None,
            "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False},
            "decoder": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "first", "split": False}}),
        ("llama2_metaspace_split_unk", "llama2", {
            "normalizer": None,
            "pre_tokenizer": {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True},
            "decoder": {"type": "Sequence", "decoders": [
                {"type": "ByteFallback"},
                {"type": "Metaspace", "replacement": "\u2581", "prepend_scheme": "always", "split": True}]},
            "model": {"vocab": rename}}),
        ("llama2_no_fuse_unk_normalized_added", "llama2", {
            "model": {"fuse_unk": False, "vocab": rename},
            "added_tokens": jsons["llama2"]["added_tokens"] + [
                added(n2, "hello world", special=False, normalized=True),
                added(n2 + 1, "[INST]", special=False, normalized=False),
                # Ids that disagree with what `tokenizers` assigns on load: the library wins.
                added(n2 + 7, "my special", special=True, normalized=True),
                added(3, "ay", special=False, normalized=True)]}),
    ]


def merge_patch(target, patch):
    if not isinstance(patch, dict):
        return copy.deepcopy(patch)
    target = copy.deepcopy(target) if isinstance(target, dict) else {}
    for k, v in patch.items():
        if v is None:
            target.pop(k, None)
        else:
            target[k] = merge_patch(target.get(k), v)
    return target


# ---------------------------------------------------------------- goldens


def tokenizer_record(name, file, patch, j, texts, rng):
    tok = Tokenizer.from_str(json.dumps(merge_patch(j, patch) if patch else j))
    vocab = tok.get_vocab(with_added_tokens=True)
    probe = rng.sample(sorted(vocab), min(40, len(vocab))) + [t["content"] for t in j["added_tokens"]]
    probe += ["definitely-not-a-token", "", "<|im_start"]
    ids = sorted(rng.sample(range(max(vocab.values()) + 1), 30)) + [max(vocab.values()) + 5]
    cases = []
    for _, raw in texts:
        text = raw.decode("utf-8", "replace")
        e1 = tok.encode(text, add_special_tokens=True).ids
        e0 = tok.encode(text, add_special_tokens=False).ids
        cases.append({"ids": e0, "ids_special": e1, "decode": tok.decode(e1, skip_special_tokens=False),
                      "decode_skip": tok.decode(e1, skip_special_tokens=True)})
    return {
        "name": name, "file": file + "/tokenizer.json", "patch": patch,
        "vocab_size_with_added": tok.get_vocab_size(with_added_tokens=True),
        "max_id_plus_one": max(vocab.values()) + 1,
        "token_to_id": [[t, tok.token_to_id(t)] for t in probe],
        "id_to_token": [[i, tok.id_to_token(i)] for i in ids],
        "cases": cases,
    }


LLAMA3_TEMPLATE = ("{% set loop_messages = messages %}{% for message in loop_messages %}{% set content = "
                   "'<|start_header_id|>' + message['role'] + '<|end_header_id|>\n\n'+ message['content'] | trim + "
                   "'<|eot_id|>' %}{% if loop.index0 == 0 %}{% set content = bos_token + content %}{% endif %}"
                   "{{ content }}{% endfor %}{% if add_generation_prompt %}"
                   "{{ '<|start_header_id|>assistant<|end_header_id|>\n\n' }}{% endif %}")
QWEN2_TEMPLATE = ("{% for message in messages %}{% if loop.first and messages[0]['role'] != 'system' %}"
                  "{{ '<|im_start|>system\nYou are a helpful assistant.<|im_end|>\n' }}{% endif %}"
                  "{{'<|im_start|>' + message['role'] + '\n' + message['content'] + '<|im_end|>' + '\n'}}"
                  "{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}{% endif %}")
CHATML_TEMPLATE = ("{% for message in messages %}{{'<|im_start|>' + message['role'] + '\n' + message['content'] + "
                   "'<|im_end|>' + '\n'}}{% endfor %}{% if add_generation_prompt %}{{ '<|im_start|>assistant\n' }}"
                   "{% endif %}")
LLAMA2_TEMPLATE = ("{% if messages[0]['role'] == 'system' %}{% set loop_messages = messages[1:] %}"
                   "{% set system_message = messages[0]['content'] %}{% else %}{% set loop_messages = messages %}"
                   "{% set system_message = false %}{% endif %}{% for message in loop_messages %}"
                   "{% if (message['role'] == 'user') != (loop.index0 % 2 == 0) %}"
                   "{{ raise_exception('Conversation roles must alternate user/assistant/user/assistant/...') }}"
                   "{% endif %}{% if loop.index0 == 0 and system_message != false %}"
                   "{% set content = '<<SYS>>\\n' + system_message + '\\n<</SYS>>\\n\\n' + message['content'] %}"
                   "{% else %}{% set content = message['content'] %}{% endif %}{% if message['role'] == 'user' %}"
                   "{{ bos_token + '[INST] ' + content.strip() + ' [/INST]' }}{% elif message['role'] == 'assistant' %}"
                   "{{ ' '  + content.strip() + ' ' + eos_token }}{% endif %}{% endfor %}")

CHAT_CONFIGS = [  # name, template, tokenizer style, bos, eos, expected kind
    ("llama3", LLAMA3_TEMPLATE, "llama3", "<|begin_of_text|>", "<|eot_id|>", "llama3"),
    ("qwen2", QWEN2_TEMPLATE, "qwen2", None, "<|im_end|>", "chatml"),
    ("chatml", CHATML_TEMPLATE, "qwen2", None, "<|im_end|>", "chatml"),
    ("llama2", LLAMA2_TEMPLATE, "llama2", "<s>", "</s>", "mistral"),
]

CONVERSATIONS = [
    [{"role": "user", "content": "Hello!"}],
    [{"role": "system", "content": "You are a calm, careful assistant."},
     {"role": "user", "content": "What is 2+2?"}],
    [{"role": "system", "content": "Answer with one letter."}, {"role": "user", "content": "Pick A or B."},
     {"role": "assistant", "content": "A"}, {"role": "user", "content": "Why?"}],
    [{"role": "user", "content": "  padded question \n"}, {"role": "assistant", "content": " padded answer  "},
     {"role": "user", "content": "Ünïcödé 中文 😀\n\nsecond paragraph"}],
]


def chat_goldens(tok_jsons):
    from transformers import PreTrainedTokenizerFast
    os.makedirs(os.path.join(OUT, "chat"), exist_ok=True)
    out = []
    for name, template, style, bos, eos, kind in CHAT_CONFIGS:
        config = {"tokenizer_class": "PreTrainedTokenizerFast", "bos_token": bos, "eos_token": eos,
                  "chat_template": template}
        with open(os.path.join(OUT, "chat", name + "_tokenizer_config.json"), "w") as f:
            json.dump(config, f, indent=1, ensure_ascii=False)
        hf = PreTrainedTokenizerFast(tokenizer_object=Tokenizer.from_str(json.dumps(tok_jsons[style])),
                                     bos_token=bos, eos_token=eos)
        hf.chat_template = template
        cases = []
        for conv in CONVERSATIONS:
            for gen in (True, False):
                text = hf.apply_chat_template(conv, tokenize=False, add_generation_prompt=gen)
                ids = hf.apply_chat_template(conv, tokenize=True, add_generation_prompt=gen, return_dict=True)
                cases.append({"messages": conv, "add_generation_prompt": gen, "text": text,
                              "ids": list(ids["input_ids"])})
        out.append({"config": "chat/" + name + "_tokenizer_config.json", "tokenizer": style + "/tokenizer.json",
                    "kind": kind, "cases": cases})
    return out


def nfc_cases(texts):
    """Every character with a canonical decomposition, composed and decomposed, plus the texts."""
    decomposable = [chr(cp) for cp in range(0x110000) if unicodedata.decomposition(chr(cp))[:1] not in ("", "<")]
    decomposable += [chr(cp) for cp in range(0xAC00, 0xD7A4, 97)]
    composed = " ".join(decomposable)
    inputs = [raw.decode("utf-8", "replace") for _, raw in texts]
    inputs += [composed, unicodedata.normalize("NFD", composed), "a\u0301\u0323\u0302 \u1100\u1161\u11a8 \u0f73\u0f71"]
    return [{"input": x, "nfc": unicodedata.normalize("NFC", x)} for x in inputs]


def write_json(path, obj, indent=None):
    with open(path, "w", encoding="utf-8") as f:
        json.dump(obj, f, ensure_ascii=False, indent=indent, separators=(",", ":") if indent is None else None)
        f.write("\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--gpt2-tiktoken", help="whisper/assets/gpt2.tiktoken (downloaded with pip if absent)")
    ap.add_argument("--rebuild-gpt2", action="store_true")
    args = ap.parse_args()
    rng = random.Random(SEED)
    corpus = training_corpus(rng)
    os.makedirs(OUT, exist_ok=True)
    versions = {"tokenizers": tokenizers.__version__, "transformers": transformers.__version__,
                "python": sys.version.split()[0], "unicodedata": unicodedata.unidata_version}

    jsons = {}
    gpt2_path = os.path.join(OUT, "gpt2", "tokenizer.json")
    if os.path.exists(gpt2_path) and not args.rebuild_gpt2:
        with open(gpt2_path, encoding="utf-8") as f:
            jsons["gpt2"] = json.load(f)
    else:
        jsons["gpt2"] = make_gpt2(find_tiktoken(args.gpt2_tiktoken))
    jsons["llama3"] = make_llama3(corpus)
    jsons["llama2"] = make_llama2(corpus)
    jsons["qwen2"] = make_qwen2(corpus)
    for name, j in jsons.items():
        os.makedirs(os.path.join(OUT, name), exist_ok=True)
        Tokenizer.from_str(json.dumps(j))  # must load
        write_json(os.path.join(OUT, name, "tokenizer.json"), j, indent=None if name == "gpt2" else 0)

    texts = hard_texts()
    records = [tokenizer_record(n, n, None, jsons[n], texts, rng) for n in ("gpt2", "llama3", "llama2", "qwen2")]
    records += [tokenizer_record(n, base, patch, jsons[base], texts, rng) for n, base, patch in variants(jsons)]
    write_json(os.path.join(OUT, "goldens.json"), {
        "format_version": FORMAT_VERSION, "versions": versions, "seed": SEED,
        "regenerate": "/work/venv/bin/python tools/goldens/make_tokenizer_goldens.py",
        "texts": [{"name": n, "hex": raw.hex()} for n, raw in texts], "tokenizers": records,
        "nfc": nfc_cases(texts)})
    write_json(os.path.join(OUT, "chat_goldens.json"), {
        "format_version": FORMAT_VERSION, "versions": versions, "seed": SEED, "formats": chat_goldens(jsons)},
        indent=1)
    for r in records:
        print(r["name"], "vocab", r["vocab_size_with_added"], "max_id+1", r["max_id_plus_one"])


if __name__ == "__main__":
    main()
