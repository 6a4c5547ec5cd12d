#pragma once
// Unicode NFC (canonical decomposition, canonical ordering, canonical
// composition), implemented here rather than through ICU or utf8proc so the
// tokenizer adds no dependency; the tables are generated from Python's
// unicodedata by tools/goldens/make_unicode_tables.py.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace traitlab::tok {

struct CccRange {
  char32_t first, last;
  uint8_t ccc;
};
struct DecompEntry {
  char32_t cp;
  uint32_t offset, length;  // into kDecompData
};
struct ComposeEntry {
  char32_t first, second, composite;
};

extern const char* const kUnicodeVersion;
extern const CccRange kCccRanges[];
extern const size_t kCccRangeCount;
extern const DecompEntry kDecomp[];
extern const size_t kDecompCount;
extern const char32_t kDecompData[];
extern const ComposeEntry kCompose[];
extern const size_t kComposeCount;

uint8_t combining_class(char32_t cp);
// NFC of valid UTF-8 text.
std::string nfc(std::string_view text);

}  // namespace traitlab::tok
