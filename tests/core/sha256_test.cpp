#include "core/util/sha256.h"

#include <gtest/gtest.h>

#include <random>
#include <string>

#include "core/util/error.h"
#include "core/util/json_io.h"
#include "tests/core/safetensors_test_util.h"

namespace traitlab {
namespace {

// FIPS 180-4 / NIST example vectors.
TEST(Sha256, KnownVectors) {
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

}  // namespace
}  // namespace traitlab

namespace traitlab {
namespace {

using test::golden_dir;

// The pattern tools/goldens/make_safetensors_goldens.py hashes with hashlib.
std::string byte_pattern(size_t n) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) s[i] = static_cast<char>((131 * i + 7) % 256);
  return s;
}

const char* kRegenerate =
    "regenerate: /work/venv/bin/python tools/goldens/make_safetensors_goldens.py";

TEST(Sha256, MatchesHashlibOnBlockBoundaries) {
  const nlohmann::json g = read_json_file(golden_dir() + "/sha256.json");
  ASSERT_GE(g.at("patterns").size(), 10u);
  std::mt19937 rng(5);
  for (const auto& [len, hex] : g["patterns"].items()) {
    const std::string bytes = byte_pattern(std::stoul(len));
    EXPECT_EQ(sha256_hex(bytes), hex.get<std::string>()) << "length " << len << "; " << kRegenerate;
    // Streaming in random pieces must not change the digest.
    Sha256 h;
    for (size_t at = 0; at < bytes.size();) {
      const size_t k = std::min<size_t>(bytes.size() - at, rng() % 200);
      h.update(bytes.data() + at, k);
      at += k;
    }
    EXPECT_EQ(h.hex_digest(), hex.get<std::string>()) << "streamed, length " << len;
  }
}

TEST(Sha256, FilesMatchHashlib) {
  const nlohmann::json g = read_json_file(golden_dir() + "/sha256.json");
  ASSERT_GE(g.at("files").size(), 5u);
  for (const auto& [file, hex] : g["files"].items()) {
    EXPECT_EQ(sha256_file_hex(golden_dir() + "/" + file), hex.get<std::string>())
        << file << "; " << kRegenerate;
  }
}

TEST(Sha256, LargeFileAcrossReadChunks) {
  const nlohmann::json g = read_json_file(golden_dir() + "/sha256.json");
  test::TempDir tmp;
  const size_t n = (1u << 20) + 3;  // one byte pattern longer than the 1 MiB read buffer
  test::write_bytes(tmp / "big.bin", byte_pattern(n));
  EXPECT_EQ(sha256_file_hex(tmp / "big.bin"),
            g["patterns"].at(std::to_string(n)).get<std::string>());
}

TEST(Sha256, MissingFileIsInputError) {
  test::TempDir tmp;
  EXPECT_THROW(sha256_file_hex(tmp / "absent"), InputError);
  EXPECT_THROW(sha256_file_hex(tmp.str()), IoError);  // a directory cannot be read
}

}  // namespace
}  // namespace traitlab
