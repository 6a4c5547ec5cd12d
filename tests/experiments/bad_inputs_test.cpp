// The bad-input catalogue (docs/reliability.md): broken files and invocations
// a user can hand traitlab, each with the exit code and the one-line message
// it must produce. Fixed fixtures live in tests/bad_inputs/; broken model
// directories are made here from tests/data/models/llama_tok.
// TRAITLAB_PRINT_BAD=1 prints every case's actual stderr (to update the table).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <nlohmann/json.hpp>

#include "tests/experiments/cli_test_util.h"

namespace traitlab {
namespace {

namespace fs = std::filesystem;
using testing::run_cli;
using testing::TempDir;

const std::string kData = TRAITLAB_TEST_DATA;
const std::string kBad = std::string(TRAITLAB_SOURCE_DIR) + "/tests/bad_inputs";

std::string read(const std::string& p) {
  std::ifstream f(p, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(f), {});
}
void write(const std::string& p, const std::string& s) {
  std::ofstream(p, std::ios::binary | std::ios::trunc) << s;
}

// A copy of the small llama checkpoint (config, weights, tokenizer) to break.
std::string model_copy(const std::string& dir) {
  const std::string m = dir + "/model";
  fs::create_directories(m);
  for (const auto& e : fs::directory_iterator(kData + "/models/llama_tok"))
    fs::copy_file(e.path(), m + "/" + e.path().filename().string());
  return m;
}

void edit_json(const std::string& path, const std::function<void(nlohmann::json&)>& f) {
  auto j = nlohmann::json::parse(read(path));
  f(j);
  write(path, j.dump());
}

// Rewrites the safetensors header in place (padded with spaces to its size).
void edit_safetensors_header(const std::string& path,
                             const std::function<void(nlohmann::json&)>& f) {
  std::string bytes = read(path);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<unsigned char>(bytes[i]);
  auto header = nlohmann::json::parse(bytes.substr(8, n));
  f(header);
  std::string h = header.dump();
  ASSERT_LE(h.size(), n);
  h.resize(n, ' ');
  bytes.replace(8, n, h);
  write(path, bytes);
}

struct Case {
  std::string name;
  std::function<std::vector<std::string>(const std::string& tmp)> make;  // args
  int exit_code;
  std::string message;  // substring of the one error line
};

std::vector<std::string> info(const std::string& m) { return {"info", m}; }
std::vector<std::string> measure_items(const std::string& file) {
  return {"measure", "--model", kData + "/models/llama_tok",           "--instrument",
          file,      "--out",   "/nonexistent-dir-for-bad-inputs/x.h5"};
}
std::vector<std::string> finetune(const std::string& tmp, const std::string& data,
                                  const std::string& method, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"finetune", "--model",     kData + "/models/llama_tok",
                                "--data",   data,          "--method",
                                method,     "--lora-rank", "2",
                                "--out",    tmp + "/ft"};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}
std::vector<std::string> run_config(const std::string& ini, std::vector<std::string> extra = {}) {
  std::vector<std::string> a = {"run", kBad + "/" + ini};
  a.insert(a.end(), extra.begin(), extra.end());
  return a;
}

std::vector<Case> catalogue() {
  return {
      // --- model directories ---
      {"safetensors truncated",
       [](const std::string& t) {
         auto m = model_copy(t);
         fs::resize_file(m + "/model.safetensors", fs::file_size(m + "/model.safetensors") - 1000);
         return info(m);
       },
       2, "extend beyond the data section"},
      {"safetensors header length beyond the file",
       [](const std::string& t) {
         auto m = model_copy(t);
         std::string b = read(m + "/model.safetensors");
         b[6] = 0x7f;
         write(m + "/model.safetensors", b);
         return info(m);
       },
       2, "over the 100000000-byte limit"},
      {"safetensors overlapping tensors",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_safetensors_header(m + "/model.safetensors", [](nlohmann::json& h) {
           std::vector<std::string> names;
           for (auto& [k, v] : h.items())
             if (k != "__metadata__") names.push_back(k);
           h[names[1]]["data_offsets"] = h[names[0]]["data_offsets"];
         });
         return info(m);
       },
       2, "overlap tensor"},
      {"tensor with the wrong shape for config.json",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/config.json", [](nlohmann::json& c) {
           c["intermediate_size"] = c["intermediate_size"].get<int>() + 8;
         });
         return std::vector<std::string>{"score", "--model",  m,   "--context",
                                         "Hi",    "--option", " a"};
       },
       2, "has shape [128, 64], expected [136, 64]"},
      {"config.json not JSON",
       [](const std::string& t) {
         auto m = model_copy(t);
         write(m + "/config.json", "{\"hidden_size\": 64,");
         return info(m);
       },
       2, "config.json"},
      {"config.json without hidden_size",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/config.json", [](nlohmann::json& c) { c.erase("hidden_size"); });
         return info(m);
       },
       2, "hidden_size"},
      {"config.json with an unknown model_type",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/config.json", [](nlohmann::json& c) { c["model_type"] = "bert"; });
         return info(m);
       },
       2, "bert"},
      {"tokenizer.json with an unknown pre-tokenizer",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/tokenizer.json", [](nlohmann::json& j) {
           j["pre_tokenizer"] = {{"type", "Whitespace2000"}};
         });
         return std::vector<std::string>{"tokenize", "--model", m, "--text", "hello"};
       },
       2, "Whitespace2000"},
      {"tokenizer.json merges with an unknown token",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/tokenizer.json", [](nlohmann::json& j) {
           auto& merges = j["model"]["merges"];
           if (!merges.empty() && merges[0].is_array())
             merges[0] = nlohmann::json::array({"zzqx_not_a_token", "qq"});
           else
             merges[0] = "zzqx_not_a_token qq";
         });
         return std::vector<std::string>{"tokenize", "--model", m, "--text", "hello"};
       },
       2, "zzqx_not_a_token"},
      {"tokenizer.json with an unknown model type",
       [](const std::string& t) {
         auto m = model_copy(t);
         edit_json(m + "/tokenizer.json",
                   [](nlohmann::json& j) { j["model"]["type"] = "WordPiece"; });
         return std::vector<std::string>{"tokenize", "--model", m, "--text", "hello"};
       },
       2, "WordPiece"},
      {"model directory without tokenizer.json",
       [](const std::string& t) {
         auto m = model_copy(t);
         fs::remove(m + "/tokenizer.json");
         return std::vector<std::string>{"score", "--model",  m,   "--context",
                                         "Hi",    "--option", " a"};
       },
       2, "tokenizer.json: missing"},
      {"pickle checkpoint only (never loaded)",
       [](const std::string& t) {
         auto m = model_copy(t);
         fs::remove(m + "/model.safetensors");
         write(m + "/pytorch_model.bin", "\x80\x02}q\x00.");
         return info(m);
       },
       2, "traitlab reads only safetensors weights"},
      // --- item banks ---
      {"scenario item with three options",
       [](const std::string&) { return measure_items(kBad + "/item_three_options.jsonl"); }, 2,
       "response_low2"},
      {"scenario item with an unknown trait",
       [](const std::string&) { return measure_items(kBad + "/item_unknown_trait.jsonl"); }, 2,
       "Honesty"},
      {"duplicate item ids",
       [](const std::string&) { return measure_items(kBad + "/item_duplicate_ids.jsonl"); }, 2,
       "duplicate"},
      {"empty item bank",
       [](const std::string&) { return measure_items(kBad + "/item_empty.jsonl"); }, 2, "empty"},
      {"item bank with invalid JSON",
       [](const std::string&) { return measure_items(kBad + "/item_bad_json.jsonl"); }, 2,
       "item_bad_json.jsonl:2"},
      {"Likert statement with key 2",
       [](const std::string&) { return measure_items(kBad + "/likert_bad_key.jsonl"); }, 2, "key"},
      {"Likert CSV without a required column",
       [](const std::string&) { return measure_items(kBad + "/likert_missing_column.csv"); }, 2,
       "likert_missing_column.csv"},
      {"unknown instrument name", [](const std::string&) { return measure_items("ipip-999"); }, 2,
       "ipip-999"},
      {"unknown trait on the command line",
       [](const std::string&) {
         auto a = measure_items("trait-builtin");
         a.insert(a.end(), {"--traits", "honesty"});
         return a;
       },
       2, "honesty"},
      // --- experiment configs ---
      {"config key typo", [](const std::string&) { return run_config("config_key_typo.ini"); }, 2,
       "config_key_typo.ini:5: unknown key 'thread'"},
      {"negative learning rate",
       [](const std::string&) { return run_config("config_negative_lr.ini"); }, 2,
       "finetune.learning_rate': must be > 0"},
      {"empty grid axis", [](const std::string&) { return run_config("config_empty_grid.ini"); }, 2,
       "the grid would have no cells"},
      {"persona level outside 1-9",
       [](const std::string&) { return run_config("config_level_out_of_range.ini"); }, 2,
       "must be <= 9, got 10"},
      {"INI syntax error", [](const std::string&) { return run_config("config_bad_syntax.ini"); },
       2, "config_bad_syntax.ini"},
      {"--resume with --overwrite",
       [](const std::string& t) {
         return std::vector<std::string>{"run",        "--model",   kData + "/models/llama_tok",
                                         "--output",   t + "/r.h5", "--resume",
                                         "--overwrite"};
       },
       2, "--resume and --overwrite contradict each other"},
      {"output path under a regular file",
       [](const std::string& t) {
         write(t + "/plainfile", "x");
         return std::vector<std::string>{"run", "--model", kData + "/models/llama_tok", "--output",
                                         t + "/plainfile/run.h5"};
       },
       2, "plainfile' is not a directory"},
      // --- training data ---
      {"empty preference file",
       [](const std::string& t) { return finetune(t, kBad + "/pref_empty.jsonl", "dpo"); }, 2,
       "pref_empty.jsonl"},
      {"chosen identical to rejected",
       [](const std::string& t) {
         return finetune(t, kBad + "/pref_chosen_equals_rejected.jsonl", "dpo");
       },
       2, "pref_chosen_equals_rejected.jsonl:1"},
      {"conversation without an assistant turn",
       [](const std::string& t) { return finetune(t, kBad + "/sft_no_assistant.jsonl", "sft"); }, 2,
       "sft_no_assistant.jsonl:1"},
      {"unknown chat role",
       [](const std::string& t) { return finetune(t, kBad + "/sft_unknown_role.jsonl", "sft"); }, 2,
       "robot"},
      {"LoRA targets that match no module",
       [](const std::string& t) {
         return finetune(t, kBad + "/../data/finetune/sft_messages.jsonl", "sft",
                         {"--lora-targets", "attn.qkv_fused"});
       },
       2, "attn.qkv_fused"},
      // --- results files and commands ---
      {"show on a file that is not HDF5",
       [](const std::string& t) {
         write(t + "/fake.h5", "not an hdf5 file at all");
         return std::vector<std::string>{"show", t + "/fake.h5"};
       },
       2, "fake.h5"},
      {"show on a damaged results file that crashes libhdf5",
       [](const std::string&) {
         // 4 bytes of a dummy run's results file changed: libhdf5 1.10.8
         // segfaults in H5HG_read; the guard reads it in a child first.
         return std::vector<std::string>{"show", kBad + "/results_crashes_libhdf5.h5"};
       },
       2, "results_crashes_libhdf5.h5: damaged file: libhdf5 crashed (signal 11) reading it"},
      {"merge of a damaged results file",
       [](const std::string& t) {
         return std::vector<std::string>{"merge", kBad + "/results_crashes_libhdf5.h5", "-o",
                                         t + "/merged.h5"};
       },
       2, "results_crashes_libhdf5.h5: damaged file: libhdf5 crashed"},
      {"rerun of a missing file",
       [](const std::string& t) {
         return std::vector<std::string>{"rerun", t + "/missing.h5", "-o", t + "/again.h5"};
       },
       3, "missing.h5: cannot open"},
      {"CUDA asked for on a CPU-only build or machine",
       [](const std::string&) {
         return std::vector<std::string>{"score",     "--model",  kData + "/models/llama_tok",
                                         "--context", "Hi",       "--option",
                                         " a",        "--device", "cuda"};
       },
       2, "cuda"},
      {"unknown command", [](const std::string&) { return std::vector<std::string>{"measur"}; }, 2,
       "measur"},
  };
}

