#include "experiments/cells/cell_tables.h"

#include <cmath>
#include <limits>
#include <sstream>

#include "elicit/traits.h"

namespace traitlab::cells {

namespace {

using Row = std::vector<std::pair<std::string, runner::Value>>;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();

Row head(const CellTechnique& t) {
  return {{"technique", t.technique}, {"target", t.target}, {"level", t.level}, {"alpha", t.alpha}};
}

std::string join(const std::vector<double>& v) {
  std::ostringstream os;
  os.precision(9);
  for (size_t i = 0; i < v.size(); ++i) os << (i ? "," : "") << v[i];
  return os.str();
}

const char* kind_name(InstrumentKind k) {
  return k == InstrumentKind::Scenario ? "scenario" : "likert";
}

}  // namespace

CellTechnique technique_of(const runner::Cell& cell) {
  CellTechnique t;
  t.technique = cell.value("technique");
  t.target = cell.value("trait");
  const std::string level = cell.value("level");
  t.level = level.empty() ? 0 : std::stoi(level);
  const std::string alpha = cell.value("alpha");
  t.alpha = alpha.empty() ? kNaN : std::stod(alpha);
  return t;
}

void append_condition(runner::ResultSink& sink, const CellTechnique& t) {
  Row r = head(t);
  r.emplace_back("persona", t.persona);
  r.emplace_back("generated", t.generated);
  sink.append("conditions", r);
}

void append_responses(runner::ResultSink& sink, const CellTechnique& t,
                      const std::vector<ResponseRow>& rows) {
  for (const auto& x : rows) {
    Row r = head(t);
    double p_high = kNaN;
    if (x.kind == InstrumentKind::Scenario && x.prob.size() == 4) p_high = x.prob[0] + x.prob[1];
    r.insert(r.end(),
             {{"instrument", x.instrument},
              {"kind", kind_name(x.kind)},
              {"item", x.item_id},
              {"trait", trait_slug(x.trait)},
              {"template", x.template_id},
              {"paraphrase", x.paraphrase},
              {"order", x.order_name},
              {"order_code", x.order_code},
              {"scoring", x.scoring},
              {"choice", x.choice},
              {"position", x.position},
              {"refused", x.refused},
              {"refusal_reason", x.refusal_reason},
              {"p_high", p_high},
              {"expected_keyed", x.kind == InstrumentKind::Likert ? x.expected_keyed : kNaN},
              {"prob", join(x.prob)},
              {"logprob", join(x.logprob)},
              {"text", x.text}});
    sink.append("responses", r);
  }
}

void append_scores(runner::ResultSink& sink, const CellTechnique& t, const MeasureSummary& s) {
  for (const auto& x : s.scores) {
    Row r = head(t);
    r.insert(r.end(), {{"instrument", x.instrument},
                       {"kind", kind_name(x.kind)},
                       {"trait", trait_slug(x.trait)},
                       {"scoring", x.scoring},
                       {"n_items", x.n_items},
                       {"n_responses", x.n_responses},
                       {"score", x.score},
                       {"ci_lo", x.ci_lo},
                       {"ci_hi", x.ci_hi},
                       {"weighted", x.weighted},
                       {"weighted_ci_lo", x.weighted_ci_lo},
                       {"weighted_ci_hi", x.weighted_ci_hi},
                       {"refusal_rate", x.refusal_rate},
                       {"prompt_sensitivity", x.prompt_sensitivity},
                       {"order_flip_share", x.order_flip_share},
                       {"order_mean_abs_delta", x.order_mean_abs_delta},
                       {"paraphrase_flip_share", x.paraphrase_flip_share},
                       {"position_rates", x.position_rates},
                       {"label_mass", x.label_mass}});
    sink.append("scores", r);
  }
  for (const auto& x : s.reliability) {
    Row r = head(t);
    r.insert(r.end(), {{"instrument", x.instrument},
                       {"trait", trait_slug(x.trait)},
                       {"n_participants", x.n_participants},
                       {"n_items", x.n_items},
                       {"alpha_cronbach", x.alpha},
                       {"lambda6", x.lambda6},
                       {"omega", x.omega},
                       {"note", x.note}});
    sink.append("reliability", r);
  }
}

}  // namespace traitlab::cells
