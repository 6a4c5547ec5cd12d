#include "elicit/techniques/persona.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "core/util/error.h"

namespace traitlab {
namespace {

PersonaBank shipped_bank() {
  return PersonaBank::load(std::string(TRAITLAB_SOURCE_DIR) + "/elicit/banks");
}

// Signed intensity of one phrase read back from its words: the pole from
// which marker list the adjective comes, the size from the intensity word.
double phrase_intensity(const TraitMarkers& m, const std::string& phrase) {
  if (phrase.rfind("neither ", 0) == 0) return 0.0;
  static const std::vector<std::pair<std::string, double>> kWords = {
      {"extremely ", 4}, {"very ", 3}, {"a bit ", 1}};
  double size = 2;  // a bare adjective
  std::string adj = phrase;
  for (const auto& [w, s] : kWords) {
    if (phrase.rfind(w, 0) == 0) {
      size = s;
      adj = phrase.substr(w.size());
      break;
    }
  }
  bool high = std::find(m.high.begin(), m.high.end(), adj) != m.high.end();
  bool low = std::find(m.low.begin(), m.low.end(), adj) != m.low.end();
  EXPECT_NE(high, low) << m.trait << ": cannot tell the pole of '" << phrase << "'";
  return high ? size : -size;
}

TEST(Persona, ShippedBankHasTheEightTraits) {
  PersonaBank bank = shipped_bank();
  std::vector<std::string> expected = {"Openness",      "Conscientiousness", "Extraversion",
                                       "Agreeableness", "Neuroticism",       "Machiavellianism",
                                       "Narcissism",    "Psychopathy"};
  auto names = bank.trait_names();
  EXPECT_EQ(std::set<std::string>(names.begin(), names.end()),
            std::set<std::string>(expected.begin(), expected.end()));
}

TEST(Persona, AllTraitsAndLevelsDifferAndAreMonotone) {
  PersonaBank bank = shipped_bank();
  for (auto tmpl : all_persona_templates()) {
    std::set<std::string> seen;
    for (const auto& trait : bank.trait_names()) {
      const TraitMarkers& m = bank.trait(trait);
      double prev = -1e9;
      for (int level = 1; level <= 9; ++level) {
        std::string text = persona_text(bank, {{trait, level}}, tmpl);
        EXPECT_TRUE(seen.insert(text).second) << "duplicate persona text: " << text;
        auto phrases = level_phrases(m, level);
        ASSERT_FALSE(phrases.empty());
        for (const auto& p : phrases) EXPECT_NE(text.find(p), std::string::npos) << p;
        double intensity = 0;
        for (const auto& p : phrases) intensity += phrase_intensity(m, p);
        intensity /= phrases.size();
        // Every phrase of a level has the same signed intensity.
        for (const auto& p : phrases) EXPECT_EQ(phrase_intensity(m, p), intensity) << p;
        EXPECT_GT(intensity, prev) << trait << " level " << level << ": " << text;
        prev = intensity;
      }
    }
    EXPECT_EQ(seen.size(), 8u * 9u);
  }
}

TEST(Persona, NeutralPairsLowAndHighMarkers) {
  PersonaBank bank = shipped_bank();
  const TraitMarkers& m = bank.trait("Openness");
  auto p = level_phrases(m, 5);
  ASSERT_EQ(p.size(), std::min(m.low.size(), m.high.size()));
  EXPECT_EQ(p[0], "neither " + m.low[0] + " nor " + m.high[0]);
  EXPECT_EQ(intensity_word(5), "neither");
  EXPECT_EQ(level_phrases(m, 9)[0], "extremely " + m.high[0]);
  EXPECT_EQ(level_phrases(m, 1)[0], "extremely " + m.low[0]);
  EXPECT_EQ(level_phrases(m, 7)[0], m.high[0]);
  EXPECT_EQ(level_phrases(m, 4)[0], "a bit " + m.low[0]);
}

TEST(Persona, TemplatesAndProfiles) {
  PersonaBank bank;
  bank.add(nlohmann::json::parse(R"({"T": {"high": ["bold", "loud"], "low": ["shy", "quiet"]},
                                     "U": {"high": ["kind"], "low": ["cruel"]}})"),
           "inline");
  EXPECT_EQ(persona_text(bank, {{"T", 8}}, PersonaTemplate::YouAre),
            "You are a person who is very bold and very loud.");
  EXPECT_EQ(persona_text(bank, {{"T", 5}}, PersonaTemplate::Imagine),
            "Imagine you are someone who is neither shy nor bold and neither quiet nor loud.");
  EXPECT_EQ(persona_text(bank, {{"U", 2}, {"T", 3}}, PersonaTemplate::RespondAs),
            "For the following task, respond in a way that matches this description: \"I'm shy, "
            "quiet and very cruel.\"");
  EXPECT_EQ(persona_text(bank, {{"U", 6}}, "System: {description}!"), "System: a bit kind!");
  EXPECT_EQ(parse_persona_template("imagine"), PersonaTemplate::Imagine);
}

TEST(Persona, ErrorsNameTheProblem) {
  PersonaBank bank = shipped_bank();
  try {
    persona_text(bank, {{"Opennes", 3}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("unknown trait 'Opennes'"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find("Openness, "), std::string::npos) << e.what();
  }
  try {
    persona_text(bank, {{"Narcissism", 10}});
    FAIL() << "expected InputError";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("level 10 outside 1..9"), std::string::npos) << e.what();
  }
  EXPECT_THROW(persona_text(bank, {{"Narcissism", 0}}), InputError);
  EXPECT_THROW(persona_text(bank, PersonaProfile{}), InputError);
  EXPECT_THROW(persona_text(bank, {{"Narcissism", 3}}, "no slot"), InputError);
  EXPECT_THROW(parse_persona_template("casual"), InputError);
  PersonaBank b2;
  EXPECT_THROW(b2.add(nlohmann::json::parse(R"({"T": {"high": [], "low": ["x"]}})"), "f.json"),
               InputError);
  EXPECT_THROW(b2.add(nlohmann::json::parse(R"({"T": {"high": ["y"]}})"), "f.json"), InputError);
  EXPECT_THROW(PersonaBank::load("/nonexistent_dir"), Error);
}

}  // namespace
}  // namespace traitlab
