// GGUF reader: a file image built byte by byte, then damaged in every way
// the reader must refuse (one InputError naming the file and the key or
// tensor, never a crash), and the Q/K un-permutation.
#include "core/io/gguf.h"

#include <gtest/gtest.h>

#include <cstring>

#include "core/io/gguf_quant.h"
#include "core/util/error.h"

namespace traitlab {
namespace {

// Builds a GGUF v3 image: metadata, tensor infos, aligned data.
class GgufBuilder {
 public:
  template <typename T>
  void put(std::string& b, T v) {
    b.append(reinterpret_cast<const char*>(&v), sizeof(T));
  }
  void put_str(std::string& b, const std::string& s) {
    put<uint64_t>(b, s.size());
    b += s;
  }
  void kv_u32(const std::string& k, uint32_t v) {
    put_str(kv_, k);
    put<uint32_t>(kv_, 4);
    put<uint32_t>(kv_, v);
    ++n_kv_;
  }
  void kv_str(const std::string& k, const std::string& v) {
    put_str(kv_, k);
    put<uint32_t>(kv_, 8);
    put_str(kv_, v);
    ++n_kv_;
  }
  void kv_str_array(const std::string& k, const std::vector<std::string>& v) {
    put_str(kv_, k);
    put<uint32_t>(kv_, 9);
    put<uint32_t>(kv_, 8);
    put<uint64_t>(kv_, v.size());
    for (const auto& s : v) put_str(kv_, s);
    ++n_kv_;
  }
  // An F32 tensor of `dims` (innermost first) holding 0, 1, 2, ...
  void tensor_f32(const std::string& name, std::vector<uint64_t> dims) {
    uint64_t n = 1;
    for (auto d : dims) n *= d;
    while (data_.size() % 32) data_.push_back('\0');
    put_str(ti_, name);
    put<uint32_t>(ti_, dims.size());
    for (auto d : dims) put<uint64_t>(ti_, d);
    put<uint32_t>(ti_, 0);
    put<uint64_t>(ti_, data_.size());
    for (uint64_t i = 0; i < n; ++i) put<float>(data_, static_cast<float>(i));
    ++n_t_;
  }
  std::string build(uint32_t version = 3) {
    std::string b = "GGUF";
    put<uint32_t>(b, version);
    put<uint64_t>(b, n_t_);
    put<uint64_t>(b, n_kv_);
    b += kv_ + ti_;
    while (b.size() % 32) b.push_back('\0');
    return b + data_;
  }

