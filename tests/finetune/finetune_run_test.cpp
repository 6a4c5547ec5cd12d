// run_finetune as a library call: the checkpoint is trained in place (LoRA
// active while the outcome lives), attention entropy reaches the hooks at
// step 0 / every M / the end, and the HDF5 training log continues on resume
// without duplicating a step.
#include "finetune/finetune_run.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "../experiments/cli_test_util.h"
#include "finetune/train_h5_log.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

struct Killed : std::runtime_error {
  Killed() : std::runtime_error("killed") {}
};

struct KillAtStep : TrainerHook {
  explicit KillAtStep(int64_t at) : at(at) {}
  void on_step(const StepMetrics& m, TrainerControl&) override {
    if (m.step == at) throw Killed();
  }
  int64_t at;
};

struct Recorder : TrainerHook {
  void on_train_begin(int64_t step, int64_t, TrainerControl&) override { begins.push_back(step); }
  void on_step(const StepMetrics& m, TrainerControl&) override { steps.push_back(m); }
  void on_attention_entropy(int64_t step, const std::vector<double>& v) override {
    entropy[step] = v;
  }
  void on_train_end(int64_t step) override { ends.push_back(step); }
  std::vector<int64_t> begins, ends;
  std::vector<StepMetrics> steps;
  std::map<int64_t, std::vector<double>> entropy;
};

FinetuneSpec small_spec(const std::string& out) {
  FinetuneSpec s;
  s.model_dir = llama_tok_dir();
  s.data = ft_data("sft_pc.jsonl");
  s.out_dir = out;
  s.lora_rank = 4;
  s.lora_alpha = 8;
  s.lr = 5e-2;
  s.max_steps = 3;
  s.batch_size = 2;
  s.seed = 7;
  s.log_every = 0;
  return s;
}

torch::Tensor logits(Checkpoint& ck) {
  ForwardArgs a;
  a.tokens = torch::tensor({{5, 9, 11, 3, 40}}, torch::kInt64);
  torch::NoGradGuard ng;
  return ck.model->forward(a);
}

TEST(RunFinetune, TrainsInPlaceAndReportsEntropyAtStartEveryMAndEnd) {
  TempDir tmp("ft_run_a");
  Checkpoint ck = load_llama_tok();
  const torch::Tensor base = logits(ck);
  FinetuneSpec s = small_spec(tmp.sub("run"));
  s.entropy_every = 2;
  s.entropy_rows = 2;
  s.entropy_max_length = 16;
  auto rec = std::make_shared<Recorder>();
  FinetuneOutcome out = run_finetune(ck, s, {rec});

  EXPECT_EQ(out.result.steps, 3);
  EXPECT_EQ(out.result.losses.size(), 3u);
  EXPECT_TRUE(
      std::filesystem::exists(std::filesystem::path(out.final_dir) / "adapter_config.json"));
  EXPECT_EQ(rec->begins, (std::vector<int64_t>{0}));
  EXPECT_EQ(rec->ends, (std::vector<int64_t>{3}));
  ASSERT_EQ(rec->entropy.size(), 3u);
  for (int64_t step : {0, 2, 3}) {
    ASSERT_TRUE(rec->entropy.count(step)) << "no entropy at step " << step;
    ASSERT_EQ(static_cast<int64_t>(rec->entropy[step].size()), ck.model->config().n_layer);
    for (double h : rec->entropy[step]) EXPECT_TRUE(h > 0 && h < std::log(16.0)) << h;
  }
  for (const StepMetrics& m : rec->steps) {
    EXPECT_GT(m.input_tokens, m.tokens);  // prompts are seen but not learned
    EXPECT_GT(m.peak_mem_bytes, 0);
    EXPECT_TRUE(std::isnan(m.mfu));  // no --peak-flops
  }
  // The tuned model is what ck now computes; dropping the target removes the adapter.
  const torch::Tensor tuned = logits(ck);
  EXPECT_GT((tuned - base).abs().max().item<double>(), 1e-4);
  out.target.reset();
  EXPECT_TRUE(torch::equal(logits(ck), base));
}

TEST(RunFinetune, BadSpecIsAnInputErrorNamingTheFlag) {
  Checkpoint ck = load_llama_tok();
  FinetuneSpec s = small_spec("/tmp/unused");
  s.lora_rank = 0;
  EXPECT_THROW(run_finetune(ck, s), InputError);
  s = small_spec("/tmp/unused");
  s.entropy_every = -1;
  try {
    run_finetune(ck, s);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("--entropy-every"), std::string::npos) << e.what();
  }
}

std::vector<int64_t> column(const std::string& path, const std::string& table) {
  H5File f = H5File::open(path);
  return f.open_table(table).read_column_int64("step");
}

// Killed after step 3 was logged but with the checkpoint at step 2: the
// resumed run replays step 3 and must not write it again.
TEST(TrainH5Log, ResumeContinuesTablesWithoutDuplicates) {
  TempDir tmp("ft_run_h5");
  const std::string h5 = tmp.sub("run.h5");
  FinetuneSpec s = small_spec(tmp.sub("run"));
  s.max_steps = 4;
  s.save_every = 2;
  s.entropy_every = 3;
  {
    Checkpoint ck = load_llama_tok();
    auto log = std::make_shared<TrainH5Log>(h5, false);
    EXPECT_THROW(run_finetune(ck, s, {log, std::make_shared<KillAtStep>(3)}), Killed);
  }
  EXPECT_EQ(column(h5, "train_steps"), (std::vector<int64_t>{1, 2, 3}));
  EXPECT_THROW(TrainH5Log(h5, false), InputError);  // exists, no resume
  {
    Checkpoint ck = load_llama_tok();
    s.resume = true;
    auto log = std::make_shared<TrainH5Log>(h5, true);
    const FinetuneOutcome out = run_finetune(ck, s, {log});
    EXPECT_EQ(out.result.resumed_from, 2);
  }
  EXPECT_EQ(column(h5, "train_steps"), (std::vector<int64_t>{1, 2, 3, 4}));
  const auto ent = column(h5, "attention_entropy");
  const int64_t n_layer = 2;
  EXPECT_EQ(static_cast<int64_t>(ent.size()), 3 * n_layer);  // steps 0, 3, 4
  for (int64_t step : {0, 3, 4})
    EXPECT_EQ(std::count(ent.begin(), ent.end(), step), n_layer) << "step " << step;
}

}  // namespace
}  // namespace traitlab
