#pragma once
// From the run config to the measurement engine's spec for one instrument.
#include <cstdint>
#include <string>

#include "elicit/measure/measure_spec.h"
#include "experiments/config/config.h"

namespace traitlab::cells {

// instrument: "trait" or "likert" (the config's instrument.name values).
// Items: instrument.bank or the built-in bank, restricted to
// instrument.traits and the first instrument.max_items per trait.
MeasureSpec measure_spec_from_config(const config::Config& c, const std::string& instrument,
                                     uint64_t seed, bool chat);

// The instrument name the measurement engine knows for a config value.
std::string builtin_instrument(const std::string& instrument);

}  // namespace traitlab::cells
