#pragma once
// The safetensors dtype table, shared by the reader and the writer.
// `rank` is the position in the Rust crate's Dtype enum: its writer lays
// tensors out by descending rank (alignment first), then by name, and
// traitlab's writer does the same so files are byte-identical.
#include <cstdint>
#include <string>

namespace traitlab {

struct SafetensorsDtype {
  const char* name;
  int64_t size;   // bytes per element
  int rank;       // order in the Rust crate's enum (BOOL lowest)
  bool torch_ok;  // representable in LibTorch 1.13
};

// nullptr for a name that is not a safetensors dtype.
const SafetensorsDtype* find_safetensors_dtype(const std::string& name);

}  // namespace traitlab
