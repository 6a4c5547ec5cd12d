// H5Id reference counting, object naming and the small shared HDF5 helpers
// declared in hdf5_detail.h.
#include "core/io/hdf5_object.h"

#include <string>

#include "core/io/hdf5_detail.h"

namespace traitlab {

H5Id::H5Id(const H5Id& other) : id_(other.id_) {
  if (id_ >= 0) H5Iinc_ref(id_);
}

H5Id::~H5Id() { reset(); }

void H5Id::reset() {
  // Closing may fail only for a stale id; nothing useful to report from a
  // destructor, and the error stack must not leak into the next message.
  if (id_ >= 0 && H5Idec_ref(id_) < 0) H5Eclear2(H5E_DEFAULT);
  id_ = -1;
}

namespace {
std::string name_of(hid_t id, ssize_t (*get)(hid_t, char*, size_t)) {
  if (id < 0) return "?";
  ssize_t n = get(id, nullptr, 0);
  if (n < 0) {
    H5Eclear2(H5E_DEFAULT);
    return "?";
  }
  std::string s(static_cast<size_t>(n) + 1, '\0');
  get(id, s.data(), s.size());
  s.resize(static_cast<size_t>(n));
  return s;
}
}  // namespace

std::string H5Object::path() const { return name_of(id_.get(), H5Iget_name); }
std::string H5Object::file_name() const { return name_of(id_.get(), H5Fget_name); }
std::string H5Object::where() const { return file_name() + ":" + path(); }

namespace h5 {

H5Id vlen_utf8_type() {
  H5Id t = own(H5Tcopy(H5T_C_S1), "HDF5", "copy string type");
  check(H5Tset_size(t.get(), H5T_VARIABLE), "HDF5", "make variable-length string type");
  check(H5Tset_cset(t.get(), H5T_CSET_UTF8), "HDF5", "set UTF-8 character set");
  return t;
}

H5Id bool_enum_type() {
  H5Id t = own(H5Tenum_create(H5T_NATIVE_INT8), "HDF5", "create bool enum type");
  int8_t f = 0, tr = 1;
  check(H5Tenum_insert(t.get(), "FALSE", &f), "HDF5", "insert FALSE");
  check(H5Tenum_insert(t.get(), "TRUE", &tr), "HDF5", "insert TRUE");
  return t;
}

bool is_bool_enum(hid_t type) {
  if (H5Tget_class(type) != H5T_ENUM || H5Tget_size(type) != 1 || H5Tget_nmembers(type) != 2)
    return false;
  for (unsigned i = 0; i < 2; ++i) {
    char* name = H5Tget_member_name(type, i);
    int8_t value = -1;
    H5Tget_member_value(type, i, &value);
    bool ok =
        name && std::string(name) == (value == 0 ? "FALSE" : "TRUE") && (value == 0 || value == 1);
    H5free_memory(name);
    if (!ok) return false;
  }
  return true;
}

H5Id intermediate_lcpl() {
  H5Id p = own(H5Pcreate(H5P_LINK_CREATE), "HDF5", "create link properties");
  check(H5Pset_create_intermediate_group(p.get(), 1), "HDF5", "set intermediate groups");
  return p;
}

H5Id ordered_gcpl() {
  H5Id p = own(H5Pcreate(H5P_GROUP_CREATE), "HDF5", "create group properties");
  check(H5Pset_link_creation_order(p.get(), H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED), "HDF5",
        "track link creation order");
  return p;
}

bool path_exists(hid_t loc, const std::string& path) {
  if (path.empty() || path == "/" || path == ".") return true;
  std::string prefix = path[0] == '/' ? "/" : "";
  size_t pos = prefix.size();
  while (pos <= path.size()) {
    size_t next = path.find('/', pos);
    if (next == std::string::npos) next = path.size();
    if (next > pos) {
      prefix += path.substr(pos, next - pos);
      htri_t e = H5Lexists(loc, prefix.c_str(), H5P_DEFAULT);
      if (e <= 0) {
        H5Eclear2(H5E_DEFAULT);
        return false;
      }
      // A dataset in the middle of the path cannot contain further links.
      if (next < path.size()) {
        // (H5Iget_type on the opened object is portable across 1.10-1.14,
        // unlike the H5Oget_info variants.)
        hid_t obj = H5Oopen(loc, prefix.c_str(), H5P_DEFAULT);
        bool is_group = obj >= 0 && H5Iget_type(obj) == H5I_GROUP;
        if (obj >= 0) H5Oclose(obj);
        if (!is_group) {
          H5Eclear2(H5E_DEFAULT);
          return false;
        }
      }
      prefix += '/';
    }
    pos = next + 1;
  }
  return true;
}

}  // namespace h5
}  // namespace traitlab
