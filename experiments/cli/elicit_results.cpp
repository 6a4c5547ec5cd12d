#include "experiments/cli/elicit_results.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <tuple>

#include "core/util/error.h"
#include "elicit/stats/bootstrap.h"
#include "elicit/stats/correlation.h"

namespace traitlab::cli {
namespace {

std::string num(double v, int prec = 2) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string pad(const std::string& s, size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

// HDF5 strings end at a NUL byte, which a sampled model can emit: store
// U+FFFD in its place (documented in docs/hdf5-schema.md).
std::string storable(const std::string& text) {
  std::string out;
  for (char ch : text) out += ch == '\0' ? std::string("\xEF\xBF\xBD") : std::string(1, ch);
  return out;
}

}  // namespace

std::vector<ShiftRow> compute_shifts(const std::vector<PlannedCondition>& plan,
                                     const std::vector<CellScore>& cells) {
  std::map<std::pair<std::string, Trait>, double> baseline;
  for (const auto& c : cells)
    if (c.condition == 0) baseline[{c.scorer, c.trait}] = c.score;
  std::vector<ShiftRow> out;
  for (const auto& c : cells) {
    if (c.condition == 0) continue;
    const PlannedCondition& p = plan.at(c.condition);
    ShiftRow r;
    r.condition = c.condition;
    r.technique = p.technique;
    r.scorer = c.scorer;
    r.target = p.target;
    r.trait = c.trait;
    r.level = p.level;
    r.alpha = p.alpha;
    r.score = c.score;
    r.ci_lo = c.ci_lo;
    r.ci_hi = c.ci_hi;
    auto b = baseline.find({c.scorer, c.trait});
    r.baseline = b == baseline.end() ? NAN : b->second;
    r.delta = r.score - r.baseline;
    r.refusal_rate = c.refusal_rate;
    r.on_target = c.trait == p.target;
    out.push_back(r);
  }
  return out;
}

std::vector<ShapingRow> compute_shaping(const std::vector<PlannedCondition>& plan,
                                        const std::vector<ShiftRow>& shifts) {
  // (technique, scorer, target) -> points (x, on-target score) and off-target |delta|.
  struct Acc {
    std::vector<double> x, y;
    double off_sum = 0.0;
    int64_t off_n = 0;
    std::string x_name;
  };
  std::map<std::tuple<std::string, std::string, Trait>, Acc> acc;
  for (const auto& s : shifts) {
    Acc& a = acc[{s.technique, s.scorer, s.target}];
    const PlannedCondition& p = plan.at(s.condition);
    a.x_name = std::isfinite(p.level) ? "level" : "alpha";
    if (s.on_target) {
      a.x.push_back(p.x);
      a.y.push_back(s.score);
    } else if (std::isfinite(s.delta)) {
      a.off_sum += std::fabs(s.delta);
      ++a.off_n;
    }
  }
  std::vector<ShapingRow> out;
  for (const auto& [key, a] : acc) {
    ShapingRow r;
    std::tie(r.technique, r.scorer, r.trait) = key;
    r.x_name = a.x_name;
    r.n_points = static_cast<int64_t>(a.x.size());
    bool finite = true;
    for (double v : a.y) finite = finite && std::isfinite(v);
    if (r.n_points >= 3 && finite) r.rho = stats::spearman(a.x, a.y, "shaping");
    if (a.off_n > 0) r.off_target_mean_abs_delta = a.off_sum / a.off_n;
    out.push_back(r);
  }
  return out;
}

std::vector<CellScore> interview_cells(int64_t condition, const std::vector<InterviewRow>& rows,
                                       const std::vector<Trait>& traits, int resamples,
                                       uint64_t seed) {
  std::vector<CellScore> out;
  double refused = 0;
  for (const auto& r : rows) refused += r.refused ? 1 : 0;
  for (const char* scorer : {"lexicon", "rater"}) {
    for (Trait t : traits) {
      std::vector<double> v;
      for (const auto& r : rows) {
        const auto& m = std::string(scorer) == "lexicon" ? r.lexicon : r.rater;
        auto it = m.find(t);
        if (it != m.end()) v.push_back(it->second);
      }
      if (v.empty()) continue;
      CellScore c;
      c.condition = condition;
      c.scorer = scorer;
      c.trait = t;
      c.n = static_cast<int64_t>(v.size());
      double s = 0;
      for (double x : v) s += x;
      c.score = s / v.size();
      if (resamples > 0) {
        stats::BootstrapOptions bo;
        bo.resamples = resamples;
        bo.seed = stats::derive_seed(
            seed, str("elicit/interview/", condition, "/", scorer, "/", trait_name(t)));
        const auto ci = stats::bootstrap_mean_ci(v, bo, "interview score");
        c.ci_lo = ci.lo;
        c.ci_hi = ci.hi;
      }
      c.refusal_rate = rows.empty() ? NAN : refused / rows.size();
      out.push_back(c);
    }
  }
  return out;
}

void write_plan(H5Group g, const std::vector<PlannedCondition>& plan) {
  H5Table t = g.create_table("conditions", {{"condition", ColumnType::Int64},
                                            {"technique", ColumnType::String},
                                            {"target", ColumnType::String},
                                            {"level", ColumnType::Float64},
                                            {"alpha", ColumnType::Float64},
                                            {"layer", ColumnType::Int64},
                                            {"hook", ColumnType::String},
                                            {"steer_op", ColumnType::String},
                                            {"persona", ColumnType::String},
                                            {"generated", ColumnType::String}});
  for (size_t i = 0; i < plan.size(); ++i) {
    const auto& p = plan[i];
    H5Row r = t.row();
    r.set("condition", static_cast<int64_t>(i))
        .set("technique", p.technique)
        .set("target", i == 0 ? std::string() : trait_name(p.target))
        .set("level", p.level)
        .set("alpha", p.alpha)
        .set("layer", static_cast<int64_t>(p.spec.layer))
        .set("hook", p.spec.technique == "steer" ? p.spec.hook : std::string())
        .set("steer_op", p.spec.technique == "steer" ? p.spec.steer_op : std::string())
        .set("persona", storable(p.persona))
        .set("generated", storable(p.generated));
    t.append(r);
  }
  t.flush();
}

void write_interview(H5Group g, int64_t condition, const std::vector<InterviewRow>& rows,
                     bool create) {
  TableSchema schema = {{"condition", ColumnType::Int64},      {"question_id", ColumnType::String},
                        {"cue", ColumnType::String},           {"sample", ColumnType::Int64},
                        {"text", ColumnType::String},          {"refused", ColumnType::Bool},
                        {"refusal_phrase", ColumnType::String}};
  for (Trait t : all_traits()) schema.push_back({"lexicon_" + trait_code(t), ColumnType::Float64});
  for (Trait t : all_traits()) schema.push_back({"rater_" + trait_code(t), ColumnType::Float64});
  H5Table tab = create ? g.create_table("interview", schema) : g.open_table("interview");
  for (const auto& row : rows) {
    H5Row r = tab.row();
    r.set("condition", condition)
        .set("question_id", row.question_id)
        .set("cue", row.cue)
        .set("sample", static_cast<int64_t>(row.sample))
        .set("text", storable(row.text))
        .set("refused", row.refused)
        .set("refusal_phrase", row.refusal_phrase);
    for (Trait t : all_traits()) {
      auto l = row.lexicon.find(t);
      auto q = row.rater.find(t);
      r.set("lexicon_" + trait_code(t), l == row.lexicon.end() ? NAN : l->second);
      r.set("rater_" + trait_code(t), q == row.rater.end() ? NAN : q->second);
    }
    tab.append(r);
  }
  tab.flush();
}

void write_results(H5Group g, const std::vector<ShiftRow>& shifts,
                   const std::vector<ShapingRow>& shaping) {
  H5Table s = g.create_table("shifts", {{"condition", ColumnType::Int64},
                                        {"technique", ColumnType::String},
                                        {"scorer", ColumnType::String},
                                        {"target", ColumnType::String},
                                        {"trait", ColumnType::String},
                                        {"on_target", ColumnType::Bool},
                                        {"level", ColumnType::Float64},
                                        {"alpha", ColumnType::Float64},
                                        {"score", ColumnType::Float64},
                                        {"ci_lo", ColumnType::Float64},
                                        {"ci_hi", ColumnType::Float64},
                                        {"baseline", ColumnType::Float64},
                                        {"delta", ColumnType::Float64},
                                        {"refusal_rate", ColumnType::Float64}});
  for (const auto& x : shifts) {
    H5Row r = s.row();
    r.set("condition", x.condition)
        .set("technique", x.technique)
        .set("scorer", x.scorer)
        .set("target", trait_name(x.target))
        .set("trait", trait_name(x.trait))
        .set("on_target", x.on_target)
        .set("level", x.level)
        .set("alpha", x.alpha)
        .set("score", x.score)
        .set("ci_lo", x.ci_lo)
        .set("ci_hi", x.ci_hi)
        .set("baseline", x.baseline)
        .set("delta", x.delta)
        .set("refusal_rate", x.refusal_rate);
    s.append(r);
  }
  s.flush();
  H5Table h = g.create_table("shaping", {{"technique", ColumnType::String},
                                         {"scorer", ColumnType::String},
                                         {"trait", ColumnType::String},
                                         {"x", ColumnType::String},
                                         {"n_points", ColumnType::Int64},
                                         {"spearman_rho", ColumnType::Float64},
                                         {"off_target_mean_abs_delta", ColumnType::Float64}});
  for (const auto& x : shaping) {
    H5Row r = h.row();
    r.set("technique", x.technique)
        .set("scorer", x.scorer)
        .set("trait", trait_name(x.trait))
        .set("x", x.x_name)
        .set("n_points", x.n_points)
        .set("spearman_rho", x.rho)
        .set("off_target_mean_abs_delta", x.off_target_mean_abs_delta);
    h.append(r);
  }
  h.flush();
}

void print_elicit_summary(std::ostream& os, const std::vector<ShiftRow>& shifts,
                          const std::vector<ShapingRow>& shaping) {
  // On-target rows, with the off-target shifts of the same condition folded
  // into their mean |delta| and largest |delta|.
  size_t w = 8;
  for (const auto& s : shifts) w = std::max(w, s.scorer.size() + 1);
  os << pad("technique", 10) << pad("scorer", w) << pad("target", 18) << pad("level", 6)
     << pad("alpha", 7) << pad("score", 7) << pad("95% CI", 16) << pad("delta", 7)
     << pad("off|d|", 7) << pad("off_max", 20) << "refusal\n";
  for (const auto& s : shifts) {
    if (!s.on_target) continue;
    double sum = 0, mx = -1;
    int n = 0;
    std::string mx_trait;
    for (const auto& o : shifts) {
      if (o.condition != s.condition || o.scorer != s.scorer || o.on_target ||
          !std::isfinite(o.delta))
        continue;
      sum += std::fabs(o.delta);
      ++n;
      if (std::fabs(o.delta) > mx) {
        mx = std::fabs(o.delta);
        mx_trait = trait_code(o.trait) + "=" + num(o.delta);
      }
    }
    os << pad(s.technique, 10) << pad(s.scorer, w) << pad(trait_name(s.target), 18)
       << pad(num(s.level, 0), 6) << pad(num(s.alpha, 2), 7) << pad(num(s.score), 7)
       << pad("[" + num(s.ci_lo) + ", " + num(s.ci_hi) + "]", 16) << pad(num(s.delta), 7)
       << pad(n ? num(sum / n) : "-", 7) << pad(mx_trait.empty() ? "-" : mx_trait, 20)
       << num(s.refusal_rate, 3) << "\n";
  }
  os << "\n"
     << pad("shaping", 10) << pad("scorer", w) << pad("target", 18) << pad("x", 6) << pad("n", 4)
     << pad("rho", 7) << "off_target_mean_|d|\n";
  for (const auto& r : shaping) {
    os << pad(r.technique, 10) << pad(r.scorer, w) << pad(trait_name(r.trait), 18)
       << pad(r.x_name, 6) << pad(std::to_string(r.n_points), 4) << pad(num(r.rho), 7)
       << num(r.off_target_mean_abs_delta) << "\n";
  }
  os << "(delta: score minus the no-technique baseline; off|d|: mean |delta| over the other "
        "traits; rho: Spearman between intended level/alpha and score; docs/elicit.md)\n";
}

}  // namespace traitlab::cli
