#!/usr/bin/env python3
"""Golden values for traitlab's elicit/stats, from independent references.

Every metric is computed here with numpy / scipy / factor_analyzer on fixed,
seeded data sets (random, with ties, and with a planted one-factor
structure) and written to tests/data/stats/goldens.json together with the
inputs, package versions and seeds. The C++ tests (tests/elicit/stats_*)
read that file; they never run Python.

Re-run:  /work/venv/bin/python tools/goldens/make_stats_goldens.py
Needs:   numpy, scipy, factor_analyzer (pip install factor_analyzer).

The bootstrap reference reimplements std::mt19937_64 (its output is fixed
by the C++ standard; checked below against the standard's 10000th value)
and the documented index rule, so the C++ intervals can be compared exactly.
"""
import json
import platform
import sys
from pathlib import Path

import numpy as np
import scipy
import scipy.stats as ss
import sklearn
import factor_analyzer
import factor_analyzer.factor_analyzer as fam
from factor_analyzer import FactorAnalyzer
from scipy.optimize import minimize
from sklearn.utils import check_array as _check_array

FORMAT_VERSION = 1
SEED = 20240611
OUT = Path(__file__).resolve().parents[2] / "tests" / "data" / "stats" / "goldens.json"


# factor_analyzer 0.5.1 still passes check_array(force_all_finite=...), which
# scikit-learn >= 1.8 renamed to ensure_all_finite. Translate, change nothing else.
def _check_array_compat(X, *args, force_all_finite=True, **kwargs):
    return _check_array(X, *args, ensure_all_finite=force_all_finite, **kwargs)


fam.check_array = _check_array_compat

M64 = (1 << 64) - 1


class MT19937_64:
    """std::mt19937_64, from the parameters in [rand.predef]."""

    def __init__(self, seed):
        self.mt = [0] * 312
        self.mt[0] = seed & M64
        for i in range(1, 312):
            prev = self.mt[i - 1]
            self.mt[i] = (6364136223846793005 * (prev ^ (prev >> 62)) + i) & M64
        self.index = 312

    def _twist(self):
        mt = self.mt
        for i in range(312):
            y = (mt[i] & 0xFFFFFFFF80000000) | (mt[(i + 1) % 312] & 0x7FFFFFFF)
            v = mt[(i + 156) % 312] ^ (y >> 1)
            if y & 1:
                v ^= 0xB5026F5AA96619E9
            mt[i] = v
        self.index = 0

    def __call__(self):
        if self.index >= 312:
            self._twist()
        y = self.mt[self.index]
        self.index += 1
        y ^= (y >> 29) & 0x5555555555555555
        y ^= (y << 17) & 0x71D67FFFEDA60000
        y ^= (y << 37) & 0xFFF7EEE000000000
        y ^= y >> 43
        return y & M64


def check_mt():
    g = MT19937_64(5489)  # default seed; the standard requires this value
    for _ in range(9999):
        g()
    assert g() == 9981545732273789042, "MT19937_64 reimplementation is wrong"


