#include "core/io/gguf.h"

#include <algorithm>
#include <cerrno>
#include <cstring>

#include "core/io/gguf_quant.h"
#include "core/io/strict_json.h"
#include "core/util/error.h"

namespace traitlab {

namespace {

constexpr uint32_t kMaxDims = 4;     // GGML_MAX_DIMS
constexpr int kMaxArrayNesting = 2;  // arrays of arrays of scalars at most
constexpr uint64_t kMaxKeyBytes = 65536;

// A cursor over the file image; every read is bounds-checked so that a
// lying length can only produce an InputError, never a read past the end.
class Reader {
 public:
  Reader(const uint8_t* data, size_t size, const std::string& where)
      : data_(data), size_(size), where_(where) {}

  size_t pos() const { return pos_; }
  size_t left() const { return size_ - pos_; }

  template <typename T>
  T read(const std::string& what) {
    need(sizeof(T), what);
    T v;
    std::memcpy(&v, data_ + pos_,
                sizeof(T));  // GGUF is little-endian, as is every host we build for
    pos_ += sizeof(T);
    return v;
  }

  std::string read_string(const std::string& what, uint64_t max_len = UINT64_MAX) {
    const uint64_t n = read<uint64_t>(what + " (string length)");
    check_input(n <= left(), where_, ": ", what, ": string length ", n, " exceeds the ", left(),
                " bytes left in the file (truncated or corrupt)");
    check_input(n <= max_len, where_, ": ", what, ": string length ", n, " is over the limit of ",
                max_len);
    std::string s(reinterpret_cast<const char*>(data_ + pos_), n);
    pos_ += n;
    return s;
  }

  void need(uint64_t n, const std::string& what) const {
    check_input(n <= left(), where_, ": ", what, ": needs ", n, " bytes at offset ", pos_,
                " but the file ends after ", left(), " (truncated?)");
  }

