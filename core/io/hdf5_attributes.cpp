// Attributes on files, groups and datasets (H5Object members). See
// hdf5_object.h for the on-disk types; readers accept what h5py writes.
#include <cstring>
#include <string>
#include <vector>

#include "core/io/hdf5_detail.h"
#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {

namespace {

std::string type_name(hid_t type) {
  switch (H5Tget_class(type)) {
    case H5T_INTEGER:
      return "integer";
    case H5T_FLOAT:
      return "float";
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return "enum";
    case H5T_ARRAY:
      return "array";
    case H5T_VLEN:
      return "variable-length sequence";
    default:
      return "other";
  }
}

// An opened attribute with its file type and number of elements.
struct OpenAttr {
  H5Id attr, type, space;
  hssize_t n = 0;
  int rank = 0;
};

OpenAttr open_attr(const H5Object& obj, const std::string& name) {
  check_input(obj.has_attr(name), obj.where(), ": no attribute '", name, "'");
  OpenAttr a;
  std::string what = "open attribute '" + name + "'";
  a.attr = h5::own(H5Aopen(obj.id(), name.c_str(), H5P_DEFAULT), obj.where(), what);
  a.type = h5::own(H5Aget_type(a.attr.get()), obj.where(), what);
  a.space = h5::own(H5Aget_space(a.attr.get()), obj.where(), what);
  a.n = H5Sget_simple_extent_npoints(a.space.get());
  a.rank = H5Sget_simple_extent_ndims(a.space.get());
  return a;
}

[[noreturn]] void wrong_type(const H5Object& obj, const std::string& name, const char* expected,
                             const OpenAttr& a) {
  throw InputError(str(obj.where(), ": attribute '", name, "': expected ", expected, ", got ",
                       type_name(a.type.get()), a.rank > 0 ? " array" : ""));
}

// Deletes an existing attribute so set_attr can replace it with any type.
void write_attr(H5Object& obj, const std::string& name, hid_t file_type, hid_t mem_type,
                hid_t space, const void* data) {
  if (obj.has_attr(name)) obj.delete_attr(name);
  std::string what = "write attribute '" + name + "'";
  H5Id attr =
      h5::own(H5Acreate2(obj.id(), name.c_str(), file_type, space, H5P_DEFAULT, H5P_DEFAULT),
              obj.where(), what);
  // An empty vector may have no buffer at all, and there is nothing to write.
  if (H5Sget_simple_extent_npoints(space) > 0)
    h5::check(H5Awrite(attr.get(), mem_type, data), obj.where(), what);
}

H5Id scalar_space() { return h5::own(H5Screate(H5S_SCALAR), "HDF5", "create scalar dataspace"); }

H5Id vector_space(size_t n) {
  hsize_t dims[1] = {n};
  return h5::own(H5Screate_simple(1, dims, nullptr), "HDF5", "create dataspace");
}

template <typename T>
std::vector<T> read_numbers(const H5Object& obj, const std::string& name, hid_t mem_type,
                            bool accept_float, const char* expected, bool scalar) {
  OpenAttr a = open_attr(obj, name);
  H5T_class_t cls = H5Tget_class(a.type.get());
  bool ok = cls == H5T_INTEGER || (accept_float && cls == H5T_FLOAT);
  if (!ok || a.rank > 1 || (scalar && a.n != 1)) wrong_type(obj, name, expected, a);
  std::vector<T> out(static_cast<size_t>(a.n));
  if (!out.empty())
    h5::check(H5Aread(a.attr.get(), mem_type, out.data()), obj.where(),
              "read attribute '" + name + "'");
  return out;
}

}  // namespace

bool H5Object::has_attr(const std::string& name) const {
  htri_t e = H5Aexists(id(), name.c_str());
  if (e < 0) h5::fail(where(), "check attribute '" + name + "'");
  return e > 0;
}

