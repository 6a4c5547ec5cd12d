#pragma once
// RFC 4180 CSV: comma separated, fields optionally in double quotes, ""
// for a quote inside quotes, quoted fields may hold commas and newlines,
// CRLF or LF line ends, a UTF-8 byte-order mark is skipped.
#include <string>
#include <vector>

namespace traitlab {

struct CsvRecord {
  std::vector<std::string> fields;
  int line = 0;  // 1-based line on which the record starts
};

// Parses text; `where` (the file name) prefixes errors such as
// "items.csv:4: unterminated quoted field". Blank lines are skipped.
std::vector<CsvRecord> parse_csv(const std::string& text, const std::string& where);

}  // namespace traitlab
