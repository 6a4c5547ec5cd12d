#include <gtest/gtest.h>

#include <set>

#include "elicit/traits.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;

TEST(InstrumentsTraits, NamesAndCodesParseInAnyCase) {
  for (Trait t : all_traits()) {
    EXPECT_EQ(parse_trait(trait_name(t), "x"), t);
    EXPECT_EQ(parse_trait(trait_code(t), "x"), t);
    std::string upper = trait_name(t);
    for (auto& c : upper) c = static_cast<char>(std::toupper(c));
    EXPECT_EQ(parse_trait(upper, "x"), t);
    EXPECT_EQ(parse_trait(trait_slug(t), "x"), t);
  }
  EXPECT_EQ(parse_trait("n", "x"), Trait::Neuroticism);
  EXPECT_EQ(parse_trait("NAR", "x"), Trait::Narcissism);
  EXPECT_EQ(parse_trait(" p ", "x"), Trait::Psychopathy);
}

TEST(InstrumentsTraits, CodesAreUnambiguous) {
  std::set<std::string> keys;
  for (Trait t : all_traits()) {
    std::string code = trait_code(t), name = trait_slug(t);
    for (auto& c : code) c = static_cast<char>(std::tolower(c));
    EXPECT_TRUE(keys.insert(code).second) << code;
    EXPECT_TRUE(keys.insert(name).second) << name;
  }
  EXPECT_EQ(all_traits().size(), 8u);
  EXPECT_EQ(std::count_if(all_traits().begin(), all_traits().end(), is_big_five), 5);
}

TEST(InstrumentsTraits, UnknownTraitListsValidNames) {
  expect_input_error([] { parse_trait("Honesty", "run.ini: key 'trait'"); },
                     "run.ini: key 'trait': unknown trait 'Honesty' (valid: Openness (O), "
                     "Conscientiousness (C), Extraversion (E), Agreeableness (A), Neuroticism (N), "
                     "Machiavellianism (M), Narcissism (Nar), Psychopathy (P))");
  EXPECT_THROW(parse_trait("", "x"), InputError);
  EXPECT_THROW(parse_trait("Narc", "x"), InputError);
}

TEST(InstrumentsTraits, TraitLists) {
  EXPECT_EQ(parse_traits("all", "x"), all_traits());
  std::vector<Trait> expected = {Trait::Openness, Trait::Narcissism, Trait::Conscientiousness};
  EXPECT_EQ(parse_traits("O, nar,Conscientiousness", "x"), expected);
  expect_input_error([] { parse_traits("O,openness", "k"); },
                     "k: trait 'Openness' listed twice in 'O,openness'");
  expect_input_error([] { parse_traits("O,,C", "k"); }, "k: empty trait name in 'O,,C'");
}

}  // namespace
}  // namespace traitlab
