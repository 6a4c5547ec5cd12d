// GGUF block dequantization against the Python gguf package's numpy results
// (tests/data/gguf/quant_goldens.json), bit for bit.
#include "core/io/gguf_quant.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <string>
#include <vector>

#include "core/util/error.h"
#include "core/util/json_io.h"

namespace traitlab {
namespace {

const char* kRegenerate = "regenerate: $PYTHON tools/goldens/make_gguf_quant_goldens.py";

const nlohmann::json& goldens() {
  static const nlohmann::json j =
      read_json_file(std::string(TRAITLAB_TEST_DATA) + "/gguf/quant_goldens.json");
  return j;
}

std::vector<uint8_t> from_hex(const std::string& hex) {
  std::vector<uint8_t> out(hex.size() / 2);
  for (size_t i = 0; i < out.size(); ++i)
    out[i] = static_cast<uint8_t>(std::stoul(hex.substr(2 * i, 2), nullptr, 16));
  return out;
}

uint32_t float_bits(float f) {
  uint32_t b;
  std::memcpy(&b, &f, 4);
  return b;
}

class GgufQuantGolden : public ::testing::TestWithParam<std::string> {};

TEST_P(GgufQuantGolden, MatchesGgufPackageBitForBit) {
  const nlohmann::json& g = goldens();
  ASSERT_EQ(g.at("format_version").get<int>(), 1) << kRegenerate;
  ASSERT_TRUE(g.at("types").contains(GetParam())) << GetParam() << " missing; " << kRegenerate;
  const nlohmann::json& t = g.at("types").at(GetParam());
  const auto type = t.at("type").get<uint32_t>();
  const auto n = t.at("n").get<int64_t>();
  const std::vector<uint8_t> raw = from_hex(t.at("hex").get<std::string>());
  const auto expected = t.at("bits").get<std::vector<uint32_t>>();

  const GgmlTypeInfo* info = ggml_type_info(type);
  ASSERT_NE(info, nullptr);
  EXPECT_EQ(std::string(info->name), GetParam());
  ASSERT_EQ(ggml_row_bytes(type, n, "golden"), raw.size()) << kRegenerate;
  ASSERT_EQ(expected.size(), static_cast<size_t>(n)) << kRegenerate;

  std::vector<float> got(n);
  dequantize_row(type, raw.data(), got.data(), n, "golden");
  int64_t mismatches = 0;
  for (int64_t i = 0; i < n; ++i) {
    if (float_bits(got[i]) == expected[i]) continue;
    if (mismatches++ == 0) {
      float want;
      std::memcpy(&want, &expected[i], 4);
      ADD_FAILURE() << GetParam() << ": first difference at element " << i << " (block "
                    << i / info->block_size << "): got " << got[i] << " (0x" << std::hex
                    << float_bits(got[i]) << "), expected " << want << " (0x" << expected[i]
                    << std::dec << "); " << kRegenerate;
    }
  }
  EXPECT_EQ(mismatches, 0) << GetParam() << " (reference: " << t.at("reference") << ")";
}

INSTANTIATE_TEST_SUITE_P(Types, GgufQuantGolden,
                         ::testing::Values("F16", "BF16", "Q4_0", "Q4_1", "Q5_0", "Q5_1", "Q8_0",
                                           "Q8_1", "Q2_K", "Q3_K", "Q4_K", "Q5_K", "Q6_K", "Q8_K"),
                         [](const ::testing::TestParamInfo<std::string>& p) { return p.param; });

// Block sizes and bytes per block from ggml-common.h's static_asserts.
TEST(GgufQuant, TypeSizesMatchGgml) {
  struct Want {
    GgmlType type;
    const char* name;
    int64_t block, bytes;
  };
  const Want want[] = {
      {GgmlType::F32, "F32", 1, 4},       {GgmlType::F16, "F16", 1, 2},
      {GgmlType::BF16, "BF16", 1, 2},     {GgmlType::F64, "F64", 1, 8},
      {GgmlType::Q4_0, "Q4_0", 32, 18},   {GgmlType::Q4_1, "Q4_1", 32, 20},
      {GgmlType::Q5_0, "Q5_0", 32, 22},   {GgmlType::Q5_1, "Q5_1", 32, 24},
      {GgmlType::Q8_0, "Q8_0", 32, 34},   {GgmlType::Q8_1, "Q8_1", 32, 36},
      {GgmlType::Q2_K, "Q2_K", 256, 84},  {GgmlType::Q3_K, "Q3_K", 256, 110},
      {GgmlType::Q4_K, "Q4_K", 256, 144}, {GgmlType::Q5_K, "Q5_K", 256, 176},
      {GgmlType::Q6_K, "Q6_K", 256, 210}, {GgmlType::Q8_K, "Q8_K", 256, 292},
      {GgmlType::I8, "I8", 1, 1},         {GgmlType::I64, "I64", 1, 8},
  };
  for (const Want& w : want) {
    const GgmlTypeInfo* info = ggml_type_info(static_cast<uint32_t>(w.type));
    ASSERT_NE(info, nullptr) << w.name;
    EXPECT_STREQ(info->name, w.name);
    EXPECT_EQ(info->block_size, w.block) << w.name;
    EXPECT_EQ(info->type_size, w.bytes) << w.name;
  }
  EXPECT_EQ(ggml_row_bytes(static_cast<uint32_t>(GgmlType::Q4_K), 4096, "t"), 16u * 144u);
  EXPECT_EQ(ggml_row_bytes(static_cast<uint32_t>(GgmlType::F16), 3, "t"), 6u);
  EXPECT_EQ(ggml_row_bytes(static_cast<uint32_t>(GgmlType::Q8_0), 0, "t"), 0u);
}

TEST(GgufQuant, UnknownTypeIsNullAndUnsupported) {
  EXPECT_EQ(ggml_type_info(4), nullptr);  // Q4_2, removed from ggml
  EXPECT_EQ(ggml_type_info(1000), nullptr);
  float out[1];
  const uint8_t in[4] = {};
  EXPECT_THROW(dequantize_row(1000, in, out, 1, "w.gguf"), UnsupportedError);
  EXPECT_THROW(ggml_row_bytes(1000, 1, "w.gguf"), UnsupportedError);
  try {
    dequantize_row(1000, in, out, 1, "w.gguf: tensor 'a'");
    FAIL() << "no error";
  } catch (const UnsupportedError& e) {
    EXPECT_NE(std::string(e.what()).find("w.gguf: tensor 'a'"), std::string::npos) << e.what();
    EXPECT_NE(std::string(e.what()).find("1000"), std::string::npos) << e.what();
  }
}

TEST(GgufQuant, KnownButUnsupportedTypesAreNamed) {
  const GgmlTypeInfo* iq2 = ggml_type_info(16);
  ASSERT_NE(iq2, nullptr);
  EXPECT_STREQ(iq2->name, "IQ2_XXS");
  EXPECT_FALSE(iq2->dequantizable);
  EXPECT_EQ(iq2->type_size, 66);
  std::vector<uint8_t> in(66);
  std::vector<float> out(256);
  try {
    dequantize_row(16, in.data(), out.data(), 256, "m.gguf: tensor 'blk.0.ffn_up.weight'");
    FAIL() << "no error";
  } catch (const UnsupportedError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("IQ2_XXS"), std::string::npos) << msg;
    EXPECT_NE(msg.find("blk.0.ffn_up.weight"), std::string::npos) << msg;
  }
  EXPECT_THROW(dequantize_row(static_cast<uint32_t>(GgmlType::I32), in.data(), out.data(), 4, "t"),
               UnsupportedError);
}

TEST(GgufQuant, CountNotMultipleOfBlockIsInputError) {
  std::vector<uint8_t> in(2 * 144);
  std::vector<float> out(512);
  const auto q4k = static_cast<uint32_t>(GgmlType::Q4_K);
  EXPECT_THROW(dequantize_row(q4k, in.data(), out.data(), 300, "x"), InputError);
  EXPECT_THROW(ggml_row_bytes(static_cast<uint32_t>(GgmlType::Q8_0), 33, "x"), InputError);
  EXPECT_THROW(ggml_row_bytes(q4k, -256, "x"), InputError);
  try {
    ggml_row_bytes(q4k, 300, "m.gguf: tensor 'w'");
    FAIL() << "no error";
  } catch (const UnsupportedError&) {
    FAIL() << "wrong error type";
  } catch (const InputError& e) {
    const std::string msg = e.what();
    EXPECT_NE(msg.find("m.gguf: tensor 'w'"), std::string::npos) << msg;
    EXPECT_NE(msg.find("256"), std::string::npos) << msg;
  }
}

TEST(GgufQuant, HalfSpecialValues) {
  const uint16_t halves[] = {0x7C00, 0xFC00, 0x7E00, 0x7C01, 0x0001, 0x83FF,
                             0x0400, 0x8000, 0x0000, 0x7BFF, 0x3C00};
  const uint32_t want[] = {0x7F800000, 0xFF800000, 0x7FC00000, 0x7F802000,
                           0x33800000,  // 2^-24, smallest subnormal
                           0xB87FC000,  // -(2^-14 - 2^-24), largest subnormal
                           0x38800000,  // 2^-14, smallest normal
                           0x80000000, 0x00000000,
                           0x477FE000,  // 65504
                           0x3F800000};
  constexpr size_t n = sizeof(halves) / sizeof(halves[0]);
  uint8_t raw[2 * n];
  for (size_t i = 0; i < n; ++i) {
    raw[2 * i] = static_cast<uint8_t>(halves[i] & 0xff);
    raw[2 * i + 1] = static_cast<uint8_t>(halves[i] >> 8);
  }
  float out[n];
  dequantize_row(static_cast<uint32_t>(GgmlType::F16), raw, out, n, "t");
  for (size_t i = 0; i < n; ++i)
    EXPECT_EQ(float_bits(out[i]), want[i]) << "half 0x" << std::hex << halves[i];
  EXPECT_TRUE(std::isinf(out[0]) && out[0] > 0);
  EXPECT_TRUE(std::isnan(out[2]));
  EXPECT_TRUE(std::signbit(out[7]));
  EXPECT_EQ(out[4], std::ldexp(1.0f, -24));
}

TEST(GgufQuant, F32AndF64AndUnalignedSource) {
  // One byte of padding in front so the reads are unaligned.
  const double d[2] = {1.0 / 3.0, -1e300};
  uint8_t raw[1 + sizeof d];
  std::memcpy(raw + 1, d, sizeof d);  // host order; GGUF is little-endian, as are test hosts
  float out[2];
  dequantize_row(static_cast<uint32_t>(GgmlType::F64), raw + 1, out, 2, "t");
  EXPECT_EQ(out[0], static_cast<float>(1.0 / 3.0));
  EXPECT_TRUE(std::isinf(out[1]) && out[1] < 0);
  const float f[2] = {1.5f, -0.0f};
  std::memcpy(raw + 1, f, sizeof f);
  dequantize_row(static_cast<uint32_t>(GgmlType::F32), raw + 1, out, 2, "t");
  EXPECT_EQ(float_bits(out[0]), float_bits(1.5f));
  EXPECT_EQ(float_bits(out[1]), 0x80000000u);
}

}  // namespace
}  // namespace traitlab
