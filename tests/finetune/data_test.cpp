// Data formatting against TRL 1.16's prepared rows, and bad input.
#include "finetune/data.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "core/util/error.h"
#include "finetune/batch.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;

class FinetuneData : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { ck_ = new Checkpoint(load_llama_tok()); }
  static void TearDownTestSuite() { delete ck_; }
  static Checkpoint* ck_;
  TokenizeContext ctx() const { return tokenize_context(*ck_); }

  void expect_rows(const std::vector<SftExample>& got, const nlohmann::json& want) {
    ASSERT_EQ(got.size(), want.size()) << kRegen;
    for (size_t i = 0; i < got.size(); ++i) {
      EXPECT_EQ(got[i].ids, ids_of(want[i]["input_ids"])) << "row " << i << "; " << kRegen;
      EXPECT_EQ(got[i].labels, ids_of(want[i]["labels"])) << "row " << i << "; " << kRegen;
    }
  }

  std::string write_tmp(const std::string& name, const std::string& text) {
    const auto p = std::filesystem::temp_directory_path() /
                   ("traitlab_ftdata_" + std::to_string(::getpid()) + "_" + name);
    std::ofstream(p) << text;
    tmp_.push_back(p.string());
    return p.string();
  }
  void TearDown() override {
    for (const auto& p : tmp_) std::filesystem::remove(p);
  }
  std::vector<std::string> tmp_;
};
Checkpoint* FinetuneData::ck_ = nullptr;

TEST_F(FinetuneData, PromptCompletionMatchesTrl) {
  DataOptions o;
  expect_rows(load_sft_jsonl(ft_data("sft_pc.jsonl"), ctx(), o), ft_goldens()["sft_pc"]);
}

TEST_F(FinetuneData, MessagesAllTokensMatchesTrl) {
  DataOptions o;
  o.loss_on = LossOn::All;
  expect_rows(load_sft_jsonl(ft_data("sft_messages.jsonl"), ctx(), o),
              ft_goldens()["sft_messages"]);
}

TEST_F(FinetuneData, MessagesAssistantOnlyMatchesGenerationMask) {
  DataOptions o;
  o.loss_on = LossOn::Assistant;
  expect_rows(load_sft_jsonl(ft_data("sft_messages.jsonl"), ctx(), o),
              ft_goldens()["sft_assistant"]);
}

TEST_F(FinetuneData, PreferenceRowsMatchTrl) {
  DataOptions o;
  const auto got = load_preference_jsonl(ft_data("dpo.jsonl"), ctx(), o);
  const auto& want = ft_goldens()["dpo"]["rows"];
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) {
    EXPECT_EQ(got[i].prompt, ids_of(want[i]["prompt_ids"])) << "row " << i << "; " << kRegen;
    EXPECT_EQ(got[i].chosen, ids_of(want[i]["chosen_ids"])) << "row " << i << "; " << kRegen;
    EXPECT_EQ(got[i].rejected, ids_of(want[i]["rejected_ids"])) << "row " << i << "; " << kRegen;
  }
}

TEST_F(FinetuneData, ImplicitPromptEqualsExplicit) {
  const nlohmann::json explicit_row =
      nlohmann::json::parse(R"({"prompt":[{"role":"user","content":"Hi"}],
    "chosen":[{"role":"assistant","content":"Hello!"}],"rejected":[{"role":"assistant","content":"Go away."}]})");
  const nlohmann::json implicit_row = nlohmann::json::parse(R"({
    "chosen":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Hello!"}],
    "rejected":[{"role":"user","content":"Hi"},{"role":"assistant","content":"Go away."}]})");
  const auto a = make_preference_example(explicit_row, ctx(), "a");
  const auto b = make_preference_example(implicit_row, ctx(), "b");
  EXPECT_EQ(a.prompt, b.prompt);
  EXPECT_EQ(a.chosen, b.chosen);
  EXPECT_EQ(a.rejected, b.rejected);
}

TEST_F(FinetuneData, PlainTextGetsEos) {
  const auto ex =
      make_sft_example(nlohmann::json{{"text", "hello world"}}, ctx(), LossOn::All, "t");
  ASSERT_FALSE(ex.ids.empty());
  EXPECT_EQ(ex.ids.back(), ctx().eos_id);
  const auto again = make_sft_example(nlohmann::json{{"text", "hello world<|end_of_text|>"}}, ctx(),
                                      LossOn::All, "t");
  EXPECT_EQ(again.ids, ex.ids) << "EOS must not be appended twice";
}

TEST_F(FinetuneData, EmptyDataSetIsAnInputError) {
  const auto p = write_tmp("empty.jsonl", "\n  \n");
  try {
    load_sft_jsonl(p, ctx(), DataOptions{});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("empty"), std::string::npos) << e.what();
  }
}

