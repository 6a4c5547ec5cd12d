#include "elicit/measure/engine.h"

#include <algorithm>
#include <cmath>
#include <map>

#include "core/util/error.h"
#include "elicit/prompts/render_likert.h"
#include "elicit/prompts/render_scenario.h"
#include "elicit/stats/bootstrap.h"
#include "elicit/stats/trait_score.h"

namespace traitlab {

struct MeasureEngine::Context {
  size_t instrument = 0;
  size_t item = 0;
  int template_id = 1;
  bool paraphrase = false;
  Order order;  // scenario only
};

namespace {

// The identity order for cloze scoring: the option list is not shown, so
// every order gives the same prompt and one context per item suffices.
Order cloze_order() { return Order{{kHigh1, kHigh2, kLow1, kLow2}, "cloze"}; }

std::string scenario_code(const Order& o) {
  std::string s;
  for (int p = 0; p < kScenarioOptions; ++p) {
    s += (p ? "," : "") + std::string(scenario_option_name(o.positions[p]));
  }
  return s;
}

}  // namespace

MeasureEngine::MeasureEngine(Checkpoint& ck, MeasureSpec spec) : ck_(ck), spec_(std::move(spec)) {
  spec_.validate();
}

std::vector<MeasureEngine::Context> MeasureEngine::contexts(int64_t /*condition*/) const {
  std::vector<Context> out;
  for (size_t ii = 0; ii < spec_.instruments.size(); ++ii) {
    const Instrument& inst = spec_.instruments[ii];
    const auto templates = spec_.templates_for(inst.kind);
    const bool cloze = spec_.mode_for(inst.kind) == ScoringMode::Loglik;
    for (size_t k = 0; k < inst.size(); ++k) {
      for (int t : templates) {
        if (inst.kind == InstrumentKind::Likert) {
          out.push_back({ii, k, t, false, Order{}});
          continue;
        }
        const ScenarioItem& item = inst.scenarios[k];
        const auto orders = cloze ? std::vector<Order>{cloze_order()}
                                  : orders_for_item(spec_.orders, item, spec_.seed);
        for (int para = 0; para < (spec_.paraphrase_both && item.has_paraphrase() ? 2 : 1);
             ++para) {
          for (const auto& o : orders) out.push_back({ii, k, t, para == 1, o});
        }
      }
    }
  }
  return out;
}

int64_t MeasureEngine::contexts_per_condition() const {
  return static_cast<int64_t>(contexts(0).size());
}

int64_t MeasureEngine::total_contexts() const {
  return contexts_per_condition() * static_cast<int64_t>(spec_.personas.size());
}

void MeasureEngine::run_condition(int64_t condition, ResultsSink& sink, const Progress& progress) {
  check_input(condition >= 0 && condition < static_cast<int64_t>(spec_.personas.size()),
              "measure: condition ", condition, " does not exist");
  const std::string& persona = spec_.personas[condition];
  const auto ctxs = contexts(condition);
  std::map<ScoringMode, std::unique_ptr<Scorer>> scorers;
  const int64_t total = total_contexts();
  // Chunks of several batches: the scorer sorts each chunk by length, and
  // progress is reported per chunk.
  const size_t chunk = static_cast<size_t>(spec_.scorer.batch_size) * 4;
  for (size_t start = 0; start < ctxs.size();) {
    // A chunk holds contexts of one instrument (one scoring mode).
    size_t end = start;
    while (end < ctxs.size() && end - start < chunk &&
           ctxs[end].instrument == ctxs[start].instrument)
      ++end;
    const Instrument& inst = spec_.instruments[ctxs[start].instrument];
    const ScoringMode mode = spec_.mode_for(inst.kind);
    auto& scorer = scorers[mode];
    if (!scorer) scorer = make_scorer(mode, ck_, spec_.scorer);

    std::vector<Prompt> prompts;
    std::vector<uint64_t> seeds;
    for (size_t i = start; i < end; ++i) {
      const Context& c = ctxs[i];
      if (inst.kind == InstrumentKind::Scenario) {
        prompts.push_back(render_scenario(inst.scenarios[c.item], c.order, c.template_id,
                                          c.paraphrase, persona, ck_.chat, spec_.chat));
      } else {
        prompts.push_back(
            render_likert(inst.likert[c.item], c.template_id, persona, ck_.chat, spec_.chat));
      }
      const std::string id = inst.kind == InstrumentKind::Scenario ? inst.scenarios[c.item].id
                                                                   : inst.likert[c.item].id;
      seeds.push_back(stats::derive_seed(
          spec_.seed,
          str("generate/", condition, "/", inst.name, "/", trait_name(inst.trait_of(c.item)), "/",
              id, "/", c.template_id, "/", c.paraphrase, "/", c.order.name)));
    }
    std::vector<const Prompt*> ptrs;
    for (const auto& p : prompts) ptrs.push_back(&p);
    const auto scored = scorer->score(ptrs, seeds);

    std::vector<ResponseRow> rows;
    std::vector<GenerationRow> gens;
    for (size_t j = 0; j < scored.size(); ++j) {
      const Context& c = ctxs[start + j];
      const Prompt& p = prompts[j];
      const Scored& s = scored[j];
      ResponseRow r;
      r.id = next_id_++;
      r.condition = condition;
      r.instrument = inst.name;
      r.kind = inst.kind;
      r.template_id = c.template_id;
      r.paraphrase = c.paraphrase;
      r.scoring = scoring_mode_name(mode);
      r.order_name = p.order_name;
      const size_t k = p.labels.size();
      r.logprob.assign(k, NAN);
      r.logprob_norm.assign(k, NAN);
      r.prob.assign(k, NAN);
      for (size_t pos = 0; pos < k; ++pos) {
        const int canon = p.option_canonical_index[pos];
        r.logprob[canon] = s.logprob[pos];
        r.logprob_norm[canon] = s.logprob_norm[pos];
        r.prob[canon] = s.prob[pos];
        if (inst.kind == InstrumentKind::Likert) {
          r.order_code += (pos ? "," : "") + std::to_string(canon + 1);
        }
      }
      r.position = s.position;
      r.choice = s.position >= 0 ? p.option_canonical_index[s.position] : -1;
      r.refused = s.refused || s.position < 0;
      r.refusal_reason = s.refusal_reason;
      r.label_mass = s.label_mass;
      if (!s.samples.empty()) r.text = s.samples.front().text;
      if (inst.kind == InstrumentKind::Scenario) {
        const ScenarioItem& item = inst.scenarios[c.item];
        r.item_id = item.id;
        r.trait = item.trait;
        r.order_code = scenario_code(c.order);
        r.expected = r.expected_keyed = r.argmax_keyed = NAN;
      } else {
        const LikertItem& item = inst.likert[c.item];
        r.item_id = item.id;
        r.trait = item.trait;
        r.key = item.key;
        r.scale_points = item.scale_points;
        if (r.refused) {
          r.expected = r.expected_keyed = r.argmax_keyed = NAN;
        } else {
          // Clamped: a distribution peaked on an end point can land an ulp outside.
          r.expected = std::clamp(stats::expected_likert(r.prob, "likert item " + item.id), 1.0,
                                  static_cast<double>(item.scale_points));
          r.expected_keyed = stats::keyed_likert(r.expected, item.key, item.scale_points);
          r.argmax_keyed = stats::keyed_likert(r.choice + 1, item.key, item.scale_points);
        }
      }
      for (size_t si = 0; si < s.samples.size(); ++si) {
        const Sample& sm = s.samples[si];
        gens.push_back({r.id, static_cast<int>(si), sm.text,
                        sm.position >= 0 ? p.option_canonical_index[sm.position] : -1,
                        sm.refusal_reason});
      }
      rows.push_back(std::move(r));
    }
    sink.responses(rows);
    if (!gens.empty()) sink.generations(gens);
    rows_.insert(rows_.end(), rows.begin(), rows.end());
    done_ += static_cast<int64_t>(end - start);
    if (progress) progress(done_, total);
    start = end;
  }
  sink.condition_done(condition);
}

MeasureSummary MeasureEngine::run(ResultsSink& sink, const Progress& progress) {
  for (int64_t c = 0; c < static_cast<int64_t>(spec_.personas.size()); ++c) {
    run_condition(c, sink, progress);
  }
  MeasureSummary s = summarize(rows_, spec_);
  sink.summary(s);
  return s;
}

}  // namespace traitlab
