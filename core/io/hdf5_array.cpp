// n-d numeric datasets: H5Group::write_array / read_array and H5Dataset.
#include "core/io/hdf5_array.h"

#include <limits>
#include <string>
#include <vector>

#include "core/io/hdf5_detail.h"
#include "core/io/hdf5_group.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

template <typename T>
struct ArrayTypes;
template <>
struct ArrayTypes<float> {
  static hid_t file() { return H5T_IEEE_F32LE; }
  static hid_t mem() { return H5T_NATIVE_FLOAT; }
  static constexpr bool is_float = true;
};
template <>
struct ArrayTypes<double> {
  static hid_t file() { return H5T_IEEE_F64LE; }
  static hid_t mem() { return H5T_NATIVE_DOUBLE; }
  static constexpr bool is_float = true;
};
template <>
struct ArrayTypes<int64_t> {
  static hid_t file() { return H5T_STD_I64LE; }
  static hid_t mem() { return H5T_NATIVE_INT64; }
  static constexpr bool is_float = false;
};

H5Id make_space(const std::vector<int64_t>& shape) {
  if (shape.empty()) return h5::own(H5Screate(H5S_SCALAR), "HDF5", "create dataspace");
  std::vector<hsize_t> dims(shape.begin(), shape.end());
  return h5::own(H5Screate_simple(static_cast<int>(dims.size()), dims.data(), nullptr), "HDF5",
                 "create dataspace");
}

std::vector<int64_t> space_shape(hid_t space) {
  int rank = H5Sget_simple_extent_ndims(space);
  std::vector<hsize_t> dims(rank > 0 ? rank : 0);
  if (rank > 0) H5Sget_simple_extent_dims(space, dims.data(), nullptr);
  return std::vector<int64_t>(dims.begin(), dims.end());
}

}  // namespace

int64_t shape_numel(const std::vector<int64_t>& shape, const std::string& where) {
  int64_t n = 1;
  for (int64_t d : shape) {
    check_input(d >= 0, where, ": negative dimension ", d, " in shape");
    check_input(d == 0 || n <= std::numeric_limits<int64_t>::max() / d, where,
                ": shape is too large");
    n *= d;
  }
  return n;
}

std::vector<int64_t> H5Dataset::shape() const {
  H5Id space = h5::own(H5Dget_space(id()), where(), "read shape");
  return space_shape(space.get());
}

std::string H5Dataset::dtype() const {
  H5Id type = h5::own(H5Dget_type(id()), where(), "read type");
  size_t bits = 8 * H5Tget_size(type.get());
  switch (H5Tget_class(type.get())) {
    case H5T_INTEGER:
      return str(H5Tget_sign(type.get()) == H5T_SGN_NONE ? "uint" : "int", bits);
    case H5T_FLOAT:
      return str("float", bits);
    case H5T_STRING:
      return "string";
    case H5T_COMPOUND:
      return "compound";
    case H5T_ENUM:
      return h5::is_bool_enum(type.get()) ? "bool" : "enum";
    default:
      return "other";
  }
}

template <typename T>
H5Dataset H5Group::write_array(const std::string& name, const std::vector<int64_t>& shape,
                               const T* data) {
  std::string what = "write array '" + name + "'";
  shape_numel(shape, where() + " array '" + name + "'");
  check_input(!has(name), where(), ": '", name, "' already exists");
  H5Id space = make_space(shape);
  H5Id lcpl = h5::intermediate_lcpl();
  H5Id ds = h5::own(H5Dcreate2(id(), name.c_str(), ArrayTypes<T>::file(), space.get(), lcpl.get(),
                               H5P_DEFAULT, H5P_DEFAULT),
                    where(), what);
  if (shape_numel(shape, name) > 0)
    h5::check(H5Dwrite(ds.get(), ArrayTypes<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, data),
              where(), what);
  return H5Dataset(std::move(ds));
}

template <typename T>
H5Dataset H5Group::write_array(const std::string& name, const std::vector<int64_t>& shape,
                               const std::vector<T>& data) {
  int64_t n = shape_numel(shape, where() + " array '" + name + "'");
  check_input(n == static_cast<int64_t>(data.size()), where(), ": array '", name, "': shape has ",
              n, " elements but ", data.size(), " values were given");
  return write_array(name, shape, data.data());
}

template <typename T>
NdArray<T> H5Group::read_array(const std::string& name) const {
  H5Dataset ds = dataset(name);
  H5Id type = h5::own(H5Dget_type(ds.id()), ds.where(), "read type");
  H5T_class_t cls = H5Tget_class(type.get());
  bool ok = cls == H5T_INTEGER || (ArrayTypes<T>::is_float && cls == H5T_FLOAT);
  check_input(ok, ds.where(), ": cannot read ", ds.dtype(), " data as ",
              ArrayTypes<T>::is_float ? "floating point" : "int64");
  NdArray<T> out;
  out.shape = ds.shape();
  out.data.resize(static_cast<size_t>(shape_numel(out.shape, ds.where())));
  if (!out.data.empty())
    h5::check(
        H5Dread(ds.id(), ArrayTypes<T>::mem(), H5S_ALL, H5S_ALL, H5P_DEFAULT, out.data.data()),
        ds.where(), "read array");
  return out;
}

#define TRAITLAB_ARRAY_TYPE(T)                                                                \
  template H5Dataset H5Group::write_array<T>(const std::string&, const std::vector<int64_t>&, \
                                             const T*);                                       \
  template H5Dataset H5Group::write_array<T>(const std::string&, const std::vector<int64_t>&, \
                                             const std::vector<T>&);                          \
  template NdArray<T> H5Group::read_array<T>(const std::string&) const;
TRAITLAB_ARRAY_TYPE(float)
TRAITLAB_ARRAY_TYPE(double)
TRAITLAB_ARRAY_TYPE(int64_t)
#undef TRAITLAB_ARRAY_TYPE

}  // namespace traitlab