TEST_F(FinetuneData, NoAssistantTurnNamesTheLine) {
  const auto p =
      write_tmp("noasst.jsonl",
                R"({"messages":[{"role":"user","content":"a"},{"role":"assistant","content":"b"}]})"
                "\n"
                R"({"messages":[{"role":"user","content":"only a question"}]})"
                "\n");
  try {
    load_sft_jsonl(p, ctx(), DataOptions{});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(":2"), std::string::npos) << m;
    EXPECT_NE(m.find("no assistant turn"), std::string::npos) << m;
  }
}

TEST_F(FinetuneData, ChosenEqualsRejectedIsAnInputError) {
  const auto p = write_tmp(
      "same.jsonl",
      R"({"prompt":[{"role":"user","content":"q"}],"chosen":[{"role":"assistant","content":"same"}],"rejected":[{"role":"assistant","content":"same"}]})"
      "\n");
  try {
    load_preference_jsonl(p, ctx(), DataOptions{});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("identical"), std::string::npos) << e.what();
  }
}

TEST_F(FinetuneData, BadJsonAndBadRoleNameTheLine) {
  const auto p = write_tmp("bad.jsonl", "{\"messages\": [}\n");
  EXPECT_THROW(load_sft_jsonl(p, ctx(), DataOptions{}), InputError);
  const auto q = write_tmp("role.jsonl", R"({"messages":[{"role":"robot","content":"x"}]})"
                                         "\n");
  try {
    load_sft_jsonl(q, ctx(), DataOptions{});
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("robot"), std::string::npos) << e.what();
  }
}

TEST_F(FinetuneData, TruncationKeepsTheStartAndCounts) {
  DataOptions o;
  const auto full = load_sft_jsonl(ft_data("sft_pc.jsonl"), ctx(), o);
  // A limit below every row's length: all rows cut; rows whose prompt fills
  // the limit keep no loss token and are dropped.
  size_t min_prompt = 1 << 20, min_len = 1 << 20;
  std::vector<size_t> prompts;
  for (const auto& ex : full) {
    size_t p = 0;
    while (ex.labels[p] == -100) ++p;
    prompts.push_back(p);
    min_prompt = std::min(min_prompt, p);
    min_len = std::min(min_len, ex.ids.size());
  }
  o.max_length = min_len - 1;
  int64_t want_dropped = 0;
  for (size_t p : prompts) want_dropped += static_cast<int64_t>(p) >= o.max_length;
  ASSERT_LT(want_dropped, 4);
  DataStats s;
  const auto cut = load_sft_jsonl(ft_data("sft_pc.jsonl"), ctx(), o, &s);
  EXPECT_EQ(s.rows, 4);
  EXPECT_EQ(s.truncated, 4);
  EXPECT_EQ(s.dropped, want_dropped);
  ASSERT_EQ(static_cast<int64_t>(cut.size()), 4 - want_dropped);
  for (const auto& ex : cut) {
    EXPECT_EQ(static_cast<int64_t>(ex.ids.size()), o.max_length);
    bool prefix = false;
    for (const auto& f : full)
      prefix = prefix || std::equal(ex.ids.begin(), ex.ids.end(), f.ids.begin());
    EXPECT_TRUE(prefix) << "a truncated row must be the start of an original row";
  }
  // A limit shorter than every prompt: every row dropped, which is an error.
  o.max_length = min_prompt;
  EXPECT_THROW(load_sft_jsonl(ft_data("sft_pc.jsonl"), ctx(), o), InputError);
}

TEST_F(FinetuneData, PreferenceTruncationDropsPromptOnlyRows) {
  PreferenceExample ex{{1, 2, 3}, {4, 5, 6}, {7, 8}};
  bool cut = false;
  PreferenceExample a = ex;
  EXPECT_TRUE(truncate_preference(a, 4, &cut));
  EXPECT_TRUE(cut);
  EXPECT_EQ(a.chosen, (std::vector<int64_t>{4}));
  EXPECT_EQ(a.rejected, (std::vector<int64_t>{7}));
  PreferenceExample b = ex;
  EXPECT_FALSE(truncate_preference(b, 3, &cut));
}

TEST_F(FinetuneData, CollatePadsRightAndMasksPads) {
  std::vector<SftExample> d = {{{1, 2, 3}, {-100, 2, 3}}, {{4, 5}, {4, 5}}};
  const TokenBatch b = collate_sft(d, {0, 1}, 9);
  EXPECT_TRUE(torch::equal(b.ids, torch::tensor({{1, 2, 3}, {4, 5, 9}}, torch::kInt64)));
  EXPECT_TRUE(torch::equal(b.labels, torch::tensor({{-100, 2, 3}, {4, 5, -100}}, torch::kInt64)));
  EXPECT_EQ(b.n_loss_tokens(), 3);
  std::vector<PreferenceExample> p = {{{1}, {2, 3}, {4}}};
  const TokenBatch pb = collate_preference(p, {0}, 0);
  EXPECT_TRUE(torch::equal(pb.ids, torch::tensor({{1, 2, 3}, {1, 4, 0}}, torch::kInt64)));
  EXPECT_TRUE(
      torch::equal(pb.labels, torch::tensor({{-100, 2, 3}, {-100, 4, -100}}, torch::kInt64)));
}

}  // namespace
}  // namespace traitlab
