"""pandas views of a `traitlab run` results file for the scripts in this
folder: tables and the cells list with byte strings decoded."""
import pandas as pd


def decoded(frame):
    for c in frame.columns:
        if frame[c].dtype == object:
            frame[c] = frame[c].apply(lambda x: x.decode() if isinstance(x, bytes) else x)
    return frame


def table(f, name):
    """/tables/NAME of an open h5py file as a DataFrame."""
    return decoded(pd.DataFrame(f["tables"][name][:]))


def cells(f):
    """/cells (one row per grid cell: index, model, technique, ...)."""
    return decoded(pd.DataFrame(f["cells"][:]))
