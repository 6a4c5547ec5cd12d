#pragma once
// Shared checks for reading tokenizer.json components ("type" dispatch and
// the UnsupportedError every unknown component type gets).
#include <nlohmann/json.hpp>
#include <string>

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab::tok {

// The "type" field of a component object. `key` names it in errors
// ("tok.json: pre_tokenizer: ...").
inline std::string component_type(const nlohmann::json& j, const std::string& where,
                                  const std::string& key) {
  check_input(j.is_object(), where, ": ", key, ": expected an object, got ",
              j.dump().substr(0, 80));
  return get_field<std::string>(j, "type", str(where, ": ", key));
}

[[noreturn]] inline void unsupported(const std::string& where, const std::string& key,
                                     const std::string& type, const std::string& supported) {
  throw UnsupportedError(
      str(where, ": ", key, " type '", type, "' is not supported (supported: ", supported, ")"));
}

// Array field `name` of a Sequence-like component.
inline const nlohmann::json& array_field(const nlohmann::json& j, const std::string& name,
                                         const std::string& where, const std::string& key) {
  auto it = j.find(name);
  check_input(it != j.end() && it->is_array(), where, ": ", key, ": missing array '", name, "'");
  return *it;
}

// A single character given as a string (Metaspace replacement, Strip content).
inline std::string single_char_field(const nlohmann::json& j, const std::string& name,
                                     const std::string& fallback, const std::string& where,
                                     const std::string& key) {
  std::string s = get_field_or<std::string>(j, name, fallback, str(where, ": ", key));
  check_input(!s.empty(), where, ": ", key, ".", name, ": expected one character, got \"\"");
  return s;
}

}  // namespace traitlab::tok
