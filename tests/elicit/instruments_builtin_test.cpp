#include <gtest/gtest.h>

#include <cstdlib>
#include <set>

#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "elicit/instruments/instrument.h"
#include "elicit/instruments/subset.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;
using testing_util::fixture;

TEST(InstrumentsBuiltin, ScenarioBanksHaveAtLeast30ItemsPerTrait) {
  Instrument inst = load_instrument("trait-builtin");
  EXPECT_EQ(inst.kind, InstrumentKind::Scenario);
  EXPECT_EQ(inst.traits(), all_traits());
  EXPECT_EQ(inst.sources.size(), 8u);
  for (Trait t : all_traits()) EXPECT_GE(inst.count(t), 30u) << trait_name(t);
  for (const auto& item : inst.scenarios) {
    EXPECT_TRUE(item.has_paraphrase()) << item.location();
  }
  for (const auto& src : inst.sources) EXPECT_EQ(src.sha256, sha256_file_hex(src.path));
}

TEST(InstrumentsBuiltin, OneTraitByAnySpelling) {
  Instrument a = load_instrument("trait-builtin:nar");
  Instrument b = load_instrument("trait-builtin:Narcissism");
  EXPECT_EQ(a.traits(), std::vector<Trait>{Trait::Narcissism});
  EXPECT_EQ(a.size(), b.size());
  EXPECT_EQ(a.sources[0].sha256, b.sources[0].sha256);
  EXPECT_THROW(load_instrument("trait-builtin:honesty"), InputError);
}

TEST(InstrumentsBuiltin, LikertBanks) {
  Instrument ipip = load_instrument("ipip50");
  Instrument dark = load_instrument("dark-likert");
  Instrument both = load_instrument("likert-builtin");
  EXPECT_EQ(ipip.kind, InstrumentKind::Likert);
  EXPECT_EQ(ipip.size(), 50u);
  for (int t = 0; t < 5; ++t) EXPECT_EQ(ipip.count(all_traits()[t]), 10u);
  EXPECT_EQ(dark.traits(),
            (std::vector<Trait>{Trait::Machiavellianism, Trait::Narcissism, Trait::Psychopathy}));
  for (Trait t : dark.traits()) EXPECT_GE(dark.count(t), 10u);
  EXPECT_EQ(both.size(), ipip.size() + dark.size());
  EXPECT_EQ(both.traits(), all_traits());
  // Both keys occur in every trait, so reverse scoring is exercised.
  for (Trait t : all_traits()) {
    std::set<int> keys;
    for (const auto& item : both.likert) {
      if (item.trait == t) keys.insert(item.key);
    }
    EXPECT_EQ(keys, (std::set<int>{-1, 1})) << trait_name(t);
  }
}

TEST(InstrumentsBuiltin, FilesByExtensionAndContent) {
  Instrument s = load_instrument(fixture("scenarios_good.jsonl"));
  EXPECT_EQ(s.kind, InstrumentKind::Scenario);
  EXPECT_EQ(s.name, fixture("scenarios_good.jsonl"));
  EXPECT_EQ(s.sources[0].sha256, sha256_file_hex(fixture("scenarios_good.jsonl")));
  EXPECT_EQ(load_instrument(fixture("likert_good.jsonl")).kind, InstrumentKind::Likert);
  EXPECT_EQ(load_instrument(fixture("likert_good.csv")).kind, InstrumentKind::Likert);
  expect_input_error([] { load_instrument(fixture("unknown_kind.json")); },
                     fixture("unknown_kind.json") +
                         ": [0]: cannot tell the item type: a scenario item has 'situation' and "
                         "'response_high1', a Likert item has 'text'");
  expect_input_error([] { load_instrument("bfi44"); },
                     "unknown instrument 'bfi44': not a built-in (trait-builtin, "
                     "trait-builtin:<trait>, ipip50, dark-likert, likert-builtin) and no such file "
                     "(.json, .jsonl or .csv)");
  expect_input_error(
      [] {
        load_instrument_files("mixed",
                              {fixture("likert_good.jsonl"), fixture("scenarios_good.jsonl")});
      },
      fixture("scenarios_good.jsonl") + ": holds scenario items but '" +
          fixture("likert_good.jsonl") + "' holds likert items; one instrument holds one kind");
}

TEST(InstrumentsBuiltin, EnvironmentOverridesBanksDir) {
  const char* old = std::getenv("TRAITLAB_BANKS");
  std::string saved = old ? old : "";
  setenv("TRAITLAB_BANKS", "/nonexistent/banks", 1);
  EXPECT_EQ(banks_dir(), "/nonexistent/banks");
  EXPECT_THROW(load_instrument("ipip50"), IoError);
  if (old)
    setenv("TRAITLAB_BANKS", saved.c_str(), 1);
  else
    unsetenv("TRAITLAB_BANKS");
  EXPECT_NO_THROW(load_instrument("ipip50"));
}

TEST(InstrumentsBuiltin, Subsets) {
  Instrument inst = load_instrument("trait-builtin");
  Instrument two = select_traits(inst, {Trait::Psychopathy, Trait::Openness});
  EXPECT_EQ(two.traits(), (std::vector<Trait>{Trait::Openness, Trait::Psychopathy}));
  EXPECT_EQ(two.size(), inst.count(Trait::Openness) + inst.count(Trait::Psychopathy));
  EXPECT_EQ(two.sources.size(), inst.sources.size());

  Instrument first = first_n_per_trait(inst, 3);
  EXPECT_EQ(first.size(), 24u);
  for (Trait t : all_traits()) EXPECT_EQ(first.count(t), 3u);
  EXPECT_EQ(first.scenarios[0].id, inst.scenarios[0].id);
  EXPECT_EQ(first_n_per_trait(inst, 1000).size(), inst.size());

  Instrument s1 = sample_per_trait(inst, 5, 42), s2 = sample_per_trait(inst, 5, 42);
  Instrument s3 = sample_per_trait(inst, 5, 43);
  EXPECT_EQ(s1.size(), 40u);
  std::vector<std::string> ids1, ids2, ids3;
  for (size_t i = 0; i < s1.size(); ++i) {
    ids1.push_back(s1.scenarios[i].id);
    ids2.push_back(s2.scenarios[i].id);
    ids3.push_back(s3.scenarios[i].id);
  }
  EXPECT_EQ(ids1, ids2);
  EXPECT_NE(ids1, ids3);
  // The sample of one trait does not depend on which other traits are present.
  Instrument only_o = sample_per_trait(load_instrument("trait-builtin:O"), 5, 42);
  for (size_t i = 0; i < 5; ++i) EXPECT_EQ(only_o.scenarios[i].id, s1.scenarios[i].id);
  // Which items: the 5 smallest seeded hashes, as the Python goldens compute.
  auto golden =
      read_json_file(fixture("order_goldens.json"))["sample_openness_seed42_n5_ids_by_hash"];
  std::set<std::string> expected(golden.begin(), golden.end()), got;
  for (const auto& item : only_o.scenarios) got.insert(item.id);
  EXPECT_EQ(got, expected);

  Instrument lk = select_traits(load_instrument("ipip50"), {Trait::Neuroticism});
  EXPECT_EQ(lk.size(), 10u);
  expect_input_error([&] { select_traits(lk, {Trait::Openness}); },
                     "instrument 'ipip50[traits=N]' has no items for trait Openness");
}

}  // namespace
}  // namespace traitlab
