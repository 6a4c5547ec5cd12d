// Trait vectors from contrastive persona runs and the steering condition:
// agreement with the Python reference, alpha = 0 is exact, a planted
// direction moves the projection by alpha |v|, and bad input.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/model/installed_hooks.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "elicit/elicitation/condition.h"
#include "elicit/elicitation/trait_vector.h"
#include "elicit/instruments/instrument.h"
#include "tests/core/ops_test_util.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

constexpr const char* kRegen =
    "regenerate with /work/venv/bin/python tools/goldens/make_persona_vector_goldens.py";

Checkpoint& tok_model() {
  static Checkpoint ck = load_checkpoint(testing::llama_tok_dir());
  return ck;
}

torch::Tensor logprobs(Checkpoint& ck, const std::vector<int64_t>& ids,
                       const HookSet* h = nullptr) {
  torch::NoGradGuard ng;
  ForwardArgs a;
  a.tokens = torch::tensor(ids).view({1, -1});
  a.hooks = h;
  return torch::log_softmax(ck.model->forward(a)[0], -1);
}

std::string expect_input_error(const std::function<void()>& fn) {
  try {
    fn();
  } catch (const InputError& e) {
    return e.what();
  }
  ADD_FAILURE() << "expected an InputError";
  return "";
}

TEST(ElicitVector, PersonaVectorMatchesPythonReference) {
  Checkpoint& ck = tok_model();
  const auto g =
      read_json_file(std::string(TRAITLAB_TEST_DATA) + "/elicit/persona_vector_goldens.json");
  ASSERT_EQ(g.value("format_version", 0), 1) << kRegen;
  const PersonaBank bank = PersonaBank::load(banks_dir());
  auto questions = load_interview_questions();
  questions.resize(g["question_ids"].size());
  TraitVectorSpec spec;
  spec.chat = true;
  std::vector<ContrastiveSample> sets[2];
  int i = 0;
  for (const char* pole : {"high", "low"}) {
    const auto& gp = g[pole];
    const int level = gp["level"].get<int>();
    EXPECT_EQ(persona_text(bank, {{"Openness", level}}), gp["persona"].get<std::string>())
        << kRegen;
    const auto prompts = contrastive_prompts(ck, bank, Trait::Openness, level, questions, spec);
    ASSERT_EQ(prompts.size(), gp["samples"].size());
    for (size_t q = 0; q < prompts.size(); ++q) {
      const auto& gs = gp["samples"][q];
      ASSERT_EQ(prompts[q], gs["prompt"].get<std::string>()) << pole << " " << q;
      ContrastiveSample s = contrastive_sample(ck, prompts[q], gs["response"].get<std::string>());
      ASSERT_EQ(s.tokens, gs["tokens"].get<std::vector<int32_t>>()) << pole << " " << q;
      ASSERT_EQ(s.response_mask, gs["response_mask"].get<std::vector<uint8_t>>());
      sets[i].push_back(s);
    }
    ++i;
  }
  SteeringVector v = compute_persona_vector(ck.model, sets[0], sets[1], "Openness");
  std::vector<float> flat;
  for (const auto& row : g["vector"])
    for (const auto& x : row) flat.push_back(x.get<float>());
  torch::Tensor ref = torch::tensor(flat).view({v.n_layer(), v.hidden()});
  torch::Tensor diff = (v.vectors - ref).abs();
  const int64_t at = diff.argmax().item<int64_t>();
  EXPECT_LT(diff.max().item<float>(), 1e-4) << "largest difference at flat index " << at
                                            << " (layer " << at / v.hidden() << "); " << kRegen;
  EXPECT_GT(v.vectors.norm().item<float>(), 0.1f);  // not trivially zero
}

// A vectors file holding `v` for Openness, for the condition to load.
std::string vectors_file(const testing::TempDir& tmp, const torch::Tensor& per_layer) {
  const std::string path = tmp.sub("vectors.h5");
  SteeringVector v;
  v.trait = "Openness";
  v.vectors = per_layer;
  save_steering_vector(path, "openness", v, /*overwrite=*/true);
  return path;
}

