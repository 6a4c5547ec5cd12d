#include "elicit/parse/answer_parser.h"

#include <cctype>
#include <set>

#include "elicit/parse/refusal.h"

namespace traitlab {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_space(char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; }

std::string lower(const std::string& s) {
  std::string out = s;
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Removes markdown emphasis so "**B**" and "__B__" read as "B".
std::string strip_emphasis(const std::string& s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '*') continue;
    if (s[i] == '_' && i + 1 < s.size() && s[i + 1] == '_') {
      ++i;
      continue;
    }
    out += s[i];
  }
  return out;
}

// The label (longest first, so "10" beats "1") standing alone at pos.
int label_at(const std::string& text, size_t pos, const std::vector<std::string>& labels) {
  if (pos >= text.size() || (pos > 0 && is_alnum(text[pos - 1]))) return -1;
  int best = -1;
  for (size_t k = 0; k < labels.size(); ++k) {
    const auto& l = labels[k];
    if (l.empty() || text.compare(pos, l.size(), l) != 0) continue;
    const size_t end = pos + l.size();
    if (end < text.size() && is_alnum(text[end])) continue;
    if (best < 0 || l.size() > labels[best].size()) best = static_cast<int>(k);
  }
  return best;
}

bool word_at(const std::string& low, size_t pos, const std::string& w) {
  if (low.compare(pos, w.size(), w) != 0) return false;
  if (pos > 0 && is_alnum(low[pos - 1]) && is_alnum(w.front())) return false;
  const size_t end = pos + w.size();
  return !(end < low.size() && is_alnum(low[end]) && is_alnum(w.back()));
}

// Skips spaces and filler between a keyword and the label: "answer is
// option (B)", "choose letter B", "rating: 4".
size_t skip_filler(const std::string& low, size_t pos) {
  static const char* filler[] = {"is",     "would",  "will", "be", "option", "options", "choice",
                                 "number", "letter", "it",   "as", "for",    "with",    "go",
                                 ":",      "-",      "=",    "(",  "[",      "\"",      "'"};
  for (int guard = 0; guard < 12; ++guard) {
    while (pos < low.size() && is_space(low[pos])) ++pos;
    bool moved = false;
    for (const char* f : filler) {
      if (word_at(low, pos, f)) {
        pos += std::string(f).size();
        moved = true;
        break;
      }
    }
    if (!moved) break;
  }
  return pos;
}

void after_keywords(const std::string& text, const std::string& low,
                    const std::vector<std::string>& keywords,
                    const std::vector<std::string>& labels, std::set<int>& found) {
  for (const auto& kw : keywords) {
    for (size_t p = low.find(kw); p != std::string::npos; p = low.find(kw, p + 1)) {
      if (!word_at(low, p, kw)) continue;
      const int k = label_at(text, skip_filler(low, p + kw.size()), labels);
      if (k >= 0) found.insert(k);
    }
  }
}

// Tier 1: "Answer: B" and friends, or a reply that opens with the label.
std::set<int> explicit_answers(const std::string& text, const std::string& low,
                               const std::vector<std::string>& labels) {
  std::set<int> found;
  after_keywords(text, low, {"answer", "final answer", "rating", "my choice"}, labels, found);
  size_t pos = 0;
  while (pos < text.size() && is_space(text[pos])) ++pos;
  char open = 0;
  if (pos < text.size() && (text[pos] == '(' || text[pos] == '[')) open = text[pos++];
  const int k = label_at(text, pos, labels);
  if (k >= 0) {
    const size_t end = pos + labels[k].size();
    const char next = end < text.size() ? text[end] : '\0';
    const bool closes = open ? (next == ')' || next == ']')
                             : (next == '\0' || next == '.' || next == ')' || next == ':' ||
                                next == ',' || next == '\n' || next == '\r' || next == ']');
    if (closes) found.insert(k);
  }
  return found;
}

// Tier 2: a stated choice anywhere, or a bracketed label.
std::set<int> stated_choices(const std::string& text, const std::string& low,
                             const std::vector<std::string>& labels) {
  std::set<int> found;
  after_keywords(text, low,
                 {"choose", "chose", "choosing", "pick", "picked", "select", "selected", "go with",
                  "going with", "prefer", "option", "choice", "rate", "rated"},
                 labels, found);
  for (size_t p = 0; p < text.size(); ++p) {
    if (text[p] != '(' && text[p] != '[') continue;
    const int k = label_at(text, p + 1, labels);
    if (k < 0) continue;
    const size_t end = p + 1 + labels[k].size();
    if (end < text.size() && (text[end] == ')' || text[end] == ']')) found.insert(k);
  }
  return found;
}

std::string squash(const std::string& s) {
  std::string out;
  for (char c : lower(s)) {
    if (is_space(c)) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += c;
    }
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '.')) out.pop_back();
  while (!out.empty() && out.front() == ' ') out.erase(out.begin());
  return out;
}

bool contains_words(const std::string& hay, const std::string& needle) {
  for (size_t p = hay.find(needle); p != std::string::npos; p = hay.find(needle, p + 1)) {
    const size_t end = p + needle.size();
    const bool left = p == 0 || !is_alnum(hay[p - 1]) || !is_alnum(needle.front());
    const bool right = end >= hay.size() || !is_alnum(hay[end]) || !is_alnum(needle.back());
    if (left && right) return true;
  }
  return false;
}

// Tier 3: the full text of an option, on word boundaries. An option whose
// text lies inside another matched option ("agree" in "strongly agree") is
// dropped in favour of the longer one.
std::set<int> option_text_matches(const std::string& text,
                                  const std::vector<std::string>& option_texts) {
  const std::string hay = squash(text);
  std::vector<std::string> needles;
  std::set<int> found;
  for (size_t k = 0; k < option_texts.size(); ++k) {
    needles.push_back(squash(option_texts[k]));
    if (!needles.back().empty() && contains_words(hay, needles.back()))
      found.insert(static_cast<int>(k));
  }
  std::set<int> out;
  for (int k : found) {
    bool inside = false;
    for (int j : found) {
      inside = inside || (j != k && needles[j].size() > needles[k].size() &&
                          contains_words(needles[j], needles[k]));
    }
    if (!inside) out.insert(k);
  }
  return out;
}

}  // namespace

ParsedAnswer parse_answer(const std::string& raw, const std::vector<std::string>& labels,
                          const std::vector<std::string>& option_texts) {
  ParsedAnswer out;
  const std::string text = strip_emphasis(raw);
  const std::string low = lower(text);
  const std::set<int> tiers[3] = {explicit_answers(text, low, labels),
                                  stated_choices(text, low, labels),
                                  option_text_matches(text, option_texts)};
  for (int t = 0; t < 3; ++t) {
    if (tiers[t].empty()) continue;
    if (tiers[t].size() > 1) {
      out.reason = "ambiguous";
      return out;
    }
    out.position = *tiers[t].begin();
    out.tier = t + 1;
    return out;
  }
  out.phrase = find_refusal_phrase(raw);
  out.reason = out.phrase.empty() ? "no_valid_choice" : "refusal_language";
  return out;
}

}  // namespace traitlab
