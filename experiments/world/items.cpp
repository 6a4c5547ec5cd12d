#include "experiments/world/items.h"

#include "core/util/error.h"
#include "experiments/world/lexicon.h"
#include "experiments/world/traits.h"
#include "experiments/world/world_config.h"

namespace traitlab::world {

namespace {

const char* kTraitCodes[kNumTraits] = {"O", "C", "E", "A", "N", "MACH", "NARC", "PSY"};
const char* kSource = "traitlab-world (synthetic; see world.json)";

std::string fill(const std::string& tmpl, const std::string& person) {
  std::string out;
  for (size_t i = 0; i < tmpl.size(); ++i) {
    if (tmpl.compare(i, 3, "{p}") == 0) {
      out += person;
      i += 2;
    } else {
      out += tmpl[i];
    }
  }
  return out;
}

// Two of a pole's three options, in random order.
std::array<std::string, 2> two_of(const std::vector<std::string>& options,
                                  const std::string& person, WorldRng& rng) {
  std::vector<size_t> order = {0, 1, 2};
  rng.shuffle(order);
  return {fill(options[order[0]], person), fill(options[order[1]], person)};
}

std::string two_digits(size_t i) { return (i < 10 ? "0" : "") + std::to_string(i); }

void add_scenarios(const WorldConfig& cfg, WorldRng& rng, ItemBank& bank) {
  const auto& people = scenario_people();
  const auto& queries = scenario_queries();
  for (int t = 0; t < kNumTraits; ++t) {
    const auto& templates = scenario_templates(t);
    const size_t held_out = rng.below(templates.size());
    for (size_t j = 0; j < templates.size(); ++j) {
      const ScenarioTemplate& tp = templates[j];
      // split "item": two of the people, drawn per template.
      const size_t p1 = rng.below(people.size());
      const size_t p2 = (p1 + 1 + rng.below(people.size() - 1)) % people.size();
      for (size_t k = 0; k < people.size(); ++k) {
        ScenarioItem it;
        it.idx = str("world-", kTraitCodes[t], "-", j + 1, "-", two_digits(k + 1));
        const bool test = cfg.split == "template" ? j == held_out : (k == p1 || k == p2);
        it.split = test ? "test" : "train";
        it.trait = t;
        it.statement = tp.statement;
        it.situation = fill(tp.situation, people[k]);
        it.paraphrased_situation = fill(tp.paraphrase, people[k]);
        const size_t q = rng.below(queries.size());
        it.query = queries[q];
        it.paraphrased_query = queries[(q + 1 + rng.below(queries.size() - 1)) % queries.size()];
        it.high = two_of(tp.high, people[k], rng);
        it.low = two_of(tp.low, people[k], rng);
        it.a = rng.uniform(cfg.item_a_min, cfg.item_a_max);
        it.b = cfg.item_difficulty_sd * rng.normal();
        bank.scenarios.push_back(std::move(it));
      }
    }
  }
}

void add_likert(const WorldConfig& cfg, WorldRng& rng, ItemBank& bank) {
  static const std::vector<std::string> stems = {"I am {a}.", "People describe me as {a}.",
                                                 "I would call myself {a}.",
                                                 "Most of the time I am {a}."};
  for (int t = 0; t < kNumTraits; ++t) {
    const TraitMarkers& m = trait_markers()[t];
    for (int key : {1, -1}) {
      const auto& adjectives = key > 0 ? m.high : m.low;
      std::vector<size_t> order(adjectives.size());
      for (size_t i = 0; i < order.size(); ++i) order[i] = i;
      rng.shuffle(order);
      for (size_t i = 0; i < adjectives.size(); ++i) {
        const std::string& adj = adjectives[i];
        LikertStatement s;
        s.id = str("world-", kTraitCodes[t], key > 0 ? "+" : "-", two_digits(i + 1));
        // The first two adjectives of the shuffled order are held out.
        s.split = (order[0] == i || order[1] == i) ? "test" : "train";
        s.trait = t;
        std::string text = rng.pick(stems);
        text.replace(text.find("{a}"), 3, adj);
        s.text = text;
        s.grm.key = key;
        s.grm.a = rng.uniform(cfg.item_a_min, cfg.item_a_max);
        const double shift = cfg.likert_shift_sd * rng.normal();
        for (double b : cfg.likert_thresholds) s.grm.thresholds.push_back(b + shift);
        bank.likert.push_back(std::move(s));
      }
    }
  }
}

}  // namespace

ItemBank make_item_bank(const WorldConfig& cfg, WorldRng& rng) {
  ItemBank bank;
  add_scenarios(cfg, rng, bank);
  add_likert(cfg, rng, bank);
  return bank;
}

std::vector<std::string> likert_anchors(int k) {
  if (k == 5)
    return {"Very inaccurate", "Moderately inaccurate", "Neither accurate nor inaccurate",
            "Moderately accurate", "Very accurate"};
  std::vector<std::string> out;
  for (int i = 1; i <= k; ++i) out.push_back(std::to_string(i));
  return out;
}

nlohmann::ordered_json to_json(const ScenarioItem& it) {
  return {{"idx", it.idx},
          {"split", it.split},
          {"personality", trait_name(it.trait)},
          {"statement", it.statement},
          {"situation", it.situation},
          {"query", it.query},
          {"response_high1", it.high[0]},
          {"response_high2", it.high[1]},
          {"response_low1", it.low[0]},
          {"response_low2", it.low[1]},
          {"paraphrased_situation", it.paraphrased_situation},
          {"paraphrased_query", it.paraphrased_query},
          {"discrimination", it.a},
          {"difficulty", it.b},
          {"source", kSource}};
}

nlohmann::ordered_json to_json(const LikertStatement& s) {
  const int k = static_cast<int>(s.grm.thresholds.size()) + 1;
  return {{"id", s.id},
          {"text", s.text},
          {"trait", trait_name(s.trait)},
          {"facet", ""},
          {"key", s.grm.key},
          {"scale_points", k},
          {"anchors", likert_anchors(k)},
          {"source", kSource},
          {"split", s.split},
          {"discrimination", s.grm.a},
          {"thresholds", s.grm.thresholds}};
}

}  // namespace traitlab::world
