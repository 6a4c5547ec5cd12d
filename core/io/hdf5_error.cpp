// HDF5 errors become traitlab exceptions. HDF5 prints its whole error stack
// to stderr by default; we switch that off and carry the most specific
// message in the exception instead, so a failure is one clear line.
#include <algorithm>
#include <string>

#include "core/io/hdf5_detail.h"
#include "core/util/error.h"

namespace traitlab::h5 {

void silence_errors() { H5Eset_auto2(H5E_DEFAULT, nullptr, nullptr); }

namespace {
// H5Ewalk2 callback: with H5E_WALK_DOWNWARD the last record visited is the
// innermost one, which names the actual cause (errno text, missing object).
herr_t keep_last(unsigned, const H5E_error2_t* err, void* out) {
  if (err->desc && *err->desc) *static_cast<std::string*>(out) = err->desc;
  return 0;
}
}  // namespace

std::string take_error_message() {
  std::string msg;
  H5Ewalk2(H5E_DEFAULT, H5E_WALK_DOWNWARD, keep_last, &msg);
  H5Eclear2(H5E_DEFAULT);
  return msg;
}

std::string os_reason(const std::string& msg) {
  const std::string key = "error message = '";
  size_t b = msg.find(key);
  if (b == std::string::npos) return "";
  b += key.size();
  size_t e = msg.find('\'', b);
  std::string reason = msg.substr(b, e == std::string::npos ? std::string::npos : e - b);
  // "unable to open file: name = ..." adds nothing; "unable to lock file" does.
  size_t colon = msg.find(',');
  std::string head = msg.substr(0, std::min(colon, msg.find(':')));
  return head.find("lock") != std::string::npos ? head + ": " + reason : reason;
}

void fail(const std::string& where, const std::string& what) {
  std::string msg = take_error_message();
  std::string os = os_reason(msg);
  if (!os.empty()) msg = os;
  throw IoError(msg.empty() ? str(where, ": ", what) : str(where, ": ", what, ": ", msg));
}

hid_t check_id(hid_t id, const std::string& where, const std::string& what) {
  if (id < 0) fail(where, what);
  return id;
}

void check(herr_t status, const std::string& where, const std::string& what) {
  if (status < 0) fail(where, what);
}

}  // namespace traitlab::h5
