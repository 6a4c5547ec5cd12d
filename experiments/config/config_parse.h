#pragma once
// Command line + INI files -> Config, with Boost.Program_options.
//
// Precedence: command line > later --config file > earlier --config file >
// schema default. Boost keeps the FIRST value stored for an option, so the
// command line is stored first and the files after it in REVERSE order of
// their --config flags. Every value remembers its origin (flag, or file and
// line from the pre-scan in ini_scan.h) for later messages.
//
// Each config key is a flag "--section.key VALUE"; some have a short alias
// (--model, --seed, ...: see the schema). The command adds its own
// command-line-only options in `generic`; --help, --config FILE (repeatable)
// and --dump-config are always there.
#include <boost/program_options.hpp>
#include <string>
#include <vector>

#include "experiments/config/config.h"

namespace traitlab::config {

namespace po = boost::program_options;

struct ParsedArgs {
  Config config;                          // not validated yet: call validate_config
  po::variables_map generic;              // the command's own options (and help/config/dump-config)
  std::vector<std::string> config_files;  // in the order given
  bool help = false;
  bool dump_config = false;
};

// Bad flags, missing or malformed files: InputError naming the flag or file:line.
ParsedArgs parse_args(int argc, const char* const argv[], const po::options_description& generic,
                      const po::positional_options_description* positional = nullptr);

// One INI text (a stored config, a file already read) over the defaults.
Config parse_config_text(const std::string& text, const std::string& source);

// --help text: usage line, the command's options, then every config key by
// section with type, default and alias.
std::string options_help(const std::string& usage, const po::options_description& generic);

}  // namespace traitlab::config
