#!/usr/bin/env python3
"""Goldens for traitlab's GGUF block dequantization (core/io/gguf_quant.cpp).

    $PYTHON tools/goldens/make_gguf_quant_goldens.py    # regenerate

$PYTHON needs numpy and the `gguf` package (pip install gguf numpy).

For each ggml type a few blocks of seeded random bytes are made, with the
f16 (Q8_K: f32) scale fields overwritten so every output is finite: blocks 0
and 1 get scales of magnitude in [1e-3, 1] with random signs, block 2 f16
subnormal scales, block 3 a zero d (+0) beside moderate other fields, block 4
all scales -0. They are decoded with gguf.quants.dequantize, and
tests/data/gguf/quant_goldens.json records, per type: the raw bytes (hex), the
element count and the float32 results as uint32 bit patterns, which the C++
test compares bit for bit.

gguf has no dequantizer for Q8_1 and Q8_K (ggml's dot-product intermediates;
ggml itself has none for Q8_1). Their expected values come from the numpy
formula below, float32 `q * d` as gguf's Q8_0 does, and are marked with
"reference": "script". The Q8_1 block is ggml's current 36-byte layout
(f16 d, f16 s, int8 qs[32]); gguf-py's GGML_QUANT_SIZES still says 40.
"""
import json
import os
import platform

import numpy as np
import gguf
from gguf import GGMLQuantizationType as T
from gguf.quants import dequantize

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "gguf", "quant_goldens.json")
SEED = 20250611
FORMAT_VERSION = 1
N_BLOCKS = 5


def gguf_version():
    try:
        from importlib.metadata import version
        return version("gguf")
    except Exception:  # pragma: no cover - metadata missing in odd installs
        return getattr(gguf, "__version__", "unknown")


VERSIONS = {"python": platform.python_version(), "numpy": np.__version__,
            "gguf": gguf_version()}

# type -> (block_size, type_size, [(byte offset, "f16"|"f32")] scale fields;
#          the first field is "d", the one zeroed in block 3)
LAYOUTS = {
    "Q4_0": (32, 18, [(0, "f16")]),
    "Q4_1": (32, 20, [(0, "f16"), (2, "f16")]),
    "Q5_0": (32, 22, [(0, "f16")]),
    "Q5_1": (32, 24, [(0, "f16"), (2, "f16")]),
    "Q8_0": (32, 34, [(0, "f16")]),
    "Q8_1": (32, 36, [(0, "f16"), (2, "f16")]),
    "Q2_K": (256, 84, [(80, "f16"), (82, "f16")]),
    "Q3_K": (256, 110, [(108, "f16")]),
    "Q4_K": (256, 144, [(0, "f16"), (2, "f16")]),
    "Q5_K": (256, 176, [(0, "f16"), (2, "f16")]),
    "Q6_K": (256, 210, [(208, "f16")]),
    "Q8_K": (256, 292, [(0, "f32")]),
}
SCRIPT_REFERENCE = {"Q8_1", "Q8_K"}


def moderate(rng, kind):
    """A scale of magnitude in [1e-3, 1] (log-uniform), random sign."""
    v = np.float32(np.exp(rng.uniform(np.log(1e-3), 0.0)) * rng.choice([-1.0, 1.0]))
    return np.array([v], dtype=np.float16 if kind == "f16" else np.float32).tobytes()


def subnormal(rng, kind):
    if kind == "f16":
        bits = int(rng.integers(1, 0x400)) | (0x8000 if rng.integers(2) else 0)
        return np.array([bits], dtype=np.uint16).tobytes()
    return moderate(rng, kind)


def zero(kind, negative):
    v = -0.0 if negative else 0.0
    return np.array([v], dtype=np.float16 if kind == "f16" else np.float32).tobytes()


def make_blocks(rng, name):
    block_size, type_size, fields = LAYOUTS[name]
    raw = bytearray(rng.integers(0, 256, size=N_BLOCKS * type_size, dtype=np.uint8).tobytes())
    for b in range(N_BLOCKS):
        for i, (off, kind) in enumerate(fields):
            if b == 2:
                val = subnormal(rng, kind)
            elif b == 3 and i == 0:
                val = zero(kind, False)
            elif b == 4:
                val = zero(kind, True)
            else:
                val = moderate(rng, kind)
            pos = b * type_size + off
            raw[pos:pos + len(val)] = val
    return bytes(raw), N_BLOCKS * block_size


def script_q8(raw, name):
    """float32 q * d for Q8_1 (d f16 at 0, qs at 4) and Q8_K (d f32 at 0, qs at 4)."""
    block_size, type_size, _ = LAYOUTS[name]
    blocks = np.frombuffer(raw, dtype=np.uint8).reshape(-1, type_size)
    if name == "Q8_1":
        d = blocks[:, 0:2].copy().view(np.float16).astype(np.float32)
    else:
        d = blocks[:, 0:4].copy().view(np.float32)
    q = blocks[:, 4:4 + block_size].copy().view(np.int8).astype(np.float32)
    return (q * d).reshape(-1)


def record(qtype, raw, n, out, reference):
    out = np.asarray(out)
    assert out.dtype == np.float32 and out.size == n, (qtype, out.dtype, out.shape)
    return {"type": int(qtype), "n": n, "reference": reference, "hex": raw.hex(),
            "bits": [int(b) for b in out.reshape(-1).view(np.uint32)]}


def float_type(rng, name):
    """F16/BF16: random bit patterns plus the special values of each format."""
    if name == "F16":
        special = [0x0000, 0x8000, 0x0001, 0x8001, 0x03FF, 0x0400, 0x3C00, 0x7BFF,
                   0x7C00, 0xFC00, 0x7E00, 0x7C01, 0xFE00, 0x7FFF]
    else:
        special = [0x0000, 0x8000, 0x0001, 0x007F, 0x0080, 0x3F80, 0x7F7F,
                   0x7F80, 0xFF80, 0x7FC0, 0x7F81, 0xFFC0]
    bits = np.concatenate([np.array(special, dtype=np.uint16),
                           rng.integers(0, 1 << 16, size=64 - len(special), dtype=np.uint16)])
    raw = bits.astype("<u2").tobytes()
    qtype = T[name]
    return record(qtype, raw, bits.size,
                  dequantize(np.frombuffer(raw, dtype=np.uint8), qtype), "gguf")


def main():
    rng = np.random.default_rng(SEED)
    types = {}
    for name in ["F16", "BF16"]:
        types[name] = float_type(rng, name)
    for name in LAYOUTS:
        raw, n = make_blocks(rng, name)
        qtype = T[name]
        if name in SCRIPT_REFERENCE:
            out, ref = script_q8(raw, name), "script"
        else:
            out, ref = dequantize(np.frombuffer(raw, dtype=np.uint8), qtype), "gguf"
        assert np.all(np.isfinite(out)), name
        types[name] = record(qtype, raw, n, out, ref)
    doc = {"script": "tools/goldens/make_gguf_quant_goldens.py", "seed": SEED,
           "format_version": FORMAT_VERSION, **VERSIONS, "types": types}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, separators=(",", ":"))
        f.write("\n")
    print(f"wrote {OUT} ({os.path.getsize(OUT)} bytes, {len(types)} types)")


if __name__ == "__main__":
    main()
