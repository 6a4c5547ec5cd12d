// Prompted documents: traitlab's persona wording with the world's markers,
// and answers that follow the response model at theta(level).
#include <gtest/gtest.h>

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
  std::vector<nlohmann::json> rows, train_items;
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
    x.dir = fs::temp_directory_path() / "traitlab_world_prompted_test";
    fs::remove_all(x.dir);
    WorldConfig cfg;
    cfg.seed = 11;
    cfg.respondents = 100;
    cfg.alignment_sft = 10;
    cfg.alignment_dpo = 10;
    cfg.prompted_docs = 50;
    cfg.prompted_sft = 4000;
    generate_world(cfg, x.dir.string());
    x.rows = read_jsonl(x.dir / "prompted_sft.jsonl");
    x.train_items = read_jsonl(x.dir / "items_train.jsonl");
    return x;
  }();
  return w;
}

std::string trim(const std::string& s) {
  const size_t a = s.find_first_not_of(' ');
  return a == std::string::npos ? "" : s.substr(a);
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
  const nlohmann::json markers = read_json_file((w.dir / "persona_markers.json").string());
  std::map<std::string, std::string> pole_of;  // "extremely <adj>" -> "high" / "low"
  for (const auto& [trait, m] : markers.items())
    for (const char* pole : {"high", "low"})
      for (const auto& adj : m[pole]) pole_of["extremely " + adj.get<std::string>()] = pole;
  const std::regex option_line("(^|\n)([A-D])[.)] ([^\n]*)");
  std::map<std::string, std::pair<int, int>> high_of_n;  // pole of the persona -> (#high, #n)
  for (const auto& r : w.rows) {
    const std::string prompt = r["prompt"], answer = trim(r["completion"]);
    std::string persona_pole;
    for (const auto& [phrase, pole] : pole_of)
      if (prompt.find("is " + phrase + ",") != std::string::npos ||
          prompt.find("is " + phrase + " and") != std::string::npos ||
          prompt.find("I'm " + phrase + ",") != std::string::npos ||
          prompt.find("I'm " + phrase + " and") != std::string::npos)
        persona_pole = pole;
    if (persona_pole.empty()) continue;
    const nlohmann::json* item = nullptr;
    for (const auto& it : w.train_items)
      if (prompt.find(it["situation"].get<std::string>()) != std::string::npos ||
          prompt.find(it["paraphrased_situation"].get<std::string>()) != std::string::npos)
        item = &it;
    ASSERT_NE(item, nullptr) << prompt;
    std::string chosen = answer;
    if (answer.size() == 1) {  // a letter: look the option up in the prompt
      for (std::sregex_iterator m(prompt.begin(), prompt.end(), option_line), end; m != end; ++m)
        if ((*m)[2] == answer) chosen = (*m)[3];
    }
    const bool high = chosen == (*item)["response_high1"] || chosen == (*item)["response_high2"];
    const bool low = chosen == (*item)["response_low1"] || chosen == (*item)["response_low2"];
    ASSERT_TRUE(high != low) << "answer '" << answer << "' is not one option: " << prompt;
    auto& c = high_of_n[persona_pole];
    c.first += high;
    c.second += 1;
  }
  ASSERT_GT(high_of_n["high"].second, 150);
  ASSERT_GT(high_of_n["low"].second, 150);
  EXPECT_GT(high_of_n["high"].first / double(high_of_n["high"].second), 0.75);
  EXPECT_LT(high_of_n["low"].first / double(high_of_n["low"].second), 0.25);
}

}  // namespace traitlab::world
