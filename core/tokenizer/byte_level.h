#pragma once
// GPT-2's byte-level alphabet: every byte maps to one printable character
// (space -> "Ġ", newline -> "Ċ"), so BPE runs on text with no raw bytes.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

#include "core/tokenizer/pre_tokenizers.h"

namespace traitlab::tok {

// UTF-8 of the character that stands for byte b.
const std::string& byte_char(unsigned char b);
// The byte that code point cp stands for, or -1.
int char_byte(char32_t cp);
// Maps every byte of text to its character.
std::string to_byte_level(std::string_view text);

std::unique_ptr<PreTokenizer> make_byte_level_pre_tokenizer(const nlohmann::json& j,
                                                            const std::string& ctx);

}  // namespace traitlab::tok
