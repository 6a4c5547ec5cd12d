// Interoperability with h5py: reading a file h5py wrote (goldens from
// tools/goldens/make_hdf5_goldens.py) and writing one that h5py/pandas read
// (checked by tools/check_hdf5_pandas.py).
#include <gtest/gtest.h>

#include <cstdlib>

#include "core/io/hdf5_file.h"
#include "core/util/json_io.h"
#include "tests/core/hdf5_test_util.h"

namespace traitlab {
namespace {

const char* kRegen = "regenerate with: /work/venv/bin/python tools/goldens/make_hdf5_goldens.py";

ColumnType type_from_name(const std::string& s) {
  for (ColumnType t : {ColumnType::Int64, ColumnType::Float64, ColumnType::Float32,
                       ColumnType::String, ColumnType::Bool})
    if (s == column_type_name(t)) return t;
  throw InputError("unknown column type " + s);
}

TEST(Hdf5Golden, ReadsWhatH5pyWrote) {
  const std::string dir = std::string(TRAITLAB_TEST_DATA) + "/hdf5/";
  nlohmann::json want = read_json_file(dir + "h5py_golden_expected.json");
  ASSERT_EQ(want.at("format_version"), 1) << kRegen;
  H5File f = H5File::open(dir + "h5py_golden.h5");
  ASSERT_EQ(f.attr_int64("format_version"), 1) << kRegen;
  EXPECT_EQ(f.attr_json("versions"), want.at("versions")) << kRegen;

  const nlohmann::json& a = want.at("attrs");
  EXPECT_EQ(f.attr_string("title"), a.at("title").get<std::string>());
  EXPECT_EQ(f.attr_int64("n_layers"), a.at("n_layers").get<int64_t>());
  EXPECT_EQ(f.attr_double("temperature"), a.at("temperature").get<double>());
  EXPECT_EQ(f.attr_int64s("layers"), a.at("layers").get<std::vector<int64_t>>());
  EXPECT_EQ(f.attr_doubles("weights"), a.at("weights").get<std::vector<double>>());
  EXPECT_EQ(f.attr_json("config"), a.at("config"));
  EXPECT_EQ(f.attr_string("fixed_bytes"), a.at("fixed_bytes").get<std::string>());

  const nlohmann::json& tw = want.at("table");
  H5Group run = f.group("runs/0");
  EXPECT_EQ(run.attr_string("status"), "complete");
  H5Table t = f.open_table(tw.at("path").get<std::string>());
  TableSchema schema;
  for (const auto& c : tw.at("schema"))
    schema.push_back({c[0].get<std::string>(), type_from_name(c[1].get<std::string>())});
  ASSERT_EQ(describe(t.schema()), describe(schema)) << kRegen;
  const nlohmann::json& cols = tw.at("columns");
  EXPECT_EQ(t.size(), static_cast<int64_t>(cols.at("id").size()));
  EXPECT_EQ(t.read_column_int64("id"), cols.at("id").get<std::vector<int64_t>>());
  EXPECT_EQ(t.read_column_string("text"), cols.at("text").get<std::vector<std::string>>());
  EXPECT_EQ(t.read_column_double("score"), cols.at("score").get<std::vector<double>>());
  EXPECT_EQ(t.read_column_double("prob"), cols.at("prob").get<std::vector<double>>());
  EXPECT_EQ(t.read_column_bool("ok"), cols.at("ok").get<std::vector<bool>>());

  const nlohmann::json& aw = want.at("array");
  NdArray<float> arr = f.read_array<float>(aw.at("path").get<std::string>());
  EXPECT_EQ(arr.shape, aw.at("shape").get<std::vector<int64_t>>());
  std::vector<double> got(arr.data.begin(), arr.data.end());
  EXPECT_EQ(got, aw.at("data").get<std::vector<double>>()) << kRegen;
  EXPECT_EQ(f.dataset(aw.at("path").get<std::string>()).attr_int64("layer"),
            aw.at("layer").get<int64_t>());
}

// Writes a small results-shaped file. With TRAITLAB_HDF5_EXPORT=/some/x.h5
// it is written there and kept, for tools/check_hdf5_pandas.py:
//   TRAITLAB_HDF5_EXPORT=/tmp/x.h5 build/tests/traitlab_tests
//     --gtest_filter=Hdf5Golden.WritesAFileForPandas
//   /work/venv/bin/python tools/check_hdf5_pandas.py /tmp/x.h5
TEST(Hdf5Golden, WritesAFileForPandas) {
  testing::ScratchDir dir;
  const char* env = std::getenv("TRAITLAB_HDF5_EXPORT");
  const std::string path = env && *env ? env : dir.file("export.h5");
  const TableSchema schema = {{"prompt_id", ColumnType::Int64}, {"item", ColumnType::String},
                              {"response", ColumnType::String}, {"score", ColumnType::Float64},
                              {"logprob", ColumnType::Float32}, {"valid", ColumnType::Bool}};
  const std::vector<std::string> responses = {"Strongly agree", "Eher nicht — 不同意", "🙂 3",
                                              ""};
  {
    H5File f = H5File::create(path, /*overwrite=*/true);
    f.set_attr("traitlab_version", "0.1.0");
    f.set_attr("status", "complete");
    f.set_attr("seed", 42);
    f.set_attr_json("config", {{"model", "tiny"}, {"temperature", 0.0}});
    H5Table t = f.require_group("runs/0").create_table("responses", schema);
    for (int64_t i = 0; i < 4; ++i) {
      H5Row r = t.row();
      r.set("prompt_id", i).set("item", "I see myself as someone who is talkative.");
      r.set("response", responses[i]).set("score", 5.0 - i).set("logprob", -0.25 * i);
      r.set("valid", i != 3);
      t.append(r);
    }
    f.write_array("runs/0/steering", {2, 3}, std::vector<float>{1, 2, 3, 4, 5, 6})
        .set_attr("layer", 3);
  }
  H5File f = H5File::open(path);
  H5Table t = f.open_table("runs/0/responses");
  EXPECT_EQ(t.schema(), schema);
  EXPECT_EQ(t.read_column_string("response"), responses);
  EXPECT_EQ(t.read_column_bool("valid"), (std::vector<bool>{true, true, true, false}));
}

}  // namespace
}  // namespace traitlab