ElicitSpec steer_spec(const std::string& file, double alpha, int level = 9) {
  ElicitSpec s;
  s.technique = "steer";
  s.profile = {{Trait::Openness, level}};
  s.alpha = alpha;
  s.layer = 0;
  s.vectors_file = file;
  return s;
}

TEST(ElicitVector, AlphaZeroReproducesUnsteeredLogprobsExactly) {
  Checkpoint& ck = tok_model();
  testing::TempDir tmp("elicit_alpha0");
  const auto cfg = ck.model->config();
  torch::manual_seed(3);
  const std::string file = vectors_file(tmp, torch::randn({cfg.n_layer, cfg.hidden_size}));
  const std::vector<int64_t> ids = {700, 5, 17, 99, 250, 3, 41};
  const torch::Tensor plain = logprobs(ck, ids);
  {
    ElicitCondition c = prepare_condition(ck, steer_spec(file, 0.0), false);
    EXPECT_EQ(c.point, "layers.0.resid_post");
    EXPECT_TRUE(torch::equal(logprobs(ck, ids), plain));
  }
  {
    // Level 5 maps any alpha to 0.
    ElicitCondition c = prepare_condition(ck, steer_spec(file, 6.0, 5), false);
    EXPECT_EQ(c.alpha_effective, 0.0);
    EXPECT_TRUE(torch::equal(logprobs(ck, ids), plain));
  }
  {
    ElicitCondition c = prepare_condition(ck, steer_spec(file, 6.0), false);
    EXPECT_GT((logprobs(ck, ids) - plain).abs().max().item<float>(), 1e-3);
  }
  // The guard is gone: unsteered again.
  EXPECT_TRUE(torch::equal(logprobs(ck, ids), plain));
}

TEST(ElicitVector, PlantedDirectionMovesProjectionByAlphaNorm) {
  Checkpoint& ck = tok_model();
  testing::TempDir tmp("elicit_planted");
  const auto cfg = ck.model->config();
  torch::manual_seed(11);
  torch::Tensor u = torch::randn({cfg.hidden_size});
  u = u / u.norm();
  torch::Tensor per_layer = torch::zeros({cfg.n_layer, cfg.hidden_size});
  per_layer[0] = 2.5 * u;  // |v| = 2.5 at layer 0
  const std::string file = vectors_file(tmp, per_layer);
  const std::vector<int64_t> ids = {700, 12, 13, 14, 200, 300};

  // Per-call hooks run after the installed ones: this monitor sees the
  // steered activation.
  auto projections = [&](const ElicitSpec* spec) {
    std::vector<torch::Tensor> seen;
    HookSet mon;
    mon.add("layers.0.resid_post", make_projection_monitor(u, &seen));
    ElicitCondition c;
    if (spec) c = prepare_condition(ck, *spec, false);
    logprobs(ck, ids, &mon);
    return seen.at(0);
  };
  const torch::Tensor p0 = projections(nullptr);
  for (double alpha : {-3.0, 2.0}) {
    ElicitSpec s = steer_spec(file, alpha);
    const torch::Tensor p = projections(&s);
    EXPECT_LT((p - p0 - alpha * 2.5).abs().max().item<float>(), 1e-4) << "alpha " << alpha;
  }
  // Level 3 with alpha 4: alpha_eff = 4 (3 - 5) / 4 = -2.
  ElicitSpec graded = steer_spec(file, 4.0, 3);
  EXPECT_LT((projections(&graded) - p0 + 2.0 * 2.5).abs().max().item<float>(), 1e-4);
  ElicitSpec ablate = steer_spec(file, 0.0);
  ablate.steer_op = "ablate";
  EXPECT_LT(projections(&ablate).abs().max().item<float>(), 1e-4);
  ElicitSpec ablate_add = steer_spec(file, 1.5);
  ablate_add.steer_op = "ablate_add";
  EXPECT_LT((projections(&ablate_add) - 1.5 * 2.5).abs().max().item<float>(), 1e-4);
}

