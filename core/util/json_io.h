#pragma once
// Reading JSON files with errors that name the file, line and column.
#include <nlohmann/json.hpp>

#include <string>

namespace traitlab {

// Whole file as bytes; IoError if it cannot be read.
std::string read_file(const std::string& path);
// Parses a JSON file; InputError "path: invalid JSON at line L, column C: ..."
nlohmann::json read_json_file(const std::string& path);
// Parses text; `where` names the source in the error.
nlohmann::json parse_json(const std::string& text, const std::string& where);

// Typed field access with errors naming `where` and the key:
//   get_field<int64_t>(j, "hidden_size", "config.json")
template <typename T>
T get_field(const nlohmann::json& j, const std::string& key, const std::string& where);
template <typename T>
T get_field_or(const nlohmann::json& j, const std::string& key, const T& fallback,
               const std::string& where);

}  // namespace traitlab

#include "core/util/json_io_inl.h"
