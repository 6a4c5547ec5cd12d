#pragma once
// The run journal: an append-only file of checksummed records, the source of
// truth while a run is going (HDF5 files can be destroyed by a crash
// mid-write; see docs/configs.md "Crash safety").
//
// Layout (little-endian):
//   header  8 bytes "TLJOURN1"
//   record  u32 payload length | u32 CRC-32 of the payload | payload
// The payload is one compact JSON object: the first record is the run
// header ({"type":"header",...}), every later one a cell record.
//
// Reading stops at the first record that is cut short, longer than 256 MiB,
// or fails its CRC: that is where a killed writer stopped. Everything
// before it is kept; the tail is reported and cut off when the journal is
// reopened for appending.
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace traitlab::runner {

struct JournalContents {
  std::vector<nlohmann::json> records;  // in file order
  int64_t valid_bytes = 0;              // file offset just after the last good record
  int64_t dropped_bytes = 0;            // torn tail (0 after a clean shutdown)
};

// Reads a journal. Missing file: IoError; a file whose first bytes are not
// the magic (and not a prefix of it): InputError. A file shorter than the
// magic counts as empty (a writer killed while creating it).
JournalContents read_journal(const std::string& path);

class JournalWriter {
 public:
  // Opens for appending after `valid_bytes` (from read_journal; the torn
  // tail is truncated away), or creates the file when valid_bytes == 0.
  JournalWriter(const std::string& path, int64_t valid_bytes);
  ~JournalWriter();
  JournalWriter(const JournalWriter&) = delete;
  JournalWriter& operator=(const JournalWriter&) = delete;

  // Writes one record and fdatasyncs it: when append returns, the record
  // survives a kill -9 and a power cut.
  void append(const nlohmann::json& record);
  const std::string& path() const { return path_; }

 private:
  std::string path_;
  int fd_ = -1;
};

// The bytes append() writes for one payload (for tests that damage records).
std::string encode_journal_record(const std::string& payload);
inline constexpr const char* kJournalMagic = "TLJOURN1";

}  // namespace traitlab::runner
