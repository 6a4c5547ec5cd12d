#pragma once
// An instrument: a named set of scenario or Likert items and the files it
// was read from (with their SHA-256, recorded as provenance).
#include <string>
#include <vector>

#include "elicit/instruments/likert_item.h"
#include "elicit/instruments/scenario_item.h"

namespace traitlab {

enum class InstrumentKind { Scenario, Likert };
const char* instrument_kind_name(InstrumentKind k);  // "scenario", "likert"

struct SourceFile {
  std::string path;
  std::string sha256;  // 64 lowercase hex characters
};

struct Instrument {
  std::string name;
  InstrumentKind kind = InstrumentKind::Scenario;
  std::vector<ScenarioItem> scenarios;  // kind == Scenario
  std::vector<LikertItem> likert;       // kind == Likert
  std::vector<SourceFile> sources;

  size_t size() const {
    return kind == InstrumentKind::Scenario ? scenarios.size() : likert.size();
  }
  Trait trait_of(size_t i) const;
  // Traits with at least one item, in canonical order.
  std::vector<Trait> traits() const;
  size_t count(Trait t) const;
};

// Where the built-in banks live: $TRAITLAB_BANKS if set, else the source
// tree's elicit/banks (compiled in as TRAITLAB_BANKS_DIR).
std::string banks_dir();

// Names load_instrument() knows besides file paths.
std::vector<std::string> builtin_instrument_names();

// "trait-builtin" (all 8 scenario banks), "trait-builtin:<trait>" (one;
// any trait spelling parse_trait accepts), "ipip50", "dark-likert",
// "likert-builtin" (ipip50 + dark-likert), or a path to a .json, .jsonl or
// .csv file. JSON files are scenario banks when their first item has
// 'situation' or 'response_high1', Likert when it has 'text'. Unknown
// names and unrecognisable files are InputErrors.
Instrument load_instrument(const std::string& name_or_path);

// Several files as one instrument (all of one kind; ids checked across).
Instrument load_instrument_files(const std::string& name, const std::vector<std::string>& paths);

}  // namespace traitlab
