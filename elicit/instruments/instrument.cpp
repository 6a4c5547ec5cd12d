#include "elicit/instruments/instrument.h"

#include <cstdlib>
#include <fstream>

#include "core/util/error.h"
#include "core/util/sha256.h"
#include "elicit/instruments/item_records.h"

namespace traitlab {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool file_exists(const std::string& path) { return std::ifstream(path).good(); }

InstrumentKind detect_kind(const std::string& path) {
  if (ends_with(path, ".csv")) return InstrumentKind::Likert;
  std::vector<ItemRecord> records = read_item_records(path);
  check_input(!records.empty(), path, ": no items (empty bank)");
  const auto& first = records.front().value;
  if (first.contains("situation") || first.contains("response_high1")) {
    return InstrumentKind::Scenario;
  }
  if (first.contains("text")) return InstrumentKind::Likert;
  throw InputError(str(records.front().where,
                       ": cannot tell the item type: a scenario item has 'situation' and "
                       "'response_high1', a Likert item has 'text'"));
}

std::string unknown_name_message(const std::string& name) {
  std::string names;
  for (const auto& n : builtin_instrument_names()) names += (names.empty() ? "" : ", ") + n;
  return str("unknown instrument '", name, "': not a built-in (", names,
             ") and no such file (.json, .jsonl or .csv)");
}

}  // namespace

const char* instrument_kind_name(InstrumentKind k) {
  return k == InstrumentKind::Scenario ? "scenario" : "likert";
}

Trait Instrument::trait_of(size_t i) const {
  return kind == InstrumentKind::Scenario ? scenarios.at(i).trait : likert.at(i).trait;
}

std::vector<Trait> Instrument::traits() const {
  std::vector<Trait> out;
  for (Trait t : all_traits()) {
    if (count(t) > 0) out.push_back(t);
  }
  return out;
}

size_t Instrument::count(Trait t) const {
  size_t n = 0;
  for (size_t i = 0; i < size(); ++i) n += trait_of(i) == t;
  return n;
}

std::string banks_dir() {
  if (const char* env = std::getenv("TRAITLAB_BANKS"); env && *env) return env;
#ifdef TRAITLAB_BANKS_DIR
  return TRAITLAB_BANKS_DIR;
#else
  throw InputError("built-in item banks not found: set TRAITLAB_BANKS to the elicit/banks folder");
#endif
}

std::vector<std::string> builtin_instrument_names() {
  return {"trait-builtin", "trait-builtin:<trait>", "ipip50", "dark-likert", "likert-builtin"};
}

Instrument load_instrument_files(const std::string& name, const std::vector<std::string>& paths) {
  check_input(!paths.empty(), "instrument '", name, "': no files");
  Instrument inst;
  inst.name = name;
  inst.kind = detect_kind(paths.front());
  for (const auto& path : paths) {
    InstrumentKind kind = detect_kind(path);
    check_input(kind == inst.kind, path, ": holds ", instrument_kind_name(kind), " items but '",
                paths.front(), "' holds ", instrument_kind_name(inst.kind),
                " items; one instrument holds one kind");
    if (kind == InstrumentKind::Scenario) {
      auto items = load_scenario_file(path);
      inst.scenarios.insert(inst.scenarios.end(), items.begin(), items.end());
    } else {
      auto items = load_likert_file(path);
      inst.likert.insert(inst.likert.end(), items.begin(), items.end());
    }
    inst.sources.push_back({path, sha256_file_hex(path)});
  }
  if (inst.kind == InstrumentKind::Scenario)
    check_unique_scenario_ids(inst.scenarios);
  else
    check_unique_likert_ids(inst.likert);
  return inst;
}

Instrument load_instrument(const std::string& name_or_path) {
  const std::string& name = name_or_path;
  if (name == "trait-builtin" || name.rfind("trait-builtin:", 0) == 0) {
    std::vector<Trait> traits = all_traits();
    if (name != "trait-builtin") {
      traits = {parse_trait(name.substr(14), str("instrument '", name, "'"))};
    }
    std::vector<std::string> paths;
    for (Trait t : traits) paths.push_back(banks_dir() + "/scenarios/" + trait_slug(t) + ".jsonl");
    return load_instrument_files(name, paths);
  }
  if (name == "ipip50") return load_instrument_files(name, {banks_dir() + "/ipip_big5_50.jsonl"});
  if (name == "dark-likert") {
    return load_instrument_files(name, {banks_dir() + "/dark_triad_likert.jsonl"});
  }
  if (name == "likert-builtin") {
    return load_instrument_files(
        name, {banks_dir() + "/ipip_big5_50.jsonl", banks_dir() + "/dark_triad_likert.jsonl"});
  }
  bool known_ext = ends_with(name, ".json") || ends_with(name, ".jsonl") || ends_with(name, ".csv");
  if (file_exists(name)) {
    check_input(known_ext, name, ": unknown item file type (expected .json, .jsonl or .csv)");
    return load_instrument_files(name, {name});
  }
  throw InputError(unknown_name_message(name));
}

}  // namespace traitlab
