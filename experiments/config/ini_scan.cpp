#include "experiments/config/ini_scan.h"

#include <sstream>

#include "core/util/error.h"
#include "experiments/config/option_schema.h"

namespace traitlab::config {

namespace {

std::string trim(const std::string& s) {
  const char* ws = " \t\r\n";
  size_t b = s.find_first_not_of(ws);
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(ws);
  return s.substr(b, e - b + 1);
}

}  // namespace

IniScan scan_ini(const std::string& text, const std::string& source) {
  IniScan scan;
  scan.source = source;
  std::istringstream in(text);
  std::string raw, section;
  int line_no = 0;
  while (std::getline(in, raw)) {
    ++line_no;
    std::string s = raw;
    if (size_t hash = s.find('#'); hash != std::string::npos) s.resize(hash);
    s = trim(s);
    if (s.empty()) continue;
    const std::string at = str(source, ":", line_no, ": ");
    if (s.front() == '[') {
      check_input(s.back() == ']' && s.size() > 2, at, "malformed section header '", s, "'");
      section = trim(s.substr(1, s.size() - 2));
      bool known = false;
      for (const auto& o : option_schema()) known = known || o.section() == section;
      check_input(known, at, "unknown section [", section, "]");
      continue;
    }
    size_t eq = s.find('=');
    check_input(eq != std::string::npos, at, "expected 'key = value' or '[section]', got '", s,
                "'");
    std::string name = trim(s.substr(0, eq));
    check_input(!name.empty(), at, "missing key name before '='");
    check_input(!section.empty(), at, "key '", name, "' is outside any [section]");
    std::string key = section + "." + name;
    if (!find_option(key)) {
      std::string hint = suggest_option(key);
      throw InputError(str(at, "unknown key '", name, "' in section [", section, "]",
                           hint.empty() ? "" : str(" (did you mean '", hint, "'?)")));
    }
    auto [it, inserted] = scan.entries.emplace(key, IniEntry{trim(s.substr(eq + 1)), line_no});
    check_input(inserted, at, "key '", key, "' is already set on line ", it->second.line);
  }
  return scan;
}

}  // namespace traitlab::config
