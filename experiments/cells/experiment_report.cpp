#include "experiments/cells/experiment_report.h"

#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <tuple>

#include "elicit/stats/correlation.h"
#include "elicit/traits.h"
#include "experiments/runner/run_report.h"

namespace traitlab::cells {

namespace {

// Position of a column in a table's schema, -1 when absent.
int column_index(const runner::Columns& cols, const std::string& name) {
  for (size_t i = 0; i < cols.size(); ++i)
    if (cols[i].first == name) return static_cast<int>(i);
  return -1;
}

// One row of the scores table, the columns the summary needs.
struct Score {
  std::string model, instrument, technique, target, trait;
  int level = 0;
  double alpha = NAN, score = NAN, lo = NAN, hi = NAN, refusal = NAN;
  int64_t replicate = 0;
};

std::vector<Score> read_scores(const runner::LoadedResults& r) {
  std::vector<Score> out;
  std::map<int64_t, const runner::Cell*> cells;
  for (const auto& c : r.state.cells) cells[c.index] = &c;
  for (const auto& [index, rec] : r.state.done) {
    auto it = rec.tables.find("scores");
    if (it == rec.tables.end()) continue;
    const auto& cols = it->second.columns;
    auto col = [&](const std::string& name) { return column_index(cols, name); };
    const int technique = col("technique"), target = col("target"), level = col("level"),
              alpha = col("alpha"), instrument = col("instrument"), trait = col("trait"),
              score = col("score"), lo = col("ci_lo"), hi = col("ci_hi"),
              refusal = col("refusal_rate");
    if (technique < 0 || trait < 0 || score < 0) continue;
    const auto found = cells.find(index);
    const runner::Cell* cell = found == cells.end() ? nullptr : found->second;
    for (const auto& row : it->second.rows) {
      Score s;
      s.model = cell ? cell->value("model") : "";
      s.replicate =
          cell && !cell->value("replicate").empty() ? std::stoll(cell->value("replicate")) : 0;
      s.technique = row[technique].as_string();
      s.target = row[target].as_string();
      s.level = static_cast<int>(row[level].as_int());
      s.alpha = row[alpha].as_double();
      s.instrument = row[instrument].as_string();
      s.trait = row[trait].as_string();
      s.score = row[score].as_double();
      s.lo = row[lo].as_double();
      s.hi = row[hi].as_double();
      s.refusal = row[refusal].as_double();
      out.push_back(std::move(s));
    }
  }
  return out;
}

std::string fmt(double v, int prec = 1) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.*f", prec, v);
  return buf;
}

std::string signed_fmt(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%+.1f", v);
  return buf;
}

std::string pad(const std::string& s, size_t w) {
  return s.size() >= w ? s + " " : s + std::string(w - s.size(), ' ');
}

double mean(const std::vector<double>& v) {
  double s = 0;
  int n = 0;
  for (double x : v)
    if (std::isfinite(x)) s += x, ++n;
  return n ? s / n : NAN;
}

}  // namespace

// Fine-tuning cells: each probed trait's score at the first and last probe.
void print_trajectory(const runner::LoadedResults& r, std::ostream& out) {
  // (condition, trait) -> step -> score, over every finetune cell (replicate 0 first).
  std::map<std::pair<std::string, std::string>, std::map<int64_t, double>> traj;
  std::vector<std::string> order;
  for (const auto& [index, rec] : r.state.done) {
    auto it = rec.tables.find("trait_trajectory");
    if (it == rec.tables.end()) continue;
    const auto& cols = it->second.columns;
    auto col = [&](const std::string& name) { return column_index(cols, name); };
    const int step = col("step"), cond = col("condition"), trait = col("trait"),
              score = col("score");
    if (step < 0 || cond < 0 || trait < 0 || score < 0) continue;
    for (const auto& row : it->second.rows) {
      auto key = std::make_pair(row[cond].as_string(), row[trait].as_string());
      if (!traj.count(key)) order.push_back(key.first + "\t" + key.second);
      traj[key].emplace(row[step].as_int(), row[score].as_double());
    }
    break;  // the first finetune cell
  }
  if (traj.empty()) return;
  out << "\nTrait trajectory during fine-tuning (first finetune cell; probe items only)\n";
  out << "  " << pad("condition", 16) << pad("trait", 19) << pad("first", 8) << pad("last", 8)
      << "change\n";
  for (const auto& k : order) {
    const auto tab = k.find('\t');
    const auto& steps = traj.at({k.substr(0, tab), k.substr(tab + 1)});
    const double first = steps.begin()->second, last = steps.rbegin()->second;
    out << "  " << pad(k.substr(0, tab), 16) << pad(k.substr(tab + 1), 19) << pad(fmt(first), 8)
        << pad(fmt(last), 8) << signed_fmt(last - first) << "  (steps " << steps.begin()->first
        << " -> " << steps.rbegin()->first << ")\n";
  }
}

