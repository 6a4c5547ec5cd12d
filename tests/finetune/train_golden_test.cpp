// Whole training runs against TRL 1.16: SFTTrainer (full fine-tuning,
// grad accumulation, AdamW with decay groups, linear schedule, clipping) and
// DPOTrainer with a PEFT LoRA adapter (frozen initial adapter as reference).
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <iostream>

#include "core/io/safetensors.h"
#include "finetune/adamw.h"
#include "finetune/objectives.h"
#include "finetune/peft_io.h"
#include "finetune/trainer.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

TEST(FinetuneTrainGolden, SftFullMatchesTrl) {
  const auto& g = ft_goldens()["sft_train"];
  Checkpoint ck = load_llama_tok();
  TrainData data;
  data.sft =
      load_sft_jsonl(ft_data(g["data"].get<std::string>()), tokenize_context(ck), DataOptions{});
  FullTarget target(ck.model, false);
  AdamWOptions ao;
  ao.weight_decay = g["weight_decay"];
  AdamW opt(target.trainable(), ao);
  TrainerOptions o;
  o.method = Method::Sft;
  o.lr = g["lr"];
  o.max_steps = g["max_steps"];
  o.batch_size = g["batch_size"];
  o.grad_accum = g["grad_accum"];
  o.schedule = ScheduleKind::Linear;
  o.max_grad_norm = g["max_grad_norm"];
  o.shuffle = false;
  o.pad_id = 701;
  Trainer tr(target, opt, data, o);
  const TrainResult r = tr.run(false);
  ASSERT_EQ(r.losses.size(), 3u);
  const auto& micro = g["micro_losses"];
  for (size_t s = 0; s < 3; ++s) {
    const double want = micro[2 * s]["loss"].get<double>() + micro[2 * s + 1]["loss"].get<double>();
    EXPECT_NEAR(r.losses[s], want, 1e-4) << "step " << s + 1 << " loss; " << kRegen;
    if (std::getenv("TRAITLAB_PRINT_DIFFS"))
      std::cout << "[ diff ] SFT step " << s + 1 << " loss " << r.losses[s] << " vs TRL " << want
                << "\n";
  }
  const SafetensorsFile f = SafetensorsFile::open(ft_data("sft_final.safetensors"));
  double worst = 0;
  std::string where;
  for (const auto& [name, t] : ck.model->hf_state_dict()) {
    ASSERT_NE(f.find(name), nullptr) << name;
    const double d = (t.detach() - f.load(name)).abs().max().item<double>();
    if (d > worst) worst = d, where = name;
  }
  if (std::getenv("TRAITLAB_PRINT_DIFFS"))
    std::cout << "[ diff ] SFT final weights: max |diff| " << worst << " in " << where << "\n";
  EXPECT_LT(worst, 1e-4) << "final weights: max |diff| " << worst << " in " << where << "; "
                         << kRegen;
}

TEST(FinetuneTrainGolden, DpoLoraMatchesTrl) {
  const auto& g = ft_goldens()["dpo"];
  Checkpoint ck = load_llama_tok();
  TrainData data;
  data.pref = load_preference_jsonl(ft_data(g["data"].get<std::string>()), tokenize_context(ck),
                                    DataOptions{});
  auto lora = load_peft_adapter(ck.model, ft_data("dpo_init_adapter"));
  LoraTarget target(std::move(lora), "llama_tok");
  AdamW opt(target.trainable(), AdamWOptions{});
  TrainerOptions o;
  o.method = Method::Dpo;
  o.lr = g["lr"];
  o.max_steps = g["max_steps"];
  o.batch_size = g["batch_size"];
  o.grad_accum = g["grad_accum"];
  o.schedule = ScheduleKind::Constant;
  o.max_grad_norm = g["max_grad_norm"];
  o.beta = g["beta"];
  o.shuffle = false;
  o.pad_id = 701;
  Trainer tr(target, opt, data, o);
  const TrainResult r = tr.run(false);
  ASSERT_EQ(r.losses.size(), 3u);
  for (size_t s = 0; s < 3; ++s)
    EXPECT_NEAR(r.losses[s], g["steps"][s]["loss"].get<double>(), 1e-4)
        << "step " << s + 1 << " DPO loss; " << kRegen;
  if (std::getenv("TRAITLAB_PRINT_DIFFS"))
    for (size_t s = 0; s < 3; ++s)
      std::cout << "[ diff ] DPO step " << s + 1 << " loss " << r.losses[s] << " vs TRL "
                << g["steps"][s]["loss"].get<double>() << "\n";
  const SafetensorsFile f = SafetensorsFile::open(ft_data("dpo_final_adapter.safetensors"));
  const auto hf = hf_module_names(ck.model->config());
  for (const auto& m : target.lora().modules()) {
    const std::string base = "base_model.model." + hf.at(m);
    EXPECT_TRUE(all_close(target.lora().lora_a(m), f.load(base + ".lora_A.default.weight"), 1e-4,
                          m + " lora_A after 3 steps"));
    EXPECT_TRUE(all_close(target.lora().lora_b(m), f.load(base + ".lora_B.default.weight"), 1e-4,
                          m + " lora_B after 3 steps"));
  }
}

TEST(FinetuneObjectives, DpoLossFormula) {
  const torch::Tensor pc = torch::tensor({-10.0, -3.0}), pr = torch::tensor({-12.0, -2.0});
  const torch::Tensor rc = torch::tensor({-11.0, -3.5}), rr = torch::tensor({-11.0, -2.5});
  const DpoTerms t = dpo_loss(pc, pr, rc, rr, 0.1);
  // pair 0: (1) - (-1) = 2 -> -log sigmoid(0.2); pair 1: 0.5 - 0.5 = 0 -> log 2.
  EXPECT_NEAR(t.losses[0].item<double>(), std::log1p(std::exp(-0.2)), 1e-6);
  EXPECT_NEAR(t.losses[1].item<double>(), std::log(2.0), 1e-6);
  EXPECT_NEAR(t.chosen_rewards[0].item<double>(), 0.1, 1e-6);
  EXPECT_NEAR(t.rejected_rewards[0].item<double>(), -0.1, 1e-6);
}

}  // namespace
}  // namespace traitlab
