#pragma once
// tokenizer.json pre-tokenizers: ByteLevel, Split, Sequence, Metaspace, Digits.
// They cut a normalized piece of text into the words the BPE model sees.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/tokenizer/regex.h"

namespace traitlab::tok {

struct Piece {
  std::string text;
  // Starts at offset 0 of the original input (Metaspace "first" needs it).
  // A sub-piece is first when its parent is and it starts at its offset 0,
  // which is what `tokenizers`' alignments give for every pipeline here.
  bool first = false;
};

enum class SplitBehavior { Removed, Isolated, MergedWithPrevious, MergedWithNext, Contiguous };

// Splits `piece` around `matches` the way NormalizedString::split does and
// appends the non-empty results to `out`.
void split_piece(const Piece& piece, const std::vector<Span>& matches, SplitBehavior behavior,
                 bool invert, std::vector<Piece>& out);

class PreTokenizer {
 public:
  virtual ~PreTokenizer() = default;
  virtual void pre_tokenize(std::vector<Piece>& pieces) const = 0;
};

// nullptr for a JSON null; UnsupportedError for unknown types.
std::unique_ptr<PreTokenizer> make_pre_tokenizer(const nlohmann::json& j, const std::string& where,
                                                 const std::string& key = "pre_tokenizer");

// Prepend schemes shared by the Metaspace pre-tokenizer and decoder.
enum class PrependScheme { Always, First, Never };
PrependScheme parse_prepend_scheme(const nlohmann::json& j, const std::string& ctx);

}  // namespace traitlab::tok