  const std::string& where() const { return where_; }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
  const std::string& where_;
};

// Smallest encoded size of one value of a type: bounds array counts before
// allocating anything for them.
uint64_t min_value_bytes(uint32_t type) {
  switch (static_cast<GgufValueType>(type)) {
    case GgufValueType::U8:
    case GgufValueType::I8:
    case GgufValueType::Bool:
      return 1;
    case GgufValueType::U16:
    case GgufValueType::I16:
      return 2;
    case GgufValueType::U32:
    case GgufValueType::I32:
    case GgufValueType::F32:
      return 4;
    case GgufValueType::U64:
    case GgufValueType::I64:
    case GgufValueType::F64:
      return 8;
    case GgufValueType::String:
      return 8;
    case GgufValueType::Array:
      return 12;
  }
  return 0;
}

nlohmann::json read_value(Reader& r, uint32_t type, const std::string& key, int depth) {
  const std::string what = "metadata key '" + printable(key) + "'";
  switch (static_cast<GgufValueType>(type)) {
    case GgufValueType::U8:
      return r.read<uint8_t>(what);
    case GgufValueType::I8:
      return r.read<int8_t>(what);
    case GgufValueType::U16:
      return r.read<uint16_t>(what);
    case GgufValueType::I16:
      return r.read<int16_t>(what);
    case GgufValueType::U32:
      return r.read<uint32_t>(what);
    case GgufValueType::I32:
      return r.read<int32_t>(what);
    case GgufValueType::U64:
      return r.read<uint64_t>(what);
    case GgufValueType::I64:
      return r.read<int64_t>(what);
    case GgufValueType::F32:
      return r.read<float>(what);
    case GgufValueType::F64:
      return r.read<double>(what);
    case GgufValueType::Bool: {
      const uint8_t b = r.read<uint8_t>(what);
      check_input(b <= 1, r.where(), ": ", what, ": bool byte is ", int(b), ", expected 0 or 1");
      return b == 1;
    }
    case GgufValueType::String:
      return r.read_string(what);
    case GgufValueType::Array: {
      check_input(depth < kMaxArrayNesting, r.where(), ": ", what, ": arrays nested more than ",
                  kMaxArrayNesting, " deep");
      const uint32_t et = r.read<uint32_t>(what + " (array element type)");
      const uint64_t min = min_value_bytes(et);
      check_input(min > 0, r.where(), ": ", what, ": unknown array element type ", et);
      const uint64_t n = r.read<uint64_t>(what + " (array length)");
      check_input(n <= r.left() / min, r.where(), ": ", what, ": array of ", n,
                  " elements cannot fit in the ", r.left(), " bytes left in the file");
      nlohmann::json arr = nlohmann::json::array();
      arr.get_ref<nlohmann::json::array_t&>().reserve(n);
      for (uint64_t i = 0; i < n; ++i) arr.push_back(read_value(r, et, key, depth + 1));
      return arr;
    }
  }
  throw InputError(str(r.where(), ": ", what, ": unknown value type ", type));
}

uint64_t align_up(uint64_t x, uint64_t a) { return (x + a - 1) / a * a; }

}  // namespace

int64_t GgufTensor::numel() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

GgufFile GgufFile::parse(const uint8_t* data, size_t size, const std::string& where) {
  GgufFile f;
  f.path_ = where;
  f.data_ = data;
  f.size_ = size;
  Reader r(data, size, where);
  check_input(size >= 4 && std::memcmp(data, "GGUF", 4) == 0, where,
              ": not a GGUF file (the first 4 bytes are not \"GGUF\")");
  r.read<uint32_t>("magic");
  f.version_ = r.read<uint32_t>("version");
  check_input(f.version_ == 2 || f.version_ == 3, where, ": GGUF version ", f.version_,
              " is not supported (traitlab reads versions 2 and 3)");
  const uint64_t n_tensors = r.read<uint64_t>("tensor count");
  const uint64_t n_kv = r.read<uint64_t>("metadata count");
  // A key-value pair takes at least 8 + 4 + 1 bytes, a tensor info 8 + 4 + 8 + 4 + 8.
  check_input(n_kv <= r.left() / 13, where, ": metadata count ", n_kv, " cannot fit in a file of ",
              size, " bytes");
  check_input(n_tensors <= r.left() / 32, where, ": tensor count ", n_tensors,
              " cannot fit in a file of ", size, " bytes");

  for (uint64_t i = 0; i < n_kv; ++i) {
    const std::string key = r.read_string(str("metadata key #", i), kMaxKeyBytes);
    const uint32_t type = r.read<uint32_t>("metadata key '" + printable(key) + "' (type)");
    check_input(!f.metadata_.contains(key), where, ": metadata key '", printable(key),
                "' appears twice");
    f.metadata_[key] = read_value(r, type, key, 0);
    f.value_types_[key] = type;
  }
  if (f.has("general.alignment")) {
    check_input(f.value_types_.at("general.alignment") == uint32_t(GgufValueType::U32), where,
                ": metadata key 'general.alignment' must be a u32");
    f.alignment_ = f.metadata_["general.alignment"].get<uint32_t>();
    check_input(f.alignment_ > 0 && (f.alignment_ & (f.alignment_ - 1)) == 0, where,
                ": general.alignment ", f.alignment_, " is not a power of two");
  }

  for (uint64_t i = 0; i < n_tensors; ++i) {
    GgufTensor t;
    t.name = r.read_string(str("tensor #", i, " name"), kMaxKeyBytes);
    const std::string what = "tensor '" + printable(t.name) + "'";
    const uint32_t n_dims = r.read<uint32_t>(what + " (n_dims)");
    check_input(n_dims >= 1 && n_dims <= kMaxDims, where, ": ", what, ": ", n_dims,
                " dimensions (expected 1 to ", kMaxDims, ")");
    uint64_t numel = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      const uint64_t ne = r.read<uint64_t>(what + " (dims)");
      check_input(ne >= 1 && ne <= (uint64_t(1) << 40) && numel <= (uint64_t(1) << 50) / ne, where,
                  ": ", what, ": dimension ", d, " is ", ne, " (zero or absurdly large)");
      numel *= ne;
      t.dims.push_back(static_cast<int64_t>(ne));
    }
    t.shape.assign(t.dims.rbegin(), t.dims.rend());
    t.type = r.read<uint32_t>(what + " (type)");
    const GgmlTypeInfo* info = ggml_type_info(t.type);
    check_input(info != nullptr, where, ": ", what, ": unknown ggml type ", t.type);
    check_input(t.dims[0] % info->block_size == 0, where, ": ", what, ": row of ", t.dims[0],
                " elements is not a whole number of ", info->name, " blocks (", info->block_size,
                " each)");
    t.n_bytes = ggml_row_bytes(t.type, t.dims[0], where + ": " + what) * (numel / t.dims[0]);
    t.offset = r.read<uint64_t>(what + " (offset)");
    check_input(t.offset % f.alignment_ == 0, where, ": ", what, ": offset ", t.offset,
                " is not a multiple of the alignment ", f.alignment_);
    check_input(f.index_.emplace(t.name, f.tensors_.size()).second, where, ": ", what,
                " appears twice");
    f.tensors_.push_back(std::move(t));
  }

