#include "experiments/runner/record.h"

#include <cmath>
#include <cstring>
#include <limits>

#include "core/util/error.h"

namespace traitlab::runner {

const char* value_type_name(ValueType t) {
  switch (t) {
    case ValueType::Int64:
      return "int64";
    case ValueType::Float64:
      return "float64";
    case ValueType::String:
      return "string";
    case ValueType::Bool:
      return "bool";
  }
  return "?";
}

bool Value::operator==(const Value& o) const {
  if (type() != o.type()) return false;
  if (type() == ValueType::Float64) {
    double a = as_double(), b = o.as_double();
    return std::memcmp(&a, &b, sizeof a) == 0;
  }
  return v_ == o.v_;
}

namespace {

ValueType parse_type(const std::string& s, const std::string& where) {
  for (auto t : {ValueType::Int64, ValueType::Float64, ValueType::String, ValueType::Bool})
    if (s == value_type_name(t)) return t;
  throw InputError(str(where, ": unknown column type '", s, "'"));
}

nlohmann::json value_to_json(const Value& v) {
  switch (v.type()) {
    case ValueType::Int64:
      return v.as_int();
    case ValueType::Float64: {
      double d = v.as_double();
      if (std::isnan(d)) return "NaN";
      if (std::isinf(d)) return d > 0 ? "Infinity" : "-Infinity";
      return d;
    }
    case ValueType::String:
      return v.as_string();
    case ValueType::Bool:
      return v.as_bool();
  }
  return nullptr;
}

Value value_from_json(const nlohmann::json& j, ValueType t, const std::string& where) {
  switch (t) {
    case ValueType::Int64:
      check_input(j.is_number_integer(), where, ": expected an integer");
      return j.get<int64_t>();
    case ValueType::Float64:
      if (j.is_string()) {
        const auto& s = j.get_ref<const std::string&>();
        if (s == "NaN") return std::numeric_limits<double>::quiet_NaN();
        if (s == "Infinity") return std::numeric_limits<double>::infinity();
        if (s == "-Infinity") return -std::numeric_limits<double>::infinity();
      }
      check_input(j.is_number(), where, ": expected a number");
      return j.get<double>();
    case ValueType::String:
      check_input(j.is_string(), where, ": expected a string");
      return j.get<std::string>();
    case ValueType::Bool:
      check_input(j.is_boolean(), where, ": expected a boolean");
      return j.get<bool>();
  }
  return int64_t{0};
}

}  // namespace

nlohmann::json record_to_json(const CellRecord& r) {
  nlohmann::json tables = nlohmann::json::object();
  for (const auto& [name, t] : r.tables) {
    nlohmann::json cols = nlohmann::json::array(), rows = nlohmann::json::array();
    for (const auto& [c, type] : t.columns) cols.push_back({c, value_type_name(type)});
    for (const auto& row : t.rows) {
      nlohmann::json jr = nlohmann::json::array();
      for (const auto& v : row) jr.push_back(value_to_json(v));
      rows.push_back(std::move(jr));
    }
    tables[name] = {{"columns", std::move(cols)}, {"rows", std::move(rows)}};
  }
  return {{"type", "cell"}, {"index", r.index}, {"id", r.id}, {"tables", std::move(tables)}};
}

CellRecord record_from_json(const nlohmann::json& j, const std::string& where) {
  check_input(j.is_object() && j.value("type", "") == "cell" && j.contains("index") &&
                  j["index"].is_number_integer() && j.contains("id") && j["id"].is_string() &&
                  j.contains("tables") && j["tables"].is_object(),
              where, ": not a cell record");
  CellRecord r;
  r.index = j["index"].get<int64_t>();
  r.id = j["id"].get<std::string>();
  for (const auto& [name, jt] : j["tables"].items()) {
    const std::string at = str(where, ": table '", name, "'");
    check_input(jt.is_object() && jt.contains("columns") && jt["columns"].is_array() &&
                    jt.contains("rows") && jt["rows"].is_array(),
                at, ": expected columns and rows");
    TableData t;
    for (const auto& c : jt["columns"]) {
      check_input(c.is_array() && c.size() == 2 && c[0].is_string() && c[1].is_string(), at,
                  ": bad column entry");
      t.columns.emplace_back(c[0].get<std::string>(), parse_type(c[1].get<std::string>(), at));
    }
    for (const auto& jr : jt["rows"]) {
      check_input(jr.is_array() && jr.size() == t.columns.size(), at, ": row of wrong width");
      Row row;
      for (size_t i = 0; i < jr.size(); ++i)
        row.push_back(value_from_json(jr[i], t.columns[i].second,
                                      str(at, " column '", t.columns[i].first, "'")));
      t.rows.push_back(std::move(row));
    }
    r.tables.emplace(name, std::move(t));
  }
  return r;
}

}  // namespace traitlab::runner
