#include "core/tokenizer/decoders.h"

#include "core/tokenizer/byte_level.h"
#include "core/tokenizer/component_json.h"
#include "core/tokenizer/pattern.h"
#include "core/tokenizer/pre_tokenizers.h"
#include "core/tokenizer/unicode.h"

namespace traitlab::tok {

namespace {

const char* const kReplacementChar = "\xEF\xBF\xBD";

std::vector<std::string> utf8_chars(const std::string& s) {
  std::vector<std::string> out;
  for (size_t i = 0; i < s.size();) {
    const size_t len = utf8_len(static_cast<unsigned char>(s[i]));
    out.push_back(s.substr(i, len));
    i += len;
  }
  return out;
}

class SequenceDecoder : public Decoder {
 public:
  explicit SequenceDecoder(std::vector<std::unique_ptr<Decoder>> parts)
      : parts_(std::move(parts)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (const auto& p : parts_) p->decode_chain(tokens);
  }

 private:
  std::vector<std::unique_ptr<Decoder>> parts_;
};

// Maps byte-level characters back to bytes over all tokens at once (a token
// may hold half a character), then decodes with U+FFFD for invalid bytes.
class ByteLevelDecoder : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string bytes;
    for (const std::string& t : tokens) {
      std::string mapped;
      bool all = true;
      for (size_t i = 0; i < t.size() && all;) {
        size_t len;
        const int b = char_byte(decode_utf8(t, i, &len));
        if (b < 0)
          all = false;
        else
          mapped.push_back(static_cast<char>(b));
        i += len;
      }
      bytes += all ? mapped : t;
    }
    tokens.assign(1, sanitize_utf8(bytes));
  }
};

class ByteFallbackDecoder : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::vector<std::string> out;
    std::string pending;
    auto flush = [&]() {
      if (pending.empty()) return;
      if (is_valid_utf8(pending)) {
        out.push_back(pending);
      } else {
        for (size_t i = 0; i < pending.size(); ++i) out.push_back(kReplacementChar);
      }
      pending.clear();
    };
    for (std::string& t : tokens) {
      int byte = -1;
      if (t.size() == 6 && t.compare(0, 3, "<0x") == 0 && t[5] == '>')
        byte = parse_hex_byte(t.substr(3, 2));
      if (byte >= 0) {
        pending.push_back(static_cast<char>(byte));
      } else {
        flush();
        out.push_back(std::move(t));
      }
    }
    flush();
    tokens = std::move(out);
  }

 private:
  // Rust's u8::from_str_radix(s, 16): an optional '+', then hex digits.
  static int parse_hex_byte(const std::string& s) {
    size_t i = s[0] == '+' ? 1 : 0;
    if (i == s.size()) return -1;
    int v = 0;
    for (; i < s.size(); ++i) {
      const char c = s[i];
      int d;
      if (c >= '0' && c <= '9')
        d = c - '0';
      else if (c >= 'a' && c <= 'f')
        d = c - 'a' + 10;
      else if (c >= 'A' && c <= 'F')
        d = c - 'A' + 10;
      else
        return -1;
      v = v * 16 + d;
    }
    return v;
  }
};

class FuseDecoder : public Decoder {
 public:
  void decode_chain(std::vector<std::string>& tokens) const override {
    std::string all;
    for (const auto& t : tokens) all += t;
    tokens.assign(1, all);
  }
};

class StripDecoder : public Decoder {
 public:
  StripDecoder(std::string content, size_t start, size_t stop)
      : content_(std::move(content)), start_(start), stop_(stop) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) {
      const std::vector<std::string> chars = utf8_chars(t);
      size_t begin = 0, end = chars.size();
      while (begin < start_ && begin < end && chars[begin] == content_) ++begin;
      while (chars.size() - end < stop_ && end > begin && chars[end - 1] == content_) --end;
      std::string s;
      for (size_t i = begin; i < end; ++i) s += chars[i];
      t = std::move(s);
    }
  }

 private:
  std::string content_;
  size_t start_, stop_;
};

class ReplaceDecoder : public Decoder {
 public:
  ReplaceDecoder(Pattern pattern, std::string content)
      : pattern_(std::move(pattern)), content_(std::move(content)) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (std::string& t : tokens) t = replace_all(pattern_, t, content_);
  }

 private:
  Pattern pattern_;
  std::string content_;
};

class MetaspaceDecoder : public Decoder {
 public:
  MetaspaceDecoder(std::string replacement, PrependScheme scheme)
      : replacement_(std::move(replacement)), scheme_(scheme) {}
  void decode_chain(std::vector<std::string>& tokens) const override {
    for (size_t i = 0; i < tokens.size(); ++i) {
      // `tokenizers` drops every replacement character of the first token.
      const bool drop = i == 0 && scheme_ != PrependScheme::Never;
      std::string s;
      for (const std::string& c : utf8_chars(tokens[i])) {
        if (c == replacement_) {
          if (!drop) s += ' ';
        } else {
          s += c;
        }
      }
      tokens[i] = std::move(s);
    }
  }

 private:
  std::string replacement_;
  PrependScheme scheme_;
};

}  // namespace

std::unique_ptr<Decoder> make_decoder(const nlohmann::json& j, const std::string& where,
                                      const std::string& key) {
  if (j.is_null()) return nullptr;
  const std::string type = component_type(j, where, key);
  const std::string ctx = str(where, ": ", key);
  if (type == "Sequence") {
    std::vector<std::unique_ptr<Decoder>> parts;
    const auto& arr = array_field(j, "decoders", where, key);
    for (size_t i = 0; i < arr.size(); ++i) {
      auto p = make_decoder(arr[i], where, str(key, ".decoders[", i, "]"));
      if (p) parts.push_back(std::move(p));
    }
    return std::make_unique<SequenceDecoder>(std::move(parts));
  }
  if (type == "ByteLevel") return std::make_unique<ByteLevelDecoder>();
  if (type == "ByteFallback") return std::make_unique<ByteFallbackDecoder>();
  if (type == "Fuse") return std::make_unique<FuseDecoder>();
  if (type == "Strip") {
    const int64_t start = get_field_or<int64_t>(j, "start", 0, ctx);
    const int64_t stop = get_field_or<int64_t>(j, "stop", 0, ctx);
    check_input(start >= 0 && stop >= 0, ctx, ": start and stop must be >= 0");
    return std::make_unique<StripDecoder>(single_char_field(j, "content", " ", where, key),
                                          static_cast<size_t>(start), static_cast<size_t>(stop));
  }
  if (type == "Replace") {
    check_input(j.contains("pattern"), ctx, ": missing key 'pattern'");
    return std::make_unique<ReplaceDecoder>(Pattern::from_json(j["pattern"], ctx + ".pattern"),
                                            get_field<std::string>(j, "content", ctx));
  }
  if (type == "Metaspace") {
    return std::make_unique<MetaspaceDecoder>(
        single_char_field(j, "replacement", "\xE2\x96\x81", where, key),
        parse_prepend_scheme(j, ctx));
  }
  unsupported(where, key, type,
              "ByteLevel, ByteFallback, Fuse, Strip, Replace, Metaspace, Sequence");
}

}  // namespace traitlab::tok
