#include <gtest/gtest.h>

#include <set>

#include "core/util/json_io.h"
#include "elicit/instruments/option_order.h"
#include "elicit/instruments/scenario_item.h"
#include "instruments_test_util.h"

namespace traitlab {
namespace {

using testing_util::expect_input_error;

ScenarioItem item_with_id(const std::string& id, Trait t = Trait::Openness) {
  ScenarioItem item;
  item.id = id;
  item.trait = t;
  return item;
}

TEST(InstrumentsOrder, TraitOrdersAreAsPublished) {
  Order o = original_order(), r = reversed_order();
  EXPECT_EQ(o.code(), "H1L1H2L2");  // A=H1 B=L1 C=H2 D=L2
  EXPECT_EQ(r.code(), "L1H1L2H2");  // A=L1 B=H1 C=L2 D=H2
  EXPECT_EQ(r.position_of(kHigh1), 1);
  EXPECT_EQ(r.position_of(kLow1), 0);
  EXPECT_EQ(r.position_of(kHigh2), 3);
  EXPECT_EQ(r.position_of(kLow2), 2);
  // Reversing swaps each high option with its low partner's position.
  for (int c = 0; c < 4; ++c) {
    int partner = is_high_option(c) ? c + 2 : c - 2;
    EXPECT_EQ(r.position_of(c), o.position_of(partner));
  }
}

TEST(InstrumentsOrder, AllIs24DistinctPermutations) {
  const auto& all = all_orders();
  ASSERT_EQ(all.size(), 24u);
  std::set<std::array<int, 4>> seen;
  std::set<std::string> names;
  for (const auto& o : all) {
    std::set<int> values(o.positions.begin(), o.positions.end());
    EXPECT_EQ(values.size(), 4u);
    EXPECT_EQ(*values.begin(), 0);
    EXPECT_EQ(*values.rbegin(), 3);
    seen.insert(o.positions);
    names.insert(o.name);
    for (int p = 0; p < 4; ++p) EXPECT_EQ(o.position_of(o.positions[p]), p);
  }
  EXPECT_EQ(seen.size(), 24u);
  EXPECT_EQ(names.size(), 24u);
  EXPECT_TRUE(seen.count(original_order().positions));
  EXPECT_TRUE(seen.count(reversed_order().positions));
  // Over all 24 orders each option sits at each position equally often.
  int counts[4][4] = {};
  for (const auto& o : all)
    for (int p = 0; p < 4; ++p) ++counts[p][o.positions[p]];
  for (auto& row : counts)
    for (int n : row) EXPECT_EQ(n, 6);
}

TEST(InstrumentsOrder, RandomOrdersAreStableDistinctAndItemSpecific) {
  auto a = random_orders(5, 7, "Openness/O-001");
  auto b = random_orders(5, 7, "Openness/O-001");
  ASSERT_EQ(a.size(), 5u);
  std::set<std::array<int, 4>> distinct;
  for (size_t i = 0; i < a.size(); ++i) {
    EXPECT_EQ(a[i].positions, b[i].positions);
    EXPECT_EQ(a[i].name, "random:" + std::to_string(i));
    distinct.insert(a[i].positions);
  }
  EXPECT_EQ(distinct.size(), 5u);
  // A longer draw extends a shorter one: random:3 is a prefix of random:5.
  auto c = random_orders(3, 7, "Openness/O-001");
  for (size_t i = 0; i < c.size(); ++i) EXPECT_EQ(c[i].positions, a[i].positions);
  // Different items or seeds get different orders (over many items, most differ).
  int same_item = 0, same_seed = 0;
  for (int i = 0; i < 50; ++i) {
    auto x = random_orders(1, 7, "Openness/O-" + std::to_string(i));
    auto y = random_orders(1, 7, "Openness/O-" + std::to_string(i + 1000));
    auto z = random_orders(1, 8, "Openness/O-" + std::to_string(i));
    same_item += x[0] == y[0];
    same_seed += x[0] == z[0];
  }
  EXPECT_LT(same_item, 15);
  EXPECT_LT(same_seed, 15);
  // random:24 is every permutation once.
  std::set<std::array<int, 4>> all24;
  for (const auto& o : random_orders(24, 1, "x")) all24.insert(o.positions);
  EXPECT_EQ(all24.size(), 24u);
}

TEST(InstrumentsOrder, RandomOrdersMatchPythonGoldens) {
  // The stream (FNV-1a, SplitMix64, partial Fisher-Yates) fixes which order
  // every result row names, so it is checked against an independent Python
  // implementation. Regenerate: /work/venv/bin/python
  // tools/goldens/make_instrument_order_goldens.py
  auto golden = read_json_file(testing_util::fixture("order_goldens.json"));
  ASSERT_EQ(golden["format_version"], 1);
  int checked = 0;
  for (const auto& c : golden["random_orders"]) {
    uint64_t seed = std::stoull(c["seed"].get<std::string>());
    auto orders = random_orders(c["k"].get<int>(), seed, c["key"].get<std::string>());
    for (size_t i = 0; i < orders.size(); ++i) {
      EXPECT_EQ(orders[i].code(), c["orders"][i].get<std::string>())
          << "seed " << seed << " key " << c["key"] << " draw " << i
          << "; regenerate with tools/goldens/make_instrument_order_goldens.py";
      ++checked;
    }
  }
  EXPECT_EQ(checked, 72);
}

TEST(InstrumentsOrder, SpecsAndItems) {
  auto item = item_with_id("X-1");
  EXPECT_EQ(orders_for_item(parse_order_spec("trait", "k"), item, 0).size(), 2u);
  EXPECT_EQ(orders_for_item(parse_order_spec("original", "k"), item, 0)[0], original_order());
  EXPECT_EQ(orders_for_item(parse_order_spec("reversed", "k"), item, 0)[0], reversed_order());
  EXPECT_EQ(orders_for_item(parse_order_spec("all", "k"), item, 0).size(), 24u);
  auto spec = parse_order_spec("random:3", "k");
  EXPECT_EQ(spec.text(), "random:3");
  auto r1 = orders_for_item(spec, item, 9);
  auto r2 = orders_for_item(spec, item_with_id("X-1", Trait::Neuroticism), 9);
  EXPECT_EQ(r1.size(), 3u);
  EXPECT_EQ(r1[0].positions, random_orders(3, 9, "Openness/X-1")[0].positions);
  EXPECT_EQ(r2[0].positions, random_orders(3, 9, "Neuroticism/X-1")[0].positions);
  expect_input_error([] { parse_order_spec("random:25", "run.ini: key 'orders'"); },
                     "run.ini: key 'orders': order 'random:25': random:k needs 1 <= k <= 24 "
                     "(there are 24 orders of four options)");
  expect_input_error([] { parse_order_spec("shuffled", "k"); },
                     "k: unknown order 'shuffled' (valid: original, reversed, trait, all, "
                     "random:k)");
}

}  // namespace
}  // namespace traitlab
