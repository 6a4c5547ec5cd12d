#include "elicit/instruments/likert_item.h"

#include <algorithm>
#include <map>

#include "core/util/error.h"
#include "core/util/json_io.h"
#include "elicit/instruments/csv_reader.h"
#include "elicit/instruments/item_records.h"

namespace traitlab {
namespace {

const std::vector<std::string> kColumns = {"id",  "text",         "trait",   "facet",
                                           "key", "scale_points", "anchors", "source"};
const std::vector<std::string> kRequiredColumns = {"id", "text", "trait", "key"};

std::string trim(const std::string& s) {
  size_t b = s.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return "";
  return s.substr(b, s.find_last_not_of(" \t\r\n") - b + 1);
}

// key: an integer 1/-1 or (from CSV) a string "1", "+1", "-1", "+", "-".
int parse_key(const nlohmann::json& j, const ItemFields& f) {
  if (j.is_number_integer() && (j.get<int64_t>() == 1 || j.get<int64_t>() == -1)) {
    return static_cast<int>(j.get<int64_t>());
  }
  if (j.is_string()) {
    std::string s = trim(j.get<std::string>());
    if (s == "1" || s == "+1" || s == "+") return 1;
    if (s == "-1" || s == "-") return -1;
  }
  f.fail("key", str("must be +1 or -1, got ", j.dump().substr(0, 40)));
}

int parse_scale_points(const nlohmann::json& j, const ItemFields& f) {
  int64_t k = 0;
  if (j.is_number_integer()) {
    k = j.get<int64_t>();
  } else if (j.is_string()) {
    std::string s = trim(j.get<std::string>());
    bool digits = !s.empty() && s.size() < 4 && std::all_of(s.begin(), s.end(), ::isdigit);
    if (!digits)
      f.fail("scale_points", str("must be an integer 2..11, got ", j.dump().substr(0, 40)));
    k = std::stoll(s);
  } else {
    f.fail("scale_points", str("must be an integer 2..11, got ", j.dump().substr(0, 40)));
  }
  if (k < 2 || k > 11) f.fail("scale_points", str("must be 2..11, got ", k));
  return static_cast<int>(k);
}

std::vector<std::string> parse_anchors(const nlohmann::json& j, const ItemFields& f) {
  std::vector<std::string> out;
  if (j.is_string()) {
    // CSV form: "Strongly disagree|Disagree|...".
    const std::string s = j.get<std::string>();
    size_t start = 0;
    while (true) {
      size_t bar = s.find('|', start);
      out.push_back(
          trim(s.substr(start, bar == std::string::npos ? std::string::npos : bar - start)));
      if (bar == std::string::npos) break;
      start = bar + 1;
    }
    for (size_t i = 0; i < out.size(); ++i) {
      if (out[i].empty()) f.fail("anchors", str("entry ", i, " is empty"));
    }
    return out;
  }
  return *f.optional_string_list("anchors");
}

LikertItem parse_likert(const ItemRecord& rec, const std::string& path) {
  ItemFields f(rec);
  const auto& obj = rec.value;
  LikertItem item;
  item.id = f.id("id");
  item.file = path;
  item.line = rec.line;
  item.text = f.required_string("text");
  item.trait = parse_trait(f.required_string("trait"), f.prefix() + ": field 'trait'");
  item.facet = f.optional_string("facet").value_or("");
  item.source = f.optional_string("source").value_or("");
  if (!f.has("key")) throw InputError(str(f.prefix(), ": missing field 'key' (+1 or -1)"));
  item.key = parse_key(obj["key"], f);
  bool has_anchors = f.has("anchors") && !(obj["anchors"].is_string() && obj["anchors"] == "");
  if (has_anchors) item.anchors = parse_anchors(obj["anchors"], f);
  if (f.has("scale_points") && !(obj["scale_points"].is_string() && obj["scale_points"] == "")) {
    item.scale_points = parse_scale_points(obj["scale_points"], f);
  } else {
    item.scale_points = has_anchors ? static_cast<int>(item.anchors.size()) : 5;
    // Found by fuzz_item_bank: one anchor gave a 1-point scale, whose
    // normalised score (x - 1) / (k - 1) is 0/0.
    if (item.scale_points < 2 || item.scale_points > 11) {
      f.fail("anchors", str("has ", item.anchors.size(), " entries; a scale needs 2..11 points"));
    }
  }
  if (!has_anchors) {
    if (item.scale_points != 5) {
      f.fail("anchors", str("is required when scale_points is ", item.scale_points,
                            " (default anchors exist for 5 points only)"));
    }
    item.anchors = default_agree_anchors();
  }
  if (static_cast<int>(item.anchors.size()) != item.scale_points) {
    f.fail("anchors",
           str("has ", item.anchors.size(), " entries but scale_points is ", item.scale_points));
  }
  return item;
}

std::vector<LikertItem> finish(std::vector<LikertItem> items, const std::string& path) {
  check_input(!items.empty(), path, ": no items (empty bank)");
  check_unique_likert_ids(items);
  return items;
}

std::string location(const LikertItem& item) {
  bool array = item.file.size() >= 5 && item.file.compare(item.file.size() - 5, 5, ".json") == 0;
  return array ? str(item.file, ": [", item.line, "]") : str(item.file, ":", item.line);
}

}  // namespace

int LikertItem::keyed_score(int response) const {
  check_input(response >= 1 && response <= scale_points, "item '", id, "': response ", response,
              " outside 1..", scale_points);
  return key > 0 ? response : scale_points + 1 - response;
}

const std::vector<std::string>& default_agree_anchors() {
  static const std::vector<std::string> anchors = {
      "Strongly disagree", "Disagree", "Neither agree nor disagree", "Agree", "Strongly agree"};
  return anchors;
}

void check_unique_likert_ids(const std::vector<LikertItem>& items) {
  std::map<std::string, const LikertItem*> seen;
  for (const auto& item : items) {
    auto [it, inserted] = seen.emplace(item.id, &item);
    check_input(inserted, location(item), ": item '", item.id, "': duplicate id (first at ",
                location(*it->second), ")");
  }
}

std::vector<LikertItem> load_likert_json(const std::string& path) {
  std::vector<LikertItem> items;
  for (const auto& rec : read_item_records(path)) items.push_back(parse_likert(rec, path));
  return finish(std::move(items), path);
}

std::vector<LikertItem> load_likert_csv(const std::string& path) {
  std::vector<CsvRecord> rows = parse_csv(read_file(path), path);
  check_input(!rows.empty(), path, ": no header row (empty file)");
  const CsvRecord& header = rows[0];
  std::vector<std::string> names;
  for (const auto& raw : header.fields) {
    std::string name = trim(raw);
    check_input(std::find(kColumns.begin(), kColumns.end(), name) != kColumns.end(), path, ":",
                header.line, ": unknown column '", name,
                "' (expected id,text,trait,facet,key,scale_points,anchors,source)");
    check_input(std::find(names.begin(), names.end(), name) == names.end(), path, ":", header.line,
                ": column '", name, "' appears twice");
    names.push_back(name);
  }
  for (const auto& req : kRequiredColumns) {
    check_input(std::find(names.begin(), names.end(), req) != names.end(), path, ":", header.line,
                ": missing column '", req, "' in the header row");
  }
  std::vector<LikertItem> items;
  for (size_t r = 1; r < rows.size(); ++r) {
    const CsvRecord& row = rows[r];
    std::string where = str(path, ":", row.line);
    check_input(row.fields.size() == names.size(), where, ": ", row.fields.size(),
                " fields, but the header has ", names.size());
    ItemRecord rec{nlohmann::json::object(), where, row.line};
    // Empty cells are absent fields, so optional columns may be left blank.
    for (size_t c = 0; c < names.size(); ++c) {
      if (!row.fields[c].empty()) rec.value[names[c]] = row.fields[c];
    }
    items.push_back(parse_likert(rec, path));
  }
  return finish(std::move(items), path);
}

std::vector<LikertItem> load_likert_file(const std::string& path) {
  auto ends = [&](const std::string& s) {
    return path.size() >= s.size() && path.compare(path.size() - s.size(), s.size(), s) == 0;
  };
  if (ends(".csv")) return load_likert_csv(path);
  return load_likert_json(path);
}

}  // namespace traitlab
