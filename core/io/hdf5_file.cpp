// Creating and opening results files, with errors that say which of "the
// OS refused", "not HDF5" and "damaged" happened.
#include "core/io/hdf5_file.h"

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <utility>

#include "core/io/hdf5_detail.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

H5Id file_access_props() {
  H5Id fapl = h5::own(H5Pcreate(H5P_FILE_ACCESS), "HDF5", "create file access properties");
  // v18+ object headers give creation-order tracking and compact attribute
  // storage; "latest" lets 1.10 use its faster index for appended datasets.
  h5::check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_V18, H5F_LIBVER_LATEST), "HDF5",
            "set format bounds");
  // Lock the file where the filesystem can, but do not fail on filesystems
  // without flock (NFS, Lustre): a frequent h5py complaint on clusters.
  h5::check(H5Pset_file_locking(fapl.get(), true, true), "HDF5", "set file locking");
  return fapl;
}

bool looks_like_hdf5(const std::string& path) {
#if H5_VERSION_GE(1, 12, 0)
  htri_t r = H5Fis_accessible(path.c_str(), H5P_DEFAULT);
#else
  htri_t r = H5Fis_hdf5(path.c_str());
#endif
  h5::take_error_message();
  return r > 0;
}

}  // namespace

H5File::H5File(H5Id file, H5Id root, std::string path)
    : H5Group(std::move(root)), file_(std::move(file)), path_(std::move(path)) {}

H5File H5File::create(const std::string& path, bool overwrite) {
  h5::silence_errors();
  std::error_code ec;
  check_input(overwrite || !std::filesystem::exists(path, ec), path,
              ": already exists (refusing to overwrite it)");
  H5Id fcpl = h5::own(H5Pcreate(H5P_FILE_CREATE), path, "create file properties");
  h5::check(H5Pset_link_creation_order(fcpl.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED),
            path, "track creation order");
  H5Id fapl = file_access_props();
  unsigned flags = overwrite ? H5F_ACC_TRUNC : H5F_ACC_EXCL;
  H5Id file = h5::own(H5Fcreate(path.c_str(), flags, fcpl.get(), fapl.get()), path,
                      "cannot create HDF5 file");
  H5Id root = h5::own(H5Gopen2(file.get(), "/", H5P_DEFAULT), path, "open root group");
  return H5File(std::move(file), std::move(root), path);
}

H5File H5File::open(const std::string& path, Mode mode) {
  h5::silence_errors();
  {
    // The OS's reason (missing, permission denied) is clearer than HDF5's.
    std::ifstream probe(path, std::ios::binary);
    if (!probe) throw IoError(str(path, ": cannot open: ", std::strerror(errno)));
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec))
      throw IoError(str(path, ": cannot open: is a directory"));
  }
  unsigned flags = mode == Mode::ReadWrite ? H5F_ACC_RDWR : H5F_ACC_RDONLY;
  H5Id fapl = file_access_props();
  hid_t id = H5Fopen(path.c_str(), flags, fapl.get());
  if (id < 0) {
    std::string msg = h5::take_error_message();
    check_input(looks_like_hdf5(path), path, ": not an HDF5 file");
    // The OS refused (no write permission, locked by another writer).
    std::string os = h5::os_reason(msg);
    if (!os.empty()) throw IoError(str(path, ": cannot open HDF5 file: ", os));
    // An HDF5 signature but unreadable structure: typically a writer that
    // was killed mid-write (see REFERENCE.md, "Crash safety with HDF5").
    throw InputError(str(path, ": cannot open HDF5 file (damaged?): ", msg));
  }
  H5Id file(id);
  H5Id root = h5::own(H5Gopen2(file.get(), "/", H5P_DEFAULT), path, "open root group");
  return H5File(std::move(file), std::move(root), path);
}

void H5File::flush() { h5::check(H5Fflush(file_.get(), H5F_SCOPE_GLOBAL), path_, "flush"); }

void H5File::close() {
  id_.reset();
  file_.reset();
}

}  // namespace traitlab
