#pragma once
// "[2, 3]" for error messages. Passing an IntArrayRef straight to str() is
// ambiguous with c10::str, found by argument-dependent lookup.
#include <c10/util/ArrayRef.h>

#include <sstream>
#include <string>

namespace traitlab {

inline std::string shape_str(c10::IntArrayRef shape) {
  std::ostringstream os;
  os << shape;
  return os.str();
}

}  // namespace traitlab
