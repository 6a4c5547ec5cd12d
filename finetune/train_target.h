#pragma once
// What a training run changes: a LoRA adapter on a frozen base, or the full
// model. The trainer only sees this interface: the trainable parameters,
// the DPO reference (the frozen initial model), and how the trained weights
// are written to and restored from a checkpoint directory.
#include <memory>
#include <string>
#include <vector>

#include "core/model/decoder.h"
#include "finetune/batch.h"
#include "finetune/lora.h"
#include "finetune/optimizer.h"

namespace traitlab {

class TrainTarget {
 public:
  virtual ~TrainTarget() = default;
  virtual DecoderModel& model() = 0;
  virtual std::vector<NamedParam> trainable() = 0;
  // Per-sequence log-probs under the frozen reference, no gradient.
  virtual torch::Tensor reference_logps(const TokenBatch& batch) = 0;
  virtual void set_training(bool training) = 0;
  // Writes the trained weights into dir (the final format: PEFT adapter or
  // config.json + model.safetensors); load restores them from such a dir.
  virtual void save(const std::string& dir) const = 0;
  virtual void load(const std::string& dir) = 0;
  virtual std::string kind() const = 0;  // "lora" | "full"
};

class LoraTarget : public TrainTarget {
 public:
  // `base_name` is recorded as base_model_name_or_path in adapter_config.json.
  LoraTarget(std::unique_ptr<LoraModel> lora, std::string base_name);
  DecoderModel& model() override { return lora_->model(); }
  std::vector<NamedParam> trainable() override;
  torch::Tensor reference_logps(const TokenBatch& batch) override;
  void set_training(bool training) override;
  void save(const std::string& dir) const override;
  void load(const std::string& dir) override;
  std::string kind() const override { return "lora"; }
  LoraModel& lora() { return *lora_; }

 private:
  std::unique_ptr<LoraModel> lora_;
  std::string base_name_;
};

class FullTarget : public TrainTarget {
 public:
  // with_reference: keep a frozen copy of the initial weights (DPO).
  FullTarget(DecoderModel model, bool with_reference);
  DecoderModel& model() override { return model_; }
  std::vector<NamedParam> trainable() override;
  torch::Tensor reference_logps(const TokenBatch& batch) override;
  void set_training(bool training) override;
  void save(const std::string& dir) const override;
  void load(const std::string& dir) override;
  std::string kind() const override { return "full"; }

 private:
  DecoderModel model_;
  DecoderModel ref_{nullptr};
};

// A deep copy of a model's parameters into a new module (same config, dtype, device).
DecoderModel clone_model(DecoderModel& model);

}  // namespace traitlab
