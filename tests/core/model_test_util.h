#pragma once
// Shared helpers for the model tests: golden files written by
// tools/goldens/make_model_goldens.py, and difference reports that say
// where the largest difference is and how to regenerate the goldens.
#include <gtest/gtest.h>
#include <torch/torch.h>

#include <sstream>
#include <string>

#include "core/io/safetensors.h"
#include "core/model/decoder.h"
#include "core/util/json_io.h"

namespace traitlab::testing {

inline std::string model_dir(const std::string& name) {
  return std::string(TRAITLAB_TEST_DATA) + "/models/" + name;
}

constexpr const char* kRegenerate =
    "regenerate with /work/venv/bin/python tools/goldens/make_model_goldens.py";

struct Golden {
  SafetensorsFile file;
  nlohmann::json info;
  torch::Tensor operator[](const std::string& name) const {
    EXPECT_NE(file.find(name), nullptr)
        << file.path() << ": no golden tensor " << name << "; " << kRegenerate;
    return file.load(name);
  }
};

inline Golden load_golden(const std::string& name) {
  Golden g{SafetensorsFile::open(model_dir(name) + "/goldens.safetensors"),
           read_json_file(model_dir(name) + "/goldens.json")};
  EXPECT_EQ(g.info.value("format_version", 0), 1) << "golden format changed; " << kRegenerate;
  return g;
}

// Largest |a - b| and where, as "max |diff| = x at [i, j, k] (a vs b)".
struct DiffReport {
  double max_abs = 0;
  std::string where;
};

inline DiffReport max_diff(const torch::Tensor& actual, const torch::Tensor& expected) {
  torch::Tensor a = actual.detach().to(torch::kCPU, torch::kFloat64);
  torch::Tensor e = expected.detach().to(torch::kCPU, torch::kFloat64);
  DiffReport r;
  if (a.sizes() != e.sizes()) {
    std::ostringstream os;
    os << "shape " << a.sizes() << " vs expected " << e.sizes();
    r.max_abs = INFINITY;
    r.where = os.str();
    return r;
  }
  torch::Tensor d = (a - e).abs();
  int64_t flat = d.argmax().item<int64_t>();
  r.max_abs = d.flatten()[flat].item<double>();
  std::vector<int64_t> idx(a.dim());
  for (int64_t k = a.dim() - 1, rest = flat; k >= 0; --k) {
    idx[k] = rest % a.size(k);
    rest /= a.size(k);
  }
  std::ostringstream os;
  os << "max |diff| = " << r.max_abs << " at " << c10::IntArrayRef(idx) << " ("
     << a.flatten()[flat].item<double>() << " vs expected " << e.flatten()[flat].item<double>()
     << ")";
  r.where = os.str();
  return r;
}

// Streams like EXPECT_*: EXPECT_CLOSE(a, b, 1e-5) << "row " << r;
#define EXPECT_CLOSE(actual, expected, tol)                                           \
  switch (0)                                                                          \
  case 0:                                                                             \
  default:                                                                            \
    if (const auto _r = ::traitlab::testing::max_diff((actual), (expected));          \
        _r.max_abs <= (tol)) {                                                        \
    } else                                                                            \
      ADD_FAILURE() << #actual << ": " << _r.where << "; tolerance " << (tol) << "; " \
                    << ::traitlab::testing::kRegenerate << " "

inline bool cuda_ok() { return torch::cuda::is_available(); }

inline std::string dtype_label(torch::ScalarType t) {
  return t == torch::kFloat32 ? "f32" : t == torch::kBFloat16 ? "bf16" : "f16";
}

}  // namespace traitlab::testing
