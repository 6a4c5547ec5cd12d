#pragma once
// Typed errors. Caller mistakes (bad files, bad flags) are InputError and
// exit with code 2; I/O failures (unwritable paths, full disks) are IoError,
// exit 3; anything else reaching main() exits 1. Messages are one line and
// say what is wrong and where ("config.json: key 'hidden_size': expected an
// integer, got \"abc\"").
#include <sstream>
#include <stdexcept>
#include <string>

namespace traitlab {

class Error : public std::runtime_error {
 public:
  explicit Error(const std::string& msg) : std::runtime_error(msg) {}
  virtual int exit_code() const { return 1; }
};

// Bad input from the user: a file, a flag, a config value.
class InputError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 2; }
};

// The input is well-formed but names something traitlab does not support
// (an unknown model_type, tokenizer component, dtype).
class UnsupportedError : public InputError {
 public:
  using InputError::InputError;
};

// The operating system refused: unreadable, unwritable, disk full.
class IoError : public Error {
 public:
  using Error::Error;
  int exit_code() const override { return 3; }
};

namespace detail {
inline void append_all(std::ostringstream&) {}
template <typename T, typename... Rest>
void append_all(std::ostringstream& os, const T& v, const Rest&... rest) {
  os << v;
  append_all(os, rest...);
}
}  // namespace detail

// Concatenates its arguments with operator<<: str("key '", k, "' = ", v).
template <typename... Args>
std::string str(const Args&... args) {
  std::ostringstream os;
  detail::append_all(os, args...);
  return os.str();
}

// check_input(cond, "file.json: key 'x': ", why) throws InputError.
template <typename... Args>
void check_input(bool cond, const Args&... args) {
  if (!cond) throw InputError(str(args...));
}

}  // namespace traitlab
