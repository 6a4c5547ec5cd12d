#pragma once
// A situational multiple-choice item in TRAIT's format: a situation, a
// query, two responses typical of people high on the trait and two typical
// of people low on it.
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "elicit/traits.h"

namespace traitlab {

// Canonical option indices, used everywhere an option is named regardless
// of the letter it was shown under.
enum ScenarioOption : int { kHigh1 = 0, kHigh2 = 1, kLow1 = 2, kLow2 = 3 };
constexpr int kScenarioOptions = 4;
// "H1", "H2", "L1", "L2".
const char* scenario_option_name(int canonical);
inline bool is_high_option(int canonical) { return canonical == kHigh1 || canonical == kHigh2; }

struct ScenarioItem {
  std::string id;  // TRAIT's idx; unique per trait within an instrument
  Trait trait = Trait::Openness;
  std::string facet;      // may be empty
  std::string statement;  // the questionnaire statement it came from; may be empty
  std::string situation;
  std::string query;
  std::array<std::string, 2> high;  // response_high1, response_high2
  std::array<std::string, 2> low;   // response_low1, response_low2
  std::optional<std::string> paraphrased_situation;
  std::optional<std::string> paraphrased_query;
  std::string split;   // TRAIT's split; may be empty
  std::string source;  // may be empty
  std::string file;    // the file it was loaded from
  int line = 0;        // JSONL: 1-based line; JSON array: 0-based index

  // Response text by canonical index (kHigh1..kLow2).
  const std::string& option(int canonical) const;
  bool has_paraphrase() const { return paraphrased_situation && paraphrased_query; }
  // "items.jsonl:7" / "items.json: [6]": where it came from, for messages.
  std::string location() const;
};

// Loads TRAIT-format items from .json or .jsonl (see item_records.h for the
// accepted layouts). Required: idx, personality, situation, query and the
// four responses, each a non-empty string (idx may be an integer).
// Optional: statement, split, facet, source, paraphrased_situation and
// paraphrased_query (both or neither). Errors are InputErrors naming file,
// line and field; duplicate (trait, id) pairs and an empty file are errors.
std::vector<ScenarioItem> load_scenario_file(const std::string& path);

// Checks that no (trait, id) pair repeats across already-loaded items (for
// instruments built from several files).
void check_unique_scenario_ids(const std::vector<ScenarioItem>& items);

}  // namespace traitlab
