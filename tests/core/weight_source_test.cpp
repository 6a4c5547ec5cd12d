// WeightSource: single-file and sharded model directories, and the ways an
// index can be wrong.
#include <gtest/gtest.h>

#include <filesystem>

#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "core/util/json_io.h"
#include "tests/core/safetensors_test_util.h"

namespace traitlab {
namespace {

using test::golden_dir;
using test::TempDir;
namespace fs = std::filesystem;

const char* kShard1 = "model-00001-of-00002.safetensors";
const char* kShard2 = "model-00002-of-00002.safetensors";

// Expects an InputError whose message contains every part.
template <typename F>
void expect_input_error(F&& f, const std::vector<std::string>& parts) {
  try {
    f();
    ADD_FAILURE() << "no InputError";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
    for (const auto& p : parts) EXPECT_NE(msg.find(p), std::string::npos) << p << " in: " << msg;
  }
}

// A copy of the golden sharded directory that a test may break.
std::string copy_sharded(const TempDir& tmp) {
  const std::string dir = tmp / "model";
  fs::copy(golden_dir() + "/sharded", dir);
  return dir;
}

TEST(WeightSource, SingleFile) {
  const auto ws = WeightSource::open_dir(golden_dir() + "/single");
  EXPECT_EQ(ws.names(), (std::vector<std::string>{"lm_head.weight", "model.layers.0.w"}));
  EXPECT_EQ(ws.files(), std::vector<std::string>{golden_dir() + "/single/model.safetensors"});
  const auto direct = SafetensorsFile::open(golden_dir() + "/single/model.safetensors");
  EXPECT_TRUE(torch::equal(ws.load("lm_head.weight"), direct.load("lm_head.weight")));
  EXPECT_EQ(ws.info("lm_head.weight").shape, (std::vector<int64_t>{3, 2}));
  EXPECT_FALSE(ws.has("nope"));
  expect_input_error([&] { ws.load("nope"); }, {"single", "'nope'"});
  expect_input_error([&] { ws.info("nope"); }, {"single", "'nope'"});
}

TEST(WeightSource, ShardedMatchesGoldenValues) {
  const std::string dir = golden_dir() + "/sharded";
  const auto ws = WeightSource::open_dir(dir);
  const nlohmann::json index = read_json_file(dir + "/model.safetensors.index.json");
  std::vector<std::string> want;
  for (const auto& [name, file] : index["weight_map"].items()) {
    want.push_back(name);
    const auto shard = SafetensorsFile::open(dir + "/" + file.get<std::string>());
    EXPECT_TRUE(torch::equal(ws.load(name), shard.load(name))) << name;
  }
  EXPECT_EQ(ws.names(), want);
  EXPECT_EQ(ws.info("model.layers.0.w").dtype, "BF16");
  EXPECT_EQ(ws.files(), (std::vector<std::string>{dir + "/model.safetensors.index.json",
                                                  dir + "/" + kShard1, dir + "/" + kShard2}));
}

TEST(WeightSource, NeitherFileNamesConversion) {
  TempDir tmp;
  test::write_bytes(tmp / "pytorch_model.bin", "PK\x03\x04 not read");
  expect_input_error([&] { WeightSource::open_dir(tmp.str()); },
                     {tmp.str(), "no model.safetensors or model.safetensors.index.json",
                      "save_pretrained(safe_serialization=True)"});
}

TEST(WeightSource, SingleFileWinsOverIndex) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  fs::copy(golden_dir() + "/single/model.safetensors", dir + "/model.safetensors");
  const auto ws = WeightSource::open_dir(dir);
  EXPECT_EQ(ws.files(), std::vector<std::string>{dir + "/model.safetensors"});
  EXPECT_FALSE(ws.has("model.layers.1.w"));
}

TEST(WeightSource, MissingShard) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  fs::remove(dir + "/" + kShard2);
  expect_input_error([&] { WeightSource::open_dir(dir); },
                     {"model.safetensors.index.json", kShard2, "does not exist"});
}

void write_index(const std::string& dir, const nlohmann::json& weight_map) {
  test::write_bytes(dir + "/model.safetensors.index.json",
                    nlohmann::json{{"weight_map", weight_map}}.dump());
}

TEST(WeightSource, TensorNotInItsShard) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  nlohmann::json wm = read_json_file(dir + "/model.safetensors.index.json")["weight_map"];
  wm["lm_head.weight"] = kShard1;  // it lives in shard 2
  write_index(dir, wm);
  expect_input_error([&] { WeightSource::open_dir(dir); },
                     {"'lm_head.weight'", kShard1, "not in it"});
}

TEST(WeightSource, TensorInTwoShards) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  // Shard 2 gains a second copy of a shard-1 tensor.
  const auto s1 = SafetensorsFile::open(dir + "/" + kShard1);
  const auto s2 = SafetensorsFile::open(dir + "/" + kShard2);
  std::vector<std::pair<std::string, torch::Tensor>> t2;
  for (const auto& e : s2.entries()) t2.emplace_back(e.name, s2.load(e.name));
  t2.emplace_back("model.embed_tokens.weight", s1.load("model.embed_tokens.weight"));
  save_safetensors(dir + "/" + kShard2, t2);
  expect_input_error([&] { WeightSource::open_dir(dir); },
                     {"'model.embed_tokens.weight'", "stored in both", kShard1, kShard2});
}

TEST(WeightSource, TensorListedTwiceInIndex) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  test::write_bytes(dir + "/model.safetensors.index.json",
                    std::string(R"({"weight_map": {"lm_head.weight": ")") + kShard2 +
                        R"(", "lm_head.weight": ")" + kShard1 + R"("}})");
  expect_input_error([&] { WeightSource::open_dir(dir); },
                     {"index.json", "duplicate key 'lm_head.weight'"});
}

TEST(WeightSource, BadIndexShapes) {
  TempDir tmp;
  const std::string dir = copy_sharded(tmp);
  write_index(dir, nlohmann::json{{"lm_head.weight", "../" + std::string(kShard2)}});
  expect_input_error([&] { WeightSource::open_dir(dir); }, {"'lm_head.weight'", "inside"});
  write_index(dir, nlohmann::json{{"lm_head.weight", 3}});
  expect_input_error([&] { WeightSource::open_dir(dir); }, {"'lm_head.weight'", "name a file"});
  write_index(dir, nlohmann::json::array());
  expect_input_error([&] { WeightSource::open_dir(dir); }, {"'weight_map'"});
  test::write_bytes(dir + "/model.safetensors.index.json", "{\"weight_map\": {");
  expect_input_error([&] { WeightSource::open_dir(dir); }, {"index.json", "not valid JSON"});
  test::write_bytes(dir + "/model.safetensors.index.json", "{}");
  expect_input_error([&] { WeightSource::open_dir(dir); }, {"index.json", "missing 'weight_map'"});
}

}  // namespace
}  // namespace traitlab
