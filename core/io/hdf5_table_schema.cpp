// Table schemas <-> HDF5 compound types, and the in-memory row layout.
#include <algorithm>
#include <set>
#include <string>

#include "core/io/hdf5_detail.h"
#include "core/util/error.h"

namespace traitlab {

const char* column_type_name(ColumnType t) {
  switch (t) {
    case ColumnType::Int64:
      return "int64";
    case ColumnType::Float64:
      return "float64";
    case ColumnType::Float32:
      return "float32";
    case ColumnType::String:
      return "string";
    case ColumnType::Bool:
      return "bool";
  }
  return "?";
}

std::string describe(const TableSchema& schema) {
  std::string s;
  for (const Column& c : schema)
    s += (s.empty() ? "" : ", ") + c.name + ":" + column_type_name(c.type);
  return s;
}

namespace h5 {

namespace {

size_t mem_size(ColumnType t) {
  switch (t) {
    case ColumnType::Int64:
      return sizeof(int64_t);
    case ColumnType::Float64:
      return sizeof(double);
    case ColumnType::Float32:
      return sizeof(float);
    case ColumnType::String:
      return sizeof(char*);
    case ColumnType::Bool:
      return sizeof(int8_t);
  }
  return 0;
}

// The HDF5 type of one column; `native` picks memory rather than file types.
H5Id column_type(ColumnType t, bool native) {
  switch (t) {
    case ColumnType::Int64:
      return H5Id(H5Tcopy(native ? H5T_NATIVE_INT64 : H5T_STD_I64LE));
    case ColumnType::Float64:
      return H5Id(H5Tcopy(native ? H5T_NATIVE_DOUBLE : H5T_IEEE_F64LE));
    case ColumnType::Float32:
      return H5Id(H5Tcopy(native ? H5T_NATIVE_FLOAT : H5T_IEEE_F32LE));
    case ColumnType::String:
      return vlen_utf8_type();
    case ColumnType::Bool:
      return bool_enum_type();
  }
  return H5Id();
}

H5Id compound(const TableSchema& schema, bool native) {
  size_t total = 0;
  for (const Column& c : schema) total += mem_size(c.type);
  H5Id t = own(H5Tcreate(H5T_COMPOUND, total), "HDF5", "create compound type");
  size_t offset = 0;
  for (const Column& c : schema) {
    H5Id member = column_type(c.type, native);
    check(H5Tinsert(t.get(), c.name.c_str(), offset, member.get()), "HDF5",
          "add column '" + c.name + "'");
    offset += mem_size(c.type);
  }
  return t;
}

}  // namespace

int TableLayout::find(const std::string& name) const {
  for (size_t i = 0; i < schema.size(); ++i)
    if (schema[i].name == name) return static_cast<int>(i);
  return -1;
}

void validate_schema(const TableSchema& schema, const std::string& where) {
  check_input(!schema.empty(), where, ": a table needs at least one column");
  std::set<std::string> seen;
  for (const Column& c : schema) {
    check_input(!c.name.empty(), where, ": empty column name");
    check_input(c.name.find_first_of("/.") == std::string::npos, where, ": column name '", c.name,
                "' contains '/' or '.'");
    check_input(seen.insert(c.name).second, where, ": duplicate column '", c.name, "'");
  }
}

std::shared_ptr<const TableLayout> make_layout(const TableSchema& schema, std::string where) {
  auto layout = std::make_shared<TableLayout>();
  layout->where = std::move(where);
  layout->schema = schema;
  for (const Column& c : schema) {
    layout->offsets.push_back(layout->row_bytes);
    layout->string_slot.push_back(
        c.type == ColumnType::String ? static_cast<int>(layout->n_strings++) : -1);
    layout->row_bytes += mem_size(c.type);
  }
  // ~64 KiB chunks: small enough that HDF5's chunk cache (sized in
  // hdf5_table.cpp) holds the chunk being appended to, so a batch does not
  // recompress it from disk; large enough for good deflate ratios.
  layout->chunk_rows = std::max<int64_t>(64, (64 << 10) / static_cast<int64_t>(layout->row_bytes));
  layout->mem_type = compound(schema, true);
  return layout;
}

H5Id table_file_type(const TableSchema& schema) { return compound(schema, false); }

TableSchema schema_from_type(hid_t type, const std::string& where) {
  check_input(H5Tget_class(type) == H5T_COMPOUND, where,
              ": not a table (expected a dataset of compound type)");
  TableSchema schema;
  int n = H5Tget_nmembers(type);
  for (int i = 0; i < n; ++i) {
    char* raw = H5Tget_member_name(type, static_cast<unsigned>(i));
    std::string name = raw ? raw : "";
    H5free_memory(raw);
    H5Id m(H5Tget_member_type(type, static_cast<unsigned>(i)));
    H5T_class_t cls = H5Tget_class(m.get());
    size_t size = H5Tget_size(m.get());
    if (cls == H5T_INTEGER && size == 8 && H5Tget_sign(m.get()) == H5T_SGN_2)
      schema.push_back({name, ColumnType::Int64});
    else if (cls == H5T_FLOAT && (size == 8 || size == 4))
      schema.push_back({name, size == 8 ? ColumnType::Float64 : ColumnType::Float32});
    else if (cls == H5T_STRING && H5Tis_variable_str(m.get()) > 0)
      schema.push_back({name, ColumnType::String});
    else if (is_bool_enum(m.get()))
      schema.push_back({name, ColumnType::Bool});
    else
      throw UnsupportedError(str(where, ": column '", name,
                                 "' has a type traitlab tables do not use (they use int64, "
                                 "float64, float32, variable-length string, bool)"));
  }
  return schema;
}

}  // namespace h5
}  // namespace traitlab