TEST(ElicitVector, ComputedVectorIsSeededAndFitsTheModel) {
  Checkpoint& ck = tok_model();
  const PersonaBank bank = PersonaBank::load(banks_dir());
  TraitVectorSpec spec;
  spec.n_questions = 2;
  spec.max_new_tokens = 4;
  spec.temperature = 0.8;
  spec.seed = 9;
  SteeringVector a = compute_trait_vector(ck, bank, Trait::Extraversion, spec);
  SteeringVector b = compute_trait_vector(ck, bank, Trait::Extraversion, spec);
  EXPECT_EQ(a.n_layer(), ck.model->config().n_layer);
  EXPECT_EQ(a.hidden(), ck.model->config().hidden_size);
  EXPECT_TRUE(torch::equal(a.vectors, b.vectors));
  EXPECT_GT(a.vectors.norm().item<float>(), 0.0f);
}

TEST(ElicitVector, BadInputIsAnInputError) {
  Checkpoint& ck = tok_model();
  testing::TempDir tmp("elicit_bad");
  const auto cfg = ck.model->config();
  const std::string file = vectors_file(tmp, torch::ones({cfg.n_layer, cfg.hidden_size}));
  ElicitSpec s = steer_spec(file, 1.0);
  s.layer = 7;
  std::string msg = expect_input_error([&] { prepare_condition(ck, s, false); });
  EXPECT_NE(msg.find("unknown hook point 'layers.7.resid_post'"), std::string::npos) << msg;
  EXPECT_NE(msg.find("valid: layers.{0..1}.{resid_pre,attn_out,mlp_out,resid_post}"),
            std::string::npos)
      << msg;
  s = steer_spec(file, 1.0);
  s.hook = "layers.0.attn";
  msg = expect_input_error([&] { prepare_condition(ck, s, false); });
  EXPECT_NE(msg.find("valid"), std::string::npos) << msg;
  s = steer_spec(file, 1.0, 10);
  msg = expect_input_error([&] { prepare_condition(ck, s, false); });
  EXPECT_NE(msg.find("level 10 for Openness is outside 1..9"), std::string::npos) << msg;
  ElicitSpec p;
  p.technique = "persona";
  p.profile = {{Trait::Openness, 9}};
  p.alpha = 2.0;
  msg = expect_input_error([&] { prepare_condition(ck, p, false); });
  EXPECT_NE(msg.find("without a vector source"), std::string::npos) << msg;
  p.alpha = 0.0;
  p.technique = "hypnosis";
  msg = expect_input_error([&] { prepare_condition(ck, p, false); });
  EXPECT_NE(msg.find("unknown technique 'hypnosis'"), std::string::npos) << msg;
  ElicitSpec missing = steer_spec(tmp.sub("absent.h5"), 1.0);
  EXPECT_THROW(prepare_condition(ck, missing, false), InputError);
}

TEST(ElicitVector, InstalledHooksCanBeSuspended) {
  Checkpoint& ck = tok_model();
  const std::vector<int64_t> ids = {700, 1, 2, 3};
  const torch::Tensor plain = logprobs(ck, ids);
  HookSet h;
  h.add("layers.1.resid_post", [](const torch::Tensor& a, const HookContext&) { return a * 3; });
  auto guard = install_hooks(ck.model.get(), std::move(h));
  EXPECT_FALSE(torch::equal(logprobs(ck, ids), plain));
  {
    auto off = suspend_installed_hooks(ck.model.get());
    EXPECT_TRUE(torch::equal(logprobs(ck, ids), plain));
  }
  EXPECT_FALSE(torch::equal(logprobs(ck, ids), plain));
  guard.reset();
  EXPECT_TRUE(torch::equal(logprobs(ck, ids), plain));
}

}  // namespace
}  // namespace traitlab
