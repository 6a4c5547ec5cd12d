#include "experiments/runner/run_store.h"

#include <map>

#include "core/io/hdf5_file.h"
#include "core/util/child_guard.h"
#include "core/util/error.h"
#include "experiments/config/config_parse.h"
#include "experiments/config/config_validate.h"
#include "experiments/runner/file_ops.h"

namespace traitlab::runner {

namespace {

ColumnType to_column_type(ValueType t) {
  switch (t) {
    case ValueType::Int64:
      return ColumnType::Int64;
    case ValueType::Float64:
      return ColumnType::Float64;
    case ValueType::String:
      return ColumnType::String;
    case ValueType::Bool:
      return ColumnType::Bool;
  }
  return ColumnType::Int64;
}

ValueType to_value_type(ColumnType t) {
  switch (t) {
    case ColumnType::Int64:
      return ValueType::Int64;
    case ColumnType::Float64:
    case ColumnType::Float32:
      return ValueType::Float64;
    case ColumnType::String:
      return ValueType::String;
    case ColumnType::Bool:
      return ValueType::Bool;
  }
  return ValueType::Int64;
}

void set_row_value(H5Row& row, const std::string& col, const Value& v) {
  switch (v.type()) {
    case ValueType::Int64:
      row.set(col, v.as_int());
      break;
    case ValueType::Float64:
      row.set(col, v.as_double());
      break;
    case ValueType::String:
      row.set(col, v.as_string());
      break;
    case ValueType::Bool:
      row.set(col, v.as_bool());
      break;
  }
}

void write_cells(H5Group& root, const RunState& state) {
  TableSchema schema = {{"index", ColumnType::Int64},
                        {"id", ColumnType::String},
                        {"key", ColumnType::String},
                        {"seed", ColumnType::Int64},
                        {"done", ColumnType::Bool}};
  for (const auto& axis : grid_axes()) schema.push_back({axis, ColumnType::String});
  H5Table t = root.create_table("cells", schema);
  std::vector<H5Row> rows;
  rows.reserve(state.cells.size());
  for (const Cell& c : state.cells) {
    H5Row r = t.row();
    r.set("index", c.index).set("id", c.id).set("key", c.key);
    r.set("seed", static_cast<int64_t>(c.seed)).set("done", state.done.count(c.index) > 0);
    for (const auto& axis : grid_axes()) r.set(axis, c.value(axis));
    rows.push_back(std::move(r));
  }
  t.append(rows);
  t.flush();
}

void write_tables(H5Group& root, const RunState& state) {
  H5Group tables = root.require_group("tables");
  for (const auto& [name, columns] : state.schemas) {
    TableSchema schema = {{"cell", ColumnType::Int64}};
    for (const auto& [col, type] : columns) schema.push_back({col, to_column_type(type)});
    H5Table t = tables.create_table(name, schema);
    // Rows in canonical order: by cell index (state.done is ordered), then
    // in the order the cell appended them.
    for (const auto& [index, rec] : state.done) {
      auto it = rec.tables.find(name);
      if (it == rec.tables.end()) continue;
      std::vector<H5Row> rows;
      rows.reserve(it->second.rows.size());
      for (const Row& values : it->second.rows) {
        H5Row r = t.row();
        r.set("cell", index);
        for (size_t i = 0; i < columns.size(); ++i) set_row_value(r, columns[i].first, values[i]);
        rows.push_back(std::move(r));
      }
      t.append(rows);
    }
    t.flush();
  }
}

}  // namespace

void write_results_file(const std::string& path, const RunState& state, const std::string& status) {
  const std::string tmp = path + ".tmp";
  {
    H5File f = H5File::create(tmp, /*overwrite=*/true);
    f.set_attr("format", kResultsFormat);
    f.set_attr("format_version", kResultsFormatVersion);
    f.set_attr("status", status);
    f.set_attr("config", state.header.config_text);
    f.set_attr("shard", state.header.shard.text());
    f.set_attr("grid_cells", state.header.grid_cells);
    f.set_attr("cells_total", static_cast<int64_t>(state.cells.size()));
    f.set_attr("cells_done", state.cells_done());
    // Scalars as their own attributes for h5py users; the whole object
    // again as JSON so it reads back losslessly.
    for (const auto& [k, v] : state.header.provenance.items()) {
      if (v.is_string())
        f.set_attr(k, v.get<std::string>());
      else
        f.set_attr_json(k, v);
    }
    f.set_attr_json("provenance", state.header.provenance);
    write_cells(f, state);
    write_tables(f, state);
    f.flush();
  }
  atomic_replace(tmp, path);
}

LoadedResults read_results_file(const std::string& path) {
  H5File f = H5File::open(path);
  check_input(f.has_attr("format") && f.attr_string("format") == kResultsFormat, path,
              ": not a traitlab results file (no format attribute '", kResultsFormat, "')");
  check_input(f.attr_int64("format_version") == kResultsFormatVersion, path,
              ": unsupported format_version ", f.attr_int64("format_version"));
  LoadedResults out;
  out.status = f.attr_string("status");
  RunHeader& h = out.state.header;
  h.config_text = f.attr_string("config");
  h.shard = parse_shard(f.attr_string("shard"), path + ": attribute shard");
  h.grid_cells = f.attr_int64("grid_cells");
  h.provenance = f.attr_json("provenance");

  config::Config cfg = config::parse_config_text(h.config_text, path + " (stored config)");
  config::validate_config(cfg);
  out.state.cells = select_shard(expand_grid(cfg), h.shard);

  H5Table cells = f.open_table("cells");
  const auto index = cells.read_column_int64("index");
  const auto ids = cells.read_column_string("id");
  const auto done = cells.read_column_bool("done");
  std::map<int64_t, CellRecord> records;
  for (size_t i = 0; i < index.size(); ++i) {
    if (!done[i]) continue;
    CellRecord r;
    r.index = index[i];
    r.id = ids[i];
    records.emplace(r.index, std::move(r));
  }

  if (f.has("tables")) {
    H5Group tables = f.group("tables");
    for (const auto& name : tables.list()) {
      H5Table t = tables.open_table(name);
      const TableSchema& schema = t.schema();
      check_input(
          !schema.empty() && schema[0].name == "cell" && schema[0].type == ColumnType::Int64, path,
          ": table '", name, "' has no int64 'cell' first column");
      const auto cell_col = t.read_column_int64("cell");
      Columns columns;
      std::vector<std::vector<Value>> col_values;
      for (size_t c = 1; c < schema.size(); ++c) {
        columns.emplace_back(schema[c].name, to_value_type(schema[c].type));
        std::vector<Value> vals;
        switch (schema[c].type) {
          case ColumnType::Int64:
            for (auto v : t.read_column_int64(schema[c].name)) vals.emplace_back(v);
            break;
          case ColumnType::Float64:
          case ColumnType::Float32:
            for (auto v : t.read_column_double(schema[c].name)) vals.emplace_back(v);
            break;
          case ColumnType::String:
            for (auto& v : t.read_column_string(schema[c].name)) vals.emplace_back(std::move(v));
            break;
          case ColumnType::Bool:
            for (bool v : t.read_column_bool(schema[c].name)) vals.emplace_back(v);
            break;
        }
        col_values.push_back(std::move(vals));
      }
      out.state.schemas[name] = columns;
      for (size_t row = 0; row < cell_col.size(); ++row) {
        auto it = records.find(cell_col[row]);
        check_input(it != records.end(), path, ": table '", name, "' row ", row,
                    " belongs to cell ", cell_col[row], " which is not marked done");
        TableData& td = it->second.tables[name];
        td.columns = columns;
        Row values;
        for (auto& cv : col_values) values.push_back(cv[row]);
        td.rows.push_back(std::move(values));
      }
    }
  }
  for (auto& [i, r] : records) out.state.add(std::move(r), path);
  return out;
}

LoadedResults load_results_file(const std::string& path) {
  // libhdf5 1.10 can crash or loop on a damaged file before traitlab sees a
  // byte of it: read it once in a child process with a time limit first.
  probe_read_in_child(path, "libhdf5", [&] { read_results_file(path); });
  return read_results_file(path);
}

}  // namespace traitlab::runner
