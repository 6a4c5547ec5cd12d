// Robustness: seeded random mutations of a valid file's bytes. Each must
// either load completely or fail with InputError/UnsupportedError — never
// crash, hang, or throw anything else. (Run it under TRAITLAB_SANITIZE too.)
#include <gtest/gtest.h>

#include <cstring>
#include <random>

#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "tests/core/safetensors_test_util.h"

namespace traitlab {
namespace {

std::string base_file(const test::TempDir& tmp) {
  const std::string p = tmp / "base.safetensors";
  save_safetensors(p,
                   {{"emb", torch::randn({4, 3})},
                    {"h", torch::randn({5}).to(torch::kBFloat16)},
                    {"ids", torch::arange(3, torch::kInt64)},
                    {"mask", torch::tensor({true, false})},
                    {"s", torch::tensor(1.0, torch::kFloat64)}},
                   {{"format", "pt"}});
  return test::read_bytes(p);
}

// One random mutation; `what` says which, for the failure message.
std::string mutate(const std::string& in, std::mt19937_64& rng, std::string* what) {
  std::string s = in;
  auto pick = [&](size_t n) { return n == 0 ? 0 : static_cast<size_t>(rng() % n); };
  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | static_cast<uint8_t>(s[i]);
  const size_t header_end = std::min<size_t>(s.size(), 8 + n);
  static const char kTokens[][24] = {
      "\"F32\"", "\"U16\"", "\"F8_E4M3\"", "\"BOOL\"", "-1",
      "1e3",     "[",       "]",           "{",        "}",
      ",",       "\"",      "null",        "0",        "18446744073709551615"};
  switch (rng() % 8) {
    case 7: {  // swap one tensor's dtype for any safetensors dtype
      static const char* kDtypes[] = {"BOOL", "U8",   "I8",  "I16",     "U16",
                                      "F16",  "BF16", "I32", "U32",     "F32",
                                      "F64",  "I64",  "U64", "F8_E4M3", "F8_E5M2"};
      std::vector<size_t> at;
      for (size_t i = s.find("\"dtype\":\""); i < header_end; i = s.find("\"dtype\":\"", i + 1)) {
        at.push_back(i + 9);
      }
      if (at.empty()) break;
      const size_t b = at[pick(at.size())], e = s.find('"', b);
      const char* d = kDtypes[pick(15)];
      s.replace(b, e - b, d);
      // Keep the header length right, so the change reaches validation.
      s.replace(0, 8, test::le64(n + std::strlen(d) - (e - b)));
      *what = std::string("dtype -> ") + d;
      break;
    }
    case 0: {  // flip bytes inside the header, where they matter most
      const int k = 1 + pick(4);
      for (int i = 0; i < k; ++i) s[8 + pick(header_end - 8)] = static_cast<char>(rng());
      *what = "header byte flips";
      break;
    }
    case 1: {  // replace a digit, to move offsets and shapes
      std::vector<size_t> digits;
      for (size_t i = 8; i < header_end; ++i) {
        if (s[i] >= '0' && s[i] <= '9') digits.push_back(i);
      }
      if (!digits.empty()) s[digits[pick(digits.size())]] = static_cast<char>('0' + pick(10));
      *what = "digit change";
      break;
    }
    case 2: {  // splice a JSON token into the header
      const char* t = kTokens[pick(sizeof kTokens / sizeof kTokens[0])];
      s.replace(8 + pick(header_end - 8), pick(4), t);
      *what = std::string("token splice ") + t;
      break;
    }
    case 3:
      s.resize(pick(s.size()));
      *what = "truncation";
      break;
    case 4: {  // a new header length
      const uint64_t v = rng() % 3 == 0 ? rng() : n + pick(17) - 8;
      s.replace(0, 8, test::le64(v));
      *what = "length field";
      break;
    }
    case 5: {  // insert or delete bytes anywhere
      const size_t at = pick(s.size());
      if (rng() % 2) {
        s.insert(at, 1 + pick(8), static_cast<char>(rng()));
      } else {
        s.erase(at, 1 + pick(8));
      }
      *what = "insert/delete";
      break;
    }
    default:  // flip data bytes (BOOL bytes become invalid)
      for (int i = 0; i < 3; ++i) {
        if (s.size() > header_end) s[header_end + pick(s.size() - header_end)] ^= 1 << pick(8);
      }
      *what = "data byte flips";
  }
  return s;
}

TEST(SafetensorsFuzz, MutatedFilesLoadOrThrowInputError) {
  test::TempDir tmp;
  torch::manual_seed(3);
  const std::string base = base_file(tmp);
  std::mt19937_64 rng(20240601);
  const int kCases = 2000;
  int loaded = 0, rejected = 0, unsupported = 0;
  for (int i = 0; i < kCases; ++i) {
    std::string what;
    const std::string bytes = mutate(base, rng, &what);
    const std::string p = tmp / "fuzz.safetensors";
    test::write_bytes(p, bytes);
    try {
      const auto f = SafetensorsFile::open(p);
      for (const auto& e : f.entries()) {
        const torch::Tensor t = f.load(e.name);
        ASSERT_EQ(t.sizes().vec(), e.shape);
        ASSERT_EQ(static_cast<uint64_t>(t.nbytes()), e.end - e.begin);
      }
      ++loaded;
    } catch (const UnsupportedError&) {
      ++unsupported;
    } catch (const InputError& e) {
      ++rejected;
      ASSERT_EQ(std::string(e.what()).rfind(p, 0), 0u) << "case " << i << " (" << what << ")";
    } catch (const std::exception& e) {
      FAIL() << "case " << i << " (" << what << "): unexpected " << typeid(e).name() << ": "
             << e.what();
    }
  }
  std::cout << "[fuzz] " << kCases << " cases: " << loaded << " loaded, " << rejected
            << " InputError, " << unsupported << " UnsupportedError\n";
  EXPECT_EQ(loaded + rejected + unsupported, kCases);
  // Both outcomes must occur, or the mutations are not probing anything.
  EXPECT_GT(loaded, 50);
  EXPECT_GT(rejected, 500);
  EXPECT_GT(unsupported, 10);
}

}  // namespace
}  // namespace traitlab
