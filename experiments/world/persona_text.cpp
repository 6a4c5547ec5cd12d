#include "experiments/world/persona_text.h"

#include <vector>

#include "experiments/world/lexicon.h"
#include "experiments/world/population.h"

namespace traitlab::world {

std::string trait_sentence(int trait, int level, WorldRng& rng) {
  const TraitMarkers& m = trait_markers()[trait];
  if (level == 5) return "I am neither " + m.label_high + " nor " + m.label_low + ".";
  static const char* kQualifier[10] = {"", "extremely ", "very ", "",      "a bit ",
                                       "", "a bit ",     "",      "very ", "extremely "};
  const auto& pole = level > 5 ? m.high : m.low;
  const size_t i = rng.below(pole.size());
  const size_t j = (i + 1 + rng.below(pole.size() - 1)) % pole.size();
  const std::string q = kQualifier[level];
  return "I am " + q + pole[i] + " and " + q + pole[j] + ".";
}

std::string persona_description(const TraitVector& theta, WorldRng& rng) {
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6, 7};
  rng.shuffle(order);
  std::string out;
  for (int t : order) {
    if (!out.empty()) out += " ";
    out += trait_sentence(t, theta_to_level(theta[t]), rng);
  }
  return out;
}

}  // namespace traitlab::world
