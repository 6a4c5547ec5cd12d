#include "elicit/instruments/scenario_item.h"

#include <map>

#include "core/util/error.h"
#include "elicit/instruments/item_records.h"

namespace traitlab {
namespace {

const char* kResponseHint = "a TRAIT item needs two high and two low responses";
const char* kResponseKeys[kScenarioOptions] = {"response_high1", "response_high2", "response_low1",
                                               "response_low2"};

ScenarioItem parse_scenario(const ItemRecord& rec, const std::string& path) {
  ItemFields f(rec);
  ScenarioItem item;
  item.id = f.id("idx");
  item.file = path;
  item.line = rec.line;
  std::string trait = f.required_string("personality");
  item.trait = parse_trait(trait, f.prefix() + ": field 'personality'");
  item.situation = f.required_string("situation");
  item.query = f.required_string("query");
  std::array<std::string, kScenarioOptions> responses;
  for (int i = 0; i < kScenarioOptions; ++i) {
    responses[i] = f.required_string(kResponseKeys[i], kResponseHint);
    for (int j = 0; j < i; ++j) {
      if (responses[j] == responses[i]) {
        f.fail(kResponseKeys[i],
               str("repeats '", kResponseKeys[j], "' (the four responses must differ)"));
      }
    }
  }
  item.high = {responses[kHigh1], responses[kHigh2]};
  item.low = {responses[kLow1], responses[kLow2]};
  item.statement = f.optional_string("statement").value_or("");
  item.split = f.optional_string("split").value_or("");
  item.facet = f.optional_string("facet").value_or("");
  item.source = f.optional_string("source").value_or("");
  item.paraphrased_situation = f.optional_string("paraphrased_situation");
  item.paraphrased_query = f.optional_string("paraphrased_query");
  if (item.paraphrased_situation.has_value() != item.paraphrased_query.has_value()) {
    const char* given = item.paraphrased_situation ? "paraphrased_situation" : "paraphrased_query";
    const char* missing =
        item.paraphrased_situation ? "paraphrased_query" : "paraphrased_situation";
    throw InputError(str(f.prefix(), ": missing field '", missing, "' ('", given,
                         "' is given; a paraphrase needs both)"));
  }
  return item;
}

}  // namespace

const char* scenario_option_name(int canonical) {
  static const char* names[kScenarioOptions] = {"H1", "H2", "L1", "L2"};
  check_input(canonical >= 0 && canonical < kScenarioOptions, "scenario option index ", canonical,
              " out of range 0..3");
  return names[canonical];
}

const std::string& ScenarioItem::option(int canonical) const {
  check_input(canonical >= 0 && canonical < kScenarioOptions, "scenario option index ", canonical,
              " out of range 0..3");
  return canonical < 2 ? high[canonical] : low[canonical - 2];
}

std::string ScenarioItem::location() const {
  bool jsonl = file.size() >= 6 && file.compare(file.size() - 6, 6, ".jsonl") == 0;
  return jsonl ? str(file, ":", line) : str(file, ": [", line, "]");
}

void check_unique_scenario_ids(const std::vector<ScenarioItem>& items) {
  // Identity is (trait, id): TRAIT-style banks number items per trait, and
  // the built-in Narcissism and Neuroticism banks both use N-001...
  std::map<std::pair<Trait, std::string>, const ScenarioItem*> seen;
  for (const auto& item : items) {
    auto [it, inserted] = seen.emplace(std::make_pair(item.trait, item.id), &item);
    check_input(inserted, item.location(), ": item '", item.id, "': duplicate id for trait ",
                trait_name(item.trait), " (first at ", it->second->location(), ")");
  }
}

std::vector<ScenarioItem> load_scenario_file(const std::string& path) {
  std::vector<ItemRecord> records = read_item_records(path);
  check_input(!records.empty(), path, ": no items (empty bank)");
  std::vector<ScenarioItem> items;
  items.reserve(records.size());
  for (const auto& rec : records) items.push_back(parse_scenario(rec, path));
  check_unique_scenario_ids(items);
  return items;
}

}  // namespace traitlab
