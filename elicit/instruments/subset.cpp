#include "elicit/instruments/subset.h"

#include <algorithm>
#include <map>
#include <numeric>

#include "core/util/error.h"
#include "elicit/instruments/seeded_hash.h"

namespace traitlab {
namespace {

const std::string& item_id(const Instrument& inst, size_t i) {
  return inst.kind == InstrumentKind::Scenario ? inst.scenarios[i].id : inst.likert[i].id;
}

// A copy of inst holding the items whose indices are in keep (ascending).
Instrument take(const Instrument& inst, const std::vector<size_t>& keep, const std::string& what) {
  Instrument out;
  out.name = inst.name + what;
  out.kind = inst.kind;
  out.sources = inst.sources;
  for (size_t i : keep) {
    if (inst.kind == InstrumentKind::Scenario)
      out.scenarios.push_back(inst.scenarios[i]);
    else
      out.likert.push_back(inst.likert[i]);
  }
  return out;
}

std::map<Trait, std::vector<size_t>> by_trait(const Instrument& inst) {
  std::map<Trait, std::vector<size_t>> groups;
  for (size_t i = 0; i < inst.size(); ++i) groups[inst.trait_of(i)].push_back(i);
  return groups;
}

}  // namespace

Instrument select_traits(const Instrument& inst, const std::vector<Trait>& traits) {
  std::string names;
  for (Trait t : traits) {
    check_input(inst.count(t) > 0, "instrument '", inst.name, "' has no items for trait ",
                trait_name(t));
    names += (names.empty() ? "" : ",") + trait_code(t);
  }
  std::vector<size_t> keep;
  for (size_t i = 0; i < inst.size(); ++i) {
    if (std::find(traits.begin(), traits.end(), inst.trait_of(i)) != traits.end())
      keep.push_back(i);
  }
  return take(inst, keep, "[traits=" + names + "]");
}

Instrument first_n_per_trait(const Instrument& inst, int n) {
  check_input(n >= 1, "instrument '", inst.name, "': items per trait must be >= 1, got ", n);
  std::vector<size_t> keep;
  for (const auto& [trait, idx] : by_trait(inst)) {
    keep.insert(keep.end(), idx.begin(), idx.begin() + std::min<size_t>(n, idx.size()));
  }
  std::sort(keep.begin(), keep.end());
  return take(inst, keep, str("[first=", n, "]"));
}

Instrument sample_per_trait(const Instrument& inst, int n, uint64_t seed) {
  check_input(n >= 1, "instrument '", inst.name, "': items per trait must be >= 1, got ", n);
  std::vector<size_t> keep;
  for (auto [trait, idx] : by_trait(inst)) {
    // Sort by a seeded hash of the id: the sample is a property of the item
    // set, so reordering a file does not change which items are drawn.
    std::vector<std::pair<uint64_t, size_t>> keyed;
    for (size_t i : idx) {
      keyed.push_back({seeded_hash(seed, trait_name(trait) + "/" + item_id(inst, i)), i});
    }
    std::sort(keyed.begin(), keyed.end());
    for (size_t j = 0; j < std::min<size_t>(n, keyed.size()); ++j) keep.push_back(keyed[j].second);
  }
  std::sort(keep.begin(), keep.end());
  return take(inst, keep, str("[sample=", n, ",seed=", seed, "]"));
}

}  // namespace traitlab
