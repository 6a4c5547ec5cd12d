#include "experiments/cells/measure_config.h"

#include <algorithm>

#include "core/util/error.h"
#include "elicit/instruments/subset.h"
#include "elicit/techniques/fewshot.h"
#include "elicit/traits.h"

namespace traitlab::cells {

std::string builtin_instrument(const std::string& instrument) {
  if (instrument == "trait") return "trait-builtin";
  if (instrument == "likert") return "likert-builtin";
  throw InputError(str("instrument '", instrument, "' is not measured with items"));
}

MeasureSpec measure_spec_from_config(const config::Config& c, const std::string& instrument,
                                     uint64_t seed, bool chat) {
  MeasureSpec spec;
  const std::string bank = c.text("instrument.bank");
  Instrument inst = load_instrument(bank.empty() ? builtin_instrument(instrument) : bank);
  const auto traits_text = c.get_list("instrument.traits");
  if (!(traits_text.size() == 1 && traits_text[0] == "all")) {
    std::vector<Trait> keep;
    for (const auto& name : traits_text) {
      Trait t = parse_trait(name, "instrument.traits");
      if (inst.count(t)) keep.push_back(t);
    }
    if (keep.empty())
      c.fail("instrument.traits",
             str("instrument '", inst.name, "' has no items for these traits"));
    inst = select_traits(inst, keep);
  }
  // With few-shot cells in the run, their example items (drawn with the run
  // seed, as prepare_condition draws them) are measured by no cell, the
  // baseline included, so every cell answers the same items.
  const auto techniques = c.get_list("technique.name");
  if (std::find(techniques.begin(), techniques.end(), "fewshot") != techniques.end())
    inst = split_fewshot(inst, static_cast<int>(c.get_int("technique.fewshot_k")),
                         static_cast<uint64_t>(c.get_int("run.seed")))
               .measured;
  const int64_t max_items = c.get_int("instrument.max_items");
  if (max_items > 0) inst = first_n_per_trait(inst, static_cast<int>(max_items));
  const bool scenario = inst.kind == InstrumentKind::Scenario;
  spec.instruments.push_back(std::move(inst));

  const std::string mode = c.text("scoring.mode");
  if (mode != "auto") spec.scoring = parse_scoring_mode(mode, "scoring.mode");
  const std::string orders = c.text("scoring.orders");
  spec.orders = parse_order_spec(orders == "trait2" ? "trait" : orders, "scoring.orders");
  if (scenario) {
    for (int64_t t : c.get_int_list("instrument.templates")) spec.templates.push_back(int(t));
    spec.paraphrase_both = c.get_bool("instrument.paraphrase");
  }
  spec.chat = chat;
  spec.seed = seed;
  spec.scorer.batch_size = static_cast<int>(c.get_int("scoring.batch_size"));
  spec.scorer.option_packing =
      parse_option_packing(c.text("scoring.option_packing"), "scoring.option_packing");
  spec.scorer.loglik_norm = parse_loglik_norm(c.text("scoring.loglik_norm"), "scoring.loglik_norm");
  spec.scorer.n_samples = static_cast<int>(c.get_int("scoring.samples"));
  spec.bootstrap_resamples = static_cast<int>(c.get_int("scoring.bootstrap"));
  spec.validate();
  return spec;
}

}  // namespace traitlab::cells
