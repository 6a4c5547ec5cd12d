#include "experiments/config/config_dump.h"

#include <map>
#include <sstream>

#include "core/util/error.h"
#include "experiments/config/option_schema.h"

namespace traitlab::config {

std::string dump_config(const Config& config) {
  std::map<std::string, std::map<std::string, std::string>> sections;
  for (const auto& [key, entry] : config.entries()) {
    size_t dot = key.find('.');
    sections[key.substr(0, dot)][key.substr(dot + 1)] = entry.value;
  }
  std::ostringstream os;
  bool first = true;
  for (const auto& [section, keys] : sections) {
    if (!first) os << "\n";
    first = false;
    os << "[" << section << "]\n";
    for (const auto& [name, value] : keys)
      os << name << (value.empty() ? " =" : " = ") << value << "\n";  // no trailing blank
  }
  return os.str();
}

std::optional<std::string> identity_difference(const Config& stored, const Config& now) {
  for (const auto& o : option_schema()) {
    if (!o.identity) continue;
    const std::string& a = stored.text(o.key);
    const std::string& b = now.text(o.key);
    if (a != b) return str("key '", o.key, "' differs (file: '", a, "', now: '", b, "')");
  }
  return std::nullopt;
}

}  // namespace traitlab::config
