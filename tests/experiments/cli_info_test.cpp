#include <gtest/gtest.h>

#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;
using testing::tiny_model_args;

// The value printed after "key:" on its line, trimmed ("" if absent).
std::string field(const std::string& out, const std::string& key) {
  const size_t at = out.find("\n" + key + ":");
  if (at == std::string::npos) return "";
  size_t b = at + key.size() + 2;
  const size_t e = out.find('\n', b);
  while (b < e && out[b] == ' ') ++b;
  return out.substr(b, e - b);
}

TEST(CliInfo, ReportsTheConfiguration) {
  TempDir tmp("cli_info");
  const std::string model = tmp.sub("m");
  ASSERT_EQ(run_cli(tiny_model_args(model)).code, 0);
  auto r = run_cli({"info", model});
  ASSERT_EQ(r.code, 0) << r.err;
  const std::string out = "\n" + r.out;
  EXPECT_EQ(field(out, "family"), "llama (model_type llama)") << r.out;
  EXPECT_EQ(field(out, "layers"), "2");
  EXPECT_EQ(field(out, "hidden"), "32");
  EXPECT_EQ(field(out, "heads"), "4 (kv heads 2, head dim 8)");
  EXPECT_EQ(field(out, "vocab"), "400");
  EXPECT_EQ(field(out, "weights dtype"), "F32");
  EXPECT_EQ(field(out, "tied embeddings"), "no");
  EXPECT_EQ(field(out, "rope"), "theta 500000");
  EXPECT_EQ(field(out, "chat format"), "llama3");
  EXPECT_NE(field(out, "tokenizer").find("prepends <|begin_of_text|>"), std::string::npos);
  // 2 layers x (q,o 32x32, k,v 16x32, MLP 3 x 32x128, two norms), embeddings
  // and head 400x32 each, final norm.
  const int64_t layer = 2 * 32 * 32 + 2 * 32 * 16 + 3 * 32 * 128 + 2 * 32;
  const std::string params = field(out, "parameters");
  EXPECT_EQ(params.substr(0, params.find(' ')), std::to_string(2 * layer + 2 * 400 * 32 + 32));
  // --model works as well as the positional argument; --sha256 adds hashes.
  auto s = run_cli({"info", "--model", model, "--sha256"});
  ASSERT_EQ(s.code, 0) << s.err;
  EXPECT_NE(s.out.find("sha256:"), std::string::npos) << s.out;
}

TEST(CliInfo, MissingModelOrBadFlagExitsWithTwo) {
  auto missing = run_cli({"info", "/nonexistent/traitlab/model"});
  EXPECT_EQ(missing.code, 2);
  EXPECT_NE(missing.err.find("/nonexistent/traitlab/model"), std::string::npos) << missing.err;
  auto bad = run_cli({"info", "--frobnicate"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_NE(bad.err.find("frobnicate"), std::string::npos) << bad.err;
  EXPECT_EQ(run_cli({"info"}).code, 2);
}

}  // namespace
}  // namespace traitlab
