#include "core/tokenizer/pattern.h"

#include "core/util/error.h"

namespace traitlab::tok {

Pattern Pattern::from_json(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object() && j.size() == 1, where,
              ": expected {\"String\": ...} or {\"Regex\": ...}, got ", j.dump().substr(0, 80));
  Pattern p;
  if (j.contains("String")) {
    check_input(j["String"].is_string(), where, ".String: expected a string");
    p.literal_ = j["String"].get<std::string>();
  } else if (j.contains("Regex")) {
    check_input(j["Regex"].is_string(), where, ".Regex: expected a string");
    p.regex_.emplace(j["Regex"].get<std::string>(), where);
  } else {
    throw InputError(str(where, ": expected {\"String\": ...} or {\"Regex\": ...}, got ",
                         j.dump().substr(0, 80)));
  }
  return p;
}

std::vector<Span> Pattern::find_all(std::string_view text) const {
  if (regex_) return regex_->find_all(text);
  std::vector<Span> out;
  if (literal_.empty()) return out;
  for (size_t pos = text.find(literal_); pos != std::string_view::npos;
       pos = text.find(literal_, pos + literal_.size())) {
    out.emplace_back(pos, pos + literal_.size());
  }
  return out;
}

std::string replace_all(const Pattern& pattern, std::string_view text, std::string_view content) {
  const std::vector<Span> matches = pattern.find_all(text);
  if (matches.empty()) return std::string(text);
  std::string out;
  out.reserve(text.size() + matches.size() * content.size());
  size_t prev = 0;
  for (const Span& m : matches) {
    out.append(text.substr(prev, m.first - prev));
    out.append(content);
    prev = m.second;
  }
  out.append(text.substr(prev));
  return out;
}

}  // namespace traitlab::tok
