#pragma once
// SHA-256 (FIPS 180-4), streaming, for provenance: results files record the
// hash of every weight and config file they were computed from. Our own
// implementation so the core needs no crypto library; tests check it against
// the FIPS vectors and Python's hashlib.
#include <array>
#include <cstddef>
#include <cstdint>
#include <string>

namespace traitlab {

class Sha256 {
 public:
  Sha256();
  void update(const void* data, size_t n);
  void update(const std::string& bytes) { update(bytes.data(), bytes.size()); }
  // Finishes the hash; the object must not be updated afterwards.
  std::array<uint8_t, 32> digest();
  std::string hex_digest();  // 64 lowercase hex characters

 private:
  void compress(const uint8_t* block);
  std::array<uint32_t, 8> state_;
  std::array<uint8_t, 64> buffer_{};
  size_t buffered_ = 0;
  uint64_t total_bytes_ = 0;
  bool finished_ = false;
};

// Hex SHA-256 of a byte string.
std::string sha256_hex(const std::string& bytes);
// Hex SHA-256 of a file, read in 1 MiB chunks. Missing file: InputError;
// unreadable: IoError.
std::string sha256_file_hex(const std::string& path);

}  // namespace traitlab
