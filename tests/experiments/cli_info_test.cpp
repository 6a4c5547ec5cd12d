#include <gtest/gtest.h>

#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;
using testing::TempDir;
using testing::tiny_model_args;

TEST(CliInfo, ReportsTheConfiguration) {
  TempDir tmp("cli_info");
  const std::string model = tmp.sub("m");
  ASSERT_EQ(run_cli(tiny_model_args(model)).code, 0);
  auto r = run_cli({"info", model});
  ASSERT_EQ(r.code, 0) << r.err;
  for (const char* want :
       {"family:", "llama", "layers:         2", "hidden:         32", "kv heads 2",
        "vocab:          400", "parameters:", "F32", "tied embeddings: no", "theta 500000",
        "chat format:    llama3", "prepends <|begin_of_text|>"}) {
    EXPECT_NE(r.out.find(want), std::string::npos) << "missing '" << want << "' in\n" << r.out;
  }
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
