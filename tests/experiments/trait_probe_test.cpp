// The trait probe during fine-tuning: rows at step 0, every N and the end;
// the same rows for the same seed; no duplicate rows after a resume; and
// probing does not change the training run.
#include "experiments/probes/trait_probe.h"

#include <gtest/gtest.h>

#include <map>
#include <set>

#include "../finetune/finetune_test_util.h"
#include "cli_test_util.h"
#include "elicit/instruments/instrument.h"
#include "elicit/techniques/persona.h"
#include "experiments/probes/probed_finetune.h"
#include "experiments/probes/trajectory_h5.h"

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

const PersonaBank& bank() {
  static const PersonaBank b = PersonaBank::load(banks_dir());
  return b;
}

ProbeSpec small_probe(int64_t every) {
  ProbeSpec p;
  p.traits = "O,P";
  p.items_per_trait = 1;
  p.seed = 11;
  p.conditions = parse_probe_conditions("none,psychopathy:9", bank());
  p.every = every;
  p.bootstrap = 20;
  return p;
}

FinetuneSpec small_spec(const std::string& out) {
  FinetuneSpec s;
  s.model_dir = llama_tok_dir();
  s.data = ft_data("sft_pc.jsonl");
  s.out_dir = out;
  s.lora_rank = 4;
  s.lora_dropout = 0.2;  // training draws from torch's generator
  s.lr = 5e-2;
  s.batch_size = 2;
  s.seed = 7;
  s.log_every = 0;
  return s;
}

struct Table {
  std::vector<int64_t> step;
  std::vector<std::string> condition, trait;
  std::vector<double> score, weighted;
};

Table read_trajectory(const std::string& path) {
  H5File f = H5File::open(path);
  H5Table t = f.open_table("trait_trajectory");
  return {t.read_column_int64("step"), t.read_column_string("condition"),
          t.read_column_string("trait"), t.read_column_double("score"),
          t.read_column_double("weighted")};
}

TEST(TraitProbe, ParsesConditions) {
  const auto c = parse_probe_conditions("none, psychopathy:9,O:1+nar:9", bank());
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0].name, "none");
  EXPECT_EQ(c[0].persona, "");
  EXPECT_EQ(c[1].name, "psychopathy:9");
  EXPECT_NE(c[1].persona.find("extremely"), std::string::npos) << c[1].persona;
  EXPECT_EQ(c[2].name, "O:1+nar:9");
  for (const char* bad : {"psychopathy:10", "psychopathy", "foo:3", "none,none", "none,,O:2", "O:x",
                          "O:2+openness:3"}) {
    try {
      parse_probe_conditions(bad, bank());
      ADD_FAILURE() << "accepted " << bad;
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("--probe-conditions"), std::string::npos) << e.what();
    }
  }
}

TEST(TraitProbe, WritesStepZeroEveryNAndEndRows) {
  TempDir tmp("probe_a");
  Checkpoint ck = load_llama_tok();
  FinetuneSpec s = small_spec(tmp.sub("run"));
  s.max_steps = 3;
  TrajectoryOutput o;
  o.h5_path = tmp.sub("run.h5");
  o.probe = small_probe(2);
  run_finetune_with_trajectory(ck, s, o);
  const Table t = read_trajectory(o.h5_path);
  std::map<int64_t, int> per_step;
  for (int64_t st : t.step) ++per_step[st];
  // 2 conditions x 2 traits at steps 0, 2 and 3 (the end).
  EXPECT_EQ(per_step, (std::map<int64_t, int>{{0, 4}, {2, 4}, {3, 4}}));
  std::set<std::string> conds(t.condition.begin(), t.condition.end());
  EXPECT_EQ(conds, (std::set<std::string>{"none", "psychopathy:9"}));
  std::set<std::string> traits(t.trait.begin(), t.trait.end());
  EXPECT_EQ(traits, (std::set<std::string>{"Openness", "Psychopathy"}));
  for (size_t i = 0; i < t.score.size(); ++i) {
    EXPECT_TRUE(t.score[i] >= 0 && t.score[i] <= 100) << t.score[i];
    EXPECT_TRUE(t.weighted[i] >= 0 && t.weighted[i] <= 100) << t.weighted[i];
  }
  H5File f = H5File::open(o.h5_path);
  EXPECT_EQ(f.open_table("train_steps").size(), 3);
}

