#include "elicit/techniques/persona.h"

#include <algorithm>

#include "core/util/error.h"
#include "core/util/json_io.h"
#include "elicit/instruments/instrument.h"

namespace traitlab {
namespace {

constexpr const char* kSlot = "{description}";

std::string join(const std::vector<std::string>& items, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < items.size(); ++i) out += (i ? sep : "") + items[i];
  return out;
}

// "a", "a and b", "a, b and c".
std::string english_list(const std::vector<std::string>& items) {
  if (items.size() <= 1) return items.empty() ? "" : items[0];
  std::vector<std::string> head(items.begin(), items.end() - 1);
  return join(head, ", ") + " and " + items.back();
}

std::vector<std::string> string_list(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_array() && !j.empty(), where, ": expected a non-empty list of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < j.size(); ++i) {
    check_input(j[i].is_string() && !j[i].get<std::string>().empty(), where, "[", i,
                "]: expected a non-empty string");
    out.push_back(j[i].get<std::string>());
  }
  return out;
}

void check_level(int level, const std::string& trait) {
  check_input(level >= kPersonaMinLevel && level <= kPersonaMaxLevel, "persona: trait '", trait,
              "': level ", level, " outside ", kPersonaMinLevel, "..", kPersonaMaxLevel);
}

std::string fill(const std::string& tmpl, const std::string& description) {
  size_t at = tmpl.find(kSlot);
  check_input(at != std::string::npos, "persona: template '", tmpl, "' has no ", kSlot, " slot");
  std::string out = tmpl;
  out.replace(at, std::string(kSlot).size(), description);
  return out;
}

}  // namespace

PersonaBank PersonaBank::load(const std::string& dir, const std::vector<std::string>& files) {
  PersonaBank bank;
  for (const auto& f : files) {
    std::string path = dir + "/" + f;
    bank.add(read_json_file(path), path);
  }
  return bank;
}

PersonaBank PersonaBank::load_markers(const std::string& markers_file) {
  if (markers_file.empty()) return load(banks_dir());
  PersonaBank bank;
  bank.add(read_json_file(markers_file), markers_file);
  return bank;
}

void PersonaBank::add(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object(), where, ": expected an object {trait: {high, low, ...}}");
  for (const auto& [name, entry] : j.items()) {
    std::string w = where + ": trait '" + name + "'";
    check_input(!has(name), w, ": defined twice");
    check_input(entry.is_object(), w, ": expected an object");
    check_input(entry.contains("high") && entry.contains("low"), w, ": needs 'high' and 'low'");
    TraitMarkers m;
    m.trait = name;
    m.high = string_list(entry["high"], w + ": key 'high'");
    m.low = string_list(entry["low"], w + ": key 'low'");
    m.label_high = entry.value("label_high", m.high.front());
    m.label_low = entry.value("label_low", m.low.front());
    traits_.push_back(std::move(m));
  }
}

bool PersonaBank::has(const std::string& name) const {
  return std::any_of(traits_.begin(), traits_.end(),
                     [&](const TraitMarkers& m) { return m.trait == name; });
}

const TraitMarkers& PersonaBank::trait(const std::string& name) const {
  for (const auto& m : traits_) {
    if (m.trait == name) return m;
  }
  throw InputError(str("persona: unknown trait '", name, "'; valid: ", join(trait_names(), ", ")));
}

std::vector<std::string> PersonaBank::trait_names() const {
  std::vector<std::string> out;
  for (const auto& m : traits_) out.push_back(m.trait);
  return out;
}

std::string intensity_word(int level) {
  check_input(level >= kPersonaMinLevel && level <= kPersonaMaxLevel, "persona: level ", level,
              " outside ", kPersonaMinLevel, "..", kPersonaMaxLevel);
  static const char* kWords[] = {"extremely", "very", "",     "a bit",    "neither",
                                 "a bit",     "",     "very", "extremely"};
  return kWords[level - 1];
}

std::vector<std::string> level_phrases(const TraitMarkers& m, int level) {
  check_level(level, m.trait);
  std::vector<std::string> out;
  if (level == kPersonaNeutralLevel) {
    // Pairs by index; a longer list's extra markers have no partner and are
    // left out so every phrase stays symmetric.
    size_t n = std::min(m.low.size(), m.high.size());
    for (size_t i = 0; i < n; ++i) out.push_back("neither " + m.low[i] + " nor " + m.high[i]);
    return out;
  }
  const auto& markers = level < kPersonaNeutralLevel ? m.low : m.high;
  std::string word = intensity_word(level);
  for (const auto& adj : markers) out.push_back(word.empty() ? adj : word + " " + adj);
  return out;
}

std::vector<PersonaTemplate> all_persona_templates() {
  return {PersonaTemplate::YouAre, PersonaTemplate::RespondAs, PersonaTemplate::Imagine};
}

std::string template_name(PersonaTemplate t) {
  switch (t) {
    case PersonaTemplate::YouAre:
      return "you_are";
    case PersonaTemplate::RespondAs:
      return "respond_as";
    case PersonaTemplate::Imagine:
      return "imagine";
  }
  throw InputError("persona: bad template enum");
}

PersonaTemplate parse_persona_template(const std::string& name) {
  std::vector<std::string> names;
  for (auto t : all_persona_templates()) {
    if (template_name(t) == name) return t;
    names.push_back(template_name(t));
  }
  throw InputError(str("persona: unknown template '", name, "'; valid: ", join(names, ", ")));
}

std::string template_text(PersonaTemplate t) {
  switch (t) {
    case PersonaTemplate::YouAre:
      return "You are a person who is {description}.";
    // Serapio-Garcia et al.'s persona instruction, first-person description.
    case PersonaTemplate::RespondAs:
      return "For the following task, respond in a way that matches this description: \"I'm "
             "{description}.\"";
    case PersonaTemplate::Imagine:
      return "Imagine you are someone who is {description}.";
  }
  throw InputError("persona: bad template enum");
}

std::string persona_description(const PersonaBank& bank, const PersonaProfile& profile) {
  check_input(!profile.empty(), "persona: empty profile (give at least one trait: level)");
  for (const auto& [name, level] : profile) {
    bank.trait(name);  // unknown names fail here, listing the valid ones
    check_level(level, name);
  }
  std::vector<std::string> phrases;
  for (const auto& name : bank.trait_names()) {
    auto it = profile.find(name);
    if (it == profile.end()) continue;
    auto p = level_phrases(bank.trait(name), it->second);
    phrases.insert(phrases.end(), p.begin(), p.end());
  }
  return english_list(phrases);
}

std::string persona_text(const PersonaBank& bank, const PersonaProfile& profile,
                         PersonaTemplate t) {
  return fill(template_text(t), persona_description(bank, profile));
}

std::string persona_text(const PersonaBank& bank, const PersonaProfile& profile,
                         const std::string& custom_template) {
  check_input(custom_template.find(kSlot) != std::string::npos, "persona: template '",
              custom_template, "' has no ", kSlot, " slot");
  return fill(custom_template, persona_description(bank, profile));
}

}  // namespace traitlab
