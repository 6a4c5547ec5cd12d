#pragma once
// The eight traits traitlab measures: the Big Five and the Dark Triad, as in
// TRAIT. Names parse case-insensitively, as full names or short codes.
#include <string>
#include <vector>

namespace traitlab {

enum class Trait {
  Openness,
  Conscientiousness,
  Extraversion,
  Agreeableness,
  Neuroticism,
  Machiavellianism,
  Narcissism,
  Psychopathy,
};

constexpr int kTraitCount = 8;

// All eight, Big Five first, in the order above (the canonical report order).
const std::vector<Trait>& all_traits();
bool is_big_five(Trait t);
bool is_dark_triad(Trait t);

// "Openness" ... "Psychopathy".
const std::string& trait_name(Trait t);
// Short codes: O C E A N (Big Five), M, Nar, P (Dark Triad). Narcissism gets
// three letters because N is Neuroticism.
const std::string& trait_code(Trait t);
// Lower-case file stem: "openness" (elicit/banks/scenarios/openness.jsonl).
std::string trait_slug(Trait t);

// Full name or short code, any case ("openness", "NEUROTICISM", "nar",
// "m"). Anything else is an InputError "<where>: unknown trait 'x' (valid:
// Openness (O), ...)"; `where` names the file/key the value came from.
Trait parse_trait(const std::string& text, const std::string& where);
// Comma-separated list ("O,C,nar") or "all"; duplicates are an InputError.
std::vector<Trait> parse_traits(const std::string& text, const std::string& where);
// "Openness (O), Conscientiousness (C), ..." for error messages and --help.
std::string valid_trait_names();

}  // namespace traitlab
