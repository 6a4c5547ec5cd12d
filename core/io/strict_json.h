#pragma once
// JSON parsing for untrusted file headers: like parse_json, but a duplicate
// key in any object is an error (nlohmann would keep the last one silently,
// so two tensors could claim one name) and nesting is capped, so a hostile
// header cannot exhaust the stack.
#include <nlohmann/json.hpp>
#include <string>

namespace traitlab {

// InputError "where: <what> is not valid JSON: ..." / "where: duplicate key 'k'".
nlohmann::json parse_json_strict(const std::string& text, const std::string& where,
                                 const std::string& what, int max_depth = 32);

// A name made safe for a one-line message: control bytes become \xNN and
// long names are cut with "...".
std::string printable(const std::string& s, size_t max_len = 200);

}  // namespace traitlab
