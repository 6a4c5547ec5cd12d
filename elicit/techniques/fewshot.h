#pragma once
// Few-shot personas: before the measured item the model sees k answers of
// the target trait at the target level, taken from OTHER items of the same
// bank. The text is a condition preamble (system turn for chat models,
// preamble for base models), like a persona prompt.
//
// Leakage: an item never serves as its own example. split_fewshot() draws,
// per trait, k example items by a seeded hash of (seed, item id); the caller
// measures only the remaining items (FewshotSplit::measured) in EVERY
// condition, baseline included, so all conditions see the same item set.
//
// Level -> example answer. Likert: keyed target point
//   s = round(1 + (level - 1) (K - 1) / 8)   (K scale points; 1 -> 1, 5 -> 3, 9 -> K)
// answered as s (key +1) or K + 1 - s (reverse-keyed). Scenario: a high
// response for level > 5, a low one for level < 5; at level 5 the examples
// alternate high, low, high, ...
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "elicit/instruments/instrument.h"

namespace traitlab {

struct FewshotSplit {
  std::map<Trait, std::vector<std::string>> examples;  // k item ids per trait, draw order
  std::set<std::string> example_ids;                   // all of them
  Instrument measured;                                 // the instrument without them
};

// InputError if k < 1 or a trait has no more than k items (nothing would be
// left to measure).
FewshotSplit split_fewshot(const Instrument& inst, int k, uint64_t seed);

// The keyed-to-raw Likert answer for a level (see top).
int fewshot_likert_answer(const LikertItem& item, int level);

// The preamble for a profile {trait: level}: k examples per trait, in
// canonical trait order. InputError for a level outside 1..9 or a trait
// without examples in the split.
std::string fewshot_text(const Instrument& inst, const FewshotSplit& split,
                         const std::map<Trait, int>& profile);

}  // namespace traitlab
