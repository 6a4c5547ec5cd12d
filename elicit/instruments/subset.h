#pragma once
// Taking part of an instrument: some traits, the first n items per trait,
// or a seeded random n per trait. Each keeps the instrument's item order
// and its sources, and says what was done in the instrument's name.
#include <cstdint>
#include <vector>

#include "elicit/instruments/instrument.h"

namespace traitlab {

// Items of the listed traits; InputError if a listed trait has no items.
Instrument select_traits(const Instrument& inst, const std::vector<Trait>& traits);
// The first n items of each trait (all of a trait with fewer than n).
Instrument first_n_per_trait(const Instrument& inst, int n);
// n items per trait drawn without replacement; the draw for a trait depends
// only on (seed, trait, that trait's item ids), not on the other traits.
Instrument sample_per_trait(const Instrument& inst, int n, uint64_t seed);

}  // namespace traitlab
