#include "experiments/world/prompted_docs.h"

#include <algorithm>
#include <cmath>

#include "core/tokenizer/chat_format.h"
#include "elicit/instruments/option_order.h"
#include "elicit/instruments/scenario_item.h"
#include "elicit/prompts/render_scenario.h"
#include "experiments/world/documents.h"
#include "experiments/world/lexicon.h"
#include "experiments/world/traits.h"
#include "experiments/world/world_config.h"

namespace traitlab::world {

namespace {

// The world's option index (documents.h: 0 high[0], 1 low[0], 2 high[1],
// 3 low[1]) as elicit's canonical option.
int canonical_option(int world_option) {
  static const int kMap[4] = {kHigh1, kLow1, kHigh2, kLow2};
  return kMap[world_option];
}

traitlab::ScenarioItem as_instrument_item(const ScenarioItem& it) {
  traitlab::ScenarioItem out;
  out.id = it.idx;
  out.trait = static_cast<Trait>(it.trait);
  out.statement = it.statement;
  out.situation = it.situation;
  out.query = it.query;
  out.high = it.high;
  out.low = it.low;
  out.paraphrased_situation = it.paraphrased_situation;
  out.paraphrased_query = it.paraphrased_query;
  out.split = it.split;
  return out;
}

// A persona prompt for `trait` at `level` from a random subset (2..all, in
// bank order) of the trait's markers, in a random persona template.
std::string persona_prompt(int trait, int level, WorldRng& rng) {
  const TraitMarkers& m = trait_markers()[trait];
  const size_t n = std::min(m.high.size(), m.low.size());
  const size_t k = rng.bernoulli(0.5) ? n : 2 + rng.below(n - 1);
  std::vector<size_t> idx(n);
  for (size_t i = 0; i < n; ++i) idx[i] = i;
  rng.shuffle(idx);
  idx.resize(k);
  std::sort(idx.begin(), idx.end());
  nlohmann::json entry = {{"high", nlohmann::json::array()},
                          {"low", nlohmann::json::array()},
                          {"label_high", m.label_high},
                          {"label_low", m.label_low}};
  for (size_t i : idx) {
    entry["high"].push_back(m.high[i]);
    entry["low"].push_back(m.low[i]);
  }
  PersonaBank bank;
  bank.add(nlohmann::json{{trait_name(trait), entry}}, "world markers");
  const auto templates = all_persona_templates();
  return persona_text(bank, {{trait_name(trait), level}}, templates[rng.below(templates.size())]);
}

}  // namespace

nlohmann::ordered_json persona_markers_json() {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (int t = 0; t < kNumTraits; ++t) {
    const TraitMarkers& m = trait_markers()[t];
    j[trait_name(t)] = {
        {"high", m.high}, {"low", m.low}, {"label_high", m.label_high}, {"label_low", m.label_low}};
  }
  return j;
}

PersonaBank world_persona_bank() {
  PersonaBank bank;
  bank.add(nlohmann::json::parse(persona_markers_json().dump()), "world markers");
  return bank;
}

namespace {

std::vector<const ScenarioItem*> train_items(const ItemBank& bank) {
  std::vector<const ScenarioItem*> items;
  for (const auto& it : bank.scenarios)
    if (it.split == "train") items.push_back(&it);
  return items;
}

// `it` after `persona` (may be empty) in a random measurement rendering:
// one of the 24 option orders, templates 1-3, 30% paraphrased.
struct Rendering {
  const Order* order = nullptr;
  Prompt prompt;
  // The display text of world option `w` (documents.h order) as an answer.
  const std::string& continuation(int w) const {
    return prompt.continuations[order->position_of(canonical_option(w))];
  }
};

Rendering render_randomly(const ScenarioItem& it, const std::string& persona, WorldRng& rng) {
  static const ChatFormat plain(ChatFormatKind::Plain);
  const int n_templates = static_cast<int>(traitlab::scenario_templates().size());
  const auto& orders = all_orders();
  Rendering r;
  r.order = &orders[rng.below(orders.size())];
  const int template_id = 1 + static_cast<int>(rng.below(n_templates));
  const bool paraphrase = rng.bernoulli(0.3);
  r.prompt = render_scenario(as_instrument_item(it), *r.order, template_id, paraphrase, persona,
                             plain, false);
  return r;
}

// `it` rendered randomly after `persona`, answered by the 2PL model at theta.
PromptedDoc answered(const ScenarioItem& it, const std::string& persona, double theta,
                     const WorldConfig& cfg, WorldRng& rng, PromptedSummary& summary) {
  const Rendering r = render_randomly(it, persona, rng);
  const bool cloze = rng.bernoulli(cfg.prompted_cloze_fraction);
  const int slot = r.order->position_of(canonical_option(choose_option(it, theta, rng)));
  summary.cloze += cloze;
  summary.with_persona += !persona.empty();
  ++summary.documents;
  return cloze ? PromptedDoc{r.prompt.cloze_text, r.prompt.continuations[slot]}
               : PromptedDoc{r.prompt.text, " " + r.prompt.labels[slot]};
}

// What a prompted document or pair is about: a train item, the persona
// prompt before it ("" for none) and the theta that answers it.
struct PromptedDraw {
  const ScenarioItem* item = nullptr;
  std::string persona;
  double theta = 0;
};

PromptedDraw draw_prompted(const WorldConfig& cfg, const std::vector<const ScenarioItem*>& items,
                           const std::vector<Respondent>& people, WorldRng& rng) {
  PromptedDraw d;
  d.item = items[rng.below(items.size())];
  if (rng.bernoulli(cfg.prompted_unprompted_fraction) || people.empty()) {
    d.theta = people.empty() ? 0.0 : people[rng.below(people.size())].theta[d.item->trait];
  } else {
    const int level = 1 + static_cast<int>(rng.below(9));
    d.persona = persona_prompt(d.item->trait, level, rng);
    d.theta = level_to_theta(level);
  }
  return d;
}

// A preference pair on the cloze rendering: chosen is the response model's
// answer at theta, rejected one of the two options of the other pole.
PromptedPair preference(const ScenarioItem& it, const std::string& persona, double theta,
                        WorldRng& rng) {
  const Rendering r = render_randomly(it, persona, rng);
  const int chosen = choose_option(it, theta, rng);
  // World options alternate poles (0 high, 1 low, 2 high, 3 low).
  const int rejected = (chosen % 2 == 0 ? 1 : 0) + 2 * static_cast<int>(rng.below(2));
  return PromptedPair{r.prompt.cloze_text, r.continuation(chosen), r.continuation(rejected)};
}

// `n` draws over the train items of `bank`, each made into a T by `make`
// (which may draw more from `rng`, after the draw).
template <typename T, typename Make>
std::vector<T> from_prompted_draws(const WorldConfig& cfg, int64_t n,
                                   const std::vector<Respondent>& people, const ItemBank& bank,
                                   WorldRng& rng, Make make) {
  const std::vector<const ScenarioItem*> items = train_items(bank);
  std::vector<T> out;
  if (items.empty()) return out;
  for (int64_t d = 0; d < n; ++d) out.push_back(make(draw_prompted(cfg, items, people, rng)));
  return out;
}

}  // namespace

std::vector<PromptedDoc> make_prompted_documents(const WorldConfig& cfg, int64_t n,
                                                 const std::vector<Respondent>& people,
                                                 const ItemBank& bank, WorldRng& rng,
                                                 PromptedSummary& summary) {
  return from_prompted_draws<PromptedDoc>(cfg, n, people, bank, rng, [&](const PromptedDraw& d) {
    return answered(*d.item, d.persona, d.theta, cfg, rng, summary);
  });
}

std::vector<PromptedPair> make_prompted_pairs(const WorldConfig& cfg, int64_t n,
                                              const std::vector<Respondent>& people,
                                              const ItemBank& bank, WorldRng& rng,
                                              PromptedSummary& summary) {
  return from_prompted_draws<PromptedPair>(cfg, n, people, bank, rng, [&](const PromptedDraw& d) {
    ++summary.documents;
    ++summary.cloze;
    summary.with_persona += !d.persona.empty();
    return preference(*d.item, d.persona, d.theta, rng);
  });
}

std::vector<PromptedDoc> make_alignment_prompted(const WorldConfig& cfg, int64_t n,
                                                 const ItemBank& bank, WorldRng& rng,
                                                 PromptedSummary& summary) {
  const std::vector<const ScenarioItem*> items = train_items(bank);
  // Traits the profile takes a clear side on (|theta*| >= 1): the ones a
  // dark-persona request asks to flip.
  std::vector<int> sided;
  for (int t = 0; t < kNumTraits; ++t)
    if (std::abs(cfg.assistant_profile[t]) >= 1.0) sided.push_back(t);
  std::vector<PromptedDoc> docs;
  if (items.empty()) return docs;
  for (int64_t d = 0; d < n; ++d) {
    if (!sided.empty() && rng.bernoulli(cfg.dark_request_fraction)) {
      const int t = sided[rng.below(sided.size())];
      std::vector<const ScenarioItem*> of_trait;
      for (const ScenarioItem* it : items)
        if (it->trait == t) of_trait.push_back(it);
      const int level = cfg.assistant_profile[t] > 0 ? 1 + static_cast<int>(rng.below(3))
                                                     : 7 + static_cast<int>(rng.below(3));
      const std::string persona = persona_prompt(t, level, rng);
      const bool refuse = rng.bernoulli(cfg.refuse_fraction);
      const double theta = refuse ? cfg.assistant_profile[t] : level_to_theta(level);
      docs.push_back(
          answered(*of_trait[rng.below(of_trait.size())], persona, theta, cfg, rng, summary));
    } else {
      const ScenarioItem& it = *items[rng.below(items.size())];
      docs.push_back(answered(it, "", cfg.assistant_profile[it.trait], cfg, rng, summary));
    }
  }
  return docs;
}

}  // namespace traitlab::world
