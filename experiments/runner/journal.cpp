#include "experiments/runner/journal.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

#include "core/util/error.h"
#include "experiments/runner/file_ops.h"
#include "experiments/runner/hash.h"

namespace traitlab::runner {

namespace {

constexpr size_t kMagicLen = 8;
constexpr uint32_t kMaxRecord = 256u << 20;

uint32_t read_u32(const char* p) {
  const auto* b = reinterpret_cast<const unsigned char*>(p);
  return uint32_t(b[0]) | uint32_t(b[1]) << 8 | uint32_t(b[2]) << 16 | uint32_t(b[3]) << 24;
}
void put_u32(std::string& out, uint32_t v) {
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void write_all(int fd, const std::string& bytes, const std::string& path) {
  size_t done = 0;
  while (done < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + done, bytes.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw IoError(str(path, ": write failed: ", std::strerror(errno)));
    done += static_cast<size_t>(n);
  }
}

}  // namespace

std::string encode_journal_record(const std::string& payload) {
  std::string out;
  put_u32(out, static_cast<uint32_t>(payload.size()));
  put_u32(out, crc32(payload.data(), payload.size()));
  return out + payload;
}

JournalContents read_journal(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw IoError(str(path, ": cannot open journal: ", std::strerror(errno)));
  std::ostringstream ss;
  ss << in.rdbuf();
  const std::string data = ss.str();

  JournalContents out;
  const size_t magic_have = std::min(data.size(), kMagicLen);
  check_input(data.compare(0, magic_have, kJournalMagic, magic_have) == 0, path,
              ": not a traitlab journal (bad magic)");
  if (data.size() < kMagicLen) {
    out.dropped_bytes = static_cast<int64_t>(data.size());
    return out;
  }
  size_t pos = kMagicLen;
  while (pos < data.size()) {
    if (data.size() - pos < 8) break;
    uint32_t len = read_u32(data.data() + pos);
    uint32_t crc = read_u32(data.data() + pos + 4);
    if (len > kMaxRecord || data.size() - pos - 8 < len) break;
    const char* payload = data.data() + pos + 8;
    if (crc32(payload, len) != crc) break;
    nlohmann::json j = nlohmann::json::parse(payload, payload + len, nullptr, false);
    if (j.is_discarded()) break;  // cannot happen with a good CRC, unless written by a bug
    out.records.push_back(std::move(j));
    pos += 8 + len;
  }
  out.valid_bytes = static_cast<int64_t>(pos);
  out.dropped_bytes = static_cast<int64_t>(data.size() - pos);
  return out;
}

JournalWriter::JournalWriter(const std::string& path, int64_t valid_bytes) : path_(path) {
  fd_ = ::open(path.c_str(), O_WRONLY | O_CREAT | O_CLOEXEC, 0644);
  if (fd_ < 0)
    throw IoError(str(path, ": cannot open journal for writing: ", std::strerror(errno)));
  int64_t keep = valid_bytes >= static_cast<int64_t>(kMagicLen) ? valid_bytes : 0;
  if (::ftruncate(fd_, keep) != 0 || ::lseek(fd_, keep, SEEK_SET) < 0) {
    int err = errno;
    ::close(fd_);
    throw IoError(str(path, ": cannot truncate journal: ", std::strerror(err)));
  }
  if (keep == 0) {
    write_all(fd_, std::string(kJournalMagic, kMagicLen), path_);
    if (::fdatasync(fd_) != 0)
      throw IoError(str(path_, ": fdatasync failed: ", std::strerror(errno)));
    fsync_parent_dir(path_);
  }
}

JournalWriter::~JournalWriter() {
  if (fd_ >= 0) ::close(fd_);
}

void JournalWriter::append(const nlohmann::json& record) {
  const std::string payload = record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  write_all(fd_, encode_journal_record(payload), path_);
  if (::fdatasync(fd_) != 0)
    throw IoError(str(path_, ": fdatasync failed: ", std::strerror(errno)));
}

}  // namespace traitlab::runner
