#include "elicit/traits.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "core/util/error.h"

namespace traitlab {
namespace {

struct TraitInfo {
  Trait trait;
  std::string name;
  std::string code;
};

const std::array<TraitInfo, kTraitCount>& infos() {
  static const std::array<TraitInfo, kTraitCount> table = {{
      {Trait::Openness, "Openness", "O"},
      {Trait::Conscientiousness, "Conscientiousness", "C"},
      {Trait::Extraversion, "Extraversion", "E"},
      {Trait::Agreeableness, "Agreeableness", "A"},
      {Trait::Neuroticism, "Neuroticism", "N"},
      {Trait::Machiavellianism, "Machiavellianism", "M"},
      {Trait::Narcissism, "Narcissism", "Nar"},
      {Trait::Psychopathy, "Psychopathy", "P"},
  }};
  return table;
}

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  size_t e = s.find_last_not_of(" \t\r\n");
  return s.substr(b, e - b + 1);
}

}  // namespace

const std::vector<Trait>& all_traits() {
  static const std::vector<Trait> traits = [] {
    std::vector<Trait> v;
    for (const auto& info : infos()) v.push_back(info.trait);
    return v;
  }();
  return traits;
}

bool is_big_five(Trait t) { return static_cast<int>(t) < 5; }
bool is_dark_triad(Trait t) { return !is_big_five(t); }

const std::string& trait_name(Trait t) { return infos()[static_cast<int>(t)].name; }
const std::string& trait_code(Trait t) { return infos()[static_cast<int>(t)].code; }
std::string trait_slug(Trait t) { return lower(trait_name(t)); }

std::string valid_trait_names() {
  std::string out;
  for (const auto& info : infos()) {
    if (!out.empty()) out += ", ";
    out += info.name + " (" + info.code + ")";
  }
  return out;
}

Trait parse_trait(const std::string& text, const std::string& where) {
  const std::string key = lower(trim(text));
  for (const auto& info : infos()) {
    if (key == lower(info.name) || key == lower(info.code)) return info.trait;
  }
  throw InputError(str(where, ": unknown trait '", text, "' (valid: ", valid_trait_names(), ")"));
}

std::vector<Trait> parse_traits(const std::string& text, const std::string& where) {
  if (lower(trim(text)) == "all") return all_traits();
  std::vector<Trait> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t comma = text.find(',', start);
    if (comma == std::string::npos) comma = text.size();
    std::string part = trim(text.substr(start, comma - start));
    check_input(!part.empty(), where, ": empty trait name in '", text, "'");
    Trait t = parse_trait(part, where);
    check_input(std::find(out.begin(), out.end(), t) == out.end(), where, ": trait '",
                trait_name(t), "' listed twice in '", text, "'");
    out.push_back(t);
    start = comma + 1;
  }
  return out;
}

}  // namespace traitlab
