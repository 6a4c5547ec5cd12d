#pragma once
// Appendable tables: one chunked, compressed HDF5 dataset of a compound type
// (one row per element, unlimited length), so h5py returns a numpy
// structured array and pandas.DataFrame(f["responses"][:]) works. Column
// types map to h5py's own choices: int64, float64, float32, variable-length
// UTF-8 strings, and bool as h5py's int8 enum {FALSE, TRUE}. The layout is
// documented for readers in docs/hdf5-schema.md.
//
//   H5Table t = group.create_table("responses", {{"id", ColumnType::Int64},
//                                                {"text", ColumnType::String}});
//   H5Row r = t.row();
//   r.set("id", 7).set("text", "bonjour");
//   t.append(r);        // buffered; written every chunk_rows rows
//   t.flush();          // pending rows to the file, then H5Fflush
#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <type_traits>
#include <vector>

#include "core/io/hdf5_object.h"

namespace traitlab {

enum class ColumnType { Int64, Float64, Float32, String, Bool };
// "int64", "float64", "float32", "string", "bool".
const char* column_type_name(ColumnType t);

struct Column {
  std::string name;
  ColumnType type;
  bool operator==(const Column& o) const { return name == o.name && type == o.type; }
  bool operator!=(const Column& o) const { return !(*this == o); }
};
using TableSchema = std::vector<Column>;
// "id:int64, text:string" (for messages and logs).
std::string describe(const TableSchema& schema);

namespace h5 {
struct TableLayout;  // the packed in-memory row, in hdf5_detail.h
}

// One row being filled; obtained from H5Table::row(). Setting a value of the
// wrong kind throws InputError naming the table and column. Integers may go
// into float columns; nothing else converts.
class H5Row {
 public:
  H5Row& set(const std::string& column, int64_t v);
  H5Row& set(const std::string& column, double v);
  H5Row& set(const std::string& column, const std::string& v);
  H5Row& set(const std::string& column, const char* v) { return set(column, std::string(v)); }
  H5Row& set(const std::string& column, bool v);
  H5Row& set(const std::string& column, float v) { return set(column, static_cast<double>(v)); }
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                             !std::is_same_v<T, int64_t>,
                                         int> = 0>
  H5Row& set(const std::string& column, T v) {
    return set(column, static_cast<int64_t>(v));
  }

 private:
  friend class H5Table;
  explicit H5Row(std::shared_ptr<const h5::TableLayout> layout);
  // Index of `column`, after checking it exists and its type is in allowed.
  size_t expect(const std::string& column, const char* value_kind,
                std::initializer_list<ColumnType> allowed);

  std::shared_ptr<const h5::TableLayout> layout_;
  std::vector<unsigned char> bytes_;  // packed row, string slots empty
  std::vector<std::string> strings_;  // one per string column
  std::vector<bool> is_set_;
};

class H5Table : public H5Object {
 public:
  H5Table(H5Table&& other) noexcept;
  H5Table& operator=(H5Table&&) noexcept;
  H5Table(const H5Table&) = delete;
  H5Table& operator=(const H5Table&) = delete;
  // Writes pending rows; errors here can only be reported to stderr, so
  // call flush() when the rows matter.
  ~H5Table();

  const TableSchema& schema() const;
  // Rows in the file plus rows still buffered.
  int64_t size() const;

  H5Row row() const;
  // InputError when a column of the row is unset or the row belongs to
  // another table.
  void append(const H5Row& row);
  void append(const std::vector<H5Row>& rows);
  // Writes buffered rows and asks HDF5 to flush the file to disk.
  void flush();

  // Whole columns (buffered rows are written first). read_column_double
  // accepts float32/float64/int64 columns; the others need their own type.
  std::vector<int64_t> read_column_int64(const std::string& column);
  std::vector<double> read_column_double(const std::string& column);
  std::vector<std::string> read_column_string(const std::string& column);
  std::vector<bool> read_column_bool(const std::string& column);

 private:
  friend class H5Group;
  H5Table(H5Id dataset, std::shared_ptr<const h5::TableLayout> layout, int64_t rows);
  void write_pending();
  void write_pending_or_warn() noexcept;
  size_t column_for_read(const std::string& column, const char* as,
                         std::initializer_list<ColumnType> accepted) const;
  template <typename T>
  std::vector<T> read_member(size_t col, const H5Id& member_type);

  std::shared_ptr<const h5::TableLayout> layout_;
  int64_t rows_in_file_ = 0;
  int64_t pending_rows_ = 0;
  std::vector<unsigned char> pending_;        // packed rows; string slots filled at write
  std::vector<std::string> pending_strings_;  // the text behind the string slots
};

}  // namespace traitlab