 private:
  std::string kv_, ti_, data_;
  uint64_t n_kv_ = 0, n_t_ = 0;
};

std::string valid_image() {
  GgufBuilder g;
  g.kv_str("general.architecture", "llama");
  g.kv_u32("llama.block_count", 2);
  g.kv_str_array("tokenizer.ggml.tokens", {"a", "b", "c"});
  g.tensor_f32("token_embd.weight", {4, 3});
  g.tensor_f32("output_norm.weight", {4});
  return g.build();
}

GgufFile parse(const std::string& img) {
  return GgufFile::parse(reinterpret_cast<const uint8_t*>(img.data()), img.size(), "m.gguf");
}

std::string error_of(const std::string& img) {
  try {
    parse(img);
  } catch (const InputError& e) {
    return e.what();
  }
  return "";
}

TEST(Gguf, ParsesMetadataAndTensors) {
  const std::string img = valid_image();
  GgufFile f = parse(img);
  EXPECT_EQ(f.version(), 3u);
  EXPECT_EQ(f.get_string("general.architecture"), "llama");
  EXPECT_EQ(f.get_int("llama.block_count"), 2);
  EXPECT_EQ(f.get_array("tokenizer.ggml.tokens").size(), 3u);
  ASSERT_EQ(f.tensors().size(), 2u);
  const GgufTensor* t = f.find("token_embd.weight");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->shape, (std::vector<int64_t>{3, 4}));  // torch order
  torch::Tensor w = f.load_float(*t);
  EXPECT_EQ(w.sizes(), (std::vector<int64_t>{3, 4}));
  EXPECT_EQ(w[1][2].item<float>(), 6.0f);  // row-major: row 1, column 2
}

TEST(Gguf, TypedLookupsNameTheKey) {
  const std::string img = valid_image();
  GgufFile f = parse(img);
  EXPECT_THROW(f.get_int("general.architecture"), InputError);
  try {
    f.get_string("llama.context_length");
    FAIL();
  } catch (const InputError& e) {
    EXPECT_NE(std::string(e.what()).find("'llama.context_length' is missing"), std::string::npos);
  }
}

TEST(Gguf, RefusesBadMagicAndVersion) {
  std::string img = valid_image();
  img[0] = 'X';
  EXPECT_NE(error_of(img).find("not a GGUF file"), std::string::npos);
  GgufBuilder g;
  g.kv_u32("x", 1);
  EXPECT_NE(error_of(g.build(1)).find("version 1"), std::string::npos);
}

TEST(Gguf, EveryTruncationIsAnInputError) {
  const std::string img = valid_image();
  for (size_t n = 0; n < img.size(); ++n) {
    const std::string cut = img.substr(0, n);
    EXPECT_NE(error_of(cut), "") << "truncated to " << n << " bytes was accepted";
  }
}

TEST(Gguf, RefusesLyingLengthsAndCounts) {
  std::string img = valid_image();
  // The first key's string length (offset 24) claims 2^40 bytes.
  uint64_t huge = uint64_t(1) << 40;
  std::memcpy(&img[24], &huge, 8);
  EXPECT_NE(error_of(img).find("string length"), std::string::npos);
  img = valid_image();
  std::memcpy(&img[16], &huge, 8);  // metadata count
  EXPECT_NE(error_of(img).find("metadata count"), std::string::npos);
  img = valid_image();
  std::memcpy(&img[8], &huge, 8);  // tensor count
  EXPECT_NE(error_of(img).find("tensor count"), std::string::npos);
}

TEST(Gguf, RefusesDuplicateKeysAndTensors) {
  GgufBuilder g;
  g.kv_u32("a", 1);
  g.kv_u32("a", 2);
  EXPECT_NE(error_of(g.build()).find("'a' appears twice"), std::string::npos);
  GgufBuilder h;
  h.tensor_f32("w", {4});
  h.tensor_f32("w", {4});
  EXPECT_NE(error_of(h.build()).find("'w' appears twice"), std::string::npos);
}

TEST(Gguf, RefusesUnknownTypesAndBadDims) {
  std::string img = valid_image();
  // The last tensor info ends with u32 type + u64 offset; find its type field.
  const std::string name = "output_norm.weight";
  const size_t at = img.find(name) + name.size() + 4 + 8;  // n_dims, one dim
  uint32_t bad = 200;
  std::memcpy(&img[at], &bad, 4);
  EXPECT_NE(error_of(img).find("unknown ggml type 200"), std::string::npos);
  img = valid_image();
  uint64_t zero = 0;
  std::memcpy(&img[img.find(name) + name.size() + 4], &zero, 8);
  EXPECT_NE(error_of(img).find("dimension 0 is 0"), std::string::npos);
}

TEST(Gguf, RefusesTensorsPastTheEndOrUnaligned) {
  std::string img = valid_image();
  const std::string name = "output_norm.weight";
  const size_t off_at = img.find(name) + name.size() + 4 + 8 + 4;
  uint64_t off = 4096;
  std::memcpy(&img[off_at], &off, 8);
  EXPECT_NE(error_of(img).find("reach past the end"), std::string::npos);
  off = 7;
  std::memcpy(&img[off_at], &off, 8);
  EXPECT_NE(error_of(img).find("not a multiple of the alignment"), std::string::npos);
  off = 0;  // onto token_embd.weight
  std::memcpy(&img[off_at], &off, 8);
  EXPECT_NE(error_of(img).find("overlap"), std::string::npos);
}

TEST(Gguf, OpenNamesMissingAndShortFiles) {
  EXPECT_THROW(GgufFile::open("/nonexistent/x.gguf"), InputError);
}

// llama.cpp's convert permutes rows (h, 2, d/2) -> (h, d/2, 2); undoing it
// must give back the Hugging Face order.
TEST(Gguf, UnpermuteInvertsLlamaCppPermutation) {
  const int64_t n_head = 3, head_dim = 4, in = 5;
  torch::Tensor hf =
      torch::arange(n_head * head_dim * in, torch::kFloat32).reshape({n_head * head_dim, in});
  torch::Tensor permuted =
      hf.reshape({n_head, 2, head_dim / 2, in}).transpose(1, 2).reshape({n_head * head_dim, in});
  EXPECT_TRUE(torch::equal(gguf_unpermute_qk(permuted, n_head), hf));
  EXPECT_FALSE(torch::equal(permuted, hf));
  torch::Tensor bias = torch::arange(n_head * head_dim, torch::kFloat32);
  torch::Tensor pb = bias.reshape({n_head, 2, head_dim / 2}).transpose(1, 2).reshape({-1});
  EXPECT_TRUE(torch::equal(gguf_unpermute_qk(pb, n_head), bias));
}

}  // namespace
}  // namespace traitlab
