#include <gtest/gtest.h>

#include "elicit/instruments/scenario_item.h"
#include "elicit/prompts/render_scenario.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;
using testing_util::fixture;

const ScenarioItem& item0() {
  static const auto items = load_scenario_file(fixture("scenarios_good.jsonl"));
  return items[0];
}

size_t count_of(const std::string& hay, const std::string& needle) {
  size_t n = 0;
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) ++n;
  return n;
}

TEST(PromptsScenario, TraitTemplateOneIsVerbatim) {
  // REFERENCE.md: TRAIT prompt, template 1 of 3, base-model form.
  const ScenarioItem& it = item0();
  std::string expected =
      "Given a situation: \"Situation of X-1: a neighbour asks for help moving a sofa. What would "
      "you do?\"\n"
      "Please choose from the following options to identify which suggestion you would like to "
      "give.\n"
      "Options:\n"
      "A. Help at once (X-1 H1).\n"
      "B. Say you are busy (X-1 L1).\n"
      "C. Offer to bring friends too (X-1 H2).\n"
      "D. Suggest hiring movers (X-1 L2).\n"
      "\n"
      "Answer:";
  Prompt p = render_scenario(it, original_order(), 1, false, "", ChatFormat(), false);
  EXPECT_EQ(p.text, expected);
  EXPECT_TRUE(p.messages.empty());

  // Reversed: A=L1 B=H1 C=L2 D=H2.
  Prompt r = render_scenario(it, reversed_order(), 1, false, "", ChatFormat(), false);
  EXPECT_NE(
      r.text.find("A. Say you are busy (X-1 L1).\nB. Help at once (X-1 H1).\n"
                  "C. Suggest hiring movers (X-1 L2).\nD. Offer to bring friends too (X-1 H2).\n"),
      std::string::npos)
      << r.text;
  EXPECT_EQ(r.labels, (std::vector<std::string>{"A", "B", "C", "D"}));
  EXPECT_EQ(r.option_canonical_index, (std::vector<int>{kLow1, kHigh1, kLow2, kHigh2}));
  EXPECT_EQ(r.order_name, "reversed");
  for (size_t i = 0; i < 4; ++i) {
    EXPECT_EQ(r.option_texts[i], it.option(r.option_canonical_index[i]));
    EXPECT_EQ(r.continuations[i], " " + r.option_texts[i]);
  }
}

TEST(PromptsScenario, EveryTemplateListsEachOptionOnceInOrder) {
  const ScenarioItem& it = item0();
  std::vector<std::string> texts;
  for (const auto& info : scenario_templates()) {
    for (const Order& order : all_orders()) {
      for (bool chat : {false, true}) {
        Prompt p = render_scenario(it, order, info.id, false, "",
                                   ChatFormat(ChatFormatKind::ChatML), chat);
        size_t last = 0;
        for (int pos = 0; pos < 4; ++pos) {
          const std::string& opt = it.option(order.positions[pos]);
          EXPECT_EQ(count_of(p.text, opt), 1u) << info.name;
          size_t at = p.text.find(p.labels[pos] + (info.id == 2 ? ") " : ". ") + opt);
          ASSERT_NE(at, std::string::npos) << info.name << " " << order.name << "\n" << p.text;
          EXPECT_GT(at, last);
          last = at;
          EXPECT_EQ(count_of(p.cloze_text, opt), 0u) << "cloze lists no options";
        }
        if (!chat) {
          EXPECT_EQ(p.text.find_last_not_of(" \n"), p.text.size() - 1) << "no trailing space";
          EXPECT_EQ(p.text.back(), ':');
          EXPECT_EQ(p.cloze_text.back(), ':');
        }
      }
    }
    texts.push_back(
        render_scenario(it, original_order(), info.id, false, "", ChatFormat(), false).text);
  }
  ASSERT_GE(texts.size(), 3u);
  EXPECT_NE(texts[0], texts[1]);
  EXPECT_NE(texts[1], texts[2]);
  EXPECT_NE(texts[0], texts[2]);
}

