// LoRA adapters: the forward term, targets, merging, PEFT-format I/O, and
// agreement with PEFT (an adapter PEFT saved, logits PEFT computed from an
// adapter traitlab saved).
#include "finetune/lora.h"

#include <ATen/CPUGeneratorImpl.h>
#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "core/io/safetensors.h"
#include "core/model/linear.h"
#include "core/util/error.h"
#include "finetune/batch.h"
#include "finetune/objectives.h"
#include "finetune/peft_io.h"
#include "finetune/train_target.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;
namespace fs = std::filesystem;

torch::Tensor logits_of(DecoderModel& m, const torch::Tensor& ids) {
  torch::NoGradGuard ng;
  ForwardArgs a;
  a.tokens = ids;
  return m->forward(a);
}

void randomise_b(LoraModel& l, uint64_t seed) {
  auto gen = at::detail::createCPUGenerator(seed);
  torch::NoGradGuard ng;
  for (const auto& m : l.modules()) {
    torch::Tensor b = l.lora_b(m);
    b.normal_(0.0, 0.05, gen);
  }
}

TEST(FinetuneLora, AdapterAddsScaledLowRankTerm) {
  Checkpoint ck = load_llama_tok();
  LoraConfig c;
  c.r = 3;
  c.alpha = 6;
  c.targets = {"layers.0.self_attn.q_proj"};
  LoraModel l(ck.model, c, 1);
  randomise_b(l, 2);
  const std::string m = "layers.0.self_attn.q_proj";
  ASSERT_EQ(l.modules(), std::vector<std::string>{m});
  const torch::Tensor a = l.lora_a(m);
  const int64_t in = a.size(1);
  EXPECT_LE(a.abs().max().item<double>(), 1.0 / std::sqrt(double(in)) + 1e-7) << "kaiming bound";
  // A projection's output with the adapter minus without it = s * x A^T B^T.
  const torch::Tensor x = torch::randn({2, 5, in});
  auto params = ck.model->named_parameters();
  const torch::Tensor w = params[m + ".weight"];
  const torch::Tensor want = torch::matmul(torch::matmul(x, a.t()), l.lora_b(m).t()) * 2.0;
  auto mods = ck.model->named_modules();
  auto proj = std::dynamic_pointer_cast<ProjectionImpl>(mods[m]);
  ASSERT_TRUE(proj) << "no projection module " << m;
  {
    torch::NoGradGuard ng;
    const torch::Tensor delta = proj->forward(x) - torch::nn::functional::linear(x, w);
    EXPECT_TRUE(all_close(delta, want, 1e-5, "adapter term"));
  }
  // Through the whole model: merged weights give the same logits.
  const torch::Tensor ids = torch::tensor({{700, 5, 17, 99, 300, 42}}, torch::kInt64);
  const torch::Tensor with = logits_of(ck.model, ids);
  l.set_mode(LoraModel::Mode::Off);
  const torch::Tensor base = logits_of(ck.model, ids);
  EXPECT_GT((with - base).abs().max().item<double>(), 1e-4) << "the adapter changes nothing";
  l.set_mode(LoraModel::Mode::Train);
  l.merge_into_base();
  EXPECT_TRUE(all_close(logits_of(ck.model, ids), with, 1e-4, "merged vs adapter logits"));
}

TEST(FinetuneLora, TargetsMatchingNothingListValidNames) {
  Checkpoint ck = load_llama_tok();
  LoraConfig c;
  c.targets = {"query_key_value"};
  try {
    LoraModel l(ck.model, c, 1);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("query_key_value"), std::string::npos) << msg;
    EXPECT_NE(msg.find("q_proj"), std::string::npos) << msg;
    EXPECT_NE(msg.find("down_proj"), std::string::npos) << msg;
  }
  const auto all = match_lora_targets(ck.model->projection_names(), {"all-linear"});
  EXPECT_EQ(all.size(), 2u * 7u) << "7 projections per layer, lm_head excluded";
}

TEST(FinetuneLora, RsLoraScaling) {
  LoraConfig c;
  c.r = 16;
  c.alpha = 8;
  EXPECT_DOUBLE_EQ(c.scaling(), 0.5);
  c.rslora = true;
  EXPECT_DOUBLE_EQ(c.scaling(), 2.0);
}

