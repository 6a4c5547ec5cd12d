#!/usr/bin/env python3
"""Load a traitlab results file into pandas DataFrames and draw the standard plot.

    python3 examples/read_results.py results/quickstart.h5 [--plot out.png]

Needs h5py and pandas (matplotlib for --plot). The layout is documented in
docs/hdf5-schema.md. Prints the run status, the unprompted trait profile,
the dose-response of every technique and, for fine-tuning cells, the trait
trajectory; with --plot draws the profile and the dose-response curves.
"""
import argparse
import sys

import h5py
import pandas as pd


def _decode(df):
    """h5py returns strings inside compound tables as bytes."""
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].str.decode("utf-8", errors="replace")
    return df


def load_run(path):
    """Returns (attrs, cells, {table name: DataFrame joined with the cells})."""
    with h5py.File(path, "r") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        cells = _decode(pd.DataFrame(f["cells"][:]))
        tables = {}
        if "tables" in f:
            for name in f["tables"]:
                df = _decode(pd.DataFrame(f["tables"][name][:]))
                axes = cells[["index", "model", "replicate"]].rename(columns={"index": "cell"})
                tables[name] = df.merge(axes, on="cell", how="left")
    return attrs, cells, tables


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("results")
    ap.add_argument("--plot", help="write the standard plot to this PNG file")
    args = ap.parse_args()

    attrs, cells, tables = load_run(args.results)
    print(f"{args.results}: status {attrs.get('status')}, "
          f"{int(cells['done'].sum())}/{len(cells)} cells done, tables: {', '.join(sorted(tables))}")
    if "scores" not in tables:
        print("no scores table (nothing measured yet)")
        return 0
    scores = tables["scores"]

    base = scores[scores.technique == "none"]
    if len(base):
        profile = base.groupby(["model", "instrument", "trait"], sort=False)[
            ["score", "ci_lo", "ci_hi"]].mean().round(1)
        print("\nUnprompted profile (mean over replicates):")
        print(profile.to_string())

    shaped = scores[(scores.technique != "none") & (scores.target != "")]
    on_target = shaped[shaped.trait == shaped.target].copy()
    if len(on_target):
        on_target["x"] = on_target.apply(
            lambda r: r["alpha"] if r["technique"] == "steer" else r["level"], axis=1)
        curve = on_target.groupby(["technique", "target", "x"])["score"].mean().unstack("x").round(1)
        print("\nDose-response (target trait score by level, or alpha for steer):")
        print(curve.to_string())

    if "trait_trajectory" in tables:
        traj = tables["trait_trajectory"]
        print("\nTrait trajectory during fine-tuning:")
        print(traj.pivot_table(index=["condition", "trait"], columns="step",
                               values="score").round(1).to_string())

    if args.plot:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
        fig, axes = plt.subplots(1, 2, figsize=(12, 4.5))
        if len(base):
            b = base[base.replicate == "0"] if (base.replicate == "0").any() else base
            b = b.groupby("trait", sort=False)[["score", "ci_lo", "ci_hi"]].mean()
            axes[0].bar(b.index, b.score,
                        yerr=[b.score - b.ci_lo, b.ci_hi - b.score], capsize=3, color="#4c72b0")
            axes[0].set_title("Unprompted profile (95% CI)")
            axes[0].set_ylabel("score")
            axes[0].tick_params(axis="x", rotation=45)
        if len(on_target):
            for (tech, target), g in on_target.groupby(["technique", "target"]):
                g = g.groupby("x")["score"].mean()
                axes[1].plot(g.index, g.values, marker="o", label=f"{tech}: {target}")
            axes[1].set_title("Dose-response")
            axes[1].set_xlabel("intended level (steer: alpha)")
            axes[1].set_ylabel("target trait score")
            axes[1].legend(fontsize=8)
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"\nwrote {args.plot}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