  const uint64_t data_start = align_up(r.pos(), f.alignment_);
  check_input(data_start <= size, where, ": data section starts at ", data_start,
              " past the end of the file (", size, " bytes)");
  const uint64_t data_size = size - data_start;
  std::vector<const GgufTensor*> by_offset;
  for (auto& t : f.tensors_) {
    check_input(t.offset <= data_size && t.n_bytes <= data_size - t.offset, where, ": tensor '",
                printable(t.name), "': ", t.n_bytes, " bytes at data offset ", t.offset,
                " reach past the end of the file (data section ", data_size, " bytes; truncated?)");
    t.offset += data_start;
    by_offset.push_back(&t);
  }
  std::sort(by_offset.begin(), by_offset.end(),
            [](const GgufTensor* a, const GgufTensor* b) { return a->offset < b->offset; });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const GgufTensor& a = *by_offset[i - 1];
    check_input(a.offset + a.n_bytes <= by_offset[i]->offset, where, ": tensors '",
                printable(a.name), "' and '", printable(by_offset[i]->name), "' overlap");
  }
  return f;
}

GgufFile GgufFile::open(const std::string& path) {
  auto map = map_file(path, 24, "a GGUF header");
  GgufFile f = parse(map->data, map->size, path);
  f.map_ = map;
  return f;
}

const GgufTensor* GgufFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &tensors_[it->second];
}

torch::Tensor GgufFile::load_float(const GgufTensor& t) const {
  torch::Tensor out = torch::empty(t.shape, torch::kFloat32);
  const int64_t row = t.dims[0];
  const uint64_t row_bytes = t.n_bytes / static_cast<uint64_t>(t.numel() / row);
  const std::string where = path_ + ": tensor '" + printable(t.name) + "'";
  float* dst = out.data_ptr<float>();
  const int64_t n_rows = t.numel() / row;
  // Rows are independent; parallel_for keeps a 150M-parameter load short.
  at::parallel_for(0, n_rows, 64, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      dequantize_row(t.type, data_ + t.offset + static_cast<uint64_t>(i) * row_bytes, dst + i * row,
                     row, where);
    }
  });
  return out;
}

namespace {
const nlohmann::json& lookup(const nlohmann::json& m, const std::string& path,
                             const std::string& key) {
  auto it = m.find(key);
  check_input(it != m.end(), path, ": metadata key '", key, "' is missing");
  return *it;
}
}  // namespace

std::string GgufFile::get_string(const std::string& key) const {
  const auto& v = lookup(metadata_, path_, key);
  check_input(v.is_string(), path_, ": metadata key '", key, "' must be a string");
  return v.get<std::string>();
}

int64_t GgufFile::get_int(const std::string& key) const {
  const auto& v = lookup(metadata_, path_, key);
  check_input(v.is_number_integer(), path_, ": metadata key '", key, "' must be an integer");
  if (v.is_number_unsigned()) {
    check_input(v.get<uint64_t>() <= uint64_t(INT64_MAX), path_, ": metadata key '", key,
                "' is out of range");
  }
  return v.get<int64_t>();
}

double GgufFile::get_float(const std::string& key) const {
  const auto& v = lookup(metadata_, path_, key);
  check_input(v.is_number(), path_, ": metadata key '", key, "' must be a number");
  return v.get<double>();
}

bool GgufFile::get_bool(const std::string& key) const {
  const auto& v = lookup(metadata_, path_, key);
  check_input(v.is_boolean(), path_, ": metadata key '", key, "' must be a bool");
  return v.get<bool>();
}

const nlohmann::json& GgufFile::get_array(const std::string& key) const {
  const auto& v = lookup(metadata_, path_, key);
  check_input(v.is_array(), path_, ": metadata key '", key, "' must be an array");
  return v;
}

torch::Tensor gguf_unpermute_qk(const torch::Tensor& w, int64_t n_head) {
  const int64_t rows = w.size(0);
  check_input(n_head > 0 && rows % (2 * n_head) == 0, "Q/K projection with ", rows,
              " rows cannot be split into ", n_head, " heads of even size");
  std::vector<int64_t> split = {n_head, rows / n_head / 2, 2};
  for (int64_t d = 1; d < w.dim(); ++d) split.push_back(w.size(d));
  return w.reshape(split).transpose(1, 2).reshape(w.sizes()).contiguous();
}

bool is_gguf_path(const std::string& path) {
  return path.size() > 5 && path.compare(path.size() - 5, 5, ".gguf") == 0;
}

}  // namespace traitlab
