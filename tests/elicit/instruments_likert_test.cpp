#include <gtest/gtest.h>

#include "elicit/instruments/csv_reader.h"
#include "elicit/instruments/likert_item.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;
using testing_util::fixture;

void expect_load_error(const std::string& name, const std::string& message_after_path) {
  std::string path = fixture(name);
  expect_input_error([&] { load_likert_file(path); }, path + message_after_path);
}

TEST(InstrumentsLikert, LoadsJsonlWithDefaults) {
  auto items = load_likert_file(fixture("likert_good.jsonl"));
  ASSERT_EQ(items.size(), 4u);
  EXPECT_EQ(items[0].trait, Trait::Extraversion);
  EXPECT_EQ(items[0].facet, "gregariousness");
  EXPECT_EQ(items[1].key, -1);
  EXPECT_EQ(items[1].scale_points, 5);
  EXPECT_EQ(items[1].anchors, default_agree_anchors());
  EXPECT_EQ(items[2].scale_points, 7);
  EXPECT_EQ(items[3].trait, Trait::Machiavellianism);
  EXPECT_EQ(items[3].scale_points, 2);  // from the number of anchors
  EXPECT_EQ(items[3].line, 4);
}

TEST(InstrumentsLikert, KeyedScoreReversesNegativeItems) {
  auto items = load_likert_file(fixture("likert_good.jsonl"));
  for (int x = 1; x <= 5; ++x) {
    EXPECT_EQ(items[0].keyed_score(x), x);
    EXPECT_EQ(items[1].keyed_score(x), 6 - x);
  }
  EXPECT_EQ(items[2].keyed_score(7), 7);
  EXPECT_THROW(items[1].keyed_score(6), InputError);
}

TEST(InstrumentsLikert, LoadsCsvWithQuoting) {
  auto items = load_likert_file(fixture("likert_good.csv"));
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0].key, 1);
  EXPECT_EQ(items[0].anchors.size(), 5u);
  EXPECT_EQ(items[0].anchors[2], "Neither agree nor disagree");
  EXPECT_EQ(items[1].text, "I say \"no\", often, to invitations.");
  EXPECT_EQ(items[1].key, -1);
  EXPECT_EQ(items[1].facet, "");
  EXPECT_EQ(items[1].anchors, default_agree_anchors());
  EXPECT_EQ(items[2].text, "I keep a list,\nthen another list.");
  EXPECT_EQ(items[2].anchors, (std::vector<std::string>{"Rarely", "Sometimes", "Often"}));
  EXPECT_EQ(items[2].source, "a \"quoted\" source");
  EXPECT_EQ(items[2].line, 4);  // the record starts on line 4
  auto crlf = load_likert_file(fixture("likert_crlf.csv"));
  ASSERT_EQ(crlf.size(), 2u);
  EXPECT_EQ(crlf[1].text, "Second.");
  EXPECT_EQ(crlf[1].line, 4);
}

TEST(InstrumentsLikert, JsonlAndCsvAgree) {
  auto j = load_likert_file(fixture("likert_good.jsonl"));
  auto c = load_likert_file(fixture("likert_good.csv"));
  EXPECT_EQ(j[0].id, c[0].id);
  EXPECT_EQ(j[0].anchors, c[0].anchors);
  EXPECT_EQ(j[0].source, c[0].source);
  EXPECT_EQ(j[0].trait, c[0].trait);
}

TEST(InstrumentsLikert, BadItemsGiveExactMessages) {
  expect_load_error("likert_bad_anchor_count.jsonl",
                    ":1: item 'lk-1': field 'anchors' has 5 entries but scale_points is 4");
  expect_load_error("likert_bad_scale.jsonl",
                    ":1: item 'lk-2': field 'scale_points' must be 2..11, got 12");
  expect_load_error("likert_bad_key.jsonl", ":1: item 'lk-2': field 'key' must be +1 or -1, got 2");
  expect_load_error("likert_missing_anchors.jsonl",
                    ":1: item 'lk-2': field 'anchors' is required when scale_points is 7 (default "
                    "anchors exist for 5 points only)");
  expect_load_error("likert_duplicate.jsonl", ":3: item 'lk-1': duplicate id (first at " +
                                                  fixture("likert_duplicate.jsonl") + ":1)");
  expect_load_error("likert_missing_text.jsonl", ":2: item 'lk-2': missing field 'text'");
  expect_load_error("likert_bad_key.csv",
                    ":3: item 'lk-2': field 'key' must be +1 or -1, got \"yes\"");
  expect_load_error("likert_unterminated.csv", ":2: unterminated quoted field");
  expect_load_error("likert_bad_column.csv",
                    ":1: unknown column 'keyed' (expected id,text,trait,facet,key,scale_points,"
                    "anchors,source)");
  expect_load_error("likert_short_row.csv", ":3: 3 fields, but the header has 4");
  expect_load_error("likert_header_only.csv", ": no items (empty bank)");
  expect_load_error("likert_empty_anchor.csv", ":2: item 'lk-1': field 'anchors' entry 1 is empty");
  // Found by fuzz_item_bank: invalid UTF-8 in a cell escaped as a JSON
  // type_error (exit 1, no location) when the message quoted the cell.
  expect_load_error("likert_bad_utf8.csv", ":2: not valid UTF-8 (save the file as UTF-8)");
  // Found by fuzz_item_bank: scale_points taken from a single anchor was 1.
  expect_load_error("likert_one_anchor.jsonl",
                    ":1: item 'lk-1': field 'anchors' has 1 entries; a scale needs 2..11 points");
}

TEST(InstrumentsLikert, CsvParserRoundTrip) {
  // Fields with commas, quotes, newlines and empties survive quoting.
  std::vector<std::vector<std::string>> rows = {
      {"a", "b,c", "say \"hi\""}, {"", "multi\nline", "x"}, {"\"", "", ","}};
  std::string text;
  for (const auto& row : rows) {
    for (size_t i = 0; i < row.size(); ++i) {
      std::string q;
      for (char c : row[i]) q += c == '"' ? std::string("\"\"") : std::string(1, c);
      text += (i ? "," : "") + ("\"" + q + "\"");
    }
    text += "\r\n";
  }
  auto parsed = parse_csv(text, "t.csv");
  ASSERT_EQ(parsed.size(), rows.size());
  for (size_t r = 0; r < rows.size(); ++r) EXPECT_EQ(parsed[r].fields, rows[r]);
  EXPECT_EQ(parsed[2].line, 4);
  expect_input_error([] { parse_csv("a,b\"c\n", "t.csv"); },
                     "t.csv:1: a quote inside an unquoted field (quote the whole field and double "
                     "the quote)");
  expect_input_error([] { parse_csv("\"a\"b\n", "t.csv"); },
                     "t.csv:1: text after a closing quote (a quoted field must end at a comma or "
                     "line end)");
}

}  // namespace
}  // namespace traitlab
