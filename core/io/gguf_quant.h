#pragma once
// GGML tensor types as stored in GGUF files, and block dequantization to
// float32. Pure C++ (no torch) so the GGUF reader, tools and fuzzers can use
// it alone.
//
// Exactness: every supported type decodes bit-identically (0 ulp) to the
// Python reference gguf.quants.dequantize (numpy, float32 throughout), as
// tests/core/gguf_quant_test.cpp checks against
// tests/data/gguf/quant_goldens.json. The code keeps the reference's order:
//   Q4_1, Q5_1:        (d * q) + m
//   Q2_K, Q4_K, Q5_K:  ((d * sc) * q) - (dmin * m)
//   Q3_K, Q6_K:        (d * sc) * q
//   Q4_0, Q5_0, Q8_0, Q8_1, Q8_K:  q * d
// but the match does not depend on it: d is an f16 (at most 11 significant
// bits) and sc, m, q are small integers (Q6_K worst: 7-bit scale, 5-bit
// quant), so every product has at most 23 significant bits and is exact in
// float32, and no nonzero product is below 2^-24 (never subnormal). The only
// rounding is the final add/subtract, so association order and FMA
// contraction cannot change a bit. Q8_K (f32 d times int8) rounds once, in
// its only operation. A process that sets flush-to-zero (e.g. code linked
// with -ffast-math) could still differ for Q8_K with a subnormal d.
//
// Two types have no dequantizer in the gguf package (0.19): Q8_1 and Q8_K are
// ggml's dot-product intermediates; their goldens come from the same numpy
// formula (d * q) written in the golden script. F64 narrows to float with
// round-to-nearest-even; F16/BF16 widen exactly (NaN payloads kept, as numpy
// does; signalling NaNs are not quieted).
//
// Note: traitlab sizes Q8_1 as ggml does today (two f16 + 32 int8 = 36
// bytes); gguf-py 0.19's GGML_QUANT_SIZES still says 40 (old float d, s).
#include <cstdint>
#include <string>

namespace traitlab {

// ggml tensor types (ggml.h numbering, as stored in GGUF tensor infos).
enum class GgmlType : uint32_t {
  F32 = 0,
  F16 = 1,
  Q4_0 = 2,
  Q4_1 = 3,
  Q5_0 = 6,
  Q5_1 = 7,
  Q8_0 = 8,
  Q8_1 = 9,
  Q2_K = 10,
  Q3_K = 11,
  Q4_K = 12,
  Q5_K = 13,
  Q6_K = 14,
  Q8_K = 15,
  I8 = 24,
  I16 = 25,
  I32 = 26,
  I64 = 27,
  F64 = 28,
  BF16 = 30
};

struct GgmlTypeInfo {
  const char* name;    // "Q4_K", "F32", ... as ggml/GGUF name them
  int64_t block_size;  // elements per block (1 for plain types)
  int64_t type_size;   // bytes per block
  bool dequantizable;  // dequantize_row() supports it as a float source
};

// Type information, or nullptr for a number traitlab does not know at all.
// Known-but-unsupported types (IQ*, TQ*, MXFP4, integer types) have entries
// with dequantizable=false so errors can name them.
const GgmlTypeInfo* ggml_type_info(uint32_t type);

// Bytes for n elements of `type`. InputError naming `where` when n is
// negative, not a multiple of the block size, or the size overflows;
// UnsupportedError when the type number is unknown.
uint64_t ggml_row_bytes(uint32_t type, int64_t n, const std::string& where);

// Dequantizes n elements (a multiple of the block size) from src, which holds
// ggml_row_bytes(type, n) bytes, into dst (float32).
// Supported: F32, F16, BF16, F64 (narrowed to float), Q4_0, Q4_1, Q5_0, Q5_1,
// Q8_0, Q8_1, Q2_K, Q3_K, Q4_K, Q5_K, Q6_K, Q8_K.
// Other types -> UnsupportedError naming the type and `where`.
void dequantize_row(uint32_t type, const uint8_t* src, float* dst, int64_t n,
                    const std::string& where);

}  // namespace traitlab
