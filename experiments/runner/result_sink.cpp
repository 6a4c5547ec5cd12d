#include "experiments/runner/result_sink.h"

#include "core/util/error.h"

namespace traitlab::runner {

namespace {
std::string describe(const Columns& cols) {
  std::string s;
  for (const auto& [n, t] : cols) s += (s.empty() ? "" : ", ") + n + ":" + value_type_name(t);
  return s;
}
}  // namespace

ResultSink::ResultSink(CellRecord& record, std::map<std::string, Columns>& schemas)
    : record_(record), schemas_(schemas) {}

void ResultSink::append(const std::string& table,
                        const std::vector<std::pair<std::string, Value>>& row) {
  if (table.empty() || table.find('/') != std::string::npos)
    throw Error(str("result table name '", table, "' must be non-empty and contain no '/'"));
  Columns cols;
  Row values;
  for (const auto& [name, v] : row) {
    if (name == "cell" || name.empty())
      throw Error(str("table '", table, "': column name '", name, "' is reserved or empty"));
    cols.emplace_back(name, v.type());
    values.push_back(v);
  }
  auto [it, fresh] = schemas_.emplace(table, cols);
  if (!fresh && it->second != cols)
    throw Error(str("table '", table, "': row has columns (", describe(cols),
                    ") but the table has (", describe(it->second), ")"));
  TableData& t = record_.tables[table];
  if (t.columns.empty()) t.columns = cols;
  t.rows.push_back(std::move(values));
  ++rows_;
}

}  // namespace traitlab::runner
