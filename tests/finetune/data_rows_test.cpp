// Training JSONL read with only a tokenizer (no model), so it also runs in
// the sanitizer subset (tests/sanitize_subset.cmake). Regressions from
// fuzz_train_data.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/tokenizer/chat_format.h"
#include "core/tokenizer/tokenizer.h"
#include "core/util/error.h"
#include "finetune/data.h"

namespace traitlab {
namespace {

struct Rows {
  Tokenizer tok =
      Tokenizer::from_file(std::string(TRAITLAB_TEST_DATA) + "/tokenizers/llama3/tokenizer.json");
  std::string path = ::testing::TempDir() + "traitlab_data_rows.jsonl";
  TokenizeContext ctx() const {
    TokenizeContext c;
    c.tok = &tok;
    c.chat = ChatFormat(ChatFormatKind::Llama3);
    c.eos_id = tok.token_to_id("<|eot_id|>").value();
    return c;
  }
  void write(const std::string& text) const { std::ofstream(path, std::ios::binary) << text; }
  ~Rows() { std::remove(path.c_str()); }
};

// A number beyond double range escaped as nlohmann::out_of_range (exit 1,
// no file or line) instead of an InputError.
TEST(DataRows, NumberOverflowNamesFileAndLine) {
  Rows r;
  r.write("{\"text\": \"ok\"}\n{\"text\": \"x\", \"n\": 55e5555}\n");
  try {
    load_sft_jsonl(r.path, r.ctx(), DataOptions{});
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              r.path + ":2: invalid JSON: number overflow parsing '55e5555'");
  }
}

TEST(DataRows, PlainAndPreferenceRowsLoad) {
  Rows r;
  r.write("{\"prompt\": \"Hi\", \"completion\": \" there\"}\n");
  const auto sft = load_sft_jsonl(r.path, r.ctx(), DataOptions{});
  ASSERT_EQ(sft.size(), 1u);
  EXPECT_EQ(sft[0].ids.size(), sft[0].labels.size());
  EXPECT_EQ(sft[0].ids.back(), r.ctx().eos_id);
  r.write("{\"prompt\": \"Hi\", \"chosen\": \" yes\", \"rejected\": \" no\"}\n");
  const auto pref = load_preference_jsonl(r.path, r.ctx(), DataOptions{});
  ASSERT_EQ(pref.size(), 1u);
  EXPECT_NE(pref[0].chosen, pref[0].rejected);
}

}  // namespace
}  // namespace traitlab
