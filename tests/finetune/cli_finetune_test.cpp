// `traitlab finetune` end to end: outputs, bad input, and resume after a
// real kill -9 at a random moment.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "../experiments/cli_test_util.h"
#include "core/util/json_io.h"
#include "finetune_test_util.h"

namespace traitlab {
namespace {

using namespace traitlab::testing;
namespace fs = std::filesystem;

std::vector<std::string> base_args(const std::string& out) {
  return {"finetune",
          "--model",
          llama_tok_dir(),
          "--data",
          ft_data("sft_pc.jsonl"),
          "--method",
          "sft",
          "--lora-rank",
          "4",
          "--out",
          out,
          "--threads",
          "1"};
}

std::vector<std::string> with(std::vector<std::string> a, const std::vector<std::string>& more) {
  a.insert(a.end(), more.begin(), more.end());
  return a;
}

std::string slurp(const fs::path& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}

TEST(CliFinetune, LoraSftWritesAdapterMergedLogAndSummary) {
  TempDir tmp("ft_cli_a");
  const std::string out = tmp.sub("run");
  const CliResult r = run_cli(with(base_args(out), {"--max-steps", "2", "--save-merged"}));
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("4 rows; 0 truncated"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(fs::path(out) / "adapter" / "adapter_config.json"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "adapter" / "adapter_model.safetensors"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "merged" / "model.safetensors"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "merged" / "tokenizer.json"));
  const auto summary = read_json_file((fs::path(out) / "summary.json").string());
  EXPECT_EQ(summary["steps"], 2);
  int steps = 0;
  std::ifstream log(fs::path(out) / "train_log.jsonl");
  for (std::string line; std::getline(log, line);)
    steps += nlohmann::json::parse(line)["kind"] == "step";
  EXPECT_EQ(steps, 2);
  // The merged model loads and runs through the same CLI.
  const CliResult info = run_cli({"info", "--model", (fs::path(out) / "merged").string()});
  EXPECT_EQ(info.code, 0) << info.err;
}

TEST(CliFinetune, DpoFullGaLoreRuns) {
  TempDir tmp("ft_cli_b");
  const std::string out = tmp.sub("run");
  const CliResult r = run_cli({"finetune",
                               "--model",
                               llama_tok_dir(),
                               "--data",
                               ft_data("dpo.jsonl"),
                               "--method",
                               "dpo",
                               "--full",
                               "--optimizer",
                               "galore",
                               "--galore-rank",
                               "2",
                               "--max-steps",
                               "2",
                               "--batch-size",
                               "2",
                               "--out",
                               out,
                               "--threads",
                               "1"});
  ASSERT_EQ(r.code, 0) << r.err;
  EXPECT_NE(r.err.find("rewards/margins"), std::string::npos) << r.err;
  EXPECT_TRUE(fs::exists(fs::path(out) / "model" / "model.safetensors"));
  EXPECT_TRUE(fs::exists(fs::path(out) / "model" / "tokenizer.json"));
}

TEST(CliFinetune, BadInputIsExitCode2WithOneLine) {
  TempDir tmp("ft_cli_c");
  const std::string out = tmp.sub("run");
  struct Case {
    std::vector<std::string> args;
    std::string expect;
  };
  const std::vector<Case> cases = {
      {with(base_args(out), {"--lora-targets", "qkv"}), "valid: "},
      {{"finetune", "--model", llama_tok_dir(), "--data", ft_data("sft_pc.jsonl"), "--out", out,
        "--lora-rank", "4", "--optimizer", "galore"},
       "needs --full"},
      {{"finetune", "--model", llama_tok_dir(), "--data", ft_data("sft_pc.jsonl"), "--out", out},
       "--lora-rank"},
      {{"finetune", "--model", llama_tok_dir(), "--data", ft_data("sft_pc.jsonl"), "--out", out,
        "--method", "dpo", "--lora-rank", "4"},
       "sft_pc.jsonl:1"},
      {with(base_args(out), {"--max-length", "3"}), "dropped"},
  };
  for (const auto& c : cases) {
    const CliResult r = run_cli(c.args);
    EXPECT_EQ(r.code, 2) << c.expect << ": " << r.err;
    EXPECT_NE(r.err.find(c.expect), std::string::npos) << r.err;
  }
}

TEST(CliFinetune, ExistingCheckpointNeedsResume) {
  TempDir tmp("ft_cli_d");
  const std::string out = tmp.sub("run");
  ASSERT_EQ(run_cli(with(base_args(out), {"--max-steps", "1"})).code, 0);
  const CliResult r = run_cli(with(base_args(out), {"--max-steps", "1"}));
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.err.find("--resume"), std::string::npos) << r.err;
}

// kill -9 at a random moment, resume, and the adapter equals an
// uninterrupted run's byte for byte (any moment works: checkpoints are atomic).
TEST(CliFinetune, ResumeAfterKillMinus9IsExact) {
  TempDir tmp("ft_cli_e");
  const std::vector<std::string> extra = {"--max-steps",  "8", "--save-every",   "1",
                                          "--batch-size", "2", "--lora-dropout", "0.1",
                                          "--seed",       "3"};
  const std::string a = tmp.sub("a"), b = tmp.sub("b");
  ASSERT_EQ(run_cli(with(base_args(a), extra)).code, 0);

  std::mt19937 rng(std::random_device{}());
  const double secs = std::uniform_real_distribution<double>(0.2, 3.0)(rng);
  std::string cmd = "timeout -s KILL " + std::to_string(secs) + " " + shell_quote(TRAITLAB_BINARY);
  for (const auto& x : with(base_args(b), extra)) cmd += " " + shell_quote(x);
  cmd += " 2>/dev/null";
  const int rc = std::system(cmd.c_str());
  (void)rc;
  const CliResult r = run_cli(with(base_args(b), with(extra, {"--resume"})));
  ASSERT_EQ(r.code, 0) << "killed after " << secs << " s: " << r.err;
  EXPECT_EQ(slurp(fs::path(a) / "adapter" / "adapter_model.safetensors"),
            slurp(fs::path(b) / "adapter" / "adapter_model.safetensors"))
      << "killed after " << secs << " s";
  // The log reads as one run: 8 step lines, steps 1..8 once each.
  std::vector<int> seen(9, 0);
  std::ifstream log(fs::path(b) / "train_log.jsonl");
  for (std::string line; std::getline(log, line);) {
    const auto j = nlohmann::json::parse(line);
    if (j["kind"] == "step") ++seen.at(j["step"].get<int>());
  }
  for (int s = 1; s <= 8; ++s) EXPECT_EQ(seen[s], 1) << "step " << s << " in the log";
}

}  // namespace
}  // namespace traitlab
