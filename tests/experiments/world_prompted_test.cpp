// Prompted documents: traitlab's persona wording with the world's markers,
// and answers that follow the response model at theta(level).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <regex>

#include "core/util/json_io.h"
#include "elicit/techniques/persona.h"
#include "experiments/world/prompted_docs.h"
#include "experiments/world/traits.h"
#include "experiments/world/world_config.h"
#include "experiments/world/world_writer.h"

namespace traitlab::world {
namespace {

namespace fs = std::filesystem;

struct World {
  fs::path dir;
  std::vector<nlohmann::json> rows, pairs, train_items, test_items;
};

std::vector<nlohmann::json> read_jsonl(const fs::path& p) {
  std::ifstream f(p);
  std::vector<nlohmann::json> out;
  std::string line;
  while (std::getline(f, line)) out.push_back(parse_json(line, p.string()));
  return out;
}

const World& world() {
  static const World w = [] {
    World x;
    // Per process: ctest -j runs these tests in parallel processes.
    x.dir =
        fs::temp_directory_path() / ("traitlab_world_prompted_test_" + std::to_string(::getpid()));
    fs::remove_all(x.dir);
    WorldConfig cfg;
    cfg.seed = 11;
    cfg.respondents = 100;
    cfg.alignment_sft = 10;
    cfg.alignment_dpo = 10;
    cfg.prompted_docs = 50;
    cfg.prompted_sft = 4000;
    cfg.prompted_dpo = 3000;
    generate_world(cfg, x.dir.string());
    x.rows = read_jsonl(x.dir / "prompted_sft.jsonl");
    x.pairs = read_jsonl(x.dir / "prompted_dpo.jsonl");
    x.test_items = read_jsonl(x.dir / "items_test.jsonl");
    x.train_items = read_jsonl(x.dir / "items_train.jsonl");
    return x;
  }();
  return w;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a);
}

// "high" / "low" for a prompt whose persona is level 9 / level 1
// ("extremely <marker>"), "" otherwise.
std::string extreme_persona_pole(const World& w, const std::string& prompt) {
  static const std::map<std::string, std::string> pole_of = [&] {
    std::map<std::string, std::string> m;  // "extremely <adj>" -> pole
    const nlohmann::json markers = read_json_file((w.dir / "persona_markers.json").string());
    for (const auto& [trait, tm] : markers.items())
      for (const char* pole : {"high", "low"})
        for (const auto& adj : tm[pole]) m["extremely " + adj.get<std::string>()] = pole;
    return m;
  }();
  std::string persona_pole;
  for (const auto& [phrase, pole] : pole_of)
    if (prompt.find("is " + phrase + ",") != std::string::npos ||
        prompt.find("is " + phrase + " and") != std::string::npos ||
        prompt.find("I'm " + phrase + ",") != std::string::npos ||
        prompt.find("I'm " + phrase + " and") != std::string::npos)
      persona_pole = pole;
  return persona_pole;
}

// The item (of `items`) whose situation the prompt holds, or nullptr.
const nlohmann::json* item_in(const std::vector<nlohmann::json>& items, const std::string& prompt) {
  for (const auto& it : items)
    if (prompt.find(it["situation"].get<std::string>()) != std::string::npos ||
        prompt.find(it["paraphrased_situation"].get<std::string>()) != std::string::npos)
      return &it;
  return nullptr;
}

// +1 / -1 when `text` is one of the item's high / low options, 0 otherwise.
int pole_of_option(const nlohmann::json& item, const std::string& text) {
  if (text == item["response_high1"] || text == item["response_high2"]) return 1;
  if (text == item["response_low1"] || text == item["response_low2"]) return -1;
  return 0;
}

}  // namespace

TEST(WorldPrompted, RowsArePromptCompletionPairsWithLettersOrOptionText) {
  const auto& w = world();
  ASSERT_EQ(w.rows.size(), 4000u);
  size_t letters = 0;
  for (const auto& r : w.rows) {
    ASSERT_TRUE(r["prompt"].is_string() && r["completion"].is_string()) << r.dump();
    const std::string c = r["completion"];
    ASSERT_EQ(c[0], ' ') << c;
    letters += c.size() == 2 && c[1] >= 'A' && c[1] <= 'D';
  }
  EXPECT_NEAR(letters / 4000.0, 0.5, 0.05);  // prompted_cloze_fraction 0.5
}

