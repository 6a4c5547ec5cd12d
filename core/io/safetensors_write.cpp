// safetensors writer. The layout copies the Python `safetensors` library
// (Rust crate) byte for byte: tensors ordered by descending dtype rank, then
// by name; compact JSON with "__metadata__" first; header padded with spaces
// so the data starts at a multiple of 8. Metadata keys are written sorted
// (the Python library's order is that of a Rust HashMap, i.e. random), so
// parity holds for files with at most one metadata key.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <set>

#include "core/io/safetensors.h"
#include "core/io/safetensors_dtype.h"
#include "core/io/strict_json.h"
#include "core/util/error.h"

namespace traitlab {

namespace {
struct Prepared {
  std::string name;
  std::string dtype;
  int rank;
  torch::Tensor data;  // contiguous, CPU
};

std::string json_string(const std::string& s, const std::string& path) {
  try {
    return nlohmann::json(s).dump();  // escapes like serde_json: \n, \", \u0001
  } catch (const nlohmann::json::exception&) {
    throw InputError(str(path, ": name or metadata '", printable(s), "' is not valid UTF-8"));
  }
}

void write_all(int fd, const void* data, size_t n, const std::string& tmp) {
  const char* p = static_cast<const char*>(data);
  while (n > 0) {
    ssize_t w = ::write(fd, p, n);
    if (w < 0 && errno == EINTR) continue;
    if (w <= 0) throw IoError(str(tmp, ": write failed: ", std::strerror(errno)));
    p += w;
    n -= static_cast<size_t>(w);
  }
}

std::string build_header(const std::vector<Prepared>& tensors,
                         const std::map<std::string, std::string>& metadata,
                         const std::string& path) {
  std::string h = "{";
  if (!metadata.empty()) {
    h += "\"__metadata__\":{";
    bool first = true;
    for (const auto& [k, v] : metadata) {
      h += (first ? "" : ",") + json_string(k, path) + ":" + json_string(v, path);
      first = false;
    }
    h += "}";
  }
  uint64_t offset = 0;
  for (const auto& t : tensors) {
    if (h.size() > 1) h += ",";
    h += json_string(t.name, path) + ":{\"dtype\":\"" + t.dtype + "\",\"shape\":[";
    for (int64_t i = 0; i < t.data.dim(); ++i) h += (i ? "," : "") + std::to_string(t.data.size(i));
    const uint64_t n = t.data.nbytes();
    h += str("],\"data_offsets\":[", offset, ",", offset + n, "]}");
    offset += n;
  }
  h += "}";
  h.append((8 - h.size() % 8) % 8, ' ');
  return h;
}

// The directory part of `path` ("." if none), for fsync after rename.
std::string dir_of(const std::string& path) {
  auto slash = path.rfind('/');
  if (slash == std::string::npos) return ".";
  return slash == 0 ? "/" : path.substr(0, slash);
}
}  // namespace

void save_safetensors(const std::string& path,
                      const std::vector<std::pair<std::string, torch::Tensor>>& tensors,
                      const std::map<std::string, std::string>& metadata) {
  std::vector<Prepared> prepared;
  std::set<std::string> seen;
  for (const auto& [name, t] : tensors) {
    check_input(name != "__metadata__", path, ": '__metadata__' cannot name a tensor");
    check_input(seen.insert(name).second, path, ": tensor '", printable(name), "' given twice");
    check_input(t.defined(), path, ": tensor '", printable(name), "' is undefined");
    const std::string dtype = torch_dtype_to_safetensors(t.scalar_type());
    prepared.push_back({name, dtype, find_safetensors_dtype(dtype)->rank,
                        t.detach().to(torch::kCPU).contiguous()});
  }
  std::sort(prepared.begin(), prepared.end(), [](const Prepared& a, const Prepared& b) {
    return a.rank != b.rank ? a.rank > b.rank : a.name < b.name;
  });
  const std::string header = build_header(prepared, metadata, path);

  std::string tmp = path + ".tmp.XXXXXX";
  int fd = mkstemp(tmp.data());
  if (fd < 0) {
    throw IoError(str(path, ": cannot create a temporary file in ", dir_of(path), ": ",
                      std::strerror(errno)));
  }
  try {
    fchmod(fd, 0644);  // mkstemp's 0600 would surprise users sharing models
    uint8_t len[8];
    for (int i = 0; i < 8; ++i) len[i] = static_cast<uint8_t>(uint64_t(header.size()) >> (8 * i));
    write_all(fd, len, 8, tmp);
    write_all(fd, header.data(), header.size(), tmp);
    for (const auto& t : prepared) write_all(fd, t.data.data_ptr(), t.data.nbytes(), tmp);
    if (::fsync(fd) != 0) throw IoError(str(tmp, ": fsync failed: ", std::strerror(errno)));
    if (::close(fd) != 0) {
      fd = -1;
      throw IoError(str(tmp, ": close failed: ", std::strerror(errno)));
    }
    fd = -1;
    if (std::rename(tmp.c_str(), path.c_str()) != 0) {
      throw IoError(str(path, ": cannot rename ", tmp, " into place: ", std::strerror(errno)));
    }
  } catch (...) {
    if (fd >= 0) ::close(fd);
    ::unlink(tmp.c_str());
    throw;
  }
  // Make the rename itself durable; failure here loses nothing already written.
  int dfd = ::open(dir_of(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace traitlab
