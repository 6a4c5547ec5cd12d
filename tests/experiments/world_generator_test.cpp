// The whole world: determinism, held-out items, file formats, CLI errors.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "core/util/json_io.h"
#include "experiments/world/world_writer.h"

namespace traitlab::world {

namespace {

namespace fs = std::filesystem;

fs::path temp_dir(const std::string& name) {
  // Per process: ctest -j runs the tests of this file in parallel processes.
  const fs::path p = fs::temp_directory_path() /
                     ("traitlab_world_test_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  return p;
}

WorldConfig small_config(uint64_t seed) {
  WorldConfig cfg;
  cfg.seed = seed;
  cfg.respondents = 150;
  cfg.alignment_sft = 80;
  cfg.alignment_dpo = 80;
  cfg.prompted_docs = 300;
  cfg.prompted_sft = 2000;
  cfg.prompted_dpo = 500;
  return cfg;
}

std::vector<nlohmann::json> read_jsonl(const fs::path& p) {
  std::ifstream f(p);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(f, line)) out.push_back(parse_json(line, p.string()));
  return out;
}

const char* kFiles[] = {"corpus.txt",        "corpus.jsonl",        "items_train.jsonl",
                        "items_test.jsonl",  "likert_train.jsonl",  "likert_test.jsonl",
                        "respondents.csv",   "alignment_sft.jsonl", "alignment_dpo.jsonl",
                        "world.json",        "prompted_sft.jsonl",  "persona_markers.json",
                        "prompted_dpo.jsonl"};

class WorldGenerator : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new fs::path(temp_dir("a"));
    summary_ = new WorldSummary(generate_world(small_config(5), dir_->string()));
  }
  static void TearDownTestSuite() {
    fs::remove_all(*dir_);
    delete dir_;
    delete summary_;
  }
  static fs::path* dir_;
  static WorldSummary* summary_;
};
fs::path* WorldGenerator::dir_ = nullptr;
WorldSummary* WorldGenerator::summary_ = nullptr;

}  // namespace

TEST_F(WorldGenerator, SameSeedGivesByteIdenticalFilesOtherSeedDiffers) {
  const fs::path b = temp_dir("b"), c = temp_dir("c");
  generate_world(small_config(5), b.string());
  generate_world(small_config(6), c.string());
  for (const char* name : kFiles) {
    ASSERT_TRUE(fs::exists(*dir_ / name)) << name;
    EXPECT_EQ(read_file((*dir_ / name).string()), read_file((b / name).string())) << name;
  }
  EXPECT_NE(read_file((*dir_ / "corpus.txt").string()), read_file((c / "corpus.txt").string()));
  fs::remove_all(b);
  fs::remove_all(c);
}

TEST_F(WorldGenerator, MoreAlignmentDataLeavesTheCorpusUnchanged) {
  WorldConfig cfg = small_config(5);
  cfg.alignment_sft = 10;
  const fs::path b = temp_dir("d");
  generate_world(cfg, b.string());
  EXPECT_EQ(read_file((*dir_ / "corpus.txt").string()), read_file((b / "corpus.txt").string()));
  fs::remove_all(b);
}

// Every text the model may be trained on.
std::vector<std::string> training_texts(const fs::path& dir) {
  std::vector<std::string> out;
  for (const char* f : {"corpus.txt", "alignment_sft.jsonl", "alignment_dpo.jsonl",
                        "prompted_sft.jsonl", "prompted_dpo.jsonl"})
    out.push_back(read_file((dir / f).string()));
  return out;
}

TEST_F(WorldGenerator, HeldOutItemsNeverReachTheTrainingText) {
  // Default split "item": no test item's situation, in either wording, is in
  // any training text; its template's actions are (with other people).
  const auto texts = training_texts(*dir_);
  const auto test = read_jsonl(*dir_ / "items_test.jsonl");
  const auto train = read_jsonl(*dir_ / "items_train.jsonl");
  ASSERT_EQ(test.size(), 8u * 4u * 2u);  // per trait 4 templates x 2 of 8 people
  ASSERT_EQ(train.size(), 3u * test.size());
  for (const auto& it : test) {
    EXPECT_EQ(it["split"], "test");
    for (const char* key : {"situation", "paraphrased_situation"}) {
      const std::string s = it[key];
      for (const auto& text : texts)
        EXPECT_EQ(text.find(s), std::string::npos) << it["idx"] << " " << key << ": " << s;
    }
  }
  // Train items do reach the corpus (some of them, at 150 respondents).
  const std::string& corpus = texts[0];
  size_t seen = 0;
  for (const auto& it : train)
    seen += corpus.find(it["situation"].get<std::string>()) != std::string::npos;
  EXPECT_GT(seen, train.size() / 2);
  for (const auto& s : read_jsonl(*dir_ / "likert_test.jsonl")) {
    const std::string text = s["text"];
    EXPECT_EQ(corpus.find("\"" + text + "\""), std::string::npos) << text;
    EXPECT_EQ(corpus.find("Statement: " + text), std::string::npos) << text;
  }
}

