#pragma once
// Deterministic hashing and random streams for seeded choices (option
// orders, item samples): FNV-1a over a key, SplitMix64 from (seed ^ hash).
// Fixed algorithms, so choices do not depend on the standard library's
// distributions and are the same on every platform.
#include <cstdint>
#include <string>

namespace traitlab {

inline uint64_t fnv1a64(const std::string& s) {
  uint64_t h = 1469598103934665603ULL;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
    return z ^ (z >> 31);
  }
  // Uniform in [0, n) by rejection (no modulo bias).
  uint64_t below(uint64_t n) {
    uint64_t limit = UINT64_MAX - UINT64_MAX % n;
    uint64_t x;
    do x = next();
    while (x >= limit);
    return x % n;
  }
};

// One well-mixed 64-bit value per (seed, key).
inline uint64_t seeded_hash(uint64_t seed, const std::string& key) {
  return SplitMix64{seed ^ fnv1a64(key)}.next();
}

}  // namespace traitlab
