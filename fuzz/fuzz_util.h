#pragma once
// Helpers shared by the libFuzzer targets: a per-process scratch file for
// parsers that read paths, and a check that reports a broken invariant and
// aborts (libFuzzer then saves the input as a crash).
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <string>

namespace traitlab::fuzz {

// A file in /dev/shm (RAM, so fsync and rewrites are cheap), else $TMPDIR,
// named by process id and `name` (keep the extension: loaders dispatch on it).
inline std::string scratch_path(const std::string& name) {
  const char* dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : std::getenv("TMPDIR");
  return std::string(dir ? dir : "/tmp") + "/traitlab-fuzz-" + std::to_string(getpid()) + "-" +
         name;
}

inline std::string write_scratch(const std::string& name, const uint8_t* data, size_t size) {
  const std::string path = scratch_path(name);
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  f.close();
  if (!f) std::abort();  // the fuzzer's own scratch space failed, not the parser
  return path;
}

[[noreturn]] inline void fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

inline void expect(bool cond, const char* what) {
  if (!cond) fail(what);
}

// The directory of the test fixtures, for targets that load a fixed model
// file once (TRAITLAB_FUZZ_DATA overrides the compiled-in path).
inline std::string test_data_dir() {
  const char* env = std::getenv("TRAITLAB_FUZZ_DATA");
  return env ? env : TRAITLAB_TEST_DATA;
}

}  // namespace traitlab::fuzz
