// traitlab finetune: SFT or DPO with a LoRA adapter or on the full model
// (AdamW or GaLore), checkpoints that resume exactly, TRL/PEFT-compatible
// data and adapters (docs/finetune.md). With --out-h5 the run's trajectory
// (per-step log, attention entropy, trait probes) goes to an HDF5 file.
// The work is finetune/finetune_run.h and experiments/probes/; this file
// only turns flags into their specs.
#include <iostream>
#include <sstream>

#include "core/util/error.h"
#include "elicit/instruments/instrument.h"
#include "elicit/techniques/persona.h"
#include "experiments/cli/command.h"
#include "experiments/cli/common_options.h"
#include "experiments/cli/finetune_options.h"
#include "experiments/probes/probed_finetune.h"

namespace traitlab::cli {

namespace {

std::optional<ProbeSpec> probe_spec(const FinetuneOptions& fo) {
  if (fo.probe_every <= 0) return std::nullopt;
  ProbeSpec p;
  p.instruments = split_commas(fo.probe_instrument);
  p.traits = fo.probe_traits;
  p.items_per_trait = fo.probe_items;
  p.seed = fo.probe_seed;
  p.conditions = parse_probe_conditions(fo.probe_conditions, PersonaBank::load(banks_dir()));
  p.every = fo.probe_every;
  p.bootstrap = fo.probe_bootstrap;
  p.batch_size = fo.probe_batch_size;
  return p;
}

void print_probe(const std::vector<ProbeRow>& rows) {
  std::ostringstream s;
  s.precision(3);
  for (const ProbeRow& r : rows)
    s << "probe step " << r.step << "  " << r.condition << "  " << r.trait << "  " << r.score
      << " [" << r.ci_lo << ", " << r.ci_hi << "]  n=" << r.n_items << "\n";
  std::cerr << s.str() << std::flush;
}

int run_finetune_command(int argc, char** argv) {
  FinetuneOptions fo;
  po::options_description desc("Options");
  add_finetune_options(desc, fo);
  po::variables_map vm;
  if (!parse_command(argc, argv, desc, {},
                     "traitlab finetune --model DIR --data FILE --method sft|dpo "
                     "(--lora-rank R | --full) --out DIR [--out-h5 run.h5 --probe-every N] "
                     "[options]",
                     vm))
    return 0;
  validate_finetune_options(fo, vm);
  TrajectoryOutput traj;
  traj.h5_path = fo.out_h5;
  traj.probe = probe_spec(fo);  // instruments and personas checked before the model loads
  if (traj.probe && fo.spec.log_every > 0) traj.on_rows = print_probe;
  traj.provenance = {{"command_line", quoted_command_line("finetune", argc, argv)},
                     {"finetune", fo.spec.to_json()}};

  Checkpoint ck = load_model_from_options(fo.mo);
  const FinetuneOutcome out = run_finetune_with_trajectory(ck, fo.spec, traj);
  const TrainResult& res = out.result;
  if (res.non_finite) {
    std::cerr << "traitlab finetune: stopped: " << res.stop_reason << "; the last good state is in "
              << res.last_checkpoint << "\n";
    return 1;
  }
  if (res.stopped) std::cerr << "stopped: " << res.stop_reason << "\n";
  std::cerr << "wrote " << out.final_dir << (fo.out_h5.empty() ? "" : " and " + fo.out_h5) << "\n";
  return 0;
}

}  // namespace

TRAITLAB_COMMAND(finetune, "Fine-tune a model (SFT or DPO; LoRA, full, GaLore)",
                 run_finetune_command);

}  // namespace traitlab::cli
