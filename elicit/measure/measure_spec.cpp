#include "elicit/measure/measure_spec.h"

#include <algorithm>

#include "core/util/error.h"
#include "elicit/prompts/prompt.h"

namespace traitlab {

ScoringMode MeasureSpec::mode_for(InstrumentKind kind) const {
  if (!scoring)
    return kind == InstrumentKind::Scenario ? ScoringMode::Letters : ScoringMode::Likert;
  // letters and likert are the same next-token rule; on a Likert instrument
  // "letters" means its digit labels.
  if (kind == InstrumentKind::Likert && *scoring == ScoringMode::Letters)
    return ScoringMode::Likert;
  return *scoring;
}

std::vector<int> MeasureSpec::templates_for(InstrumentKind kind) const {
  const int n = static_cast<int>(kind == InstrumentKind::Scenario ? scenario_templates().size()
                                                                  : likert_templates().size());
  if (!templates.empty()) return templates;
  std::vector<int> all;
  for (int t = 1; t <= n; ++t) all.push_back(t);
  return all;
}

void MeasureSpec::validate() const {
  check_input(!instruments.empty(), "--instrument: give at least one instrument");
  check_input(!personas.empty(), "--persona: no condition to run");
  for (const auto& inst : instruments) {
    check_input(inst.size() > 0, "--instrument ", inst.name, ": no items");
    const int n =
        static_cast<int>(inst.kind == InstrumentKind::Scenario ? scenario_templates().size()
                                                               : likert_templates().size());
    for (int t : templates) {
      check_input(t >= 1 && t <= n, "--templates: template ", t, " does not exist for ",
                  instrument_kind_name(inst.kind), " instrument '", inst.name, "' (valid: 1..", n,
                  ")");
    }
    if (inst.kind == InstrumentKind::Scenario && scoring) {
      check_input(*scoring != ScoringMode::Likert, "--scoring likert: instrument '", inst.name,
                  "' is a scenario instrument (use letters, loglik or generate)");
    }
  }
  check_input(bootstrap_resamples >= 0, "--bootstrap: must be >= 0");
  scorer.validate();
}

std::vector<int> parse_templates(const std::string& text, const std::string& where) {
  if (text == "all") return {};
  std::vector<int> out;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(',', start);
    if (end == std::string::npos) end = text.size();
    const std::string part = text.substr(start, end - start);
    check_input(!part.empty() && part.size() <= 4 &&
                    part.find_first_not_of("0123456789") == std::string::npos,
                where, ": '", text, "' is not 'all' or a list of template numbers (e.g. 1,2,3)");
    const int t = std::stoi(part);
    check_input(std::find(out.begin(), out.end(), t) == out.end(), where, ": template ", t,
                " given twice");
    out.push_back(t);
    start = end + 1;
  }
  return out;
}

}  // namespace traitlab
