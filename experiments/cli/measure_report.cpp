#include "experiments/cli/measure_report.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <string>

namespace traitlab::cli {
namespace {

std::string num(double v, int prec = 1) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string pad(const std::string& s, size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

}  // namespace

void print_summary(std::ostream& os, const MeasureSummary& s) {
  // The instrument column fits the longest name ("trait-builtin[traits=O][first=3]").
  size_t w = 12;
  for (const auto& r : s.scores) w = std::max(w, r.instrument.size() + 1);
  for (const auto& v : s.validity)
    w = std::max(w, v.scenario_instrument.size() + v.likert_instrument.size() + 2);
  os << pad("instrument", w) << pad("cond", 5) << pad("trait", 18) << pad("score", 7)
     << pad("95% CI", 14) << pad("P-wtd", 7) << pad("refusal", 8) << pad("prompt_sd", 10)
     << pad("order_flip", 11) << pad("para_flip", 10) << "pos_bias_p\n";
  for (const auto& r : s.scores) {
    const bool likert = r.kind == InstrumentKind::Likert;
    const int p = likert ? 2 : 1;
    os << pad(r.instrument, w) << pad(std::to_string(r.condition), 5)
       << pad(trait_name(r.trait), 18) << pad(num(r.score, p), 7)
       << pad("[" + num(r.ci_lo, p) + ", " + num(r.ci_hi, p) + "]", 14)
       << pad(num(r.weighted, p), 7) << pad(num(r.refusal_rate, 3), 8)
       << pad(num(r.prompt_sensitivity, 2), 10) << pad(num(r.order_flip_share, 2), 11)
       << pad(num(r.paraphrase_flip_share, 2), 10) << num(r.position_chi2_p, 3) << "\n";
  }
  if (!s.reliability.empty()) {
    os << "\n"
       << pad("reliability", w) << pad("trait", 18) << pad("n_part", 7) << pad("n_items", 8)
       << pad("alpha", 7) << pad("lambda6", 8) << "omega\n";
    for (const auto& r : s.reliability) {
      os << pad(r.instrument, w) << pad(trait_name(r.trait), 18)
         << pad(std::to_string(r.n_participants), 7) << pad(std::to_string(r.n_items), 8)
         << pad(num(r.alpha, 2), 7) << pad(num(r.lambda6, 2), 8) << num(r.omega, 2) << "\n";
    }
  }
  if (!s.validity.empty()) {
    os << "\n" << pad("validity (r)", w) << pad("trait", 18) << pad("n_part", 7) << "r\n";
    for (const auto& v : s.validity) {
      os << pad(v.scenario_instrument + "~" + v.likert_instrument, w)
         << pad(trait_name(v.trait), 18) << pad(std::to_string(v.n_participants), 7) << num(v.r, 2)
         << "\n";
    }
  }
  os << "(scenario score: 100*#high/(#high+#low), orders averaged; Likert: mean keyed scale "
        "point; see docs/measure.md)\n";
}

}  // namespace traitlab::cli
