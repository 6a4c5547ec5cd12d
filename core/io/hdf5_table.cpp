// Appendable tables (see hdf5_table.h): rows are packed into a buffer and
// written one hyperslab per chunk's worth of rows, so appending costs one
// H5Dset_extent + H5Dwrite per ~64 KiB rather than per row.
#include "core/io/hdf5_table.h"

#include <cstring>
#include <iostream>
#include <string>
#include <utility>
#include <vector>

#include "core/io/hdf5_detail.h"
#include "core/io/hdf5_group.h"
#include "core/util/error.h"

namespace traitlab {

// ---- H5Row -----------------------------------------------------------------

H5Row::H5Row(std::shared_ptr<const h5::TableLayout> layout)
    : layout_(std::move(layout)),
      bytes_(layout_->row_bytes, 0),
      strings_(layout_->n_strings),
      is_set_(layout_->schema.size(), false) {}

size_t H5Row::expect(const std::string& column, const char* value_kind,
                     std::initializer_list<ColumnType> allowed) {
  int i = layout_->find(column);
  // Not check_input: its arguments (describe()) would be built on every call.
  if (i < 0)
    throw InputError(str(layout_->where, ": no column '", column,
                         "' (columns: ", describe(layout_->schema), ")"));
  ColumnType t = layout_->schema[i].type;
  bool ok = false;
  for (ColumnType a : allowed) ok = ok || a == t;
  check_input(ok, layout_->where, ": column '", column, "' is ", column_type_name(t),
              ", cannot store ", value_kind, " in it");
  return static_cast<size_t>(i);
}

H5Row& H5Row::set(const std::string& column, int64_t v) {
  size_t i =
      expect(column, "an integer", {ColumnType::Int64, ColumnType::Float64, ColumnType::Float32});
  unsigned char* p = bytes_.data() + layout_->offsets[i];
  switch (layout_->schema[i].type) {
    case ColumnType::Float64: {
      double d = static_cast<double>(v);
      std::memcpy(p, &d, sizeof d);
      break;
    }
    case ColumnType::Float32: {
      float f = static_cast<float>(v);
      std::memcpy(p, &f, sizeof f);
      break;
    }
    default:
      std::memcpy(p, &v, sizeof v);
  }
  is_set_[i] = true;
  return *this;
}

H5Row& H5Row::set(const std::string& column, double v) {
  size_t i = expect(column, "a floating-point value", {ColumnType::Float64, ColumnType::Float32});
  unsigned char* p = bytes_.data() + layout_->offsets[i];
  if (layout_->schema[i].type == ColumnType::Float32) {
    float f = static_cast<float>(v);
    std::memcpy(p, &f, sizeof f);
  } else {
    std::memcpy(p, &v, sizeof v);
  }
  is_set_[i] = true;
  return *this;
}

H5Row& H5Row::set(const std::string& column, const std::string& v) {
  size_t i = expect(column, "a string", {ColumnType::String});
  // HDF5 strings end at the first NUL; refuse rather than truncate silently.
  check_input(v.find('\0') == std::string::npos, layout_->where, ": column '", column,
              "': string contains a NUL byte");
  strings_[layout_->string_slot[i]] = v;
  is_set_[i] = true;
  return *this;
}

H5Row& H5Row::set(const std::string& column, bool v) {
  size_t i = expect(column, "a bool", {ColumnType::Bool});
  bytes_[layout_->offsets[i]] = v ? 1 : 0;
  is_set_[i] = true;
  return *this;
}

// ---- H5Table ---------------------------------------------------------------

H5Table::H5Table(H5Id dataset, std::shared_ptr<const h5::TableLayout> layout, int64_t rows)
    : H5Object(std::move(dataset)), layout_(std::move(layout)), rows_in_file_(rows) {}

H5Table::H5Table(H5Table&& o) noexcept
    : H5Object(std::move(o.id_)),
      layout_(std::move(o.layout_)),
      rows_in_file_(o.rows_in_file_),
      pending_rows_(std::exchange(o.pending_rows_, 0)),
      pending_(std::move(o.pending_)),
      pending_strings_(std::move(o.pending_strings_)) {}

H5Table& H5Table::operator=(H5Table&& o) noexcept {
  if (this != &o) {
    write_pending_or_warn();
    id_ = std::move(o.id_);
    layout_ = std::move(o.layout_);
    rows_in_file_ = o.rows_in_file_;
    pending_rows_ = std::exchange(o.pending_rows_, 0);
    pending_ = std::move(o.pending_);
    pending_strings_ = std::move(o.pending_strings_);
  }
  return *this;
}

H5Table::~H5Table() { write_pending_or_warn(); }

void H5Table::write_pending_or_warn() noexcept {
  try {
    write_pending();
  } catch (const std::exception& e) {
    // No way to throw from here; say loudly that rows were lost.
    std::cerr << "traitlab: " << e.what() << " (" << pending_rows_ << " rows not written)\n";
  }
}

const TableSchema& H5Table::schema() const { return layout_->schema; }
int64_t H5Table::size() const { return rows_in_file_ + pending_rows_; }
H5Row H5Table::row() const { return H5Row(layout_); }

void H5Table::append(const H5Row& row) {
  check_input(row.layout_ == layout_, layout_->where, ": row was made by another table");
  for (size_t i = 0; i < row.is_set_.size(); ++i)
    check_input(row.is_set_[i], layout_->where, ": row has no value for column '",
                layout_->schema[i].name, "'");
  pending_.insert(pending_.end(), row.bytes_.begin(), row.bytes_.end());
  pending_strings_.insert(pending_strings_.end(), row.strings_.begin(), row.strings_.end());
  if (++pending_rows_ >= layout_->chunk_rows) write_pending();
}

void H5Table::append(const std::vector<H5Row>& rows) {
  for (const H5Row& r : rows) append(r);
}

void H5Table::write_pending() {
  if (pending_rows_ == 0 || !id_.valid()) return;
  const h5::TableLayout& L = *layout_;
  // Point the string slots at the owned text now that no more rows will be
  // added (earlier, vector growth could have moved it).
  for (int64_t r = 0; r < pending_rows_; ++r)
    for (size_t c = 0; c < L.schema.size(); ++c)
      if (L.string_slot[c] >= 0) {
        const char* p = pending_strings_[r * L.n_strings + L.string_slot[c]].c_str();
        std::memcpy(pending_.data() + r * L.row_bytes + L.offsets[c], &p, sizeof p);
      }
  std::string what = str("append ", pending_rows_, " rows");
  hsize_t start = static_cast<hsize_t>(rows_in_file_), count = static_cast<hsize_t>(pending_rows_);
  hsize_t new_size = start + count;
  h5::check(H5Dset_extent(id(), &new_size), L.where, what);
  H5Id file_space = h5::own(H5Dget_space(id()), L.where, what);
  h5::check(H5Sselect_hyperslab(file_space.get(), H5S_SELECT_SET, &start, nullptr, &count, nullptr),
            L.where, what);
  H5Id mem_space = h5::own(H5Screate_simple(1, &count, nullptr), L.where, what);
  h5::check(H5Dwrite(id(), L.mem_type.get(), mem_space.get(), file_space.get(), H5P_DEFAULT,
                     pending_.data()),
            L.where, what);
  rows_in_file_ += pending_rows_;
  pending_rows_ = 0;
  pending_.clear();
  pending_strings_.clear();
}

void H5Table::flush() {
  write_pending();
  h5::check(H5Fflush(id(), H5F_SCOPE_LOCAL), layout_->where, "flush");
}

size_t H5Table::column_for_read(const std::string& column, const char* as,
                                std::initializer_list<ColumnType> accepted) const {
  int i = layout_->find(column);
  // Not check_input: its arguments (describe()) would be built on every call.
  if (i < 0)
    throw InputError(str(layout_->where, ": no column '", column,
                         "' (columns: ", describe(layout_->schema), ")"));
  bool ok = false;
  for (ColumnType a : accepted) ok = ok || a == layout_->schema[i].type;
  check_input(ok, layout_->where, ": column '", column, "' is ",
              column_type_name(layout_->schema[i].type), ", cannot read it as ", as);
  return static_cast<size_t>(i);
}

template <typename T>
std::vector<T> H5Table::read_member(size_t col, const H5Id& member_type) {
  write_pending();
  std::vector<T> out(static_cast<size_t>(rows_in_file_));
  if (out.empty()) return out;
  const std::string& name = layout_->schema[col].name;
  std::string what = "read column '" + name + "'";
  // A one-member compound: HDF5 picks that field out by name.
  H5Id mem = h5::own(H5Tcreate(H5T_COMPOUND, sizeof(T)), layout_->where, what);
  h5::check(H5Tinsert(mem.get(), name.c_str(), 0, member_type.get()), layout_->where, what);
  h5::check(H5Dread(id(), mem.get(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data()), layout_->where,
            what);
  return out;
}

std::vector<int64_t> H5Table::read_column_int64(const std::string& column) {
  size_t c = column_for_read(column, "int64", {ColumnType::Int64});
  return read_member<int64_t>(c, H5Id(H5Tcopy(H5T_NATIVE_INT64)));
}

std::vector<double> H5Table::read_column_double(const std::string& column) {
  size_t c = column_for_read(column, "double",
                             {ColumnType::Float64, ColumnType::Float32, ColumnType::Int64});
  return read_member<double>(c, H5Id(H5Tcopy(H5T_NATIVE_DOUBLE)));
}

std::vector<bool> H5Table::read_column_bool(const std::string& column) {
  size_t c = column_for_read(column, "bool", {ColumnType::Bool});
  std::vector<int8_t> raw = read_member<int8_t>(c, h5::bool_enum_type());
  return std::vector<bool>(raw.begin(), raw.end());
}

std::vector<std::string> H5Table::read_column_string(const std::string& column) {
  size_t c = column_for_read(column, "string", {ColumnType::String});
  H5Id type = h5::vlen_utf8_type();
  std::vector<char*> raw = read_member<char*>(c, type);
  std::vector<std::string> out;
  out.reserve(raw.size());
  for (char* p : raw) {
    out.emplace_back(p ? p : "");  // rows never written read as NULL
    H5free_memory(p);
  }
  return out;
}

}  // namespace traitlab