TEST(WorldSplit, TemplateSplitHoldsOutEveryWordingOfATemplate) {
  WorldConfig cfg = small_config(5);
  cfg.split = "template";
  const fs::path dir = temp_dir("template_split");
  generate_world(cfg, dir.string());
  const auto texts = training_texts(dir);
  const auto test = read_jsonl(dir / "items_test.jsonl");
  ASSERT_EQ(test.size(), 8u * 8u);  // one template of 4 per trait, 8 people each
  for (const auto& it : test)
    for (const char* key :
         {"situation", "paraphrased_situation", "response_high1", "response_low1", "statement"}) {
      const std::string s = it[key];
      for (const auto& text : texts)
        EXPECT_EQ(text.find(s), std::string::npos) << it["idx"] << " " << key << ": " << s;
    }
  fs::remove_all(dir);
}

TEST_F(WorldGenerator, RecordsHaveTheDocumentedFields) {
  for (const auto& it : read_jsonl(*dir_ / "items_test.jsonl")) {
    for (const char* key :
         {"idx", "split", "personality", "statement", "situation", "query", "response_high1",
          "response_high2", "response_low1", "response_low2", "paraphrased_situation",
          "paraphrased_query", "discrimination", "difficulty"})
      ASSERT_TRUE(it.contains(key)) << key;
    EXPECT_NE(it["response_high1"], it["response_high2"]);
  }
  const auto likert = read_jsonl(*dir_ / "likert_test.jsonl");
  ASSERT_EQ(likert.size(), 8u * 4u);
  for (const auto& s : likert) {
    for (const char* key :
         {"id", "text", "trait", "facet", "key", "scale_points", "anchors", "source"})
      ASSERT_TRUE(s.contains(key)) << key;
    EXPECT_EQ(s["anchors"].size(), s["scale_points"].get<size_t>());
  }
  for (const auto& d : read_jsonl(*dir_ / "alignment_sft.jsonl")) {
    ASSERT_TRUE(d["messages"].is_array());
    EXPECT_EQ(d["messages"].back()["role"], "assistant");
  }
  for (const auto& d : read_jsonl(*dir_ / "alignment_dpo.jsonl")) {
    EXPECT_NE(d["chosen"][0]["content"], d["rejected"][0]["content"]) << d.dump();
  }
  const std::string csv = read_file((*dir_ / "respondents.csv").string());
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "id,Openness,Conscientiousness,Extraversion,Agreeableness,Neuroticism,"
            "Machiavellianism,Narcissism,Psychopathy");
  EXPECT_EQ(std::count(csv.begin(), csv.end(), '\n'), 151);

  const nlohmann::json w = read_json_file((*dir_ / "world.json").string());
  EXPECT_EQ(w["config"]["seed"], 5);
  EXPECT_EQ(w["config"]["respondents"], 150);
  EXPECT_EQ(w["files"]["corpus.txt"]["bytes"], fs::file_size(*dir_ / "corpus.txt"));
}

TEST_F(WorldGenerator, CorpusDocumentsAndConditioningShare) {
  const std::string corpus = read_file((*dir_ / "corpus.txt").string());
  size_t docs = 0;
  for (size_t p = corpus.find("<|end_of_text|>\n"); p != std::string::npos;
       p = corpus.find("<|end_of_text|>\n", p + 1))
    ++docs;
  EXPECT_EQ(docs, static_cast<size_t>(summary_->documents));
  // 2 scenario + 1 Likert + 1 interview documents each, plus the prompted ones.
  EXPECT_EQ(docs, 150u * 4u + 300u);
  EXPECT_EQ(summary_->prompted, 300);
  const double share = summary_->conditioned / double(150u * 4u);
  EXPECT_NEAR(share, 0.5, 0.07);
  EXPECT_NE(corpus.find("Answer: "), std::string::npos);
  EXPECT_NE(corpus.find("Interviewer: "), std::string::npos);
}

TEST(WorldCli, BadConfigIsAnInputErrorNamingTheKey) {
  const fs::path dir = temp_dir("cli");
  fs::create_directories(dir);
  {
    std::ofstream ini(dir / "w.ini");
    ini << "respondents = 20\nsds = 1 1 1\n";
  }
  const std::string log = (dir / "log.txt").string();
  const std::string base = std::string(TRAITLAB_BINARY) + " world --out " + (dir / "out").string();
  int rc =
      std::system((base + " --config " + (dir / "w.ini").string() + " > " + log + " 2>&1").c_str());
  EXPECT_EQ(WEXITSTATUS(rc), 2);
  EXPECT_NE(read_file(log).find("key 'sds'"), std::string::npos) << read_file(log);

  {
    std::ofstream ini(dir / "ok.ini");
    ini << "respondents = 20\nalignment_sft = 5\nalignment_dpo = 5\nseed = 3\n";
  }
  // The command line wins over the file.
  rc = std::system(
      (base + " --seed 9 --config " + (dir / "ok.ini").string() + " > " + log + " 2>&1").c_str());
  ASSERT_EQ(WEXITSTATUS(rc), 0) << read_file(log);
  const nlohmann::json w = read_json_file((dir / "out" / "world.json").string());
  EXPECT_EQ(w["config"]["seed"], 9);
  EXPECT_EQ(w["config"]["respondents"], 20);
  fs::remove_all(dir);
}

}  // namespace traitlab::world
