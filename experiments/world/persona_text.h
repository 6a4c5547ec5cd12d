#pragma once
// Persona self-descriptions in the graded style of Serapio-Garcia et al.:
// one sentence per trait, at the respondent's 1-9 level (population.h):
//   1 extremely <low>  2 very <low>  3 <low>  4 a bit <low>
//   5 neither <label_high> nor <label_low>
//   6 a bit <high>     7 <high>      8 very <high>  9 extremely <high>
// with two distinct marker adjectives of the pole ("I am very talkative and
// very lively."). Trait order is shuffled per description so that position
// carries no information.
#include <string>

#include "experiments/world/rng.h"
#include "experiments/world/traits.h"

namespace traitlab::world {

std::string trait_sentence(int trait, int level, WorldRng& rng);
std::string persona_description(const TraitVector& theta, WorldRng& rng);

}  // namespace traitlab::world
