#!/usr/bin/env python3
"""Probability-weighted persona dose-response table from a `traitlab run`
results file (docs/validation-real.md): per model, target trait and level,
the target's weighted score (100 * mean P(high pole)) with its bootstrap CI,
its shift from the unprompted baseline, and the mean |shift| of the other
traits. Reads only the file; needs h5py and pandas.

    python3 tools/analysis/real_persona_table.py results/real_persona.h5
"""
import sys

import h5py
from results_frames import cells, table


def main(path):
    f = h5py.File(path, "r")
    s = table(f, "scores")
    cell_rows = cells(f)
    s = s.merge(cell_rows[["index", "model"]].rename(columns={"index": "cell"}), on="cell")
    s["model"] = s["model"].str.split("/").str[-1]
    s["trait"] = s["trait"].str.lower()
    for model, m in s.groupby("model", sort=False):
        base = m[m.technique == "none"].set_index("trait")["weighted"]
        print(f"\n{model}\n  unprompted weighted: " +
              ", ".join(f"{t} {v:.1f}" for t, v in base.items()))
        print("  target            level  weighted  95% CI          shift   off-target")
        for (target, level), g in m[m.technique == "persona"].groupby(["target", "level"]):
            g = g.set_index("trait")
            tgt = target.lower()
            row = g.loc[tgt]
            others = [abs(g.loc[t, "weighted"] - base[t]) for t in g.index if t != tgt]
            print(f"  {tgt:<17} {level:<6} {row.weighted:8.1f}  [{row.weighted_ci_lo:5.1f}, "
                  f"{row.weighted_ci_hi:5.1f}]  {row.weighted - base[tgt]:+6.1f}  "
                  f"{sum(others) / len(others):6.1f}")


if __name__ == "__main__":
    main(sys.argv[1])
