#pragma once
// A resolved experiment configuration: every schema key with its value (as
// canonical text once validated) and where that value came from, so any
// later message can say "exp.ini:12: key 'technique.levels': ...".
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace traitlab::config {

struct Origin {
  enum class Kind { Default, CommandLine, File };
  Kind kind = Kind::Default;
  std::string file;  // File: the config file; CommandLine: the flag used
  int line = 0;
  // "exp.ini:12", "command line (--seed)", "default".
  std::string describe() const;
};

struct ConfigEntry {
  std::string value;
  Origin origin;
};

class Config {
 public:
  // A config holding every schema default.
  static Config defaults();

  // key must be in the schema (a bug otherwise).
  void set(const std::string& key, std::string value, Origin origin);
  const std::string& text(const std::string& key) const;
  const Origin& origin(const std::string& key) const;
  const std::map<std::string, ConfigEntry>& entries() const { return entries_; }

  // Typed reads; bad text is an InputError naming origin and key.
  int64_t get_int(const std::string& key) const;
  double get_double(const std::string& key) const;
  bool get_bool(const std::string& key) const;
  std::vector<std::string> get_list(const std::string& key) const;
  std::vector<int64_t> get_int_list(const std::string& key) const;

  // Throws InputError "<origin>: key '<key>': <what>".
  [[noreturn]] void fail(const std::string& key, const std::string& what) const;

 private:
  std::map<std::string, ConfigEntry> entries_;
};

}  // namespace traitlab::config
