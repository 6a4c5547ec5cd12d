#pragma once
// The resolved config as INI text (--dump-config), and comparison of two
// configs by their identity keys (resume and merge).
#include <optional>
#include <string>

#include "experiments/config/config.h"

namespace traitlab::config {

// Sections and keys sorted by name, defaults included, one "key = value"
// per line, a blank line between sections, no comments. This exact text is
// stored in results files; dump(parse(dump(c))) == dump(c).
std::string dump_config(const Config& config);

// The first identity key (option_schema: identity) whose value differs, as
// "key 'technique.levels' differs (file: '1, 5', now: '1, 5, 9')"; nullopt
// when the configs describe the same experiment. Both must be validated.
std::optional<std::string> identity_difference(const Config& stored, const Config& now);

}  // namespace traitlab::config
