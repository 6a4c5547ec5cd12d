#pragma once
// A whole file mapped read-only: what the safetensors and GGUF readers
// parse in place. A missing file or a non-regular one is an InputError, an
// OS failure an IoError, both naming the path.
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace traitlab {

struct MappedFile {
  const uint8_t* data = nullptr;
  size_t size = 0;
  MappedFile() = default;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();
};

// Maps `path`; a file shorter than `min_size` bytes is an InputError
// "PATH: file is N bytes, too short for WHAT".
std::shared_ptr<const MappedFile> map_file(const std::string& path, size_t min_size,
                                           const std::string& what);

}  // namespace traitlab
