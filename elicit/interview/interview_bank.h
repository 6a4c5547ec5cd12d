#pragma once
// The trait-activation interview bank: job-interview questions
// (elicit/banks/interview_questions.jsonl: id, text, category, targets[],
// source) and situational cues that make a trait relevant
// (elicit/banks/activation_cues.json: {trait: [{id, text}]}), after
// trait-activation theory as used by Hilliard et al. (2024).
#include <cstdint>
#include <string>
#include <vector>

#include "elicit/traits.h"

namespace traitlab {

struct InterviewQuestion {
  std::string id, text, category;
  std::vector<Trait> targets;  // traits the question gives room to show
};

struct ActivationCue {
  std::string id, text;
  Trait trait = Trait::Openness;
};

// Default paths: banks_dir() + the file names above. InputError naming the
// file and line for malformed records, unknown traits or duplicate ids.
std::vector<InterviewQuestion> load_interview_questions(const std::string& path = "");
std::vector<ActivationCue> load_activation_cues(const std::string& path = "");

// The cue shown with a question: one cue of one of the question's target
// traits, picked by a seeded hash of (seed, question id) so that the choice
// does not depend on the other questions. nullptr when there is none.
const ActivationCue* cue_for(const InterviewQuestion& q, const std::vector<ActivationCue>& cues,
                             uint64_t seed);

}  // namespace traitlab
