#pragma once
// Reading a choice out of a generated reply. Labels are the prompt's option
// labels ("A".."D" or "1".."k"), matched case-sensitively so that the word
// "a" is never read as option A; keywords are case-insensitive. Markdown
// emphasis (** and __) is removed first. Evidence is taken in tiers, and the
// first tier with any evidence decides:
//   1. an explicit answer statement: "Answer: B", "answer is (B)",
//      "my answer would be B", or the reply *starting* with the label
//      ("B", "B.", "(B)", "B)", "B:", "[B]");
//   2. a stated choice anywhere: "I choose / pick / select / would go with
//      (option) B", "option B", "choice B", "(B)";
//   3. the full text of exactly one option (case- and space-insensitive, on
//      word boundaries; an option inside a longer matched one is dropped).
// When a tier asserts two different labels the parser refuses to guess
// (reason "ambiguous"). With no choice at all, refusal language (refusal.h)
// gives reason "refusal_language", else "no_valid_choice". A clear choice
// wins over refusal language ("As an AI I have no preferences, but I would
// choose B" is B).
#include <string>
#include <vector>

namespace traitlab {

struct ParsedAnswer {
  int position = -1;   // index into labels; -1 = no valid choice
  std::string reason;  // "" when answered; "ambiguous", "refusal_language", "no_valid_choice"
  std::string phrase;  // the refusal phrase found, if any
  int tier = 0;        // which evidence tier decided (1-3); 0 when refused
};

ParsedAnswer parse_answer(const std::string& text, const std::vector<std::string>& labels,
                          const std::vector<std::string>& option_texts);

}  // namespace traitlab
