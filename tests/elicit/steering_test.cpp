#include "elicit/techniques/steering.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>

#include "core/io/hdf5_file.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

constexpr const char* kRegen =
    "regenerate with /work/venv/bin/python tools/goldens/make_steering_goldens.py";

torch::Tensor to_tensor(const nlohmann::json& j) {
  std::vector<float> flat;
  std::vector<int64_t> shape = {static_cast<int64_t>(j.size())};
  if (j[0].is_array()) {
    shape.push_back(static_cast<int64_t>(j[0].size()));
    for (const auto& row : j)
      for (const auto& x : row) flat.push_back(x.get<float>());
  } else {
    for (const auto& x : j) flat.push_back(x.get<float>());
  }
  return torch::tensor(flat).view(shape);
}

std::vector<ContrastiveSample> samples_of(const nlohmann::json& j) {
  std::vector<ContrastiveSample> out;
  for (const auto& s : j) {
    out.push_back(
        {s["tokens"].get<std::vector<int32_t>>(), s["response_mask"].get<std::vector<uint8_t>>()});
  }
  return out;
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

class Steering : public ::testing::Test {
 protected:
  void SetUp() override {
    model_ = load_model(testing::model_dir("llama_gqa"), torch::kCPU, torch::kFloat32);
    golden_ = read_json_file(std::string(TRAITLAB_TEST_DATA) + "/elicit/steering_goldens.json");
    ASSERT_EQ(golden_.value("format_version", 0), 1) << kRegen;
    tokens_ = torch::tensor(golden_["steer_tokens"].get<std::vector<int64_t>>()).view({1, -1});
  }
  torch::Tensor logprobs(const HookSet* hooks) {
    ForwardArgs a;
    a.tokens = tokens_;
    a.hooks = hooks;
    return torch::log_softmax(model_->forward(a)[0], -1);
  }
  // A fixed unit direction in the model's hidden space.
  torch::Tensor unit_direction(uint64_t seed) {
    torch::manual_seed(seed);
    torch::Tensor u = torch::randn({model_->config().hidden_size});
    return u / u.norm();
  }
  torch::NoGradGuard no_grad_;
  DecoderModel model_{nullptr};
  nlohmann::json golden_;
  torch::Tensor tokens_;
};

TEST_F(Steering, PersonaVectorMatchesPythonReference) {
  auto high = samples_of(golden_["high"]), low = samples_of(golden_["low"]);
  SteeringVector v = compute_persona_vector(model_, high, low, "Test", "llama_gqa");
  auto dh =
      testing::max_diff(mean_response_activations(model_, high), to_tensor(golden_["mean_high"]));
  auto dl = testing::max_diff(mean_response_activations(model_, low, "resid_post", 2),
                              to_tensor(golden_["mean_low"]));
  auto dv = testing::max_diff(v.vectors, to_tensor(golden_["vector"]));
  std::printf("persona vector vs Python: max|diff| mean_high %.3g, mean_low %.3g, vector %.3g\n",
              dh.max_abs, dl.max_abs, dv.max_abs);
  EXPECT_LE(dh.max_abs, 1e-4) << dh.where << "; " << kRegen;
  EXPECT_LE(dl.max_abs, 1e-4) << dl.where << "; " << kRegen;
  EXPECT_LE(dv.max_abs, 1e-4) << dv.where << "; " << kRegen;
  EXPECT_GT(v.vectors.norm().item<double>(), 1.0);  // a real difference, not noise
}

TEST_F(Steering, SteeredLogprobsMatchPythonReference) {
  SteeringVector v;
  v.vectors = to_tensor(golden_["vector"]);
  SteerSpec spec;
  spec.alpha = golden_["alpha"].get<double>();
  HookSet hooks;
  add_steering(hooks, v, {golden_["steer_layer"].get<int64_t>()}, spec, model_->config());
  auto d = testing::max_diff(logprobs(&hooks), to_tensor(golden_["steered_logprobs"]));
  std::printf("steered log-probs vs Python: max|diff| %.3g (steering moved them by %.3g)\n",
              d.max_abs, golden_["max_abs_steering_effect"].get<double>());
  EXPECT_LE(d.max_abs, 1e-4) << d.where << "; " << kRegen;
  EXPECT_GT(golden_["max_abs_steering_effect"].get<double>(), 0.1);
}

TEST_F(Steering, AlphaZeroIsExactlyUnsteered) {
  SteeringVector v;
  v.vectors = to_tensor(golden_["vector"]);
  HookSet hooks;
  add_steering(hooks, v, {}, SteerSpec{}, model_->config());  // add, alpha 0, every layer
  EXPECT_TRUE(torch::equal(logprobs(&hooks), logprobs(nullptr)));
}

TEST_F(Steering, AddMovesTheProjectionByAlpha) {
  const ModelConfig& cfg = model_->config();
  torch::Tensor u = unit_direction(1);
  for (int64_t layer : {0, 1}) {
    for (double alpha : {-2.5, 0.75, 6.0}) {
      std::string point = str("layers.", layer, ".resid_post");
      std::vector<torch::Tensor> before, after;
      HookSet hooks;
      hooks.add(point, make_projection_monitor(u, &before));
      SteerSpec spec;
      spec.alpha = alpha;
      add_steering_at(hooks, point, u, spec, cfg);
      hooks.add(point, make_projection_monitor(u, &after));
      logprobs(&hooks);
      ASSERT_EQ(before.size(), 1u);
      ASSERT_EQ(after.size(), 1u);
      torch::Tensor shift = after[0] - before[0];
      EXPECT_LE((shift - alpha).abs().max().item<double>(), 1e-4)
          << point << " alpha " << alpha << ": shift " << shift;
    }
  }
}

TEST_F(Steering, AblateAblateAddAndCapSetTheProjection) {
  const ModelConfig& cfg = model_->config();
  torch::Tensor v = 2.0 * unit_direction(2);  // not unit: operators use v / |v|
  auto run = [&](const SteerSpec& spec) {
    std::vector<torch::Tensor> before, after;
    HookSet hooks;
    hooks.add("layers.1.resid_pre", make_projection_monitor(v, &before));
    add_steering_at(hooks, "layers.1.resid_pre", v, spec, cfg);
    hooks.add("layers.1.resid_pre", make_projection_monitor(v, &after));
    logprobs(&hooks);
    return std::make_pair(before.at(0), after.at(0));
  };
  SteerSpec ablate;
  ablate.op = SteerOp::Ablate;
  auto [b0, a0] = run(ablate);
  EXPECT_GT(b0.abs().max().item<double>(), 0.05);
  EXPECT_LE(a0.abs().max().item<double>(), 1e-5);

  SteerSpec ablate_add;
  ablate_add.op = SteerOp::AblateAdd;
  ablate_add.alpha = 1.5;
  auto [b1, a1] = run(ablate_add);
  EXPECT_LE((a1 - 3.0).abs().max().item<double>(), 1e-5);  // alpha |v| = 1.5 * 2

  auto [b2, a2] = run(SteerSpec{});
  double mid = b2.median().item<double>();
  SteerSpec cap;
  cap.op = SteerOp::Cap;
  cap.cap_lo = mid - 0.01;
  cap.cap_hi = mid + 0.01;
  auto [b3, a3] = run(cap);
  torch::Tensor expected = b3.clamp(cap.cap_lo, cap.cap_hi);
  EXPECT_LE((a3 - expected).abs().max().item<double>(), 1e-5);
  EXPECT_GT((b3 - a3).abs().max().item<double>(), 1e-3);  // the cap bit somewhere
}

TEST_F(Steering, PositionSelectorFollowsThePhase) {
  torch::Tensor act = torch::zeros({1, 3, 64});
  HookContext prefill, decode;
  decode.cache_length = 5;
  SteerSpec spec;
  spec.alpha = 1.0;
  spec.positions = SteerPositions::Generated;
  HookFn gen = make_steering_hook(unit_direction(3), spec);
  EXPECT_FALSE(gen(act, prefill).defined());
  EXPECT_TRUE(gen(act, decode).defined());
  spec.positions = SteerPositions::Prompt;
  HookFn prompt = make_steering_hook(unit_direction(3), spec);
  EXPECT_TRUE(prompt(act, prefill).defined());
  EXPECT_FALSE(prompt(act, decode).defined());
  EXPECT_EQ(parse_steer_positions("generated"), SteerPositions::Generated);
  EXPECT_EQ(parse_steer_op("ablate_add"), SteerOp::AblateAdd);
  EXPECT_THROW(parse_steer_op("replace!"), InputError);

  // Through generate(): steering only generated tokens changes the text of
  // a steered run but not the first token, which comes from the prompt pass.
  GenerateOptions opts;
  opts.max_new_tokens = 6;
  std::vector<GenerateRequest> req = {{{5, 9, 17, 33}, 0}};
  SteeringVector v;
  v.vectors = 40.0 * to_tensor(golden_["vector"]);
  HookSet hooks;
  spec.positions = SteerPositions::Generated;
  add_steering(hooks, v, {0}, spec, model_->config());
  auto plain = generate_ids(model_, req, opts), steered = generate_ids(model_, req, opts, &hooks);
  EXPECT_EQ(plain[0].token_ids.at(0), steered[0].token_ids.at(0));
  EXPECT_NE(plain[0].token_ids, steered[0].token_ids);
}

TEST_F(Steering, GeneratedSamplesGiveAVector) {
  GenerateOptions opts;
  opts.max_new_tokens = 5;
  auto high = generate_samples(model_, {{10, 11, 12}, {10, 11, 13, 14}}, opts);
  auto low = generate_samples(model_, {{20, 21, 22}, {20, 21, 23}}, opts);
  ASSERT_EQ(high[0].tokens.size(), 3u + 5u);
  EXPECT_EQ(high[0].response_mask, (std::vector<uint8_t>{0, 0, 0, 1, 1, 1, 1, 1}));
  SteeringVector v = compute_persona_vector(model_, high, low, "T");
  EXPECT_EQ(v.vectors.sizes(), (std::vector<int64_t>{2, 64}));
  EXPECT_TRUE(torch::isfinite(v.vectors).all().item<bool>());
  EXPECT_GT(v.vectors.norm().item<double>(), 0.0);
}

TEST_F(Steering, SaveLoadRoundTrip) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("traitlab_steer_" + std::to_string(::getpid()) + ".h5"))
                         .string();
  std::remove(path.c_str());
  SteeringVector v;
  v.trait = "Openness";
  v.model = "llama_gqa";
  v.vectors = to_tensor(golden_["vector"]);
  save_steering_vector(path, "openness", v);
  SteeringVector w = v;
  w.vectors = -v.vectors;
  w.hook = "mlp_out";
  save_steering_vector(path, "other", w);
  EXPECT_THROW(save_steering_vector(path, "openness", w), InputError);
  SteeringVector r = load_steering_vector(path, "openness", model_->config());
  EXPECT_TRUE(torch::equal(r.vectors, v.vectors));
  EXPECT_EQ(r.trait, "Openness");
  EXPECT_EQ(r.model, "llama_gqa");
  EXPECT_EQ(r.hook, "resid_post");
  EXPECT_EQ(load_steering_vector(path, "other").hook, "mlp_out");
  {
    H5File f = H5File::open(path);
    EXPECT_EQ(f.group("vectors/openness").attr_int64("hidden"), 64);
    EXPECT_EQ(f.dataset("vectors/openness/layer_1").attr_string("point"), "layers.1.resid_post");
  }
  save_steering_vector(path, "openness", w, /*overwrite=*/true);
  EXPECT_TRUE(torch::equal(load_steering_vector(path, "openness").vectors, w.vectors));

  ModelConfig big = model_->config();
  big.hidden_size = 128;
  std::string msg = expect_input_error([&] { load_steering_vector(path, "other", big); });
  EXPECT_NE(msg.find("vector has hidden 64, model has 128"), std::string::npos) << msg;
  EXPECT_NE(msg.find(path), std::string::npos) << msg;
  msg = expect_input_error([&] { load_steering_vector(path, "missing"); });
  EXPECT_NE(msg.find("no vector"), std::string::npos) << msg;
  std::remove(path.c_str());
}