TEST(FinetunePeftIo, SaveLoadRoundTrip) {
  Checkpoint ck = load_llama_tok();
  LoraConfig c;
  c.r = 2;
  c.alpha = 5;
  c.targets = {"v_proj", "mlp.down_proj"};
  c.rslora = true;
  auto l = std::make_unique<LoraModel>(ck.model, c, 11);
  randomise_b(*l, 12);
  const fs::path dir =
      fs::temp_directory_path() / ("traitlab_peft_rt_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  save_peft_adapter(*l, dir.string(), "base");
  const SafetensorsFile f = SafetensorsFile::open((dir / "adapter_model.safetensors").string());
  EXPECT_NE(f.find("base_model.model.model.layers.1.mlp.down_proj.lora_B.weight"), nullptr);
  EXPECT_NE(f.find("base_model.model.model.layers.0.self_attn.v_proj.lora_A.weight"), nullptr);
  std::vector<std::pair<std::string, std::pair<torch::Tensor, torch::Tensor>>> before;
  for (const auto& m : l->modules())
    before.push_back({m, {l->lora_a(m).clone(), l->lora_b(m).clone()}});
  l.reset();
  Checkpoint ck2 = load_llama_tok();
  auto back = load_peft_adapter(ck2.model, dir.string());
  EXPECT_EQ(back->config().r, 2);
  EXPECT_DOUBLE_EQ(back->config().alpha, 5);
  EXPECT_TRUE(back->config().rslora);
  ASSERT_EQ(back->modules().size(), before.size());
  for (const auto& [m, ab] : before) {
    EXPECT_TRUE(torch::equal(back->lora_a(m), ab.first)) << m;
    EXPECT_TRUE(torch::equal(back->lora_b(m), ab.second)) << m;
  }
  EXPECT_FALSE(back->reference_is_base()) << "a loaded non-zero adapter is its own reference";
  fs::remove_all(dir);
}

TEST(FinetunePeftIo, UnsupportedConfigNamesTheKey) {
  const fs::path dir =
      fs::temp_directory_path() / ("traitlab_peft_bad_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "adapter_config.json")
      << R"({"peft_type":"LORA","r":4,"lora_alpha":8,"use_dora":true,"target_modules":["q_proj"]})";
  try {
    read_peft_config(dir.string());
    FAIL();
  } catch (const UnsupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("use_dora"), std::string::npos) << e.what();
  }
  fs::remove_all(dir);
}

// An adapter saved by PEFT, read by traitlab: per-sequence log-probs equal
// what PEFT computed (adapter on) and the base (adapter off).
TEST(FinetunePeftIo, PeftSavedAdapterGivesPeftLogprobs) {
  Checkpoint ck = load_llama_tok();
  auto lora = load_peft_adapter(ck.model, ft_data("dpo_init_adapter"));
  const auto& g = ft_goldens()["dpo"];
  for (size_t i = 0; i < 2; ++i) {
    const auto& row = g["rows"][i];
    std::vector<PreferenceExample> d = {
        {ids_of(row["prompt_ids"]), ids_of(row["chosen_ids"]), ids_of(row["rejected_ids"])}};
    const TokenBatch b = collate_preference(d, {0}, 0);
    torch::NoGradGuard ng;
    const torch::Tensor pol = sequence_logps(lora->model(), b);
    lora->set_mode(LoraModel::Mode::Off);
    const torch::Tensor base = sequence_logps(lora->model(), b);
    lora->set_mode(LoraModel::Mode::Train);
    const auto& w = g["first_batch_logps"][i];
    // Sums of ~20-40 float32 log-probs of size ~5: 1e-4 relative.
    EXPECT_NEAR(pol[0].item<double>(), w["policy_chosen"].get<double>(), 2e-3) << kRegen;
    EXPECT_NEAR(pol[1].item<double>(), w["policy_rejected"].get<double>(), 2e-3) << kRegen;
    EXPECT_NEAR(base[0].item<double>(), w["base_chosen"].get<double>(), 2e-3) << kRegen;
    EXPECT_NEAR(base[1].item<double>(), w["base_rejected"].get<double>(), 2e-3) << kRegen;
  }
}

std::unique_ptr<LoraModel> make_peft_check_adapter(DecoderModel model) {
  LoraConfig c;
  c.r = 4;
  c.alpha = 8;
  c.targets = {"all-linear"};
  c.rslora = true;
  auto l = std::make_unique<LoraModel>(model, c, 21);
  randomise_b(*l, 22);
  return l;
}

// Writes tests/data/finetune/traitlab_adapter/ for the golden script's
// --peft-check (only with TRAITLAB_WRITE_GOLDENS=1).
TEST(FinetunePeftIo, WriteTraitlabAdapterForPeft) {
  if (!std::getenv("TRAITLAB_WRITE_GOLDENS")) GTEST_SKIP() << "set TRAITLAB_WRITE_GOLDENS=1";
  Checkpoint ck = load_llama_tok();
  auto l = make_peft_check_adapter(ck.model);
  save_peft_adapter(*l, ft_data("traitlab_adapter"), "tests/data/models/llama_tok");
}

// PEFT loaded the adapter traitlab saved and computed logits: traitlab's
// logits from the same adapter (and after merging) must equal them.
TEST(FinetunePeftIo, PeftLogitsFromTraitlabAdapter) {
  Checkpoint ck = load_llama_tok();
  auto l = load_peft_adapter(ck.model, ft_data("traitlab_adapter"));
  // The committed adapter is the one this code writes.
  Checkpoint ck2 = load_llama_tok();
  auto fresh = make_peft_check_adapter(ck2.model);
  for (const auto& m : fresh->modules()) {
    EXPECT_TRUE(torch::equal(fresh->lora_a(m), l->lora_a(m))) << m;
    EXPECT_TRUE(torch::equal(fresh->lora_b(m), l->lora_b(m))) << m;
  }
  const SafetensorsFile f = SafetensorsFile::open(ft_data("peft_logits.safetensors"));
  const torch::Tensor ids = f.load("input_ids").to(torch::kInt64);
  const torch::Tensor got = logits_of(l->model(), ids);
  EXPECT_TRUE(all_close(got, f.load("logits"), 1e-4, "logits vs PEFT"));
  l->merge_into_base();
  EXPECT_TRUE(all_close(logits_of(ck.model, ids), f.load("merged_logits"), 1e-4,
                        "merged logits vs PEFT merge_and_unload"));
}

}  // namespace
}  // namespace traitlab
