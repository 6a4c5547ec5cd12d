// Malformed safetensors files, each made in the test from a valid one: every
// defect must be an InputError whose one-line message names the file and,
// where there is one, the tensor.
#include <gtest/gtest.h>

#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "tests/core/safetensors_test_util.h"

namespace traitlab {
namespace {

using test::craft;
using test::TempDir;

class SafetensorsBadInput : public ::testing::Test {
 protected:
  // Writes `bytes` and expects open() (and loading every tensor) to fail
  // with an InputError containing the path and every part.
  void expect_rejected(const std::string& bytes, const std::vector<std::string>& parts) {
    const std::string p = tmp_ / ("case" + std::to_string(n_++) + ".safetensors");
    test::write_bytes(p, bytes);
    try {
      const auto f = SafetensorsFile::open(p);
      for (const auto& e : f.entries()) f.load(e.name);
      ADD_FAILURE() << "accepted; expected an error with " << parts[0];
    } catch (const InputError& e) {
      const std::string msg = e.what();
      EXPECT_EQ(msg.rfind(p + ": ", 0), 0u) << "message must start with the path: " << msg;
      EXPECT_EQ(msg.find('\n'), std::string::npos) << msg;
      for (const auto& part : parts) {
        EXPECT_NE(msg.find(part), std::string::npos) << "'" << part << "' not in: " << msg;
      }
    }
  }
  // One F32 tensor "w" of shape [2] at [0, 8] plus its data: the valid base.
  static std::string valid() {
    return craft(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})", std::string(8, 'x'));
  }
  static std::string entry(const std::string& name, const std::string& body) {
    return "\"" + name + "\":{" + body + "}";
  }
  TempDir tmp_;
  int n_ = 0;
};

TEST_F(SafetensorsBadInput, ValidBaseLoads) {
  const std::string p = tmp_ / "ok.safetensors";
  test::write_bytes(p, valid());
  EXPECT_EQ(SafetensorsFile::open(p).load("w").numel(), 2);
}

TEST_F(SafetensorsBadInput, TruncatedFiles) {
  expect_rejected(valid().substr(0, 5), {"file is 5 bytes", "too short"});
  expect_rejected("", {"file is 0 bytes"});
  expect_rejected(valid().substr(0, 20), {"header length", "exceeds"});
  // Losing the last data bytes puts the tensor past the data section.
  const std::string v = valid();
  expect_rejected(v.substr(0, v.size() - 4), {"tensor 'w'", "[0, 8]", "beyond", "4 bytes"});
}

TEST_F(SafetensorsBadInput, HeaderLength) {
  std::string v = valid();
  expect_rejected(test::le64(v.size()) + v.substr(8), {"header length", "exceeds"});
  expect_rejected(test::le64(1ull << 40) + v.substr(8), {"100000000-byte limit"});
  expect_rejected(test::le64(~0ull) + v.substr(8), {"100000000-byte limit"});
}

TEST_F(SafetensorsBadInput, HeaderNotJsonObject) {
  expect_rejected(craft(R"({"w": {"dtype": )", ""), {"header is not valid JSON"});
  expect_rejected(craft("[1, 2]", ""), {"header must be a JSON object"});
  expect_rejected(craft("{\"a\":\"\xff\xfe\"}", ""), {"not valid JSON"});
  expect_rejected(craft(std::string(40, '[') + std::string(40, ']'), ""), {"nests deeper"});
  expect_rejected(craft(std::string("{}\0\0\0", 5), ""), {"not valid JSON"});
}

TEST_F(SafetensorsBadInput, EntryFields) {
  const std::string off = R"("data_offsets":[0,8])";
  expect_rejected(craft("{" + entry("w", R"("shape":[2],)" + off) + "}", std::string(8, 0)),
                  {"tensor 'w'", "missing 'dtype'"});
  expect_rejected(craft("{" + entry("w", R"("dtype":"F32",)" + off) + "}", std::string(8, 0)),
                  {"tensor 'w'", "missing 'shape'"});
  expect_rejected(craft("{" + entry("w", R"("dtype":"F32","shape":[2])") + "}", std::string(8, 0)),
                  {"tensor 'w'", "missing 'data_offsets'"});
  expect_rejected(craft(R"({"w":[1]})", ""), {"tensor 'w'", "must be an object"});
  expect_rejected(
      craft("{" + entry("w", R"("dtype":"F31","shape":[2],)" + off) + "}", std::string(8, 0)),
      {"tensor 'w'", "unknown dtype 'F31'"});
  expect_rejected(
      craft("{" + entry("w", R"("dtype":4,"shape":[2],)" + off) + "}", std::string(8, 0)),
      {"tensor 'w'", "dtype must be a string"});
}

TEST_F(SafetensorsBadInput, Shapes) {
  for (const std::string shape : {"[-2]", "[2.5]", "[\"2\"]", "2", "[[2]]"}) {
    expect_rejected(
        craft("{" + entry("w", R"("dtype":"F32","shape":)" + shape + R"(,"data_offsets":[0,8])") +
                  "}",
              std::string(8, 0)),
        {"tensor 'w'", "shape must be a list of non-negative integers"});
  }
  expect_rejected(craft("{" +
                            entry("w", R"("dtype":"F32","shape":[4611686018427387904,4],)"
                                       R"("data_offsets":[0,8])") +
                            "}",
                        std::string(8, 0)),
                  {"tensor 'w'", "overflows"});
  // A zero dimension does not excuse the others: LibTorch's strides would overflow.
  expect_rejected(craft("{" +
                            entry("w", R"("dtype":"F32","shape":[0,9223372036854775807,2],)"
                                       R"("data_offsets":[0,0])") +
                            "}",
                        ""),
                  {"tensor 'w'", "overflows"});
}

TEST_F(SafetensorsBadInput, SizeMismatchMessageIsExact) {
  const std::string p = tmp_ / "model.safetensors";
  test::write_bytes(p, craft(R"({"model.embed_tokens.weight":{"dtype":"F32","shape":[10,4],)"
                             R"("data_offsets":[0,100]}})",
                             std::string(100, 0)));
  try {
    SafetensorsFile::open(p);
    ADD_FAILURE() << "accepted";
  } catch (const InputError& e) {
    EXPECT_EQ(std::string(e.what()),
              p + ": tensor 'model.embed_tokens.weight': data_offsets [0, 100] but shape [10, 4] "
                  "x F32 needs 160 bytes");
  }
}

TEST_F(SafetensorsBadInput, Offsets) {
  const auto f32 = [](const std::string& name, int b, int e) {
    return entry(name, R"("dtype":"F32","shape":[2],"data_offsets":[)" + std::to_string(b) + "," +
                           std::to_string(e) + "]");
  };
  // end < begin
  expect_rejected(craft("{" + entry("w", R"("dtype":"F32","shape":[0],"data_offsets":[8,0])") + "}",
                        std::string(8, 0)),
                  {"tensor 'w'", "[8, 0]", "end before begin"});
  expect_rejected(craft("{" + entry("w", R"("dtype":"F32","shape":[2],"data_offsets":[0])") + "}",
                        std::string(8, 0)),
                  {"tensor 'w'", "data_offsets must be [begin, end]"});
  // overlap
  expect_rejected(craft("{" + f32("a", 0, 8) + "," + f32("b", 4, 12) + "}", std::string(12, 0)),
                  {"tensor 'b'", "[4, 12]", "overlap tensor 'a' [0, 8]"});
  // beyond the data section
  expect_rejected(craft("{" + f32("a", 0, 8) + "," + f32("b", 8, 16) + "}", std::string(12, 0)),
                  {"tensor 'b'", "[8, 16]", "beyond the data section of 12 bytes"});
  // hole between tensors, hole at the start
  expect_rejected(craft("{" + f32("a", 0, 8) + "," + f32("b", 12, 20) + "}", std::string(20, 0)),
                  {"tensor 'b'", "hole", "[8, 12]"});
  expect_rejected(craft("{" + f32("a", 4, 12) + "}", std::string(12, 0)),
                  {"tensor 'a'", "hole", "[0, 4]"});
  // trailing bytes nobody owns
  expect_rejected(craft("{" + f32("a", 0, 8) + "}", std::string(16, 0)),
                  {"data section is 16 bytes", "cover only 8"});
  // the same name twice
  expect_rejected(craft("{" + f32("a", 0, 8) + "," + f32("a", 8, 16) + "}", std::string(16, 0)),
                  {"duplicate key 'a'"});
}

TEST_F(SafetensorsBadInput, Metadata) {
  const std::string w = R"("w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]})";
  expect_rejected(craft(R"({"__metadata__":{"k":1},)" + w + "}", std::string(8, 0)),
                  {"'__metadata__' key 'k' must be a string"});
  expect_rejected(craft(R"({"__metadata__":["k"],)" + w + "}", std::string(8, 0)),
                  {"'__metadata__' must map strings to strings"});
}

TEST_F(SafetensorsBadInput, BoolBytesAndOddNames) {
  expect_rejected(craft(R"({"m":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}})", "\x01\x07"),
                  {"tensor 'm'", "BOOL element 1 is byte 7"});
  // A name with a newline still gives a one-line message.
  expect_rejected(craft(R"({"a\nb":{"dtype":"Z","shape":[],"data_offsets":[0,0]}})", ""),
                  {"tensor 'a\\x0ab'", "unknown dtype"});
}

TEST_F(SafetensorsBadInput, NotAFile) {
  EXPECT_THROW(SafetensorsFile::open(tmp_ / "absent.safetensors"), InputError);
  EXPECT_THROW(SafetensorsFile::open(tmp_.str()), InputError);
}

}  // namespace
}  // namespace traitlab
