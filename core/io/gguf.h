#pragma once
// GGUF (llama.cpp's model file), read memory-mapped and validated.
// Layout (little-endian): "GGUF", u32 version (2 or 3), u64 tensor count,
// u64 metadata count; metadata as (string key, u32 type, value); tensor
// infos as (string name, u32 n_dims, u64 dims[n_dims] innermost first,
// u32 ggml type, u64 offset); then, aligned to general.alignment (default
// 32), the data section, which tensor offsets are relative to.
// open()/parse() refuse, with an InputError naming the file and the key or
// tensor: a bad magic or version, counts or string/array lengths that the
// file cannot hold, duplicate keys or tensor names, unknown value or tensor
// types, more than 4 dims or a zero dim, element counts that overflow,
// rows that are not whole blocks, unaligned offsets, tensors that overlap
// or reach past the end of the file.
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "core/io/mapped_file.h"

namespace traitlab {

struct GgufTensor {
  std::string name;
  uint32_t type = 0;           // ggml type number (gguf_quant.h)
  std::vector<int64_t> dims;   // as stored: innermost (contiguous) first
  std::vector<int64_t> shape;  // torch order: dims reversed
  uint64_t offset = 0;         // absolute, from the start of the file
  uint64_t n_bytes = 0;
  int64_t numel() const;
};

class GgufFile {
 public:
  static GgufFile open(const std::string& path);
  // Parses and validates a whole file image (the fuzzer's entry point).
  // The returned object refers to `data`, which must outlive it.
  static GgufFile parse(const uint8_t* data, size_t size, const std::string& where);

  const std::string& path() const { return path_; }
  uint32_t version() const { return version_; }
  uint64_t alignment() const { return alignment_; }
  // Metadata values as JSON: integers, floats, bools, strings (bytes as
  // stored; not checked for UTF-8), arrays. Integer keys keep their
  // signedness; the GGUF value type of each key is in value_types().
  const nlohmann::json& metadata() const { return metadata_; }
  const std::map<std::string, uint32_t>& value_types() const { return value_types_; }
  bool has(const std::string& key) const { return metadata_.contains(key); }
  // Typed lookups; a key of the wrong type is an InputError naming it.
  std::string get_string(const std::string& key) const;
  int64_t get_int(const std::string& key) const;
  double get_float(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  const nlohmann::json& get_array(const std::string& key) const;

  const std::vector<GgufTensor>& tensors() const { return tensors_; }
  const GgufTensor* find(const std::string& name) const;  // nullptr if absent
  // The tensor dequantized to float32, in torch order (a CPU tensor that
  // owns its data). An unsupported ggml type is an UnsupportedError.
  torch::Tensor load_float(const GgufTensor& t) const;

 private:
  std::string path_;
  uint32_t version_ = 0;
  uint64_t alignment_ = 32;
  nlohmann::json metadata_ = nlohmann::json::object();
  std::map<std::string, uint32_t> value_types_;
  std::vector<GgufTensor> tensors_;
  std::map<std::string, size_t> index_;
  std::shared_ptr<const MappedFile> map_;
  const uint8_t* data_ = nullptr;
  size_t size_ = 0;
};

// GGUF value type numbers (gguf.h).
enum class GgufValueType : uint32_t {
  U8 = 0,
  I8 = 1,
  U16 = 2,
  I16 = 3,
  U32 = 4,
  I32 = 5,
  F32 = 6,
  Bool = 7,
  String = 8,
  Array = 9,
  U64 = 10,
  I64 = 11,
  F64 = 12
};

struct GgufWeight {
  std::string gguf_name;
  // llama.cpp stores the Q/K rows of llama-family models permuted for its
  // interleaved rope; >0: the head count whose permutation to undo.
  int64_t unpermute_heads = 0;
  // llama.cpp adds 1 to every norm weight of Gemma models at conversion
  // (their RMSNorm scales by 1 + w); the value to subtract after loading.
  float subtract = 0.0f;
};

// Undoes llama.cpp's convert-time permutation of a [n_head*head_dim, ...]
// Q or K projection: rows (h, 2, d/2) were written as (h, d/2, 2).
torch::Tensor gguf_unpermute_qk(const torch::Tensor& w, int64_t n_head);

// True for a path that names a .gguf file (by extension).
bool is_gguf_path(const std::string& path);

}  // namespace traitlab