TEST(WorldPrompted, PersonaIsTraitlabsWordingWithTheWorldsMarkers) {
  // The markers file loads as an elicit persona bank, and the full-marker
  // persona the `run` technique would build for a trait and level occurs
  // verbatim as a prompt preamble (half the personas use every marker).
  const auto& w = world();
  const PersonaBank bank = PersonaBank::load_markers((w.dir / "persona_markers.json").string());
  ASSERT_EQ(bank.trait_names().size(), 8u);
  size_t verbatim = 0;
  for (int t = 0; t < kNumTraits; ++t)
    for (int level = 1; level <= 9; ++level)
      for (PersonaTemplate tp : all_persona_templates()) {
        const std::string persona = persona_text(bank, {{trait_name(t), level}}, tp) + "\n\n";
        for (const auto& r : w.rows)
          verbatim += r["prompt"].get<std::string>().rfind(persona, 0) == 0;
      }
  // ~80% of 4000 rows have a persona, half of them with every marker.
  EXPECT_GT(verbatim, 1200u);
  EXPECT_LT(verbatim, 2000u);
}

TEST(WorldPrompted, AnswersFollowTheResponseModelAtThePersonasLevel) {
  // Level 9 personas ("extremely <high marker>") choose a high-pole option
  // with P = mean sigma(a (2 - b)) ~ 0.9, level 1 ones with ~ 0.1.
  const auto& w = world();
  const std::regex option_line("(^|\n)([A-D])[.)] ([^\n]*)");
  std::map<std::string, std::pair<int, int>> high_of_n;  // pole of the persona -> (#high, #n)
  for (const auto& r : w.rows) {
    const std::string prompt = r["prompt"], answer = trim(r["completion"]);
    const std::string persona_pole = extreme_persona_pole(w, prompt);
    if (persona_pole.empty()) continue;
    const nlohmann::json* item = item_in(w.train_items, prompt);
    ASSERT_NE(item, nullptr) << prompt;
    std::string chosen = answer;
    if (answer.size() == 1) {  // a letter: look the option up in the prompt
      for (std::sregex_iterator m(prompt.begin(), prompt.end(), option_line), end; m != end; ++m)
        if ((*m)[2] == answer) chosen = (*m)[3];
    }
    const int pole = pole_of_option(*item, chosen);
    ASSERT_NE(pole, 0) << "answer '" << answer << "' is not one option: " << prompt;
    const bool high = pole > 0;
    auto& c = high_of_n[persona_pole];
    c.first += high;
    c.second += 1;
  }
  ASSERT_GT(high_of_n["high"].second, 150);
  ASSERT_GT(high_of_n["low"].second, 150);
  EXPECT_GT(high_of_n["high"].first / double(high_of_n["high"].second), 0.75);
  EXPECT_LT(high_of_n["low"].first / double(high_of_n["low"].second), 0.25);
}

TEST(WorldPrompted, PreferencePairsPitTheResponseModelsAnswerAgainstTheOtherPole) {
  // prompted_dpo.jsonl: cloze prompts on train items only; chosen and
  // rejected are options of opposite poles; chosen follows the response
  // model at theta(level), so extreme personas get their own pole chosen
  // ~90% of the time, and unprompted rows about half the time.
  const auto& w = world();
  ASSERT_EQ(w.pairs.size(), 3000u);
  std::map<std::string, std::pair<int, int>> high_of_n;
  for (const auto& r : w.pairs) {
    ASSERT_TRUE(r["prompt"].is_string() && r["chosen"].is_string() && r["rejected"].is_string())
        << r.dump();
    const std::string prompt = r["prompt"];
    ASSERT_EQ(item_in(w.test_items, prompt), nullptr) << "a held-out item in: " << prompt;
    const nlohmann::json* item = item_in(w.train_items, prompt);
    ASSERT_NE(item, nullptr) << prompt;
    EXPECT_EQ(prompt.find("\nA. "), std::string::npos) << "not the cloze rendering: " << prompt;
    const int chosen = pole_of_option(*item, trim(r["chosen"]));
    const int rejected = pole_of_option(*item, trim(r["rejected"]));
    ASSERT_TRUE(chosen != 0 && rejected == -chosen) << r.dump();
    auto& c = high_of_n[extreme_persona_pole(w, prompt)];
    c.first += chosen > 0;
    c.second += 1;
  }
  ASSERT_GT(high_of_n["high"].second, 100);
  ASSERT_GT(high_of_n["low"].second, 100);
  EXPECT_GT(high_of_n["high"].first / double(high_of_n["high"].second), 0.75);
  EXPECT_LT(high_of_n["low"].first / double(high_of_n["low"].second), 0.25);
  // Everything else (levels 2-8 and no persona) is balanced around 0.5.
  EXPECT_NEAR(high_of_n[""].first / double(high_of_n[""].second), 0.5, 0.06);
}

}  // namespace traitlab::world
