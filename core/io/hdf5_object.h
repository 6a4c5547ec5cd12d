#pragma once
// Base pieces of traitlab's HDF5 layer: an owning identifier and an object
// (file root, group, table or array) that carries attributes.
//
// Attributes are written so h5py reads them natively: strings as scalar
// variable-length UTF-8 (h5py gives str), int64/double as scalars, vectors as
// 1-D datasets of int64/float64 (h5py gives numpy arrays), JSON as its
// compact text in a string attribute. Writing an attribute that exists
// replaces it (so status can go "running" -> "complete").
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <type_traits>
#include <vector>

namespace traitlab {

// One reference to an HDF5 identifier (hid_t, int64_t since HDF5 1.10).
// Copying adds a reference, destruction drops one; -1 means empty.
class H5Id {
 public:
  H5Id() = default;
  explicit H5Id(int64_t id) : id_(id) {}
  H5Id(const H5Id& other);
  H5Id(H5Id&& other) noexcept : id_(other.id_) { other.id_ = -1; }
  H5Id& operator=(H5Id other) noexcept {
    std::swap(id_, other.id_);
    return *this;
  }
  ~H5Id();

  int64_t get() const { return id_; }
  bool valid() const { return id_ >= 0; }
  void reset();

 private:
  int64_t id_ = -1;
};

class H5Object {
 public:
  // "results.h5:/runs/0/responses": how errors name this object.
  std::string where() const;
  // Absolute path inside the file ("/" for the root group).
  std::string path() const;
  // The file name as it was opened.
  std::string file_name() const;
  // The raw hid_t, for the rare caller that needs the HDF5 C API.
  int64_t id() const { return id_.get(); }

  bool has_attr(const std::string& name) const;
  std::vector<std::string> attr_names() const;
  void delete_attr(const std::string& name);

  void set_attr(const std::string& name, const std::string& value);
  void set_attr(const std::string& name, const char* value) { set_attr(name, std::string(value)); }
  void set_attr(const std::string& name, int64_t value);
  void set_attr(const std::string& name, double value);
  void set_attr(const std::string& name, const std::vector<int64_t>& value);
  void set_attr(const std::string& name, const std::vector<double>& value);
  // Any other integer or floating type goes to the int64 / double overload
  // (so set_attr("seed", 42) and set_attr("lr", 1e-4f) are not ambiguous).
  template <typename T, std::enable_if_t<std::is_integral_v<T> && !std::is_same_v<T, bool> &&
                                             !std::is_same_v<T, int64_t>,
                                         int> = 0>
  void set_attr(const std::string& name, T value) {
    set_attr(name, static_cast<int64_t>(value));
  }
  template <typename T,
            std::enable_if_t<std::is_floating_point_v<T> && !std::is_same_v<T, double>, int> = 0>
  void set_attr(const std::string& name, T value) {
    set_attr(name, static_cast<double>(value));
  }
  // A bool attribute would read back in h5py as a numpy enum; say 0/1 instead.
  void set_attr(const std::string& name, bool value) = delete;
  // Stores j.dump() as a string attribute; attr_json parses it back.
  void set_attr_json(const std::string& name, const nlohmann::json& j);

  // Readers throw InputError naming the object and attribute when it is
  // missing or has another type. attr_double also accepts an integer
  // attribute; attr_string accepts fixed-length strings (numpy bytes_).
  std::string attr_string(const std::string& name) const;
  int64_t attr_int64(const std::string& name) const;
  double attr_double(const std::string& name) const;
  std::vector<int64_t> attr_int64s(const std::string& name) const;
  std::vector<double> attr_doubles(const std::string& name) const;
  nlohmann::json attr_json(const std::string& name) const;

 protected:
  H5Object() = default;
  explicit H5Object(H5Id id) : id_(std::move(id)) {}
  H5Id id_;
};

}  // namespace traitlab
