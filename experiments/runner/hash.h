#pragma once
// Small, stable, dependency-free hashes. Their outputs are part of the file
// formats (cell ids, cell seeds, journal checksums), so they must never
// change: tests pin published test vectors.
#include <cstddef>
#include <cstdint>
#include <string>

namespace traitlab::runner {

// FNV-1a, 64-bit (offset basis 0xcbf29ce484222325, prime 0x100000001b3).
uint64_t fnv1a64(const void* data, size_t n);
inline uint64_t fnv1a64(const std::string& s) { return fnv1a64(s.data(), s.size()); }
// SplitMix64's output function (Steele, Lea, Flood 2014): a bijective mix
// of x + 0x9e3779b97f4a7c15.
uint64_t splitmix64(uint64_t x);
// CRC-32 (IEEE 802.3, reflected, poly 0xedb88320), as zlib's crc32().
uint32_t crc32(const void* data, size_t n, uint32_t crc = 0);
std::string hex64(uint64_t v);  // 16 lowercase hex digits

}  // namespace traitlab::runner
