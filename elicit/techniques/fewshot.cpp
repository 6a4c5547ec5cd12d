#include "elicit/techniques/fewshot.h"

#include <algorithm>
#include <cmath>
#include <sstream>

#include "core/util/error.h"
#include "elicit/instruments/seeded_hash.h"
#include "elicit/techniques/persona.h"

namespace traitlab {
namespace {

std::string item_id(const Instrument& inst, size_t i) {
  return inst.kind == InstrumentKind::Likert ? inst.likert[i].id : inst.scenarios[i].id;
}

void check_level(int level, Trait t) {
  check_input(level >= kPersonaMinLevel && level <= kPersonaMaxLevel, "fewshot: level ", level,
              " for ", trait_name(t), " is outside 1..9");
}

}  // namespace

FewshotSplit split_fewshot(const Instrument& inst, int k, uint64_t seed) {
  check_input(k >= 1, "fewshot: k must be >= 1, got ", k);
  FewshotSplit out;
  for (Trait t : inst.traits()) {
    std::vector<std::pair<uint64_t, std::string>> keyed;
    for (size_t i = 0; i < inst.size(); ++i) {
      if (inst.trait_of(i) != t) continue;
      const std::string id = item_id(inst, i);
      keyed.push_back({seeded_hash(seed, "fewshot/" + trait_name(t) + "/" + id), id});
    }
    check_input(static_cast<int>(keyed.size()) > k, "fewshot: instrument '", inst.name, "' has ",
                keyed.size(), " items for ", trait_name(t), ", need more than k = ", k);
    std::sort(keyed.begin(), keyed.end());
    for (int j = 0; j < k; ++j) {
      out.examples[t].push_back(keyed[j].second);
      out.example_ids.insert(trait_name(t) + "/" + keyed[j].second);
    }
  }
  out.measured = inst;
  out.measured.name = inst.name + "-fewshot-heldout";
  auto is_example = [&](Trait t, const std::string& id) {
    return out.example_ids.count(trait_name(t) + "/" + id) > 0;
  };
  auto& lk = out.measured.likert;
  lk.erase(std::remove_if(lk.begin(), lk.end(),
                          [&](const LikertItem& it) { return is_example(it.trait, it.id); }),
           lk.end());
  auto& sc = out.measured.scenarios;
  sc.erase(std::remove_if(sc.begin(), sc.end(),
                          [&](const ScenarioItem& it) { return is_example(it.trait, it.id); }),
           sc.end());
  return out;
}

int fewshot_likert_answer(const LikertItem& item, int level) {
  check_level(level, item.trait);
  const int k = item.scale_points;
  const int s = static_cast<int>(std::lround(1.0 + (level - 1) * (k - 1) / 8.0));
  return item.key > 0 ? s : k + 1 - s;
}

std::string fewshot_text(const Instrument& inst, const FewshotSplit& split,
                         const std::map<Trait, int>& profile) {
  check_input(!profile.empty(), "fewshot: empty profile");
  std::ostringstream os;
  os << "Here are some of your earlier answers:\n";
  for (const auto& [t, level] : profile) {
    check_level(level, t);
    auto it = split.examples.find(t);
    check_input(it != split.examples.end(), "fewshot: instrument '", inst.name,
                "' has no example items for ", trait_name(t));
    int n = 0;
    for (const std::string& id : it->second) {
      for (size_t i = 0; i < inst.size(); ++i) {
        if (inst.trait_of(i) != t || item_id(inst, i) != id) continue;
        if (inst.kind == InstrumentKind::Likert) {
          const LikertItem& item = inst.likert[i];
          const int a = fewshot_likert_answer(item, level);
          os << "\nStatement: \"" << item.text << "\"\nYour answer: " << a << " ("
             << item.anchors[a - 1] << ")\n";
        } else {
          const ScenarioItem& item = inst.scenarios[i];
          const bool high = level > 5 || (level == 5 && n % 2 == 0);
          os << "\nSituation: " << item.situation << "\n"
             << item.query << "\nYour answer: " << (high ? item.high[0] : item.low[0]) << "\n";
        }
        ++n;
      }
    }
  }
  os << "\nAnswer the next question in the same way.";
  return os.str();
}

}  // namespace traitlab
