#include "core/tokenizer/normalizers.h"

#include <vector>

#include "core/tokenizer/component_json.h"
#include "core/tokenizer/pattern.h"
#include "core/tokenizer/unicode.h"
#include "core/tokenizer/unicode_nfc.h"

namespace traitlab::tok {

namespace {

class SequenceNormalizer : public Normalizer {
 public:
  explicit SequenceNormalizer(std::vector<std::unique_ptr<Normalizer>> parts)
      : parts_(std::move(parts)) {}
  void normalize(std::string& text) const override {
    for (const auto& p : parts_) p->normalize(text);
  }

 private:
  std::vector<std::unique_ptr<Normalizer>> parts_;
};

class PrependNormalizer : public Normalizer {
 public:
  explicit PrependNormalizer(std::string prefix) : prefix_(std::move(prefix)) {}
  void normalize(std::string& text) const override {
    if (!text.empty()) text.insert(0, prefix_);  // `tokenizers` leaves "" alone
  }

 private:
  std::string prefix_;
};

class ReplaceNormalizer : public Normalizer {
 public:
  ReplaceNormalizer(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void normalize(std::string& text) const override { text = replace_all(pattern_, text, content_); }

 private:
  Pattern pattern_;
  std::string content_;
};

class NfcNormalizer : public Normalizer {
 public:
  void normalize(std::string& text) const override { text = nfc(text); }
};

class StripNormalizer : public Normalizer {
 public:
  StripNormalizer(bool left, bool right) : left_(left), right_(right) {}
  void normalize(std::string& text) const override {
    size_t begin = 0, end = text.size();
    while (left_ && begin < end) {
      size_t len;
      if (!is_whitespace(decode_utf8(text, begin, &len))) break;
      begin += len;
    }
    while (right_ && end > begin) {
      size_t start = end - 1;
      while (start > begin && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) --start;
      size_t len;
      if (!is_whitespace(decode_utf8(text, start, &len))) break;
      end = start;
    }
    text = text.substr(begin, end - begin);
  }

 private:
  bool left_, right_;
};

}  // namespace

std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& j, const std::string& where,
                                            const std::string& key) {
  if (j.is_null()) return nullptr;
  const std::string type = component_type(j, where, key);
  const std::string ctx = str(where, ": ", key);
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Normalizer>> parts;
    const auto& arr = array_field(j, "normalizers", where, key);
    for (size_t i = 0; i < arr.size(); ++i) {
      auto p = make_normalizer(arr[i], where, str(key, ".normalizers[", i, "]"));
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<SequenceNormalizer>(std::move(parts));
  }
  if (type == "Prepend") {
    return std::make_unique<PrependNormalizer>(get_field<std::string>(j, "prepend", ctx));
  }
  if (type == "Replace") {
    check_input(j.contains("pattern"), ctx, ": missing key 'pattern'");
    return std::make_unique<ReplaceNormalizer>(Pattern::from_json(j["pattern"], ctx + ".pattern"),
                                               get_field<std::string>(j, "content", ctx));
  }
  if (type == "NFC") return std::make_unique<NfcNormalizer>();
  if (type == "Strip") {
    return std::make_unique<StripNormalizer>(get_field_or<bool>(j, "strip_left", true, ctx),
                                             get_field_or<bool>(j, "strip_right", true, ctx));
  }
  unsupported(where, key, type, "Sequence, Prepend, Replace, NFC, Strip");
}

}  // namespace traitlab::tok
