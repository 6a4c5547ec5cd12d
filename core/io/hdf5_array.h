#pragma once
// n-dimensional numeric datasets (steering vectors, activation statistics):
// float32, float64 or int64, row-major (C order, as numpy and torch use), of
// any rank including 0 (a scalar). Written in one piece, contiguous; h5py
// reads them as numpy arrays. For a torch tensor pass
// t.contiguous().cpu().data_ptr<float>() and t.sizes().vec().
#include <cstdint>
#include <string>
#include <vector>

#include "core/io/hdf5_object.h"

namespace traitlab {

template <typename T>
struct NdArray {
  std::vector<int64_t> shape;
  std::vector<T> data;  // row-major, size == product of shape
};

// Number of elements of a shape (1 for a scalar); InputError on a negative
// dimension or overflow, naming `where`.
int64_t shape_numel(const std::vector<int64_t>& shape, const std::string& where);

// A dataset opened for its attributes and shape.
class H5Dataset : public H5Object {
 public:
  std::vector<int64_t> shape() const;
  // "float32", "float64", "int64", "compound", ... (numpy-like names).
  std::string dtype() const;

 private:
  friend class H5Group;
  explicit H5Dataset(H5Id id) : H5Object(std::move(id)) {}
};

}  // namespace traitlab
