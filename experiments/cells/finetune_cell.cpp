#include "experiments/cells/finetune_cell.h"

#include <filesystem>
#include <ostream>

#include "core/util/error.h"
#include "elicit/instruments/instrument.h"
#include "elicit/techniques/persona.h"
#include "experiments/cells/measure_config.h"
#include "experiments/probes/trait_probe.h"
#include "finetune/finetune_run.h"

namespace traitlab::cells {

namespace {

// Every optimizer step as a row of train_steps.
class StepRows : public TrainerHook {
 public:
  explicit StepRows(runner::ResultSink& sink) : sink_(sink) {}
  void on_step(const StepMetrics& m, TrainerControl&) override {
    sink_.append("train_steps", {{"step", m.step},
                                 {"loss", m.loss},
                                 {"lr", m.lr},
                                 {"grad_norm", m.grad_norm},
                                 {"tokens", m.tokens},
                                 {"seconds", m.seconds},
                                 {"tokens_per_s", m.tokens_per_s},
                                 {"peak_mem_bytes", m.peak_mem_bytes}});
  }

 private:
  runner::ResultSink& sink_;
};

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (const auto& x : v) s += (s.empty() ? "" : ",") + x;
  return s;
}

}  // namespace

std::shared_ptr<TrainTarget> train_in_cell(Checkpoint& ck, const config::Config& c,
                                           const runner::Cell& cell, runner::ResultSink& sink,
                                           std::ostream* log) {
  namespace fs = std::filesystem;
  FinetuneSpec spec;
  spec.model_dir = cell.value("model");
  spec.data = c.text("finetune.data");
  spec.out_dir = c.text("output.path") + ".work/" + cell.id;
  std::error_code ec;
  fs::remove_all(spec.out_dir, ec);
  spec.method = c.text("finetune.method");
  spec.lora_rank = c.get_int("finetune.lora_rank");
  spec.full = spec.lora_rank == 0;
  spec.lora_alpha = c.get_double("finetune.lora_alpha");
  spec.optimizer = c.text("finetune.optimizer");
  spec.lr = c.get_double("finetune.learning_rate");
  spec.epochs = c.get_int("finetune.epochs");
  spec.max_steps = c.get_int("finetune.max_steps");
  spec.batch_size = c.get_int("finetune.batch_size");
  spec.beta = c.get_double("finetune.beta");
  spec.seed = cell.seed;
  spec.log_every = 0;
  spec.validate();

  ProbeSpec probe;
  const std::string bank = c.text("instrument.bank");
  probe.instruments = {bank.empty() ? "trait-builtin" : bank};
  const auto traits = c.get_list("instrument.traits");
  probe.traits = join(traits);
  probe.items_per_trait = static_cast<int>(c.get_int("finetune.probe_items"));
  probe.seed = cell.seed;
  probe.every = c.get_int("finetune.probe_every");
  probe.bootstrap = static_cast<int>(std::min<int64_t>(c.get_int("scoring.bootstrap"), 200));
  probe.batch_size = static_cast<int>(c.get_int("scoring.batch_size"));
  probe.scoring = c.text("scoring.mode");
  probe.option_packing = c.text("scoring.option_packing");
  probe.loglik_norm = c.text("scoring.loglik_norm");
  const PersonaBank personas = PersonaBank::load_markers(c.text("technique.markers"));
  probe.conditions = parse_probe_conditions(join(c.get_list("finetune.probe_conditions")), personas,
                                            "finetune.probe_conditions");
  auto probe_hook =
      std::make_shared<TraitProbeHook>(ck, probe, [&](const std::vector<ProbeRow>& rows) {
        for (const auto& r : rows) {
          sink.append("trait_trajectory", {{"step", r.step},
                                           {"condition", r.condition},
                                           {"instrument", r.instrument},
                                           {"trait", r.trait},
                                           {"score", r.score},
                                           {"ci_lo", r.ci_lo},
                                           {"ci_hi", r.ci_hi},
                                           {"weighted", r.weighted},
                                           {"refusal_rate", r.refusal_rate},
                                           {"n_items", r.n_items}});
        }
        if (log && !rows.empty())
          *log << "finetune cell " << cell.index << ": probed step " << rows.front().step << "\n";
      });
  auto outcome = run_finetune(ck, spec, {probe_hook, std::make_shared<StepRows>(sink)});
  check_input(!outcome.result.non_finite, "finetune cell ", cell.index, ": ",
              outcome.result.stop_reason, " (last good state in ", outcome.result.last_checkpoint,
              ")");
  return outcome.target;
}

}  // namespace traitlab::cells
