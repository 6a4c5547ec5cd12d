#!/usr/bin/env python3
"""Goldens for traitlab's safetensors reader/writer and SHA-256.

    /work/venv/bin/python tools/goldens/make_safetensors_goldens.py           # regenerate
    /work/venv/bin/python tools/goldens/make_safetensors_goldens.py --verify  # check C++ output

Default mode writes small safetensors files with the Python `safetensors`
library into tests/data/safetensors/, and values.json with every tensor's
values and raw bits, plus sha256.json with hashlib digests of byte patterns
and of the golden files. Each safetensors file carries one metadata key,
"golden", holding the versions and seed (one key, because the library writes
several keys in random HashMap order, which would defeat byte comparisons).

--verify loads cpp_written.safetensors (written by the C++ test
Safetensors.CppWrittenFileMatchesGolden with TRAITLAB_WRITE_GOLDENS=1) with
the Python library, checks its values against the formula the C++ test used,
checks that Python re-serialises it to the same bytes, and records the result
in cpp_written.verified.json.
"""
import hashlib
import json
import os
import platform
import sys

import numpy
import safetensors
import torch
from safetensors.torch import load_file, save, save_file

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "tests", "data", "safetensors")
SEED = 1234
FORMAT_VERSION = 1

VERSIONS = {
    "python": platform.python_version(),
    "safetensors": safetensors.__version__,
    "torch": torch.__version__,
    "numpy": numpy.__version__,
}


def golden_meta():
    info = {"script": "tools/goldens/make_safetensors_goldens.py", "seed": SEED,
            "format_version": FORMAT_VERSION, **VERSIONS}
    return {"golden": json.dumps(info, sort_keys=True)}


BITS_VIEW = {torch.float32: torch.int32, torch.float16: torch.int16,
             torch.bfloat16: torch.int16, torch.float64: torch.int64}


def describe(t):
    """JSON-able record of a tensor: dtype, shape, values and (floats) raw bits."""
    flat = t.reshape(-1)
    rec = {"dtype": str(t.dtype).replace("torch.", ""), "shape": list(t.shape)}
    if t.dtype.is_floating_point:
        vals = []
        for v in flat.double().tolist():
            vals.append(v if v == v and abs(v) != float("inf") else repr(v))
        rec["values"] = vals
        bits = flat.view(BITS_VIEW[t.dtype]).tolist()
        width = t.element_size() * 8
        rec["bits"] = [b & ((1 << width) - 1) for b in bits]  # unsigned
    elif t.dtype == torch.bool:
        rec["values"] = [int(v) for v in flat.tolist()]
    else:
        rec["values"] = flat.tolist()
    return rec


def golden_tensors():
    g = torch.Generator().manual_seed(SEED)
    special = torch.tensor([0.0, -0.0, 1.0, -2.5, float("inf"), float("-inf"), float("nan"),
                            1e-40, 65504.0, 3.0e38])
    files = {
        "f32.safetensors": {
            "model.embed_tokens.weight": torch.randn(5, 4, generator=g),
            "model.norm.weight": torch.rand(4, generator=g),
            "scalar": torch.tensor(3.25),
            "empty": torch.zeros(0, 3),
            "special": special.clone(),
        },
        "bf16.safetensors": {
            "w": torch.randn(3, 7, generator=g).bfloat16(),
            "special": special.bfloat16(),
        },
        "f16.safetensors": {
            "w": torch.randn(2, 3, 2, generator=g).half(),
            "special": special[:9].half(),
        },
        "i64.safetensors": {
            "ids": torch.randint(-2**62, 2**62, (6,), generator=g, dtype=torch.int64),
            "extremes": torch.tensor([-2**63, 2**63 - 1, 0, -1], dtype=torch.int64),
        },
        "mixed.safetensors": {
            "b": torch.tensor([True, False, True]),
            "u8": torch.tensor([0, 255, 7], dtype=torch.uint8),
            "i8": torch.tensor([-128, 127, 0], dtype=torch.int8),
            "i16": torch.tensor([-32768, 32767, 5], dtype=torch.int16),
            "i32": torch.tensor([[-2**31, 2**31 - 1], [1, 2]], dtype=torch.int32),
            "f64": torch.randn(3, generator=g, dtype=torch.float64),
            "f16": torch.randn(3, generator=g).half(),
            "bf16": torch.randn(3, generator=g).bfloat16(),
            "f32": torch.randn(2, 2, generator=g),
            "i64": torch.tensor([1, -1], dtype=torch.int64),
            "a.same.dtype": torch.randn(1, generator=g),  # name order within a dtype
            "z.same.dtype": torch.randn(1, generator=g),
        },
    }
    # Single-file model directory and a sharded pair with an index.
    files["single/model.safetensors"] = {
        "model.layers.0.w": torch.randn(2, 2, generator=g),
        "lm_head.weight": torch.randn(3, 2, generator=g),
    }
    files["sharded/model-00001-of-00002.safetensors"] = {
        "model.embed_tokens.weight": torch.randn(4, 2, generator=g),
        "model.layers.0.w": torch.randn(2, 2, generator=g).bfloat16(),
    }
    files["sharded/model-00002-of-00002.safetensors"] = {
        "model.layers.1.w": torch.randn(2, 2, generator=g),
        "lm_head.weight": torch.randn(4, 2, generator=g),
    }
    return files


