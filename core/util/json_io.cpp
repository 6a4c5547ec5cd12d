#include "core/util/json_io.h"

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace traitlab {

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(str(path, ": cannot open: ", std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad()) throw IoError(str(path, ": read failed"));
  return ss.str();
}

nlohmann::json parse_json(const std::string& text, const std::string& where) {
  // Nesting is capped: printing a value for an error message recurses once
  // per level, so a hostile file of '[' could otherwise exhaust the stack.
  constexpr int kMaxDepth = 512;
  int depth = 0;
  auto callback = [&](int, nlohmann::json::parse_event_t event, nlohmann::json&) -> bool {
    using E = nlohmann::json::parse_event_t;
    if (event == E::object_start || event == E::array_start) {
      if (++depth > kMaxDepth) {
        throw InputError(str(where, ": invalid JSON: nests deeper than ", kMaxDepth, " levels"));
      }
    } else if (event == E::object_end || event == E::array_end) {
      --depth;
    }
    return true;
  };
  try {
    return nlohmann::json::parse(text, callback);
  } catch (const nlohmann::json::parse_error& e) {
    // Translate the byte offset into line and column.
    size_t line = 1, col = 1;
    for (size_t i = 0; i < text.size() && i + 1 < e.byte; ++i) {
      if (text[i] == '\n') {
        ++line;
        col = 1;
      } else {
        ++col;
      }
    }
    std::string what = e.what();
    auto pos = what.find("parse error");
    throw InputError(str(where, ": invalid JSON at line ", line, ", column ", col, ": ",
                         pos == std::string::npos ? what : what.substr(pos)));
  } catch (const nlohmann::json::exception& e) {
    // out_of_range: a number too large for a double ("1e999"). Found by
    // fuzz_train_data: it escaped as an internal error instead of exit 2.
    std::string what = e.what();
    auto pos = what.find("] ");
    throw InputError(
        str(where, ": invalid JSON: ", pos == std::string::npos ? what : what.substr(pos + 2)));
  }
}

nlohmann::json read_json_file(const std::string& path) { return parse_json(read_file(path), path); }

}  // namespace traitlab
