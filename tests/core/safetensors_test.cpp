// safetensors against the Python library: golden values, byte-level layout
// parity, round trips, and writer errors.
#include "core/io/safetensors.h"

#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "core/util/error.h"
#include "core/util/json_io.h"
#include "core/util/sha256.h"
#include "tests/core/safetensors_test_util.h"

namespace traitlab {
namespace {

using test::golden_dir;
using test::read_bytes;
using test::TempDir;

const char* kRegenerate =
    "regenerate: /work/venv/bin/python tools/goldens/make_safetensors_goldens.py";

nlohmann::json golden_values() {
  nlohmann::json v = read_json_file(golden_dir() + "/values.json");
  EXPECT_EQ(v.at("format_version").get<int>(), 1) << kRegenerate;
  return v;
}

// The golden's per-element integers: raw bits for floats, values otherwise.
std::vector<int64_t> expected_ints(const nlohmann::json& rec) {
  const auto& src = rec.contains("bits") ? rec["bits"] : rec["values"];
  std::vector<int64_t> out;
  for (const auto& v : src) {
    out.push_back(v.is_number_unsigned() ? static_cast<int64_t>(v.get<uint64_t>())
                                         : v.get<int64_t>());
  }
  return out;
}

// The loaded tensor's per-element integers, in the golden's convention.
std::vector<int64_t> actual_ints(const torch::Tensor& t) {
  torch::Tensor flat = t.reshape({-1});
  torch::Tensor ints;
  switch (t.scalar_type()) {
    case torch::kFloat16:
    case torch::kBFloat16:
      ints = flat.view(torch::kInt16).to(torch::kInt64).bitwise_and(0xFFFF);
      break;
    case torch::kFloat32:
      ints =
          flat.view(torch::kInt32).to(torch::kInt64).bitwise_and(static_cast<int64_t>(0xFFFFFFFF));
      break;
    case torch::kFloat64:
      ints = flat.view(torch::kInt64);
      break;
    default:
      ints = flat.to(torch::kInt64);
  }
  return std::vector<int64_t>(ints.data_ptr<int64_t>(), ints.data_ptr<int64_t>() + ints.numel());
}

const std::map<std::string, std::string> kTorchNames = {
    {"float32", "F32"}, {"float16", "F16"}, {"bfloat16", "BF16"}, {"float64", "F64"},
    {"int64", "I64"},   {"int32", "I32"},   {"int16", "I16"},     {"int8", "I8"},
    {"uint8", "U8"},    {"bool", "BOOL"}};

TEST(Safetensors, GoldenValuesMatchPython) {
  const nlohmann::json golden = golden_values();
  int n_tensors = 0;
  for (const auto& [file, tensors] : golden["files"].items()) {
    SCOPED_TRACE(file);
    const auto f = SafetensorsFile::open(golden_dir() + "/" + file);
    EXPECT_EQ(f.entries().size(), tensors.size());
    for (const auto& [name, rec] : tensors.items()) {
      SCOPED_TRACE(name);
      const TensorEntry* e = f.find(name);
      ASSERT_NE(e, nullptr);
      EXPECT_EQ(e->dtype, kTorchNames.at(rec["dtype"].get<std::string>()));
      EXPECT_EQ(e->shape, rec["shape"].get<std::vector<int64_t>>());
      const torch::Tensor t = f.load(name);
      EXPECT_EQ(t.sizes().vec(), e->shape);
      EXPECT_EQ(torch_dtype_to_safetensors(t.scalar_type()), e->dtype);
      const auto want = expected_ints(rec), got = actual_ints(t);
      ASSERT_EQ(want.size(), got.size());
      for (size_t i = 0; i < want.size(); ++i) {
        ASSERT_EQ(got[i], want[i])
            << "element " << i << " differs (as raw bits for floats); " << kRegenerate;
      }
      ++n_tensors;
    }
    EXPECT_NE(f.metadata().at("golden").find("\"safetensors\""), std::string::npos);
  }
  EXPECT_GE(n_tensors, 25);
}

// Re-saving what Python wrote must give Python's bytes: same order, same
// JSON spelling, same padding.
TEST(Safetensors, ByteParityWithPythonWriter) {
  TempDir tmp;
  const nlohmann::json golden = golden_values();
  for (const auto& [file, tensors] : golden["files"].items()) {
    SCOPED_TRACE(file);
    const std::string src = golden_dir() + "/" + file;
    const auto f = SafetensorsFile::open(src);
    std::vector<std::pair<std::string, torch::Tensor>> all;
    // Reverse the file's order so the writer's own sorting is exercised.
    for (auto it = f.entries().rbegin(); it != f.entries().rend(); ++it) {
      all.emplace_back(it->name, f.load(it->name));
    }
    const std::string out = tmp / "copy.safetensors";
    save_safetensors(out, all, f.metadata());
    const std::string want = read_bytes(src), got = read_bytes(out);
    ASSERT_EQ(got.size(), want.size());
    size_t first = 0;
    while (first < got.size() && got[first] == want[first]) ++first;
    EXPECT_EQ(first, got.size()) << "first differing byte at " << first << "; " << kRegenerate;
  }
}

TEST(Safetensors, RoundTripEveryDtype) {
  TempDir tmp;
  torch::manual_seed(7);
  const auto base = torch::randn({3, 5}) * 100;
  std::vector<std::pair<std::string, torch::Tensor>> tensors = {
      {"f32", base},
      {"f64", base.to(torch::kFloat64)},
      {"f16", base.to(torch::kFloat16)},
      {"bf16", base.to(torch::kBFloat16)},
      {"i64", base.to(torch::kInt64) * 1000003},
      {"i32", base.to(torch::kInt32)},
      {"i16", base.to(torch::kInt16)},
      {"i8", base.clamp(-128, 127).to(torch::kInt8)},
      {"u8", base.abs().clamp(0, 255).to(torch::kUInt8)},
      {"bool", base > 0},
      {"transposed", base.t()},  // non-contiguous input
      {"scalar", torch::tensor(2.5)},
      {"empty", torch::zeros({0, 4}, torch::kBFloat16)},
      {"name with \"quotes\" and \xc3\xbc", torch::ones({1})},
  };
  const std::map<std::string, std::string> meta = {{"format", "pt"}, {"note", "a\nb"}};
  const std::string p = tmp / "rt.safetensors";
  save_safetensors(p, tensors, meta);
  const auto f = SafetensorsFile::open(p);
  EXPECT_EQ(f.metadata(), meta);
  ASSERT_EQ(f.entries().size(), tensors.size());
  for (const auto& [name, t] : tensors) {
    SCOPED_TRACE(name);
    const torch::Tensor back = f.load(name);
    EXPECT_EQ(back.scalar_type(), t.scalar_type());
    EXPECT_EQ(back.sizes(), t.sizes());
    EXPECT_TRUE(torch::equal(back, t));
  }
  // Data starts 8-aligned, as the Python library guarantees.
  const std::string bytes = read_bytes(p);
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(bytes[i]);
  EXPECT_EQ((8 + n) % 8, 0u);
}

TEST(Safetensors, LoadsMisalignedData) {
  TempDir tmp;
  // A 1-byte U8 tensor first puts the F32/F64 data at odd addresses.
  const std::string header = R"({"u":{"dtype":"U8","shape":[1],"data_offsets":[0,1]},)"
                             R"("f":{"dtype":"F32","shape":[2],"data_offsets":[1,9]},)"
                             R"("d":{"dtype":"F64","shape":[1],"data_offsets":[9,17]}})";
  const float fv[2] = {1.5f, -3.25f};
  const double dv = 6.125;
  std::string data(1, '\x2a');
  data.append(reinterpret_cast<const char*>(fv), 8);
  data.append(reinterpret_cast<const char*>(&dv), 8);
  const std::string p = tmp / "odd.safetensors";
  test::write_bytes(p, test::craft(header + " ", data));  // header length 1 mod 8
  const auto f = SafetensorsFile::open(p);
  EXPECT_EQ(f.load("u").item<uint8_t>(), 42);
  EXPECT_TRUE(torch::equal(f.load("f"), torch::tensor({1.5f, -3.25f})));
  EXPECT_EQ(f.load("d").item<double>(), 6.125);
  EXPECT_EQ(f.entries()[0].name, "u");  // entries are in offset order
  EXPECT_EQ(f.find("missing"), nullptr);
  EXPECT_THROW(f.load("missing"), InputError);
}

TEST(Safetensors, DtypesTorchCannotHoldOpenButFailOnLoad) {
  TempDir tmp;
  const std::string header = R"({"u16":{"dtype":"U16","shape":[1],"data_offsets":[0,2]},)"
                             R"("u32":{"dtype":"U32","shape":[1],"data_offsets":[2,6]},)"
                             R"("u64":{"dtype":"U64","shape":[1],"data_offsets":[6,14]},)"
                             R"("e4":{"dtype":"F8_E4M3","shape":[1],"data_offsets":[14,15]},)"
                             R"("e5":{"dtype":"F8_E5M2","shape":[1],"data_offsets":[15,16]},)"
                             R"("ok":{"dtype":"I8","shape":[1],"data_offsets":[16,17]}})";
  const std::string p = tmp / "u.safetensors";
  test::write_bytes(p, test::craft(header, std::string(17, '\x01')));
  const auto f = SafetensorsFile::open(p);
  for (const char* name : {"u16", "u32", "u64", "e4", "e5"}) {
    try {
      f.load(name);
      ADD_FAILURE() << name << " loaded";
    } catch (const UnsupportedError& e) {
      EXPECT_NE(std::string(e.what()).find(str("tensor '", name, "'")), std::string::npos)
          << e.what();
      EXPECT_NE(std::string(e.what()).find(p), std::string::npos) << e.what();
    }
  }
  EXPECT_EQ(f.load("ok").item<int8_t>(), 1);
}

TEST(Safetensors, DtypeNameMapping) {
  for (const char* d : {"BOOL", "U8", "I8", "I16", "I32", "I64", "F16", "BF16", "F32", "F64"}) {
    EXPECT_EQ(torch_dtype_to_safetensors(safetensors_dtype_to_torch(d, "x")), d);
  }
  EXPECT_THROW(safetensors_dtype_to_torch("U16", "x"), UnsupportedError);
  EXPECT_THROW(safetensors_dtype_to_torch("Q4", "x"), InputError);
  EXPECT_THROW(torch_dtype_to_safetensors(torch::kComplexFloat), UnsupportedError);
}

TEST(Safetensors, WriterRejectsBadRequestsAndLeavesNoTempFile) {
  TempDir tmp;
  const std::string p = tmp / "w.safetensors";
  const auto one = torch::ones({2});
  EXPECT_THROW(save_safetensors(p, {{"a", one}, {"a", one}}), InputError);
  EXPECT_THROW(save_safetensors(p, {{"__metadata__", one}}), InputError);
  EXPECT_THROW(save_safetensors(p, {{"c", torch::ones({2}, torch::kComplexFloat)}}),
               UnsupportedError);
  EXPECT_THROW(save_safetensors(tmp / "no/such/dir/w.safetensors", {{"a", one}}), IoError);
  if (::geteuid() != 0) {  // root ignores directory permissions
    const std::string ro = tmp / "ro";
    std::filesystem::create_directory(ro);
    ::chmod(ro.c_str(), 0500);
    EXPECT_THROW(save_safetensors(ro + "/w.safetensors", {{"a", one}}), IoError);
    ::chmod(ro.c_str(), 0700);
  }
  for (const auto& entry : std::filesystem::recursive_directory_iterator(tmp.str())) {
    EXPECT_EQ(entry.path().string().find(".tmp."), std::string::npos) << entry.path();
  }
  EXPECT_FALSE(std::filesystem::exists(p));
}

TEST(Safetensors, OverwriteReplacesWholeFile) {
  TempDir tmp;
  const std::string p = tmp / "w.safetensors";
  save_safetensors(p, {{"big", torch::zeros({100})}});
  save_safetensors(p, {{"small", torch::ones({2})}});
  const auto f = SafetensorsFile::open(p);
  ASSERT_EQ(f.entries().size(), 1u);
  EXPECT_TRUE(torch::equal(f.load("small"), torch::ones({2})));
}

// The file the Python script checks with --verify (see its docstring).
TEST(Safetensors, CppWrittenFileMatchesGolden) {
  TempDir tmp;
  const auto a = torch::arange(12, torch::kFloat32).reshape({3, 4}) * 0.25 - 1.0;
  const std::vector<std::pair<std::string, torch::Tensor>> tensors = {
      {"a.f32", a},
      {"b.bf16", a.to(torch::kBFloat16)},
      {"c.i64", torch::arange(6, torch::kInt64) - 3},
      {"d.bool", torch::tensor({true, false, false, true})},
      {"\xc3\xbcn\xc3\xaf"
       "code.f16",
       torch::arange(5, torch::kFloat32).to(torch::kFloat16) / 3},
  };
  const std::map<std::string, std::string> meta = {{"writer", "traitlab"}};
  const std::string golden = golden_dir() + "/cpp_written.safetensors";
  if (std::getenv("TRAITLAB_WRITE_GOLDENS")) save_safetensors(golden, tensors, meta);
  const std::string p = tmp / "cpp.safetensors";
  save_safetensors(p, tensors, meta);
  EXPECT_EQ(read_bytes(p), read_bytes(golden))
      << "regenerate: TRAITLAB_WRITE_GOLDENS=1 ctest -R CppWrittenFileMatchesGolden, then "
         "/work/venv/bin/python tools/goldens/make_safetensors_goldens.py --verify";
  const nlohmann::json note = read_json_file(golden_dir() + "/cpp_written.verified.json");
  EXPECT_TRUE(note.at("python_loads_and_values_equal").get<bool>());
  EXPECT_TRUE(note.at("python_reserialises_identical_bytes").get<bool>());
  EXPECT_EQ(note.at("sha256").get<std::string>(), sha256_file_hex(golden))
      << "the note is for an older cpp_written.safetensors; rerun --verify";
}

}  // namespace
}  // namespace traitlab
