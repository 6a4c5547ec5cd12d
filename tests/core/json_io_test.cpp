#include "core/util/json_io.h"

#include <gtest/gtest.h>

namespace traitlab {

TEST(JsonIo, ReportsLineAndColumnOfSyntaxErrors) {
  try {
    parse_json("{\n  \"a\": 1,\n  \"b\": ]\n}", "cfg.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("cfg.json: invalid JSON at line 3"), std::string::npos)
        << e.what();
  }
}

// Found by fuzz_train_data: a number beyond double range was a
// nlohmann::out_of_range, not an InputError (exit 1 instead of 2).
TEST(JsonIo, NumberOverflowIsAnInputError) {
  try {
    parse_json("{\"a\": 5e555}", "rows.jsonl:3");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "rows.jsonl:3: invalid JSON: number overflow parsing '5e555'");
  }
}

TEST(JsonIo, DeepNestingIsAnInputError) {
  EXPECT_NO_THROW(parse_json(std::string(512, '[') + std::string(512, ']'), "ok.json"));
  try {
    parse_json(std::string(100000, '['), "deep.json");
    FAIL() << "no error";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "deep.json: invalid JSON: nests deeper than 512 levels");
  }
}

TEST(JsonIo, TypedFieldsNameTheKey) {
  auto j = parse_json(R"({"n": "abc", "x": 2.5, "k": 3})", "c.json");
  EXPECT_EQ(get_field<int64_t>(j, "k", "c.json"), 3);
  EXPECT_DOUBLE_EQ(get_field<double>(j, "x", "c.json"), 2.5);
  EXPECT_EQ(get_field_or<int64_t>(j, "missing", 7, "c.json"), 7);
  try {
    get_field<int64_t>(j, "n", "c.json");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()), "c.json: key 'n': expected an integer, got \"abc\"");
  }
  EXPECT_THROW(get_field<int64_t>(j, "absent", "c.json"), InputError);
  EXPECT_THROW(read_file("/nonexistent/x.json"), IoError);
}

}  // namespace traitlab
