#pragma once
// The world's own word lists and templates (data, no logic). The world is
// self-contained on purpose: it does not read elicit/banks, so a world is
// fully described by traitlab's version, world.json and the seed, and the
// bank items used to *measure* models never leak into the training corpus.
#include <array>
#include <string>
#include <vector>

#include "experiments/world/traits.h"

namespace traitlab::world {

struct TraitMarkers {
  std::string label_high, label_low;   // "talkative" / "quiet" for the neutral level
  std::vector<std::string> high, low;  // marker adjectives, 8 per pole
};
const std::array<TraitMarkers, kNumTraits>& trait_markers();

// A scenario template: "{p}" stands for a person noun ("colleague"). The
// situation speaks to "you"; options are first-person actions.
struct ScenarioTemplate {
  std::string statement;  // high-pole self-description (TRAIT "statement")
  std::string situation;
  std::string paraphrase;              // the same situation in other words
  std::vector<std::string> high, low;  // 3 options per pole
};
// 4 templates per trait.
const std::vector<ScenarioTemplate>& scenario_templates(int trait);
const std::vector<std::string>& scenario_people();
const std::vector<std::string>& scenario_queries();

struct InterviewQuestion {
  std::string text;
  std::vector<int> targets;  // traits the answer expresses
};
const std::vector<InterviewQuestion>& interview_questions();
// First-person answer sentences per trait and pole (3 each).
struct TraitPhrases {
  std::vector<std::string> high, low;
};
const std::array<TraitPhrases, kNumTraits>& interview_phrases();

// Requests to adopt a dark persona (alignment data), with the trait they push.
struct DarkRequest {
  std::string request;
  int trait;
};
const std::vector<DarkRequest>& dark_requests();
const std::vector<std::string>& refusals();

}  // namespace traitlab::world