TEST(TraitProbe, SameSeedSameRowsAndTheSeedPicksTheItems) {
  Checkpoint ck = load_llama_tok();
  TraitProbeHook a(ck, small_probe(0), {});
  TraitProbeHook b(ck, small_probe(0), {});
  const auto ra = a.probe_now(0), rb = b.probe_now(0);
  ASSERT_EQ(ra.size(), 4u);
  ASSERT_EQ(rb.size(), ra.size());
  for (size_t i = 0; i < ra.size(); ++i) {
    EXPECT_EQ(ra[i].condition, rb[i].condition);
    EXPECT_EQ(ra[i].trait, rb[i].trait);
    EXPECT_EQ(ra[i].score, rb[i].score);
    EXPECT_EQ(ra[i].ci_lo, rb[i].ci_lo);
    EXPECT_EQ(ra[i].ci_hi, rb[i].ci_hi);
    EXPECT_EQ(ra[i].weighted, rb[i].weighted);
  }
  EXPECT_TRUE(a.probe_now(0).empty()) << "a recorded step is not measured again";
  ProbeSpec other = small_probe(0);
  other.items_per_trait = 3;
  other.seed = 12;
  TraitProbeHook c(ck, other, {});
  ProbeSpec other2 = other;
  other2.seed = 13;
  TraitProbeHook d(ck, other2, {});
  std::vector<std::string> ic, id;
  for (const auto& it : c.measure_spec().instruments[0].scenarios) ic.push_back(it.id);
  for (const auto& it : d.measure_spec().instruments[0].scenarios) id.push_back(it.id);
  EXPECT_NE(ic, id);
}

// Probing runs the model between steps: it must leave the run unchanged.
TEST(TraitProbe, ProbingDoesNotChangeTraining) {
  TempDir tmp("probe_b");
  FinetuneSpec s = small_spec(tmp.sub("plain"));
  s.max_steps = 3;
  Checkpoint ck1 = load_llama_tok();
  const auto plain = run_finetune(ck1, s).result.losses;
  s.out_dir = tmp.sub("probed");
  Checkpoint ck2 = load_llama_tok();
  TrajectoryOutput o;
  o.h5_path = tmp.sub("probed.h5");
  o.probe = small_probe(1);
  const auto probed = run_finetune_with_trajectory(ck2, s, o).result.losses;
  EXPECT_EQ(plain, probed);
}

// Killed after step 3's probe with the checkpoint at step 2: the resumed
// run replays step 3 without probing it again.
TEST(TraitProbe, ResumeDoesNotDuplicateRows) {
  TempDir tmp("probe_c");
  FinetuneSpec s = small_spec(tmp.sub("run"));
  s.max_steps = 4;
  s.save_every = 2;
  TrajectoryOutput o;
  o.h5_path = tmp.sub("run.h5");
  o.probe = small_probe(3);
  {
    Checkpoint ck = load_llama_tok();
    EXPECT_THROW(run_finetune_with_trajectory(ck, s, o, {std::make_shared<KillAtStep>(3)}), Killed);
  }
  Table t = read_trajectory(o.h5_path);
  EXPECT_EQ(std::set<int64_t>(t.step.begin(), t.step.end()), (std::set<int64_t>{0, 3}));
  const std::vector<double> step3_before(t.score.end() - 4, t.score.end());
  {
    Checkpoint ck = load_llama_tok();
    s.resume = true;
    int delivered = 0;
    o.on_rows = [&](const std::vector<ProbeRow>& r) { delivered += r.size(); };
    run_finetune_with_trajectory(ck, s, o);
    EXPECT_EQ(delivered, 4);  // only step 4
  }
  t = read_trajectory(o.h5_path);
  std::map<int64_t, int> per_step;
  for (int64_t st : t.step) ++per_step[st];
  EXPECT_EQ(per_step, (std::map<int64_t, int>{{0, 4}, {3, 4}, {4, 4}}));
  H5File f = H5File::open(o.h5_path);
  EXPECT_EQ(f.open_table("train_steps").read_column_int64("step"),
            (std::vector<int64_t>{1, 2, 3, 4}));
}

TEST(TraitProbe, NeedsAnOutputFile) {
  Checkpoint ck = load_llama_tok();
  TrajectoryOutput o;
  o.probe = small_probe(1);
  EXPECT_THROW(run_finetune_with_trajectory(ck, small_spec("/tmp/unused"), o), InputError);
}

}  // namespace
}  // namespace traitlab
