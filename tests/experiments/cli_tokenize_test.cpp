#include <gtest/gtest.h>

#include "core/tokenizer/tokenizer.h"
#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

using testing::run_cli;

std::string ids_line(const std::vector<int32_t>& ids) {
  std::string s = "ids:";
  for (int32_t id : ids) s += " " + std::to_string(id);
  return s + "\n";
}

TEST(CliTokenize, PrintsTheLibraryIds) {
  const std::string model = std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok";
  const auto tok = Tokenizer::from_file(model + "/tokenizer.json");
  const std::string text = "The capital of France is Paris.";
  auto r = run_cli({"tokenize", "--model", model, "--text", text, "--decode"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find(ids_line(tok.encode(text, true))), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decoded: <|begin_of_text|>" + text), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(special)"), std::string::npos);

  auto plain = run_cli({"tokenize", "--model", model, "--text", text, "--no-special"});
  ASSERT_EQ(plain.code, 0);
  EXPECT_NE(plain.out.find(ids_line(tok.encode(text, false))), std::string::npos) << plain.out;

  auto ids = tok.encode(text, false);
  std::string csv;
  for (int32_t id : ids) csv += (csv.empty() ? "" : ",") + std::to_string(id);
  auto dec = run_cli({"tokenize", "--model", model, "--ids", csv});
  ASSERT_EQ(dec.code, 0) << dec.err;
  EXPECT_NE(dec.out.find("decoded: " + text), std::string::npos) << dec.out;
}

TEST(CliTokenize, ChatRendersTheTemplate) {
  const std::string model = std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok";
  auto r = run_cli(
      {"tokenize", "--model", model, "--text", "Hi", "--chat", "--system", "Be calm.", "--decode"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.out.find("chat format: llama3"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("decoded: <|begin_of_text|><|start_header_id|>system<|end_header_id|>"),
            std::string::npos)
      << r.out;
  // Exactly one BOS.
  EXPECT_EQ(r.out.find("<|begin_of_text|><|begin_of_text|>"), std::string::npos);
}

TEST(CliTokenize, BadInputExitsWithTwo) {
  const std::string model = std::string(TRAITLAB_TEST_DATA) + "/models/llama_tok";
  EXPECT_EQ(run_cli({"tokenize", "--model", model}).code, 2);
  EXPECT_EQ(run_cli({"tokenize", "--model", model, "--ids", "1,x"}).code, 2);
  EXPECT_EQ(run_cli({"tokenize", "--model", "/nonexistent", "--text", "a"}).code, 2);
  EXPECT_EQ(run_cli({"tokenize", "--model", model, "--text", "a", "--wat"}).code, 2);
}

}  // namespace
}  // namespace traitlab
