#include "experiments/world/traits.h"

#include "core/util/error.h"

namespace traitlab::world {

namespace {
const std::array<std::string, kNumTraits> kNames = {
    "Openness",    "Conscientiousness", "Extraversion", "Agreeableness",
    "Neuroticism", "Machiavellianism",  "Narcissism",   "Psychopathy"};
}

const std::string& trait_name(int t) { return kNames.at(t); }

int trait_index(const std::string& name, const std::string& where) {
  for (int t = 0; t < kNumTraits; ++t)
    if (kNames[t] == name) return t;
  throw InputError(str(where, ": unknown trait '", name, "' (expected one of Openness, ...)"));
}

}  // namespace traitlab::world
