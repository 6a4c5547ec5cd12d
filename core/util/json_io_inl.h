#pragma once
// Template definitions for json_io.h.
#include "core/util/error.h"

namespace traitlab {

namespace detail {
template <typename T>
const char* json_type_name() {
  if constexpr (std::is_same_v<T, bool>) return "a boolean";
  else if constexpr (std::is_integral_v<T>) return "an integer";
  else if constexpr (std::is_floating_point_v<T>) return "a number";
  else if constexpr (std::is_same_v<T, std::string>) return "a string";
  else return "a value of the expected type";
}

template <typename T>
T convert_field(const nlohmann::json& v, const std::string& key, const std::string& where) {
  bool ok;
  if constexpr (std::is_same_v<T, bool>) ok = v.is_boolean();
  else if constexpr (std::is_integral_v<T>) ok = v.is_number_integer();
  else if constexpr (std::is_floating_point_v<T>) ok = v.is_number();
  else if constexpr (std::is_same_v<T, std::string>) ok = v.is_string();
  else ok = true;
  if (!ok) {
    throw InputError(str(where, ": key '", key, "': expected ", json_type_name<T>(), ", got ",
                         v.dump().substr(0, 80)));
  }
  try {
    return v.get<T>();
  } catch (const std::exception& e) {
    throw InputError(str(where, ": key '", key, "': ", e.what()));
  }
}
}  // namespace detail

template <typename T>
T get_field(const nlohmann::json& j, const std::string& key, const std::string& where) {
  check_input(j.is_object(), where, ": expected a JSON object");
  auto it = j.find(key);
  check_input(it != j.end(), where, ": missing key '", key, "'");
  return detail::convert_field<T>(*it, key, where);
}

template <typename T>
T get_field_or(const nlohmann::json& j, const std::string& key, const T& fallback,
               const std::string& where) {
  check_input(j.is_object(), where, ": expected a JSON object");
  auto it = j.find(key);
  if (it == j.end() || it->is_null()) return fallback;
  return detail::convert_field<T>(*it, key, where);
}

}  // namespace traitlab
