// Appendable compound tables of the HDF5 layer.
#include "core/io/hdf5_table.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <ctime>

#include "core/io/hdf5_file.h"
#include "core/util/error.h"
#include "tests/core/hdf5_test_util.h"

namespace traitlab {
namespace {

using testing::expect_error;
using testing::ScratchDir;

const TableSchema kSchema = {{"id", ColumnType::Int64},
                             {"text", ColumnType::String},
                             {"score", ColumnType::Float64},
                             {"prob", ColumnType::Float32},
                             {"ok", ColumnType::Bool}};

// Deterministic content for row i; unicode, empty strings and newlines included.
std::string text_of(int64_t i) {
  static const char* words[] = {"", "hello", "Grüße", "世界", "🙂 emoji", "line\nbreak"};
  return std::string(words[i % 6]) + "#" + std::to_string(i);
}
double score_of(int64_t i) { return i * 0.5 - 3.25; }
float prob_of(int64_t i) { return static_cast<float>(i % 97) / 97.0f; }

void append_rows(H5Table& t, int64_t begin, int64_t end) {
  std::vector<H5Row> batch;
  for (int64_t i = begin; i < end; ++i) {
    H5Row r = t.row();
    r.set("id", i).set("text", text_of(i)).set("score", score_of(i));
    r.set("prob", prob_of(i)).set("ok", i % 3 == 0);
    batch.push_back(std::move(r));
  }
  t.append(batch);
}

void expect_rows(H5Table& t, int64_t n) {
  ASSERT_EQ(t.size(), n);
  auto ids = t.read_column_int64("id");
  auto texts = t.read_column_string("text");
  auto scores = t.read_column_double("score");
  auto probs = t.read_column_double("prob");
  auto oks = t.read_column_bool("ok");
  ASSERT_EQ(static_cast<int64_t>(ids.size()), n);
  for (int64_t i = 0; i < n; ++i) {
    ASSERT_EQ(ids[i], i);
    ASSERT_EQ(texts[i], text_of(i)) << "row " << i;
    ASSERT_EQ(scores[i], score_of(i)) << "row " << i;
    ASSERT_EQ(probs[i], static_cast<double>(prob_of(i))) << "row " << i;
    ASSERT_EQ(oks[i], i % 3 == 0) << "row " << i;
  }
}

TEST(Hdf5Table, AppendInBatchesReopenAndResume) {
  ScratchDir dir;
  const std::string path = dir.file("t.h5");
  {
    H5File f = H5File::create(path);
    H5Table t = f.require_group("run").create_table("responses", kSchema);
    append_rows(t, 0, 7);
    append_rows(t, 7, 2500);  // crosses a chunk boundary
    append_rows(t, 2500, 2501);
    EXPECT_EQ(t.size(), 2501);
    t.flush();
    expect_rows(t, 2501);
    append_rows(t, 2501, 2510);  // left buffered: the destructor writes them
  }
  {
    H5File f = H5File::open(path, H5File::Mode::ReadWrite);
    H5Table t = f.require_table("run/responses", kSchema);  // resume
    EXPECT_EQ(t.schema(), kSchema);
    expect_rows(t, 2510);
    append_rows(t, 2510, 3000);
    t.flush();
  }
  H5File f = H5File::open(path);
  H5Table t = f.group("run").open_table("responses");
  expect_rows(t, 3000);
}

TEST(Hdf5Table, EmptyTableHasSchemaAndNoRows) {
  ScratchDir dir;
  const std::string path = dir.file("t.h5");
  H5File::create(path).create_table("empty", kSchema);
  H5File f = H5File::open(path);
  H5Table t = f.open_table("empty");
  EXPECT_EQ(t.size(), 0);
  EXPECT_EQ(t.schema(), kSchema);
  EXPECT_TRUE(t.read_column_string("text").empty());
  EXPECT_TRUE(t.read_column_int64("id").empty());
}

TEST(Hdf5Table, SchemaMismatchOnReopenNamesTheColumn) {
  ScratchDir dir;
  const std::string path = dir.file("t.h5");
  H5File::create(path).create_table("r", kSchema);
  H5File f = H5File::open(path, H5File::Mode::ReadWrite);
  TableSchema other = kSchema;
  other[2].type = ColumnType::Float32;
  expect_error<InputError>(
      [&] { f.require_table("r", other); },
      ":/r: existing table has a different schema: column 2 is 'score' (float64) in the file, "
      "expected 'score' (float32)");
  TableSchema longer = kSchema;
  longer.push_back({"extra", ColumnType::Int64});
  expect_error<InputError>([&] { f.require_table("r", longer); },
                           "column 5 is absent in the file, expected 'extra' (int64)");
  expect_error<InputError>([&] { f.create_table("r", kSchema); }, ":/r: already exists");
}

TEST(Hdf5Table, WrongValuesAreInputErrorsNamingTheColumn) {
  ScratchDir dir;
  H5File f = H5File::create(dir.file("t.h5"));
  H5Table t = f.create_table("r", kSchema);
  H5Row r = t.row();
  expect_error<InputError>([&] { r.set("id", "seven"); },
                           ":/r: column 'id' is int64, cannot store a string in it");
  expect_error<InputError>([&] { r.set("id", 1.5); },
                           "column 'id' is int64, cannot store a floating");
  expect_error<InputError>([&] { r.set("ok", 1); }, "column 'ok' is bool, cannot store an integer");
  expect_error<InputError>([&] { r.set("nope", 1); }, "no column 'nope' (columns: id:int64, text");
  expect_error<InputError>([&] { r.set("text", std::string("a\0b", 3)); }, "NUL byte");
  r.set("id", 1).set("score", 2);  // an integer may go into a float column
  expect_error<InputError>([&] { t.append(r); }, "row has no value for column 'text'");
  r.set("text", "x").set("prob", 0.5).set("ok", false);
  H5Table other = f.create_table("other", kSchema);
  expect_error<InputError>([&] { other.append(r); }, "row was made by another table");
  t.append(r);
  EXPECT_EQ(t.read_column_double("score"), std::vector<double>{2.0});
  expect_error<InputError>([&] { t.read_column_int64("text"); },
                           "column 'text' is string, cannot read it as int64");
  expect_error<InputError>(
      [&] {
        f.create_table("bad", {{"a", ColumnType::Int64}, {"a", ColumnType::Bool}});
      },
      "duplicate column 'a'");
  expect_error<InputError>([&] { f.create_table("bad", {}); }, "at least one column");
}

TEST(Hdf5Table, ForeignDatasetsAreRejectedClearly) {
  ScratchDir dir;
  H5File f = H5File::create(dir.file("t.h5"));
  f.write_array("arr", {3}, std::vector<double>{1, 2, 3});
  expect_error<InputError>([&] { f.open_table("arr"); }, ":/arr: not a table");
  expect_error<InputError>([&] { f.open_table("missing"); }, "no dataset 'missing'");
}

// 100k rows in batches of 1000 must take well under a second; prints wall
// and CPU time (CPU time is what to compare on a loaded machine). This is a
// sanity bound, not a benchmark.
TEST(Hdf5Table, AppendThroughput) {
  ScratchDir dir;
  const std::string path = dir.file("speed.h5");
  const int64_t n = 100000;
  std::clock_t c0 = std::clock();
  auto t0 = std::chrono::steady_clock::now();
  {
    H5File f = H5File::create(path);
    H5Table t = f.create_table("r", kSchema);
    for (int64_t b = 0; b < n; b += 1000) append_rows(t, b, b + 1000);
    t.flush();
  }
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  double cpu = static_cast<double>(std::clock() - c0) / CLOCKS_PER_SEC;
  std::cout << "[ timing   ] appended " << n << " rows (5 columns, building rows included) in "
            << s * 1e3 << " ms wall, " << cpu * 1e3 << " ms CPU = " << n / cpu / 1e6
            << " M rows/s of CPU; file " << std::filesystem::file_size(path) / 1024 << " KiB\n";
  EXPECT_LT(s, 1.0);
  H5File f = H5File::open(path);
  H5Table t = f.open_table("r");
  expect_rows(t, n);
}

}  // namespace
}  // namespace traitlab
