#pragma once
// A line-level pre-scan of INI text, run before Boost.Program_options parses
// the same text. Boost reports neither line numbers nor the file of a bad
// key, so this scan is where every config message gets its "file:line".
// It follows Boost's rules exactly: '#' starts a comment anywhere on a line
// (so values cannot contain '#'), whitespace is trimmed, "[section]" sets a
// prefix, "key = value" splits at the first '='.
//
// It rejects (InputError "file:line: ..."): lines that are neither, keys
// outside a section, keys not in the option schema (with a "did you mean"),
// and a key given twice in one file.
#include <map>
#include <string>

namespace traitlab::config {

struct IniEntry {
  std::string value;
  int line = 0;
};

struct IniScan {
  std::string source;                       // file name for messages
  std::map<std::string, IniEntry> entries;  // "section.key" -> value, line
};

IniScan scan_ini(const std::string& text, const std::string& source);

}  // namespace traitlab::config
