#pragma once
// Which option sits under which letter. An Order maps display positions
// (A=0 .. D=3) to canonical options (kHigh1, kHigh2, kLow1, kLow2), so every
// response row can record where each option was shown.
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace traitlab {

struct ScenarioItem;

struct Order {
  std::array<int, 4> positions;  // positions[p] = canonical option shown at position p
  std::string name;              // "original", "reversed", "perm-H1L1H2L2", "random:0"

  // Display position (0 = A) of a canonical option.
  int position_of(int canonical) const;
  // "H1L1H2L2": the canonical options in display order.
  std::string code() const;
  bool operator==(const Order& o) const { return positions == o.positions; }
};

// TRAIT's two orders: A=H1 B=L1 C=H2 D=L2, and A=L1 B=H1 C=L2 D=H2.
Order original_order();
Order reversed_order();
// All 24 permutations in lexicographic order of positions, named
// "perm-<code>"; the first is A=H1 B=H2 C=L1 D=L2.
const std::vector<Order>& all_orders();

// An order scheme from a config value:
//   "original", "reversed", "trait" (original + reversed; the default),
//   "all" (24 permutations), "random:k" (k distinct permutations per item,
//   1 <= k <= 24, drawn from the seed and the item's trait and id).
struct OrderSpec {
  enum class Kind { Original, Reversed, Trait, All, Random };
  Kind kind = Kind::Trait;
  int k = 0;  // Random only
  std::string text() const;
};
OrderSpec parse_order_spec(const std::string& text, const std::string& where);

// The orders one item is shown in. Random orders depend only on (seed,
// trait, id): stable across runs, machines and item subsets.
std::vector<Order> orders_for_item(const OrderSpec& spec, const ScenarioItem& item, uint64_t seed);
std::vector<Order> random_orders(int k, uint64_t seed, const std::string& item_key);

}  // namespace traitlab
