// The journal: records survive, a torn last record is dropped wherever the
// writer was cut off, and appending continues cleanly after recovery.
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "core/util/error.h"
#include "experiments/runner/journal.h"

namespace traitlab::runner {
namespace {

namespace fs = std::filesystem;

std::string temp_dir(const std::string& name) {
  fs::path p = fs::temp_directory_path() / ("traitlab_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(p);
  fs::create_directories(p);
  return p.string();
}

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const std::string& path, const std::string& bytes) {
  std::ofstream(path, std::ios::binary | std::ios::trunc) << bytes;
}

TEST(RunnerJournal, TornLastRecordIsDroppedAtEveryCut) {
  const std::string dir = temp_dir("journal");
  const std::string path = dir + "/j";
  {
    JournalWriter w(path, 0);
    w.append({{"type", "header"}, {"n", 0}});
    w.append({{"type", "cell"}, {"n", 1}, {"text", "héllo"}});
    w.append({{"type", "cell"}, {"n", 2}, {"pad", std::string(40, 'x')}});
  }
  const std::string full = slurp(path);
  auto all = read_journal(path);
  ASSERT_EQ(all.records.size(), 3u);
  EXPECT_EQ(all.records[1]["text"], "héllo");
  EXPECT_EQ(all.dropped_bytes, 0);
  EXPECT_EQ(all.valid_bytes, static_cast<int64_t>(full.size()));

  const std::string last = encode_journal_record(all.records[2].dump());
  const size_t last_start = full.size() - last.size();
  ASSERT_EQ(full.substr(last_start), last);
  for (size_t cut = last_start; cut < full.size(); ++cut) {
    spit(path, full.substr(0, cut));
    auto j = read_journal(path);
    ASSERT_EQ(j.records.size(), 2u) << "cut at byte " << cut;
    EXPECT_EQ(j.valid_bytes, static_cast<int64_t>(last_start)) << "cut at byte " << cut;
    EXPECT_EQ(j.dropped_bytes, static_cast<int64_t>(cut - last_start));
    // Appending after recovery cuts the torn tail and continues.
    {
      JournalWriter w(path, j.valid_bytes);
      w.append({{"type", "cell"}, {"n", 3}});
    }
    auto k = read_journal(path);
    ASSERT_EQ(k.records.size(), 3u) << "cut at byte " << cut;
    EXPECT_EQ(k.records[2]["n"], 3);
    EXPECT_EQ(k.dropped_bytes, 0);
  }
  fs::remove_all(dir);
}

TEST(RunnerJournal, CorruptedPayloadFailsItsChecksum) {
  const std::string dir = temp_dir("journal_crc");
  const std::string path = dir + "/j";
  {
    JournalWriter w(path, 0);
    w.append({{"n", 1}});
    w.append({{"n", 2}});
  }
  std::string bytes = slurp(path);
  for (size_t pos = bytes.size() - 7; pos < bytes.size(); ++pos) {  // inside {"n":2}
    std::string damaged = bytes;
    damaged[pos] ^= 0x20;
    spit(path, damaged);
    auto j = read_journal(path);
    EXPECT_EQ(j.records.size(), 1u) << "flipped byte " << pos;
  }
  fs::remove_all(dir);
}

TEST(RunnerJournal, HeaderCases) {
  const std::string dir = temp_dir("journal_hdr");
  const std::string path = dir + "/j";
  spit(path, "TLJO");  // killed while writing the magic
  auto j = read_journal(path);
  EXPECT_TRUE(j.records.empty());
  EXPECT_EQ(j.valid_bytes, 0);
  spit(path, "NOTAJOURNAL");
  EXPECT_THROW(read_journal(path), InputError);
  EXPECT_THROW(read_journal(dir + "/missing"), IoError);
  fs::remove_all(dir);
}

}  // namespace
}  // namespace traitlab::runner