TEST_F(Steering, BadInputIsAnInputError) {
  const ModelConfig& cfg = model_->config();
  HookSet hooks;
  SteerSpec spec;
  spec.alpha = 4;
  std::string msg = expect_input_error(
      [&] { add_steering_at(hooks, "layers.2.resid_post", unit_direction(4), spec, cfg); });
  EXPECT_NE(msg.find("layers.1.resid_post"), std::string::npos) << msg;  // lists valid points
  msg = expect_input_error([&] { make_steering_hook(torch::Tensor(), spec); });
  EXPECT_NE(msg.find("alpha 4 given without a vector"), std::string::npos) << msg;
  msg = expect_input_error([&] { add_steering(hooks, SteeringVector{}, {0}, spec, cfg); });
  EXPECT_NE(msg.find("without a vector"), std::string::npos) << msg;
  msg = expect_input_error(
      [&] { add_steering_at(hooks, "layers.0.mlp_out", torch::ones({128}), spec, cfg); });
  EXPECT_NE(msg.find("vector has hidden 128, model has 64"), std::string::npos) << msg;
  SteerSpec ablate;
  ablate.op = SteerOp::Ablate;
  EXPECT_THROW(make_steering_hook(torch::zeros({64}), ablate), InputError);
  SteerSpec cap;
  cap.op = SteerOp::Cap;
  cap.cap_lo = 1;
  cap.cap_hi = 0;
  EXPECT_THROW(make_steering_hook(torch::ones({64}), cap), InputError);
  EXPECT_TRUE(hooks.empty());

  std::vector<ContrastiveSample> bad = {{{1, 2, 3}, {0, 1}}};
  EXPECT_THROW(mean_response_activations(model_, bad), InputError);
  bad = {{{1, 2, 3}, {0, 0, 0}}};
  EXPECT_THROW(mean_response_activations(model_, bad), InputError);
  bad = {{{1, 2, 999}, {0, 1, 1}}};
  EXPECT_THROW(mean_response_activations(model_, bad), InputError);
  bad = {{{1, 2, 3}, {0, 1, 1}}};
  msg = expect_input_error([&] { mean_response_activations(model_, bad, "resid_mid"); });
  EXPECT_NE(msg.find("valid: resid_pre"), std::string::npos) << msg;
  EXPECT_THROW(compute_persona_vector(model_, bad, {}, "T"), InputError);
}

}  // namespace
}  // namespace traitlab
