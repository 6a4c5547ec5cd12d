// Files, groups and attributes of the HDF5 layer.
#include "core/io/hdf5_file.h"

#include <gtest/gtest.h>

#include <fstream>

#include "core/util/error.h"
#include "tests/core/hdf5_test_util.h"

namespace traitlab {
namespace {

using testing::expect_error;
using testing::ScratchDir;

TEST(Hdf5File, AttributesRoundTripEveryType) {
  ScratchDir dir;
  const std::string path = dir.file("attrs.h5");
  const std::string text = "Persönlichkeit — 性格 🙂";
  const std::vector<int64_t> ints = {-3, 0, INT64_MAX, INT64_MIN};
  const std::vector<double> reals = {0.1, -2.5e-300, 1e300, -0.0};
  const nlohmann::json cfg = {{"model", "tiny"}, {"layers", {1, 2, 3}}, {"lr", 1e-4}};
  {
    H5File f = H5File::create(path);
    f.set_attr("text", text);
    f.set_attr("literal", "c-string");
    f.set_attr("empty", std::string());
    f.set_attr("i", int64_t{-42});
    f.set_attr("small_int", 7);  // int -> int64
    f.set_attr("d", 0.1);
    f.set_attr("f", 0.5f);  // float -> double
    f.set_attr("ints", ints);
    f.set_attr("reals", reals);
    f.set_attr("no_ints", std::vector<int64_t>{});
    f.set_attr_json("config", cfg);
    H5Group g = f.require_group("a/b");
    g.set_attr("status", "running");
    g.set_attr("status", "complete");  // replacing changes the value
    g.set_attr("seed", int64_t{5});
    g.set_attr("seed", 2.5);  // and may change the type
  }
  H5File f = H5File::open(path);
  EXPECT_EQ(f.attr_string("text"), text);
  EXPECT_EQ(f.attr_string("literal"), "c-string");
  EXPECT_EQ(f.attr_string("empty"), "");
  EXPECT_EQ(f.attr_int64("i"), -42);
  EXPECT_EQ(f.attr_int64("small_int"), 7);
  EXPECT_EQ(f.attr_double("small_int"), 7.0);  // integers widen on request
  EXPECT_EQ(f.attr_double("d"), 0.1);
  EXPECT_EQ(f.attr_double("f"), 0.5);
  EXPECT_EQ(f.attr_int64s("ints"), ints);
  EXPECT_EQ(f.attr_doubles("reals"), reals);
  EXPECT_TRUE(f.attr_int64s("no_ints").empty());
  EXPECT_EQ(f.attr_json("config"), cfg);
  EXPECT_EQ(f.attr_names(),
            (std::vector<std::string>{"config", "d", "empty", "f", "i", "ints", "literal",
                                      "no_ints", "reals", "small_int", "text"}));
  H5Group g = f.group("a/b");
  EXPECT_EQ(g.attr_string("status"), "complete");
  EXPECT_EQ(g.attr_double("seed"), 2.5);
  EXPECT_EQ(g.path(), "/a/b");
  EXPECT_EQ(g.where(), path + ":/a/b");
}

TEST(Hdf5File, AttributeTypeErrorsNameTheAttribute) {
  ScratchDir dir;
  H5File f = H5File::create(dir.file("x.h5"));
  f.set_attr("s", "text");
  f.set_attr("d", 1.5);
  f.set_attr("v", std::vector<double>{1, 2});
  expect_error<InputError>([&] { f.attr_int64("s"); }, ":/: attribute 's': expected an integer");
  expect_error<InputError>([&] { f.attr_int64("d"); }, "attribute 'd': expected an integer");
  expect_error<InputError>([&] { f.attr_string("d"); }, "attribute 'd': expected a string");
  expect_error<InputError>([&] { f.attr_double("v"); }, "attribute 'v': expected a number");
  expect_error<InputError>([&] { f.attr_string("missing"); }, "no attribute 'missing'");
  f.set_attr("bad_json", "{not json");
  expect_error<InputError>([&] { f.attr_json("bad_json"); }, "attribute 'bad_json'");
}

TEST(Hdf5File, GroupsNestListAndCheck) {
  ScratchDir dir;
  const std::string path = dir.file("groups.h5");
  {
    H5File f = H5File::create(path);
    f.require_group("runs/1");
    f.require_group("runs/0/inner");
    H5Group runs = f.require_group("/runs");  // absolute path, already there
    runs.require_group("zeta");
    runs.require_group("alpha");
    f.write_array("runs/vec", {2}, std::vector<double>{1, 2});
  }
  H5File f = H5File::open(path);
  EXPECT_TRUE(f.has("runs/0/inner"));
  EXPECT_TRUE(f.has("/runs/1"));
  EXPECT_FALSE(f.has("runs/2"));
  EXPECT_FALSE(f.has("missing/deeper/still"));
  EXPECT_FALSE(f.has("runs/vec/x"));  // a dataset holds no members
  // Creation order, not alphabetical.
  EXPECT_EQ(f.group("runs").list(), (std::vector<std::string>{"1", "0", "zeta", "alpha", "vec"}));
  EXPECT_EQ(f.list(), std::vector<std::string>{"runs"});
  expect_error<InputError>([&] { f.group("runs/9"); }, ":/: no group 'runs/9'");
  expect_error<InputError>([&] { f.group("runs/vec"); }, "is a dataset, not a group");
}

TEST(Hdf5File, OpeningSomethingElseIsAnInputError) {
  ScratchDir dir;
  const std::string text = dir.file("notes.h5");
  std::ofstream(text) << "just some text, long enough to not be a superblock\n";
  expect_error<InputError>([&] { H5File::open(text); }, text + ": not an HDF5 file");
  const std::string empty = dir.file("empty.h5");
  std::ofstream(empty).close();
  expect_error<InputError>([&] { H5File::open(empty); }, empty + ": not an HDF5 file");
  expect_error<IoError>([&] { H5File::open(dir.file("absent.h5")); },
                        "absent.h5: cannot open: No such file or directory");
  expect_error<IoError>([&] { H5File::open(dir.path().string()); }, "is a directory");
}

TEST(Hdf5File, TruncatedFileIsReportedAsDamaged) {
  ScratchDir dir;
  const std::string path = dir.file("cut.h5");
  {
    H5File f = H5File::create(path);
    f.set_attr("x", 1);
    f.write_array("a", {1000}, std::vector<double>(1000, 1.0));
  }
  std::filesystem::resize_file(path, 600);  // superblock survives, the rest is gone
  expect_error<InputError>([&] { H5File::open(path); }, path + ": cannot open HDF5 file (damaged");
}

TEST(Hdf5File, CreateFailuresAreIoErrors) {
  ScratchDir dir;
  expect_error<IoError>([&] { H5File::create(dir.file("no/such/dir/x.h5")); },
                        "x.h5: cannot create HDF5 file: No such file or directory");
  // Unwritable places that stay unwritable for root: /proc, and a path
  // whose "directory" is a regular file.
  expect_error<IoError>([&] { H5File::create("/proc/traitlab_test.h5"); },
                        "/proc/traitlab_test.h5: cannot create HDF5 file");
  const std::string plain = dir.file("plain");
  std::ofstream(plain) << "x";
  expect_error<IoError>([&] { H5File::create(plain + "/x.h5"); }, "Not a directory");
}

TEST(Hdf5File, OverwriteIsExplicit) {
  ScratchDir dir;
  const std::string path = dir.file("x.h5");
  H5File::create(path).set_attr("v", 1);
  expect_error<InputError>([&] { H5File::create(path); }, path + ": already exists");
  EXPECT_EQ(H5File::open(path).attr_int64("v"), 1);  // untouched
  H5File::create(path, /*overwrite=*/true).set_attr("v", 2);
  EXPECT_EQ(H5File::open(path).attr_int64("v"), 2);
}

TEST(Hdf5File, ReadOnlyRefusesWritesAndMovesKeepTheFile) {
  ScratchDir dir;
  const std::string path = dir.file("ro.h5");
  H5File::create(path).set_attr("v", 1);
  H5File f = H5File::open(path, H5File::Mode::ReadOnly);
  expect_error<IoError>([&] { f.set_attr("w", 2); }, path + ":/: write attribute 'w'");
  H5File moved = std::move(f);
  EXPECT_EQ(moved.attr_int64("v"), 1);
  moved.close();
  H5File rw = H5File::open(path, H5File::Mode::ReadWrite);
  rw.set_attr("w", 2);
  rw.flush();
  EXPECT_EQ(rw.attr_int64("w"), 2);
}

}  // namespace
}  // namespace traitlab
