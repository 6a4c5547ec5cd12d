#!/usr/bin/env python3
"""Persona dose-response table from a `traitlab run` results file
(docs/validation-real.md): per model, target trait and level, the target's
weighted score (100 * mean P(high pole); with --score the argmax score,
% of high-pole choices) with its bootstrap CI, its shift from the
unprompted baseline, and the mean |shift| of the other traits. Reads only
the file; needs h5py and pandas.

    python3 tools/analysis/real_persona_table.py results/real_persona.h5 [--score]
"""
import sys

import h5py
from results_frames import cells, table


def main(path, column):
    f = h5py.File(path, "r")
    s = table(f, "scores")
    cell_rows = cells(f)
    s = s.merge(cell_rows[["index", "model"]].rename(columns={"index": "cell"}), on="cell")
    s["model"] = s["model"].str.split("/").str[-1]
    s["trait"] = s["trait"].str.lower()
    lo, hi = ("ci_lo", "ci_hi") if column == "score" else ("weighted_ci_lo", "weighted_ci_hi")
    for model, m in s.groupby("model", sort=False):
        base = m[m.technique == "none"].set_index("trait")[column]
        print(f"\n{model}\n  unprompted {column}: " +
              ", ".join(f"{t} {v:.1f}" for t, v in base.items()))
        print(f"  target            level  {column:>8}  95% CI          shift   off-target")
        for (target, level), g in m[m.technique == "persona"].groupby(["target", "level"]):
            g = g.set_index("trait")
            tgt = target.lower()
            row = g.loc[tgt]
            others = [abs(g.loc[t, column] - base[t]) for t in g.index if t != tgt]
            print(f"  {tgt:<17} {level:<6} {row[column]:8.1f}  [{row[lo]:5.1f}, "
                  f"{row[hi]:5.1f}]  {row[column] - base[tgt]:+6.1f}  "
                  f"{sum(others) / len(others):6.1f}")


if __name__ == "__main__":
    if len(sys.argv) not in (2, 3) or (len(sys.argv) == 3 and sys.argv[2] != "--score"):
        sys.exit("usage: real_persona_table.py RESULTS.h5 [--score]")
    main(sys.argv[1], "score" if len(sys.argv) == 3 else "weighted")
