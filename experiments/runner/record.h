#pragma once
// Result records: what one cell produced, as rows of named tables. A cell's
// record is written to the journal in one piece, so a cell is either done
// with all its rows or not done at all.
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <utility>
#include <variant>
#include <vector>

namespace traitlab::runner {

enum class ValueType { Int64, Float64, String, Bool };
const char* value_type_name(ValueType t);  // "int64", "float64", "string", "bool"

// One table cell value. Any integer type is an Int64 (so {"item", 3} works).
class Value {
 public:
  template <typename T,
            std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool>, int> = 0>
  Value(T v) : v_(static_cast<int64_t>(v)) {}
  Value(double v) : v_(v) {}
  Value(float v) : v_(static_cast<double>(v)) {}
  Value(bool v) : v_(v) {}
  Value(const char* v) : v_(std::string(v)) {}
  Value(std::string v) : v_(std::move(v)) {}

  ValueType type() const { return static_cast<ValueType>(v_.index()); }
  int64_t as_int() const { return std::get<int64_t>(v_); }
  double as_double() const { return std::get<double>(v_); }
  const std::string& as_string() const { return std::get<std::string>(v_); }
  bool as_bool() const { return std::get<bool>(v_); }
  // Bitwise for doubles, so NaN == NaN (merge and resume compare files).
  bool operator==(const Value& o) const;
  bool operator!=(const Value& o) const { return !(*this == o); }

 private:
  std::variant<int64_t, double, std::string, bool> v_;  // order matches ValueType
};

using Columns = std::vector<std::pair<std::string, ValueType>>;
using Row = std::vector<Value>;

struct TableData {
  Columns columns;
  std::vector<Row> rows;
  bool operator==(const TableData& o) const { return columns == o.columns && rows == o.rows; }
};

struct CellRecord {
  int64_t index = 0;
  std::string id;
  std::map<std::string, TableData> tables;
};

// JSON form used by the journal. Doubles keep all bits (nlohmann prints 17
// digits); non-finite doubles become "NaN"/"Infinity"/"-Infinity"; strings
// that are not UTF-8 get U+FFFD replacements.
nlohmann::json record_to_json(const CellRecord& r);
// InputError naming `where` if the JSON does not have the record's shape.
CellRecord record_from_json(const nlohmann::json& j, const std::string& where);

}  // namespace traitlab::runner
