#include "elicit/interview/interview_bank.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <set>

#include "core/util/error.h"
#include "elicit/instruments/instrument.h"
#include "elicit/instruments/seeded_hash.h"

namespace traitlab {

std::vector<InterviewQuestion> load_interview_questions(const std::string& path_in) {
  const std::string path = path_in.empty() ? banks_dir() + "/interview_questions.jsonl" : path_in;
  std::ifstream in(path);
  if (!in) throw IoError(str(path, ": cannot open the interview question bank"));
  std::vector<InterviewQuestion> out;
  std::set<std::string> ids;
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    const std::string where = str(path, ":", n);
    nlohmann::json j;
    try {
      j = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      throw InputError(str(where, ": not JSON (", e.what(), ")"));
    }
    check_input(j.is_object() && j.contains("id") && j["id"].is_string() && j.contains("text") &&
                    j["text"].is_string(),
                where, ": needs string fields 'id' and 'text'");
    InterviewQuestion q;
    q.id = j["id"].get<std::string>();
    q.text = j["text"].get<std::string>();
    q.category = j.value("category", "");
    check_input(ids.insert(q.id).second, where, ": duplicate id '", q.id, "'");
    if (j.contains("targets")) {
      check_input(j["targets"].is_array(), where, ": 'targets' must be a list");
      for (const auto& t : j["targets"])
        q.targets.push_back(parse_trait(t.get<std::string>(), where + ": targets"));
    }
    out.push_back(std::move(q));
  }
  check_input(!out.empty(), path, ": no questions");
  return out;
}

std::vector<ActivationCue> load_activation_cues(const std::string& path_in) {
  const std::string path = path_in.empty() ? banks_dir() + "/activation_cues.json" : path_in;
  std::ifstream in(path);
  if (!in) throw IoError(str(path, ": cannot open the activation cue bank"));
  nlohmann::json j;
  try {
    j = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw InputError(str(path, ": not JSON (", e.what(), ")"));
  }
  check_input(j.is_object(), path, ": expected {trait: [{id, text}]}");
  std::vector<ActivationCue> out;
  std::set<std::string> ids;
  for (const auto& [name, list] : j.items()) {
    const Trait t = parse_trait(name, path);
    check_input(list.is_array(), path, ": '", name, "' must be a list");
    for (size_t i = 0; i < list.size(); ++i) {
      const auto& c = list[i];
      const std::string where = str(path, ": ", name, "[", i, "]");
      check_input(c.is_object() && c.contains("id") && c["id"].is_string() && c.contains("text") &&
                      c["text"].is_string(),
                  where, ": needs string fields 'id' and 'text'");
      ActivationCue cue{c["id"].get<std::string>(), c["text"].get<std::string>(), t};
      check_input(ids.insert(cue.id).second, where, ": duplicate id '", cue.id, "'");
      out.push_back(std::move(cue));
    }
  }
  return out;
}

const ActivationCue* cue_for(const InterviewQuestion& q, const std::vector<ActivationCue>& cues,
                             uint64_t seed) {
  std::vector<const ActivationCue*> pool;
  for (Trait t : q.targets)
    for (const auto& c : cues)
      if (c.trait == t) pool.push_back(&c);
  if (pool.empty()) return nullptr;
  return pool[seeded_hash(seed, "cue/" + q.id) % pool.size()];
}

}  // namespace traitlab
