#include "core/tokenizer/pre_tokenizers.h"

#include <algorithm>

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/component_json.h"
#include "core/tokenizer/pattern.h"

namespace traitlab::tok {

void split_piece(const Piece& piece, const std::vector<Span>& matches, SplitBehavior behavior,
                 bool invert, std::vector<Piece>& out) {
  const std::string& text = piece.text;
  // Spans covering the whole text, each flagged as a match or not.
  std::vector<std::pair<Span, bool>> spans;
  if (text.empty()) {
    spans.push_back({{0, 0}, false});
  } else {
    size_t prev = 0;
    for (const Span& m : matches) {
      if (prev != m.first) spans.push_back({{prev, m.first}, false});
      spans.push_back({m, true});
      prev = m.second;
    }
    if (prev != text.size()) spans.push_back({{prev, text.size()}, false});
  }
  if (invert) {
    for (auto& s : spans) s.second = !s.second;
  }
  // (span, removed)
  std::vector<std::pair<Span, bool>> parts;
  bool previous_match = false;
  switch (behavior) {
    case SplitBehavior::Isolated:
      for (const auto& s : spans) parts.push_back({s.first, false});
      break;
    case SplitBehavior::Removed:
      parts = spans;
      break;
    case SplitBehavior::Contiguous:
      for (const auto& [span, is_match] : spans) {
        if (is_match == previous_match && !parts.empty()) {
          parts.back().first.second = span.second;
        } else {
          parts.push_back({span, false});
        }
        previous_match = is_match;
      }
      break;
    case SplitBehavior::MergedWithPrevious:
      for (const auto& [span, is_match] : spans) {
        if (is_match && !previous_match && !parts.empty()) {
          parts.back().first.second = span.second;
        } else {
          parts.push_back({span, false});
        }
        previous_match = is_match;
      }
      break;
    case SplitBehavior::MergedWithNext:
      for (auto it = spans.rbegin(); it != spans.rend(); ++it) {
        const auto& [span, is_match] = *it;
        if (is_match && !previous_match && !parts.empty()) {
          parts.back().first.first = span.first;
        } else {
          parts.push_back({span, false});
        }
        previous_match = is_match;
      }
      std::reverse(parts.begin(), parts.end());
      break;
  }
  for (const auto& [span, removed] : parts) {
    if (removed || span.first == span.second) continue;
    out.push_back(
        {text.substr(span.first, span.second - span.first), piece.first && span.first == 0});
  }
}

PrependScheme parse_prepend_scheme(const nlohmann::json& j, const std::string& ctx) {
  if (j.contains("prepend_scheme")) {
    const std::string s = get_field<std::string>(j, "prepend_scheme", ctx);
    if (s == "always") return PrependScheme::Always;
    if (s == "first") return PrependScheme::First;
    if (s == "never") return PrependScheme::Never;
    throw InputError(str(ctx, ": prepend_scheme '", s, "' is not one of always, first, never"));
  }
  // Files written before prepend_scheme existed carry add_prefix_space.
  return get_field_or<bool>(j, "add_prefix_space", true, ctx) ? PrependScheme::Always
                                                              : PrependScheme::Never;
}

namespace {

class SequencePreTokenizer : public PreTokenizer {
 public:
  explicit SequencePreTokenizer(std::vector<std::unique_ptr<PreTokenizer>> parts)
      : parts_(std::move(parts)) {}
  void pre_tokenize(std::vector<Piece>& pieces) const override {
    for (const auto& p : parts_) p->pre_tokenize(pieces);
  }

 private:
  std::vector<std::unique_ptr<PreTokenizer>> parts_;
};

class SplitPreTokenizer : public PreTokenizer {
 public:
  SplitPreTokenizer(Pattern pattern, SplitBehavior behavior, bool invert)
      : pattern_(std::move(pattern)), behavior_(behavior), invert_(invert) {}
  void pre_tokenize(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size() * 4);
    for (const Piece& p : pieces)
      split_piece(p, pattern_.find_all(p.text), behavior_, invert_, out);
    pieces = std::move(out);
  }

