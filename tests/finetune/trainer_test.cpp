// The training loop's guarantees: exact resume after a kill, NaN stop that
// keeps the last good checkpoint, early stopping, checkpoint pruning.
#include "finetune/trainer.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>

#include "finetune/adamw.h"
#include "finetune/galore.h"
#include "finetune/train_checkpoint.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;
namespace fs = std::filesystem;

struct Killed : std::runtime_error {
  Killed() : std::runtime_error("killed") {}
};

// Throws right after the checkpoint of step `at` is written, like a kill.
struct KillAfterCheckpoint : TrainerHook {
  explicit KillAfterCheckpoint(int64_t at) : at(at) {}
  void on_checkpoint(const std::string&, int64_t step) override {
    if (step == at) throw Killed();
  }
  int64_t at;
};

class FinetuneTrainer : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("traitlab_trainer_" + std::to_string(::getpid()));
    fs::remove_all(root_);
  }
  void TearDown() override { fs::remove_all(root_); }

  struct Run {
    Checkpoint ck;
    std::unique_ptr<TrainTarget> target;
    std::unique_ptr<Optimizer> opt;
    std::unique_ptr<Trainer> trainer;
  };

  // LoRA with dropout (so the RNG state matters) or full fine-tuning with GaLore.
  std::unique_ptr<Run> make(const std::string& out, bool full, int64_t save_every) {
    auto r = std::make_unique<Run>();
    r->ck = load_llama_tok();
    TrainData data;
    data.sft = load_sft_jsonl(ft_data("sft_pc.jsonl"), tokenize_context(r->ck), DataOptions{});
    if (full) {
      r->target = std::make_unique<FullTarget>(r->ck.model, false);
      GaLoreOptions g;
      g.rank = 2;
      g.update_interval = 2;
      g.weight_decay = 0.01;
      r->opt = std::make_unique<GaLoreAdamW>(r->target->trainable(), g);
    } else {
      LoraConfig c;
      c.r = 4;
      c.alpha = 8;
      c.dropout = 0.2;
      c.targets = {"q_proj", "v_proj", "down_proj"};
      r->target = std::make_unique<LoraTarget>(std::make_unique<LoraModel>(r->ck.model, c, 5), "x");
      r->opt = std::make_unique<AdamW>(r->target->trainable(), AdamWOptions{});
    }
    TrainerOptions o;
    o.lr = 5e-3;
    o.max_steps = 6;
    o.batch_size = 2;
    o.warmup_steps = 2;
    o.schedule = ScheduleKind::Cosine;
    o.seed = 99;
    o.shuffle = true;
    o.save_every = save_every;
    o.keep_checkpoints = 2;
    o.out_dir = out;
    o.pad_id = 701;
    o.eval_every = eval_every_;
    r->trainer = std::make_unique<Trainer>(*r->target, *r->opt, data, o);
    if (eval_every_ > 0) r->trainer->set_eval_data(data);
    return r;
  }

  static std::vector<torch::Tensor> weights(Run& r) {
    std::vector<torch::Tensor> out;
    for (const auto& p : r.opt->params()) out.push_back(p.param.detach().clone());
    return out;
  }

  void check_exact_resume(bool full) {
    auto straight = make((root_ / "a").string(), full, 0);
    const TrainResult ra = straight->trainer->run(false);
    ASSERT_EQ(ra.steps, 6);

    auto first = make((root_ / "b").string(), full, 1);
    first->trainer->add_hook(std::make_shared<KillAfterCheckpoint>(3));
    EXPECT_THROW(first->trainer->run(false), Killed);
    first.reset();
    // A half-written checkpoint from the kill must not confuse the resume.
    fs::create_directories(root_ / "b" / "checkpoints" / ".tmp-step-00000004-1");

    auto second = make((root_ / "b").string(), full, 1);
    EXPECT_EQ(second->trainer->resumable_step(), 3);
    const TrainResult rb = second->trainer->run(true);
    EXPECT_EQ(rb.resumed_from, 3);
    EXPECT_EQ(rb.steps, 6);
    ASSERT_EQ(rb.losses.size(), 3u);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(rb.losses[i], ra.losses[3 + i]) << "step " << 4 + i;
    const auto wa = weights(*straight), wb = weights(*second);
    ASSERT_EQ(wa.size(), wb.size());
    for (size_t i = 0; i < wa.size(); ++i)
      EXPECT_TRUE(torch::equal(wa[i], wb[i]))
          << straight->opt->params()[i].name << " differs after resume";
    // Only the newest keep_checkpoints remain.
    int n = 0;
    for (const auto& e : fs::directory_iterator(root_ / "b" / "checkpoints"))
      n += e.path().filename().string().rfind("step-", 0) == 0;
    EXPECT_EQ(n, 2);
  }

  fs::path root_;
  int64_t eval_every_ = 0;
};

