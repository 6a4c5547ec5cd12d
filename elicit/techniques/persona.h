#pragma once
// Graded persona prompts (Serapio-Garcia et al. 2023): a trait at one of 9
// intensity levels, written as its marker adjectives with an intensity word.
//
//   level 1 extremely <low>   2 very <low>   3 <low>   4 a bit <low>
//   level 5 neither <low_i> nor <high_i>  (low and high markers paired by index)
//   level 6 a bit <high>      7 <high>       8 very <high>   9 extremely <high>
//
// A profile {trait: level} covers one or more traits; its description lists
// every trait's phrases in bank order. The result is plain text: callers put
// it in the system turn for chat models or before the prompt for base models.
// Markers come from elicit/banks/markers_big5.json and markers_dark.json
// ({trait: {high: [...], low: [...], label_high, label_low}}).
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab {

constexpr int kPersonaMinLevel = 1;
constexpr int kPersonaMaxLevel = 9;
constexpr int kPersonaNeutralLevel = 5;

struct TraitMarkers {
  std::string trait;
  std::string label_high, label_low;
  std::vector<std::string> high, low;
};

class PersonaBank {
 public:
  // Every *.json marker file named in `files` inside `dir` (default: the two
  // shipped banks). Duplicate trait names are an InputError.
  static PersonaBank load(const std::string& dir, const std::vector<std::string>& files = {
                                                      "markers_big5.json", "markers_dark.json"});
  // The shipped banks when `markers_file` is empty, else that one file
  // (e.g. the persona world's persona_markers.json).
  static PersonaBank load_markers(const std::string& markers_file);
  // Adds the traits of one parsed marker file; `where` names it in errors.
  void add(const nlohmann::json& j, const std::string& where);

  // InputError "persona: unknown trait 'X'; valid: A, B, ..." if absent.
  const TraitMarkers& trait(const std::string& name) const;
  bool has(const std::string& name) const;
  std::vector<std::string> trait_names() const;  // in file order

 private:
  std::vector<TraitMarkers> traits_;
};

// Intensity word for a level ("extremely", "very", "", "a bit"; "neither" at
// 5); InputError outside 1..9.
std::string intensity_word(int level);

// The trait's phrases at a level: "very curious", ..., or "neither practical
// nor curious" at level 5.
std::vector<std::string> level_phrases(const TraitMarkers& m, int level);

// Phrasings. Each has one "{description}" slot.
enum class PersonaTemplate { YouAre, RespondAs, Imagine };
std::vector<PersonaTemplate> all_persona_templates();
std::string template_name(PersonaTemplate t);  // "you_are", "respond_as", "imagine"
PersonaTemplate parse_persona_template(const std::string& name);  // InputError listing valid
std::string template_text(PersonaTemplate t);

using PersonaProfile = std::map<std::string, int>;  // trait -> level 1..9

// "a, b, c and d" from the profile's phrases (traits in bank order).
std::string persona_description(const PersonaBank& bank, const PersonaProfile& profile);
std::string persona_text(const PersonaBank& bank, const PersonaProfile& profile,
                         PersonaTemplate t = PersonaTemplate::YouAre);
// A user template: must contain "{description}" (InputError otherwise).
std::string persona_text(const PersonaBank& bank, const PersonaProfile& profile,
                         const std::string& custom_template);

}  // namespace traitlab
