#include "core/io/gguf_quant.h"

#include <cstring>
#include <limits>

#include "core/util/error.h"

// No FMA guard is needed: every product below is exact in float32 (see the
// header), so fusing a*b+c into one rounding gives the same bits as numpy's
// two. Operations still follow the reference's order, so a future format
// with inexact products keeps matching.

namespace traitlab {
namespace {

constexpr int64_t kQK = 256;  // ggml's QK_K: elements per K-quant super-block

// Little-endian field reads built from bytes: independent of host byte order
// and of the alignment of src (GGUF data offsets are only 32-byte aligned per
// tensor; blocks inside are packed at odd sizes).
uint16_t rd16(const uint8_t* p) { return static_cast<uint16_t>(p[0] | (p[1] << 8)); }
uint32_t rd32(const uint8_t* p) {
  return static_cast<uint32_t>(p[0]) | (static_cast<uint32_t>(p[1]) << 8) |
         (static_cast<uint32_t>(p[2]) << 16) | (static_cast<uint32_t>(p[3]) << 24);
}
uint64_t rd64(const uint8_t* p) {
  return static_cast<uint64_t>(rd32(p)) | (static_cast<uint64_t>(rd32(p + 4)) << 32);
}
float bits_to_float(uint32_t b) {
  float f;
  std::memcpy(&f, &b, 4);
  return f;
}

// IEEE binary16 -> binary32, exact. Subnormal halves become normal floats;
// inf/NaN keep sign and payload (numpy does the same; no quieting).
float half_to_float(uint16_t h) {
  const uint32_t sign = static_cast<uint32_t>(h & 0x8000u) << 16;
  const uint32_t exp = (h >> 10) & 0x1fu;
  uint32_t mant = h & 0x3ffu;
  if (exp == 0x1f) return bits_to_float(sign | 0x7f800000u | (mant << 13));
  if (exp != 0) return bits_to_float(sign | ((exp + 112) << 23) | (mant << 13));
  if (mant == 0) return bits_to_float(sign);
  // Subnormal: mant * 2^-24. Shift the leading one up to the implicit bit,
  // lowering the exponent from 2^-14's (113) once per shift.
  uint32_t e = 113;
  while ((mant & 0x400u) == 0) {
    mant <<= 1;
    --e;
  }
  return bits_to_float(sign | (e << 23) | ((mant & 0x3ffu) << 13));
}
float rd_half(const uint8_t* p) { return half_to_float(rd16(p)); }

// ---- 32-element blocks -------------------------------------------------
// Nibble layout shared by Q4_x/Q5_x: byte i holds element i (low nibble)
// and element i+16 (high nibble).
int nibble(const uint8_t* qs, int i) { return i < 16 ? (qs[i] & 0xf) : (qs[i - 16] >> 4); }

void deq_q4_0(const uint8_t* b, float* y) {  // d | qs[16]
  const float d = rd_half(b);
  for (int i = 0; i < 32; ++i) y[i] = d * static_cast<float>(nibble(b + 2, i) - 8);
}
void deq_q4_1(const uint8_t* b, float* y) {  // d | m | qs[16]
  const float d = rd_half(b), m = rd_half(b + 2);
  for (int i = 0; i < 32; ++i) y[i] = d * static_cast<float>(nibble(b + 4, i)) + m;
}
void deq_q5_0(const uint8_t* b, float* y) {  // d | qh (u32, bit i = element i) | qs[16]
  const float d = rd_half(b);
  const uint32_t qh = rd32(b + 2);
  for (int i = 0; i < 32; ++i) {
    const int q = nibble(b + 6, i) | static_cast<int>(((qh >> i) & 1u) << 4);
    y[i] = d * static_cast<float>(q - 16);
  }
}
void deq_q5_1(const uint8_t* b, float* y) {  // d | m | qh | qs[16]
  const float d = rd_half(b), m = rd_half(b + 2);
  const uint32_t qh = rd32(b + 4);
  for (int i = 0; i < 32; ++i) {
    const int q = nibble(b + 8, i) | static_cast<int>(((qh >> i) & 1u) << 4);
    y[i] = d * static_cast<float>(q) + m;
  }
}
// Q8_0: d | qs[32]; Q8_1: d | s | qs[32] (s = d*sum(qs) serves dot products
// only); Q8_K: f32 d | qs[256] | bsums[16] (likewise).
void deq_q8(float d, const uint8_t* qs, float* y, int n) {
  for (int i = 0; i < n; ++i) y[i] = static_cast<float>(static_cast<int8_t>(qs[i])) * d;
}

// ---- 256-element K-quant super-blocks ----------------------------------
// Q2_K: scales[16] (low nibble scale, high nibble min) | qs[64] | d | dmin.
// Byte qs[32*j + l] holds elements 128*j + 32*s + l at bits 2s..2s+1.
void deq_q2_k(const uint8_t* b, float* y) {
  const uint8_t* sc = b;
  const uint8_t* qs = b + 16;
  const float d = rd_half(b + 80), dmin = rd_half(b + 82);
  float dl[16], ml[16];
  for (int k = 0; k < 16; ++k) {
    dl[k] = d * static_cast<float>(sc[k] & 0xf);
    ml[k] = dmin * static_cast<float>(sc[k] >> 4);
  }
  for (int i = 0; i < kQK; ++i) {
    const int j = i / 128, s = (i / 32) % 4, l = i % 32;
    const int q = (qs[32 * j + l] >> (2 * s)) & 3;
    y[i] = dl[i / 16] * static_cast<float>(q) - ml[i / 16];
  }
}

// Q3_K: hmask[32] | qs[64] | scales[12] | d. Low 2 bits as in Q2_K; element
// 32*b + l subtracts 4 unless bit b of hmask[l] is set. Sixteen 6-bit
// signed scales (offset 32): low 4 bits in nibbles of bytes 0..7 (scale k in
// byte k%8, high nibble for k >= 8), top 2 bits in bytes 8..11 (byte 8+k%4,
// bits 2*(k/4)).
void deq_q3_k(const uint8_t* b, float* y) {
  const uint8_t* hm = b;
  const uint8_t* qs = b + 32;
  const uint8_t* sc = b + 96;
  const float d = rd_half(b + 108);
  float dl[16];
  for (int k = 0; k < 16; ++k) {
    const int lo = (sc[k % 8] >> (4 * (k / 8))) & 0xf;
    const int hi = (sc[8 + k % 4] >> (2 * (k / 4))) & 3;
    dl[k] = d * static_cast<float>((lo | (hi << 4)) - 32);
  }
  for (int i = 0; i < kQK; ++i) {
    const int j = i / 128, s = (i / 32) % 4, l = i % 32;
    const int low = (qs[32 * j + l] >> (2 * s)) & 3;
    const int high_clear = ((hm[l] >> (i / 32)) & 1) ^ 1;
    y[i] = dl[i / 16] * static_cast<float>(low - 4 * high_clear);
  }
}

// Q4_K/Q5_K: eight 6-bit scales and mins packed in 12 bytes. For j < 4:
// scale = b[j] & 63, min = b[j+4] & 63; for j >= 4 the low 4 bits come from
// the nibbles of b[j+4] and the top 2 from bits 6..7 of b[j-4] / b[j].
void k_scale_min(const uint8_t* s, int j, int* sc, int* m) {
  if (j < 4) {
    *sc = s[j] & 63;
    *m = s[j + 4] & 63;
  } else {
    *sc = (s[j + 4] & 0xf) | ((s[j - 4] >> 6) << 4);
    *m = (s[j + 4] >> 4) | ((s[j] >> 6) << 4);
  }
}

// Q4_K: d | dmin | scales[12] | qs[128]; Q5_K adds qh[32] before qs, bit j of
// qh[l] being the fifth bit of element 32*j + l. Sub-block j (32 elements)
// reads nibble j%2 of qs[32*(j/2) + l].
void deq_q45_k(const uint8_t* b, float* y, bool five_bit) {
  const float d = rd_half(b), dmin = rd_half(b + 2);
  const uint8_t* scales = b + 4;
  const uint8_t* qh = b + 16;
  const uint8_t* qs = five_bit ? b + 48 : b + 16;
  for (int j = 0; j < 8; ++j) {
    int sc = 0, m = 0;
    k_scale_min(scales, j, &sc, &m);
    const float dl = d * static_cast<float>(sc);
    const float ml = dmin * static_cast<float>(m);
    for (int l = 0; l < 32; ++l) {
      int q = (qs[32 * (j / 2) + l] >> (4 * (j % 2))) & 0xf;
      if (five_bit) q |= ((qh[l] >> j) & 1) << 4;
      y[32 * j + l] = dl * static_cast<float>(q) - ml;
    }
  }
}

// Q6_K: ql[128] | qh[64] | scales[16] (int8) | d. In each 128-element half
// a: low nibble h of ql[64*a + m] for element 64*h + m, and 2 high bits
// from qh[32*a + l] bits 2s..2s+1 for element 32*s + l; offset 32.
void deq_q6_k(const uint8_t* b, float* y) {
  const uint8_t* ql = b;
  const uint8_t* qh = b + 128;
  const uint8_t* sc = b + 192;
  const float d = rd_half(b + 208);
  float dl[16];
  for (int k = 0; k < 16; ++k) dl[k] = d * static_cast<float>(static_cast<int8_t>(sc[k]));
  for (int i = 0; i < kQK; ++i) {
    const int a = i / 128, r = i % 128;
    const int lo = (ql[64 * a + r % 64] >> (4 * (r / 64))) & 0xf;
    const int hi = (qh[32 * a + r % 32] >> (2 * (r / 32))) & 3;
    y[i] = dl[i / 16] * static_cast<float>((lo | (hi << 4)) - 32);
  }
}

struct TypeEntry {
  uint32_t type;
  GgmlTypeInfo info;
};

// Sizes from ggml-common.h (and gguf-py constants for the newest types).
// Numbers ggml retired (4, 5, 31-33, 36-38) are deliberately absent.
constexpr TypeEntry kTypes[] = {
    {0, {"F32", 1, 4, true}},          {1, {"F16", 1, 2, true}},
    {2, {"Q4_0", 32, 18, true}},       {3, {"Q4_1", 32, 20, true}},
    {6, {"Q5_0", 32, 22, true}},       {7, {"Q5_1", 32, 24, true}},
    {8, {"Q8_0", 32, 34, true}},       {9, {"Q8_1", 32, 36, true}},
    {10, {"Q2_K", 256, 84, true}},     {11, {"Q3_K", 256, 110, true}},
    {12, {"Q4_K", 256, 144, true}},    {13, {"Q5_K", 256, 176, true}},
    {14, {"Q6_K", 256, 210, true}},    {15, {"Q8_K", 256, 292, true}},
    {16, {"IQ2_XXS", 256, 66, false}}, {17, {"IQ2_XS", 256, 74, false}},
    {18, {"IQ3_XXS", 256, 98, false}}, {19, {"IQ1_S", 256, 50, false}},
    {20, {"IQ4_NL", 32, 18, false}},   {21, {"IQ3_S", 256, 110, false}},
    {22, {"IQ2_S", 256, 82, false}},   {23, {"IQ4_XS", 256, 136, false}},
    {24, {"I8", 1, 1, false}},         {25, {"I16", 1, 2, false}},
    {26, {"I32", 1, 4, false}},        {27, {"I64", 1, 8, false}},
    {28, {"F64", 1, 8, true}},         {29, {"IQ1_M", 256, 56, false}},
    {30, {"BF16", 1, 2, true}},        {34, {"TQ1_0", 256, 54, false}},
    {35, {"TQ2_0", 256, 66, false}},   {39, {"MXFP4", 32, 17, false}},
    {40, {"NVFP4", 64, 36, false}},    {41, {"Q1_0", 128, 18, false}},
};

const GgmlTypeInfo& known_type(uint32_t type, const std::string& where) {
  const GgmlTypeInfo* info = ggml_type_info(type);
  if (info == nullptr) throw UnsupportedError(str(where, ": unknown ggml tensor type ", type));
  return *info;
}

}  // namespace

const GgmlTypeInfo* ggml_type_info(uint32_t type) {
  for (const TypeEntry& e : kTypes)
    if (e.type == type) return &e.info;
  return nullptr;
}

uint64_t ggml_row_bytes(uint32_t type, int64_t n, const std::string& where) {
  const GgmlTypeInfo& info = known_type(type, where);
  check_input(n >= 0, where, ": negative element count ", n);
  check_input(n % info.block_size == 0, where, ": ", n, " elements of ", info.name,
              " is not a multiple of its block size ", info.block_size);
  const uint64_t blocks = static_cast<uint64_t>(n / info.block_size);
  const uint64_t size = static_cast<uint64_t>(info.type_size);
  check_input(blocks <= std::numeric_limits<uint64_t>::max() / size, where, ": ", n,
              " elements of ", info.name, " overflow a 64-bit byte count");
  return blocks * size;
}

void dequantize_row(uint32_t type, const uint8_t* src, float* dst, int64_t n,
                    const std::string& where) {
  const GgmlTypeInfo& info = known_type(type, where);
  if (!info.dequantizable)
    throw UnsupportedError(str(where, ": ggml tensor type ", info.name, " (", type,
                               ") cannot be converted to float by traitlab"));
  ggml_row_bytes(type, n, where);  // validates n
  const int64_t nb = n / info.block_size;
  const int64_t ts = info.type_size;
  const int64_t bs = info.block_size;
  for (int64_t i = 0; i < nb; ++i) {
    const uint8_t* b = src + i * ts;
    float* y = dst + i * bs;
    switch (static_cast<GgmlType>(type)) {
      case GgmlType::F32:
        *y = bits_to_float(rd32(b));
        break;
      case GgmlType::F16:
        *y = rd_half(b);
        break;
      case GgmlType::BF16:
        *y = bits_to_float(static_cast<uint32_t>(rd16(b)) << 16);
        break;
      case GgmlType::F64: {
        const uint64_t bits = rd64(b);
        double v;
        std::memcpy(&v, &bits, 8);
        *y = static_cast<float>(v);
        break;
      }
      case GgmlType::Q4_0:
        deq_q4_0(b, y);
        break;
      case GgmlType::Q4_1:
        deq_q4_1(b, y);
        break;
      case GgmlType::Q5_0:
        deq_q5_0(b, y);
        break;
      case GgmlType::Q5_1:
        deq_q5_1(b, y);
        break;
      case GgmlType::Q8_0:
        deq_q8(rd_half(b), b + 2, y, 32);
        break;
      case GgmlType::Q8_1:
        deq_q8(rd_half(b), b + 4, y, 32);
        break;
      case GgmlType::Q8_K:
        deq_q8(bits_to_float(rd32(b)), b + 4, y, kQK);
        break;
      case GgmlType::Q2_K:
        deq_q2_k(b, y);
        break;
      case GgmlType::Q3_K:
        deq_q3_k(b, y);
        break;
      case GgmlType::Q4_K:
        deq_q45_k(b, y, false);
        break;
      case GgmlType::Q5_K:
        deq_q45_k(b, y, true);
        break;
      case GgmlType::Q6_K:
        deq_q6_k(b, y);
        break;
      default:  // unreachable: the table marks only the cases above dequantizable
        throw UnsupportedError(str(where, ": ggml tensor type ", info.name, " not handled"));
    }
  }
}

}  // namespace traitlab
