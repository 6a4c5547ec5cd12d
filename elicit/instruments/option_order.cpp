#include "elicit/instruments/option_order.h"

#include <algorithm>

#include "core/util/error.h"
#include "elicit/instruments/scenario_item.h"
#include "elicit/instruments/seeded_hash.h"

namespace traitlab {

int Order::position_of(int canonical) const {
  for (int p = 0; p < 4; ++p) {
    if (positions[p] == canonical) return p;
  }
  throw InputError(str("order '", name, "': option ", canonical, " is not placed"));
}

std::string Order::code() const {
  std::string out;
  for (int c : positions) out += scenario_option_name(c);
  return out;
}

Order original_order() { return {{kHigh1, kLow1, kHigh2, kLow2}, "original"}; }
Order reversed_order() { return {{kLow1, kHigh1, kLow2, kHigh2}, "reversed"}; }

const std::vector<Order>& all_orders() {
  static const std::vector<Order> orders = [] {
    std::vector<Order> v;
    std::array<int, 4> p = {0, 1, 2, 3};
    do {
      Order o{p, ""};
      o.name = "perm-" + o.code();
      v.push_back(o);
    } while (std::next_permutation(p.begin(), p.end()));
    return v;
  }();
  return orders;
}

std::string OrderSpec::text() const {
  switch (kind) {
    case Kind::Original:
      return "original";
    case Kind::Reversed:
      return "reversed";
    case Kind::Trait:
      return "trait";
    case Kind::All:
      return "all";
    case Kind::Random:
      return str("random:", k);
  }
  return "";
}

OrderSpec parse_order_spec(const std::string& text, const std::string& where) {
  OrderSpec spec;
  if (text == "original")
    spec.kind = OrderSpec::Kind::Original;
  else if (text == "reversed")
    spec.kind = OrderSpec::Kind::Reversed;
  else if (text == "trait")
    spec.kind = OrderSpec::Kind::Trait;
  else if (text == "all")
    spec.kind = OrderSpec::Kind::All;
  else if (text.rfind("random:", 0) == 0) {
    std::string num = text.substr(7);
    bool digits = !num.empty() && num.size() <= 3 && std::all_of(num.begin(), num.end(), ::isdigit);
    int k = digits ? std::stoi(num) : 0;
    check_input(k >= 1 && k <= 24, where, ": order '", text,
                "': random:k needs 1 <= k <= 24 (there are 24 orders of four options)");
    spec.kind = OrderSpec::Kind::Random;
    spec.k = k;
  } else {
    throw InputError(str(where, ": unknown order '", text,
                         "' (valid: original, reversed, trait, all, random:k)"));
  }
  return spec;
}

std::vector<Order> random_orders(int k, uint64_t seed, const std::string& item_key) {
  check_input(k >= 1 && k <= 24, "random:", k, ": k must be 1..24");
  SplitMix64 rng{seed ^ fnv1a64(item_key)};
  // Partial Fisher-Yates over the 24 permutations: k distinct orders.
  std::vector<int> idx(24);
  for (int i = 0; i < 24; ++i) idx[i] = i;
  std::vector<Order> out;
  for (int i = 0; i < k; ++i) {
    int j = i + static_cast<int>(rng.below(24 - i));
    std::swap(idx[i], idx[j]);
    Order o = all_orders()[idx[i]];
    o.name = str("random:", i);
    out.push_back(o);
  }
  return out;
}

std::vector<Order> orders_for_item(const OrderSpec& spec, const ScenarioItem& item, uint64_t seed) {
  switch (spec.kind) {
    case OrderSpec::Kind::Original:
      return {original_order()};
    case OrderSpec::Kind::Reversed:
      return {reversed_order()};
    case OrderSpec::Kind::Trait:
      return {original_order(), reversed_order()};
    case OrderSpec::Kind::All:
      return all_orders();
    case OrderSpec::Kind::Random:
      return random_orders(spec.k, seed, trait_name(item.trait) + "/" + item.id);
  }
  return {};
}

}  // namespace traitlab
