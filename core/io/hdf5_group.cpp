// Group navigation: opening, creating (with creation-order tracking, so
// members list in the order they were written), listing and removing.
#include "core/io/hdf5_group.h"

#include <string>
#include <vector>

#include "core/io/hdf5_detail.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

H5I_type_t object_kind(hid_t loc, const std::string& path) {
  hid_t obj = H5Oopen(loc, path.c_str(), H5P_DEFAULT);
  if (obj < 0) {
    h5::take_error_message();
    return H5I_BADID;
  }
  H5I_type_t t = H5Iget_type(obj);
  H5Oclose(obj);
  return t;
}

}  // namespace

H5Group H5Group::group(const std::string& path) const {
  check_input(h5::path_exists(id(), path), where(), ": no group '", path, "'");
  check_input(object_kind(id(), path) == H5I_GROUP, where(), ": '", path,
              "' is a dataset, not a group");
  return H5Group(
      h5::own(H5Gopen2(id(), path.c_str(), H5P_DEFAULT), where(), "open group '" + path + "'"));
}

H5Group H5Group::require_group(const std::string& path) {
  // Create one component at a time (rather than HDF5's "create
  // intermediate groups") so every level tracks creation order.
  H5Group current = *this;
  size_t pos = 0;
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    std::string part = path.substr(pos, next - pos);
    pos = next + 1;
    if (part.empty() || part == ".") {
      if (next == 0) current = group("/");  // absolute path
      continue;
    }
    if (h5::path_exists(current.id(), part)) {
      current = current.group(part);
      continue;
    }
    H5Id gcpl = h5::ordered_gcpl();
    current = H5Group(
        h5::own(H5Gcreate2(current.id(), part.c_str(), H5P_DEFAULT, gcpl.get(), H5P_DEFAULT),
                current.where(), "create group '" + part + "'"));
  }
  return current;
}

bool H5Group::has(const std::string& path) const { return h5::path_exists(id(), path); }

std::vector<std::string> H5Group::list() const {
  H5G_info_t info;
  h5::check(H5Gget_info(id(), &info), where(), "list members");
  // Creation order when the group tracks it (ours do), else by name.
  H5_index_t index = H5_INDEX_CRT_ORDER;
  if (H5Lget_name_by_idx(id(), ".", index, H5_ITER_INC, 0, nullptr, 0, H5P_DEFAULT) < 0) {
    h5::take_error_message();
    index = H5_INDEX_NAME;
  }
  std::vector<std::string> names;
  for (hsize_t i = 0; i < info.nlinks; ++i) {
    ssize_t n = H5Lget_name_by_idx(id(), ".", index, H5_ITER_INC, i, nullptr, 0, H5P_DEFAULT);
    if (n < 0) h5::fail(where(), "list members");
    std::string name(static_cast<size_t>(n) + 1, '\0');
    H5Lget_name_by_idx(id(), ".", index, H5_ITER_INC, i, name.data(), name.size(), H5P_DEFAULT);
    name.resize(static_cast<size_t>(n));
    names.push_back(std::move(name));
  }
  return names;
}

void H5Group::remove(const std::string& path) {
  check_input(has(path), where(), ": no member '", path, "' to remove");
  h5::check(H5Ldelete(id(), path.c_str(), H5P_DEFAULT), where(), "remove '" + path + "'");
}

H5Dataset H5Group::dataset(const std::string& path) const {
  check_input(has(path), where(), ": no dataset '", path, "'");
  check_input(object_kind(id(), path) == H5I_DATASET, where(), ": '", path,
              "' is a group, not a dataset");
  return H5Dataset(
      h5::own(H5Dopen2(id(), path.c_str(), H5P_DEFAULT), where(), "open dataset '" + path + "'"));
}

}  // namespace traitlab
