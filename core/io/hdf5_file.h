#pragma once
// traitlab's results files: a thin RAII layer over the HDF5 C API (HighFive
// in spirit). Include this header for the whole layer:
//
//   H5File f = H5File::create("results.h5", /*overwrite=*/false);
//   f.set_attr("status", "running");
//   H5Table t = f.require_group("runs/0").create_table("responses", schema);
//
// Errors: IoError when the OS or HDF5 refuses (unwritable directory, disk
// full), InputError for bad input (not an HDF5 file, existing file without
// overwrite, wrong attribute or column types). HDF5's own stderr printing is
// switched off; its most specific message is in the exception text.
//
// Files are written with HDF5 >= 1.8 object formats (libver bounds v18 to
// latest), readable by h5py 3 and HDF5 1.10+.
#include <string>

#include "core/io/hdf5_group.h"

namespace traitlab {

class H5File : public H5Group {
 public:
  enum class Mode { ReadOnly, ReadWrite };

  // New file; with overwrite=false an existing file is an InputError.
  static H5File create(const std::string& path, bool overwrite = false);
  // Existing file; IoError if unreadable, InputError if not HDF5 or damaged.
  static H5File open(const std::string& path, Mode mode = Mode::ReadOnly);

  H5File(H5File&&) noexcept = default;
  H5File& operator=(H5File&&) noexcept = default;
  H5File(const H5File&) = delete;
  H5File& operator=(const H5File&) = delete;
  // Releases the file; HDF5 keeps it open until groups, tables and datasets
  // obtained from it are gone too, then writes and closes it.
  ~H5File() = default;

  // Pushes HDF5's buffers for the whole file to the OS.
  void flush();
  // Releases the file early (like the destructor); the object becomes empty.
  void close();
  const std::string& filename() const { return path_; }

 private:
  H5File(H5Id file, H5Id root, std::string path);
  H5Id file_;
  std::string path_;
};

}  // namespace traitlab
