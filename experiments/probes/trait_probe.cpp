#include "experiments/probes/trait_probe.h"

#include <ATen/CPUGeneratorImpl.h>

#include <mutex>

#include "core/util/error.h"
#include "elicit/instruments/subset.h"
#include "elicit/measure/engine.h"
#include "elicit/techniques/persona.h"

namespace traitlab {

namespace {

std::vector<std::string> split(const std::string& s, char sep) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == sep) {
      out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  out.push_back(cur);
  return out;
}

// Keeps torch's default CPU generator as it was, so a probe never shifts
// the training run's random stream (LoRA dropout).
class GeneratorStateGuard {
 public:
  GeneratorStateGuard() : gen_(at::detail::getDefaultCPUGenerator()) {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    state_ = gen_.get_state();
  }
  ~GeneratorStateGuard() {
    std::lock_guard<std::mutex> lock(gen_.mutex());
    gen_.set_state(state_);
  }

 private:
  at::Generator gen_;
  at::Tensor state_;
};

}  // namespace

std::vector<ProbeCondition> parse_probe_conditions(const std::string& text, const PersonaBank& bank,
                                                   const std::string& where) {
  std::vector<ProbeCondition> out;
  for (const std::string& cond : split(text, ',')) {
    check_input(!cond.empty(), where, ": empty condition in '", text,
                "' (expected none or trait:level[+trait:level])");
    if (cond == "none") {
      out.push_back({cond, ""});
      continue;
    }
    PersonaProfile profile;
    for (const std::string& part : split(cond, '+')) {
      const auto colon = part.find(':');
      check_input(colon != std::string::npos, where, ": '", part,
                  "' is not trait:level (e.g. psychopathy:9) or none");
      const Trait t = parse_trait(part.substr(0, colon), where);
      int level = 0;
      try {
        size_t used = 0;
        level = std::stoi(part.substr(colon + 1), &used);
        check_input(used == part.size() - colon - 1, where, ": level in '", part,
                    "' is not an integer");
      } catch (const std::logic_error&) {
        throw InputError(str(where, ": level in '", part, "' is not an integer 1..9"));
      }
      check_input(level >= kPersonaMinLevel && level <= kPersonaMaxLevel, where, ": level ", level,
                  " in '", part, "' is outside 1..9");
      check_input(profile.emplace(trait_name(t), level).second, where, ": trait ", trait_name(t),
                  " given twice in '", cond, "'");
    }
    out.push_back({cond, persona_text(bank, profile)});
  }
  for (size_t i = 0; i < out.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      check_input(out[i].name != out[j].name, where, ": condition '", out[i].name, "' given twice");
  return out;
}

TraitProbeHook::TraitProbeHook(Checkpoint& ck, ProbeSpec spec, RowsFn on_rows)
    : ck_(ck), spec_(std::move(spec)), on_rows_(std::move(on_rows)) {
  check_input(!spec_.instruments.empty(), "--probe-instrument: give at least one");
  check_input(!spec_.conditions.empty(), "--probe-conditions: give at least one");
  check_input(spec_.items_per_trait >= 0, "--probe-items: must be >= 0");
  check_input(spec_.every >= 0, "--probe-every: must be >= 0");
  const auto traits = parse_traits(spec_.traits, "--probe-traits");
  for (const auto& name : spec_.instruments) {
    Instrument inst = load_instrument(name);
    if (spec_.traits != "all") {
      std::vector<Trait> keep;
      for (Trait t : traits)
        if (inst.count(t)) keep.push_back(t);
      check_input(!keep.empty(), "--probe-traits ", spec_.traits, ": instrument '", inst.name,
                  "' has no items for these traits");
      inst = select_traits(inst, keep);
    }
    if (spec_.items_per_trait > 0) inst = sample_per_trait(inst, spec_.items_per_trait, spec_.seed);
    mspec_.instruments.push_back(std::move(inst));
  }
  if (spec_.scoring != "auto")
    mspec_.scoring = parse_scoring_mode(spec_.scoring, "--probe-scoring");
  mspec_.orders = parse_order_spec("trait", "--probe-orders");
  mspec_.personas.clear();
  for (const auto& c : spec_.conditions) mspec_.personas.push_back(c.persona);
  mspec_.chat = ck_.chat.kind() != ChatFormatKind::Plain;
  mspec_.seed = spec_.seed;
  mspec_.scorer.batch_size = spec_.batch_size;
  mspec_.scorer.option_packing = parse_option_packing(spec_.option_packing, "option packing");
  mspec_.scorer.loglik_norm = parse_loglik_norm(spec_.loglik_norm, "loglik normalisation");
  mspec_.bootstrap_resamples = spec_.bootstrap;
  mspec_.validate();
}

void TraitProbeHook::skip_steps(const std::set<int64_t>& steps) {
  done_.insert(steps.begin(), steps.end());
}

std::vector<ProbeRow> TraitProbeHook::probe_now(int64_t step) {
  if (!done_.insert(step).second) return {};
  MeasureSummary summary;
  {
    GeneratorStateGuard keep_rng;
    torch::NoGradGuard ng;
    const bool was_training = ck_.model->is_training();
    ck_.model->eval();
    MeasureEngine engine(ck_, mspec_);
    MemorySink sink;
    summary = engine.run(sink);
    ck_.model->train(was_training);
  }
  std::vector<ProbeRow> rows;
  for (const ScoreRow& s : summary.scores) {
    ProbeRow r;
    r.step = step;
    r.condition = spec_.conditions.at(s.condition).name;
    r.instrument = s.instrument;
    r.trait = trait_name(s.trait);
    r.score = s.score;
    r.ci_lo = s.ci_lo;
    r.ci_hi = s.ci_hi;
    r.weighted = s.weighted;
    r.refusal_rate = s.refusal_rate;
    r.n_items = s.n_items;
    r.n_responses = s.n_responses;
    rows.push_back(std::move(r));
  }
  if (on_rows_) on_rows_(rows);
  return rows;
}

void TraitProbeHook::on_train_begin(int64_t step, int64_t, TrainerControl&) {
  if (step == 0) probe_now(0);
}

void TraitProbeHook::on_step(const StepMetrics& m, TrainerControl&) {
  if ((spec_.every > 0 && m.step % spec_.every == 0) || m.step == m.total_steps) probe_now(m.step);
}

void TraitProbeHook::on_train_end(int64_t step) { probe_now(step); }

}  // namespace traitlab
