#pragma once
// What `traitlab elicit` reports: per condition and trait a measured score
// with its bootstrap CI, the shift from the no-technique baseline
// (condition 0), refusal rate, and per technique x target trait the shaping
// success (Spearman rho between intended level, or alpha, and the target
// trait's score). HDF5 tables under /elicit (docs/hdf5-schema.md).
#include <cmath>
#include <ostream>
#include <string>
#include <vector>

#include "core/io/hdf5_file.h"
#include "elicit/elicitation/condition.h"
#include "elicit/interview/interview.h"

namespace traitlab::cli {

// One measured condition of the plan. Condition 0 is the baseline.
struct PlannedCondition {
  ElicitSpec spec;
  std::string technique;  // "none", "persona", ...; interview: the technique under it
  Trait target = Trait::Openness;
  double level = NAN;  // intended level 1..9 (NaN: baseline or an alpha sweep)
  double alpha = NAN;  // steer
  double x = NAN;      // what shaping correlates with the score: level, else alpha
  std::string persona, generated;
};

// A measured (condition, trait) cell: from the instrument's ScoreRow or
// from interview texts (scorer "lexicon"/"rater").
struct CellScore {
  int64_t condition = 0;
  std::string scorer;  // instrument name or interview scorer
  Trait trait = Trait::Openness;
  double score = NAN, ci_lo = NAN, ci_hi = NAN, refusal_rate = NAN;
  int64_t n = 0;
};

struct ShiftRow {
  int64_t condition = 0;
  std::string technique, scorer;
  Trait target = Trait::Openness, trait = Trait::Openness;
  double level = NAN, alpha = NAN;
  double score = NAN, ci_lo = NAN, ci_hi = NAN, baseline = NAN, delta = NAN;
  double refusal_rate = NAN;
  bool on_target = false;
};

struct ShapingRow {
  std::string technique, scorer;
  Trait trait = Trait::Openness;
  std::string x_name;  // "level" or "alpha"
  int64_t n_points = 0;
  double rho = NAN;  // NaN with fewer than 3 points or no variance
  double off_target_mean_abs_delta = NAN;
};

std::vector<ShiftRow> compute_shifts(const std::vector<PlannedCondition>& plan,
                                     const std::vector<CellScore>& cells);
std::vector<ShapingRow> compute_shaping(const std::vector<PlannedCondition>& plan,
                                        const std::vector<ShiftRow>& shifts);

// Interview texts -> cells (mean over texts, bootstrap CI over texts).
std::vector<CellScore> interview_cells(int64_t condition, const std::vector<InterviewRow>& rows,
                                       const std::vector<Trait>& traits, int resamples,
                                       uint64_t seed);

void write_plan(H5Group g, const std::vector<PlannedCondition>& plan);
void write_interview(H5Group g, int64_t condition, const std::vector<InterviewRow>& rows,
                     bool create);
void write_results(H5Group g, const std::vector<ShiftRow>& shifts,
                   const std::vector<ShapingRow>& shaping);

void print_elicit_summary(std::ostream& os, const std::vector<ShiftRow>& shifts,
                          const std::vector<ShapingRow>& shaping);

}  // namespace traitlab::cli