def derive_seed(base, label):
    h = 14695981039346656037
    for c in label.encode():
        h ^= c
        h = (h * 1099511628211) & M64
    z = (base ^ h) & M64
    z = (z + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def bootstrap_indices(seed, n, resamples):
    g = MT19937_64(seed)
    rem = (1 << 64) % n
    limit = (1 << 64) - rem
    out = np.empty((resamples, n), dtype=np.int64)
    for b in range(resamples):
        for i in range(n):
            x = g()
            while rem != 0 and x >= limit:
                x = g()
            out[b, i] = x % n
    return out


# ---------------------------------------------------------------- reliability
def alpha_ref(X):
    k = X.shape[1]
    return k / (k - 1) * (1 - X.var(axis=0, ddof=1).sum() / X.sum(axis=1).var(ddof=1))


def lambda6_ref(X):
    R = np.corrcoef(X, rowvar=False)
    smc = 1 - 1 / np.diag(np.linalg.inv(R))
    return 1 - (1 - smc).sum() / R.sum()


def omega_from_loadings(l):
    l = l.ravel()
    l = l if l.sum() >= 0 else -l
    psi = 1 - l**2
    return l.sum() ** 2 / (l.sum() ** 2 + psi.sum()), l, psi


def omega_factor_analyzer(X):
    fa = FactorAnalyzer(n_factors=1, rotation=None, method="minres")
    fa.fit(X)
    return omega_from_loadings(fa.loadings_)


def omega_tight(X):
    """Second reference, same bounded problem as factor_analyzer but solved
    to tight tolerances with an analytic gradient: minimise over psi in
    [0.005, 1] F(psi) = min_l ||R - Psi - l l^T||_F^2, whose gradient (by the
    envelope theorem) is -2 diag(R - Psi - l l^T)."""
    R = np.corrcoef(X, rowvar=False)

    def loadings(psi):
        M = R.copy()
        np.fill_diagonal(M, 1 - psi)
        w, V = np.linalg.eigh(M)
        return M, V[:, -1] * np.sqrt(max(w[-1], 0.0))

    def f(psi):
        M, l = loadings(psi)
        E = M - np.outer(l, l)
        return (E**2).sum(), -2 * np.diag(E)

    start = np.clip(1 / np.diag(np.linalg.inv(R)), 0.005, 1)
    res = minimize(f, start, jac=True, method="L-BFGS-B", bounds=[(0.005, 1)] * len(R),
                   options={"ftol": 1e-16, "gtol": 1e-13, "maxiter": 100000})
    return omega_from_loadings(loadings(res.x)[1])


def reliability_cases(rng):
    cases = []

    def planted(n, loadings, discrete=None):
        loadings = np.asarray(loadings)
        f = rng.normal(size=(n, 1))
        X = f * loadings + rng.normal(size=(n, len(loadings))) * np.sqrt(1 - loadings**2)
        if discrete:  # Likert 1..discrete with ties
            X = np.clip(np.round(X * 1.1 + (discrete + 1) / 2), 1, discrete)
        return X

    data = {
        "planted_continuous": planted(200, [0.8, 0.7, 0.75, 0.6, 0.5, 0.65, 0.4, 0.7]),
        "planted_likert5": planted(60, [0.7, 0.6, 0.8, 0.5, 0.7, 0.6, 0.55, 0.75, 0.45, 0.65], 5),
        "noise_small_n": rng.normal(size=(30, 6)),
        "weak_factor": planted(40, [0.3, 0.35, 0.25, 0.4, 0.3]),
        "mixed_signs": planted(80, [0.7, -0.6, 0.65, -0.5, 0.6, 0.7]),
        "likert7_many_items": planted(120, np.linspace(0.3, 0.8, 20), 7),
        "three_items": planted(12, [0.6, 0.7, 0.5], 5),
    }
    for name, X in data.items():
        om, l, psi = omega_factor_analyzer(X)
        om_t, l_t, _ = omega_tight(X)
        cases.append({
            "name": name, "rows": X.tolist(),
            "alpha": alpha_ref(X), "lambda6": lambda6_ref(X),
            "omega_factor_analyzer": om, "loadings_factor_analyzer": l.tolist(),
            "omega_tight": om_t, "loadings_tight": l_t.tolist(),
        })
    return cases


# ---------------------------------------------------------------- correlation
def correlation_cases(rng):
    cases = []
    n = 25
    x = rng.normal(size=n)
    pairs = {
        "continuous": (x, 0.6 * x + rng.normal(size=n)),
        "ties_integers": (rng.integers(1, 6, size=40).astype(float),
                          rng.integers(1, 6, size=40).astype(float)),
        "ties_monotone": (np.repeat([1.0, 2, 2, 3, 5], 3), np.repeat([2.0, 4, 4, 8, 9], 3) +
                          np.tile([0.0, 0.1, 0.0], 5)),
        "negative": (x, -x**3 + 0.1 * rng.normal(size=n)),
        "large_offset": (1e6 + rng.normal(size=30), 1e6 + rng.normal(size=30)),
        "levels_vs_scores": (np.repeat(np.arange(1.0, 10.0), 4),
                             np.repeat(np.arange(1.0, 10.0), 4) * 8 + rng.normal(0, 10, 36)),
    }
    for name, (a, b) in pairs.items():
        cases.append({
            "name": name, "x": a.tolist(), "y": b.tolist(),
            "pearson": float(ss.pearsonr(a, b).statistic),
            "spearman": float(ss.spearmanr(a, b).statistic),
            "ranks_x": ss.rankdata(a, method="average").tolist(),
        })
    return cases


# ---------------------------------------------------------------- scoring
def scoring_cases(rng):
    items = []
    for i in range(30):
        orders = rng.dirichlet(np.ones(4) * 0.7, size=2) * rng.uniform(0.2, 1.0, size=(2, 1))
        canon = (orders / orders.sum(axis=1, keepdims=True)).mean(axis=0)
        items.append({"orders_canonical": orders.tolist(), "averaged": canon.tolist(),
                      "choice": int(np.argmax(canon)), "p_high": float(canon[:2].sum())})
    choices = [it["choice"] for it in items]
    refused = rng.random(30) < 0.15
    poles = ["R" if r else ("H" if c < 2 else "L") for c, r in zip(choices, refused)]
    n_high, n_low = poles.count("H"), poles.count("L")
    ph = np.array([it["p_high"] for it in items])
    likert = []
    for i in range(5):
        k = int(rng.choice([5, 7]))
        resp = rng.integers(1, k + 1, size=12).astype(float)
        keys = rng.choice([1, -1], size=12)
        keyed = np.where(keys == 1, resp, k + 1 - resp)
        probs = rng.dirichlet(np.ones(k)) * 0.7
        likert.append({"scale_points": k, "responses": resp.tolist(), "keys": keys.tolist(),
                       "scale_score": float(keyed.mean()), "probs": probs.tolist(),
                       "expected": float((probs / probs.sum()) @ np.arange(1, k + 1))})
    return {"items": items, "poles": "".join(poles),
            "trait_score": 100.0 * n_high / (n_high + n_low),
            "weighted_score": 100.0 * ph[~refused].mean(),
            "weighted_mask_refused": refused.tolist(), "likert": likert}


# ---------------------------------------------------------------- bootstrap
def bootstrap_cases(rng):
    cases = []
    for name, n, b, level in [("mean_n40", 40, 2000, 0.95), ("mean_n7_b500", 7, 500, 0.9)]:
        values = rng.normal(3.5, 0.8, size=n)
        seed = derive_seed(SEED, "bootstrap/" + name)
        idx = bootstrap_indices(seed, n, b)
        stats = values[idx].mean(axis=1)
        q = 100 * (1 - level) / 2
        lo, hi = np.percentile(stats, [q, 100 - q])
        cases.append({"name": name, "kind": "mean", "values": values.tolist(), "seed": str(seed),
                      "label": "bootstrap/" + name, "resamples": b, "level": level,
                      "lo": float(lo), "hi": float(hi), "n_valid": b,
                      "first_indices": idx[0].tolist()})
    # Binary trait score with refusals: resamples of only refusals are dropped.
    poles = np.array(list("HHLRHLLHRHHHLHLRHHLL"))
    seed = derive_seed(SEED, "bootstrap/trait")
    idx = bootstrap_indices(seed, len(poles), 2000)
    stats = []
    for row in idx:
        p = poles[row]
        answered = (p != "R").sum()
        if answered:
            stats.append(100.0 * (p == "H").sum() / answered)
    lo, hi = np.percentile(stats, [2.5, 97.5])
    cases.append({"name": "trait_with_refusals", "kind": "trait", "poles": "".join(poles),
                  "seed": str(seed), "label": "bootstrap/trait", "resamples": 2000,
                  "level": 0.95, "lo": float(lo), "hi": float(hi), "n_valid": len(stats),
                  "first_indices": idx[0].tolist()})
    return cases


# ---------------------------------------------------------------- sensitivity
def sensitivity_cases(rng):
    cases = []
    for name, n_cond, n_items, p_ref in [("two_orders", 2, 40, 0.1), ("four_orders", 4, 25, 0.05),
                                         ("paraphrase", 2, 30, 0.0)]:
        base = rng.integers(0, 4, size=n_items)
        ch = np.tile(base, (n_cond, 1))
        change = rng.random((n_cond, n_items)) < 0.3
        ch = np.where(change, rng.integers(0, 4, size=(n_cond, n_items)), ch)
        ch = np.where(rng.random((n_cond, n_items)) < p_ref, -1, ch)
        pole = np.where(ch < 0, 2, np.where(ch < 2, 0, 1))
        flip = (ch != ch[0]).any(axis=0).mean()
        pflip = (pole != pole[0]).any(axis=0).mean()
        scores = [100.0 * (p == 0).sum() / (p != 2).sum() for p in pole]
        deltas = [abs(scores[a] - scores[b]) for a in range(n_cond) for b in range(a + 1, n_cond)]
        cases.append({"name": name, "choices": ch.tolist(), "flip_share": float(flip),
                      "pole_flip_share": float(pflip), "scores": scores,
                      "mean_abs_delta_score": float(np.mean(deltas))})
    templates = rng.uniform(30, 80, size=3)
    pos = rng.choice([-1, 0, 1, 2, 3], p=[0.05, 0.4, 0.25, 0.2, 0.1], size=300)
    counts = np.array([(pos == i).sum() for i in range(4)])
    chi = ss.chisquare(counts)
    sf = [{"x": x, "dof": d, "sf": float(ss.chi2.sf(x, d))}
          for x, d in [(0.5, 1), (3.84, 1), (7.8, 3), (25.0, 3), (1.0, 10), (40.0, 10),
                       (0.01, 2), (150.0, 5), (12.0, 12)]]
    return {"conditions": cases, "templates": templates.tolist(),
            "prompt_sensitivity": float(np.std(templates, ddof=1)),
            "positions": pos.tolist(), "position_counts": counts.tolist(),
            "position_rates": (counts / counts.sum()).tolist(),
            "chi_square": float(chi.statistic), "chi_square_p": float(chi.pvalue),
            "refusals": int((pos < 0).sum()), "chi2_sf": sf}


# ---------------------------------------------------------------- validity
def validity_case(rng):
    n, t = 50, 5
    a = rng.normal(size=(n, t)) @ np.linalg.cholesky(0.2 * np.ones((t, t)) + 0.8 * np.eye(t)).T
    b = 0.8 * a + 0.6 * rng.normal(size=(n, t))
    cross = np.corrcoef(a, b, rowvar=False)[:t, t:]
    off = ~np.eye(t, dtype=bool)
    return {"a": a.tolist(), "b": b.tolist(), "cross": cross.tolist(),
            "mean_convergent": float(np.diag(cross).mean()),
            "discriminant": float(np.abs(cross[off]).mean())}


def main():
    check_mt()
    rng = np.random.default_rng(SEED)
    golden = {
        "format_version": FORMAT_VERSION,
        "generator": {
            "script": "tools/goldens/make_stats_goldens.py", "seed": SEED,
            "python": platform.python_version(), "numpy": np.__version__,
            "scipy": scipy.__version__, "factor_analyzer": factor_analyzer.__version__
            if hasattr(factor_analyzer, "__version__") else "0.5.1",
            "scikit_learn": sklearn.__version__,
            "notes": "factor_analyzer check_array(force_all_finite) shimmed to ensure_all_finite",
        },
        "reliability": reliability_cases(rng),
        "correlation": correlation_cases(rng),
        "scoring": scoring_cases(rng),
        "bootstrap": bootstrap_cases(rng),
        "sensitivity": sensitivity_cases(rng),
        "validity": validity_case(rng),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(golden, indent=1) + "\n")
    print(f"wrote {OUT} ({OUT.stat().st_size} bytes)")
    for c in golden["reliability"]:
        print(f"  {c['name']:22s} alpha={c['alpha']:.6f} l6={c['lambda6']:.6f} "
              f"omega fa={c['omega_factor_analyzer']:.8f} tight={c['omega_tight']:.8f}")


if __name__ == "__main__":
    sys.exit(main())
