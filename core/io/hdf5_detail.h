#pragma once
// Internal to core/io/hdf5_*.cpp: the only header that includes <hdf5.h>.
// Public hdf5_*.h headers hold identifiers as int64_t so the rest of
// traitlab compiles without the HDF5 include directories.
#include <hdf5.h>

#include <cstdint>
#include <string>
#include <type_traits>

#include "core/io/hdf5_object.h"

static_assert(std::is_same<hid_t, int64_t>::value,
              "traitlab's HDF5 layer stores hid_t as int64_t (HDF5 >= 1.10)");

namespace traitlab::h5 {

// Silences HDF5's automatic printing of its error stack to stderr (the text
// is kept and put into our exceptions instead). Cheap; called before every
// file open because the setting is per thread in thread-safe builds.
void silence_errors();

// The innermost message of HDF5's current error stack (the most specific
// one, e.g. "... errno = 2, error message = 'No such file or directory'"),
// then clears the stack. Empty when the stack is empty.
std::string take_error_message();

// HDF5 wraps OS failures as "..., errno = 13, error message = 'Permission
// denied', ..."; returns "Permission denied" (with what failed, e.g.
// "unable to lock file: Resource temporarily unavailable"), or "" if msg
// holds no OS error.
std::string os_reason(const std::string& msg);

// Throws IoError("<where>: <what>: <HDF5 message>").
[[noreturn]] void fail(const std::string& where, const std::string& what);

// Returns id, or throws via fail() when it is negative.
hid_t check_id(hid_t id, const std::string& where, const std::string& what);
// Throws via fail() when status is negative.
void check(herr_t status, const std::string& where, const std::string& what);

// Takes ownership of a fresh identifier (checked as above).
inline H5Id own(hid_t id, const std::string& where, const std::string& what) {
  return H5Id(check_id(id, where, what));
}

// A variable-length UTF-8 string type (what h5py reads as str).
H5Id vlen_utf8_type();
// h5py's representation of numpy bool: an int8 enum {FALSE = 0, TRUE = 1}.
H5Id bool_enum_type();
// True when type is an enum of a 1-byte integer with exactly the members
// FALSE = 0 and TRUE = 1 (as written by h5py and by us).
bool is_bool_enum(hid_t type);

// Link creation properties that create missing intermediate groups.
H5Id intermediate_lcpl();
// Group creation properties that track link creation order, so list() and
// h5py iterate members in the order they were written.
H5Id ordered_gcpl();

// Does `path` (relative to loc, may contain '/') name an existing link?
// Unlike H5Lexists, intermediate components may be missing.
bool path_exists(hid_t loc, const std::string& path);

}  // namespace traitlab::h5

#include <memory>

#include "core/io/hdf5_table.h"

namespace traitlab::h5 {

// How one table row is packed in memory (and the matching HDF5 memory type):
// columns back to back in schema order, strings as char* slots that are
// filled just before writing. Shared by H5Table and its H5Rows.
struct TableLayout {
  std::string where;  // "file.h5:/path/table", for messages
  TableSchema schema;
  std::vector<size_t> offsets;   // byte offset of each column in a row
  std::vector<int> string_slot;  // index among the string columns, or -1
  size_t row_bytes = 0;
  size_t n_strings = 0;
  int64_t chunk_rows = 0;  // rows per chunk, also the write batch
  H5Id mem_type;

  // Column index, or -1.
  int find(const std::string& name) const;
};

// InputError unless the schema has >= 1 column with unique, non-empty names
// free of '/' and '.' (which would confuse h5py field access).
void validate_schema(const TableSchema& schema, const std::string& where);
std::shared_ptr<const TableLayout> make_layout(const TableSchema& schema, std::string where);
// The little-endian packed compound type stored in the file.
H5Id table_file_type(const TableSchema& schema);
// Reads a schema back from a dataset's compound type; InputError for a
// non-compound type, UnsupportedError naming a column of another type.
TableSchema schema_from_type(hid_t type, const std::string& where);

}  // namespace traitlab::h5
