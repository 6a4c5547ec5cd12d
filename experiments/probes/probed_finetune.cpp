#include "experiments/probes/probed_finetune.h"

#include "core/util/error.h"
#include "core/util/version.h"
#include "experiments/probes/trajectory_h5.h"
#include "finetune/train_h5_log.h"

namespace traitlab {

FinetuneOutcome run_finetune_with_trajectory(
    Checkpoint& ck, const FinetuneSpec& spec, const TrajectoryOutput& output,
    const std::vector<std::shared_ptr<TrainerHook>>& extra_hooks) {
  check_input(!output.probe || !output.h5_path.empty(),
              "--probe-every: the trait trajectory needs --out-h5");
  if (output.h5_path.empty()) return run_finetune(ck, spec, extra_hooks);
  spec.validate();  // before a file is created

  // The probe first: its instruments are checked before any file is created.
  std::shared_ptr<TraitProbeHook> probe;
  auto table = std::make_shared<std::unique_ptr<TrajectoryTable>>();
  if (output.probe) {
    auto on_rows = output.on_rows;
    probe = std::make_shared<TraitProbeHook>(ck, *output.probe,
                                             [table, on_rows](const std::vector<ProbeRow>& rows) {
                                               (*table)->append(rows);
                                               if (on_rows) on_rows(rows);
                                             });
  }
  auto log = std::make_shared<TrainH5Log>(output.h5_path, spec.resume);
  H5File& f = log->file();
  f.set_attr("traitlab_version", traitlab_version());
  f.set_attr("command", "finetune");
  f.set_attr("status", "running");
  if (!output.provenance.is_null()) f.set_attr_json("config", output.provenance);
  std::vector<std::shared_ptr<TrainerHook>> hooks = {log};
  if (probe) {
    *table = std::make_unique<TrajectoryTable>(f);
    probe->skip_steps((*table)->steps());
    f.set_attr_json("probe", {{"instruments", output.probe->instruments},
                              {"traits", output.probe->traits},
                              {"items_per_trait", output.probe->items_per_trait},
                              {"seed", output.probe->seed},
                              {"every", output.probe->every},
                              {"bootstrap", output.probe->bootstrap},
                              {"scoring", output.probe->scoring}});
    hooks.push_back(probe);
  }
  hooks.insert(hooks.end(), extra_hooks.begin(), extra_hooks.end());
  FinetuneOutcome out = run_finetune(ck, spec, hooks);
  f.set_attr("status", out.result.non_finite ? "stopped_non_finite"
                                             : (out.result.stopped ? "stopped" : "complete"));
  f.set_attr("steps", out.result.steps);
  f.flush();
  return out;
}

}  // namespace traitlab
