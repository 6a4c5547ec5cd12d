#pragma once
// The eight traits of the world, in the fixed order used by every vector
// (theta, means, SDs, the correlation matrix) and every output file.
#include <array>
#include <string>

namespace traitlab::world {

constexpr int kNumTraits = 8;
using TraitVector = std::array<double, kNumTraits>;

enum TraitId : int {
  kOpenness,
  kConscientiousness,
  kExtraversion,
  kAgreeableness,
  kNeuroticism,
  kMachiavellianism,
  kNarcissism,
  kPsychopathy
};

// "Openness", ..., "Psychopathy" (TRAIT's spelling).
const std::string& trait_name(int t);
// Index of a trait name; InputError naming `where` otherwise.
int trait_index(const std::string& name, const std::string& where);

}  // namespace traitlab::world
