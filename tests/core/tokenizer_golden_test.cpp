// Token ids and decodes against the Python `tokenizers` library for every
// tokenizer style and variant in tests/data/tokenizers/goldens.json.
// Regenerate: /work/venv/bin/python tools/goldens/make_tokenizer_goldens.py
#include <gtest/gtest.h>

#include <iostream>
#include <string>
#include <vector>

#include "core/tokenizer/tokenizer.h"
#include "core/tokenizer/unicode_nfc.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

const std::string kDir = std::string(TRAITLAB_TEST_DATA) + "/tokenizers/";
const char* const kRegen =
    "regenerate: /work/venv/bin/python tools/goldens/make_tokenizer_goldens.py";

std::string from_hex(const std::string& hex) {
  std::string out;
  for (size_t i = 0; i + 1 < hex.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16)));
  return out;
}

const nlohmann::json& goldens() {
  static const nlohmann::json g = read_json_file(kDir + "goldens.json");
  return g;
}

Tokenizer load(const nlohmann::json& record) {
  nlohmann::json j = read_json_file(kDir + record["file"].get<std::string>());
  if (!record["patch"].is_null()) j.merge_patch(record["patch"]);
  return Tokenizer::from_json(j, record["name"].get<std::string>());
}

std::string show(const std::vector<int32_t>& ids) {
  std::string s = "[";
  for (size_t i = 0; i < ids.size() && i < 40; ++i) s += (i ? "," : "") + std::to_string(ids[i]);
  return s + (ids.size() > 40 ? ",...]" : "]");
}

// First index where a and b differ (or the shorter length).
size_t first_diff(const std::vector<int32_t>& a, const std::vector<int32_t>& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i]) ++i;
  return i;
}

class TokenizerGolden : public ::testing::TestWithParam<size_t> {};

TEST_P(TokenizerGolden, IdsAndDecodesMatchPython) {
  const auto& g = goldens();
  ASSERT_EQ(g["format_version"], 1) << kRegen;
  const auto& record = g["tokenizers"][GetParam()];
  const std::string name = record["name"];
  const Tokenizer tok = load(record);
  const auto& texts = g["texts"];
  const auto& cases = record["cases"];
  ASSERT_EQ(texts.size(), cases.size()) << kRegen;
  size_t agree = 0;
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string text = from_hex(texts[i]["hex"]);
    const std::string tname = texts[i]["name"];
    const auto& c = cases[i];
    const auto want = c["ids"].get<std::vector<int32_t>>();
    const auto want_special = c["ids_special"].get<std::vector<int32_t>>();
    const auto got = tok.encode(text, false);
    const auto got_special = tok.encode(text, true);
    const std::string dec = tok.decode(want_special, false),
                      dec_skip = tok.decode(want_special, true);
    const bool ok = got == want && got_special == want_special && dec == c["decode"] &&
                    dec_skip == c["decode_skip"];
    agree += ok;
    EXPECT_EQ(got, want) << name << " text '" << tname << "': first difference at index "
                         << first_diff(got, want) << "\n  got  " << show(got) << "\n  want "
                         << show(want) << "\n  " << kRegen;
    EXPECT_EQ(got_special, want_special) << name << " text '" << tname << "' (add_special_tokens)";
    EXPECT_EQ(dec, c["decode"].get<std::string>()) << name << " text '" << tname << "': decode";
    EXPECT_EQ(dec_skip, c["decode_skip"].get<std::string>())
        << name << " text '" << tname << "': decode skip";
  }
  std::cout << "[ agreement ] " << name << ": " << agree << "/" << cases.size() << "\n";

  EXPECT_EQ(tok.vocab_size(), record["max_id_plus_one"].get<int64_t>()) << name;
  for (const auto& probe : record["token_to_id"]) {
    const std::string token = probe[0];
    const auto got = tok.token_to_id(token);
    if (probe[1].is_null()) {
      EXPECT_FALSE(got.has_value()) << name << " token_to_id('" << token << "')";
    } else {
      ASSERT_TRUE(got.has_value()) << name << " token_to_id('" << token << "')";
      EXPECT_EQ(*got, probe[1].get<int32_t>()) << name << " token_to_id('" << token << "')";
    }
  }
  for (const auto& probe : record["id_to_token"]) {
    const std::string want = probe[1].is_null() ? "" : probe[1].get<std::string>();
    EXPECT_EQ(tok.id_to_token(probe[0].get<int32_t>()), want)
        << name << " id_to_token(" << probe[0] << ")";
  }
}

std::vector<size_t> all_records() {
  std::vector<size_t> v(goldens()["tokenizers"].size());
  for (size_t i = 0; i < v.size(); ++i) v[i] = i;
  return v;
}

INSTANTIATE_TEST_SUITE_P(AllStyles, TokenizerGolden, ::testing::ValuesIn(all_records()),
                         [](const ::testing::TestParamInfo<size_t>& info) {
                           return goldens()["tokenizers"][info.param]["name"].get<std::string>();
                         });

TEST(TokenizerGolden, NfcMatchesPythonUnicodedata) {
  size_t agree = 0;
  const auto& cases = goldens()["nfc"];
  for (size_t i = 0; i < cases.size(); ++i) {
    const std::string got = tok::nfc(cases[i]["input"].get<std::string>());
    const std::string want = cases[i]["nfc"];
    agree += got == want;
    if (got != want) {
      size_t d = 0;
      while (d < got.size() && d < want.size() && got[d] == want[d]) ++d;
      ADD_FAILURE() << "nfc case " << i << ": first byte difference at " << d << "; " << kRegen;
    }
  }
  std::cout << "[ agreement ] nfc: " << agree << "/" << cases.size() << " (Unicode "
            << tok::kUnicodeVersion << ")\n";
}

}  // namespace
}  // namespace traitlab
