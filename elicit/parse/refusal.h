#pragma once
// Refusal language in a model's reply. The phrase list is documented in
// docs/measure.md; matching is case-insensitive on the reply with curly
// apostrophes folded to "'", and on word boundaries.
#include <string>
#include <vector>

namespace traitlab {

// The phrases, lower case ("as an ai", "i can't", "i cannot choose", ...).
const std::vector<std::string>& refusal_phrases();

// The first phrase found in `text`, or "" when there is none.
std::string find_refusal_phrase(const std::string& text);

}  // namespace traitlab
