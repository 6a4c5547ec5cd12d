// libFuzzer target: a safetensors file (header length, JSON header, offsets,
// data). Any bytes: the file opens and every tensor loads, or a
// traitlab::InputError/UnsupportedError names the problem. A file that opens
// and loads round-trips: save -> open gives the same names, dtypes, shapes
// and bytes, and the writer's own output re-saves byte-identically.
#include <torch/torch.h>

#include <cstdint>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "core/io/safetensors.h"
#include "core/util/error.h"
#include "fuzz/fuzz_util.h"

namespace {

using traitlab::fuzz::expect;

std::string slurp(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::ostringstream s;
  s << f.rdbuf();
  return s.str();
}

bool same_bytes(const torch::Tensor& a, const torch::Tensor& b) {
  if (a.scalar_type() != b.scalar_type() || a.sizes() != b.sizes()) return false;
  const size_t n = static_cast<size_t>(a.numel()) * a.element_size();
  return n == 0 || std::memcmp(a.data_ptr(), b.data_ptr(), n) == 0;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace traitlab;
  const std::string path = fuzz::write_scratch("in.safetensors", data, size);
  std::vector<std::pair<std::string, torch::Tensor>> tensors;
  std::map<std::string, std::string> metadata;
  try {
    SafetensorsFile f = SafetensorsFile::open(path);
    for (const TensorEntry& e : f.entries()) {
      expect(e.begin <= e.end && e.end <= size, "entry offsets outside the file");
      tensors.emplace_back(e.name, f.load(e.name));
    }
    metadata = f.metadata();
  } catch (const InputError&) {  // UnsupportedError included
    return 0;
  }
  // Round trip through the writer. Names and metadata that are not valid
  // UTF-8 are refused by the writer (InputError), which is fine.
  const std::string out = fuzz::scratch_path("out.safetensors");
  try {
    save_safetensors(out, tensors, metadata);
  } catch (const InputError&) {
    return 0;
  }
  SafetensorsFile g = SafetensorsFile::open(out);  // must not throw
  expect(g.entries().size() == tensors.size(), "round trip changed the tensor count");
  for (const auto& [name, t] : tensors) {
    expect(g.find(name) != nullptr, "round trip lost a tensor");
    expect(same_bytes(g.load(name), t), "round trip changed a tensor");
  }
  expect(g.metadata() == metadata, "round trip changed the metadata");
  const std::string first = slurp(out);
  std::vector<std::pair<std::string, torch::Tensor>> again;
  for (const auto& [name, t] : tensors) again.emplace_back(name, g.load(name));
  save_safetensors(out, again, g.metadata());
  expect(slurp(out) == first, "writer output does not re-save byte-identically");
  return 0;
}
