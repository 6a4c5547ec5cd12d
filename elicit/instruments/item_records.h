#pragma once
// Reading item banks: the raw JSON records of a .json or .jsonl file, each
// with the location that error messages name, and typed field access whose
// errors read "items.jsonl:7: item 'X-3': missing field 'query'".
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace traitlab {

struct ItemRecord {
  nlohmann::json value;
  std::string where;  // "items.jsonl:7" (JSONL line) or "items.json: [6]" (array index)
  int line = 0;       // JSONL: 1-based line; JSON array: 0-based index
};

// JSONL: one object per non-blank line. JSON: a top-level array, or an
// object wrapping the array under "items", "data" or "rows"; elements of
// the Hugging Face datasets-server form {"row": {...}} are unwrapped.
// Format by extension (.jsonl / .json). An unreadable file is an IoError,
// anything malformed an InputError naming the file and line.
std::vector<ItemRecord> read_item_records(const std::string& path);

// Typed access to one record's fields. Before set_id() errors read
// "<where>: ..."; after it "<where>: item '<id>': ...".
class ItemFields {
 public:
  ItemFields(const ItemRecord& record);

  // The id field: a non-empty string or an integer (TRAIT's idx may be a
  // number). Sets the id used in later messages.
  std::string id(const std::string& key);
  // A present, non-empty string. `hint` is appended in parentheses to the
  // missing-field message.
  std::string required_string(const std::string& key, const std::string& hint = "") const;
  // Absent, null and "" all mean "not given".
  std::optional<std::string> optional_string(const std::string& key) const;
  std::optional<int64_t> optional_int(const std::string& key) const;
  std::optional<std::vector<std::string>> optional_string_list(const std::string& key) const;
  bool has(const std::string& key) const;

  // "<where>: item '<id>'" for messages built by the caller.
  std::string prefix() const;
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  const nlohmann::json& obj_;
  std::string where_;
  std::string id_;
};

}  // namespace traitlab
