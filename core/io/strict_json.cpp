#include "core/io/strict_json.h"

#include <cstdio>
#include <set>
#include <vector>

#include "core/util/error.h"

namespace traitlab {

std::string printable(const std::string& s, size_t max_len) {
  std::string out;
  for (size_t i = 0; i < s.size() && i < max_len; ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02x", c);
      out += buf;
    } else {
      out += static_cast<char>(c);
    }
  }
  if (s.size() > max_len) out += "...";
  return out;
}

nlohmann::json parse_json_strict(const std::string& text, const std::string& where,
                                 const std::string& what, int max_depth) {
  using json = nlohmann::json;
  std::vector<std::set<std::string>> keys;  // one set per open object
  int depth = 0;
  auto callback = [&](int, json::parse_event_t event, json& parsed) -> bool {
    switch (event) {
      case json::parse_event_t::object_start:
      case json::parse_event_t::array_start:
        if (++depth > max_depth) {
          throw InputError(str(where, ": ", what, " nests deeper than ", max_depth, " levels"));
        }
        if (event == json::parse_event_t::object_start) keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        --depth;
        keys.pop_back();
        break;
      case json::parse_event_t::array_end:
        --depth;
        break;
      case json::parse_event_t::key: {
        const auto& k = parsed.get_ref<const std::string&>();
        if (!keys.back().insert(k).second) {
          throw InputError(str(where, ": ", what, " has duplicate key '", printable(k), "'"));
        }
        break;
      }
      default:
        break;
    }
    return true;
  };
  // nlohmann stops at a NUL as if the text ended there; JSON never contains
  // a raw NUL, so it marks trailing garbage that must not be ignored.
  const size_t nul = text.find('\0');
  if (nul != std::string::npos) {
    throw InputError(str(where, ": ", what, " is not valid JSON: NUL byte at offset ", nul));
  }
  try {
    return json::parse(text, callback);
  } catch (const json::exception& e) {
    throw InputError(str(where, ": ", what, " is not valid JSON: ", printable(e.what())));
  }
}

}  // namespace traitlab
