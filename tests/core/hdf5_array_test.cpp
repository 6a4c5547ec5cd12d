// n-d numeric datasets of the HDF5 layer.
#include "core/io/hdf5_array.h"

#include <gtest/gtest.h>

#include "core/io/hdf5_file.h"
#include "core/util/error.h"
#include "tests/core/hdf5_test_util.h"

namespace traitlab {
namespace {

using testing::expect_error;
using testing::ScratchDir;

TEST(Hdf5Array, RoundTripsShapesTypesAndAttributes) {
  ScratchDir dir;
  const std::string path = dir.file("a.h5");
  std::vector<float> vec(2 * 3 * 4);
  for (size_t i = 0; i < vec.size(); ++i) vec[i] = static_cast<float>(i) * 0.1f - 1.0f;
  std::vector<int64_t> ids = {5, -1, INT64_MAX};
  {
    H5File f = H5File::create(path);
    H5Dataset d = f.write_array("steering/layers.3.resid_post", {2, 3, 4}, vec.data());
    d.set_attr("layer", 3);
    d.set_attr("method", "mean-difference");
    f.write_array("ids", {3}, ids);
    f.write_array("scalar", {}, std::vector<double>{2.5});
    f.write_array("none", {0, 4}, std::vector<float>{});
  }
  H5File f = H5File::open(path);
  NdArray<float> a = f.read_array<float>("steering/layers.3.resid_post");
  EXPECT_EQ(a.shape, (std::vector<int64_t>{2, 3, 4}));
  EXPECT_EQ(a.data, vec);
  H5Dataset d = f.dataset("steering/layers.3.resid_post");
  EXPECT_EQ(d.attr_int64("layer"), 3);
  EXPECT_EQ(d.attr_string("method"), "mean-difference");
  EXPECT_EQ(d.dtype(), "float32");
  // float32 widens to double on request; ints read as int64 or double.
  NdArray<double> wide = f.read_array<double>("steering/layers.3.resid_post");
  for (size_t i = 0; i < vec.size(); ++i) EXPECT_EQ(wide.data[i], static_cast<double>(vec[i]));
  EXPECT_EQ(f.read_array<int64_t>("ids").data, ids);
  NdArray<double> s = f.read_array<double>("scalar");
  EXPECT_TRUE(s.shape.empty());
  EXPECT_EQ(s.data, std::vector<double>{2.5});
  NdArray<float> none = f.read_array<float>("none");
  EXPECT_EQ(none.shape, (std::vector<int64_t>{0, 4}));
  EXPECT_TRUE(none.data.empty());
}

TEST(Hdf5Array, BadShapesAndKindsAreInputErrors) {
  ScratchDir dir;
  H5File f = H5File::create(dir.file("a.h5"));
  expect_error<InputError>(
      [&] {
        f.write_array("x", {2, 2}, std::vector<double>{1, 2, 3});
      },
      "array 'x': shape has 4 elements but 3 values were given");
  expect_error<InputError>([&] { f.write_array("x", {-1}, std::vector<double>{}); },
                           "negative dimension -1");
  f.write_array("x", {1}, std::vector<double>{1.5});
  expect_error<InputError>([&] { f.write_array("x", {1}, std::vector<double>{2}); },
                           ":/: 'x' already exists");
  expect_error<InputError>([&] { f.read_array<int64_t>("x"); },
                           ":/x: cannot read float64 data as int64");
  f.remove("x");
  f.write_array("x", {1}, std::vector<double>{2});  // replaced after remove()
  EXPECT_EQ(f.read_array<double>("x").data, std::vector<double>{2});
}

}  // namespace
}  // namespace traitlab
