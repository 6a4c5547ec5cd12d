#include "elicit/instruments/item_records.h"

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

bool ends_with(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

std::string strip_bom(std::string text) {
  if (text.rfind("\xEF\xBB\xBF", 0) == 0) text.erase(0, 3);
  return text;
}

// {"row_idx": 0, "row": {...}} is how the Hub's datasets-server returns rows.
nlohmann::json unwrap_row(const nlohmann::json& v) {
  if (v.is_object() && v.contains("row") && v["row"].is_object()) return v["row"];
  return v;
}

std::vector<ItemRecord> read_jsonl(const std::string& path, const std::string& text) {
  std::vector<ItemRecord> out;
  size_t pos = 0;
  int line_no = 0;
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string::npos) nl = text.size();
    std::string line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    std::string where = str(path, ":", line_no);
    nlohmann::json v = unwrap_row(parse_json(line, where));
    check_input(v.is_object(), where, ": expected a JSON object, got ", v.dump().substr(0, 60));
    out.push_back({std::move(v), where, line_no});
  }
  return out;
}

std::vector<ItemRecord> read_json(const std::string& path, const std::string& text) {
  nlohmann::json doc = parse_json(text, path);
  std::string key;
  if (doc.is_object()) {
    for (const char* k : {"items", "data", "rows"}) {
      if (doc.contains(k) && doc[k].is_array()) {
        key = k;
        break;
      }
    }
    check_input(!key.empty(), path,
                ": expected an array of items or an object with an 'items', 'data' or 'rows' "
                "array");
    doc = doc[key];
  }
  check_input(doc.is_array(), path, ": expected an array of items, got ", doc.dump().substr(0, 60));
  std::vector<ItemRecord> out;
  for (size_t i = 0; i < doc.size(); ++i) {
    std::string where = str(path, ": ", key, "[", i, "]");
    nlohmann::json v = unwrap_row(doc[i]);
    check_input(v.is_object(), where, ": expected a JSON object, got ", v.dump().substr(0, 60));
    out.push_back({std::move(v), where, static_cast<int>(i)});
  }
  return out;
}

}  // namespace

std::vector<ItemRecord> read_item_records(const std::string& path) {
  std::string text = strip_bom(read_file(path));
  if (ends_with(path, ".jsonl")) return read_jsonl(path, text);
  if (ends_with(path, ".json")) return read_json(path, text);
  throw InputError(str(path, ": unknown item file type (expected .json, .jsonl or .csv)"));
}

ItemFields::ItemFields(const ItemRecord& record) : obj_(record.value), where_(record.where) {}

std::string ItemFields::prefix() const {
  return id_.empty() ? where_ : str(where_, ": item '", id_, "'");
}

void ItemFields::fail(const std::string& key, const std::string& what) const {
  throw InputError(str(prefix(), ": field '", key, "' ", what));
}

bool ItemFields::has(const std::string& key) const {
  auto it = obj_.find(key);
  return it != obj_.end() && !it->is_null();
}

std::string ItemFields::id(const std::string& key) {
  auto it = obj_.find(key);
  check_input(it != obj_.end() && !it->is_null(), prefix(), ": missing field '", key, "'");
  std::string value;
  if (it->is_string()) {
    value = it->get<std::string>();
  } else if (it->is_number_integer()) {
    value = std::to_string(it->get<int64_t>());
  } else {
    fail(key, str("must be a string or an integer, got ", it->dump().substr(0, 60)));
  }
  if (value.empty()) fail(key, "is empty");
  id_ = value;
  return value;
}

std::string ItemFields::required_string(const std::string& key, const std::string& hint) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) {
    throw InputError(
        str(prefix(), ": missing field '", key, "'", hint.empty() ? "" : " (" + hint + ")"));
  }
  if (!it->is_string()) fail(key, str("must be a string, got ", it->dump().substr(0, 60)));
  std::string value = it->get<std::string>();
  if (value.find_first_not_of(" \t\r\n") == std::string::npos) fail(key, "is empty");
  return value;
}

std::optional<std::string> ItemFields::optional_string(const std::string& key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) fail(key, str("must be a string, got ", it->dump().substr(0, 60)));
  std::string value = it->get<std::string>();
  if (value.empty()) return std::nullopt;
  return value;
}

std::optional<int64_t> ItemFields::optional_int(const std::string& key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) {
    fail(key, str("must be an integer, got ", it->dump().substr(0, 60)));
  }
  return it->get<int64_t>();
}

std::optional<std::vector<std::string>> ItemFields::optional_string_list(
    const std::string& key) const {
  auto it = obj_.find(key);
  if (it == obj_.end() || it->is_null()) return std::nullopt;
  if (!it->is_array()) fail(key, str("must be a list of strings, got ", it->dump().substr(0, 60)));
  std::vector<std::string> out;
  for (size_t i = 0; i < it->size(); ++i) {
    const auto& v = (*it)[i];
    if (!v.is_string()) fail(key, str("entry ", i, " must be a string, got ", v.dump()));
    std::string s = v.get<std::string>();
    if (s.find_first_not_of(" \t\r\n") == std::string::npos)
      fail(key, str("entry ", i, " is empty"));
    out.push_back(s);
  }
  return out;
}

}  // namespace traitlab