TEST(PromptsScenario, ParaphraseUsesParaphrasedText) {
  const auto items = load_scenario_file(fixture("scenarios_good.jsonl"));
  for (int t = 1; t <= 3; ++t) {
    Prompt p = render_scenario(items[0], original_order(), t, true, "", ChatFormat(), false);
    EXPECT_NE(p.text.find(*items[0].paraphrased_situation), std::string::npos);
    EXPECT_NE(p.text.find(*items[0].paraphrased_query), std::string::npos);
    EXPECT_EQ(p.text.find(items[0].situation), std::string::npos);
  }
  expect_input_error(
      [&] { render_scenario(items[1], original_order(), 1, true, "", ChatFormat(), false); },
      fixture("scenarios_good.jsonl") +
          ":2: item 'X-2': paraphrase requested but the item has no paraphrased_situation and "
          "paraphrased_query");
  expect_input_error(
      [&] { render_scenario(items[0], original_order(), 4, false, "", ChatFormat(), false); },
      "scenario template 4: valid templates are 1..3");
}

TEST(PromptsScenario, BasePersonaIsAPreamble) {
  Prompt plain = render_scenario(item0(), original_order(), 2, false, "", ChatFormat(), false);
  Prompt p = render_scenario(item0(), original_order(), 2, false, "You are a kind person.",
                             ChatFormat(), false);
  EXPECT_EQ(p.text, "You are a kind person.\n\n" + plain.text);
  EXPECT_EQ(p.cloze_text, "You are a kind person.\n\n" + plain.cloze_text);
}

TEST(PromptsScenario, ChatPutsPersonaInSystemTurnAndEndsWithGenerationPrompt) {
  const std::string persona = "You are an extremely outgoing person.";
  for (const auto& info : scenario_templates()) {
    Prompt p = render_scenario(item0(), original_order(), info.id, false, persona,
                               ChatFormat(ChatFormatKind::Llama3), true);
    ASSERT_EQ(p.messages.size(), 2u);
    EXPECT_EQ(p.messages[0].role, "system");
    EXPECT_EQ(p.messages[0].content, persona);
    EXPECT_EQ(p.messages[1].role, "user");
    EXPECT_EQ(p.messages[1].content.find(persona), std::string::npos);
    // REFERENCE.md's Llama-3 format.
    EXPECT_EQ(p.text.rfind("<|begin_of_text|><|start_header_id|>system<|end_header_id|>\n\n" +
                               persona + "<|eot_id|><|start_header_id|>user<|end_header_id|>\n\n",
                           0),
              0u)
        << p.text;
    EXPECT_EQ(count_of(p.text, persona), 1u);
    const std::string gen = "<|eot_id|><|start_header_id|>assistant<|end_header_id|>\n\n";
    ASSERT_GE(p.text.size(), gen.size());
    EXPECT_EQ(p.text.substr(p.text.size() - gen.size()), gen);
    EXPECT_EQ(p.continuations[0], item0().option(kHigh1));  // no leading space in chat
  }
  Prompt chatml = render_scenario(item0(), reversed_order(), 1, false, persona,
                                  ChatFormat(ChatFormatKind::ChatML), true);
  EXPECT_EQ(
      chatml.text.rfind("<|im_start|>system\n" + persona + "<|im_end|>\n<|im_start|>user\n", 0),
      0u);
  const std::string gen = "<|im_end|>\n<|im_start|>assistant\n";
  EXPECT_EQ(chatml.text.substr(chatml.text.size() - gen.size()), gen);
  // Template 1 keeps TRAIT's user text in chat form too.
  Prompt base = render_scenario(item0(), reversed_order(), 1, false, "", ChatFormat(), false);
  EXPECT_EQ(chatml.messages[1].content, base.text);
  // Without a persona there is no system turn.
  Prompt none = render_scenario(item0(), original_order(), 1, false, "",
                                ChatFormat(ChatFormatKind::ChatML), true);
  ASSERT_EQ(none.messages.size(), 1u);
  EXPECT_EQ(none.text.find("<|im_start|>system"), std::string::npos);
}

}  // namespace
}  // namespace traitlab
