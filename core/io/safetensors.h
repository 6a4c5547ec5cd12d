#pragma once
// safetensors read (memory-mapped, validated) and write.
// Format: u64 little-endian header length N, N bytes of JSON
// {name: {dtype, shape, data_offsets: [begin, end]}, "__metadata__": {...}},
// then the data; offsets are relative to byte 8 + N. open() rejects absurd
// header lengths, overlapping/out-of-range/non-contiguous offsets, sizes that
// do not match shape x dtype, and unknown dtypes, with an InputError naming
// the file and the tensor.
#include <torch/torch.h>

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/io/gguf.h"
#include "core/io/mapped_file.h"

namespace traitlab {

struct TensorEntry {
  std::string name;
  std::string dtype;  // as in the file: "F32", "BF16", ...
  std::vector<int64_t> shape;
  uint64_t begin = 0;  // relative to the data section
  uint64_t end = 0;
};

class SafetensorsFile {
 public:
  static SafetensorsFile open(const std::string& path);
  // Validates a header against a data section of `data_size` bytes (used by
  // open() and by the fuzzer). Throws InputError naming `where`.
  static std::vector<TensorEntry> parse_header(const std::string& header_json, uint64_t data_size,
                                               const std::string& where,
                                               std::map<std::string, std::string>* metadata);

  const std::string& path() const { return path_; }
  // Ordered by data offset (the order of the bytes in the file).
  const std::vector<TensorEntry>& entries() const { return entries_; }
  const TensorEntry* find(const std::string& name) const;  // nullptr if absent
  // A CPU tensor that owns a copy of the data, in the file's dtype. U16, U32,
  // U64 and F8 tensors (no LibTorch 1.13 dtype) give an UnsupportedError
  // here, not in open(); a BOOL byte other than 0/1 is an InputError.
  torch::Tensor load(const std::string& name) const;
  const std::map<std::string, std::string>& metadata() const { return metadata_; }

 private:
  std::string path_;
  std::vector<TensorEntry> entries_;
  std::map<std::string, size_t> index_;
  std::map<std::string, std::string> metadata_;
  std::shared_ptr<const MappedFile> map_;
  uint64_t data_offset_ = 0;
};

// Writes tensors (made contiguous, moved to CPU) to a temporary file beside
// `path`, fsyncs it, then renames it into place. The layout is the Python
// `safetensors` library's (data ordered by descending dtype size class, then
// name; header padded with spaces to 8 bytes), so for the same tensors and at
// most one metadata key the bytes are identical. Duplicate names or
// "__metadata__" as a name: InputError; an unwritable directory: IoError;
// a dtype safetensors/traitlab cannot store: UnsupportedError.
void save_safetensors(const std::string& path,
                      const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata = {});

// The weights of a model directory: model.safetensors, or the shards listed
// by model.safetensors.index.json (shards must exist, hold the tensors mapped
// to them, and not share a tensor). Neither file: InputError. Pickle
// checkpoints (.bin/.pt) are never read.
class WeightSource {
 public:
  static WeightSource open_dir(const std::string& dir);
  // A GGUF file's tensors under Hugging Face names (`names`: from
  // gguf_weight_map). load() dequantizes to float32 and undoes the Q/K
  // permutation; info().dtype is the ggml type name ("Q4_K").
  static WeightSource open_gguf(std::shared_ptr<const GgufFile> file,
                                const std::map<std::string, GgufWeight>& names);
  std::vector<std::string> names() const;
  bool has(const std::string& name) const;
  const TensorEntry& info(const std::string& name) const;  // InputError if absent
  torch::Tensor load(const std::string& name) const;       // InputError if absent
  // Files read, for provenance hashing: the index (if any), then the shards.
  std::vector<std::string> files() const;

 private:
  std::vector<SafetensorsFile> files_;
  std::map<std::string, size_t> where_;
  std::string dir_;
  std::string index_path_;  // empty for a single model.safetensors
  // GGUF mode: entries under Hugging Face names, and where each lives.
  std::shared_ptr<const GgufFile> gguf_;
  std::map<std::string, TensorEntry> gguf_entries_;
  std::map<std::string, GgufWeight> gguf_names_;
};

torch::ScalarType safetensors_dtype_to_torch(const std::string& dtype, const std::string& where);
std::string torch_dtype_to_safetensors(torch::ScalarType t);

}  // namespace traitlab
