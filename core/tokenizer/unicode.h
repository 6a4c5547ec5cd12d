#pragma once
// UTF-8 helpers for the tokenizer. Text inside the pipeline is always valid
// UTF-8: sanitize_utf8() is applied once at the entrance.
#include <cstddef>
#include <string>
#include <string_view>

namespace traitlab::tok {

// Length of the UTF-8 sequence that starts with `lead` (1 for stray bytes).
inline size_t utf8_len(unsigned char lead) {
  if (lead < 0x80) return 1;
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

// Code point at s[i] of valid UTF-8; *len receives its byte length.
char32_t decode_utf8(std::string_view s, size_t i, size_t* len);
void append_utf8(std::string& out, char32_t cp);

// Invalid UTF-8 becomes U+FFFD exactly as Python's
// bytes.decode("utf-8", "replace") does (one U+FFFD per maximal invalid
// subpart), so text that Python's `tokenizers` never sees as bytes still
// encodes the same way it would after that decode.
std::string sanitize_utf8(std::string_view bytes);
bool is_valid_utf8(std::string_view bytes);

// Unicode White_Space (what Rust's char::is_whitespace and regex \s test).
bool is_whitespace(char32_t cp);
// Python's str.isspace() (Jinja's trim and str.strip() use it).
bool is_python_space(char32_t cp);

// Python str.strip(): removes is_python_space characters at both ends.
std::string python_strip(std::string_view s);

}  // namespace traitlab::tok
