// safetensors reader: memory-maps the file, validates the header with the
// same rules as the Rust `safetensors` crate (offsets contiguous from 0, the
// last end equal to the data size), and copies tensors out on demand.
#include "core/io/safetensors.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <limits>

#include "core/io/mapped_file.h"
#include "core/io/safetensors_dtype.h"
#include "core/io/strict_json.h"
#include "core/util/error.h"

namespace traitlab {

namespace {
constexpr uint64_t kMaxHeaderBytes = 100'000'000;  // the Rust crate's limit
constexpr int64_t kInt64Max = std::numeric_limits<int64_t>::max();

std::string shape_str(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string offsets_str(uint64_t b, uint64_t e) { return str("[", b, ", ", e, "]"); }

// A JSON value cut short for an error message.
std::string brief(const nlohmann::json& j) { return printable(j.dump(), 60); }

bool is_uint(const nlohmann::json& j) {
  return j.is_number_unsigned() || (j.is_number_integer() && j.get<int64_t>() >= 0);
}

TensorEntry parse_entry(const std::string& name, const nlohmann::json& j, uint64_t data_size,
                        const std::string& where) {
  const std::string at = str(where, ": tensor '", printable(name), "': ");
  check_input(j.is_object(), at, "entry must be an object, got ", brief(j));
  for (const char* key : {"dtype", "shape", "data_offsets"}) {
    check_input(j.contains(key), at, "missing '", key, "'");
  }
  TensorEntry e;
  e.name = name;
  const auto& dtype = j["dtype"];
  check_input(dtype.is_string(), at, "dtype must be a string, got ", brief(dtype));
  e.dtype = dtype.get<std::string>();
  const SafetensorsDtype* dt = find_safetensors_dtype(e.dtype);
  check_input(dt != nullptr, at, "unknown dtype '", printable(e.dtype), "'");

  const auto& shape = j["shape"];
  check_input(shape.is_array(), at, "shape must be a list of non-negative integers, got ",
              brief(shape));
  // The product of the non-zero dimensions must fit in int64: LibTorch
  // computes sizes and strides from it (the Rust crate's own check, a plain
  // overflow check on the product, lets [0, 2^63-1, 2] through).
  uint64_t nonzero = 1, numel = 1;
  bool overflow = false;
  for (const auto& d : shape) {
    check_input(is_uint(d), at, "shape must be a list of non-negative integers, got ",
                brief(shape));
    const uint64_t v = d.get<uint64_t>();
    if (v == 0) {
      numel = 0;
    } else {
      overflow = overflow || nonzero > static_cast<uint64_t>(kInt64Max) / v;
      if (!overflow) nonzero *= v;
    }
    if (!overflow) e.shape.push_back(static_cast<int64_t>(v));
  }
  if (numel != 0) numel = nonzero;
  check_input(!overflow && numel <= static_cast<uint64_t>(kInt64Max) / dt->size, at, "shape ",
              brief(shape), " x ", e.dtype, " overflows 64-bit sizes");

  const auto& off = j["data_offsets"];
  check_input(off.is_array() && off.size() == 2 && is_uint(off[0]) && is_uint(off[1]), at,
              "data_offsets must be [begin, end] with non-negative integers, got ", brief(off));
  e.begin = off[0].get<uint64_t>();
  e.end = off[1].get<uint64_t>();
  check_input(e.end >= e.begin, at, "data_offsets ", offsets_str(e.begin, e.end),
              " end before begin");
  const uint64_t need = numel * dt->size;
  check_input(e.end - e.begin == need, at, "data_offsets ", offsets_str(e.begin, e.end),
              " but shape ", shape_str(e.shape), " x ", e.dtype, " needs ", need, " bytes");
  check_input(e.end <= data_size, at, "data_offsets ", offsets_str(e.begin, e.end),
              " extend beyond the data section of ", data_size, " bytes");
  return e;
}
}  // namespace

std::vector<TensorEntry> SafetensorsFile::parse_header(
    const std::string& header_json, uint64_t data_size, const std::string& where,
    std::map<std::string, std::string>* metadata) {
  nlohmann::json h = parse_json_strict(header_json, where, "header");
  check_input(h.is_object(), where, ": header must be a JSON object, got ", brief(h));
  std::vector<TensorEntry> entries;
  for (const auto& [key, value] : h.items()) {
    if (key == "__metadata__") {
      if (value.is_null()) continue;
      check_input(value.is_object(), where, ": '__metadata__' must map strings to strings, got ",
                  brief(value));
      for (const auto& [mk, mv] : value.items()) {
        check_input(mv.is_string(), where, ": '__metadata__' key '", printable(mk),
                    "' must be a string, got ", brief(mv));
        if (metadata) (*metadata)[mk] = mv.get<std::string>();
      }
      continue;
    }
    entries.push_back(parse_entry(key, value, data_size, where));
  }
  // Sorting by offsets turns every overlap or hole into a neighbour mismatch.
  std::sort(entries.begin(), entries.end(), [](const TensorEntry& a, const TensorEntry& b) {
    return std::tie(a.begin, a.end, a.name) < std::tie(b.begin, b.end, b.name);
  });
  uint64_t expected = 0;
  const TensorEntry* prev = nullptr;
  for (const auto& e : entries) {
    const std::string at = str(where, ": tensor '", printable(e.name), "': data_offsets ",
                               offsets_str(e.begin, e.end));
    check_input(e.begin >= expected, at, " overlap tensor '", prev ? printable(prev->name) : "",
                "' ", prev ? offsets_str(prev->begin, prev->end) : "");
    check_input(e.begin == expected, at, " leave a hole: bytes ", offsets_str(expected, e.begin),
                " of the data section belong to no tensor");
    expected = e.end;
    prev = &e;
  }
  check_input(expected == data_size, where, ": data section is ", data_size,
              " bytes but the tensors cover only ", expected, " (the rest belongs to no tensor)");
  return entries;
}

SafetensorsFile SafetensorsFile::open(const std::string& path) {
  auto map = map_file(path, 8, "the 8-byte safetensors header length");
  const uint64_t size = map->size;

  uint64_t n = 0;
  for (int i = 7; i >= 0; --i) n = (n << 8) | map->data[i];  // little-endian on any host
  check_input(n <= kMaxHeaderBytes, path, ": header length ", n, " is over the ", kMaxHeaderBytes,
              "-byte limit (not a safetensors file?)");
  check_input(n <= size - 8, path, ": header length ", n, " exceeds the ", size - 8,
              " bytes after the length field (truncated file?)");

  SafetensorsFile f;
  f.path_ = path;
  f.map_ = map;
  f.data_offset_ = 8 + n;
  const std::string header(reinterpret_cast<const char*>(map->data + 8), n);
  f.entries_ = parse_header(header, size - 8 - n, path, &f.metadata_);
  for (size_t i = 0; i < f.entries_.size(); ++i) f.index_[f.entries_[i].name] = i;
  return f;
}

const TensorEntry* SafetensorsFile::find(const std::string& name) const {
  auto it = index_.find(name);
  return it == index_.end() ? nullptr : &entries_[it->second];
}

torch::Tensor SafetensorsFile::load(const std::string& name) const {
  const TensorEntry* e = find(name);
  check_input(e != nullptr, path_, ": no tensor '", printable(name), "'");
  const std::string where = str(path_, ": tensor '", printable(name), "'");
  const torch::ScalarType type = safetensors_dtype_to_torch(e->dtype, where);
  torch::Tensor t = torch::empty(e->shape, torch::TensorOptions().dtype(type));
  const uint8_t* src = map_->data + data_offset_ + e->begin;
  const size_t n = static_cast<size_t>(e->end - e->begin);
  if (type == torch::kBool) {
    // Any byte other than 0/1 is an invalid C++ bool, so reject it here.
    for (size_t i = 0; i < n; ++i) {
      check_input(src[i] <= 1, where, ": BOOL element ", i, " is byte ", int(src[i]),
                  ", not 0 or 1");
    }
  }
  // memcpy: the data may sit at any alignment inside the mapping.
  if (n) std::memcpy(t.data_ptr(), src, n);
  return t;
}

}  // namespace traitlab
