#pragma once
// Where the trainer's checkpoints live. A checkpoint is a directory
//   <out>/checkpoints/step-00000012/
//     adapter_config.json + adapter_model.safetensors   (LoRA)  or
//     config.json + model.safetensors                   (full fine-tuning)
//     optimizer.safetensors   optimizer moments (and GaLore projections),
//                             plus the torch CPU generator state "rng.torch_cpu"
//     trainer_state.json      step, data cursor (epoch, micro-batch), the run's
//                             settings (checked on resume), optimizer step counts,
//                             loss history
// built under a temporary name and renamed into place; then
// <out>/checkpoints/latest (the directory name) is replaced atomically. A
// kill at any moment leaves `latest` naming a complete checkpoint.
#include <string>

namespace traitlab {

constexpr int kTrainCheckpointVersion = 1;

// "" when out/checkpoints/latest does not exist.
std::string latest_checkpoint_dir(const std::string& out_dir);

}  // namespace traitlab
