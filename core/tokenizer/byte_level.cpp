#include "core/tokenizer/byte_level.h"

#include <array>
#include <vector>

#include "core/tokenizer/unicode.h"
#include "core/util/json_io.h"

namespace traitlab::tok {

namespace {

struct ByteTables {
  std::array<std::string, 256> to_char;
  std::array<char32_t, 256> cp;
  std::array<int16_t, 256 + 68> from_cp;  // every mapped code point is below 324
  ByteTables() {
    from_cp.fill(-1);
    // Printable Latin-1 bytes map to themselves; the rest to U+0100 onwards.
    int n = 0;
    for (int b = 0; b < 256; ++b) {
      const bool keep = (b >= '!' && b <= '~') || (b >= 0xA1 && b <= 0xAC) || (b >= 0xAE);
      cp[b] = keep ? static_cast<char32_t>(b) : static_cast<char32_t>(256 + n++);
      append_utf8(to_char[b], cp[b]);
      from_cp[cp[b]] = static_cast<int16_t>(b);
    }
  }
};

const ByteTables& tables() {
  static const ByteTables t;
  return t;
}

// The GPT-2 split regex `tokenizers` hard-codes for ByteLevel(use_regex=true).
constexpr const char* kGpt2Pattern =
    R"('s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+)";

class ByteLevelPreTokenizer : public PreTokenizer {
 public:
  ByteLevelPreTokenizer(bool add_prefix_space, bool use_regex)
      : add_prefix_space_(add_prefix_space),
        regex_(use_regex ? std::make_unique<Regex>(kGpt2Pattern, "ByteLevel") : nullptr) {}

  void pre_tokenize(std::vector<Piece>& pieces) const override {
    std::vector<Piece> out;
    out.reserve(pieces.size());
    for (Piece& p : pieces) {
      if (add_prefix_space_ && !p.text.empty() && p.text[0] != ' ') p.text.insert(0, " ");
      if (regex_) {
        split_piece(p, regex_->find_all(p.text), SplitBehavior::Isolated, false, out);
      } else {
        out.push_back(std::move(p));
      }
    }
    for (Piece& p : out) p.text = to_byte_level(p.text);
    pieces = std::move(out);
  }

 private:
  bool add_prefix_space_;
  std::unique_ptr<Regex> regex_;
};

}  // namespace

const std::string& byte_char(unsigned char b) { return tables().to_char[b]; }

int char_byte(char32_t cp) { return cp < 256 + 68 ? tables().from_cp[cp] : -1; }

std::string to_byte_level(std::string_view text) {
  const auto& t = tables();
  std::string out;
  out.reserve(text.size() * 2);
  for (unsigned char c : text) out += t.to_char[c];
  return out;
}

std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(const nlohmann::json& j,
                                                            const std::string& ctx) {
  return std::make_unique<ByteLevelPreTokenizer>(
      get_field_or<bool>(j, "add_prefix_space", true, ctx),
      get_field_or<bool>(j, "use_regex", true, ctx));
}

}  // namespace traitlab::tok
