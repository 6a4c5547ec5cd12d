// Aggregation of response rows. Terms used below:
//   measurement  one (item, template, paraphrase) in one condition; its rows
//                are the option orders it was shown in. Orders are combined
//                as TRAIT does: each order's canonical probabilities are
//                renormalised and averaged, then the argmax is the answer.
//   participant  a simulated respondent (Serapio-Garcia et al.): one
//                (condition, template, paraphrase) combination.
#include "elicit/measure/aggregate.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>
#include <tuple>

#include "core/util/error.h"
#include "elicit/measure/measure_spec.h"
#include "elicit/stats/bootstrap.h"
#include "elicit/stats/reliability.h"
#include "elicit/stats/sensitivity.h"
#include "elicit/stats/trait_score.h"
#include "elicit/stats/validity.h"

namespace traitlab {
namespace {

using Rows = std::vector<const ResponseRow*>;
using MeasKey = std::tuple<std::string, int, bool>;  // item, template, paraphrase

struct Measurement {
  std::string item;
  int template_id = 1;
  bool paraphrase = false;
  Rows rows;  // in order-slot order
  stats::Pole pole = stats::Pole::Refused;
  int choice = -1;
  double p_high = NAN;  // 0..1
  double likert = NAN;  // keyed expected (Likert)
  double likert_argmax = NAN;
};

double mean_finite(const std::vector<double>& v) {
  double s = 0.0;
  int n = 0;
  for (double x : v) {
    if (std::isfinite(x)) {
      s += x;
      ++n;
    }
  }
  return n ? s / n : NAN;
}

std::vector<Measurement> measurements(const Rows& rows) {
  std::map<MeasKey, size_t> index;
  std::vector<Measurement> out;
  for (const ResponseRow* r : rows) {
    const MeasKey key{r->item_id, r->template_id, r->paraphrase};
    auto it = index.find(key);
    if (it == index.end()) {
      it = index.emplace(key, out.size()).first;
      out.push_back({r->item_id, r->template_id, r->paraphrase, {}});
    }
    out[it->second].rows.push_back(r);
  }
  for (auto& m : out) {
    if (m.rows.front()->kind == InstrumentKind::Likert) {
      std::vector<double> e, a;
      for (const ResponseRow* r : m.rows) {
        e.push_back(r->expected_keyed);
        a.push_back(r->argmax_keyed);
      }
      m.likert = mean_finite(e);
      m.likert_argmax = mean_finite(a);
      continue;
    }
    std::vector<stats::OptionProbs> per_order;
    for (const ResponseRow* r : m.rows) {
      if (r->refused) continue;
      stats::OptionProbs p{};
      for (int k = 0; k < 4; ++k) p[k] = r->prob[k];
      per_order.push_back(p);
    }
    if (per_order.empty()) continue;
    const auto avg = stats::average_orders(per_order, "measure: item " + m.item);
    m.choice = stats::argmax_option(avg);
    m.pole = stats::pole_of_option(m.choice);
    // Clamped: the renormalised sum may exceed 1 by a rounding ulp.
    m.p_high = std::min(1.0, std::max(0.0, avg[0] + avg[1]));
  }
  return out;
}

// Binary TRAIT score of a subset of measurements.
double binary_score(const std::vector<const Measurement*>& ms) {
  std::vector<stats::Pole> poles;
  for (const auto* m : ms) poles.push_back(m->pole);
  return stats::trait_score(poles).score;
}

std::map<std::string, std::vector<size_t>> by_item(const std::vector<Measurement>& ms) {
  std::map<std::string, std::vector<size_t>> out;
  for (size_t i = 0; i < ms.size(); ++i) out[ms[i].item].push_back(i);
  return out;
}

void position_summary(const Rows& rows, int n_positions, const std::vector<std::string>& labels,
                      ScoreRow& s) {
  std::vector<int> pos;
  for (const ResponseRow* r : rows) pos.push_back(r->refused ? -1 : r->position);
  const auto pb = stats::position_bias(pos, n_positions, "position bias");
  s.position_chi2_p = pb.test.p_value;
  for (int p = 0; p < n_positions; ++p) {
    s.position_rates += (p ? "," : "") + labels[p] + "=" + str(std::round(pb.rates[p] * 1e4) / 1e4);
  }
}

ScoreRow scenario_scores(const Rows& rows, const MeasureSpec& spec) {
  ScoreRow s;
  const auto ms = measurements(rows);
  const auto items = by_item(ms);
  s.n_items = static_cast<int64_t>(items.size());
  s.n_measurements = static_cast<int64_t>(ms.size());
  s.n_responses = static_cast<int64_t>(rows.size());
  std::vector<const Measurement*> all;
  std::vector<double> p_high;
  for (const auto& m : ms) {
    all.push_back(&m);
    p_high.push_back(m.p_high);
  }
  s.score = binary_score(all);
  s.weighted = stats::weighted_trait_score(p_high);

  // Bootstrap over items (an item's templates and paraphrases are not
  // independent draws).
  std::vector<std::vector<size_t>> groups;
  for (const auto& [id, idx] : items) groups.push_back(idx);
  const std::string label = str("bootstrap/", rows.front()->instrument, "/",
                                rows.front()->condition, "/", trait_name(rows.front()->trait));
  stats::BootstrapOptions bo{spec.bootstrap_resamples, 0.95, stats::derive_seed(spec.seed, label)};
  if (spec.bootstrap_resamples > 0) {
    const auto ci = stats::bootstrap_ci(
        groups.size(),
        [&](const std::vector<size_t>& pick) {
          long hi = 0, lo = 0;
          for (size_t g : pick)
            for (size_t i : groups[g]) {
              hi += ms[i].pole == stats::Pole::High;
              lo += ms[i].pole == stats::Pole::Low;
            }
          return hi + lo ? 100.0 * hi / (hi + lo) : NAN;
        },
        bo, label);
    s.ci_lo = ci.lo;
    s.ci_hi = ci.hi;
    bo.seed = stats::derive_seed(spec.seed, label + "/weighted");
    const auto wci = stats::bootstrap_ci(
        groups.size(),
        [&](const std::vector<size_t>& pick) {
          double sum = 0.0;
          long n = 0;
          for (size_t g : pick)
            for (size_t i : groups[g])
              if (std::isfinite(ms[i].p_high)) {
                sum += 100.0 * ms[i].p_high;
                ++n;
              }
          return n ? sum / n : NAN;
        },
        bo, label);
    s.weighted_ci_lo = wci.lo;
    s.weighted_ci_hi = wci.hi;
  } else {
    s.ci_lo = s.ci_hi = s.weighted_ci_lo = s.weighted_ci_hi = NAN;
  }

  long refused = 0;
  std::vector<double> mass;
  for (const ResponseRow* r : rows) {
    refused += r->refused;
    mass.push_back(r->label_mass);
  }
  s.refusal_rate = stats::refusal_rate(refused, static_cast<long>(rows.size()));
  s.label_mass = mean_finite(mass);

  std::map<int, std::vector<const Measurement*>> per_template;
  for (const auto& m : ms) per_template[m.template_id].push_back(&m);
  std::vector<double> template_scores;
  for (const auto& [t, v] : per_template) template_scores.push_back(binary_score(v));
  s.prompt_sensitivity = stats::prompt_sensitivity(template_scores);

  // Order sensitivity: every measurement must have been shown in the same
  // number of orders (slot j = its j-th order).
  s.order_flip_share = s.order_pole_flip_share = s.order_mean_abs_delta = NAN;
  const size_t n_orders = ms.empty() ? 0 : ms.front().rows.size();
  bool same = n_orders >= 2;
  for (const auto& m : ms) same = same && m.rows.size() == n_orders;
  if (same) {
    std::vector<std::vector<int>> choices(n_orders);
    for (const auto& m : ms)
      for (size_t j = 0; j < n_orders; ++j) choices[j].push_back(m.rows[j]->choice);
    const auto os = stats::order_sensitivity(choices);
    s.order_flip_share = os.flip_share;
    s.order_pole_flip_share = os.pole_flip_share;
    s.order_mean_abs_delta = os.mean_abs_delta_score;
  }

  s.paraphrase_flip_share = s.paraphrase_pole_flip_share = s.paraphrase_abs_delta = NAN;
  std::map<std::pair<std::string, int>, std::pair<int, int>> pairs;  // -> (original, paraphrased)
  std::map<std::pair<std::string, int>, int> seen;
  for (const auto& m : ms) {
    auto& p = pairs[{m.item, m.template_id}];
    (m.paraphrase ? p.second : p.first) = m.choice;
    seen[{m.item, m.template_id}] |= m.paraphrase ? 2 : 1;
  }
  std::vector<int> orig, para;
  for (const auto& [k, v] : pairs) {
    if (seen[k] != 3) continue;
    orig.push_back(v.first);
    para.push_back(v.second);
  }
  if (!orig.empty()) {
    const auto ps = stats::paraphrase_sensitivity(orig, para);
    s.paraphrase_flip_share = ps.flip_share;
    s.paraphrase_pole_flip_share = ps.pole_flip_share;
    s.paraphrase_abs_delta = ps.mean_abs_delta_score;
  }
  position_summary(rows, 4, {"A", "B", "C", "D"}, s);
  return s;
}

ScoreRow likert_scores(const Rows& rows, const MeasureSpec& spec) {
  ScoreRow s;
  const auto ms = measurements(rows);
  const auto items = by_item(ms);
  s.n_items = static_cast<int64_t>(items.size());
  s.n_measurements = static_cast<int64_t>(ms.size());
  s.n_responses = static_cast<int64_t>(rows.size());
  std::vector<double> item_e, item_a;
  for (const auto& [id, idx] : items) {
    std::vector<double> e, a;
    for (size_t i : idx) {
      e.push_back(ms[i].likert);
      a.push_back(ms[i].likert_argmax);
    }
    item_e.push_back(mean_finite(e));
    item_a.push_back(mean_finite(a));
  }
  s.score = mean_finite(item_e);
  s.weighted = mean_finite(item_a);
  auto finite = [](const std::vector<double>& v) {
    std::vector<double> out;
    for (double x : v)
      if (std::isfinite(x)) out.push_back(x);
    return out;
  };
  const std::string label = str("bootstrap/", rows.front()->instrument, "/",
                                rows.front()->condition, "/", trait_name(rows.front()->trait));
  const auto fe = finite(item_e), fa = finite(item_a);
  s.ci_lo = s.ci_hi = s.weighted_ci_lo = s.weighted_ci_hi = NAN;
  if (spec.bootstrap_resamples > 0 && !fe.empty()) {
    stats::BootstrapOptions bo{spec.bootstrap_resamples, 0.95,
                               stats::derive_seed(spec.seed, label)};
    const auto ci = stats::bootstrap_mean_ci(fe, bo, label);
    s.ci_lo = ci.lo;
    s.ci_hi = ci.hi;
    bo.seed = stats::derive_seed(spec.seed, label + "/argmax");
    const auto ca = stats::bootstrap_mean_ci(fa, bo, label);
    s.weighted_ci_lo = ca.lo;
    s.weighted_ci_hi = ca.hi;
  }
  long refused = 0;
  std::vector<double> mass;
  std::set<int> points;
  for (const ResponseRow* r : rows) {
    refused += r->refused;
    mass.push_back(r->label_mass);
    points.insert(r->scale_points);
  }
  s.refusal_rate = stats::refusal_rate(refused, static_cast<long>(rows.size()));
  s.label_mass = mean_finite(mass);
  std::map<int, std::vector<double>> per_template;
  for (const auto& m : ms) per_template[m.template_id].push_back(m.likert);
  std::vector<double> template_means;
  for (const auto& [t, v] : per_template) template_means.push_back(mean_finite(v));
  s.prompt_sensitivity = stats::prompt_sensitivity(template_means);
  s.order_flip_share = s.order_pole_flip_share = s.order_mean_abs_delta = NAN;
  s.paraphrase_flip_share = s.paraphrase_pole_flip_share = s.paraphrase_abs_delta = NAN;
  s.position_chi2_p = NAN;
  if (points.size() == 1) {
    std::vector<std::string> labels;
    for (int p = 1; p <= *points.begin(); ++p) labels.push_back(std::to_string(p));
    position_summary(rows, *points.begin(), labels, s);
  }
  return s;
}

// Participant key: (condition, template, paraphrase).
using PartKey = std::tuple<int64_t, int, bool>;

// participant -> item -> value (scenario: 100 * P(high); Likert: keyed expected).
std::map<PartKey, std::map<std::string, double>> participant_values(const Rows& rows) {
  std::map<PartKey, std::map<std::string, double>> out;
  std::map<int64_t, Rows> by_condition;
  for (const ResponseRow* r : rows) by_condition[r->condition].push_back(r);
  for (const auto& [c, rs] : by_condition) {
    for (const auto& m : measurements(rs)) {
      const double v = rs.front()->kind == InstrumentKind::Likert ? m.likert : 100.0 * m.p_high;
      out[{c, m.template_id, m.paraphrase}][m.item] = v;
    }
  }
  return out;
}

ReliabilityRow reliability(const Rows& rows) {
  ReliabilityRow rr;
  rr.instrument = rows.front()->instrument;
  rr.trait = rows.front()->trait;
  rr.participants = rows.front()->kind == InstrumentKind::Likert
                        ? "condition x template; item value = keyed expected scale point"
                        : "condition x template x paraphrase; item value = 100 * P(high)";
  const auto parts = participant_values(rows);
  // Items answered (finite) by every participant.
  std::set<std::string> items;
  bool first = true;
  for (const auto& [k, vals] : parts) {
    std::set<std::string> here;
    for (const auto& [id, v] : vals)
      if (std::isfinite(v)) here.insert(id);
    if (first) {
      items = here;
      first = false;
    } else {
      std::set<std::string> keep;
      for (const auto& id : items)
        if (here.count(id)) keep.insert(id);
      items = keep;
    }
  }
  rr.n_participants = static_cast<int64_t>(parts.size());
  rr.n_items = static_cast<int64_t>(items.size());
  rr.alpha = rr.lambda6 = rr.omega = NAN;
  if (rr.n_participants < 3 || rr.n_items < 2) {
    rr.note = "needs >= 3 participants and >= 2 items answered by all";
    return rr;
  }
  stats::Table table;
  for (const auto& [k, vals] : parts) {
    std::vector<double> row;
    for (const auto& id : items) row.push_back(vals.at(id));
    table.push_back(row);
  }
  const std::string what = "reliability " + rr.instrument + "/" + trait_name(rr.trait);
  rr.alpha = stats::cronbach_alpha(table, what);
  rr.lambda6 = stats::guttman_lambda6(table, what);
  rr.omega = stats::mcdonald_omega(table, {}, what).omega;
  if (!std::isfinite(rr.lambda6) || !std::isfinite(rr.omega) || !std::isfinite(rr.alpha)) {
    rr.note = "NaN: zero-variance item or total, or fewer participants than items";
  }
  return rr;
}

// (condition, template) -> instrument-level value for one trait.
std::map<std::pair<int64_t, int>, double> validity_values(const Rows& rows) {
  std::map<std::pair<int64_t, int>, std::vector<double>> acc;
  for (const auto& [k, vals] : participant_values(rows)) {
    std::vector<double> v;
    for (const auto& [id, x] : vals) v.push_back(x);
    acc[{std::get<0>(k), std::get<1>(k)}].push_back(mean_finite(v));
  }
  std::map<std::pair<int64_t, int>, double> out;
  for (const auto& [k, v] : acc) out[k] = mean_finite(v);
  return out;
}

}  // namespace

MeasureSummary summarize(const std::vector<ResponseRow>& rows, const MeasureSpec& spec) {
  MeasureSummary out;
  // instrument -> trait -> condition -> rows (canonical trait order).
  std::map<std::string, std::map<Trait, std::map<int64_t, Rows>>> groups;
  std::vector<std::string> inst_order;
  for (const auto& r : rows) {
    if (!groups.count(r.instrument)) inst_order.push_back(r.instrument);
    groups[r.instrument][r.trait][r.condition].push_back(&r);
  }
  for (const auto& inst : inst_order) {
    for (const auto& [trait, conds] : groups[inst]) {
      Rows all;
      for (const auto& [c, rs] : conds) {
        ScoreRow s = rs.front()->kind == InstrumentKind::Scenario ? scenario_scores(rs, spec)
                                                                  : likert_scores(rs, spec);
        s.instrument = inst;
        s.kind = rs.front()->kind;
        s.condition = c;
        s.trait = trait;
        s.scoring = rs.front()->scoring;
        out.scores.push_back(s);
        all.insert(all.end(), rs.begin(), rs.end());
      }
      out.reliability.push_back(reliability(all));
    }
  }
  // Convergent validity: every scenario x Likert instrument pair sharing a trait.
  for (const auto& a : inst_order) {
    for (const auto& b : inst_order) {
      for (const auto& [trait, ca] : groups[a]) {
        const auto itb = groups[b].find(trait);
        if (itb == groups[b].end()) continue;
        Rows ra, rb;
        for (const auto& [c, rs] : ca) ra.insert(ra.end(), rs.begin(), rs.end());
        for (const auto& [c, rs] : itb->second) rb.insert(rb.end(), rs.begin(), rs.end());
        if (ra.front()->kind != InstrumentKind::Scenario ||
            rb.front()->kind != InstrumentKind::Likert)
          continue;
        ValidityRow v;
        v.trait = trait;
        v.scenario_instrument = a;
        v.likert_instrument = b;
        const auto va = validity_values(ra), vb = validity_values(rb);
        std::vector<double> xa, xb;
        for (const auto& [k, x] : va) {
          auto it = vb.find(k);
          if (it != vb.end() && std::isfinite(x) && std::isfinite(it->second)) {
            xa.push_back(x);
            xb.push_back(it->second);
          }
        }
        v.n_participants = static_cast<int64_t>(xa.size());
        v.r = NAN;
        if (xa.size() >= 3) {
          v.r = stats::convergent_validity(xa, xb);
          if (!std::isfinite(v.r)) v.note = "NaN: a score does not vary across participants";
        } else {
          v.note = "needs >= 3 (condition, template) participants measured with both";
        }
        out.validity.push_back(v);
      }
    }
  }
  return out;
}

}  // namespace traitlab
