// Random init, save -> load round trips, and load errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>

#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "tests/core/model_test_util.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("traitlab_model_io_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  std::string str() const { return path_.string(); }
  std::string operator/(const std::string& f) const { return (path_ / f).string(); }

 private:
  fs::path path_;
  static inline int counter_ = 0;
};

ModelConfig golden_config(const std::string& name) {
  return ModelConfig::load(testing::model_dir(name) + "/config.json");
}

torch::Tensor logits_of(DecoderModel& m) {
  torch::NoGradGuard no_grad;
  ForwardArgs args;
  args.tokens = torch::arange(3, 11, torch::kInt64).view({1, 8});
  return m->forward(args);
}

TEST(ModelIo, RandomInitIsSeededAndShapedLikeHf) {
  ModelConfig cfg = golden_config("qwen2");
  DecoderModel a = init_random_model(cfg, 7), b = init_random_model(cfg, 7),
               c = init_random_model(cfg, 8);
  auto pa = a->named_parameters(), pb = b->named_parameters(), pc = c->named_parameters();
  EXPECT_TRUE(pa["layers.0.self_attn.q_proj.weight"].equal(pb["layers.0.self_attn.q_proj.weight"]));
  EXPECT_FALSE(
      pa["layers.0.self_attn.q_proj.weight"].equal(pc["layers.0.self_attn.q_proj.weight"]));
  EXPECT_NEAR(pa["layers.0.mlp.up_proj.weight"].std().item<double>(), 0.02, 0.002);
  EXPECT_TRUE(pa["norm.weight"].eq(1).all().item<bool>());
  EXPECT_TRUE(pa["layers.1.self_attn.k_proj.bias"].eq(0).all().item<bool>());
  EXPECT_FALSE(pa["embed_tokens.weight"].requires_grad());
  EXPECT_EQ(pa.find("lm_head.weight"), nullptr);  // tied
}

TEST(ModelIo, SaveLoadRoundTripIsBitExact) {
  for (const char* name :
       {"llama_gqa", "llama_bias", "qwen2", "mistral", "gpt2", "gemma3", "gemma3_softcap"}) {
    DecoderModel a = init_random_model(golden_config(name), 11);
    TempDir dir;
    save_model(a, dir.str());
    DecoderModel b = load_model(dir.str(), torch::kCPU, torch::kFloat32);
    auto pb = b->named_parameters();
    for (const auto& item : a->named_parameters()) {
      ASSERT_NE(pb.find(item.key()), nullptr) << name << " " << item.key();
      EXPECT_TRUE(item.value().equal(pb[item.key()])) << name << " " << item.key();
    }
    EXPECT_TRUE(logits_of(a).equal(logits_of(b))) << name;
    // The written checkpoint is what transformers writes (same names and
    // shapes as the golden save_pretrained output).
    auto mine = SafetensorsFile::open(dir / "model.safetensors");
    auto theirs = SafetensorsFile::open(testing::model_dir(name) + "/model.safetensors");
    ASSERT_EQ(mine.entries().size(), theirs.entries().size()) << name;
    for (const auto& e : theirs.entries()) {
      const TensorEntry* m = mine.find(e.name);
      ASSERT_NE(m, nullptr) << name << ": not written: " << e.name;
      EXPECT_EQ(m->shape, e.shape) << e.name;
    }
    ModelConfig reread = ModelConfig::load(dir / "config.json");
    EXPECT_EQ(reread.torch_dtype, "float32");
  }
}

TEST(ModelIo, GoldenCheckpointSurvivesSaveInBf16) {
  DecoderModel a = load_model(testing::model_dir("gpt2"), torch::kCPU, torch::kBFloat16);
  TempDir dir;
  save_model(a, dir.str());
  EXPECT_EQ(ModelConfig::load(dir / "config.json").torch_dtype, "bfloat16");
  DecoderModel b = load_model(dir.str(), torch::kCPU, torch::kBFloat16);
  EXPECT_TRUE(logits_of(a).equal(logits_of(b)));
}

// Writes the golden llama_gqa checkpoint with one tensor changed.
std::string tampered(const TempDir& dir, const std::string& drop, const std::string& reshape,
                     const std::string& add) {
  const std::string src = testing::model_dir("llama_gqa");
  fs::copy_file(src + "/config.json", dir / "config.json");
  auto ws = WeightSource::open_dir(src);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& n : ws.names()) {
    if (n == drop) continue;
    torch::Tensor t = ws.load(n);
    if (n == reshape) t = t.narrow(1, 0, t.size(1) / 2).contiguous();
    tensors.emplace_back(n, t);
  }
  if (!add.empty()) tensors.emplace_back(add, torch::zeros({2}));
  save_safetensors(dir / "model.safetensors", tensors);
  return dir.str();
}

std::string load_error(const std::string& dir) {
  try {
    load_model(dir, torch::kCPU, torch::kFloat32);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(ModelIo, MissingTensorNamesTensorAndFile) {
  TempDir dir;
  tampered(dir, "model.layers.1.mlp.up_proj.weight", "", "");
  EXPECT_EQ(load_error(dir.str()),
            dir / "model.safetensors" + std::string(": missing tensor "
                                                    "'model.layers.1.mlp.up_proj.weight' (expected "
                                                    "shape [128, 64]) for a llama model"));
}

TEST(ModelIo, WrongShapeNamesTensorAndShapes) {
  TempDir dir;
  tampered(dir, "", "model.layers.0.self_attn.q_proj.weight", "");
  EXPECT_EQ(load_error(dir.str()),
            dir / "model.safetensors" +
                std::string(": tensor 'model.layers.0.self_attn.q_proj.weight' has shape [64, 32], "
                            "expected [64, 64]"));
}

TEST(ModelIo, UnexpectedTensorIsAnErrorButKnownBuffersAreNot) {
  TempDir bad;
  tampered(bad, "", "", "model.layers.0.self_attn.q_norm.weight");
  EXPECT_NE(
      load_error(bad.str()).find("unexpected tensor 'model.layers.0.self_attn.q_norm.weight'"),
      std::string::npos);
  TempDir ok;
  tampered(ok, "", "", "model.layers.0.self_attn.rotary_emb.inv_freq");
  EXPECT_EQ(load_error(ok.str()), "");
}

TEST(ModelIo, Gpt2WithoutTransformerPrefixLoads) {
  // The original OpenAI gpt2 upload has no "transformer." prefix and keeps
  // the attn.bias mask buffers.
  TempDir dir;
  const std::string src = testing::model_dir("gpt2");
  fs::copy_file(src + "/config.json", dir / "config.json");
  auto ws = WeightSource::open_dir(src);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  for (const auto& n : ws.names()) tensors.emplace_back(n.substr(12), ws.load(n));
  tensors.emplace_back("h.0.attn.bias", torch::ones({1, 1, 128, 128}));
  save_safetensors(dir / "model.safetensors", tensors);
  DecoderModel a = load_model(src, torch::kCPU, torch::kFloat32);
  DecoderModel b = load_model(dir.str(), torch::kCPU, torch::kFloat32);
  EXPECT_TRUE(logits_of(a).equal(logits_of(b)));
}

}  // namespace
}  // namespace traitlab
