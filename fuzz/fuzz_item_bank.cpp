// libFuzzer target: item banks. The first byte picks the loader and file
// type (TRAIT scenarios as .jsonl/.json, Likert as .jsonl/.json/.csv); the
// rest is the file. Any bytes: items or a traitlab::InputError naming file
// and line. Accepted items are usable: non-empty fields, ids unique per
// trait, Likert keys +-1 with one anchor per scale point and keyed scores
// inside the scale.
#include <cstdint>
#include <set>
#include <string>
#include <utility>

#include "core/util/error.h"
#include "elicit/instruments/likert_item.h"
#include "elicit/instruments/scenario_item.h"
#include "fuzz/fuzz_util.h"

namespace {

using traitlab::fuzz::expect;

void check_scenarios(const std::vector<traitlab::ScenarioItem>& items) {
  expect(!items.empty(), "accepted an empty scenario bank");
  std::set<std::pair<int, std::string>> ids;
  for (const auto& it : items) {
    expect(!it.id.empty() && !it.situation.empty() && !it.query.empty(), "empty scenario field");
    for (int o = 0; o < traitlab::kScenarioOptions; ++o)
      expect(!it.option(o).empty(), "empty scenario option");
    expect(it.paraphrased_situation.has_value() == it.paraphrased_query.has_value(),
           "half a paraphrase");
    expect(ids.emplace(static_cast<int>(it.trait), it.id).second, "duplicate scenario id");
  }
}

void check_likert(const std::vector<traitlab::LikertItem>& items) {
  expect(!items.empty(), "accepted an empty Likert bank");
  std::set<std::string> ids;
  for (const auto& it : items) {
    expect(!it.id.empty() && !it.text.empty(), "empty Likert field");
    expect(it.key == 1 || it.key == -1, "Likert key not +-1");
    expect(it.scale_points >= 2 && it.scale_points <= 11, "scale outside 2..11");
    expect(static_cast<int>(it.anchors.size()) == it.scale_points, "anchors != scale points");
    for (const auto& a : it.anchors) expect(!a.empty(), "empty anchor");
    for (int x = 1; x <= it.scale_points; ++x) {
      const int s = it.keyed_score(x);
      expect(s >= 1 && s <= it.scale_points, "keyed score outside the scale");
    }
    expect(ids.insert(it.id).second, "duplicate Likert id");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  if (size == 0) return 0;
  static const char* const kNames[] = {"bank.jsonl", "bank.json", "likert.jsonl", "likert.json",
                                       "likert.csv"};
  const int kind = data[0] % 5;
  const std::string path = fuzz::write_scratch(kNames[kind], data + 1, size - 1);
  try {
    if (kind < 2) {
      check_scenarios(load_scenario_file(path));
    } else {
      const auto items = load_likert_file(path);
      check_unique_likert_ids(items);
      check_likert(items);
    }
  } catch (const InputError&) {
  }
  return 0;
}
