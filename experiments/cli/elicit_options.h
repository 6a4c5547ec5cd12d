#pragma once
// Options of `traitlab elicit` (defaults defined once, here) and the plan
// they describe: condition 0 is the no-technique baseline, then one
// condition per target trait x level (or alpha).
#include <string>
#include <vector>

#include "experiments/cli/common_options.h"
#include "experiments/cli/elicit_results.h"

namespace traitlab::cli {

struct ElicitOptions {
  ModelOptions model;
  std::string technique;          // persona | fewshot | p2 | interview | steer
  std::string under = "persona";  // interview: the technique it runs under (persona, p2, steer)
  std::string traits = "O";
  std::string levels = "1,3,5,7,9";
  std::string alphas;  // steer: e.g. -8,-4,0,4,8 (replaces levels)
  double alpha = 4.0;  // steer with levels: alpha at level 9
  std::string instrument = "likert-builtin";
  std::string scoring = "auto";
  int items_per_trait = 0;
  std::string persona_template = "you_are";
  std::string markers;  // persona marker file; empty = the shipped banks
  int fewshot_k = 3;
  int layer = -1;
  std::string hook = "resid_post";
  std::string steer_op = "add";
  std::string vectors;
  int vector_questions = 8;
  int64_t vector_tokens = 24;
  std::string interview_scoring = "lexicon,rater";
  std::string rater;
  int questions = 6;
  int samples = 2;
  bool no_cues = false;
  int64_t max_new_tokens = 48;
  double temperature = 0.7;
  std::string chat = "auto";
  int batch_size = 8;
  int bootstrap = 2000;
  uint64_t seed = 0;
  std::string out;
  bool overwrite = false;
  bool quiet = false;
};

void add_elicit_options(po::options_description& desc, ElicitOptions& o);

// Checks every flag that needs no model (InputError naming the flag) and
// returns the conditions. `chat` is filled in later per model.
std::vector<PlannedCondition> build_plan(const ElicitOptions& o);

}  // namespace traitlab::cli
