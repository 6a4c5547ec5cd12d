#pragma once
// The one table of experiment options. Parsing (Boost.Program_options, both
// INI files and command-line flags), validation, --help and --dump-config
// are all driven by it, so an option is added in exactly one place
// (option_schema.cpp).
//
// Keys are "section.key": `[model] path = x` in an INI file, `--model.path x`
// on the command line. List values are comma-separated ("1, 5, 9").
#include <optional>
#include <string>
#include <vector>

namespace traitlab::config {

enum class OptionType {
  Bool,        // true/false/yes/no/on/off/1/0, dumped as true/false
  Int,         // int64
  Float,       // double, finite
  String,      // any text (paths, device names)
  Choice,      // one of `choices`
  IntList,     // comma-separated integers
  FloatList,   // comma-separated finite numbers
  StringList,  // comma-separated text
  ChoiceList,  // comma-separated members of `choices`
};
const char* option_type_name(OptionType t);
bool is_list(OptionType t);

struct OptionSpec {
  std::string key;  // "section.name"
  OptionType type;
  std::string default_value;  // as text, already in canonical form
  std::string help;
  std::vector<std::string> choices;  // Choice / ChoiceList
  // Numeric range (list elements too); exclusive bounds for e.g. "> 0".
  std::optional<double> min, max;
  bool min_exclusive = false;
  std::string alias;  // friendly CLI flag ("model" for --model), "" for none
  // Grid axis name ("trait") when this list expands into cells; "" otherwise.
  std::string axis;
  // Part of the config's identity: resume and merge refuse files whose
  // identity keys differ. Where results go and how fast they are computed
  // (output path, threads, device) are not.
  bool identity = true;
  bool required = false;  // no usable default: must be set

  std::string section() const;  // "model"
  std::string name() const;     // "path"
};

const std::vector<OptionSpec>& option_schema();
// nullptr when the key is not in the schema.
const OptionSpec* find_option(const std::string& key);
// The schema key closest to `key` (edit distance), for "did you mean" hints;
// "" when nothing is close.
std::string suggest_option(const std::string& key);

// The eight traits, in the order used everywhere (Big Five, Dark Triad).
const std::vector<std::string>& trait_names();

}  // namespace traitlab::config
