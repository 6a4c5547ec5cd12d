#pragma once
// Rendering of the world's training documents (and of the prompts the
// alignment dialogues reuse). A document is plain text; corpus.txt ends each
// one with "<|end_of_text|>\n" (world_writer.h).
//
// Scenario items are shown in one of three formats with the four options in
// a uniformly shuffled order, so the answer letter carries no pole:
//   0  TRAIT's prompt template 1 verbatim, answer "Answer: C"
//   1  "Situation: <paraphrase>\nQuestion: <paraphrased query>", answer "Answer: C. <text>"
//   2  "<situation> <query>\nOptions:", answer "Answer: C. <text>"
#include <array>
#include <string>
#include <vector>

#include "experiments/world/items.h"
#include "experiments/world/population.h"
#include "experiments/world/rng.h"

namespace traitlab::world {

constexpr int kScenarioFormats = 3;
// Option indices: 0 = high1, 1 = low1, 2 = high2, 3 = low2 (TRAIT's A-D order).
using OptionOrder = std::array<int, 4>;

const std::string& option_text(const ScenarioItem& item, int option);
inline bool option_is_high(int option) { return option % 2 == 0; }
// The prompt up to and including the line "Answer:" (no trailing space).
std::string scenario_prompt(const ScenarioItem& item, int format, const OptionOrder& order);
// What follows "Answer:" for the option shown at position `slot`.
std::string scenario_answer(const ScenarioItem& item, int format, const OptionOrder& order,
                            int slot);
// The response model: high pole with P = sigma(a (theta - b)), then one of
// its two options uniformly. Returns the option index.
int choose_option(const ScenarioItem& item, double theta, WorldRng& rng);
OptionOrder random_order(WorldRng& rng);

// Per-kind documents of one respondent. `preamble` (the persona description,
// or empty) is put first, followed by a blank line.
std::string scenario_document(const Respondent& r, const std::vector<const ScenarioItem*>& items,
                              const std::string& preamble, WorldRng& rng);
std::string likert_document(const Respondent& r,
                            const std::vector<const LikertStatement*>& statements,
                            const std::string& preamble, WorldRng& rng);
std::string interview_document(const Respondent& r, const std::vector<size_t>& questions,
                               double interview_a, const std::string& preamble, WorldRng& rng);

// A free-text interview answer: for each target trait of the question, a
// phrase from the high pole with P = sigma(interview_a * theta_t), else low.
std::string interview_answer(const TraitVector& theta, size_t question, double interview_a,
                             WorldRng& rng);

}  // namespace traitlab::world
