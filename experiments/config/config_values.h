#pragma once
// Text <-> value conversions for config values, strict (no trailing junk,
// no silent truncation) and canonical (one spelling per value, so the
// dumped config of equal settings is equal text).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace traitlab::config {

std::optional<int64_t> parse_int(const std::string& s);
// Finite doubles only.
std::optional<double> parse_double(const std::string& s);
std::optional<bool> parse_bool(const std::string& s);
// Shortest text that reads back to the same double ("0.0001", "4", "1e-08").
std::string format_double(double v);
// "a, b,c" -> {"a","b","c"}; "" -> {}; elements are trimmed. An empty
// element ("a,,b") is returned as "" so validation can name it.
std::vector<std::string> split_list(const std::string& s);
std::string join_list(const std::vector<std::string>& items);  // "a, b, c"

}  // namespace traitlab::config
