#!/usr/bin/env python3
"""Writes tests/data/hdf5/h5py_golden.h5 and h5py_golden_expected.json.

The .h5 file is written by h5py the way a researcher (or another tool) would
write one, and the C++ test (tests/core/hdf5_golden_test.cpp) checks that
traitlab's HDF5 layer reads its attributes, table and array back exactly as
listed in the JSON. Re-run to regenerate:

    /work/venv/bin/python tools/goldens/make_hdf5_goldens.py
"""
import json
import pathlib
import sys

import h5py
import numpy as np

SEED = 1234
FORMAT_VERSION = 1
OUT = pathlib.Path(__file__).resolve().parents[2] / "tests" / "data" / "hdf5"


def main():
    OUT.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    versions = {
        "h5py": h5py.__version__,
        "hdf5": h5py.version.hdf5_version,
        "numpy": np.__version__,
        "python": sys.version.split()[0],
    }
    config = {"model": "tiny", "layers": [1, 2], "lr": 1e-4}
    attrs = {
        "title": "Persönlichkeit — 性格 ✓",
        "n_layers": np.int64(12),
        "temperature": 0.7,
        "layers": np.array([3, 5, 7], dtype=np.int64),
        "weights": np.array([0.25, -1.5, 3e-8]),
        "config": json.dumps(config),
    }
    rows = [
        (0, "Hello", 1.5, 0.25, True),
        (1, "Grüße, 世界 🙂", -2.0, 0.5, False),
        (2, "", 3.25, -0.125, True),
        (-7, "line\nbreak \"quoted\"", 1e300, 1e-30, False),
    ]
    table_dtype = np.dtype([("id", "<i8"), ("text", h5py.string_dtype("utf-8")),
                            ("score", "<f8"), ("prob", "<f4"), ("ok", "?")])
    steering = rng.standard_normal((2, 3)).astype(np.float32)

    # libver upper bound v110 keeps the file readable by Debian's HDF5 1.10.
    with h5py.File(OUT / "h5py_golden.h5", "w", libver=("earliest", "v110")) as f:
        for k, v in attrs.items():
            f.attrs[k] = v
        f.attrs["fixed_bytes"] = np.bytes_(b"abc")  # fixed-length string
        f.attrs["format_version"] = FORMAT_VERSION
        f.attrs["seed"] = SEED
        f.attrs["versions"] = json.dumps(versions)
        run = f.create_group("runs/0")
        run.attrs["status"] = "complete"
        run.create_dataset("responses", data=np.array(rows, dtype=table_dtype), maxshape=(None,),
                           chunks=(64,), compression="gzip", compression_opts=4, shuffle=True)
        d = run.create_dataset("steering", data=steering)
        d.attrs["layer"] = 3

    expected = {
        "format_version": FORMAT_VERSION,
        "seed": SEED,
        "versions": versions,
        "attrs": {
            "title": attrs["title"],
            "n_layers": int(attrs["n_layers"]),
            "temperature": attrs["temperature"],
            "layers": attrs["layers"].tolist(),
            "weights": attrs["weights"].tolist(),
            "config": config,
            "fixed_bytes": "abc",
        },
        "table": {
            "path": "runs/0/responses",
            "schema": [["id", "int64"], ["text", "string"], ["score", "float64"],
                       ["prob", "float32"], ["ok", "bool"]],
            "columns": {name: [r[i] for r in rows] for i, name in enumerate(table_dtype.names)},
        },
        "array": {"path": "runs/0/steering", "shape": list(steering.shape),
                  "data": [float(x) for x in steering.ravel()], "layer": 3},
    }
    # float32 values are stored as the exact doubles they widen to.
    expected["table"]["columns"]["prob"] = [float(np.float32(x)) for x in
                                            expected["table"]["columns"]["prob"]]
    with open(OUT / "h5py_golden_expected.json", "w", encoding="utf-8") as fh:
        json.dump(expected, fh, ensure_ascii=False, indent=1)
        fh.write("\n")
    print("wrote", OUT / "h5py_golden.h5", "with", versions)


if __name__ == "__main__":
    main()
