#pragma once
// tokenizer.json normalizers: Sequence, Prepend, Replace, NFC, Strip.
#include <memory>
#include <nlohmann/json.hpp>
#include <string>

namespace traitlab::tok {

class Normalizer {
 public:
  virtual ~Normalizer() = default;
  // Rewrites valid UTF-8 text in place.
  virtual void normalize(std::string& text) const = 0;
};

// nullptr for a JSON null. UnsupportedError for other types.
std::unique_ptr<Normalizer> make_normalizer(const nlohmann::json& j, const std::string& where,
                                            const std::string& key = "normalizer");

}  // namespace traitlab::tok
