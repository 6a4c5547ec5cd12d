#pragma once
// Trait-activation interviews: the model answers interview questions in
// free text under a condition (a persona text; steering acts through hooks
// installed on the model), n seeded samples per question, and every answer
// is scored by the given text scorers. Nothing is dropped: each text is
// returned with its scores (and a refusal flag) for storage.
//
// Prompt. Base models: [persona "\n\n"] "Interviewer: " [cue " "] question
// "\nCandidate:"; chat models: persona as the system turn, the user turn
// "You are in a job interview. " [cue " "] question.
// Sample s of question q is seeded with derive_seed(seed, "interview/q/s").
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "core/checkpoint.h"
#include "elicit/interview/interview_bank.h"
#include "elicit/interview/text_scorer.h"

namespace traitlab {

struct InterviewSpec {
  std::vector<InterviewQuestion> questions;  // empty = the built-in bank
  std::vector<ActivationCue> cues;           // used when use_cues
  bool use_cues = true;
  int n_questions = 0;  // first n of the bank (0 = all)
  int samples = 1;      // per question
  int64_t max_new_tokens = 64;
  double temperature = 0.7;
  bool chat = false;
  uint64_t seed = 0;
  std::vector<Trait> traits;      // scored traits; empty = all eight
  TextScorer* lexicon = nullptr;  // optional
  TextScorer* rater = nullptr;    // optional
  int batch_size = 8;             // generation requests per batch
};

struct InterviewRow {
  std::string question_id, cue, text;
  int sample = 0;
  bool refused = false;
  std::string refusal_phrase;
  std::map<Trait, double> lexicon, rater;
};

// The prompt text for one question (see top).
std::string interview_prompt(const Checkpoint& ck, const std::string& persona,
                             const InterviewQuestion& q, const ActivationCue* cue, bool chat);

// Answers under `persona`; InputError for samples < 1 or no questions.
std::vector<InterviewRow> run_interview_persona(Checkpoint& ck, const std::string& persona,
                                                const InterviewSpec& spec);

}  // namespace traitlab
