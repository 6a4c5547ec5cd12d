#pragma once
// The world's random numbers, identical on every platform and compiler:
// std::mt19937_64 is fully specified by the standard, but the std
// distributions are not (std::normal_distribution and
// std::uniform_int_distribution differ between libstdc++, libc++ and MSVC),
// so every draw below is written out. Normals use Box-Muller with std::log,
// std::sqrt and std::cos; sqrt is exact in IEEE arithmetic, log and cos are
// within 1 ulp on common libms, so a platform could in principle differ in
// a last bit (never observed; the determinism test pins one platform).
#include <cstdint>
#include <random>
#include <string>
#include <utility>
#include <vector>

namespace traitlab::world {

class WorldRng {
 public:
  explicit WorldRng(uint64_t seed) : engine_(seed) {}
  // An independent stream for one part of the world (population, items,
  // corpus, ...), so changing how much of one part is generated does not
  // change the others: seed = splitmix64(seed ^ fnv1a(name)).
  static WorldRng stream(uint64_t seed, const std::string& name);

  uint64_t next() { return engine_(); }
  // Uniform in [0, 1) with 53 random bits.
  double uniform() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
  // Standard normal by Box-Muller (one value per call, two uniforms).
  double normal();
  // Uniform integer in [0, n) without modulo bias (rejection sampling).
  uint64_t below(uint64_t n);
  bool bernoulli(double p) { return uniform() < p; }

  template <typename T>
  const T& pick(const std::vector<T>& v) {
    return v[below(v.size())];
  }
  // Fisher-Yates, from the back.
  template <typename T>
  void shuffle(std::vector<T>& v) {
    for (size_t i = v.size(); i > 1; --i) std::swap(v[i - 1], v[below(i)]);
  }

 private:
  std::mt19937_64 engine_;
};

}  // namespace traitlab::world
