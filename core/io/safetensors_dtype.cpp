// safetensors dtype names, sizes and their LibTorch equivalents.
#include "core/io/safetensors_dtype.h"

#include "core/io/safetensors.h"
#include "core/util/error.h"

namespace traitlab {

namespace {
// Ranks follow the Rust crate's enum order (checked against the Python
// library's layout by tools/goldens/make_safetensors_goldens.py). F4/F6/E8M0
// sit between them there but are not listed by traitlab, so only the
// relative order matters.
constexpr SafetensorsDtype kDtypes[] = {
    {"BOOL", 1, 0, true},     {"U8", 1, 1, true},   {"I8", 1, 2, true},    {"F8_E5M2", 1, 3, false},
    {"F8_E4M3", 1, 4, false}, {"I16", 2, 5, true},  {"U16", 2, 6, false},  {"F16", 2, 7, true},
    {"BF16", 2, 8, true},     {"I32", 4, 9, true},  {"U32", 4, 10, false}, {"F32", 4, 11, true},
    {"F64", 8, 12, true},     {"I64", 8, 13, true}, {"U64", 8, 14, false},
};
}  // namespace

const SafetensorsDtype* find_safetensors_dtype(const std::string& name) {
  for (const auto& d : kDtypes) {
    if (name == d.name) return &d;
  }
  return nullptr;
}

torch::ScalarType safetensors_dtype_to_torch(const std::string& dtype, const std::string& where) {
  if (dtype == "BOOL") return torch::kBool;
  if (dtype == "U8") return torch::kUInt8;
  if (dtype == "I8") return torch::kInt8;
  if (dtype == "I16") return torch::kInt16;
  if (dtype == "I32") return torch::kInt32;
  if (dtype == "I64") return torch::kInt64;
  if (dtype == "F16") return torch::kFloat16;
  if (dtype == "BF16") return torch::kBFloat16;
  if (dtype == "F32") return torch::kFloat32;
  if (dtype == "F64") return torch::kFloat64;
  if (find_safetensors_dtype(dtype)) {
    throw UnsupportedError(str(where, ": dtype ", dtype,
                               " has no LibTorch 1.13 equivalent (supported: BOOL, U8, I8, ",
                               "I16, I32, I64, F16, BF16, F32, F64)"));
  }
  throw InputError(str(where, ": unknown safetensors dtype '", dtype, "'"));
}

std::string torch_dtype_to_safetensors(torch::ScalarType t) {
  switch (t) {
    case torch::kBool:
      return "BOOL";
    case torch::kUInt8:
      return "U8";
    case torch::kInt8:
      return "I8";
    case torch::kInt16:
      return "I16";
    case torch::kInt32:
      return "I32";
    case torch::kInt64:
      return "I64";
    case torch::kFloat16:
      return "F16";
    case torch::kBFloat16:
      return "BF16";
    case torch::kFloat32:
      return "F32";
    case torch::kFloat64:
      return "F64";
    default:
      throw UnsupportedError(
          str("torch dtype ", c10::toString(t), " cannot be stored in safetensors by traitlab"));
  }
}

}  // namespace traitlab