void print_experiment_summary(const runner::LoadedResults& results, std::ostream& out) {
  print_trajectory(results, out);
  const auto scores = read_scores(results);
  if (scores.empty()) return;
  using Group = std::pair<std::string, std::string>;  // model, instrument
  // Baseline: technique none, averaged over replicates.
  std::map<Group, std::map<std::string, std::vector<double>>> base;
  std::map<Group, std::map<std::string, std::tuple<double, double, double>>> base_ci;
  for (const auto& s : scores) {
    if (s.technique != "none") continue;
    base[{s.model, s.instrument}][s.trait].push_back(s.score);
    if (s.replicate == 0) base_ci[{s.model, s.instrument}][s.trait] = {s.score, s.lo, s.hi};
  }
  const char* scale_note =
      "(scenario scores: % of high-pole choices, 0-100; likert: mean keyed scale point)";
  if (!base.empty()) {
    out << "\nProfile without a technique " << scale_note << "\n";
    for (const auto& [g, traits] : base_ci) {
      out << "  model " << g.first << ", instrument " << g.second << "\n";
      out << "    " << pad("trait", 19) << pad("score", 8) << "95% CI\n";
      for (const auto& trait_order : all_traits()) {
        const auto it = traits.find(trait_slug(trait_order));
        if (it == traits.end()) continue;
        const auto& [trait, v] = *it;
        out << "    " << pad(trait, 19) << pad(fmt(std::get<0>(v)), 8) << "[" << fmt(std::get<1>(v))
            << ", " << fmt(std::get<2>(v)) << "]\n";
      }
    }
  }

  // Elicitation rows: (model, instrument, technique, target, level/alpha).
  struct Key {
    std::string model, instrument, technique, target;
    double x;
    bool operator<(const Key& o) const {
      return std::tie(model, instrument, technique, target, x) <
             std::tie(o.model, o.instrument, o.technique, o.target, o.x);
    }
  };
  std::map<Key, std::vector<const Score*>> cells;
  for (const auto& s : scores) {
    if (s.technique == "none" || s.target.empty()) continue;
    const double x = s.technique == "steer" ? s.alpha : s.level;
    cells[{s.model, s.instrument, s.technique, s.target, x}].push_back(&s);
  }
  if (!cells.empty()) {
    out << "\nElicitation: target trait score, shift from the unprompted baseline, mean |shift| "
           "of the other traits\n";
    out << "  " << pad("technique", 10) << pad("target", 18) << pad("level", 7) << pad("score", 7)
        << pad("95% CI", 15) << pad("shift", 7) << pad("off-target", 11) << "refusals\n";
    std::set<std::string> models;
    for (const auto& [k, rows] : cells) models.insert(k.model);
    std::string shown_model;
    for (const auto& [k, rows] : cells) {
      if (models.size() > 1 && k.model != shown_model) {
        out << "  model " << k.model << "\n";
        shown_model = k.model;
      }
      const auto bit = base.find({k.model, k.instrument});
      double target = NAN, lo = NAN, hi = NAN, refusal = NAN;
      std::vector<double> off, tgt;
      for (const Score* s : rows) {
        double b = NAN;
        if (bit != base.end()) {
          auto t = bit->second.find(s->trait);
          if (t != bit->second.end()) b = mean(t->second);
        }
        if (s->trait == k.target) {
          tgt.push_back(s->score);
          if (s->replicate == 0) target = s->score, lo = s->lo, hi = s->hi, refusal = s->refusal;
        } else if (std::isfinite(b)) {
          off.push_back(std::fabs(s->score - b));
        }
      }
      double shift = NAN;
      if (bit != base.end() && bit->second.count(k.target))
        shift = mean(tgt) - mean(bit->second.at(k.target));
      const std::string lv = k.technique == "steer" ? "a=" + fmt(k.x, 2) : fmt(k.x, 0);
      out << "  " << pad(k.technique, 10) << pad(k.target, 18) << pad(lv, 7) << pad(fmt(target), 7)
          << pad("[" + fmt(lo) + ", " + fmt(hi) + "]", 15) << pad(signed_fmt(shift), 7)
          << pad(fmt(mean(off)), 11) << fmt(refusal, 2) << "\n";
    }
    // Shaping success.
    std::map<std::tuple<std::string, std::string, std::string, std::string>,
             std::pair<std::vector<double>, std::vector<double>>>
        curves;
    for (const auto& [k, rows] : cells)
      for (const Score* s : rows)
        if (s->trait == k.target) {
          auto& c = curves[{k.model, k.instrument, k.technique, k.target}];
          c.first.push_back(k.x);
          c.second.push_back(s->score);
        }
    out << "\nShaping success: Spearman rho and Pearson r between intended level (steer: "
           "alpha) and measured target score\n";
    for (const auto& [k, c] : curves) {
      std::set<double> distinct(c.first.begin(), c.first.end());
      std::string rho = "- (needs >= 3 points and >= 2 levels)";
      if (distinct.size() >= 2 && c.first.size() >= 3) {
        const double r = stats::spearman(c.first, c.second);
        const double pr = stats::pearson(c.first, c.second);
        rho = std::isfinite(r) ? fmt(r, 2) + "  r = " + fmt(pr, 2)
                               : "- (the measured score does not vary)";
      }
      out << "  " << pad(std::get<2>(k), 10) << pad(std::get<3>(k), 18) << "rho = " << rho << "  ("
          << c.first.size() << " points, instrument " << std::get<1>(k)
          << (models.size() > 1 ? ", model " + std::get<0>(k) : std::string()) << ")\n";
    }
  }
}

namespace {
// `traitlab show` prints the same summary after its generic report.
const bool registered = [] {
  runner::add_report_hook(
      [](const runner::LoadedResults& r, std::ostream& os) { print_experiment_summary(r, os); });
  return true;
}();
}  // namespace

}  // namespace traitlab::cells
