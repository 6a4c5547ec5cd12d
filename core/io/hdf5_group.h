#pragma once
// Groups: navigating, creating, listing, and the tables and arrays inside.
// Paths may be relative ("runs/0") or absolute ("/runs/0"). Members are
// listed (and iterated by h5py) in creation order for groups we create.
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/hdf5_array.h"
#include "core/io/hdf5_object.h"
#include "core/io/hdf5_table.h"

namespace traitlab {

class H5Group : public H5Object {
 public:
  // An existing group; InputError "file.h5:/a: no group 'b'" otherwise.
  H5Group group(const std::string& path) const;
  // Opens or creates the group and any missing parents.
  H5Group require_group(const std::string& path);
  bool has(const std::string& path) const;
  // Names of the direct members (groups and datasets).
  std::vector<std::string> list() const;
  // Deletes a member (the space is reused by HDF5, not returned to the OS).
  void remove(const std::string& path);

  // Tables (hdf5_table.h). create_table fails if the name exists;
  // open_table reads the schema from the file; require_table opens an
  // existing table after checking its schema equals `schema` (InputError
  // naming the first differing column), or creates it (used by --resume).
  H5Table create_table(const std::string& name, const TableSchema& schema);
  H5Table open_table(const std::string& name) const;
  H5Table require_table(const std::string& name, const TableSchema& schema);

  // Arrays (hdf5_array.h), T in {float, double, int64_t}. write_array fails
  // if the name exists (remove() it first to replace); read_array needs the
  // stored type to convert to T without loss of kind (float<->float,
  // int->int; int->float is allowed too).
  template <typename T>
  H5Dataset write_array(const std::string& name, const std::vector<int64_t>& shape, const T* data);
  template <typename T>
  H5Dataset write_array(const std::string& name, const std::vector<int64_t>& shape,
                        const std::vector<T>& data);
  template <typename T>
  NdArray<T> read_array(const std::string& name) const;
  // Any dataset, e.g. to read or set its attributes.
  H5Dataset dataset(const std::string& path) const;

 protected:
  friend class H5File;
  H5Group() = default;
  explicit H5Group(H5Id id) : H5Object(std::move(id)) {}
};

}  // namespace traitlab