def cpp_written_tensors():
    """The tensors the C++ test Safetensors.CppWrittenFileMatchesGolden writes."""
    a = torch.arange(12, dtype=torch.float32).reshape(3, 4) * 0.25 - 1.0
    return {
        "a.f32": a,
        "b.bf16": a.bfloat16(),
        "c.i64": torch.arange(6, dtype=torch.int64) - 3,
        "d.bool": torch.tensor([True, False, False, True]),
        "\u00fcn\u00efcode.f16": torch.arange(5, dtype=torch.float32).half() / 3,
    }


def byte_pattern(n):
    """Bytes the C++ sha256 test regenerates: b[i] = (131 * i + 7) mod 256."""
    return bytes((131 * i + 7) % 256 for i in range(n))


def write_goldens():
    os.makedirs(os.path.join(OUT, "single"), exist_ok=True)
    os.makedirs(os.path.join(OUT, "sharded"), exist_ok=True)
    values = {"format_version": FORMAT_VERSION, "seed": SEED, "versions": VERSIONS,
              "regenerate": "/work/venv/bin/python tools/goldens/make_safetensors_goldens.py",
              "files": {}}
    for name, tensors in golden_tensors().items():
        path = os.path.join(OUT, name)
        save_file(tensors, path, metadata=golden_meta())
        values["files"][name] = {k: describe(v) for k, v in tensors.items()}
        back = load_file(path)  # sanity: the library reads its own file
        for k, v in tensors.items():
            assert torch.equal(back[k].reshape(-1).view(torch.uint8), v.reshape(-1).view(torch.uint8)), k

    shards = ["model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors"]
    weight_map, total = {}, 0
    for shard in shards:
        for k, v in golden_tensors()["sharded/" + shard].items():
            weight_map[k] = shard
            total += v.numel() * v.element_size()
    index = {"metadata": {"total_size": total, "golden": golden_meta()["golden"]},
             "weight_map": dict(sorted(weight_map.items()))}
    with open(os.path.join(OUT, "sharded", "model.safetensors.index.json"), "w") as f:
        json.dump(index, f, indent=2)
        f.write("\n")

    with open(os.path.join(OUT, "values.json"), "w") as f:
        json.dump(values, f, indent=1, sort_keys=True)
        f.write("\n")

    lengths = [0, 1, 3, 55, 56, 57, 63, 64, 65, 119, 120, 127, 128, 129, 1000, 65553, 1048579]
    sha = {"format_version": FORMAT_VERSION, "versions": VERSIONS,
           "pattern": "b[i] = (131 * i + 7) mod 256", "hashlib": "sha256",
           "patterns": {str(n): hashlib.sha256(byte_pattern(n)).hexdigest() for n in lengths},
           "files": {}}
    for name in sorted(golden_tensors()):
        with open(os.path.join(OUT, name), "rb") as f:
            sha["files"][name] = hashlib.sha256(f.read()).hexdigest()
    with open(os.path.join(OUT, "sha256.json"), "w") as f:
        json.dump(sha, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote goldens to", OUT)


def verify_cpp_written():
    path = os.path.join(OUT, "cpp_written.safetensors")
    got = load_file(path)
    want = cpp_written_tensors()
    ok = sorted(got) == sorted(want)
    for k, v in want.items():
        ok = ok and k in got and got[k].dtype == v.dtype and torch.equal(got[k], v)
    with open(path, "rb") as f:
        data = f.read()
    with safetensors.safe_open(path, "pt") as f:
        meta = f.metadata()
    same_bytes = save(got, metadata=meta) == data  # one metadata key: order is fixed
    note = {"file": "cpp_written.safetensors", "python_loads_and_values_equal": ok,
            "python_reserialises_identical_bytes": same_bytes,
            "sha256": hashlib.sha256(data).hexdigest(), "versions": VERSIONS,
            "command": "/work/venv/bin/python tools/goldens/make_safetensors_goldens.py --verify"}
    with open(os.path.join(OUT, "cpp_written.verified.json"), "w") as f:
        json.dump(note, f, indent=1, sort_keys=True)
        f.write("\n")
    print(json.dumps(note, indent=1))
    return 0 if ok and same_bytes else 1


if __name__ == "__main__":
    if "--verify" in sys.argv[1:]:
        sys.exit(verify_cpp_written())
    write_goldens()