std::vector<std::string> H5Object::attr_names() const {
  std::vector<std::string> names;
  auto collect = [](hid_t, const char* n, const H5A_info_t*, void* out) -> herr_t {
    static_cast<std::vector<std::string>*>(out)->push_back(n);
    return 0;
  };
  h5::check(H5Aiterate2(id(), H5_INDEX_NAME, H5_ITER_INC, nullptr, collect, &names), where(),
            "list attributes");
  return names;
}

void H5Object::delete_attr(const std::string& name) {
  h5::check(H5Adelete(id(), name.c_str()), where(), "delete attribute '" + name + "'");
}

void H5Object::set_attr(const std::string& name, const std::string& value) {
  H5Id type = h5::vlen_utf8_type();
  const char* p = value.c_str();
  write_attr(*this, name, type.get(), type.get(), scalar_space().get(), &p);
}

void H5Object::set_attr(const std::string& name, int64_t value) {
  write_attr(*this, name, H5T_STD_I64LE, H5T_NATIVE_INT64, scalar_space().get(), &value);
}

void H5Object::set_attr(const std::string& name, double value) {
  write_attr(*this, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, scalar_space().get(), &value);
}

void H5Object::set_attr(const std::string& name, const std::vector<int64_t>& value) {
  write_attr(*this, name, H5T_STD_I64LE, H5T_NATIVE_INT64, vector_space(value.size()).get(),
             value.data());
}

void H5Object::set_attr(const std::string& name, const std::vector<double>& value) {
  write_attr(*this, name, H5T_IEEE_F64LE, H5T_NATIVE_DOUBLE, vector_space(value.size()).get(),
             value.data());
}

void H5Object::set_attr_json(const std::string& name, const nlohmann::json& j) {
  // Invalid UTF-8 in a string (a file name from another locale) becomes
  // U+FFFD rather than an exception.
  set_attr(name, j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string H5Object::attr_string(const std::string& name) const {
  OpenAttr a = open_attr(*this, name);
  if (H5Tget_class(a.type.get()) != H5T_STRING || a.n != 1) wrong_type(*this, name, "a string", a);
  std::string what = "read attribute '" + name + "'";
  H5Id mem = h5::own(H5Tcopy(a.type.get()), where(), what);
  if (H5Tis_variable_str(a.type.get()) > 0) {
    char* p = nullptr;
    h5::check(H5Aread(a.attr.get(), mem.get(), &p), where(), what);
    std::string s = p ? p : "";
    H5Dvlen_reclaim(mem.get(), a.space.get(), H5P_DEFAULT, &p);
    return s;
  }
  // Fixed-length (numpy bytes_): padded with NULs or spaces.
  std::string s(H5Tget_size(a.type.get()), '\0');
  h5::check(H5Aread(a.attr.get(), mem.get(), s.data()), where(), what);
  char pad = H5Tget_strpad(a.type.get()) == H5T_STR_SPACEPAD ? ' ' : '\0';
  size_t end = s.find_last_not_of(pad);
  s.resize(end == std::string::npos ? 0 : end + 1);
  if (pad == '\0') s.resize(std::strlen(s.c_str()));
  return s;
}

int64_t H5Object::attr_int64(const std::string& name) const {
  return read_numbers<int64_t>(*this, name, H5T_NATIVE_INT64, false, "an integer", true)[0];
}

double H5Object::attr_double(const std::string& name) const {
  return read_numbers<double>(*this, name, H5T_NATIVE_DOUBLE, true, "a number", true)[0];
}

std::vector<int64_t> H5Object::attr_int64s(const std::string& name) const {
  return read_numbers<int64_t>(*this, name, H5T_NATIVE_INT64, false, "integers", false);
}

std::vector<double> H5Object::attr_doubles(const std::string& name) const {
  return read_numbers<double>(*this, name, H5T_NATIVE_DOUBLE, true, "numbers", false);
}

nlohmann::json H5Object::attr_json(const std::string& name) const {
  return parse_json(attr_string(name), where() + " attribute '" + name + "'");
}

}  // namespace traitlab
