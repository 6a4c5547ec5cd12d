#!/usr/bin/env python3
"""Reads a traitlab results file with h5py + pandas and prints what it holds.

Checks the reader side of docs/hdf5-schema.md: every table (a 1-D compound
dataset) loads with pd.DataFrame(ds[:]) and its string columns decode as
UTF-8; every attribute reads as a native Python/numpy value. Exits non-zero
if anything does not. Usage:

    TRAITLAB_HDF5_EXPORT=/tmp/x.h5 build/tests/traitlab_tests \\
        --gtest_filter=Hdf5Golden.WritesAFileForPandas
    /work/venv/bin/python tools/check_hdf5_pandas.py /tmp/x.h5
"""
import json
import sys

import h5py
import pandas as pd


def read_table(ds):
    """The documented recipe: structured array -> DataFrame, bytes -> str."""
    df = pd.DataFrame(ds[:])
    return df.apply(lambda c: c.str.decode("utf-8") if c.dtype == object else c)


def show_attrs(obj):
    for k, v in obj.attrs.items():
        if k == "config" and isinstance(v, str) and v.startswith("{"):
            v = json.loads(v)
        print(f"  @{k} = {v!r}")


def main(path):
    print(f"h5py {h5py.__version__} (HDF5 {h5py.version.hdf5_version}), pandas {pd.__version__}")
    with h5py.File(path, "r") as f:
        print(f"{path}:/")
        show_attrs(f)

        def visit(name, obj):
            print(f"{path}:/{name}  {type(obj).__name__}")
            show_attrs(obj)
            if isinstance(obj, h5py.Dataset):
                if obj.dtype.names and obj.ndim == 1:
                    df = read_table(obj)
                    print(df.to_string())
                    print(df.dtypes.to_string())
                    for c in df.columns:
                        if any(isinstance(x, bytes) for x in df[c]):
                            raise SystemExit(f"{name}: column {c} did not decode to str")
                else:
                    print(f"  shape {obj.shape}, dtype {obj.dtype}\n{obj[()]}")

        f.visititems(visit)


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit(__doc__)
    main(sys.argv[1])
