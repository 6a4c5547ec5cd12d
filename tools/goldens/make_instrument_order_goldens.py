"""Independent Python re-implementation of traitlab's seeded option orders
(elicit/instruments/option_order.cpp, seeded_hash.h) and item sampling
(subset.cpp). Writes tests/data/instruments/order_goldens.json; the C++ test
checks that its draws match, so a change to the stream is caught.

Re-run: /work/venv/bin/python tools/goldens/make_instrument_order_goldens.py
Pure standard library; no seeds beyond the ones listed in the output."""
import itertools
import json
import os
import platform

MASK = 2**64 - 1
NAMES = ["H1", "H2", "L1", "L2"]
PERMS = list(itertools.permutations(range(4)))  # lexicographic, like std::next_permutation


def fnv1a64(s):
    h = 1469598103934665603
    for c in s.encode("utf-8"):
        h ^= c
        h = (h * 1099511628211) & MASK
    return h


class SplitMix64:
    def __init__(self, state):
        self.state = state & MASK

    def next(self):
        self.state = (self.state + 0x9E3779B97F4A7C15) & MASK
        z = self.state
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & MASK
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & MASK
        return z ^ (z >> 31)

    def below(self, n):
        limit = MASK - (MASK % n)
        while True:
            x = self.next()
            if x < limit:
                return x % n


def random_orders(k, seed, key):
    rng = SplitMix64(seed ^ fnv1a64(key))
    idx = list(range(24))
    out = []
    for i in range(k):
        j = i + rng.below(24 - i)
        idx[i], idx[j] = idx[j], idx[i]
        out.append("".join(NAMES[c] for c in PERMS[idx[i]]))
    return out


def seeded_hash(seed, key):
    return SplitMix64(seed ^ fnv1a64(key)).next()


cases = []
for seed in (0, 1234, 2**63 + 5):
    for key in ("Openness/O-001", "Narcissism/N-001", "Neuroticism/N-001", "Psychopathy/7"):
        cases.append({"seed": str(seed), "key": key, "k": 6, "orders": random_orders(6, seed, key)})

sample_ids = [f"O-{i:03d}" for i in range(1, 37)]
sample = sorted(sample_ids, key=lambda i: seeded_hash(42, "Openness/" + i))[:5]

out = {
    "format_version": 1,
    "generator": "tools/goldens/make_instrument_order_goldens.py",
    "python": platform.python_version(),
    "random_orders": cases,
    "sample_openness_seed42_n5_ids_by_hash": sample,
}
path = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "data", "instruments",
                    "order_goldens.json")
with open(path, "w") as f:
    json.dump(out, f, indent=1)
print("wrote", os.path.normpath(path))
