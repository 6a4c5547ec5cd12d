#include <gtest/gtest.h>

#include "elicit/instruments/scenario_item.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;
using testing_util::fixture;

void expect_load_error(const std::string& name, const std::string& message_after_path) {
  std::string path = fixture(name);
  expect_input_error([&] { load_scenario_file(path); }, path + message_after_path);
}

TEST(InstrumentsScenario, LoadsJsonl) {
  auto items = load_scenario_file(fixture("scenarios_good.jsonl"));
  ASSERT_EQ(items.size(), 5u);
  EXPECT_EQ(items[0].id, "X-1");
  EXPECT_EQ(items[0].trait, Trait::Agreeableness);
  EXPECT_EQ(items[0].line, 1);
  EXPECT_EQ(items[2].line, 4);  // a blank line after the second item
  EXPECT_EQ(items[2].trait, Trait::Neuroticism);
  EXPECT_EQ(items[3].id, "7");  // integer idx
  EXPECT_EQ(items[3].facet, "grandiosity");
  EXPECT_EQ(items[3].source, "fixture");
  EXPECT_EQ(items[0].option(kHigh1), "Help at once (X-1 H1).");
  EXPECT_EQ(items[0].option(kHigh2), "Offer to bring friends too (X-1 H2).");
  EXPECT_EQ(items[0].option(kLow1), "Say you are busy (X-1 L1).");
  EXPECT_EQ(items[0].option(kLow2), "Suggest hiring movers (X-1 L2).");
  EXPECT_TRUE(items[0].has_paraphrase());
  EXPECT_FALSE(items[1].has_paraphrase());
  EXPECT_EQ(items[0].split, "test");
  EXPECT_EQ(items[0].statement, "Statement for X-1.");
  EXPECT_EQ(items[0].file, fixture("scenarios_good.jsonl"));
  EXPECT_EQ(items[4].location(), fixture("scenarios_good.jsonl") + ":6");
}

TEST(InstrumentsScenario, JsonArrayWrappedAndHubRowsMatchJsonl) {
  auto jsonl = load_scenario_file(fixture("scenarios_good.jsonl"));
  auto array = load_scenario_file(fixture("scenarios_good_array.json"));
  auto wrapped = load_scenario_file(fixture("scenarios_wrapped.json"));
  auto rows = load_scenario_file(fixture("scenarios_hf_rows.json"));
  ASSERT_EQ(array.size(), jsonl.size());
  ASSERT_EQ(wrapped.size(), 2u);
  ASSERT_EQ(rows.size(), 3u);
  for (size_t i = 0; i < array.size(); ++i) {
    EXPECT_EQ(array[i].id, jsonl[i].id);
    EXPECT_EQ(array[i].trait, jsonl[i].trait);
    EXPECT_EQ(array[i].situation, jsonl[i].situation);
    EXPECT_EQ(array[i].low, jsonl[i].low);
    EXPECT_EQ(array[i].line, static_cast<int>(i));  // array index
  }
  EXPECT_EQ(rows[2].high, jsonl[2].high);
  EXPECT_EQ(wrapped[1].query, jsonl[1].query);
}

TEST(InstrumentsScenario, ThreeOptionItemNamesLineAndField) {
  expect_load_error("bad_three_options.jsonl",
                    ":7: item 'X-3': missing field 'response_low2' (a TRAIT item needs two high "
                    "and two low responses)");
}

TEST(InstrumentsScenario, BadItemsGiveExactMessages) {
  expect_load_error("bad_missing_query.jsonl", ":2: item 'Q-2': missing field 'query'");
  expect_load_error("bad_empty_situation.jsonl", ":1: item 'S-1': field 'situation' is empty");
  expect_load_error("bad_unknown_trait.jsonl",
                    ":1: item 'T-1': field 'personality': unknown trait 'Honesty' (valid: "
                    "Openness (O), Conscientiousness (C), Extraversion (E), Agreeableness (A), "
                    "Neuroticism (N), Machiavellianism (M), Narcissism (Nar), Psychopathy (P))");
  expect_load_error("bad_duplicate.jsonl",
                    ":3: item 'D-1': duplicate id for trait Openness (first at " +
                        fixture("bad_duplicate.jsonl") + ":1)");
  expect_load_error("bad_half_paraphrase.jsonl",
                    ":1: item 'P-1': missing field 'paraphrased_query' ('paraphrased_situation' "
                    "is given; a paraphrase needs both)");
  expect_load_error("bad_same_responses.jsonl",
                    ":1: item 'R-1': field 'response_low2' repeats 'response_high1' (the four "
                    "responses must differ)");
  expect_load_error("bad_missing_idx.jsonl", ":1: missing field 'idx'");
  expect_load_error("bad_wrong_type.jsonl",
                    ":1: item 'W-1': field 'query' must be a string, got 42");
  expect_load_error("empty.jsonl", ": no items (empty bank)");
  expect_load_error("bad_array_item.json", ": [1]: item 'A-2': missing field 'situation'");
  expect_load_error("bad_wrapper.json",
                    ": expected an array of items or an object with an 'items', 'data' or 'rows' "
                    "array");
}

TEST(InstrumentsScenario, BrokenJsonLineNamesTheLine) {
  std::string path = fixture("bad_json_line.jsonl");
  try {
    load_scenario_file(path);
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(path + ":2: invalid JSON at line 1", 0), 0u) << e.what();
  }
}

TEST(InstrumentsScenario, MissingFileIsAnIoError) {
  EXPECT_THROW(load_scenario_file(fixture("no_such_file.jsonl")), IoError);
}

}  // namespace
}  // namespace traitlab