 private:
  Pattern pattern_;
  SplitBehavior behavior_;
  bool invert_;
};

class MetaspacePreTokenizer : public PreTokenizer {
 public:
  MetaspacePreTokenizer(std::string replacement, PrependScheme scheme, bool split)
      : replacement_(std::move(replacement)),
        space_(Pattern::from_json({{"String", " "}}, "Metaspace")),
        marker_(Pattern::from_json({{"String", replacement_}}, "Metaspace")),
        scheme_(scheme),
        split_(split) {}
  void pre_tokenize(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size() * 4);
    for (Piece& p : pieces) {
      p.text = replace_all(space_, p.text, replacement_);
      const bool starts = p.text.compare(0, replacement_.size(), replacement_) == 0;
      if (!starts && !p.text.empty() &&
          (scheme_ == PrependScheme::Always || (scheme_ == PrependScheme::First && p.first))) {
        p.text.insert(0, replacement_);
      }
      if (split_) {
        split_piece(p, marker_.find_all(p.text), SplitBehavior::MergedWithNext, false, out);
      } else {
        out.push_back(std::move(p));
      }
    }
    pieces = std::move(out);
  }

 private:
  std::string replacement_;
  Pattern space_, marker_;
  PrependScheme scheme_;
  bool split_;
};

class DigitsPreTokenizer : public PreTokenizer {
 public:
  explicit DigitsPreTokenizer(bool individual)
      : digit_(R"(\p{N})", "Digits"),
        behavior_(individual ? SplitBehavior::Isolated : SplitBehavior::Contiguous) {}
  void pre_tokenize(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size() * 2);
    for (const Piece& p : pieces) split_piece(p, digit_.find_all(p.text), behavior_, false, out);
    pieces = std::move(out);
  }

 private:
  Regex digit_;
  SplitBehavior behavior_;
};

SplitBehavior parse_behavior(const std::string& s, const std::string& ctx) {
  if (s == "Removed") return SplitBehavior::Removed;
  if (s == "Isolated") return SplitBehavior::Isolated;
  if (s == "MergedWithPrevious") return SplitBehavior::MergedWithPrevious;
  if (s == "MergedWithNext") return SplitBehavior::MergedWithNext;
  if (s == "Contiguous") return SplitBehavior::Contiguous;
  throw InputError(
      str(ctx, ": behavior '", s,
          "' is not one of Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous"));
}

}  // namespace

std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& j, const std::string& where,
                                                 const std::string& key) {
  if (j.is_null()) return nullptr;
  const std::string type = component_type(j, where, key);
  const std::string ctx = str(where, ": ", key);
  if (type == "Sequence") {
    std::vector<std::unique_ptr<PreTokenizer>> parts;
    const auto& arr = array_field(j, "pretokenizers", where, key);
    for (size_t i = 0; i < arr.size(); ++i) {
      auto p = make_pre_tokenizer(arr[i], where, str(key, ".pretokenizers[", i, "]"));
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<SequencePreTokenizer>(std::move(parts));
  }
  if (type == "ByteLevel") return make_byte_level_pre_tokenizer(j, ctx);
  if (type == "Split") {
    check_input(j.contains("pattern"), ctx, ": missing key 'pattern'");
    return std::make_unique<SplitPreTokenizer>(
        Pattern::from_json(j["pattern"], ctx + ".pattern"),
        parse_behavior(get_field<std::string>(j, "behavior", ctx), ctx),
        get_field_or<bool>(j, "invert", false, ctx));
  }
  if (type == "Metaspace") {
    return std::make_unique<MetaspacePreTokenizer>(
        single_char_field(j, "replacement", "\xE2\x96\x81", where, key),
        parse_prepend_scheme(j, ctx), get_field_or<bool>(j, "split", true, ctx));
  }
  if (type == "Digits") {
    return std::make_unique<DigitsPreTokenizer>(
        get_field_or<bool>(j, "individual_digits", false, ctx));
  }
  unsupported(where, key, type, "ByteLevel, Split, Sequence, Metaspace, Digits");
}

}  // namespace traitlab::tok