TEST(BadInputs, EveryCaseFailsWithItsOneLineMessage) {
  const bool print = std::getenv("TRAITLAB_PRINT_BAD") != nullptr;
  int n = 0;
  for (const auto& c : catalogue()) {
    SCOPED_TRACE(c.name);
    TempDir tmp("bad_" + std::to_string(n++));
    auto args = c.make(tmp.str());
    auto r = run_cli(args);
    if (print) std::cout << "[" << c.name << "] exit " << r.code << ": " << r.err;
    EXPECT_EQ(r.code, c.exit_code) << r.err;
    // Exactly one line says what is wrong; no backtrace, no crash.
    size_t errors = 0, pos = 0;
    while ((pos = r.err.find("error:", pos)) != std::string::npos) ++errors, ++pos;
    EXPECT_EQ(errors, 1u) << r.err;
    EXPECT_EQ(r.err.find("Exception raised from"), std::string::npos) << r.err;
    EXPECT_NE(r.err.find(c.message), std::string::npos)
        << "expected '" << c.message << "' in: " << r.err;
    // No results file that could pass for a complete one.
    EXPECT_FALSE(fs::exists(tmp.sub("ft/adapter"))) << "training output written";
  }
  EXPECT_GE(n, 30);
}

}  // namespace
}  // namespace traitlab