TEST_F(FinetuneTrainer, LoraResumesExactlyAfterKill) { check_exact_resume(false); }

TEST_F(FinetuneTrainer, GaLoreFullResumesExactlyAfterKill) { check_exact_resume(true); }

TEST_F(FinetuneTrainer, ResumeWithOtherSettingsIsAnInputError) {
  auto a = make((root_ / "c").string(), false, 1);
  a->trainer->add_hook(std::make_shared<KillAfterCheckpoint>(2));
  EXPECT_THROW(a->trainer->run(false), Killed);
  a.reset();
  auto b = make((root_ / "c").string(), true, 1);  // full instead of LoRA
  try {
    b->trainer->run(true);
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("target"), std::string::npos) << e.what();
  }
}

// Corrupts the adapter after step 3 (no checkpoint at 3): step 4's loss is
// NaN, the run stops, and the checkpoint of step 2 stays the latest.
struct Corrupt : TrainerHook {
  explicit Corrupt(Optimizer& o) : opt(o) {}
  void on_step(const StepMetrics& m, TrainerControl&) override {
    if (m.step != 3) return;
    torch::NoGradGuard ng;
    for (const auto& p : opt.params()) p.param.fill_(std::nan(""));
  }
  Optimizer& opt;
};

TEST_F(FinetuneTrainer, NanStopsAndKeepsLastGoodCheckpoint) {
  auto r = make((root_ / "d").string(), false, 2);
  r->trainer->add_hook(std::make_shared<Corrupt>(*r->opt));
  const TrainResult res = r->trainer->run(false);
  EXPECT_TRUE(res.stopped);
  EXPECT_TRUE(res.non_finite);
  EXPECT_EQ(res.steps, 3);
  EXPECT_NE(res.stop_reason.find("not finite"), std::string::npos) << res.stop_reason;
  EXPECT_EQ(res.last_checkpoint, latest_checkpoint_dir((root_ / "d").string()));
  EXPECT_NE(res.last_checkpoint.find("step-00000002"), std::string::npos) << res.last_checkpoint;
  // The kept checkpoint is finite and resumable.
  auto again = make((root_ / "d").string(), false, 2);
  EXPECT_EQ(again->trainer->resumable_step(), 2);
  const TrainResult r2 = again->trainer->run(true);
  EXPECT_EQ(r2.steps, 6);
  for (double l : r2.losses) EXPECT_TRUE(std::isfinite(l));
}

TEST_F(FinetuneTrainer, EarlyStoppingStopsOnStalledEvalLoss) {
  eval_every_ = 1;
  auto r = make((root_ / "e").string(), false, 0);
  // min_delta so large that no evaluation counts as an improvement: the
  // first sets the best, the next two are "bad", patience 2 stops at step 3.
  r->trainer->add_hook(std::make_shared<EarlyStopping>(2, 1e9));
  const TrainResult res = r->trainer->run(false);
  EXPECT_TRUE(res.stopped);
  EXPECT_FALSE(res.non_finite);
  EXPECT_EQ(res.steps, 3);
  EXPECT_NE(res.stop_reason.find("early stop"), std::string::npos) << res.stop_reason;
  EXPECT_NE(res.last_checkpoint.find("step-00000003"), std::string::npos) << res.last_checkpoint;
}

}  // namespace
}  // namespace traitlab
