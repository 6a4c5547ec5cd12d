#!/usr/bin/env python3
"""How much do different models agree item by item? From a `traitlab run`
results file with one unprompted cell per model (docs/validation-real.md,
experiments/real_profile.ini): for every pair of models, the share of
contexts (item x template x order) where both pick the same most likely
option (chance: 1 / number of options) and Pearson r of P(high pole) over
those contexts; plus, per model, how often it picks each display position.
Agreement far above chance between unrelated models says the scores follow
the items (their options' wording) more than the models. Reads only the
file; needs h5py, numpy and pandas.

    python3 tools/analysis/cross_model_agreement.py results/real_profile.h5
"""
import itertools
import os
import sys

import h5py
import numpy as np
from results_frames import cells, table


def main(path):
    f = h5py.File(path, "r")
    resp = table(f, "responses")
    unprompted = cells(f)
    unprompted = unprompted[unprompted["technique"] == "none"]
    keys = ["instrument", "item", "trait", "template", "paraphrase", "order"]
    per_model = {}
    for _, cell in unprompted.iterrows():
        rows = resp[resp["cell"] == cell["index"]].set_index(keys).sort_index()
        per_model[os.path.basename(cell["model"])] = rows
    print("model_a\tmodel_b\tcontexts\tsame_choice\tchance\tr_p_high")
    for a, b in itertools.combinations(per_model, 2):
        ra, rb = per_model[a], per_model[b]
        common = ra.index.intersection(rb.index)
        ra, rb = ra.loc[common], rb.loc[common]
        n_opts = ra["prob"].iloc[0].count(",") + 1
        same = float(np.mean(ra["choice"].to_numpy() == rb["choice"].to_numpy()))
        r = float(np.corrcoef(ra["p_high"], rb["p_high"])[0, 1])
        print(f"{a}\t{b}\t{len(common)}\t{same:.3f}\t{1 / n_opts:.3f}\t{r:.3f}")
    print("\nmodel\tposition_shares")
    for m, rows in per_model.items():
        shares = rows["position"].value_counts(normalize=True).sort_index()
        print(m + "\t" + ", ".join(f"{chr(65 + int(p))}={s:.2f}" for p, s in shares.items()))


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: cross_model_agreement.py RESULTS.h5")
    main(sys.argv[1])
